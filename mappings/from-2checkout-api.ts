// 2Checkout REST API order objects → the same canonical events the gateway makes from IPNs, so a
// backfilled or healed order is indistinguishable from a webhook-synced one and both land on the
// same `order/<REFNO>` workflow. Pure: no I/O, no clock.
//
// What the API cannot tell us is made explicit rather than guessed:
//  - it has no MESSAGE_ID for a refund, so an API refund is identified by its position among the
//    order's refunds (`api-refund-<n>`); the order workflow matches it to a webhook refund of the
//    same amount, so one refund is never posted twice (workflows/order-state.ts);
//  - it only shows the latest chargeback state (`api-chargeback-<RESOLUTION>`);
//  - without a per-order refund list, a REFUND status is one full refund of GrossPrice;
//  - 2Checkout's exchange rate (the IPN's FX_RATE) is read when the order carries it (FxRate and
//    PayoutCurrency, UNCONFIRMED); without it the sale is booked at NetSuite's rate for its date
//    (mappings/order-amounts.ts decideExchangeRate; docs/reconciliation.md).
import type { ApiOrder, ApiParty } from '../twocheckout/rest/orders.js';
import type { OrderStatus } from './canonical.js';
import { OrderEvent, type EventSource, type OrderLine } from './canonical.js';
import { API_EVENT_PREFIX, apiRefunds, isFromApi } from './api-events.js';

export { API_EVENT_PREFIX, apiRefunds, isFromApi };

export class ApiOrderMappingError extends Error {
  override readonly name = 'ApiOrderMappingError';
  constructor(
    readonly refNo: string,
    readonly field: string,
    message: string,
  ) {
    super(`order ${refNo}: ${field}: ${message}`);
  }
}

/** `Y-m-d H:i:s` → `YmdHis`. */
export function compactDateTime(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (m) return `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}`;
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (d) return `${d[1]}${d[2]}${d[3]}000000`;
  throw new Error(`not a 2Checkout date: ${JSON.stringify(value)}`);
}

function negate(amount: string): string {
  if (amount.startsWith('-')) return amount.slice(1);
  return /^[0.]+$/.test(amount) ? amount : `-${amount}`;
}

function lines(order: ApiOrder): OrderLine[] {
  if (order.Items.length === 0) throw new ApiOrderMappingError(order.RefNo, 'Items', 'the order has no items');
  return order.Items.map((item, index) => {
    const p = item.Price;
    const qty = item.Quantity;
    const unitPrice = p.UnitNetPrice ?? (qty === '1' ? p.NetPrice : undefined);
    if (unitPrice === undefined)
      throw new ApiOrderMappingError(
        order.RefNo,
        `Items[${index}].Price.UnitNetPrice`,
        'missing: the unit price of the line is needed',
      );
    const total = p.GrossDiscountedPrice ?? p.GrossPrice;
    if (total === undefined)
      throw new ApiOrderMappingError(
        order.RefNo,
        `Items[${index}].Price.GrossPrice`,
        'missing: the line total is needed',
      );
    return {
      index,
      productId: item.ProductId ?? item.Code,
      productCode: item.Code,
      ...(item.SKU ? { sku: item.SKU } : {}),
      name: item.ProductName ?? item.Code,
      quantity: qty,
      unitPrice,
      vat: p.VAT ?? '0',
      ...(p.VATPercent !== undefined ? { vatRate: p.VATPercent } : {}),
      discount: p.Discount ?? '0',
      total,
      ...(item.SubscriptionReference ? { license: { ref: item.SubscriptionReference, lifetime: false } } : {}),
    };
  });
}

/** The order's refunds, oldest first; a REFUND status without a list is one full refund. */

const SALE_STATUS: Record<string, OrderStatus> = {
  PENDING: 'PENDING',
  AUTHRECEIVED: 'AUTHRECEIVED',
  PAYMENT_AUTHORIZED: 'PAYMENT_AUTHORIZED',
  COMPLETE: 'COMPLETE',
  // A refunded order was paid first: its sale is COMPLETE, its refunds are events of their own.
  REFUND: 'COMPLETE',
};

/** The canonical events that describe everything 2Checkout's API shows of one order. */
export function apiOrderToEvents(order: ApiOrder, source: Exclude<EventSource, 'webhook'>): OrderEvent[] {
  const refNo = order.RefNo;
  const saleDate = order.OrderDate;
  const orderLines = lines(order);
  const billing: Partial<ApiParty> = order.BillingDetails ?? order.CustomerDetails ?? {};
  const party = (p: Partial<ApiParty>) => ({
    firstName: p.FirstName ?? '',
    lastName: p.LastName ?? '',
    ...(p.Company ? { company: p.Company } : {}),
    email: p.Email ?? '',
    ...(p.Phone ? { phone: p.Phone } : {}),
    ...(p.Address1 ? { address1: p.Address1 } : {}),
    ...(p.Address2 ? { address2: p.Address2 } : {}),
    ...(p.City ? { city: p.City } : {}),
    ...(p.State ? { state: p.State } : {}),
    ...(p.Zip ? { zip: p.Zip } : {}),
    ...(p.CountryCode ? { countryCode: p.CountryCode.toUpperCase() } : {}),
  });
  const base = {
    kind: 'order' as const,
    source,
    refNo,
    ...(order.ExternalReference ? { refNoExt: order.ExternalReference } : {}),
    ...(order.OrderNo ? { orderNo: order.OrderNo } : {}),
    saleDate,
    ...(order.FinishDate ? { paymentDate: order.FinishDate, completeDate: order.FinishDate } : {}),
    testOrder: order.TestOrder ?? false,
    currency: order.Currency,
    paymentMethod: order.PaymentDetails?.Type ?? '',
    ...(order.Language ? { language: order.Language } : {}),
    customer: {
      ...(order.CustomerDetails?.AvangateCustomerReference
        ? { twoCheckoutRef: order.CustomerDetails.AvangateCustomerReference }
        : {}),
      ...(order.CustomerDetails?.ExternalCustomerReference
        ? { externalRef: order.CustomerDetails.ExternalCustomerReference }
        : {}),
      billing: party(billing),
      ...(order.DeliveryDetails ? { delivery: party(order.DeliveryDetails) } : {}),
    },
    lines: orderLines,
    totals: { general: order.GrossPrice, shipping: order.Shipping ?? '0', shippingTax: order.ShippingVAT ?? '0' },
    fx: {
      ...(order.FxRate !== undefined ? { rate: order.FxRate } : {}),
      ...(order.FxMarkup !== undefined ? { markup: order.FxMarkup } : {}),
      ...(order.PayoutCurrency ? { payoutCurrency: order.PayoutCurrency.toUpperCase() } : {}),
    },
    originalRefNoExt: [],
    extra: { AVANGATE_COMMISSION: order.AvangateCommission ?? '' },
  };
  const events: OrderEvent[] = [];
  const at = compactDateTime(order.FinishDate ?? order.OrderDate);

  if (order.Status === 'REVERSED' || order.Status === 'CANCELED') {
    events.push(
      finalize(refNo, {
        ...base,
        key: `api|${refNo}|${order.Status}`,
        eventRef: `${API_EVENT_PREFIX}${order.Status.toLowerCase()}`,
        status: order.Status,
        ipnDate: at,
      }),
    );
    return events;
  }
  const status = SALE_STATUS[order.Status];
  if (!status)
    throw new ApiOrderMappingError(
      refNo,
      'Status',
      `unknown order status ${JSON.stringify(order.Status)}; known: ${Object.keys(SALE_STATUS).join(', ')}, REVERSED, CANCELED`,
    );
  events.push(
    finalize(refNo, {
      ...base,
      key: `api|${refNo}|sale|${status}`,
      eventRef: `${API_EVENT_PREFIX}sale`,
      status,
      ipnDate: at,
    }),
  );

  apiRefunds(order).forEach((r, i) => {
    const full = r.Amount === order.GrossPrice;
    const ref = r.RefundReference
      ? `${API_EVENT_PREFIX}refund-${r.RefundReference}`
      : `${API_EVENT_PREFIX}refund-${i + 1}`;
    events.push(
      finalize(refNo, {
        ...base,
        key: `api|${refNo}|refund|${i + 1}|${r.Amount}|${r.Date}`,
        eventRef: ref,
        status: 'REFUND',
        ipnDate: compactDateTime(r.Date),
        // A full refund credits every line like the IPN does; a partial one without line detail is
        // credited pro rata (lines at zero tell the refund planner to do so).
        lines: full
          ? orderLines.map((l) => ({
              ...l,
              unitPrice: negate(l.unitPrice),
              vat: negate(l.vat),
              discount: negate(l.discount),
              total: negate(l.total),
            }))
          : orderLines.map((l) => ({ ...l, unitPrice: '0', vat: '0', discount: '0', total: '0' })),
        totals: {
          general: negate(r.Amount),
          shipping: full ? negate(base.totals.shipping) : '0',
          shippingTax: full ? negate(base.totals.shippingTax) : '0',
        },
        refund: { ...(r.Type ? { type: r.Type } : {}), ...(r.Reason ? { reason: r.Reason } : {}) },
      }),
    );
  });

  const resolution = order.ChargebackResolution?.toUpperCase();
  if (resolution && resolution !== 'NONE') {
    events.push(
      finalize(refNo, {
        ...base,
        key: `api|${refNo}|chargeback|${resolution}`,
        eventRef: `${API_EVENT_PREFIX}chargeback-${resolution}`,
        status: 'COMPLETE',
        ipnDate: at,
        chargeback: { resolution, ...(order.ChargebackReasonCode ? { reasonCode: order.ChargebackReasonCode } : {}) },
      }),
    );
  }
  return events;
}

function finalize(refNo: string, event: unknown): OrderEvent {
  const r = OrderEvent.safeParse(event);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ApiOrderMappingError(refNo, issue?.path.join('.') ?? '(order)', issue?.message ?? 'invalid');
}
