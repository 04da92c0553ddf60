// Canonical subscription events for the subscription tests: posted-order notices (what the order
// workflow sends) and LCNs (what the gateway sends), with dates relative to a chosen start so the
// same builders serve the pure tests and the time-skipping workflow tests.
import type { LicenseEvent, OrderEvent } from '../../mappings/canonical.js';
import type { OrderRecords } from '../../mappings/sync-types.js';
import type { SubscriptionOrderNotice } from '../../workflows/messages.js';

/** `YYYY-MM-DD HH:mm:ss` of a UTC instant (the merchant time zone in these tests is GMT+00:00). */
export function local(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Same day-of-month `n` months later (UTC); 2Checkout monthly billing keeps the day. */
export function addMonths(d: Date, n: number): Date {
  const out = new Date(d.getTime());
  out.setUTCMonth(out.getUTCMonth() + n);
  return out;
}

export const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000);

export interface LicenceOrderOptions {
  licenseCode: string;
  productCode?: string;
  quantity?: number;
  price?: string;
  /** Licence period of the order (IPN_LICENSE_START / IPN_LICENSE_EXP). */
  start: Date;
  expires: Date;
  /** SALEDATE; default: the licence start. */
  placedAt?: Date;
  licenseType?: string;
  records?: OrderRecords;
  customerRef?: string;
}

export function licenceOrder(refNo: string, o: LicenceOrderOptions): SubscriptionOrderNotice {
  const placedAt = o.placedAt ?? o.start;
  const ipnDate = local(placedAt).replace(/[- :]/g, '');
  const price = o.price ?? '10.00';
  const quantity = String(o.quantity ?? 1);
  const total = ((Math.round(Number(price) * 100) * (o.quantity ?? 1)) / 100).toFixed(2);
  const order: OrderEvent = {
    kind: 'order',
    key: `${refNo}|COMPLETE|${refNo}1|${ipnDate}`,
    eventRef: `${refNo}1`,
    refNo,
    status: 'COMPLETE',
    ipnDate,
    saleDate: local(placedAt),
    timezoneOffset: 'GMT+00:00',
    testOrder: false,
    currency: 'USD',
    paymentMethod: 'CCVISAMC',
    customer: {
      twoCheckoutRef: o.customerRef ?? '900001',
      billing: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', countryCode: 'US' },
    },
    lines: [
      {
        index: 0,
        productId: '5001',
        productCode: o.productCode ?? 'SUB-MONTHLY',
        name: o.productCode ?? 'SUB-MONTHLY',
        quantity,
        unitPrice: price,
        vat: '0',
        discount: '0',
        total,
        license: {
          ref: o.licenseCode,
          type: o.licenseType ?? 'REGULAR',
          productId: '5001',
          start: local(o.start),
          expires: local(o.expires),
          lifetime: false,
        },
      },
    ],
    totals: { general: total, shipping: '0', shippingTax: '0' },
    fx: {},
    originalRefNoExt: [],
    extra: {},
  };
  return {
    refNo,
    order,
    records: o.records ?? {
      customerId: '301',
      salesOrderId: `so-${refNo}`,
      invoiceId: `inv-${refNo}`,
      paymentId: `pay-${refNo}`,
    },
  };
}

export interface LcnOptions {
  reason?: string;
  status?: string;
  expires: Date;
  updatedAt: Date;
  start?: Date;
  recurring?: boolean;
  disabled?: boolean;
  productCode?: string;
  quantity?: number;
  gracePeriod?: string;
  nextRenewal?: Date;
}

let lcnSeq = 0;
/** An LCN; the key is unique per call, like a real LCN whose signature differs. Reuse the object to model a redelivery. */
export function lcn(licenseCode: string, o: LcnOptions): LicenseEvent {
  lcnSeq++;
  const dateUpdated = local(o.updatedAt);
  return {
    kind: 'license',
    key: `${licenseCode}|${o.reason ?? ''}|${dateUpdated}|sig${lcnSeq}`,
    licenseCode,
    ...(o.reason ? { dispatchReason: o.reason } : {}),
    status: o.status ?? 'ACTIVE',
    expirationDate: local(o.expires),
    dateUpdated,
    ...(o.start ? { startDate: local(o.start) } : {}),
    ...(o.recurring !== undefined ? { recurring: o.recurring } : {}),
    ...(o.disabled !== undefined ? { disabled: o.disabled } : {}),
    ...(o.productCode ? { productCode: o.productCode } : {}),
    ...(o.quantity !== undefined ? { quantity: String(o.quantity) } : {}),
    ...(o.gracePeriod ? { gracePeriod: o.gracePeriod } : {}),
    ...(o.nextRenewal ? { nextRenewalDate: local(o.nextRenewal) } : {}),
    testOrder: false,
    customer: { twoCheckoutRef: '900001' },
    extra: { TIMEZONE_OFFSET: 'GMT+00:00' },
  };
}
