// A stored order as 2Checkout's REST API 6.0 shows it: the order object with items, prices, VAT,
// discounts, currency, 2Checkout's commission, refunds and the chargeback state. Amounts come from
// the same IPN content the webhooks carried, so both sources agree to the minor unit unless a test
// makes them differ on purpose.
import type { OrderEvent } from '../../../mappings/canonical.js';
import { currencyExponent, formatMinor, multiply, sum, toMinor, abs, type Minor } from '../../../mappings/money.js';
import { stableDigits } from '../fields.js';
import type { StoredOrder } from '../store.js';

/** The sandbox's commission model (2Checkout's real fee depends on the plan): 3.5 % + 0.35 per order. */
const COMMISSION_RATE = '0.035';
const COMMISSION_FIXED = '0.35';

const LIFECYCLE_RANK: Record<string, number> = {
  PENDING: 1,
  PURCHASE_PENDING: 1,
  PENDING_APPROVAL: 1,
  PAYMENT_AUTHORIZED: 2,
  AUTHRECEIVED: 2,
  PAYMENT_RECEIVED: 2,
  COMPLETE: 3,
};

/** `YmdHis` or `Y-m-d H:i:s` → `Y-m-d H:i:s`. */
export function apiDateTime(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : value;
}

export interface OrderView {
  sale?: OrderEvent;
  voided?: OrderEvent;
  refunds: OrderEvent[];
  chargeback?: OrderEvent;
  orderDate: string;
}

export function viewOf(order: StoredOrder): OrderView {
  let sale: OrderEvent | undefined;
  let voided: OrderEvent | undefined;
  let chargeback: OrderEvent | undefined;
  const refunds: OrderEvent[] = [];
  for (const e of order.events) {
    if (e.status === 'REFUND') refunds.push(e);
    else if (e.status === 'REVERSED' || e.status === 'CANCELED') voided ??= e;
    else {
      if (e.chargeback) chargeback = e;
      if (!sale || (LIFECYCLE_RANK[e.status] ?? 0) >= (LIFECYCLE_RANK[sale.status] ?? 0)) sale = e;
    }
  }
  const first = order.events[0]!;
  return { sale, voided, refunds, chargeback, orderDate: apiDateTime(first.saleDate ?? first.ipnDate) };
}

function apiStatus(v: OrderView, gross: Minor, refunded: Minor): string {
  if (v.voided) return v.voided.status;
  if (v.refunds.length > 0 && refunded >= gross) return 'REFUND';
  switch (v.sale?.status) {
    case 'COMPLETE':
      return 'COMPLETE';
    case 'PAYMENT_AUTHORIZED':
    case 'AUTHRECEIVED':
    case 'PAYMENT_RECEIVED':
      return 'AUTHRECEIVED';
    default:
      return 'PENDING';
  }
}

/** The REST order object. */
export function renderApiOrder(order: StoredOrder): Record<string, unknown> {
  const v = viewOf(order);
  const base = v.sale ?? v.voided ?? order.events[0]!;
  const exp = currencyExponent(base.currency);
  const f = (m: Minor) => formatMinor(m, exp);
  const m = (s: string) => toMinor(s, exp);
  const lines = base.lines.map((l) => {
    const total = m(l.total);
    const vat = m(l.vat);
    const discount = m(l.discount);
    return { l, total, vat, discount, net: total - vat };
  });
  const net = sum(lines.map((x) => x.net));
  const vat = sum(lines.map((x) => x.vat));
  const discount = sum(lines.map((x) => x.discount));
  const gross = m(base.totals.general);
  const refunded = sum(v.refunds.map((r) => abs(m(r.totals.general))));
  const commission = v.sale && !v.voided ? multiply(gross, exp, COMMISSION_RATE, exp) + m(COMMISSION_FIXED) : 0n;
  const billing = base.customer.billing;
  const party = (p: typeof billing) => ({
    FirstName: p.firstName,
    LastName: p.lastName,
    Company: p.company ?? null,
    Email: p.email,
    Phone: p.phone ?? null,
    Address1: p.address1 ?? null,
    Address2: p.address2 ?? null,
    City: p.city ?? null,
    State: p.state ?? null,
    Zip: p.zip ?? null,
    CountryCode: p.countryCode?.toLowerCase() ?? null,
  });
  return {
    RefNo: order.refNo,
    OrderNo: base.orderNo ?? '0',
    ExternalReference: base.refNoExt ?? null,
    ShopperRefNo: null,
    Status: apiStatus(v, gross, refunded),
    ApproveStatus: 'OK',
    VendorApproveStatus: 'OK',
    OrderDate: v.orderDate,
    FinishDate: v.sale?.status === 'COMPLETE' ? apiDateTime(v.sale.completeDate ?? v.sale.ipnDate) : null,
    TestOrder: base.testOrder,
    Currency: base.currency.toLowerCase(),
    Language: base.language ?? 'en',
    Origin: 'Web',
    OrderFlow: 'REGULAR',
    NetPrice: f(net),
    GrossPrice: f(gross),
    VAT: f(vat),
    Discount: f(discount),
    NetDiscountedPrice: f(net),
    GrossDiscountedPrice: f(gross),
    AffiliateCommission: f(0n),
    AvangateCommission: f(commission),
    Shipping: base.totals.shipping,
    ShippingVAT: base.totals.shippingTax,
    PaymentDetails: { Type: base.paymentMethod || 'CC', Currency: base.currency.toLowerCase() },
    CustomerDetails: {
      ...party(billing),
      AvangateCustomerReference: base.customer.twoCheckoutRef ?? null,
      ExternalCustomerReference: base.customer.externalRef ?? null,
    },
    BillingDetails: party(billing),
    DeliveryDetails: base.customer.delivery ? party(base.customer.delivery) : null,
    Items: lines.map(({ l, total, vat: lineVat, discount: lineDiscount, net: lineNet }) => ({
      Code: l.productCode,
      ProductId: l.productId,
      ProductName: l.name,
      SKU: l.sku ?? null,
      Quantity: l.quantity,
      LineItemReference: stableDigits(`line:${order.refNo}:${l.index}`, 12),
      SubscriptionReference: l.license?.ref ?? null,
      Price: {
        Currency: base.currency.toLowerCase(),
        UnitNetPrice: l.unitPrice,
        NetPrice: f(lineNet),
        GrossPrice: f(total),
        VAT: f(lineVat),
        VATPercent: l.vatRate ?? '0',
        Discount: f(lineDiscount),
        NetDiscountedPrice: f(lineNet),
        GrossDiscountedPrice: f(total),
        AffiliateCommission: '0',
      },
    })),
    ChargebackResolution: v.chargeback?.chargeback?.resolution ?? 'NONE',
    ChargebackReasonCode: v.chargeback?.chargeback?.reasonCode ?? null,
    Refunds: v.refunds.map((r) => ({
      Amount: f(abs(m(r.totals.general))),
      Currency: base.currency.toLowerCase(),
      Date: apiDateTime(r.ipnDate),
      Reason: r.refund?.reason ?? null,
      Type: r.refund?.type ?? null,
      // Whether the real API shows a refund's comment is UNCONFIRMED; the sandbox does for refunds made through it.
      ...(order.comments?.[r.key] !== undefined ? { Comment: order.comments[r.key] } : {}),
    })),
  };
}
