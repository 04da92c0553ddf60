// The REFUND IPN the 2Checkout sandbox sends after a refund made through its API, built from the
// order it stores (an OrderEvent, which is what the store keeps of any IPN, in-process or posted
// by another process). 2Checkout's own REFUND IPN carries the refunded amounts negative
// (docs/reference-notes.md#2co-ipn-fields); how it shows a partial refund's lines is UNCONFIRMED,
// so the sandbox sends the three shapes the sync handles:
//  - the whole order: every line negated, REFUND_TYPE FULL;
//  - named lines: each at its refunded amount (one unit: net and VAT in the line's proportion), REFUND_TYPE PARTIAL;
//  - an amount only: every line at zero and IPN_TOTALGENERAL the amount, REFUND_TYPE PARTIAL (the
//    sync credits it pro rata over what is left on the invoice).
import type { OrderEvent } from '../../mappings/canonical.js';
import { currencyExponent, formatMinor, toMinor } from '../../mappings/money.js';
import type { CustomerInput } from './fields.js';
import type { IpnLineInput, IpnOrderInput } from './ipn-fields.js';

export interface RefundedLine {
  /** Index of the order line (its LineItemReference resolved by the caller). */
  index: number;
  quantity: number;
  amount: string;
}

const negative = (amount: string, exponent: number): string => formatMinor(-toMinor(amount, exponent), exponent);
/** "99.00" → "-99.00" as written (unit prices may carry more decimals than the currency). */
const negate = (amount: string): string =>
  amount.startsWith('-') ? amount.slice(1) : /^[0.]+$/.test(amount) ? amount : `-${amount}`;
const zero = (exponent: number): string => formatMinor(0n, exponent);

/** The customer of an order event, as the IPN builder takes it. */
export function customerOf(e: OrderEvent): CustomerInput {
  const b = e.customer.billing;
  return {
    firstName: b.firstName,
    lastName: b.lastName,
    ...(b.company !== undefined ? { company: b.company } : {}),
    email: b.email,
    ...(b.phone !== undefined ? { phone: b.phone } : {}),
    ...(b.address1 !== undefined ? { address1: b.address1 } : {}),
    ...(b.address2 !== undefined ? { address2: b.address2 } : {}),
    ...(b.city !== undefined ? { city: b.city } : {}),
    ...(b.state !== undefined ? { state: b.state } : {}),
    ...(b.zip !== undefined ? { zip: b.zip } : {}),
    ...(b.countryCode !== undefined ? { countryCode: b.countryCode.toLowerCase() } : {}),
    ...(e.customer.twoCheckoutRef !== undefined ? { twoCheckoutRef: e.customer.twoCheckoutRef } : {}),
    ...(e.customer.externalRef !== undefined ? { externalRef: e.customer.externalRef } : {}),
  };
}

function lineOf(l: OrderEvent['lines'][number]): IpnLineInput {
  return {
    productCode: l.productCode,
    name: l.name,
    productId: l.productId,
    quantity: l.quantity,
    price: l.unitPrice,
    vat: l.vat,
    ...(l.vatRate !== undefined ? { vatRate: l.vatRate } : {}),
    discount: l.discount,
    total: l.total,
    ...(l.sku !== undefined ? { sku: l.sku } : {}),
    ...(l.license
      ? {
          license: {
            ref: l.license.ref,
            ...(l.license.type ? { type: l.license.type } : {}),
            ...(l.license.start ? { start: l.license.start } : {}),
            ...(l.license.expires ? { expires: l.license.expires } : {}),
            lifetime: l.license.lifetime,
          },
        }
      : {}),
  };
}

/**
 * The REFUND IPN of a refund of `amount` (and `lines`, when named) on the order whose sale is
 * `sale`; `whole` when it gives back everything that was paid.
 */
export function refundNotification(
  sale: OrderEvent,
  refund: { amount: string; lines: RefundedLine[]; whole: boolean; reason: string },
  at: Date,
): IpnOrderInput {
  const exponent = currencyExponent(sale.currency);
  const base: Omit<IpnOrderInput, 'lines' | 'status'> = {
    refNo: sale.refNo,
    customer: customerOf(sale),
    at,
    ...(sale.refNoExt ? { refNoExt: sale.refNoExt } : {}),
    ...(sale.orderNo ? { orderNo: sale.orderNo } : {}),
    ...(sale.saleDate ? { saleDate: sale.saleDate } : {}),
    ...(sale.paymentDate ? { paymentDate: sale.paymentDate } : {}),
    ...(sale.completeDate ? { completeDate: sale.completeDate } : {}),
    ...(sale.timezoneOffset ? { timezoneOffset: sale.timezoneOffset } : {}),
    currency: sale.currency,
    ...(sale.language ? { language: sale.language } : {}),
    paymentMethod: { name: sale.paymentMethod, code: sale.paymentMethod },
    test: sale.testOrder,
    refundReason: refund.reason,
  };
  if (refund.whole) {
    return {
      ...base,
      status: 'REFUND',
      refundType: 'FULL',
      lines: sale.lines.map((l) => {
        const x = lineOf(l);
        return {
          ...x,
          price: negate(x.price),
          vat: negate(l.vat),
          discount: negate(l.discount),
          total: negate(l.total),
        };
      }),
      shipping: negate(sale.totals.shipping),
      shippingTax: negate(sale.totals.shippingTax),
      totalGeneral: negate(sale.totals.general),
    };
  }
  if (refund.lines.length > 0) {
    return {
      ...base,
      status: 'REFUND',
      refundType: 'PARTIAL',
      lines: refund.lines.map((r) => {
        const line = sale.lines[r.index]!;
        // The line's VAT in proportion to what of it is given back; the rest is net (one unit at that price).
        const amount = toMinor(r.amount, exponent);
        const lineTotal = toMinor(line.total, exponent);
        const vat = lineTotal === 0n ? 0n : (toMinor(line.vat, exponent) * amount * 2n + lineTotal) / (2n * lineTotal);
        return {
          ...lineOf(line),
          quantity: 1,
          price: formatMinor(-(amount - vat), exponent),
          vat: formatMinor(-vat, exponent),
          vatRate: undefined,
          discount: zero(exponent),
          total: formatMinor(-amount, exponent),
        };
      }),
      totalGeneral: negative(refund.amount, exponent),
    };
  }
  return {
    ...base,
    status: 'REFUND',
    refundType: 'PARTIAL',
    lines: sale.lines.map((l) => ({
      ...lineOf(l),
      price: zero(exponent),
      vat: zero(exponent),
      vatRate: undefined,
      discount: zero(exponent),
      total: zero(exponent),
    })),
    totalGeneral: negative(refund.amount, exponent),
  };
}
