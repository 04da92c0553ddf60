// Completeness: what 2Checkout's API says of an order against what NetSuite holds for it, and the
// per-day ledger built from those verdicts. Pure: no I/O, no clock (the caller passes times).
//
// Per order, by its API status and the posting mode, the records that must exist:
//   pending / authorized: sales order (sales-order mode); nothing in cash-sale mode
//   paid (COMPLETE, REFUND): sales order + invoice + payment, or a cash sale
//   each refund, and a lost chargeback: credits (credit memos / cash refunds) adding up to them
//   reversed / canceled: nothing to compare (whatever exists was closed by the sync)
// and the amounts, to the minor unit: the sale's total against GrossPrice in the order currency,
// and the total credited against the refunds.
import type { ApiOrder } from '../twocheckout/rest/orders.js';
import type { PostingMode } from './sync-types.js';
import { apiRefunds } from './api-events.js';
import { EXTERNAL_ID_PREFIX, safeIdPart } from './ids.js';
import {
  abs,
  changeExponent,
  currencyExponent,
  formatMinor,
  netsuiteExponent,
  sum,
  toMinor,
  type Minor,
} from './money.js';

/** A NetSuite transaction this service wrote, as SuiteQL returns it. */
export interface NsTransaction {
  externalId: string;
  /** Lower-case record type: salesorder, invoice, customerpayment, cashsale, creditmemo, cashrefund, customerrefund. */
  recordType: string;
  /** Transaction total in its currency (a decimal string), when NetSuite has one. */
  total?: string;
  /** ISO currency code (NetSuite currency symbol). */
  currency?: string;
  tranDate?: string;
}

export type RecordKind = 'so' | 'inv' | 'pay' | 'cs' | 'cm' | 'rf';

/** Which of an order's records an externalId is, or undefined when it is not one of `refNo`'s. */
export function recordKindOf(externalId: string, refNo: string): RecordKind | undefined {
  const ref = safeIdPart(refNo);
  for (const kind of ['so', 'inv', 'pay', 'cs'] as const)
    if (externalId === `${EXTERNAL_ID_PREFIX}-${kind}-${ref}`) return kind;
  for (const kind of ['cm', 'rf'] as const)
    if (externalId.startsWith(`${EXTERNAL_ID_PREFIX}-${kind}-${ref}-`)) return kind;
  return undefined;
}

export type Verdict = 'matched' | 'missing' | 'mismatched' | 'void';

export interface OrderComparison {
  refNo: string;
  orderDate: string;
  status: string;
  currency: string;
  /** 2Checkout side, in the order currency. */
  gross: string;
  refunded: string;
  chargebackLost: boolean;
  /** NetSuite side. */
  nsSaleTotal?: string;
  nsCredited: string;
  nsCurrency?: string;
  verdict: Verdict;
  /** Records owed but absent (e.g. `invoice`, `refunds 20.00 of 50.00`). */
  missing: string[];
  /** Differences a sync cannot fix (amount edited by hand, wrong currency, more credited than refunded). */
  findings: string[];
}

const LOST = new Set(['LOST']);

/**
 * Compares one 2Checkout order with what NetSuite holds for it. Amounts are shown in 2Checkout's
 * precision and compared in NetSuite's (`nsExponent`: 0 or 2; 2Checkout's 3-decimal KWD total is
 * booked rounded to 2, mappings/order-amounts.ts), so a rounded total is not a mismatch.
 */
export function compareOrder(
  order: ApiOrder,
  ns: readonly NsTransaction[],
  mode: PostingMode,
  nsExponent = netsuiteExponent(order.Currency),
): OrderComparison {
  const exp = Math.max(currencyExponent(order.Currency), nsExponent);
  const m = (s: string) => toMinor(s, exp);
  const f = (v: Minor) => formatMinor(v, exp);
  /** Equal once both are in NetSuite's precision. */
  const same = (a: Minor, b: Minor) => changeExponent(a, exp, nsExponent) === changeExponent(b, exp, nsExponent);
  const mine = ns
    .map((t) => ({ t, kind: recordKindOf(t.externalId, order.RefNo) }))
    .filter((x) => x.kind !== undefined);
  const has = (k: RecordKind) => mine.some((x) => x.kind === k);
  const gross = m(order.GrossPrice);
  const refunds = apiRefunds(order).map((r) => abs(m(r.Amount)));
  const chargebackLost = LOST.has((order.ChargebackResolution ?? '').toUpperCase());
  const expectedCredit = sum(refunds) + (chargebackLost ? gross : 0n);
  const sale = mine.find((x) => x.kind === (mode === 'cashSale' ? 'cs' : 'so'))?.t;
  const credits = mine.filter((x) => x.kind === 'cm').map((x) => x.t);
  const credited = sum(credits.map((c) => abs(m(c.total ?? '0'))));
  const out: OrderComparison = {
    refNo: order.RefNo,
    orderDate: order.OrderDate.slice(0, 10),
    status: order.Status,
    currency: order.Currency,
    gross: f(gross),
    refunded: f(sum(refunds)),
    chargebackLost,
    ...(sale?.total !== undefined ? { nsSaleTotal: f(m(sale.total)) } : {}),
    nsCredited: f(credited),
    ...(sale?.currency ? { nsCurrency: sale.currency } : {}),
    verdict: 'matched',
    missing: [],
    findings: [],
  };
  if (order.Status === 'REVERSED' || order.Status === 'CANCELED') {
    out.verdict = 'void';
    return out;
  }
  const paid = order.Status === 'COMPLETE' || order.Status === 'REFUND';
  const owed: Array<[RecordKind, string]> =
    mode === 'cashSale'
      ? paid
        ? [['cs', 'cash sale']]
        : []
      : paid
        ? [
            ['so', 'sales order'],
            ['inv', 'invoice'],
            ['pay', 'customer payment'],
          ]
        : [['so', 'sales order']];
  for (const [kind, name] of owed) if (!has(kind)) out.missing.push(name);
  const creditShort = credited < expectedCredit && !same(credited, expectedCredit);
  const creditOver = credited > expectedCredit && !same(credited, expectedCredit);
  if (creditShort) out.missing.push(`credits ${f(credited)} of ${f(expectedCredit)}`);

  if (sale) {
    if (sale.currency && sale.currency.toUpperCase() !== order.Currency)
      out.findings.push(`currency: NetSuite ${sale.currency}, 2Checkout ${order.Currency}`);
    else if (sale.total !== undefined && !same(m(sale.total), gross))
      out.findings.push(`amount: NetSuite ${f(m(sale.total))}, 2Checkout ${f(gross)} ${order.Currency}`);
  }
  if (creditOver)
    out.findings.push(`credited: NetSuite ${f(credited)}, 2Checkout refunds ${f(expectedCredit)} ${order.Currency}`);
  out.verdict = out.findings.length > 0 ? 'mismatched' : out.missing.length > 0 ? 'missing' : 'matched';
  return out;
}

// ---------------------------------------------------------------------------------------------
// The per-day ledger

export type LedgerOutcome = 'matched' | 'healed' | 'mismatched' | 'pending' | 'void';

export interface LedgerException {
  refNo: string;
  /** MISSING_IN_NETSUITE (still pending after healing), AMOUNT_MISMATCH, NOT_IN_2CHECKOUT, UNMAPPABLE_ORDER. */
  reason: 'MISSING_IN_NETSUITE' | 'AMOUNT_MISMATCH' | 'NOT_IN_2CHECKOUT' | 'UNMAPPABLE_ORDER';
  detail: string;
  workflowId: string;
}

/** What a person does about each kind of ledger exception (docs/reconciliation.md), one sentence each; commands in backticks. */
export const LEDGER_EXCEPTION_FIXES: Record<LedgerException['reason'], string> = {
  MISSING_IN_NETSUITE:
    'The order is not (fully) in NetSuite yet: open its workflow; a parked sync says why; fix that and `npm run ops -- retry <REFNO>`.',
  AMOUNT_MISMATCH:
    'NetSuite differs from 2Checkout: find who changed the record (system notes), correct it and `npm run ops -- retry <REFNO>`, or accept it with `npm run ops -- skip <REFNO> --reason "…"`; the sync never overwrites it.',
  NOT_IN_2CHECKOUT:
    "Look the order up in 2Checkout's Control Panel: a test order, or one 2Checkout dates on another day, is no error; a record made by hand with our prefix is.",
  UNMAPPABLE_ORDER: "2Checkout's order lacks something the sync needs (the detail names the field): report it.",
};

export interface CurrencyTotals {
  orders: number;
  /** Σ GrossPrice (2Checkout) and Σ sale totals (NetSuite), in the currency. */
  sales2co: string;
  salesNs: string;
  /** Orders with money given back (refunds or a lost chargeback). */
  refunds: number;
  /** Σ refunds + lost chargebacks (2Checkout) and Σ credits (NetSuite), in the currency. */
  refunded2co: string;
  creditedNs: string;
  chargebacksLost: number;
}

export interface CompletenessLedger {
  date: string;
  /** complete: every order matched or healed; incomplete: something pending or mismatched. */
  state: 'complete' | 'incomplete';
  ordersIn2co: number;
  ordersInNs: number;
  counts: Record<LedgerOutcome, number>;
  byCurrency: Record<string, CurrencyTotals>;
  exceptions: LedgerException[];
  /** NetSuite and 2Checkout calls the run made. */
  calls: { netsuite: number; twocheckout: number };
  finishedAt: string;
}

export interface LedgerEntry {
  comparison: OrderComparison;
  outcome: LedgerOutcome;
}

export function buildLedger(input: {
  date: string;
  entries: readonly LedgerEntry[];
  exceptions: readonly LedgerException[];
  nsOnly: number;
  calls: { netsuite: number; twocheckout: number };
  finishedAt: string;
}): CompletenessLedger {
  const counts: Record<LedgerOutcome, number> = { matched: 0, healed: 0, mismatched: 0, pending: 0, void: 0 };
  const acc = new Map<
    string,
    { orders: number; s2: Minor; sn: Minor; refunds: number; r2: Minor; cn: Minor; lost: number; exp: number }
  >();
  for (const { comparison: c, outcome } of input.entries) {
    counts[outcome]++;
    const exp = currencyExponent(c.currency);
    let a = acc.get(c.currency);
    if (!a) acc.set(c.currency, (a = { orders: 0, s2: 0n, sn: 0n, refunds: 0, r2: 0n, cn: 0n, lost: 0, exp }));
    a.orders++;
    if (outcome === 'void') continue;
    a.s2 += toMinor(c.gross, exp);
    a.sn += c.nsSaleTotal !== undefined ? toMinor(c.nsSaleTotal, exp) : 0n;
    const moneyBack = toMinor(c.refunded, exp) + (c.chargebackLost ? toMinor(c.gross, exp) : 0n);
    if (moneyBack > 0n) a.refunds++;
    a.r2 += moneyBack;
    a.cn += toMinor(c.nsCredited, exp);
    if (c.chargebackLost) a.lost++;
  }
  const byCurrency: Record<string, CurrencyTotals> = {};
  for (const [cur, a] of [...acc.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    byCurrency[cur] = {
      orders: a.orders,
      sales2co: formatMinor(a.s2, a.exp),
      salesNs: formatMinor(a.sn, a.exp),
      refunds: a.refunds,
      refunded2co: formatMinor(a.r2, a.exp),
      creditedNs: formatMinor(a.cn, a.exp),
      chargebacksLost: a.lost,
    };
  }
  const inNs = input.entries.filter((e) => e.comparison.nsSaleTotal !== undefined).length + input.nsOnly;
  return {
    date: input.date,
    state:
      counts.pending +
        counts.mismatched +
        input.exceptions.filter((e) => e.reason === 'NOT_IN_2CHECKOUT' || e.reason === 'UNMAPPABLE_ORDER').length ===
      0
        ? 'complete'
        : 'incomplete',
    ordersIn2co: input.entries.length,
    ordersInNs: inNs,
    counts,
    byCurrency,
    exceptions: [...input.exceptions],
    calls: input.calls,
    finishedAt: input.finishedAt,
  };
}

/** One line a controller can read: "2026-03-14: complete, 212 orders (210 matched, 2 healed)". */
export function ledgerHeadline(l: CompletenessLedger): string {
  const parts = (['matched', 'healed', 'mismatched', 'pending', 'void'] as const)
    .filter((k) => l.counts[k] > 0)
    .map((k) => `${l.counts[k]} ${k}`);
  return `${l.date}: ${l.state}, ${l.ordersIn2co} order${l.ordersIn2co === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}${l.exceptions.length ? `, ${l.exceptions.length} exception${l.exceptions.length === 1 ? '' : 's'}` : ''}`;
}
