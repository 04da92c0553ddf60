// The money side of an order, in minor units of the order currency, reconciled with what the
// shopper paid (IPN_TOTALGENERAL) before anything is posted.
//
// How 2Checkout's per-line fields are read (docs/reference-notes.md#2co-ipn-fields; "net" and "gross" are UNCONFIRMED
// there, which is exactly why the result is checked against IPN_TOTALGENERAL):
//   line gross    = IPN_PRICE × IPN_QTY                  (unit price net of VAT)
//   line discount = IPN_DISCOUNT                         (amount for the whole line)
//   line net      = gross − discount
//   line VAT      = IPN_VAT
//   order total   = Σ (net + VAT) + IPN_SHIPPING + IPN_SHIPPING_TAX  ==  IPN_TOTALGENERAL
// A difference up to fx.residueTolerance minor units (rounding of VAT) is absorbed (see
// `absorbResidue`); anything larger parks the order with AMOUNT_MISMATCH rather than posting books
// that disagree with the money actually taken.
//
// Precision: 2Checkout sends a currency's ISO decimals (KWD, BHD, JOD, OMR, TND: 3), NetSuite keeps
// 0 or 2. The order is read and reconciled in 2Checkout's precision; then each amount is rounded
// half-up to NetSuite's, the total too, and what the rounded parts miss of the rounded total is the
// `rounding` (a line of its own, or absorbed like the residue: sale-records.ts). So the NetSuite lines
// add up exactly to 2Checkout's total rounded once (docs/mappings.md, "Money, to the cent").
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { AmountMismatchError, MappingError } from './errors.js';
import { isFromApi } from './api-events.js';
import { abs, changeExponent, formatMinor, multiply, sum, toMinor, type Minor } from './money.js';
import { mappingFileOf, resolveCurrency } from './resolve.js';

export interface LineAmounts {
  index: number;
  /** IPN_PRICE × IPN_QTY, before discount. */
  gross: Minor;
  discount: Minor;
  /** gross − discount */
  net: Minor;
  vat: Minor;
}

export interface OrderAmounts {
  currency: string;
  exponent: number;
  lines: LineAmounts[];
  shipping: Minor;
  shippingTax: Minor;
  /** Σ line VAT + shipping tax (the "tax collected" line). */
  taxTotal: Minor;
  /** What our lines add up to (before any residue is absorbed). */
  computedTotal: Minor;
  /** IPN_TOTALGENERAL: what the shopper paid (rounded to NetSuite's precision). */
  paidTotal: Minor;
  /** 2Checkout's own difference (paid − computed in its precision), rounded to NetSuite's. */
  residue: Minor;
  /** What rounding every amount to NetSuite's precision loses: paidTotal − computedTotal − residue (0 when the precisions agree). */
  rounding: Minor;
  /** 2Checkout's decimals (≥ exponent) and its difference in them, for the reconciliation check. */
  sourceExponent: number;
  sourceResidue: Minor;
}

/**
 * Reads the order's amounts as magnitudes (refund IPNs carry negative amounts; the caller knows
 * the direction), in minor units of the order currency.
 */
export function computeOrderAmounts(order: OrderEvent, config: MappingConfig): OrderAmounts {
  const { exponent, sourceExponent } = resolveCurrency(order.currency, config);
  const src = readAmounts(order, sourceExponent);
  if (sourceExponent === exponent)
    return { ...src, currency: order.currency, exponent, rounding: 0n, sourceExponent, sourceResidue: src.residue };
  const r = (m: Minor) => changeExponent(m, sourceExponent, exponent);
  const lines = src.lines.map((l): LineAmounts => {
    const gross = r(l.gross);
    const discount = r(l.discount);
    return { index: l.index, gross, discount, net: gross - discount, vat: r(l.vat) };
  });
  const shipping = r(src.shipping);
  const shippingTax = r(src.shippingTax);
  const taxTotal = sum(lines.map((l) => l.vat)) + shippingTax;
  const computedTotal = sum(lines.map((l) => l.net)) + shipping + taxTotal;
  const paidTotal = r(src.paidTotal);
  const residue = r(src.residue);
  return {
    currency: order.currency,
    exponent,
    lines,
    shipping,
    shippingTax,
    taxTotal,
    computedTotal,
    paidTotal,
    residue,
    rounding: paidTotal - computedTotal - residue,
    sourceExponent,
    sourceResidue: src.residue,
  };
}

type SourceAmounts = Pick<
  OrderAmounts,
  'lines' | 'shipping' | 'shippingTax' | 'taxTotal' | 'computedTotal' | 'paidTotal' | 'residue'
>;

/** The amounts exactly as 2Checkout sent them, in `exponent` decimals. */
function readAmounts(order: OrderEvent, exponent: number): SourceAmounts {
  const lines = order.lines.map((l, pos): LineAmounts => {
    const gross = abs(multiply(toMinor(l.unitPrice, 8), 8, l.quantity, exponent));
    const discount = abs(toMinor(l.discount, exponent));
    const vat = abs(toMinor(l.vat, exponent));
    if (discount > gross) {
      throw new AmountMismatchError(
        'AMOUNT_MISMATCH',
        `line ${pos + 1} (${l.productCode}) has a discount of ${formatMinor(discount, exponent)} ${order.currency}, more than its price × quantity ` +
          `(${formatMinor(gross, exponent)}): check the order in 2Checkout; skip the sync if it is wrong at the source`,
        `lines[${pos}].discount`,
      );
    }
    return { index: l.index, gross, discount, net: gross - discount, vat };
  });
  const shipping = abs(toMinor(order.totals.shipping, exponent));
  const shippingTax = abs(toMinor(order.totals.shippingTax, exponent));
  const taxTotal = sum(lines.map((l) => l.vat)) + shippingTax;
  const computedTotal = sum(lines.map((l) => l.net)) + shipping + taxTotal;
  const paidTotal = abs(toMinor(order.totals.general, exponent));
  return { lines, shipping, shippingTax, taxTotal, computedTotal, paidTotal, residue: paidTotal - computedTotal };
}

/**
 * The total NetSuite shows for the sale's documents: what the shopper paid, less the VAT when it
 * is not posted as a line (tax.mode none: SuiteTax adds its own). Needs no product mapping.
 */
export function postedTotalOf(amounts: OrderAmounts, config: MappingConfig): Minor {
  return config.tax.mode === 'line' ? amounts.paidTotal : amounts.paidTotal - amounts.taxTotal;
}

/** Throws AMOUNT_MISMATCH when the lines do not add up to IPN_TOTALGENERAL within the tolerance. */
export function assertReconciles(order: OrderEvent, amounts: OrderAmounts, config: MappingConfig): void {
  // fx.residueTolerance counts NetSuite minor units; 2Checkout's own difference is measured in its
  // precision (for KWD: 2 NetSuite units = 20 fils).
  const tolerance = BigInt(config.fx.residueTolerance) * 10n ** BigInt(amounts.sourceExponent - amounts.exponent);
  if (abs(amounts.sourceResidue) <= tolerance) return;
  const f = (m: Minor) => formatMinor(m, amounts.exponent);
  const breakdown = amounts.lines
    .map((l, i) => `line ${i + 1}: ${f(l.gross)} − discount ${f(l.discount)} + VAT ${f(l.vat)}`)
    .join('; ');
  const diff = formatMinor(amounts.sourceResidue, amounts.sourceExponent);
  throw new AmountMismatchError(
    'AMOUNT_MISMATCH',
    `order ${order.refNo}: the lines add up to ${f(amounts.computedTotal + amounts.rounding)} ${order.currency} but the shopper paid ${f(amounts.paidTotal)} ` +
      `(IPN_TOTALGENERAL), a difference of ${diff} above the tolerance of ${config.fx.residueTolerance} minor unit(s) ` +
      `(${breakdown}; shipping ${f(amounts.shipping)} + tax ${f(amounts.shippingTax)}). Nothing was posted. ` +
      `Check the order in 2Checkout; if rounding explains it, raise fx.residueTolerance in ${mappingFileOf(config)} and retry, otherwise skip the sync`,
    'totals.general',
  );
}

export interface FxDecision {
  /** Sent as the transaction's exchangeRate; undefined lets NetSuite use its own rate for the date. */
  exchangeRate?: string;
  /** Where the rate came from, for previews and logs. */
  source: 'twocheckout' | 'netsuite' | 'same-currency';
  baseCurrency?: string;
}

/**
 * Applies the fx policy. 2Checkout's FX_RATE converts the order currency into PAYOUT_CURRENCY,
 * while NetSuite's exchangeRate converts into the subsidiary's base currency: the two are the same
 * thing only when PAYOUT_CURRENCY is that base currency.
 */
export function decideExchangeRate(
  order: OrderEvent,
  subsidiary: string | undefined,
  config: MappingConfig,
): FxDecision {
  if (config.fx.source === 'netsuite') return { source: 'netsuite' };
  const file = mappingFileOf(config);
  const base = subsidiary !== undefined ? config.subsidiaries[subsidiary]?.baseCurrency : undefined;
  if (base === undefined) {
    throw new MappingError(
      'MAPPING_ERROR',
      `fx.source is twocheckout but ${subsidiary === undefined ? 'the order has no subsidiary' : `subsidiary ${subsidiary} has no base currency`}: ` +
        `add \`"${subsidiary ?? '<id>'}": { baseCurrency: <ISO code> }\` under subsidiaries in ${file} (or set fx.source: netsuite), then retry`,
      'currency',
    );
  }
  if (order.currency === base) return { source: 'same-currency', baseCurrency: base };
  const rate = order.fx.rate;
  const payout = order.fx.payoutCurrency?.toUpperCase();
  // An order read from 2Checkout's API (backfill, reconciliation) may not carry the IPN's FX_RATE
  // and PAYOUT_CURRENCY: it is booked at NetSuite's rate for its date, which is what a person would
  // do with it, rather than parked for a setting no one can change (docs/reconciliation.md).
  if (isFromApi(order) && (rate === undefined || Number(rate) <= 0 || payout === undefined))
    return { source: 'netsuite', baseCurrency: base };
  if (rate === undefined || Number(rate) <= 0) {
    throw new MappingError(
      'MAPPING_ERROR',
      `order ${order.refNo} in ${order.currency} has no FX_RATE, but fx.source is twocheckout: enable FX_RATE and PAYOUT_CURRENCY in the ` +
        `2Checkout IPN settings, or set fx.source: netsuite in ${file}, then retry`,
      'fx.rate',
    );
  }
  if (payout !== base) {
    if (config.fx.onPayoutCurrencyMismatch === 'netsuite') return { source: 'netsuite', baseCurrency: base };
    throw new MappingError(
      'MAPPING_ERROR',
      `order ${order.refNo}: 2Checkout's FX_RATE ${rate} converts ${order.currency} into the payout currency ${payout ?? '(PAYOUT_CURRENCY not sent)'}, ` +
        `not into ${base}, the base currency of subsidiary ${subsidiary}, so it cannot be the NetSuite exchange rate. ` +
        `Fix: set fx.onPayoutCurrencyMismatch: netsuite (use NetSuite's rate for such orders) or fx.source: netsuite in ${file}, then retry`,
      'fx.payoutCurrency',
    );
  }
  return { exchangeRate: rate, source: 'twocheckout', baseCurrency: base };
}

/**
 * NetSuite converts every line to the base currency on its own and rounds each; with few decimals
 * in FX_RATE and many lines those roundings can drift from the converted order total. Above the
 * tolerance the base-currency books would not match 2Checkout's payout, so the order parks.
 */
export function assertFxResidue(
  order: OrderEvent,
  lineAmounts: readonly Minor[],
  exponent: number,
  fx: FxDecision,
  config: MappingConfig,
): void {
  if (fx.exchangeRate === undefined || fx.baseCurrency === undefined) return;
  const baseExp = resolveCurrency(fx.baseCurrency, config, 'fx.baseCurrency').exponent;
  const perLine = sum(lineAmounts.map((a) => multiply(a, exponent, fx.exchangeRate!, baseExp)));
  const whole = multiply(sum(lineAmounts), exponent, fx.exchangeRate, baseExp);
  const residue = perLine - whole;
  if (abs(residue) <= BigInt(config.fx.residueTolerance)) return;
  throw new AmountMismatchError(
    'FX_RESIDUE',
    `order ${order.refNo}: converting each line at FX_RATE ${fx.exchangeRate} gives ${formatMinor(perLine, baseExp)} ${fx.baseCurrency}, ` +
      `the whole order gives ${formatMinor(whole, baseExp)}: a rounding residue of ${formatMinor(residue, baseExp)} above fx.residueTolerance ` +
      `(${config.fx.residueTolerance}). Raise the tolerance or use fx.source: netsuite in ${mappingFileOf(config)}, then retry`,
    'fx.rate',
  );
}
