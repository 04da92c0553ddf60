// What a refund can credit: the source document (the invoice or cash sale as posted in NetSuite)
// minus the credits already posted from it, part by part. Works on the NetSuite ledger, not on the
// 2Checkout sale IPN, so a refund arriving after the order's workflow ended is allocated the same.
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { abs, sum, toMinor, type Minor } from './money.js';
import { buildSaleLines, type SalePartKind } from './sale-records.js';

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
  return {
    type: 'invoice',
    id: 'preview',
    label: `invoice of ${sale.refNo}`,
    total: s.paidTotal,
    amountRemaining: 0n,
    lines,
  };
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

function kindOf(item: string, config: MappingConfig): SalePartKind {
  if (config.tax.mode === 'line' && item === config.tax.item) return 'tax';
  if (config.discounts.mode === 'line' && item === config.discounts.item) return 'discount';
  if (config.shipping.item !== undefined && item === config.shipping.item) return 'shipping';
  if (config.rounding.item !== undefined && item === config.rounding.item) return 'rounding';
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
export function creditableParts(
  source: SourceDocument,
  prior: readonly PriorCredit[],
  config: MappingConfig,
): CreditablePart[] {
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
    const tax: CreditablePart = {
      key: 'tax',
      kind: 'tax',
      item: config.tax.item ?? '',
      original: computedTax,
      remaining: computedTax,
      posted: config.tax.mode === 'line',
    };
    if (config.tax.mode === 'line') tax.description = config.tax.description;
    parts.push(tax);
  }

  for (const credit of prior) {
    for (const l of credit.lines) {
      const sameItem = parts.filter((p) => p.posted && p.item === l.item && p.original >= 0n === l.amount >= 0n);
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
