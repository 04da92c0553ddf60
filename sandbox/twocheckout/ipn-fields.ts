// Builds the ordered field list of an IPN from a friendly order description, in the order
// 2Checkout's own fixtures show (docs/reference-notes.md#2co-ipn-fields). Line totals and IPN_TOTALGENERAL are computed
// exactly (bigint minor units, half-up) unless given, so a built IPN always adds up.
import type { OrderStatus } from '../../mappings/canonical.js';
import { currencyExponent, formatMinor, multiply, toMinor, type Minor } from '../../mappings/money.js';
import {
  applyTweaks,
  formatCompactDate,
  formatDateTime,
  stableDigits,
  type CustomerInput,
  type FieldTweaks,
  type NotificationFields,
  type PartyInput,
} from './fields.js';

export interface LicenseInput {
  /** IPN_LICENSE_REF: the subscription reference (= LCN LICENSE_CODE). */
  ref: string;
  /** IPN_LICENSE_TYPE; REGULAR is the confirmed value, others (RENEW, UPGRADE, TRIAL) are unconfirmed. */
  type?: string;
  /** `Y-m-d H:i:s`. */
  start?: string;
  expires?: string;
  lifetime?: boolean;
  additionalInfo?: string;
}

export interface IpnLineInput {
  /** IPN_PCODE: the merchant's product code (what maps to a NetSuite item). */
  productCode: string;
  /** IPN_PNAME. */
  name: string;
  /** IPN_PID: 2Checkout's product id; default a stable number derived from the code. */
  productId?: string;
  quantity?: string | number;
  /** IPN_PRICE: unit price, net, as a decimal string ("-49.00" on refunds). */
  price: string;
  /** IPN_VAT: VAT amount of the line; default computed from `vatRate`, else 0. */
  vat?: string;
  /** IPN_VAT_RATE in percent, e.g. "19". */
  vatRate?: string;
  /** IPN_DISCOUNT: discount amount of the line. */
  discount?: string;
  /** IPN_TOTAL; default quantity × price − discount + VAT, rounded to the currency. */
  total?: string;
  sku?: string;
  externalReference?: string;
  info?: string;
  version?: string;
  productGroup?: string;
  productGroupName?: string;
  promoName?: string;
  promoCode?: string;
  /** IPN_DELIVEREDCODES for the line (activation keys). */
  deliveredCodes?: string;
  license?: LicenseInput;
}

export interface IpnOrderInput extends FieldTweaks {
  refNo: string;
  /** Any string, so tests can send a status 2Checkout retired (e.g. TEST). */
  status: OrderStatus | (string & {});
  customer: CustomerInput;
  lines: IpnLineInput[];
  /** When the event happened; default now. Drives IPN_DATE and the order dates. */
  at?: Date;
  /** `YmdHis`; default `at` in the merchant time zone. */
  ipnDate?: string;
  /** Default: a stable number derived from the whole input (see defaultMessageId). Empty string → sent empty. */
  messageId?: string;
  messageType?: string;
  refNoExt?: string;
  /** Renewals: REFNOEXT of the original order(s). */
  originalRefNoExt?: string[];
  orderNo?: string;
  saleDate?: string;
  paymentDate?: string;
  completeDate?: string;
  /** Default `GMT+03:00` (contains a `+`, which must survive the wire as `%2B`). */
  timezoneOffset?: string;
  currency?: string;
  language?: string;
  paymentMethod?: { name: string; code: string };
  card?: { type: string; lastDigits: string; expiration: string };
  shipping?: string;
  shippingTax?: string;
  couponDiscount?: string;
  /** IPN_TOTALGENERAL; default Σ IPN_TOTAL + shipping + shipping tax. */
  totalGeneral?: string;
  refundType?: string;
  refundReason?: string;
  /** Default `NONE`. */
  chargebackResolution?: string;
  chargebackReasonCode?: string;
  test?: boolean;
  fraudStatus?: string;
  fx?: { rate?: string; markup?: string; payableAmount?: string; payoutCurrency?: string };
  vendorCode?: string;
}

export const DEFAULT_TIMEZONE_OFFSET = 'GMT+03:00';
const CARD = { name: 'Visa/MasterCard', code: 'CCVISAMC' };
const PAID = new Set(['PAYMENT_AUTHORIZED', 'PAYMENT_RECEIVED', 'COMPLETE', 'AUTHRECEIVED', 'REFUND']);

export function defaultProductId(productCode: string): string {
  return stableDigits(`product:${productCode}`, 7);
}

/**
 * A stable MESSAGE_ID derived from everything the order says, so building the same input twice is a
 * redelivery (same id) while two different events at the same second (a chargeback WON vs LOST)
 * still differ.
 */
export function defaultMessageId(order: IpnOrderInput, ipnDate: string): string {
  return stableDigits(`message:${JSON.stringify({ ...order, at: undefined, messageId: undefined, ipnDate })}`, 9);
}

interface LineAmounts {
  vat: string;
  total: Minor;
}

/** VAT and total of a line in minor units of the order currency (half-up, symmetric for refunds). */
function lineAmounts(line: IpnLineInput, exponent: number): LineAmounts {
  const quantity = String(line.quantity ?? 1);
  const net =
    multiply(toMinor(line.price, exponent + 4), exponent + 4, quantity, exponent) -
    toMinor(line.discount ?? '0', exponent);
  // net × rate / 100: treat net as having two more decimals, then multiply by the rate.
  const vat =
    line.vat ??
    (line.vatRate
      ? formatMinor(multiply(net, exponent + 2, line.vatRate, exponent), exponent)
      : formatMinor(0n, exponent));
  const total = line.total === undefined ? net + toMinor(vat, exponent) : toMinor(line.total, exponent);
  return { vat, total };
}

function party(suffix: '' | '_D', p: PartyInput | undefined, emailField: string): NotificationFields {
  const v = (x: string | undefined) => x ?? '';
  return [
    [`FIRSTNAME${suffix}`, v(p?.firstName)],
    [`LASTNAME${suffix}`, v(p?.lastName)],
    [`COMPANY${suffix}`, v(p?.company)],
    ...(suffix === ''
      ? ([
          ['REGISTRATIONNUMBER', ''],
          ['FISCALCODE', ''],
        ] as NotificationFields)
      : []),
    [`ADDRESS1${suffix}`, v(p?.address1)],
    [`ADDRESS2${suffix}`, v(p?.address2)],
    [`CITY${suffix}`, v(p?.city)],
    [`STATE${suffix}`, v(p?.state)],
    [`ZIPCODE${suffix}`, v(p?.zip)],
    [`COUNTRY${suffix}`, v(p?.country)],
    [suffix === '' ? 'COUNTRY_CODE' : 'COUNTRY_D_CODE', v(p?.countryCode)],
    [`PHONE${suffix}`, v(p?.phone)],
    ...(suffix === '' ? ([['FAX', '']] as NotificationFields) : []),
    [emailField, v(p?.email)],
  ];
}

/** The IPN fields of `order`, in 2Checkout's order, without signatures. */
/** The order's date as the merchant sees it (2Checkout's OrderDate): the day reconciliation files it under. */
export function merchantDayOf(order: IpnOrderInput, now: Date = new Date()): string {
  return formatDateTime(order.at ?? now, order.timezoneOffset ?? DEFAULT_TIMEZONE_OFFSET).slice(0, 10);
}

export function buildIpnFields(order: IpnOrderInput): NotificationFields {
  if (order.lines.length === 0) throw new Error('an IPN needs at least one line');
  const at = order.at ?? new Date();
  const tz = order.timezoneOffset ?? DEFAULT_TIMEZONE_OFFSET;
  const currency = order.currency ?? 'USD';
  const exponent = currencyExponent(currency);
  const ipnDate = order.ipnDate ?? formatCompactDate(at, tz);
  const when = formatDateTime(at, tz);
  const paid = PAID.has(order.status);
  const payment = order.paymentMethod ?? CARD;
  const card =
    order.card ?? (payment.code === CARD.code ? { type: 'Visa', lastDigits: '4242', expiration: '12/30' } : undefined);

  const amounts = order.lines.map((l) => lineAmounts(l, exponent));
  const shipping = order.shipping ?? formatMinor(0n, exponent);
  const shippingTax = order.shippingTax ?? formatMinor(0n, exponent);
  const totalGeneral =
    order.totalGeneral ??
    formatMinor(
      amounts.reduce((s, a) => s + a.total, 0n) + toMinor(shipping, exponent) + toMinor(shippingTax, exponent),
      exponent,
    );

  const col = (pick: (l: IpnLineInput, i: number) => string): string[] => order.lines.map(pick);
  const anyLine = (pick: (l: IpnLineInput) => string | undefined) => order.lines.some((l) => pick(l) !== undefined);
  const licensed = order.lines.map((l, i) => ({ l, i })).filter(({ l }) => l.license !== undefined);
  const productId = (l: IpnLineInput) => l.productId ?? defaultProductId(l.productCode);

  const fields: NotificationFields = [
    ['GIFT_ORDER', '0'],
    ['SALEDATE', order.saleDate ?? when],
    ['PAYMENTDATE', order.paymentDate ?? (paid ? when : '')],
    ['REFNO', order.refNo],
    ['REFNOEXT', order.refNoExt ?? ''],
    // Position of ORIGINAL_REFNOEXT[] is not in the fixtures; the gateway hashes in received order anyway.
    ...(order.originalRefNoExt ? ([['ORIGINAL_REFNOEXT', order.originalRefNoExt]] as NotificationFields) : []),
    ['ORDERNO', order.orderNo ?? stableDigits(`orderno:${order.refNo}`, 5)],
    ['ORDERSTATUS', order.status],
    ['PAYMETHOD', payment.name],
    ['PAYMETHOD_CODE', payment.code],
    ...party('', order.customer, 'CUSTOMEREMAIL'),
    ...(order.customer.delivery ? party('_D', order.customer.delivery, 'EMAIL_D') : []),
    ['IPADDRESS', '192.0.2.10'],
    ['IPCOUNTRY', order.customer.country ?? ''],
    ['COMPLETE_DATE', order.completeDate ?? (order.status === 'COMPLETE' ? when : '')],
    ['TIMEZONE_OFFSET', tz],
    ['CURRENCY', currency],
    ['LANGUAGE', order.language ?? 'en'],
    ['ORDERFLOW', 'REGULAR'],
    ['IPN_PID', col(productId)],
    ['IPN_PNAME', col((l) => l.name)],
    ['IPN_PCODE', col((l) => l.productCode)],
    ...(anyLine((l) => l.externalReference)
      ? ([['IPN_EXTERNAL_REFERENCE', col((l) => l.externalReference ?? '')]] as NotificationFields)
      : []),
    ['IPN_INFO', col((l) => l.info ?? '')],
    ['IPN_QTY', col((l) => String(l.quantity ?? 1))],
    ['IPN_PRICE', col((l) => l.price)],
    ['IPN_VAT', amounts.map((a) => a.vat)],
    ['IPN_VAT_RATE', col((l) => l.vatRate ?? (l.vat === undefined ? '0' : ''))],
    ['IPN_VER', col((l) => l.version ?? '1')],
    ['IPN_DISCOUNT', col((l) => l.discount ?? formatMinor(0n, exponent))],
    ...(anyLine((l) => l.promoName ?? l.promoCode)
      ? ([
          ['IPN_PROMONAME', col((l) => l.promoName ?? '')],
          ['IPN_PROMOCODE', col((l) => l.promoCode ?? '')],
        ] as NotificationFields)
      : []),
    ...(anyLine((l) => l.sku) ? ([['IPN_SKU', col((l) => l.sku ?? '')]] as NotificationFields) : []),
    ...(anyLine((l) => l.productGroup ?? l.productGroupName)
      ? ([
          ['IPN_PGROUP', col((l) => l.productGroup ?? '')],
          ['IPN_PGROUP_NAME', col((l) => l.productGroupName ?? '')],
        ] as NotificationFields)
      : []),
    ['MESSAGE_ID', order.messageId ?? defaultMessageId(order, ipnDate)],
    [
      'MESSAGE_TYPE',
      order.messageType ??
        (order.status === 'PENDING' ? 'PENDING' : order.status === 'PAYMENT_AUTHORIZED' ? 'AUTH' : order.status),
    ],
    ...(licensed.length > 0
      ? ([
          ['IPN_LICENSE_PROD', licensed.map(({ l }) => productId(l))],
          ['IPN_LICENSE_TYPE', licensed.map(({ l }) => l.license?.type ?? 'REGULAR')],
          ['IPN_LICENSE_REF', licensed.map(({ l }) => l.license?.ref ?? '')],
          ['IPN_LICENSE_EXP', licensed.map(({ l }) => l.license?.expires ?? '')],
          ['IPN_LICENSE_START', licensed.map(({ l }) => l.license?.start ?? when)],
          ['IPN_LICENSE_LIFETIME', licensed.map(({ l }) => (l.license?.lifetime ? 'YES' : 'NO'))],
          ['IPN_LICENSE_ADDITIONAL_INFO', licensed.map(({ l }) => l.license?.additionalInfo ?? '')],
        ] as NotificationFields)
      : []),
    ['IPN_DELIVEREDCODES', col((l) => l.deliveredCodes ?? '')],
    ['IPN_DOWNLOAD_LINK', ''],
    ['IPN_TOTAL', amounts.map((a) => formatMinor(a.total, exponent))],
    ['IPN_TOTALGENERAL', totalGeneral],
    ['IPN_SHIPPING', shipping],
    ['IPN_SHIPPING_TAX', shippingTax],
    ['AVANGATE_CUSTOMER_REFERENCE', order.customer.twoCheckoutRef ?? ''],
    ['EXTERNAL_CUSTOMER_REFERENCE', order.customer.externalRef ?? ''],
    ...(order.couponDiscount !== undefined
      ? ([['IPN_COUPON_DISCOUNT', order.couponDiscount]] as NotificationFields)
      : []),
    ['IPN_LINK_SOURCE', ''],
    ['REFUND_TYPE', order.refundType ?? ''],
    ...(order.refundReason !== undefined ? ([['REFUND_REASON', order.refundReason]] as NotificationFields) : []),
    ['CHARGEBACK_RESOLUTION', order.chargebackResolution ?? 'NONE'],
    ['CHARGEBACK_REASON_CODE', order.chargebackReasonCode ?? ''],
    ['TEST_ORDER', order.test ? '1' : '0'],
    ['IPN_ORDER_ORIGIN', 'Web'],
    ['FRAUD_STATUS', order.fraudStatus ?? (order.status === 'PENDING_APPROVAL' ? 'UNDER REVIEW' : 'APPROVED')],
    ...(card
      ? ([
          ['CARD_TYPE', card.type],
          ['CARD_LAST_DIGITS', card.lastDigits],
          ['CARD_EXPIRATION_DATE', card.expiration],
          ['GATEWAY_RESPONSE', 'Approved'],
        ] as NotificationFields)
      : []),
    ['IPN_DATE', ipnDate],
    ...(order.fx
      ? ([
          ['FX_RATE', order.fx.rate ?? '1'],
          ['FX_MARKUP', order.fx.markup ?? '0'],
          ['PAYABLE_AMOUNT', order.fx.payableAmount ?? ''],
          ['PAYOUT_CURRENCY', order.fx.payoutCurrency ?? 'USD'],
        ] as NotificationFields)
      : []),
    ['VENDOR_CODE', order.vendorCode ?? 'DEMOVENDOR'],
    ['PROPOSAL_ID', ''],
  ];
  return applyTweaks(fields, order);
}
