// What NetSuite's ledger holds for the documents a payout covers, and which of them this payout
// relieves. Pure and workflow-safe. The activity reads each covered payment, cash sale and refund
// with its main accounting line (SuiteQL: the account its money sits in and its value in the
// subsidiary's base currency) and the lines of other payout entries that relieved it; this module
// decides, without guessing:
//   - which NetSuite documents the payout relieves (a refund the payout deducts is matched to the
//     refund records of that order that no other payout relieved);
//   - that each sits in an account a payout may relieve (a clearing account, the chargeback
//     account for refunds, Undeposited Funds for a deposit), and was not relieved by another payout;
//   - its value in the payout currency as NetSuite booked it (read, never recomputed from a rate).
import { MappingError } from './errors.js';
import { externalIds } from './ids.js';
import { formatMinor, toMinor, type Minor } from './money.js';
import { coveredOrders, type Exponents, type PayoutContent } from './payout-amounts.js';

/** One covered NetSuite document as the ledger shows it (the activity's SuiteQL, decoded). */
export interface LedgerDocument {
  refNo: string;
  kind: 'sale' | 'refund';
  externalId: string;
  /** NetSuite internal id. */
  id: string;
  /** Document number (PYMT1005, RFND12…). */
  tranId?: string;
  /** SuiteQL transaction type: CustPymt, CashSale, CustRfnd, CashRfnd. */
  type: string;
  /** The account of its main accounting line: where its money sits. */
  account: string;
  /** Transaction currency (ISO). */
  currency: string;
  subsidiary?: string;
  /** Transaction currency, positive decimal. */
  amount: string;
  /** Its main line's value in the subsidiary's base currency, positive decimal. */
  base: string;
  /** NetSuite shows it as deposited (selected on a bank deposit). */
  deposited?: boolean;
  /** externalIds of payout entries (other than this payout's own) whose lines relieve it, net of reversals. */
  relievedBy?: string[];
}

/** A covered document this payout relieves, valued in the payout currency. */
export interface CoveredDocument {
  refNo: string;
  kind: 'sale' | 'refund';
  externalId: string;
  id: string;
  tranId?: string;
  account: string;
  currency: string;
  /** Transaction currency minor units, positive. */
  foreign: Minor;
  /** Payout-currency minor units as NetSuite booked it, positive. */
  book: Minor;
  /** Sits in Undeposited Funds: a deposit selects it as a payment line. */
  undeposited?: boolean;
}

export interface LedgerRules {
  /** Payout currency and the subsidiary the payout entry posts in. */
  payoutCurrency: string;
  payoutSubsidiary?: string;
  /** Base currency per subsidiary internal id (mapping `subsidiaries`). */
  baseCurrencyOf: (subsidiary: string) => string | undefined;
  exponents: Exponents;
  /** Accounts covered payments may sit in (clearing accounts). */
  clearingAccounts: ReadonlySet<string>;
  /** Further accounts covered refunds may be paid from (chargeback accounts, refund accounts). */
  refundAccounts: ReadonlySet<string>;
  /** Undeposited Funds, when known; only a deposit relieves it. */
  undepositedFunds?: string;
  posting: 'journal' | 'deposit';
  /** externalIds of this reference's other entries (earlier transfers of a PARTIALLY_PAID payout). */
  sameReference: (externalId: string) => boolean;
  file: string;
}

export interface CoveredDocuments {
  documents: CoveredDocument[];
  /** Covered orders (and `<refNo> refund`) with no document in NetSuite yet. */
  missing: string[];
  /** The documents were relieved by an earlier transfer of the same reference: this entry moves money only. */
  relievedEarlier: boolean;
}

/** A covered document is not where the payout would relieve it, or another payout relieved it already. */
export class PayoutLedgerError extends MappingError {
  override readonly name = 'PayoutLedgerError';
  constructor(message: string, path = 'payouts.clearingAccounts') {
    super('PAYOUT_LEDGER_MISMATCH', message, path);
  }
}

const SALE_TYPES = new Set(['CustPymt', 'CashSale']);
const REFUND_TYPES = new Set(['CustRfnd', 'CashRfnd']);

/** Which order a document externalId belongs to, and whether it is a sale's money or a refund's. */
export function documentOf(
  externalId: string,
  refNos: readonly string[],
): { refNo: string; kind: 'sale' | 'refund' } | undefined {
  for (const refNo of refNos) {
    if (externalId === externalIds.customerPayment(refNo) || externalId === externalIds.cashSale(refNo))
      return { refNo, kind: 'sale' };
    if (externalId.startsWith(refundPrefix(refNo)) || externalId.startsWith(cashRefundPrefix(refNo)))
      return { refNo, kind: 'refund' };
  }
  return undefined;
}

/** externalId prefix of an order's customer refunds. */
export const refundPrefix = (refNo: string): string => externalIds.customerRefund(refNo, 'x').slice(0, -1);
/** externalId prefix of an order's cash refunds (cash-sale mode: they take the credit memo's key; a CustCred under it moves no money). */
export const cashRefundPrefix = (refNo: string): string => externalIds.creditMemo(refNo, 'x').slice(0, -1);

/**
 * The documents this payout relieves, checked against the ledger. Throws PayoutLedgerError (every
 * problem in one message) when a document sits where a payout cannot relieve it or another payout
 * relieved it already; PAYOUT_UNSUPPORTED when its value cannot be brought into the payout currency.
 */
export function coveredDocuments(
  content: PayoutContent,
  ledger: readonly LedgerDocument[],
  rules: LedgerRules,
): CoveredDocuments {
  const { sales, refunds } = coveredOrders(content);
  const problems: string[] = [];
  const missing: string[] = [];
  const chosen: LedgerDocument[] = [];
  let sameReference = 0;
  const byRef = new Map<string, LedgerDocument[]>();
  for (const d of ledger) byRef.set(d.refNo, [...(byRef.get(d.refNo) ?? []), d]);
  const otherPayouts = (d: LedgerDocument) => (d.relievedBy ?? []).filter((p) => !rules.sameReference(p));
  const earlierTransfer = (d: LedgerDocument) => (d.relievedBy ?? []).some((p) => rules.sameReference(p));

  for (const refNo of sales) {
    const docs = (byRef.get(refNo) ?? []).filter((d) => d.kind === 'sale' && SALE_TYPES.has(d.type));
    if (docs.length === 0) {
      missing.push(refNo);
      continue;
    }
    if (docs.length > 1)
      problems.push(
        `order ${refNo} has ${docs.length} payment documents in NetSuite (${docs.map(label).join(', ')}): relieve one by hand`,
      );
    const doc = docs[0]!;
    const others = otherPayouts(doc);
    if (others.length > 0) problems.push(`${label(doc)} (order ${refNo}) was already relieved by ${others.join(', ')}`);
    else if (earlierTransfer(doc)) sameReference++;
    else chosen.push(doc);
  }

  for (const [refNo, r] of refunds) {
    const e = rules.exponents(r.currency);
    const wanted = toMinor(r.amount, e);
    const all = (byRef.get(refNo) ?? []).filter((d) => d.kind === 'refund' && REFUND_TYPES.has(d.type));
    const transferred = all.filter((d) => otherPayouts(d).length === 0 && earlierTransfer(d));
    const open = all.filter((d) => otherPayouts(d).length === 0 && !earlierTransfer(d));
    if (transferred.length > 0 && open.length === 0) {
      sameReference++;
      continue;
    }
    // The refunds of this order no other payout relieved, whose amounts add up to what this payout deducts.
    const pick = subsetSumming(open, wanted, (d) => toMinor(d.amount, e));
    if (pick) {
      chosen.push(...pick);
      continue;
    }
    const have = open.reduce((a, d) => a + toMinor(d.amount, e), 0n);
    if (have < wanted) {
      const relieved = all.filter((d) => otherPayouts(d).length > 0);
      if (all.length > 0 && relieved.length === all.length) {
        problems.push(
          `the refunds of order ${refNo} (${relieved.map(label).join(', ')}) were already relieved by ${[...new Set(relieved.flatMap(otherPayouts))].join(', ')}, but this payout deducts ${r.amount} ${r.currency} again`,
        );
      } else missing.push(`${refNo} refund`);
    } else {
      problems.push(
        `order ${refNo}: this payout deducts ${r.amount} ${r.currency} of refunds, but no set of its refunds in NetSuite not relieved before adds up to that (${open.map((d) => `${label(d)} ${d.amount}`).join(', ')})`,
      );
    }
  }

  for (const d of chosen) {
    const where = accountProblem(d, rules);
    if (where) problems.push(where);
  }
  if (problems.length > 0) {
    throw new PayoutLedgerError(
      `payout ${content.reference} cannot relieve what NetSuite shows: ${problems.join('; ')}. ` +
        `Fix: correct the document in NetSuite (or the accounts under payouts / refunds in ${rules.file}), or book this payout by hand and skip it; then retry`,
    );
  }
  const relievedEarlier = chosen.length === 0 && sameReference > 0;
  return {
    documents: missing.length > 0 ? [] : chosen.map((d) => valued(d, content, rules)),
    missing,
    relievedEarlier,
  };
}

function label(d: LedgerDocument): string {
  return `${d.externalId}${d.tranId ? ` (${d.tranId})` : ''}`;
}

/** Why a payout cannot relieve the document from the account it sits in, or undefined. */
function accountProblem(d: LedgerDocument, rules: LedgerRules): string | undefined {
  if (rules.undepositedFunds !== undefined && d.account === rules.undepositedFunds) {
    if (rules.posting !== 'deposit')
      return `${label(d)} sits in Undeposited Funds (account ${d.account}), which only a bank deposit can empty: set payouts.posting: deposit, or post the payment methods' payments to a clearing account`;
    if (d.currency !== rules.payoutCurrency)
      return `${label(d)} is a ${d.currency} document in Undeposited Funds: a ${rules.payoutCurrency} deposit cannot select it; post ${d.currency} payments to a clearing account (paymentMethods accountByCurrency)`;
    if (d.deposited) return `${label(d)} is already deposited in NetSuite`;
    return undefined;
  }
  if (rules.clearingAccounts.has(d.account)) return undefined;
  if (d.kind === 'refund' && rules.refundAccounts.has(d.account)) return undefined;
  const allowed =
    d.kind === 'refund'
      ? 'a clearing account under payouts.clearingAccounts, refunds.chargebackAccount or refunds.accountByPaymentMethod'
      : 'a clearing account under payouts.clearingAccounts';
  return `${label(d)} sits in account ${d.account}, which is not ${allowed}: a payout relieving it there would leave the money where it is`;
}

/** Its value in the payout currency as NetSuite booked it. */
function valued(d: LedgerDocument, content: PayoutContent, rules: LedgerRules): CoveredDocument {
  const P = rules.payoutCurrency;
  const eC = rules.exponents(d.currency);
  const eP = rules.exponents(P);
  const sub = rules.payoutSubsidiary;
  if (sub && d.subsidiary && d.subsidiary !== sub) {
    throw new MappingError(
      'PAYOUT_UNSUPPORTED',
      `payout ${content.reference} covers ${d.externalId}, booked in subsidiary ${d.subsidiary}, but ${P} payouts post in subsidiary ${sub}: one payout entry cannot clear another subsidiary's account. Fix: route this 2Checkout account's orders to one subsidiary (routing in ${rules.file}) or payouts.subsidiaryByCurrency, or book this payout by hand and skip it`,
      'payouts.subsidiary',
    );
  }
  const base = rules.baseCurrencyOf(d.subsidiary || sub || '');
  let book: Minor;
  if (base === P) {
    // NetSuite holds it at its base value: read, never recomputed from a rate.
    book = toMinor(d.base, eP);
  } else if (d.currency === P) {
    // A payout in the document's own currency posted where the base currency is another one: the
    // entry would relieve the clearing account at its own exchange rate, not at the payment's booked
    // base value, and leave the difference in the clearing account for ever.
    throw new MappingError(
      'PAYOUT_UNSUPPORTED',
      `payout ${content.reference} is paid in ${P} and posts in subsidiary ${d.subsidiary || sub}, whose base currency is ${base ?? `unknown: add subsidiaries."${d.subsidiary || sub}".baseCurrency`}: NetSuite would relieve ${d.externalId} (booked at ${d.base} ${base ?? 'base'}) at the entry's own ${P} rate and leave the difference in ${d.account}. Fix: post ${P} payouts in a subsidiary whose base currency is ${P} (payouts.subsidiaryByCurrency.${P}, with the orders routed there), or book this payout by hand with an FX line and skip it`,
      'payouts.subsidiaryByCurrency',
    );
  } else {
    throw new MappingError(
      'PAYOUT_UNSUPPORTED',
      `payout ${content.reference} pays ${d.currency} documents in ${P}, which is not the base currency of their subsidiary (${base ?? `unknown: add subsidiaries."${d.subsidiary || sub}".baseCurrency`}): NetSuite holds those payments at its own ${d.currency} rate and only a base-currency payout can clear them. Fix: the mapping in ${rules.file}, or book this payout by hand and skip it`,
      'payouts.subsidiary',
    );
  }
  return {
    refNo: d.refNo,
    kind: d.kind,
    externalId: d.externalId,
    id: d.id,
    ...(d.tranId ? { tranId: d.tranId } : {}),
    account: d.account,
    currency: d.currency,
    foreign: toMinor(d.amount, eC),
    book,
    ...(rules.undepositedFunds !== undefined && d.account === rules.undepositedFunds ? { undeposited: true } : {}),
  };
}

/** The smallest-first subset of `items` whose values add up to `target` (few refunds per order: exhaustive up to 12). */
function subsetSumming<T>(items: readonly T[], target: Minor, value: (t: T) => Minor): T[] | undefined {
  const all = items.reduce((a, t) => a + value(t), 0n);
  if (all === target) return [...items];
  if (items.length > 12) return undefined;
  for (let mask = 1; mask < 1 << items.length; mask++) {
    let s = 0n;
    const pick: T[] = [];
    items.forEach((t, i) => {
      if (mask & (1 << i)) {
        s += value(t);
        pick.push(t);
      }
    });
    if (s === target) return pick;
  }
  return undefined;
}

/** Documents per currency net (sales − refunds), in each currency's minor units. */
export function documentsNet(documents: readonly CoveredDocument[]): Map<string, Minor> {
  const out = new Map<string, Minor>();
  for (const d of documents)
    out.set(d.currency, (out.get(d.currency) ?? 0n) + (d.kind === 'sale' ? d.foreign : -d.foreign));
  return out;
}

export const formatDocumentAmount = (d: CoveredDocument, exponents: Exponents): string =>
  formatMinor(d.foreign, exponents(d.currency));
