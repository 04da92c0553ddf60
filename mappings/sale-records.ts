// Canonical order + mapping config → NetSuite sale documents (sales order, cash sale, the invoice
// and payment transform bodies). Pure: no I/O, everything a reviewer needs is in the inputs.
//
// Line model (one order → NetSuite lines):
//   • one item line per 2Checkout product line (rate = IPN_PRICE, quantity = IPN_QTY);
//   • discounts.mode line:   a negative line on the discount item right after the discounted line
//     (NetSuite applies a Discount item to the line before it);
//     discounts.mode netted: the product line's amount is already net of its discount;
//   • tax.mode line: ONE "tax collected" line (Σ IPN_VAT + IPN_SHIPPING_TAX), so the NetSuite
//     total equals what the shopper paid; tax.mode none: no tax line (SuiteTax computes it);
//   • one shipping line (IPN_SHIPPING) when there is shipping;
//   • one rounding line when 2Checkout's amounts have more decimals than NetSuite keeps (KWD: 3
//     against 2) and rounding each line misses the rounded total (rounding.item; without it the
//     difference is absorbed like 2Checkout's own residue).
// Subscription lines carry revRecStartDate / revRecEndDate from the licence (ASC 606).
import type { OrderEvent } from './canonical.js';
import type { MappingConfig, RoutingTarget } from './config-schema.js';
import { transactionHeader } from './transaction-header.js';
import { MappingError } from './errors.js';
import { externalIds } from './ids.js';
import { divideToDecimal, formatMinor, minorToNumber, sum, type Minor } from './money.js';
import {
  assertFxResidue,
  assertReconciles,
  computeOrderAmounts,
  decideExchangeRate,
  type FxDecision,
  type OrderAmounts,
} from './order-amounts.js';
import {
  mappingFileOf,
  resolveCurrency,
  resolvePayment,
  resolveProduct,
  resolveRouting,
  type PaymentMapping,
  type ProductMatch,
} from './resolve.js';

export type NsRef = { id: string };

/** One `item.items[]` line of a NetSuite transaction. */
export interface NsItemLine {
  item: NsRef;
  quantity?: number;
  rate?: number;
  amount: number;
  description?: string;
  department?: NsRef;
  class?: NsRef;
  location?: NsRef;
  taxCode?: NsRef;
  revRecStartDate?: string;
  revRecEndDate?: string;
}

export type SalePartKind = 'product' | 'discount' | 'tax' | 'shipping' | 'rounding';

/**
 * A money component of a sale, signed (discounts negative), in minor units of the order currency.
 * Refund allocation works on these. `posted` is false for the VAT part under tax.mode none.
 */
export interface SalePart {
  key: string;
  kind: SalePartKind;
  /** 0-based position of the 2Checkout line it belongs to (product/discount parts). */
  line?: number;
  amount: Minor;
  posted: boolean;
  nsLine: Omit<NsItemLine, 'amount'>;
}

export interface SaleLines {
  parts: SalePart[];
  /** The parts that become NetSuite lines, in line order. */
  postedParts: SalePart[];
  lines: NsItemLine[];
  amounts: OrderAmounts;
  routing: RoutingTarget;
  /** Σ posted parts: the total NetSuite will show (before SuiteTax under tax.mode none). */
  postedTotal: Minor;
  /** What the shopper paid: the amount the payment / cash sale settles. */
  paidTotal: Minor;
  exponent: number;
  products: ProductMatch[];
}

/** `Y-m-d H:i:s` or `YmdHis` → `YYYY-MM-DD` (the merchant's local date, as 2Checkout sent it). */
export function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dashed = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (dashed) return `${dashed[1]}-${dashed[2]}-${dashed[3]}`;
  const compact = /^(\d{4})(\d{2})(\d{2})\d{6}$/.exec(value);
  return compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : undefined;
}

/** Date the order was placed: the sales order's tranDate. */
export const orderDate = (o: OrderEvent): string | undefined =>
  isoDate(o.saleDate) ?? isoDate(o.paymentDate) ?? isoDate(o.completeDate) ?? isoDate(o.ipnDate);
/** Date the money was taken: invoice, payment and cash sale tranDate. */
export const paymentDate = (o: OrderEvent): string | undefined =>
  isoDate(o.paymentDate) ?? isoDate(o.completeDate) ?? isoDate(o.saleDate) ?? isoDate(o.ipnDate);

const LIFETIME_YEAR = '9999';
const ref = (id: string | undefined): { id: string } | undefined => (id === undefined ? undefined : { id });

function segments(over: { department?: string; class?: string; location?: string }): Partial<NsItemLine> {
  const out: Partial<NsItemLine> = {};
  if (over.department !== undefined) out.department = { id: over.department };
  if (over.class !== undefined) out.class = { id: over.class };
  if (over.location !== undefined) out.location = { id: over.location };
  return out;
}

/** Maps every line; reports every unmapped product at once (one retry fixes them all). */
function resolveProducts(order: OrderEvent, config: MappingConfig): ProductMatch[] {
  const matches: ProductMatch[] = [];
  const failures: MappingError[] = [];
  order.lines.forEach((line, pos) => {
    try {
      matches.push(resolveProduct(line, config, pos));
    } catch (e) {
      if (e instanceof MappingError) failures.push(e);
      else throw e;
    }
  });
  if (failures.length === 1) throw failures[0]!;
  if (failures.length > 1) {
    const codes = order.lines.filter((_, pos) => failures.some((f) => f.details.path === `lines[${pos}].productCode`));
    throw new MappingError(
      'UNMAPPED_PRODUCT',
      `product codes ${codes.map((l) => `${l.productCode} (line ${order.lines.indexOf(l) + 1})`).join(', ')} have no NetSuite item: ` +
        `add them under products.rules in ${mappingFileOf(config)}, then retry the sync`,
      failures[0]!.details.path,
    );
  }
  return matches;
}

/** The lines of a sale (product, discount, tax, shipping), reconciled to the cent with IPN_TOTALGENERAL. */
export function buildSaleLines(order: OrderEvent, config: MappingConfig): SaleLines {
  const amounts = computeOrderAmounts(order, config);
  assertReconciles(order, amounts, config);
  const products = resolveProducts(order, config);
  const routing = resolveRouting(order, config);
  const { exponent } = amounts;
  const taxCode = ref(routing.taxCode);
  const parts: SalePart[] = [];

  order.lines.forEach((line, pos) => {
    const a = amounts.lines[pos]!;
    const target = products[pos]!.target;
    const licence = line.license;
    const revRec: Partial<NsItemLine> = {};
    // Revenue for what this order sold starts no earlier than the order itself: an upgrade order
    // may carry the subscription's original start (IPN_LICENSE_START, UNCONFIRMED), and its
    // prorated charge belongs to the remaining period only (ASC 606 / IFRS 15).
    const licenceStart = isoDate(licence?.start);
    const placed = orderDate(order);
    const start = licenceStart && placed && placed > licenceStart ? placed : licenceStart;
    const end =
      licence?.lifetime || licence?.expires?.startsWith(LIFETIME_YEAR) ? undefined : isoDate(licence?.expires);
    if (licence && start) revRec.revRecStartDate = start;
    if (licence && end) revRec.revRecEndDate = end;
    const quantity = Number(line.quantity);
    const netted = config.discounts.mode === 'netted';
    const amount = netted ? a.net : a.gross;
    parts.push({
      key: `line:${pos}`,
      kind: 'product',
      line: pos,
      amount,
      posted: true,
      nsLine: {
        item: { id: target.item },
        quantity,
        rate: netted ? Number(divideToDecimal(amount, exponent, line.quantity)) : Number(line.unitPrice),
        description: line.name,
        ...segments(target),
        ...(taxCode ? { taxCode } : {}),
        ...revRec,
      },
    });
    if (!netted && a.discount > 0n) {
      parts.push({
        key: `discount:${pos}`,
        kind: 'discount',
        line: pos,
        amount: -a.discount,
        posted: true,
        nsLine: {
          item: { id: config.discounts.item! },
          description: `Discount on ${line.productCode}`,
          ...segments(target),
        },
      });
    }
  });

  const taxPosted = config.tax.mode === 'line';
  parts.push({
    key: 'tax',
    kind: 'tax',
    amount: amounts.taxTotal,
    posted: taxPosted,
    nsLine: taxPosted ? { item: { id: config.tax.item! }, description: config.tax.description } : { item: { id: '' } },
  });

  if (amounts.shipping > 0n) {
    if (config.shipping.item === undefined) {
      throw new MappingError(
        'MAPPING_ERROR',
        `order ${order.refNo} has shipping (${formatMinor(amounts.shipping, exponent)} ${order.currency}) but no shipping item is configured: ` +
          `set shipping.item in ${mappingFileOf(config)}, then retry`,
        'totals.shipping',
      );
    }
    parts.push({
      key: 'shipping',
      kind: 'shipping',
      amount: amounts.shipping,
      posted: true,
      nsLine: { item: { id: config.shipping.item }, description: 'Shipping', ...(taxCode ? { taxCode } : {}) },
    });
  }

  if (amounts.rounding !== 0n && config.rounding.item !== undefined) {
    parts.push({
      key: 'rounding',
      kind: 'rounding',
      amount: amounts.rounding,
      posted: true,
      nsLine: { item: { id: config.rounding.item }, description: config.rounding.description },
    });
    absorbResidue(parts, amounts.residue, exponent, order);
  } else absorbResidue(parts, amounts.residue + amounts.rounding, exponent, order);

  const posted = parts.filter((p) => p.posted && (p.amount !== 0n || p.kind === 'product'));
  const lines = posted.map((p) => ({ ...p.nsLine, amount: minorToNumber(p.amount, exponent) }));
  return {
    parts,
    postedParts: posted,
    lines,
    amounts,
    routing,
    postedTotal: sum(posted.map((p) => p.amount)),
    paidTotal: amounts.paidTotal,
    exponent,
    products,
  };
}

/**
 * A residue within tolerance (already checked) is 2Checkout's VAT rounding (and, without a rounding
 * item, the rounding to NetSuite's precision): it goes to the tax part, or, when tax is not posted,
 * to the last product line, so the books equal the money taken.
 */
function absorbResidue(parts: SalePart[], residue: Minor, exponent: number, order: OrderEvent): void {
  if (residue === 0n) return;
  const tax = parts.find((p) => p.kind === 'tax');
  if (tax?.posted) {
    tax.amount += residue;
    return;
  }
  const last = [...parts].reverse().find((p) => p.kind === 'product')!;
  last.amount += residue;
  const line = order.lines[last.line!]!;
  last.nsLine = { ...last.nsLine, rate: Number(divideToDecimal(last.amount, exponent, line.quantity)) };
}

function header(
  order: OrderEvent,
  config: MappingConfig,
  sale: SaleLines,
  fx: FxDecision,
  tranDate: string | undefined,
): Record<string, unknown> {
  const currency = resolveCurrency(order.currency, config);
  const r = sale.routing;
  return {
    currency: { id: currency.id },
    ...(fx.exchangeRate !== undefined ? { exchangeRate: Number(fx.exchangeRate) } : {}),
    ...(r.subsidiary !== undefined ? { subsidiary: { id: r.subsidiary } } : {}),
    ...(r.department !== undefined ? { department: { id: r.department } } : {}),
    ...(r.class !== undefined ? { class: { id: r.class } } : {}),
    ...(r.location !== undefined ? { location: { id: r.location } } : {}),
    ...transactionHeader(order, config, { tranDate, otherRefNum: true, memo: `2Checkout order ${order.refNo}` }),
  };
}

function fxFor(order: OrderEvent, config: MappingConfig, sale: SaleLines): FxDecision {
  const fx = decideExchangeRate(order, sale.routing.subsidiary, config);
  assertFxResidue(
    order,
    sale.postedParts.map((p) => p.amount),
    sale.exponent,
    fx,
    config,
  );
  return fx;
}

export interface SaleDocument {
  recordType: 'salesOrder' | 'cashSale';
  externalId: string;
  body: Record<string, unknown>;
  /** NetSuite total of the document (decimal string, order currency). */
  total: string;
  /** What the shopper paid (decimal string). */
  paid: string;
  sale: SaleLines;
  fx: FxDecision;
}

/** Body for `PUT /salesOrder/eid:{externalIds.salesOrder(refNo)}`. */
export function buildSalesOrder(order: OrderEvent, config: MappingConfig, customerId: string): SaleDocument {
  const sale = buildSaleLines(order, config);
  const fx = fxFor(order, config, sale);
  const tranDate = orderDate(order);
  return {
    recordType: 'salesOrder',
    externalId: externalIds.salesOrder(order.refNo),
    body: {
      entity: { id: customerId },
      ...header(order, config, sale, fx, tranDate),
      item: { items: sale.lines },
    },
    total: formatMinor(sale.postedTotal, sale.exponent),
    paid: formatMinor(sale.paidTotal, sale.exponent),
    sale,
    fx,
  };
}

function paymentFields(payment: PaymentMapping): Record<string, unknown> {
  return {
    // Undeposited Funds: NetSuite's `undepFunds` instead of an account (netsuite.md §5.5; the exact JSON is UNCONFIRMED).
    ...(payment.undepositedFunds ? { undepFunds: true } : { account: { id: payment.account } }),
    ...(payment.paymentOption !== undefined ? { [payment.field]: { id: payment.paymentOption } } : {}),
  };
}

/** Body for `PUT /cashSale/eid:{externalIds.cashSale(refNo)}`: the sale lines plus where the money went. */
export function buildCashSale(order: OrderEvent, config: MappingConfig, customerId: string): SaleDocument {
  const sale = buildSaleLines(order, config);
  const fx = fxFor(order, config, sale);
  const payment = resolvePayment(order, config);
  const tranDate = paymentDate(order);
  return {
    recordType: 'cashSale',
    externalId: externalIds.cashSale(order.refNo),
    body: {
      entity: { id: customerId },
      ...header(order, config, sale, fx, tranDate),
      ...paymentFields(payment),
      item: { items: sale.lines },
    },
    total: formatMinor(sale.postedTotal, sale.exponent),
    paid: formatMinor(sale.paidTotal, sale.exponent),
    sale,
    fx,
  };
}

/** Body for `POST /salesOrder/{id}/!transform/invoice`: lines come from the sales order. */
export function buildInvoiceTransform(
  order: OrderEvent,
  config: MappingConfig,
): { externalId: string; body: Record<string, unknown> } {
  const externalId = externalIds.invoice(order.refNo);
  const tranDate = paymentDate(order);
  return {
    externalId,
    body: {
      ...transactionHeader(order, config, {
        externalId,
        tranDate,
        otherRefNum: true,
        memo: `2Checkout order ${order.refNo}`,
      }),
    },
  };
}

/**
 * Body for `POST /invoice/{id}/!transform/customerPayment`: the whole amount the shopper paid,
 * into the payment method's deposit account, at the same exchange rate as the sale.
 */
export function buildCustomerPayment(
  order: OrderEvent,
  config: MappingConfig,
): { externalId: string; body: Record<string, unknown>; amount: string } {
  // Only amounts, routing and the payment method matter here: a product mapping changed after the
  // invoice was posted must not stop the money from being recorded.
  const amounts = computeOrderAmounts(order, config);
  assertReconciles(order, amounts, config);
  const fx = decideExchangeRate(order, resolveRouting(order, config).subsidiary, config);
  const payment = resolvePayment(order, config);
  const externalId = externalIds.customerPayment(order.refNo);
  const tranDate = paymentDate(order);
  // Under tax.mode none NetSuite adds SuiteTax on top of the posted lines; the payment is still
  // what the shopper paid, which is what arrived in the clearing account.
  const amount = amounts.paidTotal;
  return {
    externalId,
    amount: formatMinor(amount, amounts.exponent),
    body: {
      ...paymentFields(payment),
      payment: minorToNumber(amount, amounts.exponent),
      ...(fx.exchangeRate !== undefined ? { exchangeRate: Number(fx.exchangeRate) } : {}),
      ...transactionHeader(order, config, {
        externalId,
        tranDate,
        otherRefNum: false,
        memo: `2Checkout payment ${order.refNo} (${order.paymentMethod})`,
      }),
    },
  };
}
