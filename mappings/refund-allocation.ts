// Spreads a refund (or a lost chargeback) over the lines of the sale it gives money back for, so
// the credit memo's lines and its total equal the refunded amount to the cent.
//
//  • byLine:  the refund IPN names the refunded products with amounts that add up to the refund
//             (IPN_TOTALGENERAL): each refunded line credits its own item, discount, VAT and shipping.
//  • proRata: otherwise (a partial refund "of an amount"), the amount is split over what is still
//             unrefunded on every part of the sale (items net of their discounts, tax, shipping)
//             with largest-remainder rounding, then each item's share is split between the item
//             and its discount line in the same proportion.
// Earlier refunds of the same order are replayed first (they are deterministic), so a second
// partial refund is allocated against what the first one left, and no part goes below zero.
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { AmountMismatchError, MappingError, OverRefundError } from './errors.js';
import { abs, allocate, formatMinor, minorToNumber, sum, toMinor, type Minor } from './money.js';
import { computeOrderAmounts } from './order-amounts.js';
import { buildSaleLines, type NsItemLine, type SalePart, type SalePartKind } from './sale-records.js';

export interface RefundPartShare {
  key: string;
  kind: SalePartKind;
  line?: number;
  /** Signed like the sale part (discounts negative), minor units. */
  amount: Minor;
  posted: boolean;
}

export interface RefundAllocation {
  method: 'byLine' | 'proRata';
  /** What goes back to the shopper: |IPN_TOTALGENERAL| of the refund event (decimal string). */
  amount: string;
  amountMinor: Minor;
  exponent: number;
  currency: string;
  shares: RefundPartShare[];
  /** Credit memo `item.items[]` lines. */
  lines: NsItemLine[];
  /** Σ lines (equals `amount` unless tax.mode is none, where SuiteTax adds the tax). */
  postedTotal: string;
}

export interface AllocateRefundInput {
  /** The sale event the refund belongs to (the order as paid). */
  sale: OrderEvent;
  /** The refund / chargeback event (amounts may be negative, as 2Checkout sends them). */
  refund: OrderEvent;
  /** Refunds of the same order already posted, oldest first. */
  previousRefunds?: OrderEvent[];
  config: MappingConfig;
}

export function allocateRefund(input: AllocateRefundInput): RefundAllocation {
  const { sale, refund, config } = input;
  const saleLines = buildSaleLines(sale, config);
  const remaining = new Map(saleLines.parts.map((p) => [p.key, p.amount]));
  for (const prev of input.previousRefunds ?? []) {
    const done = allocateOne(sale, prev, saleLines.parts, remaining, saleLines.exponent, config);
    for (const s of done.shares) remaining.set(s.key, remaining.get(s.key)! - s.amount);
  }
  return allocateOne(sale, refund, saleLines.parts, remaining, saleLines.exponent, config);
}

function allocateOne(
  sale: OrderEvent,
  refund: OrderEvent,
  parts: SalePart[],
  remaining: ReadonlyMap<string, Minor>,
  exponent: number,
  config: MappingConfig,
): RefundAllocation {
  if (refund.currency !== sale.currency) {
    throw new MappingError(
      'AMOUNT_MISMATCH',
      `refund ${refund.eventRef} of order ${sale.refNo} is in ${refund.currency} but the sale was in ${sale.currency}; it cannot be credited automatically`,
      'currency',
    );
  }
  const amount = abs(toMinor(refund.totals.general, exponent));
  const f = (m: Minor) => formatMinor(m, exponent);
  if (amount === 0n) {
    throw new AmountMismatchError('AMOUNT_MISMATCH', `refund ${refund.eventRef} of order ${sale.refNo} has no amount (IPN_TOTALGENERAL is 0)`, 'totals.general');
  }
  const left = sum([...remaining.values()]);
  if (amount > left) {
    throw new OverRefundError(
      `refund ${refund.eventRef} of order ${sale.refNo} is ${f(amount)} ${sale.currency} but only ${f(left)} is left unrefunded: ` +
        `check the refunds of this order in 2Checkout and NetSuite, then skip or retry`,
      'totals.general',
    );
  }
  const byLine = sharesByLine(sale, refund, parts, remaining, amount, exponent, config);
  const shares = byLine ?? sharesProRata(parts, remaining, amount);
  const total = sum(shares.map((s) => s.amount));
  if (total !== amount) throw new Error(`internal: refund allocation adds up to ${f(total)}, not ${f(amount)}`);

  const partByKey = new Map(parts.map((p) => [p.key, p]));
  const lines: NsItemLine[] = [];
  for (const s of shares) {
    if (!s.posted || s.amount === 0n) continue;
    const part = partByKey.get(s.key)!;
    const full = s.amount === part.amount;
    const { quantity, rate, ...rest } = part.nsLine;
    const line: NsItemLine = { ...rest, amount: minorToNumber(s.amount, exponent) };
    if (part.kind === 'product') {
      // A whole line keeps its quantity and price; a part of a line is credited as one unit of that amount.
      line.quantity = full && quantity !== undefined ? quantity : 1;
      line.rate = full && rate !== undefined ? rate : minorToNumber(s.amount, exponent);
    }
    lines.push(line);
  }
  return {
    method: byLine ? 'byLine' : 'proRata',
    amount: f(amount),
    amountMinor: amount,
    exponent,
    currency: sale.currency,
    shares,
    lines,
    postedTotal: f(sum(shares.filter((s) => s.posted).map((s) => s.amount))),
  };
}

const shareOf = (p: SalePart, amount: Minor): RefundPartShare => ({
  key: p.key,
  kind: p.kind,
  ...(p.line !== undefined ? { line: p.line } : {}),
  amount,
  posted: p.posted,
});

/** round(a × b / c), half away from zero; c > 0. */
function mulDiv(a: Minor, b: Minor, c: Minor): Minor {
  const n = a * b;
  const neg = n < 0n;
  const an = neg ? -n : n;
  let q = an / c;
  if ((an % c) * 2n >= c) q += 1n;
  return neg ? -q : q;
}

function sharesProRata(parts: SalePart[], remaining: ReadonlyMap<string, Minor>, amount: Minor): RefundPartShare[] {
  // Groups: each product with its discount (net amount), the tax, the shipping.
  const groups = new Map<string, SalePart[]>();
  for (const p of parts) {
    const g = p.line !== undefined ? `line:${p.line}` : p.key;
    groups.set(g, [...(groups.get(g) ?? []), p]);
  }
  const list = [...groups.values()];
  const left = list.map((g) => sum(g.map((p) => remaining.get(p.key)!)));
  const perGroup = allocate(amount, left.map((x) => (x > 0n ? x : 0n)));
  const shares: RefundPartShare[] = [];
  list.forEach((group, gi) => {
    const a = perGroup[gi]!;
    const product = group.find((p) => p.kind !== 'discount')!;
    const discount = group.find((p) => p.kind === 'discount');
    if (!discount) {
      shares.push(shareOf(product, a));
      return;
    }
    const d = remaining.get(discount.key)!; // ≤ 0
    const g = left[gi]!;
    const dShare = g > 0n ? -mulDiv(a, -d, g) : 0n;
    shares.push(shareOf(product, a - dShare), shareOf(discount, dShare));
  });
  return shares;
}

/**
 * Uses the refund IPN's own lines when they carry amounts that explain the refund total; returns
 * undefined (→ pro rata) when they do not.
 */
function sharesByLine(
  sale: OrderEvent,
  refund: OrderEvent,
  parts: SalePart[],
  remaining: ReadonlyMap<string, Minor>,
  amount: Minor,
  exponent: number,
  config: MappingConfig,
): RefundPartShare[] | undefined {
  let r;
  try {
    r = computeOrderAmounts(refund, config);
  } catch {
    return undefined;
  }
  const tolerance = BigInt(config.fx.residueTolerance);
  if (r.lines.every((l) => l.net + l.vat === 0n) || abs(amount - r.computedTotal) > tolerance) return undefined;

  const byKey = new Map<string, Minor>(parts.map((p) => [p.key, 0n]));
  const add = (key: string, v: Minor) => byKey.set(key, byKey.get(key)! + v);
  const used = new Set<number>();
  const netted = config.discounts.mode === 'netted';
  for (const [i, rl] of refund.lines.entries()) {
    const ra = r.lines[i]!;
    if (ra.net + ra.vat === 0n) continue;
    const samePos = sale.lines[i]?.productCode === rl.productCode && !used.has(i) ? i : -1;
    const pos = samePos >= 0 ? samePos : sale.lines.findIndex((sl, j) => sl.productCode === rl.productCode && !used.has(j));
    if (pos < 0) return undefined;
    used.add(pos);
    if (netted || !byKey.has(`discount:${pos}`)) add(`line:${pos}`, ra.net);
    else {
      add(`line:${pos}`, ra.gross);
      add(`discount:${pos}`, -ra.discount);
    }
    add('tax', ra.vat);
  }
  add('tax', r.shippingTax);
  if (r.shipping > 0n) {
    if (!byKey.has('shipping')) return undefined;
    add('shipping', r.shipping);
  }
  // Rounding within tolerance: the tax part takes it (as on the sale).
  add('tax', amount - r.computedTotal);

  const shares = parts.map((p) => shareOf(p, byKey.get(p.key)!));
  for (const s of shares) {
    const left = remaining.get(s.key)!;
    if (abs(s.amount) > abs(left)) {
      const f = (m: Minor) => formatMinor(m, exponent);
      throw new OverRefundError(
        `refund ${refund.eventRef} of order ${sale.refNo} gives back ${f(abs(s.amount))} ${sale.currency} on ${s.kind}` +
          `${s.line !== undefined ? ` (line ${s.line + 1}, ${sale.lines[s.line]?.productCode})` : ''} but only ${f(abs(left))} is left on it: ` +
          `check the refunds of this order, then skip or retry`,
        s.line !== undefined ? `lines[${s.line}]` : `totals.${s.kind}`,
      );
    }
  }
  return shares;
}
