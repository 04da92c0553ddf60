// 2Checkout IPN / LCN form → canonical events (mappings/canonical.ts). Pure: no I/O, no clock.
// Every value that matters downstream is validated here with zod, and a bad one is reported by
// its 2Checkout field name (`IPN_QTY[1]`, `CURRENCY`) so the gateway's 400 says exactly what is
// wrong and where. Amounts stay decimal strings as received.
import { z } from 'zod';
import type { NotificationForm } from '../twocheckout/webhooks/form.js';
import { isSignatureField } from '../twocheckout/webhooks/signature.js';
import { contentEventRef } from './event-ref.js';
import {
  DecimalString,
  LicenseEvent,
  OrderEvent,
  OrderStatus,
  type LicenseInfo,
  type OrderLine,
  type Party,
} from './canonical.js';

/** A notification whose content cannot be mapped. `field` is the 2Checkout field name, e.g. `IPN_QTY[1]`. */
export class NotificationParseError extends Error {
  override readonly name = 'NotificationParseError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type NotificationKind = 'ipn' | 'lcn' | 'unknown';

/** An IPN has REFNO / IPN_DATE; an LCN has LICENSE_CODE and EXPIRATION_DATE but no REFNO. */
export function notificationKind(form: NotificationForm): NotificationKind {
  if (form.has('REFNO')) return 'ipn';
  if (form.has('LICENSE_CODE') && form.has('EXPIRATION_DATE')) return 'lcn';
  if (form.has('IPN_DATE')) return 'ipn';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Field readers

const RefNo = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected the 2Checkout order reference (digits, at most 64 characters)');
const IpnDate = z.string().regex(/^\d{14}$/, 'expected YmdHis, 14 digits such as 20240315124133');
const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'expected a 3-letter ISO-4217 currency code such as USD')
  .transform((c) => c.toUpperCase());
const CountryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'expected a 2-letter ISO 3166-1 country code such as us')
  .transform((c) => c.toUpperCase());
const Flag01 = z.enum(['0', '1'], { error: 'expected 1 or 0' }).transform((v) => v === '1');
const YesNo = z
  .enum(['YES', 'NO', 'yes', 'no', '1', '0'], { error: 'expected YES or NO' })
  .transform((v) => v === 'YES' || v === 'yes' || v === '1');
const Count = z
  .string()
  .regex(/^\d+$/, 'expected a whole number such as 3')
  .transform((v) => Number.parseInt(v, 10));
const NonEmpty = z.string().min(1, 'must not be empty');

const show = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);

function check<T>(schema: z.ZodType<T, string>, value: string, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'is invalid';
  throw new NotificationParseError(field, `${field}: ${message}; got ${show(value)}`);
}

class Fields {
  constructor(private readonly form: NotificationForm) {}

  /** The single value of a scalar field; undefined when not sent. */
  scalar(name: string): string | undefined {
    const values = this.form.getAll(name);
    if (values.length > 1) {
      throw new NotificationParseError(name, `${name}: expected a single value, got ${values.length}`);
    }
    return values[0];
  }

  /** A field that must be sent and non-empty. */
  required(name: string, hint: string): string {
    const value = this.scalar(name);
    if (value === undefined) throw new NotificationParseError(name, `${name} is missing: ${hint}`);
    if (value === '') throw new NotificationParseError(name, `${name} is empty: ${hint}`);
    return value;
  }

  requiredAs<T>(name: string, schema: z.ZodType<T, string>, hint: string): T {
    return check(schema, this.required(name, hint), name);
  }

  /** Value when sent and non-empty; 2Checkout sends unticked or blank fields as empty strings. */
  text(name: string): string | undefined {
    const value = this.scalar(name);
    return value === undefined || value === '' ? undefined : value;
  }

  optionalAs<T>(name: string, schema: z.ZodType<T, string>): T | undefined {
    const value = this.text(name);
    return value === undefined ? undefined : check(schema, value, name);
  }

  /** Value of an array (or a scalar sent for a one-line order). */
  array(name: string): string[] {
    return this.form.getAll(name);
  }
}

/** Validates element `index` of an array field, reported as `NAME[index]`. */
function elementAs<T>(name: string, values: readonly string[], index: number, schema: z.ZodType<T, string>): T {
  return check(schema, values[index] ?? '', `${name}[${index}]`);
}

function optionalElement(values: readonly string[], index: number): string | undefined {
  const v = values[index];
  return v === undefined || v === '' ? undefined : v;
}

// ---------------------------------------------------------------------------------------------
// Personal data is mapped into typed fields where the sync needs it, and kept out of `extra`
// (which lands in Temporal history, memos and logs).

const IPN_PERSONAL = new Set([
  'FIRSTNAME',
  'LASTNAME',
  'COMPANY',
  'REGISTRATIONNUMBER',
  'FISCALCODE',
  'TAX_OFFICE',
  'CBANKNAME',
  'CBANKACCOUNT',
  'ADDRESS1',
  'ADDRESS2',
  'CITY',
  'STATE',
  'ZIPCODE',
  'COUNTRY',
  'COUNTRY_CODE',
  'PHONE',
  'FAX',
  'CUSTOMEREMAIL',
  'FIRSTNAME_D',
  'LASTNAME_D',
  'COMPANY_D',
  'ADDRESS1_D',
  'ADDRESS2_D',
  'CITY_D',
  'STATE_D',
  'ZIPCODE_D',
  'COUNTRY_D',
  'COUNTRY_D_CODE',
  'PHONE_D',
  'EMAIL_D',
  'IPADDRESS',
  'IPCOUNTRY',
  'CARD_LAST_DIGITS',
  'CARD_EXPIRATION_DATE',
  // Activation keys and download links are secrets the shopper paid for.
  'IPN_DELIVEREDCODES',
  'IPN_DOWNLOAD_LINK',
  'IPN_LICENSE_ADDITIONAL_INFO',
]);

const LCN_PERSONAL = new Set([
  'FIRST_NAME',
  'LAST_NAME',
  'COMPANY',
  'EMAIL',
  'PHONE',
  'FAX',
  'COUNTRY',
  'STATE',
  'CITY',
  'ZIP',
  'ADDRESS',
  'COUNTRY_CODE',
  'ACTIVATION_CODE',
  'NEXT_RENEWAL_CARD_LAST_DIGITS',
  'NEXT_RENEWAL_CARD_EXPIRATION_DATE',
]);

/** Per-product arrays that become line fields; each must have one value per IPN_PID. */
const LINE_ARRAYS = [
  'IPN_PNAME',
  'IPN_PCODE',
  'IPN_SKU',
  'IPN_QTY',
  'IPN_PRICE',
  'IPN_VAT',
  'IPN_VAT_RATE',
  'IPN_DISCOUNT',
  'IPN_TOTAL',
  'IPN_PGROUP',
  'IPN_PGROUP_NAME',
] as const;

const LICENSE_ARRAYS = [
  'IPN_LICENSE_PROD',
  'IPN_LICENSE_TYPE',
  'IPN_LICENSE_REF',
  'IPN_LICENSE_EXP',
  'IPN_LICENSE_START',
  'IPN_LICENSE_LIFETIME',
] as const;

const IPN_MAPPED = new Set<string>([
  'REFNO',
  'REFNOEXT',
  'ORDERNO',
  'ORDERSTATUS',
  'MESSAGE_TYPE',
  'MESSAGE_ID',
  'IPN_DATE',
  'SALEDATE',
  'PAYMENTDATE',
  'COMPLETE_DATE',
  'TIMEZONE_OFFSET',
  'TEST_ORDER',
  'CURRENCY',
  'PAYMETHOD',
  'PAYMETHOD_CODE',
  'LANGUAGE',
  'AVANGATE_CUSTOMER_REFERENCE',
  'EXTERNAL_CUSTOMER_REFERENCE',
  'IPN_PID',
  ...LINE_ARRAYS,
  ...LICENSE_ARRAYS,
  'IPN_TOTALGENERAL',
  'IPN_SHIPPING',
  'IPN_SHIPPING_TAX',
  'IPN_COUPON_DISCOUNT',
  'FX_RATE',
  'FX_MARKUP',
  'PAYOUT_CURRENCY',
  'REFUND_TYPE',
  'REFUND_REASON',
  'CHARGEBACK_RESOLUTION',
  'CHARGEBACK_REASON_CODE',
  'ORIGINAL_REFNOEXT',
]);

const LCN_MAPPED = new Set<string>([
  'LICENSE_CODE',
  'DISPATCH_REASON',
  'STATUS',
  'EXPIRATION_DATE',
  'DATE_UPDATED',
  'START_DATE',
  'CHANGED_BY',
  'LICENSE_TYPE',
  'RECURRING',
  'DISABLED',
  'EXPIRED',
  'LICENSE_LIFETIME',
  'LICENSE_PRODUCT_CODE',
  'LICENSE_PRODUCT',
  'QUANTITY',
  'NEXT_RENEWAL_DATE',
  'NEXT_RENEWAL_PRICE',
  'NEXT_RENEWAL_CURRENCY',
  'LAST_ORDER_REFERENCE',
  'ORIGINAL_ORDER_REFERENCE',
  'RENEWALS_NUMBER',
  'UPGRADES_NUMBER',
  'LICENSE_GRACE_PERIOD',
  'TEST',
  'AVANGATE_CUSTOMER_REFERENCE',
  'EXTERNAL_CUSTOMER_REFERENCE',
]);

/** Everything not mapped, not a signature and not personal data; arrays as `NAME[i]`. */
function extraFields(
  form: NotificationForm,
  mapped: ReadonlySet<string>,
  personal: ReadonlySet<string>,
): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const entry of form.entries) {
    if (mapped.has(entry.name) || personal.has(entry.name) || isSignatureField(entry.name)) continue;
    if (entry.isArray) entry.values.forEach((v, i) => (extra[`${entry.name}[${i}]`] = v));
    else extra[entry.name] = entry.values[0] ?? '';
  }
  return extra;
}

// ---------------------------------------------------------------------------------------------
// IPN

function party(
  f: Fields,
  names: {
    firstName: string;
    lastName: string;
    company: string;
    email: string;
    phone: string;
    address1: string;
    address2: string;
    city: string;
    state: string;
    zip: string;
    countryCode: string;
  },
): Party {
  return {
    firstName: f.scalar(names.firstName) ?? '',
    lastName: f.scalar(names.lastName) ?? '',
    company: f.text(names.company),
    email: f.scalar(names.email) ?? '',
    phone: f.text(names.phone),
    address1: f.text(names.address1),
    address2: f.text(names.address2),
    city: f.text(names.city),
    state: f.text(names.state),
    zip: f.text(names.zip),
    countryCode: f.optionalAs(names.countryCode, CountryCode),
  };
}

const BILLING = {
  firstName: 'FIRSTNAME',
  lastName: 'LASTNAME',
  company: 'COMPANY',
  email: 'CUSTOMEREMAIL',
  phone: 'PHONE',
  address1: 'ADDRESS1',
  address2: 'ADDRESS2',
  city: 'CITY',
  state: 'STATE',
  zip: 'ZIPCODE',
  countryCode: 'COUNTRY_CODE',
};
const DELIVERY = {
  firstName: 'FIRSTNAME_D',
  lastName: 'LASTNAME_D',
  company: 'COMPANY_D',
  email: 'EMAIL_D',
  phone: 'PHONE_D',
  address1: 'ADDRESS1_D',
  address2: 'ADDRESS2_D',
  city: 'CITY_D',
  state: 'STATE_D',
  zip: 'ZIPCODE_D',
  countryCode: 'COUNTRY_D_CODE',
};

function lines(f: Fields): OrderLine[] {
  const pids = f.array('IPN_PID');
  if (pids.length === 0) {
    throw new NotificationParseError(
      'IPN_PID',
      'IPN_PID[] is missing: an IPN must list at least one product (tick the product response tags in the IPN settings)',
    );
  }
  const arrays = new Map<string, string[]>();
  for (const name of LINE_ARRAYS) {
    const values = f.array(name);
    if (values.length > 0 && values.length !== pids.length) {
      throw new NotificationParseError(
        name,
        `${name}[] has ${values.length} value(s) but IPN_PID[] has ${pids.length}: per-product arrays must have one value per product`,
      );
    }
    arrays.set(name, values);
  }
  const col = (name: (typeof LINE_ARRAYS)[number]) => arrays.get(name) ?? [];
  const requireColumn = (name: (typeof LINE_ARRAYS)[number], what: string) => {
    if (col(name).length === 0) throw new NotificationParseError(name, `${name}[] is missing: ${what}`);
  };
  requireColumn('IPN_PNAME', 'the product name of each line is needed');
  requireColumn('IPN_PCODE', 'the product code of each line is needed to find the NetSuite item');
  requireColumn('IPN_QTY', 'the quantity of each line is needed');
  requireColumn('IPN_PRICE', 'the unit price of each line is needed');
  requireColumn('IPN_TOTAL', 'the total of each line is needed');

  /** Blank VAT/discount means none (those tags may be unticked). */
  const amountOrZero = (name: 'IPN_VAT' | 'IPN_DISCOUNT', i: number) =>
    optionalElement(col(name), i) === undefined ? '0' : elementAs(name, col(name), i, DecimalString);

  return pids.map((productId, i) => ({
    index: i,
    productId: check(NonEmpty, productId, `IPN_PID[${i}]`),
    productCode: col('IPN_PCODE')[i] ?? '',
    sku: optionalElement(col('IPN_SKU'), i),
    name: col('IPN_PNAME')[i] ?? '',
    productGroup: optionalElement(col('IPN_PGROUP'), i),
    productGroupName: optionalElement(col('IPN_PGROUP_NAME'), i),
    quantity: elementAs('IPN_QTY', col('IPN_QTY'), i, DecimalString),
    unitPrice: elementAs('IPN_PRICE', col('IPN_PRICE'), i, DecimalString),
    vat: amountOrZero('IPN_VAT', i),
    vatRate:
      optionalElement(col('IPN_VAT_RATE'), i) === undefined
        ? undefined
        : elementAs('IPN_VAT_RATE', col('IPN_VAT_RATE'), i, DecimalString),
    discount: amountOrZero('IPN_DISCOUNT', i),
    total: elementAs('IPN_TOTAL', col('IPN_TOTAL'), i, DecimalString),
  }));
}

const LIFETIME_EXPIRY = '9999-12-31 23:59:59';

/**
 * Attaches `IPN_LICENSE_*[j]` to its line: by `IPN_LICENSE_PROD[j]` = `IPN_PID[i]` (each line
 * takes at most one licence), else by index when the licence arrays have one entry per line.
 */
function attachLicenses(f: Fields, orderLines: OrderLine[]): void {
  const refs = f.array('IPN_LICENSE_REF');
  if (refs.length === 0) return;
  const arrays = new Map<string, string[]>();
  for (const name of LICENSE_ARRAYS) {
    const values = f.array(name);
    if (values.length > 0 && values.length !== refs.length) {
      throw new NotificationParseError(
        name,
        `${name}[] has ${values.length} value(s) but IPN_LICENSE_REF[] has ${refs.length}: licence arrays must have one value per licence`,
      );
    }
    arrays.set(name, values);
  }
  const col = (name: (typeof LICENSE_ARRAYS)[number]) => arrays.get(name) ?? [];
  const taken = new Set<number>();

  refs.forEach((ref, j) => {
    if (ref === '') return; // a line without a subscription
    const prod = optionalElement(col('IPN_LICENSE_PROD'), j);
    let lineIndex = prod === undefined ? -1 : orderLines.findIndex((l) => l.productId === prod && !taken.has(l.index));
    if (lineIndex === -1 && refs.length === orderLines.length && !taken.has(j)) lineIndex = j;
    const line = orderLines[lineIndex];
    if (!line) {
      const field = prod === undefined ? `IPN_LICENSE_REF[${j}]` : `IPN_LICENSE_PROD[${j}]`;
      throw new NotificationParseError(
        field,
        prod === undefined
          ? `${field}: cannot tell which line licence ${show(ref)} belongs to: IPN_LICENSE_PROD[] is missing and there are ${refs.length} licences for ${orderLines.length} lines`
          : `${field}: product ${show(prod)} of licence ${show(ref)} is not among IPN_PID[]`,
      );
    }
    taken.add(line.index);
    const expires = optionalElement(col('IPN_LICENSE_EXP'), j);
    const lifetimeFlag = optionalElement(col('IPN_LICENSE_LIFETIME'), j);
    const license: LicenseInfo = {
      ref,
      type: optionalElement(col('IPN_LICENSE_TYPE'), j),
      productId: prod,
      start: optionalElement(col('IPN_LICENSE_START'), j),
      expires,
      lifetime:
        (lifetimeFlag !== undefined && elementAs('IPN_LICENSE_LIFETIME', col('IPN_LICENSE_LIFETIME'), j, YesNo)) ||
        expires === LIFETIME_EXPIRY,
    };
    line.license = license;
  });
}

/** Money goes back (or a sale is undone): such an event needs a key that is not its IPN_DATE. */
function isMoneyBackNotification(status: string, chargebackResolution: string | undefined): boolean {
  return (
    status === 'REFUND' ||
    status === 'REVERSED' ||
    status === 'CANCELED' ||
    (chargebackResolution !== undefined && chargebackResolution.toUpperCase() !== 'NONE')
  );
}

/** Maps a verified IPN to an OrderEvent; throws NotificationParseError naming the bad field. */
export function ipnToOrderEvent(form: NotificationForm): OrderEvent {
  const f = new Fields(form);
  const refNo = f.requiredAs('REFNO', RefNo, 'every IPN carries the 2Checkout order reference');
  const rawStatus = f.required('ORDERSTATUS', 'the order status drives the sync');
  // An unknown status is accepted (receipt) and parked by the order workflow: refusing it would make
  // 2Checkout retry for two days and then drop the event.
  const parsed = OrderStatus.safeParse(rawStatus);
  const status = parsed.success ? parsed.data : ('UNKNOWN' as const);
  const ipnDate = f.requiredAs('IPN_DATE', IpnDate, 'it identifies this notification');
  const messageId = f.text('MESSAGE_ID');
  const currency = f.requiredAs('CURRENCY', Currency, 'the order currency is needed for every amount');
  const testOrder = f.optionalAs('TEST_ORDER', Flag01) ?? false;

  const orderLines = lines(f);
  attachLicenses(f, orderLines);

  const billing = party(f, BILLING);
  const hasDelivery = Object.values(DELIVERY).some((name) => f.text(name) !== undefined);

  const refundType = f.text('REFUND_TYPE');
  const refundReason = f.text('REFUND_REASON');
  const chargebackResolution = f.text('CHARGEBACK_RESOLUTION');

  // Without MESSAGE_ID, a money-back event is named by its content, not by its one-second IPN_DATE.
  const contentRef =
    messageId === undefined && isMoneyBackNotification(status, chargebackResolution)
      ? contentEventRef(form)
      : undefined;
  const event: OrderEvent = {
    kind: 'order',
    key: [refNo, status, messageId ?? contentRef ?? '', ipnDate].join('|'),
    eventRef: messageId ?? contentRef ?? ipnDate,
    refNo,
    refNoExt: f.text('REFNOEXT'),
    orderNo: f.text('ORDERNO'),
    status,
    ...(parsed.success ? {} : { unknownStatus: rawStatus }),
    messageType: f.text('MESSAGE_TYPE'),
    messageId,
    ipnDate,
    saleDate: f.text('SALEDATE'),
    paymentDate: f.text('PAYMENTDATE'),
    completeDate: f.text('COMPLETE_DATE'),
    timezoneOffset: f.text('TIMEZONE_OFFSET'),
    testOrder,
    currency,
    paymentMethod: f.text('PAYMETHOD_CODE') ?? f.text('PAYMETHOD') ?? '',
    language: f.text('LANGUAGE'),
    customer: {
      twoCheckoutRef: f.text('AVANGATE_CUSTOMER_REFERENCE'),
      externalRef: f.text('EXTERNAL_CUSTOMER_REFERENCE'),
      billing,
      delivery: hasDelivery ? party(f, DELIVERY) : undefined,
    },
    lines: orderLines,
    totals: {
      general: f.requiredAs('IPN_TOTALGENERAL', DecimalString, 'the order total is needed to post the order'),
      shipping: f.optionalAs('IPN_SHIPPING', DecimalString) ?? '0',
      shippingTax: f.optionalAs('IPN_SHIPPING_TAX', DecimalString) ?? '0',
      couponDiscount: f.optionalAs('IPN_COUPON_DISCOUNT', DecimalString),
    },
    fx: {
      rate: f.optionalAs('FX_RATE', DecimalString),
      markup: f.optionalAs('FX_MARKUP', DecimalString),
      payoutCurrency: f.text('PAYOUT_CURRENCY'),
    },
    refund: status === 'REFUND' || refundType !== undefined ? { type: refundType, reason: refundReason } : undefined,
    chargeback:
      chargebackResolution !== undefined && chargebackResolution !== 'NONE'
        ? { resolution: chargebackResolution, reasonCode: f.text('CHARGEBACK_REASON_CODE') }
        : undefined,
    originalRefNoExt: f.array('ORIGINAL_REFNOEXT').filter((v) => v !== ''),
    extra: extraFields(form, IPN_MAPPED, IPN_PERSONAL),
  };
  return finalize(OrderEvent, event);
}

// ---------------------------------------------------------------------------------------------
// LCN

/** Maps a verified LCN to a LicenseEvent; throws NotificationParseError naming the bad field. */
export function lcnToLicenseEvent(form: NotificationForm): LicenseEvent {
  const f = new Fields(form);
  const licenseCode = f.required('LICENSE_CODE', 'every LCN carries the subscription reference');
  const expirationDate = f.required('EXPIRATION_DATE', 'every LCN carries the subscription expiry');
  const dispatchReason = f.text('DISPATCH_REASON');
  const dateUpdated = f.text('DATE_UPDATED');
  // The signature covers every field, so it tells two LCNs with equal reason and date apart
  // while a redelivery of the same LCN keeps the same key.
  const signature = form.entries.find((e) => isSignatureField(e.name))?.values[0]?.toLowerCase() ?? '';

  const event: LicenseEvent = {
    kind: 'license',
    key: [licenseCode, dispatchReason ?? '', dateUpdated ?? '', signature].join('|'),
    licenseCode,
    dispatchReason,
    status: f.text('STATUS'),
    expirationDate,
    dateUpdated,
    startDate: f.text('START_DATE'),
    changedBy: f.text('CHANGED_BY'),
    licenseType: f.text('LICENSE_TYPE'),
    recurring: f.optionalAs('RECURRING', Flag01),
    disabled: f.optionalAs('DISABLED', Flag01),
    expired: f.optionalAs('EXPIRED', Flag01),
    lifetime: f.optionalAs('LICENSE_LIFETIME', YesNo),
    productCode: f.text('LICENSE_PRODUCT_CODE'),
    productId: f.text('LICENSE_PRODUCT'),
    quantity: f.text('QUANTITY'),
    nextRenewalDate: f.text('NEXT_RENEWAL_DATE'),
    nextRenewalPrice: f.optionalAs('NEXT_RENEWAL_PRICE', DecimalString),
    nextRenewalCurrency: f.optionalAs('NEXT_RENEWAL_CURRENCY', Currency),
    lastOrderRef: f.text('LAST_ORDER_REFERENCE'),
    originalOrderRef: f.text('ORIGINAL_ORDER_REFERENCE'),
    renewalsNumber: f.optionalAs('RENEWALS_NUMBER', Count),
    upgradesNumber: f.optionalAs('UPGRADES_NUMBER', Count),
    gracePeriod: f.text('LICENSE_GRACE_PERIOD'),
    testOrder: f.optionalAs('TEST', Flag01) ?? false,
    customer: {
      twoCheckoutRef: f.text('AVANGATE_CUSTOMER_REFERENCE'),
      externalRef: f.text('EXTERNAL_CUSTOMER_REFERENCE'),
    },
    extra: extraFields(form, LCN_MAPPED, LCN_PERSONAL),
  };
  return finalize(LicenseEvent, event);
}

/**
 * Runs the canonical schema over the mapped event (applies defaults, drops undefined keys). Every
 * field was validated above, so a failure here is a bug in this file, not bad input.
 */
function finalize<S extends z.ZodType>(schema: S, event: z.input<S>): z.output<S> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  throw new Error(`2Checkout mapping produced an invalid canonical event: ${z.prettifyError(result.error)}`);
}
