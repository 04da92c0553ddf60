// Pure builders for money that goes back to the shopper: which lines a credit memo (or cash
// refund) carries, where the refund is paid from, what a dispute update writes, and what a void
// does to an invoice. No I/O: activities read NetSuite, call these, and write what they return.
//
// The allocation works on the NetSuite ledger, not on the 2Checkout sale IPN: the source document
// (the invoice or cash sale as posted) minus the credits already posted from it. A refund that
// arrives after the order's workflow ended (a new run that never saw the sale IPN) is allocated
// exactly like one that arrives a minute after the sale, and credits posted by hand count too.
//
//  • byLine:  the refund IPN names products with amounts that explain IPN_TOTALGENERAL: each
//             named product is credited on its own invoice line (with its discount), its VAT on
//             the tax line, shipping on the shipping line.
//  • proRata: otherwise (a refund "of an amount"), the amount is split over what is still
//             uncredited on every part of the sale (each item with its discount, tax, shipping),
//             largest remainder first, so lines and header add up to the cent.
import type { DisputeOutcome, ParkDetails } from './sync-types.js';
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { AmountMismatchError, MappingError, OverRefundError } from './errors.js';
import { externalIds } from './ids.js';
import { abs, allocate, formatMinor, minorToNumber, sum, toMinor, type Minor } from './money.js';
import { computeOrderAmounts } from './order-amounts.js';
import { customFieldValues, mappingFileOf, resolvePayment, resolveProduct } from './resolve.js';
import { buildSaleLines, isoDate, type NsItemLine, type NsRef, type SalePartKind } from './sale-records.js';

export type RefundCause = 'refund' | 'chargeback';

/** One item line of a NetSuite sales document, amounts in minor units (signed: discounts negative). */
export interface LedgerLine {
  /** NetSuite line id, when NetSuite sent one. */
  line?: number;
  item: string;
  amount: Minor;
  quantity?: number;
  rate?: number;
  description?: string;
  department?: string;
  class?: string;
  location?: string;
  taxCode?: string;
  revRecStartDate?: string;
  revRecEndDate?: string;
}

/** The invoice or cash sale a credit is made from, as NetSuite shows it. */
export interface SourceDocument {
  type: 'invoice' | 'cashSale';
  id: string;
  /** Document number for messages (tranId), else the internal id. */
  label: string;
  currencyId?: string;
  total: Minor;
  /** What the customer still owes on an invoice (0 when paid). */
  amountRemaining?: Minor;
  lines: LedgerLine[];
}

/**
 * The invoice a sale would be posted as (the sale's lines as the sales order carries them), for
 * previews: the same credit planner then shows exactly what a refund would post.
 */
export function saleAsSourceDocument(sale: OrderEvent, config: MappingConfig): SourceDocument {
  const s = buildSaleLines(sale, config);
  const exponent = s.exponent;
  const lines: LedgerLine[] = s.lines.map((l, i) => ({
    line: i + 1,
    item: l.item.id,
    amount: toMinor(l.amount.toFixed(exponent), exponent),
    ...(l.quantity !== undefined ? { quantity: l.quantity } : {}),
    ...(l.rate !== undefined ? { rate: l.rate } : {}),
    ...(l.description !== undefined ? { description: l.description } : {}),
    ...(l.class ? { class: l.class.id } : {}),
  }));
  // Under tax.mode none NetSuite adds the tax itself: the total is still what the shopper paid.
  return { type: 'invoice', id: 'preview', label: `invoice of ${sale.refNo}`, total: s.paidTotal, amountRemaining: 0n, lines };
}

/** A credit memo (or cash refund) already posted from the source document. */
export interface PriorCredit {
  id: string;
  externalId?: string;
  label: string;
  /** Magnitude of the credit's total. */
  total: Minor;
  lines: LedgerLine[];
}

export interface CreditablePart {
  /** line:<n>, discount:<n>, tax, shipping (n = position of the 2Checkout line = product ordinal). */
  key: string;
  kind: SalePartKind;
  position?: number;
  item: string;
  description?: string;
  /** On the source document, signed. */
  original: Minor;
  /** Not yet credited, signed like `original`. */
  remaining: Minor;
  /** false for the tax NetSuite computes itself (tax.mode none): credited by NetSuite, not by a line. */
  posted: boolean;
  source?: LedgerLine;
}

export interface CreditShare {
  key: string;
  kind: SalePartKind;
  amount: Minor;
  posted: boolean;
}

export interface CreditPlan {
  method: 'byLine' | 'proRata';
  /** What is credited (magnitude), decimal string in the order currency. */
  amount: string;
  amountMinor: Minor;
  exponent: number;
  shares: CreditShare[];
  /** `item.items[]` of the credit memo / cash refund (sent with `?replace=item`). */
  lines: NsItemLine[];
  /** Σ lines; equals `amount` unless NetSuite adds the tax itself (tax.mode none). */
  postedTotal: string;
  /** Source total − credits already posted, before this one. */
  creditableBefore: string;
}

const ref = (id: string | undefined): NsRef | undefined => (id === undefined ? undefined : { id });

function kindOf(item: string, config: MappingConfig): SalePartKind {
  if (config.tax.mode === 'line' && item === config.tax.item) return 'tax';
  if (config.discounts.mode === 'line' && item === config.discounts.item) return 'discount';
  if (config.shipping.item !== undefined && item === config.shipping.item) return 'shipping';
  return 'product';
}

const clampRemaining = (original: Minor, remaining: Minor): Minor =>
  original >= 0n ? (remaining < 0n ? 0n : remaining) : remaining > 0n ? 0n : remaining;

/**
 * The parts of the source document and what is left of each. Product lines are counted in order
 * (our sales orders have one product line per 2Checkout line, so the n-th product line is line n);
 * a discount line belongs to the product line before it (NetSuite's own rule for Discount items).
 * Earlier credits are matched to parts by item and description, greedily in line order.
 */
export function creditableParts(source: SourceDocument, prior: readonly PriorCredit[], config: MappingConfig): CreditablePart[] {
  const parts: CreditablePart[] = [];
  const keys = new Set<string>();
  const uniqueKey = (k: string, i: number) => (keys.has(k) ? `${k}#${i}` : k);
  let position = -1;
  source.lines.forEach((l, i) => {
    let kind = kindOf(l.item, config);
    if (kind === 'discount' && position < 0) kind = 'product';
    if (kind === 'product') position++;
    const base = kind === 'product' ? `line:${position}` : kind === 'discount' ? `discount:${position}` : kind;
    const key = uniqueKey(base, i);
    keys.add(key);
    parts.push({
      key,
      kind,
      ...(kind === 'product' || kind === 'discount' ? { position } : {}),
      item: l.item,
      ...(l.description !== undefined ? { description: l.description } : {}),
      original: l.amount,
      remaining: l.amount,
      posted: true,
      source: l,
    });
  });
  const lineSum = (lines: readonly LedgerLine[]) => sum(lines.map((l) => l.amount));
  if (!parts.some((p) => p.kind === 'tax')) {
    // tax.mode none: the tax NetSuite added is the difference between the total and the lines.
    const computedTax = config.tax.mode === 'none' ? source.total - lineSum(source.lines) : 0n;
    const tax: CreditablePart = { key: 'tax', kind: 'tax', item: config.tax.item ?? '', original: computedTax, remaining: computedTax, posted: config.tax.mode === 'line' };
    if (config.tax.mode === 'line') tax.description = config.tax.description;
    parts.push(tax);
  }

  for (const credit of prior) {
    for (const l of credit.lines) {
      const sameItem = parts.filter((p) => p.posted && p.item === l.item && (p.original >= 0n) === (l.amount >= 0n));
      const sameText = sameItem.filter((p) => l.description === undefined || p.description === l.description);
      const candidates = sameText.length > 0 ? sameText : sameItem;
      let left = l.amount;
      for (const p of candidates) {
        if (left === 0n) break;
        const take = abs(left) < abs(p.remaining) ? left : p.remaining;
        p.remaining -= take;
        left -= take;
      }
      // More than the matching lines held (a hand-made credit?): the header check still counts it.
    }
    const unpostedTax = parts.find((p) => p.kind === 'tax' && !p.posted);
    if (unpostedTax) unpostedTax.remaining -= credit.total - lineSum(credit.lines);
  }
  for (const p of parts) p.remaining = clampRemaining(p.original, p.remaining);
  return parts;
}

/** round(a × b / c), half away from zero; c > 0. */
function mulDiv(a: Minor, b: Minor, c: Minor): Minor {
  const n = a * b;
  const neg = n < 0n;
  const an = neg ? -n : n;
  let q = an / c;
  if ((an % c) * 2n >= c) q += 1n;
  return neg ? -q : q;
}

const shareOf = (p: CreditablePart, amount: Minor): CreditShare => ({ key: p.key, kind: p.kind, amount, posted: p.posted });

function sharesProRata(parts: CreditablePart[], amount: Minor, overRefund: (left: Minor) => OverRefundError): CreditShare[] {
  const groups = new Map<string, CreditablePart[]>();
  for (const p of parts) {
    const g = p.position !== undefined ? `pos:${p.position}` : p.key;
    groups.set(g, [...(groups.get(g) ?? []), p]);
  }
  const list = [...groups.values()];
  const left = list.map((g) => sum(g.map((p) => p.remaining)));
  const weights = left.map((x) => (x > 0n ? x : 0n));
  if (sum(weights) < amount) throw overRefund(sum(weights));
  const perGroup = allocate(amount, weights);
  const shares: CreditShare[] = [];
  list.forEach((group, gi) => {
    const a = perGroup[gi]!;
    const discounts = group.filter((p) => p.kind === 'discount');
    const others = group.filter((p) => p.kind !== 'discount');
    if (discounts.length === 0 && others.length === 1) {
      shares.push(shareOf(others[0]!, a));
      return;
    }
    // An item with its discount: the discount gives back its proportion of the group; the rest
    // is split over the group's non-discount lines by what is left on them.
    const g = left[gi]!;
    let given = 0n;
    for (const d of discounts) {
      const dShare = g > 0n ? -mulDiv(a, -d.remaining, g) : 0n;
      shares.push(shareOf(d, dShare));
      given += dShare;
    }
    const rest = a - given;
    const w = others.map((p) => (p.remaining > 0n ? p.remaining : 0n));
    const split = sum(w) > 0n ? allocate(rest, w) : others.map((_, i) => (i === 0 ? rest : 0n));
    others.forEach((p, i) => shares.push(shareOf(p, split[i]!)));
  });
  return shares;
}

/**
 * The refund IPN's own lines, when they carry amounts that explain the refund total; undefined
 * (→ pro rata) when they do not, or name a product the invoice does not have.
 */
function sharesByLine(event: OrderEvent, parts: CreditablePart[], amount: Minor, config: MappingConfig): CreditShare[] | undefined {
  let r;
  try {
    r = computeOrderAmounts(event, config);
  } catch {
    return undefined;
  }
  const tolerance = BigInt(config.fx.residueTolerance);
  if (r.lines.every((l) => l.net + l.vat === 0n) || abs(amount - r.computedTotal) > tolerance) return undefined;

  const byKey = new Map<string, Minor>(parts.map((p) => [p.key, 0n]));
  const add = (key: string, v: Minor) => byKey.set(key, byKey.get(key)! + v);
  const products = parts.filter((p) => p.kind === 'product');
  const used = new Set<CreditablePart>();
  for (const [i, rl] of event.lines.entries()) {
    const ra = r.lines[i]!;
    if (ra.net + ra.vat === 0n) continue;
    let item: string;
    try {
      item = resolveProduct(rl, config, i).target.item;
    } catch {
      return undefined;
    }
    const samePos = products.find((p) => p.position === i && p.item === item && !used.has(p));
    const part = samePos ?? products.find((p) => p.item === item && !used.has(p));
    if (!part) return undefined;
    used.add(part);
    const discount = parts.find((p) => p.kind === 'discount' && p.position === part.position);
    if (discount && ra.discount > 0n) {
      add(part.key, ra.gross);
      add(discount.key, -ra.discount);
    } else add(part.key, ra.net);
    add('tax', ra.vat);
  }
  add('tax', r.shippingTax);
  if (r.shipping > 0n) {
    const shipping = parts.find((p) => p.kind === 'shipping');
    if (!shipping) return undefined;
    add(shipping.key, r.shipping);
  }
  // Rounding within tolerance goes to the tax part, as on the sale; when the tax part cannot take
  // it (no VAT on the order), to the largest line credited.
  const residue = amount - r.computedTotal;
  const tax = parts.find((p) => p.key === 'tax')!;
  const taxAfter = byKey.get('tax')! + residue;
  if (residue === 0n || (tax.posted && taxAfter >= 0n && taxAfter <= tax.remaining)) add('tax', residue);
  else {
    const largest = [...byKey.entries()].filter(([k]) => k !== 'tax').sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0))[0];
    if (!largest) return undefined;
    add(largest[0], residue);
  }
  return parts.map((p) => shareOf(p, byKey.get(p.key)!));
}

export interface PlanCreditInput {
  /** The refund / chargeback / void event (amounts may be negative, as 2Checkout sends them). */
  event: OrderEvent;
  source: SourceDocument;
  prior: readonly PriorCredit[];
  config: MappingConfig;
  exponent: number;
  /** What to credit (magnitude); default |IPN_TOTALGENERAL| of the event. Given → pro rata only. */
  amount?: Minor;
  /** Says what is credited in messages, e.g. "refund 123" or "lost chargeback 456". */
  what: string;
}

/** The credit memo (or cash refund) lines for one money-back event. Throws OverRefund / AmountMismatch. */
export function planCredit(input: PlanCreditInput): CreditPlan {
  const { event, source, config, exponent } = input;
  const f = (m: Minor) => formatMinor(m, exponent);
  const doc = `${source.type === 'cashSale' ? 'cash sale' : 'invoice'} ${source.label}`;
  const currency = config.currencies[event.currency];
  if (source.currencyId !== undefined && currency !== undefined && currency.id !== source.currencyId) {
    throw new MappingError(
      'AMOUNT_MISMATCH',
      `${input.what} of order ${event.refNo} is in ${event.currency} but ${doc} is in another currency (NetSuite currency ${source.currencyId}); it cannot be credited automatically. Credit it by hand, then skip this step with a reason`,
      'currency',
    );
  }
  const amount = input.amount ?? abs(toMinor(event.totals.general, exponent));
  if (amount <= 0n) {
    throw new AmountMismatchError('AMOUNT_MISMATCH', `${input.what} of order ${event.refNo} has no amount (IPN_TOTALGENERAL is 0): nothing to credit; skip this step with a reason`, 'totals.general');
  }
  const credited = sum(input.prior.map((c) => c.total));
  const creditable = source.total - credited;
  const priorText = input.prior.length === 0 ? 'none' : input.prior.map((c) => `${c.label} ${f(c.total)}`).join(', ');
  const overRefund = (left: Minor, on = doc) =>
    new OverRefundError(
      `${input.what} of order ${event.refNo} is ${f(amount)} ${event.currency}, but only ${f(left)} remains refundable on ${on} ` +
        `(total ${f(source.total)}; credits already posted from it: ${priorText}). Nothing was posted. ` +
        `Check the refunds of this order in 2Checkout and in NetSuite: if a credit in NetSuite is wrong, correct it and retry; ` +
        `if the money really went back twice, credit the difference by hand and skip this step with a reason`,
      'totals.general',
    );
  if (amount > creditable) throw overRefund(creditable < 0n ? 0n : creditable);

  const parts = creditableParts(source, input.prior, config);
  const byLine = input.amount === undefined ? sharesByLine(event, parts, amount, config) : undefined;
  const shares = byLine ?? sharesProRata(parts, amount, (left) => overRefund(left, `the lines of ${doc}`));
  const total = sum(shares.map((s) => s.amount));
  if (total !== amount) throw new Error(`internal: credit allocation adds up to ${f(total)}, not ${f(amount)}`);
  const partByKey = new Map(parts.map((p) => [p.key, p]));
  for (const s of shares) {
    const p = partByKey.get(s.key)!;
    if (abs(s.amount) > abs(p.remaining) || (s.amount !== 0n && (s.amount > 0n) !== (p.original > 0n))) {
      const where = p.position !== undefined ? ` (line ${p.position + 1}${p.description ? `, ${p.description}` : ''})` : '';
      throw new OverRefundError(
        `${input.what} of order ${event.refNo} gives back ${f(abs(s.amount))} ${event.currency} on ${s.kind}${where}, but only ` +
          `${f(abs(p.remaining))} is left on it in ${doc} (credits already posted: ${priorText}). Nothing was posted. ` +
          `Check the refunds of this order in 2Checkout and in NetSuite, then retry or skip this step with a reason`,
        p.position !== undefined ? `lines[${p.position}]` : `totals.${s.kind}`,
      );
    }
  }
  return {
    method: byLine ? 'byLine' : 'proRata',
    amount: f(amount),
    amountMinor: amount,
    exponent,
    shares,
    lines: creditLines(shares, parts, exponent),
    postedTotal: f(sum(shares.filter((s) => s.posted).map((s) => s.amount))),
    creditableBefore: f(creditable),
  };
}

/** The credit's lines in the source document's order: a Discount item applies to the line before it. */
function creditLines(shares: CreditShare[], parts: readonly CreditablePart[], exponent: number): NsItemLine[] {
  const shareByKey = new Map(shares.map((s) => [s.key, s]));
  const lines: NsItemLine[] = [];
  for (const p of parts) {
    const s = shareByKey.get(p.key);
    if (!s || !s.posted || s.amount === 0n) continue;
    const src = p.source;
    const line: NsItemLine = { item: { id: p.item }, amount: minorToNumber(s.amount, exponent) };
    if (p.description !== undefined) line.description = p.description;
    if (p.kind === 'product') {
      // A whole, never-credited line keeps its quantity and price; a part of one is one unit of that amount.
      const whole = s.amount === p.original && p.remaining === p.original;
      line.quantity = whole && src?.quantity !== undefined ? src.quantity : 1;
      line.rate = whole && src?.rate !== undefined ? src.rate : minorToNumber(s.amount, exponent);
    }
    for (const seg of ['department', 'class', 'location', 'taxCode'] as const) {
      const r = ref(src?.[seg]);
      if (r) line[seg] = r;
    }
    if (src?.revRecStartDate) line.revRecStartDate = src.revRecStartDate;
    if (src?.revRecEndDate) line.revRecEndDate = src.revRecEndDate;
    lines.push(line);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Where a refund is paid from, and the transform bodies

export interface RefundPayout {
  account: string;
  /** Payment-method field name (paymentOption / paymentMethod) and value, when configured. */
  field: string;
  paymentOption?: string;
  /** Which mapping key decided the account (for logs and the docs). */
  from: 'refunds.chargebackAccount' | 'refunds.chargebackAccountByCurrency' | 'refunds.accountByPaymentMethod' | 'paymentMethods';
}

/**
 * The account money goes back out of: for a lost chargeback the configured chargeback account
 * (the card network took the money; no payment method is involved); for a refund the refund
 * account of the payment method, else the account the payment was deposited to.
 */
export function resolveRefundPayout(event: OrderEvent, config: MappingConfig, cause: RefundCause): RefundPayout {
  const field = config.paymentMethods.field;
  if (cause === 'chargeback') {
    const account = config.refunds.chargebackAccountByCurrency[event.currency] ?? config.refunds.chargebackAccount;
    if (account === undefined) {
      throw new MappingError(
        'MAPPING_ERROR',
        `order ${event.refNo} lost a chargeback, but no chargeback account is configured for ${event.currency}: set refunds.chargebackAccount ` +
          `(or refunds.chargebackAccountByCurrency.${event.currency}) in ${mappingFileOf(config)} to the internal id of the account chargebacks are paid out of, then retry`,
        'refunds.chargebackAccount',
      );
    }
    return { account, field, from: config.refunds.chargebackAccountByCurrency[event.currency] !== undefined ? 'refunds.chargebackAccountByCurrency' : 'refunds.chargebackAccount' };
  }
  const byMethod = config.refunds.accountByPaymentMethod[event.paymentMethod];
  if (byMethod !== undefined) {
    const option = (config.paymentMethods.byCode[event.paymentMethod] ?? config.paymentMethods.default)?.paymentOption;
    return { account: byMethod, field, ...(option !== undefined ? { paymentOption: option } : {}), from: 'refunds.accountByPaymentMethod' };
  }
  const payment = resolvePayment(event, config);
  return { account: payment.account, field, ...(payment.paymentOption !== undefined ? { paymentOption: payment.paymentOption } : {}), from: 'paymentMethods' };
}

function memoOf(event: OrderEvent, cause: RefundCause): string {
  if (cause === 'chargeback') return `2Checkout chargeback lost: order ${event.refNo}${event.chargeback?.reasonCode ? ` (${event.chargeback.reasonCode})` : ''}`;
  return `2Checkout ${event.refund?.type?.toLowerCase() === 'partial' ? 'partial refund' : 'refund'}: order ${event.refNo}`;
}

function commonFields(event: OrderEvent, config: MappingConfig, cause: RefundCause): Record<string, unknown> {
  const tranDate = isoDate(event.ipnDate);
  return {
    ...(tranDate ? { tranDate } : {}),
    memo: memoOf(event, cause),
    ...customFieldValues(event, config.customFields.transaction),
  };
}

const payoutFields = (p: RefundPayout): Record<string, unknown> => ({
  account: { id: p.account },
  ...(p.paymentOption !== undefined ? { [p.field]: { id: p.paymentOption } } : {}),
});

export interface TransformBody {
  externalId: string;
  body: Record<string, unknown>;
}

/** `POST /invoice/{id}/!transform/creditMemo?replace=item`: the allocated lines only. */
export function buildCreditMemoTransform(event: OrderEvent, plan: CreditPlan, config: MappingConfig, cause: RefundCause): TransformBody {
  const externalId = externalIds.creditMemo(event.refNo, event.eventRef);
  return { externalId, body: { externalId, otherRefNum: event.refNo, ...commonFields(event, config, cause), item: { items: plan.lines } } };
}

/** `POST /creditMemo/{id}/!transform/customerRefund`: pays out what the credit memo left unapplied. */
export function buildCustomerRefundTransform(event: OrderEvent, config: MappingConfig, cause: RefundCause): TransformBody {
  const externalId = externalIds.customerRefund(event.refNo, event.eventRef);
  return { externalId, body: { externalId, ...commonFields(event, config, cause), ...payoutFields(resolveRefundPayout(event, config, cause)) } };
}

/**
 * Cash-sale mode: `POST /cashSale/{id}/!transform/cashRefund?replace=item`, credit and pay-out in
 * one record. It takes the credit memo's externalId (`2co-cm-…`): it plays that role, and the
 * record look-up of a later run finds it there.
 */
export function buildCashRefundTransform(event: OrderEvent, plan: CreditPlan, config: MappingConfig, cause: RefundCause): TransformBody {
  const externalId = externalIds.creditMemo(event.refNo, event.eventRef);
  return {
    externalId,
    body: {
      externalId,
      otherRefNum: event.refNo,
      ...commonFields(event, config, cause),
      ...payoutFields(resolveRefundPayout(event, config, cause)),
      item: { items: plan.lines },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Disputes

/** CHARGEBACK_RESOLUTION → outcome, by the configured values (case-insensitive); undefined when unknown. */
export function classifyDispute(resolution: string, config: MappingConfig): DisputeOutcome | undefined {
  const value = resolution.trim().toUpperCase();
  const table = config.refunds.chargebackResolutions;
  for (const outcome of ['none', 'open', 'won', 'lost'] as const) {
    if (table[outcome].some((v) => v.trim().toUpperCase() === value)) return outcome;
  }
  return undefined;
}

export function unknownDisputeDetails(event: OrderEvent, config: MappingConfig): ParkDetails {
  const t = config.refunds.chargebackResolutions;
  const list = (['none', 'open', 'won', 'lost'] as const).map((k) => `${k}: [${t[k].join(', ')}]`).join('; ');
  return {
    reason: 'UNKNOWN_DISPUTE_RESOLUTION',
    message:
      `order ${event.refNo} has CHARGEBACK_RESOLUTION ${JSON.stringify(event.chargeback?.resolution ?? '')}, which is not one of the configured values (${list}). ` +
      `Nothing was written. Find out in the 2Checkout Control Panel what it means, add it under refunds.chargebackResolutions in ${mappingFileOf(config)}, then retry`,
    path: 'chargeback.resolution',
  };
}

/** Body fields that record a dispute on a sale document: the configured field and the memo. */
export function disputeFields(event: OrderEvent, config: MappingConfig): Record<string, string> {
  const resolution = (event.chargeback?.resolution ?? 'NONE').trim().toUpperCase();
  const reason = event.chargeback?.reasonCode?.trim() || 'UNKNOWN';
  const date = isoDate(event.ipnDate) ?? event.ipnDate;
  const state = `${resolution} (${reason}) ${date}`;
  return {
    // The memo keeps the order reference it had, so nothing of ours is lost by rewriting it.
    memo: `2Checkout order ${event.refNo} · chargeback ${state}`,
    ...(config.refunds.disputeField !== undefined ? { [config.refunds.disputeField]: state } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Voids (REVERSED / CANCELED)

export type InvoiceVoidDecision =
  | { action: 'credit'; amount: Minor }
  | { action: 'none'; why: string }
  | { action: 'park'; details: ParkDetails };

/**
 * What a void does to an existing invoice. Nothing received → a credit memo for what is still
 * open, applied to it. Money recorded as received → do not guess: a void after capture is
 * followed by a REFUND IPN (docs/reference-notes.md#2co-ipn-fields), which posts the credit and the refund.
 */
export function decideInvoiceVoid(input: {
  event: OrderEvent;
  invoice: { label: string; total: Minor; remaining: Minor };
  /** Σ of the credit memos already posted from the invoice (magnitudes). */
  credited: Minor;
  paymentId?: string;
  exponent: number;
}): InvoiceVoidDecision {
  const { event, invoice, credited, exponent } = input;
  const f = (m: Minor) => formatMinor(m, exponent);
  if (credited >= invoice.total) return { action: 'none', why: `invoice ${invoice.label} is credited in full already` };
  const received = invoice.total - invoice.remaining - credited;
  if (input.paymentId !== undefined || received > 0n) {
    const message =
      `order ${event.refNo} was ${event.status} in 2Checkout, but NetSuite shows it paid: invoice ${invoice.label} ` +
      `(total ${f(invoice.total)} ${event.currency}, open ${f(invoice.remaining)}${input.paymentId ? `, payment ${input.paymentId}` : ''}). Nothing was changed. ` +
      `2Checkout follows a void of a captured payment with a REFUND IPN, which posts the credit memo and the refund: when it has arrived, ` +
      `skip this step with a reason and the refund is posted. If no refund comes, check the order in 2Checkout and credit it by hand.`;
    return { action: 'park', details: { reason: 'PAID_ORDER_VOIDED', message } };
  }
  if (invoice.remaining <= 0n) return { action: 'none', why: `invoice ${invoice.label} has nothing open` };
  return { action: 'credit', amount: invoice.remaining };
}

/** `POST /invoice/{id}/!transform/creditMemo?replace=item` for a void: the open amount, applied to the invoice. */
export function buildVoidCreditMemoTransform(event: OrderEvent, plan: CreditPlan, config: MappingConfig): TransformBody {
  const externalId = externalIds.creditMemo(event.refNo, event.eventRef);
  const tranDate = isoDate(event.ipnDate);
  return {
    externalId,
    body: {
      externalId,
      ...(tranDate ? { tranDate } : {}),
      otherRefNum: event.refNo,
      memo: `2Checkout order ${event.refNo} ${event.status.toLowerCase()}: unpaid invoice credited`,
      ...customFieldValues(event, config.customFields.transaction),
      item: { items: plan.lines },
    },
  };
}

/** Sales order lines a void closes: open and not billed in full (billed lines are credited instead). */
export function linesToClose(lines: ReadonlyArray<{ line?: number; isClosed?: boolean; quantity?: number; quantityBilled?: number }>): Array<{ line: number; isClosed: true }> {
  return lines
    .filter((l): l is typeof l & { line: number } => typeof l.line === 'number' && l.isClosed !== true && (l.quantityBilled ?? 0) < (l.quantity ?? 1))
    .map((l) => ({ line: l.line, isClosed: true as const }));
}
