// Ready-made 2Checkout orders and subscription events for demos, tests and the benchmark.
// Every builder is a function of a REFNO (or licence code) plus options, so each test can make its
// own unique orders; builders always pin `at`, so building the same input twice yields the same
// fields (a redelivery). Product codes come from sandbox/netsuite/seed.json.
import type { CustomerInput } from './fields.js';
import { formatDateTime, stableDigits, stableLicenseRef } from './fields.js';
import { DEFAULT_TIMEZONE_OFFSET, type IpnLineInput, type IpnOrderInput } from './ipn-fields.js';
import type { LcnInput } from './lcn-fields.js';

export interface ScenarioOptions {
  /** When the (first) notification happens; default now. */
  at?: Date;
  /** Orders built with the same seed belong to the same customer; default the REFNO. */
  customerSeed?: string;
  /** Overrides merged over the scenario's customer. */
  customer?: Partial<CustomerInput>;
  test?: boolean;
}

export const MINUTE = 60_000;
const PAID_STATUSES: ReadonlySet<string> = new Set([
  'PAYMENT_AUTHORIZED',
  'PAYMENT_RECEIVED',
  'COMPLETE',
  'AUTHRECEIVED',
]);
export const DAY = 24 * 60 * MINUTE;

/** Zoë Ångström from New York: non-ASCII name, an e-mail with `+`, empty company and ADDRESS2. */
export function demoCustomer(seed: string): CustomerInput {
  return {
    firstName: 'Zoë',
    lastName: 'Ångström',
    company: '',
    email: `zoe.angstrom+${seed}@example.com`,
    phone: '+1 212 555 0100',
    address1: '350 Fifth Avenue',
    address2: '',
    city: 'New York',
    state: 'NY',
    zip: '10118',
    country: 'United States',
    countryCode: 'us',
    twoCheckoutRef: stableDigits(`customer:${seed}`, 9),
    externalRef: '',
  };
}

/** A German business customer: `&` and umlauts in the company name. */
export function germanCustomer(seed: string): CustomerInput {
  return {
    firstName: 'Jürgen',
    lastName: 'Groß',
    company: 'Müller & Söhne GmbH',
    email: `j.gross+${seed}@example.de`,
    phone: '+49 30 1234567',
    address1: 'Friedrichstraße 12',
    address2: '',
    city: 'Berlin',
    state: '',
    zip: '10117',
    country: 'Germany',
    countryCode: 'de',
    twoCheckoutRef: stableDigits(`customer:${seed}`, 9),
    externalRef: `CRM-${seed}`,
  };
}

function customerFor(
  refNo: string,
  opts: ScenarioOptions,
  base: (seed: string) => CustomerInput = demoCustomer,
): CustomerInput {
  return { ...base(opts.customerSeed ?? refNo), ...opts.customer };
}

function order(
  refNo: string,
  opts: ScenarioOptions,
  rest: Omit<IpnOrderInput, 'refNo' | 'customer' | 'at'> & { customer?: CustomerInput },
): IpnOrderInput {
  return {
    refNo,
    at: opts.at ?? new Date(),
    test: opts.test,
    refNoExt: `shop-${refNo}`,
    ...rest,
    customer: rest.customer ?? customerFor(refNo, opts),
  };
}

export const later = (at: Date | undefined, ms: number) => new Date((at ?? new Date()).getTime() + ms);

export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

// ---------------------------------------------------------------------------------------------
// New orders

const SOFT_PRO: IpnLineInput = { productCode: 'SOFT-PRO', name: 'Software Pro licence', price: '99.00' };

/** One SOFT-PRO licence paid by card, at the given status. */
export function cardOrder(
  refNo: string,
  status: IpnOrderInput['status'] = 'COMPLETE',
  opts: ScenarioOptions = {},
): IpnOrderInput {
  return order(refNo, opts, { status, lines: [SOFT_PRO] });
}

/** PENDING → PAYMENT_AUTHORIZED → COMPLETE, a minute apart. */
export function newCardOrder(refNo: string, opts: ScenarioOptions = {}): IpnOrderInput[] {
  const at = opts.at ?? new Date();
  return (['PENDING', 'PAYMENT_AUTHORIZED', 'COMPLETE'] as const).map((status, i) =>
    cardOrder(refNo, status, { ...opts, at: later(at, i * MINUTE) }),
  );
}

/** A second order of an existing customer: pass the first order's REFNO (or any seed) as customerSeed. */
export function returningCustomerOrder(refNo: string, opts: ScenarioOptions & { customerSeed: string }): IpnOrderInput {
  return order(refNo, opts, {
    status: 'COMPLETE',
    customer: customerFor(refNo, opts),
    lines: [
      { productCode: 'SOFT-BASIC', name: 'Software Basic licence', price: '29.00' },
      { productCode: 'SUPPORT-1Y', name: 'Support, one year', price: '49.00' },
    ],
  });
}

/** EUR, German customer, product "Lizenz Prämie", 19 % VAT, FX to a USD payout. */
export function eurOrder(refNo: string, opts: ScenarioOptions = {}): IpnOrderInput {
  return order(refNo, opts, {
    status: 'COMPLETE',
    currency: 'EUR',
    language: 'de',
    customer: customerFor(refNo, opts, germanCustomer),
    lines: [{ productCode: 'SOFT-PRO', name: 'Lizenz Prämie', price: '89.00', vatRate: '19' }],
    fx: { rate: '1.0845', markup: '2', payoutCurrency: 'USD' },
  });
}

/** JPY (no decimals): 3 × ¥1500 with 10 % consumption tax. */
export function jpyOrder(refNo: string, opts: ScenarioOptions = {}): IpnOrderInput {
  return order(refNo, opts, {
    status: 'COMPLETE',
    currency: 'JPY',
    language: 'ja',
    customer: {
      ...customerFor(refNo, opts),
      city: '東京',
      country: 'Japan',
      countryCode: 'jp',
      state: '',
      zip: '100-0001',
    },
    lines: [{ productCode: 'SOFT-BASIC', name: 'ソフトウェア ベーシック', quantity: 3, price: '1500', vatRate: '10' }],
    fx: { rate: '0.0067', payoutCurrency: 'USD' },
  });
}

/** KWD (three decimals). */
export function kwdOrder(refNo: string, opts: ScenarioOptions = {}): IpnOrderInput {
  return order(refNo, opts, {
    status: 'COMPLETE',
    currency: 'KWD',
    customer: {
      ...customerFor(refNo, opts),
      city: 'Kuwait City',
      country: 'Kuwait',
      countryCode: 'kw',
      state: '',
      zip: '13001',
    },
    lines: [{ productCode: 'SOFT-PRO', name: 'Software Pro licence', quantity: 2, price: '30.125' }],
    fx: { rate: '3.25', payoutCurrency: 'USD' },
  });
}

/** Three lines with 20 % VAT, a discounted line with a promotion, and an empty IPN_INFO. */
export function threeLineOrder(refNo: string, opts: ScenarioOptions = {}): IpnOrderInput {
  return order(refNo, opts, {
    status: 'COMPLETE',
    lines: [
      {
        productCode: 'SOFT-PRO',
        name: 'Software Pro licence',
        quantity: 2,
        price: '49.50',
        discount: '9.90',
        vatRate: '20',
        promoName: 'Spring −10 %',
        promoCode: 'SPRING10',
      },
      { productCode: 'SUPPORT-1Y', name: 'Support, one year', price: '120.00', vatRate: '20' },
      { productCode: 'SOFT-BASIC', name: 'Lizenz Prämie', price: '19.99', vatRate: '20', info: 'Zusatz: „Prämie“' },
    ],
  });
}

/** A product code the mapping does not know: the sync must park, not guess. */
export function unmappedProductOrder(refNo: string, opts: ScenarioOptions = {}): IpnOrderInput {
  return order(refNo, opts, {
    status: 'COMPLETE',
    lines: [{ productCode: 'NEW-GADGET-X', name: 'New Gadget X', price: '15.00' }],
  });
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

export interface SubscriptionOptions extends ScenarioOptions {
  /** IPN_LICENSE_REF; default derived from the REFNO of the first order. */
  licenseRef?: string;
  productCode?: 'SUB-MONTHLY' | 'SUB-MONTHLY-PRO' | 'SUB-ANNUAL' | (string & {});
  /** Expiry `Y-m-d H:i:s`; default one period after `at`. */
  expires?: string;
}

const SUBSCRIPTIONS: Record<string, { name: string; price: string; months: number }> = {
  'SUB-MONTHLY': { name: 'Subscription, monthly', price: '9.99', months: 1 },
  'SUB-MONTHLY-PRO': { name: 'Subscription Pro, monthly', price: '19.99', months: 1 },
  'SUB-ANNUAL': { name: 'Subscription, annual', price: '99.00', months: 12 },
};

export const licenseRefFor = (refNo: string): string => stableLicenseRef(refNo);

function subscriptionLine(
  at: Date,
  opts: SubscriptionOptions,
  licenseRef: string,
  type: string,
  price?: string,
): IpnLineInput {
  const code = opts.productCode ?? 'SUB-MONTHLY';
  const plan = SUBSCRIPTIONS[code] ?? { name: code, price: '10.00', months: 1 };
  return {
    productCode: code,
    name: plan.name,
    price: price ?? plan.price,
    license: {
      ref: licenseRef,
      type,
      start: formatDateTime(at, DEFAULT_TIMEZONE_OFFSET),
      expires: opts.expires ?? formatDateTime(addMonths(at, plan.months), DEFAULT_TIMEZONE_OFFSET),
    },
  };
}

/** First order of a subscription (default SUB-MONTHLY). */
export function subscriptionOrder(refNo: string, opts: SubscriptionOptions = {}): IpnOrderInput {
  const at = opts.at ?? new Date();
  return order(
    refNo,
    { ...opts, at },
    {
      status: 'COMPLETE',
      lines: [subscriptionLine(at, opts, opts.licenseRef ?? licenseRefFor(refNo), 'REGULAR')],
    },
  );
}

/**
 * A renewal: a NEW order (new REFNO) with ORIGINAL_REFNOEXT pointing at the first order, the same
 * IPN_LICENSE_REF and a new expiry. IPN_LICENSE_TYPE `RENEW` is unconfirmed; override with licenseType.
 */
export function renewalOrder(
  refNo: string,
  opts: SubscriptionOptions & { licenseRef: string; originalRefNoExt: string[]; licenseType?: string },
): IpnOrderInput {
  const at = opts.at ?? new Date();
  return order(
    refNo,
    { ...opts, at },
    {
      status: 'COMPLETE',
      originalRefNoExt: opts.originalRefNoExt,
      lines: [subscriptionLine(at, opts, opts.licenseRef, opts.licenseType ?? 'RENEW')],
    },
  );
}

/**
 * Upgrade of a subscription to SUB-MONTHLY-PRO: a new order for the prorated difference, same licence.
 * Pass `expires` (the subscription's current expiry) for an upgrade that keeps it; without it the
 * licence is dated as a new period from the upgrade day, as upgrade set-ups that restart the
 * billing cycle do (docs/reference-notes.md#2co-renewal-charge).
 */
export function upgradeOrder(
  refNo: string,
  opts: SubscriptionOptions & { licenseRef: string; price?: string; licenseType?: string },
): IpnOrderInput {
  const at = opts.at ?? new Date();
  const upgraded = { ...opts, productCode: opts.productCode ?? 'SUB-MONTHLY-PRO' };
  return order(
    refNo,
    { ...opts, at },
    {
      status: 'COMPLETE',
      lines: [subscriptionLine(at, upgraded, opts.licenseRef, opts.licenseType ?? 'UPGRADE', opts.price ?? '10.00')],
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Money back and other follow-ups of an existing order

export interface FollowUpOptions {
  /** Default: one day after the original order. */
  at?: Date;
  messageId?: string;
}

function negate(amount: string): string {
  if (amount.startsWith('-')) return amount.slice(1);
  return /^[0.]+$/.test(amount) ? amount : `-${amount}`;
}

function refundLine(line: IpnLineInput): IpnLineInput {
  return {
    ...line,
    price: negate(line.price),
    vat: line.vat === undefined ? undefined : negate(line.vat),
    discount: line.discount === undefined ? undefined : negate(line.discount),
    total: line.total === undefined ? undefined : negate(line.total),
  };
}

/**
 * The original order re-sent at a later time with another status. It keeps SALEDATE and, once the
 * order was paid, PAYMENTDATE: 2Checkout reports when the order was paid, not when it notifies,
 * so the invoice and payment stay dated with the sale.
 */
function followUp(
  original: IpnOrderInput,
  delayMs: number,
  opts: FollowUpOptions,
  changes: Partial<IpnOrderInput>,
): IpnOrderInput {
  const originalAt = original.at ?? new Date();
  const tz = original.timezoneOffset ?? DEFAULT_TIMEZONE_OFFSET;
  const paymentDate =
    original.paymentDate ?? (PAID_STATUSES.has(original.status) ? formatDateTime(originalAt, tz) : undefined);
  return {
    ...original,
    saleDate: original.saleDate ?? formatDateTime(originalAt, tz),
    ...(paymentDate ? { paymentDate } : {}),
    at: opts.at ?? later(originalAt, delayMs),
    ipnDate: undefined,
    messageId: opts.messageId,
    messageType: undefined,
    ...changes,
  };
}

/** REFUND of the whole order: every amount negative, REFUND_TYPE `FULL` (value unconfirmed). */
export function fullRefund(original: IpnOrderInput, opts: FollowUpOptions & { reason?: string } = {}): IpnOrderInput {
  return followUp(original, DAY, opts, {
    status: 'REFUND',
    lines: original.lines.map(refundLine),
    totalGeneral: original.totalGeneral === undefined ? undefined : negate(original.totalGeneral),
    shipping: original.shipping === undefined ? undefined : negate(original.shipping),
    shippingTax: original.shippingTax === undefined ? undefined : negate(original.shippingTax),
    refundType: 'FULL',
    refundReason: opts.reason,
  });
}

/**
 * REFUND of part of an order, REFUND_TYPE `PARTIAL` (value unconfirmed): whole `lines` (indices,
 * default the first), or a fixed `amount` (net, no VAT) against the first of them.
 */
export function partialRefund(
  original: IpnOrderInput,
  opts: FollowUpOptions & { lines?: number[]; amount?: string; reason?: string } = {},
): IpnOrderInput {
  const indices = opts.lines ?? [0];
  const picked = indices.map((i) => {
    const line = original.lines[i];
    if (!line) throw new Error(`order ${original.refNo} has no line ${i}`);
    return line;
  });
  const lines =
    opts.amount === undefined
      ? picked.map(refundLine)
      : [
          {
            ...(picked[0] as IpnLineInput),
            quantity: 1,
            price: negate(opts.amount),
            vat: undefined,
            vatRate: undefined,
            discount: undefined,
            total: undefined,
          },
        ];
  return followUp(original, DAY, opts, {
    status: 'REFUND',
    lines,
    totalGeneral: undefined,
    shipping: undefined,
    shippingTax: undefined,
    refundType: 'PARTIAL',
    refundReason: opts.reason,
  });
}

/** REVERSED: authorization released before capture. */
export function reversal(original: IpnOrderInput, opts: FollowUpOptions = {}): IpnOrderInput {
  return followUp(original, 30 * MINUTE, opts, { status: 'REVERSED' });
}

/** CANCELED (unpaid, fraud, rejected PO). */
export function cancellation(original: IpnOrderInput, opts: FollowUpOptions = {}): IpnOrderInput {
  return followUp(original, 2 * DAY, opts, { status: 'CANCELED' });
}

/** A dispute update: ORDERSTATUS COMPLETE with CHARGEBACK_RESOLUTION ≠ NONE (values unconfirmed). */
export function chargeback(
  original: IpnOrderInput,
  resolution: 'OPEN' | 'WON' | 'LOST' | (string & {}),
  opts: FollowUpOptions & { reasonCode?: string } = {},
): IpnOrderInput {
  const delay = resolution === 'OPEN' ? 7 * DAY : 30 * DAY;
  return followUp(original, delay, opts, {
    status: 'COMPLETE',
    chargebackResolution: resolution,
    chargebackReasonCode: opts.reasonCode ?? 'MERCHANDISE_NOT_RECEIVED',
  });
}

// ---------------------------------------------------------------------------------------------
// LCN

export interface LicenseEventOptions extends ScenarioOptions {
  productCode?: string;
  /** New EXPIRATION_DATE; default one month after `at`. */
  expirationDate?: string;
  lastOrderRef?: string;
  renewalsNumber?: number;
}

function lcn(
  licenseCode: string,
  opts: LicenseEventOptions,
  rest: Omit<LcnInput, 'licenseCode' | 'expirationDate' | 'at'>,
): LcnInput {
  const at = opts.at ?? new Date();
  return {
    licenseCode,
    at,
    expirationDate: opts.expirationDate ?? formatDateTime(addMonths(at, 1), DEFAULT_TIMEZONE_OFFSET),
    productCode: opts.productCode ?? 'SUB-MONTHLY',
    lastOrderRef: opts.lastOrderRef,
    renewalsNumber: opts.renewalsNumber,
    test: opts.test,
    customer: customerFor(licenseCode, opts),
    ...rest,
  };
}

/** LICENCE_CHANGE, e.g. after a renewal moved the expiry or the shopper edited the subscription. */
export function licenseChange(
  licenseCode: string,
  opts: LicenseEventOptions & { recurring?: boolean; changedBy?: string } = {},
): LcnInput {
  return lcn(licenseCode, opts, {
    dispatchReason: 'LICENCE_CHANGE',
    recurring: opts.recurring,
    changedBy: opts.changedBy ?? 'CUSTOMER',
  });
}

/** LICENCE_PASTDUE: the renewal payment failed. */
export function licensePastDue(licenseCode: string, opts: LicenseEventOptions = {}): LcnInput {
  return lcn(licenseCode, opts, { dispatchReason: 'LICENCE_PASTDUE', status: 'PASTDUE', gracePeriod: '7' });
}

/** LICENCE_EXPIRATION: the subscription ended. */
export function licenseExpiration(licenseCode: string, opts: LicenseEventOptions = {}): LcnInput {
  const at = opts.at ?? new Date();
  return lcn(
    licenseCode,
    { ...opts, at, expirationDate: opts.expirationDate ?? formatDateTime(at, DEFAULT_TIMEZONE_OFFSET) },
    {
      dispatchReason: 'LICENCE_EXPIRATION',
      status: 'EXPIRED',
      expired: true,
      recurring: false,
    },
  );
}

/** SCHEDULED_FOR_CANCELATION_ON_DEMAND: the shopper cancelled for the end of the period. */
export function scheduledCancellation(licenseCode: string, opts: LicenseEventOptions = {}): LcnInput {
  return lcn(licenseCode, opts, {
    dispatchReason: 'SCHEDULED_FOR_CANCELATION_ON_DEMAND',
    recurring: false,
    changedBy: 'CUSTOMER',
  });
}
