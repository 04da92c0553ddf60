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
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { AmountMismatchError, MappingError, OverRefundError } from './errors.js';
import { abs, allocate, formatMinor, minorToNumber, sum, toMinor, type Minor } from './money.js';
import { computeOrderAmounts } from './order-amounts.js';
import { resolveCurrency, resolveProduct } from './resolve.js';
import { type NsItemLine, type NsRef, type SalePartKind } from './sale-records.js';
import { creditableParts, type CreditablePart, type PriorCredit, type SourceDocument } from './credit-source.js';

export type { RefundCause } from './credit-source.js';

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

function mulDiv(a: Minor, b: Minor, c: Minor): Minor {
  const n = a * b;
  const neg = n < 0n;
  const an = neg ? -n : n;
  let q = an / c;
  if ((an % c) * 2n >= c) q += 1n;
  return neg ? -q : q;
}

const shareOf = (p: CreditablePart, amount: Minor): CreditShare => ({
  key: p.key,
  kind: p.kind,
  amount,
  posted: p.posted,
});

function sharesProRata(
  parts: CreditablePart[],
  amount: Minor,
  overRefund: (left: Minor) => OverRefundError,
): CreditShare[] {
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
function sharesByLine(
  event: OrderEvent,
  parts: CreditablePart[],
  amount: Minor,
  config: MappingConfig,
): CreditShare[] | undefined {
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
    const largest = [...byKey.entries()]
      .filter(([k]) => k !== 'tax')
      .sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0))[0];
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
  let amount = input.amount ?? abs(toMinor(event.totals.general, exponent));
  if (amount <= 0n) {
    throw new AmountMismatchError(
      'AMOUNT_MISMATCH',
      `${input.what} of order ${event.refNo} has no amount (IPN_TOTALGENERAL is 0): nothing to credit; skip this step with a reason`,
      'totals.general',
    );
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
  // Where 2Checkout has more decimals than NetSuite (KWD: 10.125 + 10.125 refunded of 20.250, each
  // rounded to 10.13 against a sale of 20.25), the credits already posted may have taken up to half a
  // NetSuite unit each too much: the last refund then takes what is left, so the credits add up to
  // the sale exactly.
  const roundingSlack =
    currency && resolveCurrency(event.currency, config).sourceExponent > exponent ? BigInt(input.prior.length) : 0n;
  if (amount > creditable && creditable > 0n && amount - creditable <= roundingSlack) amount = creditable;
  if (amount > creditable) throw overRefund(creditable < 0n ? 0n : creditable);

  const parts = creditableParts(source, input.prior, config);
  const byLine = input.amount === undefined ? sharesByLine(event, parts, amount, config) : undefined;
  const shares = byLine ?? sharesProRata(parts, amount, (left) => overRefund(left, `the lines of ${doc}`));
  const total = sum(shares.map((s) => s.amount));
  if (total !== amount) throw new Error(`internal: credit allocation adds up to ${f(total)}, not ${f(amount)}`);
  const partByKey = new Map(parts.map((p) => [p.key, p]));
  for (const s of shares) {
    const p = partByKey.get(s.key)!;
    if (abs(s.amount) > abs(p.remaining) || (s.amount !== 0n && s.amount > 0n !== p.original > 0n)) {
      const where =
        p.position !== undefined ? ` (line ${p.position + 1}${p.description ? `, ${p.description}` : ''})` : '';
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

const ref = (id: string | undefined): NsRef | undefined => (id === undefined ? undefined : { id });

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
