// Canonical events: the typed, source-neutral shape every 2Checkout notification is turned into
// at the gateway, and the only shape workflows and activities see.
// Amounts are decimal strings exactly as 2Checkout sent them (never binary floats); money maths
// happens in mappings/money.ts in integer minor units.
import { z } from 'zod';

/** A decimal amount as sent by 2Checkout, e.g. "19.99", "-5.00", "0", "1500". */
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number such as 19.99');
export type DecimalString = z.infer<typeof DecimalString>;

/** ISO-4217 code, upper case. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter ISO-4217 currency code');

export const ORDER_STATUSES = [
  'PENDING',
  'PURCHASE_PENDING',
  'PENDING_APPROVAL',
  'PAYMENT_AUTHORIZED',
  'PAYMENT_RECEIVED',
  'PENDING_ORDER_APPROVAL',
  'AUTHRECEIVED',
  'COMPLETE',
  'CANCELED',
  'REVERSED',
  'REFUND',
  'SUSPECT',
  'INVALID',
] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;
/**
 * An order event's status: a known ORDERSTATUS, or UNKNOWN for a value this service does not
 * handle (the raw value is in `unknownStatus`). Such an event is accepted and parked, never refused.
 */
export const OrderEventStatus = z.union([OrderStatus, z.literal('UNKNOWN')]);
export type OrderEventStatus = z.infer<typeof OrderEventStatus>;

export const Party = z.object({
  firstName: z.string(),
  lastName: z.string(),
  company: z.string().optional(),
  email: z.string(),
  phone: z.string().optional(),
  address1: z.string().optional(),
  address2: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: z.string().optional(),
});
export type Party = z.infer<typeof Party>;

export const LicenseInfo = z.object({
  /** Subscription reference (IPN_LICENSE_REF = LCN LICENSE_CODE). */
  ref: z.string(),
  /** REGULAR, TRIAL, RENEW, UPGRADE, … (open set). */
  type: z.string().optional(),
  productId: z.string().optional(),
  /** `Y-m-d H:i:s` in the merchant time zone, as received. */
  start: z.string().optional(),
  expires: z.string().optional(),
  lifetime: z.boolean().default(false),
});
export type LicenseInfo = z.infer<typeof LicenseInfo>;

export const OrderLine = z.object({
  /** 0-based position in the IPN arrays. */
  index: z.number().int().nonnegative(),
  productId: z.string(),
  productCode: z.string(),
  sku: z.string().optional(),
  name: z.string(),
  /** Product group code (IPN_PGROUP) and name (IPN_PGROUP_NAME). */
  productGroup: z.string().optional(),
  productGroupName: z.string().optional(),
  quantity: DecimalString,
  /** Unit price, net of VAT (IPN_PRICE). */
  unitPrice: DecimalString,
  /** VAT amount of the line (IPN_VAT) and its rate in percent (IPN_VAT_RATE). */
  vat: DecimalString,
  vatRate: DecimalString.optional(),
  /** Discount of the line (IPN_DISCOUNT). */
  discount: DecimalString,
  /** Line total, gross (IPN_TOTAL). */
  total: DecimalString,
  license: LicenseInfo.optional(),
});
export type OrderLine = z.infer<typeof OrderLine>;

/**
 * Where an event came from: a webhook (IPN), or 2Checkout's REST API read by a backfill or a
 * reconciliation run. Absent means webhook (events recorded before this field existed). Bulk
 * sources are marked so a priority scheme can put webhooks first.
 */
export const EVENT_SOURCES = ['webhook', 'backfill', 'reconcile'] as const;
export const EventSource = z.enum(EVENT_SOURCES);
export type EventSource = z.infer<typeof EventSource>;

export const OrderEvent = z.object({
  kind: z.literal('order'),
  source: EventSource.optional(),
  /** De-duplication key of this notification: REFNO|ORDERSTATUS|MESSAGE_ID (or content digest, see eventRef)|IPN_DATE. */
  key: z.string(),
  /**
   * Identifies a money-back event (refund/chargeback/void) within its order; used in NetSuite
   * externalIds. MESSAGE_ID when 2Checkout sends it; else, for money-back events, a digest of what
   * the notification says (mappings/event-ref.ts), and IPN_DATE for other events.
   */
  eventRef: z.string(),
  /**
   * Set by the order workflow on a REFUND without MESSAGE_ID that says exactly what an earlier one
   * (this eventRef) said under another IPN_DATE: a re-sent notification or a second identical
   * refund, which cannot be told apart. Its refund step parks AMBIGUOUS_REFUND instead of posting.
   */
  sameContentAs: z.string().optional(),
  refNo: z.string(),
  refNoExt: z.string().optional(),
  orderNo: z.string().optional(),
  status: OrderEventStatus,
  /** The ORDERSTATUS as received, when it is not one this service handles (status is then UNKNOWN). */
  unknownStatus: z.string().optional(),
  messageType: z.string().optional(),
  messageId: z.string().optional(),
  /** `YmdHis`, as received. */
  ipnDate: z.string(),
  saleDate: z.string().optional(),
  paymentDate: z.string().optional(),
  completeDate: z.string().optional(),
  /** e.g. `GMT+03:00`. */
  timezoneOffset: z.string().optional(),
  testOrder: z.boolean(),
  currency: CurrencyCode,
  /** PAYMETHOD_CODE, e.g. CCVISAMC; falls back to PAYMETHOD. */
  paymentMethod: z.string(),
  language: z.string().optional(),
  customer: z.object({
    /** 2Checkout customer id (AVANGATE_CUSTOMER_REFERENCE). */
    twoCheckoutRef: z.string().optional(),
    /** Merchant's own customer id (EXTERNAL_CUSTOMER_REFERENCE). */
    externalRef: z.string().optional(),
    billing: Party,
    delivery: Party.optional(),
  }),
  lines: z.array(OrderLine).min(1),
  totals: z.object({
    /** What the shopper paid (IPN_TOTALGENERAL); negative on refund IPNs. */
    general: DecimalString,
    shipping: DecimalString.default('0'),
    shippingTax: DecimalString.default('0'),
    couponDiscount: DecimalString.optional(),
  }),
  fx: z
    .object({
      rate: DecimalString.optional(),
      markup: DecimalString.optional(),
      payoutCurrency: z.string().optional(),
    })
    .default({}),
  refund: z
    .object({
      type: z.string().optional(),
      reason: z.string().optional(),
    })
    .optional(),
  chargeback: z
    .object({
      resolution: z.string(),
      reasonCode: z.string().optional(),
    })
    .optional(),
  /** On renewals: REFNOEXT of the original order(s). */
  originalRefNoExt: z.array(z.string()).default([]),
  /** Every field as received, minus signatures and personal data, for audit and future use. */
  extra: z.record(z.string(), z.string()).default({}),
});
export type OrderEvent = z.infer<typeof OrderEvent>;

export const LicenseEvent = z.object({
  kind: z.literal('license'),
  /** LICENSE_CODE|DISPATCH_REASON|DATE_UPDATED|signature */
  key: z.string(),
  licenseCode: z.string(),
  dispatchReason: z.string().optional(),
  /** ACTIVE, DISABLED, EXPIRED, PASTDUE, … (open set). */
  status: z.string().optional(),
  expirationDate: z.string(),
  dateUpdated: z.string().optional(),
  startDate: z.string().optional(),
  changedBy: z.string().optional(),
  licenseType: z.string().optional(),
  recurring: z.boolean().optional(),
  disabled: z.boolean().optional(),
  expired: z.boolean().optional(),
  lifetime: z.boolean().optional(),
  productCode: z.string().optional(),
  productId: z.string().optional(),
  quantity: z.string().optional(),
  nextRenewalDate: z.string().optional(),
  nextRenewalPrice: DecimalString.optional(),
  nextRenewalCurrency: z.string().optional(),
  lastOrderRef: z.string().optional(),
  originalOrderRef: z.string().optional(),
  renewalsNumber: z.number().int().optional(),
  upgradesNumber: z.number().int().optional(),
  gracePeriod: z.string().optional(),
  testOrder: z.boolean(),
  customer: z.object({
    twoCheckoutRef: z.string().optional(),
    externalRef: z.string().optional(),
  }),
  extra: z.record(z.string(), z.string()).default({}),
});
export type LicenseEvent = z.infer<typeof LicenseEvent>;

export type CanonicalEvent = OrderEvent | LicenseEvent;
