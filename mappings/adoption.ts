// Adoption and cut-over, the pure part: when an order falls before the cut-over, whether its first
// write must look for a previous tool's records, how a REFNO pattern of the `adoption:` section
// reads a field, and how an adopted record's figures compare with 2Checkout's. No I/O, no clock
// (callers pass instants); workflow-safe (the order workflow dates refunds against the cut-over).
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { REFNO_PLACEHOLDER, type AdoptionMatch } from './adoption-config.js';
import { abs, changeExponent, currencyExponent, formatMinor, netsuiteExponent, toMinor, type Minor } from './money.js';
import { computeOrderAmounts, postedTotalOf } from './order-amounts.js';
import { durationMs } from './time-values.js';
import { beforeCutover, cutoverAtMs, saleInstant } from './cutover.js';

export { beforeCutover, cutoverAtMs, eventInstant, saleInstant } from './cutover.js';

/** Whether the order's sale is before the cut-over of this mapping. */
export const saleBeforeCutover = (order: OrderEvent, config: MappingConfig): boolean =>
  beforeCutover(saleInstant(order), config.cutover.at);

/**
 * Whether the first write of this order looks for a previous tool's records: adoption is on, and
 * the order was sold before `cutover.at` + `cutover.margin` (or no cut-over is set, or the sale date
 * is unreadable). After that the previous tool is off, and a new order costs no look-up.
 */
export function adoptionApplies(order: OrderEvent, config: MappingConfig): boolean {
  if (!config.adoption.enabled) return false;
  const at = cutoverAtMs(config.cutover.at);
  if (at === undefined) return true;
  const sold = saleInstant(order);
  return sold === undefined || sold < at + durationMs(config.cutover.margin);
}

/** The value a field holds for this REFNO under the pattern (`2CO-{refNo}` → `2CO-1234`). */
export const refNoValue = (pattern: string, refNo: string): string => pattern.split(REFNO_PLACEHOLDER).join(refNo);

const WORD = /[A-Za-z0-9]/;

/**
 * Whether a field's value carries this REFNO under the rule: equal to the pattern's value, or, for a
 * memo, containing it with no letter or digit touching it (so `Order 12345` is not order 1234's).
 */
export function fieldCarriesRefNo(rule: AdoptionMatch, value: string | undefined, refNo: string): boolean {
  if (value === undefined || value === '') return false;
  const want = refNoValue(rule.pattern, refNo);
  if (rule.field !== 'memo') return value.trim() === want;
  for (let at = value.indexOf(want); at >= 0; at = value.indexOf(want, at + 1)) {
    const before = value[at - 1];
    const after = value[at + want.length];
    if ((before === undefined || !WORD.test(before)) && (after === undefined || !WORD.test(after))) return true;
  }
  return false;
}

/** A previous tool's record of an order, as the look-up found it. */
export interface AdoptedDocument {
  role: 'salesOrder' | 'invoice' | 'customerPayment' | 'cashSale';
  id: string;
  /** tranId, else the internal id: what a person looks for in NetSuite. */
  label: string;
  /** Transaction total in its currency (decimal string), when NetSuite has one. */
  total?: string;
  /** ISO code of the record's currency, when known. */
  currency?: string;
}

const ROLE_NAME: Record<AdoptedDocument['role'], string> = {
  salesOrder: 'sales order',
  invoice: 'invoice',
  customerPayment: 'payment',
  cashSale: 'cash sale',
};

/**
 * How each adopted record's figures differ from 2Checkout's, one sentence per record ([] when all
 * agree). A sale document or payment equals the order when its total is what the shopper paid
 * (IPN_TOTALGENERAL) or what this sync would post (without the VAT under tax.mode none), in
 * NetSuite's precision, within adoption.tolerance; and its currency is the order's.
 */
export function adoptedDifferences(
  order: OrderEvent,
  docs: readonly AdoptedDocument[],
  config: MappingConfig,
): string[] {
  const iso = currencyExponent(order.currency);
  const ns = netsuiteExponent(order.currency, config.currencies[order.currency]?.precision);
  const exp = Math.max(iso, ns);
  const inNs = (v: Minor, from: number) => changeExponent(v, from, ns);
  const gross = inNs(abs(toMinor(order.totals.general, iso)), iso);
  const expected = new Set<Minor>([gross]);
  try {
    const amounts = computeOrderAmounts(order, config);
    expected.add(inNs(postedTotalOf(amounts, config), amounts.exponent));
  } catch {
    // An order the mapping cannot compute is compared with what the shopper paid only.
  }
  const tolerance = BigInt(config.adoption.tolerance);
  const out: string[] = [];
  for (const d of docs) {
    const what = `${ROLE_NAME[d.role]} ${d.label}`;
    if (d.currency && d.currency.toUpperCase() !== order.currency) {
      out.push(
        `${what}: NetSuite ${d.total ?? '?'} ${d.currency}, 2Checkout ${formatMinor(gross, ns)} ${order.currency}`,
      );
      continue;
    }
    if (d.total === undefined) continue;
    const total = inNs(abs(toMinor(d.total, exp)), exp);
    if ([...expected].some((e) => abs(e - total) <= tolerance)) continue;
    out.push(
      `${what}: NetSuite ${formatMinor(total, ns)} ${order.currency}, 2Checkout ${formatMinor(gross, ns)} ${order.currency}`,
    );
  }
  return out;
}
