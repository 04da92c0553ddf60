// ipnToOrderEvent / lcnToLicenseEvent over hand-written bodies shaped like 2Checkout's own
// fixtures (field order as in docs/reference-notes.md#2co-ipn-fields), independent of the sandbox
// sender.
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import {
  ipnToOrderEvent,
  lcnToLicenseEvent,
  notificationKind,
  NotificationParseError,
} from '../../mappings/from-2checkout.js';

const IPN_FIELDS: Array<[string, string]> = [
  ['GIFT_ORDER', '0'],
  ['SALEDATE', '2024-03-15 12:40:11'],
  ['PAYMENTDATE', '2024-03-15 12:41:02'],
  ['REFNO', '250310001'],
  ['REFNOEXT', 'shop-778'],
  ['ORDERNO', '17'],
  ['ORDERSTATUS', 'COMPLETE'],
  ['PAYMETHOD', 'Visa/MasterCard'],
  ['PAYMETHOD_CODE', 'CCVISAMC'],
  ['FIRSTNAME', 'Zoë'],
  ['LASTNAME', 'Ångström'],
  ['COMPANY', ''],
  ['ADDRESS1', 'Storgatan 1'],
  ['ADDRESS2', ''],
  ['CITY', 'Malmö'],
  ['ZIPCODE', '21122'],
  ['COUNTRY', 'Sweden'],
  ['COUNTRY_CODE', 'se'],
  ['CUSTOMEREMAIL', 'zoe@example.com'],
  ['IPADDRESS', '192.0.2.7'],
  ['TIMEZONE_OFFSET', 'GMT+03:00'],
  ['CURRENCY', 'EUR'],
  ['LANGUAGE', 'en'],
  ['IPN_PID[]', '4711'],
  ['IPN_PID[]', '4712'],
  ['IPN_PNAME[]', 'Lizenz Prämie'],
  ['IPN_PNAME[]', 'Support, one year'],
  ['IPN_PCODE[]', 'SUB-ANNUAL'],
  ['IPN_PCODE[]', 'SUPPORT-1Y'],
  ['IPN_INFO[]', ''],
  ['IPN_INFO[]', 'gift wrap'],
  ['IPN_QTY[]', '2'],
  ['IPN_QTY[]', '1'],
  ['IPN_PRICE[]', '49.50'],
  ['IPN_PRICE[]', '20.00'],
  ['IPN_VAT[]', '18.81'],
  ['IPN_VAT[]', '3.80'],
  ['IPN_VAT_RATE[]', '19'],
  ['IPN_VAT_RATE[]', '19'],
  ['IPN_DISCOUNT[]', '0'],
  ['IPN_DISCOUNT[]', ''],
  ['MESSAGE_ID', '9001'],
  ['MESSAGE_TYPE', 'COMPLETE'],
  ['IPN_LICENSE_PROD[]', '4711'],
  ['IPN_LICENSE_TYPE[]', 'REGULAR'],
  ['IPN_LICENSE_REF[]', 'XRILXB9ZI3'],
  ['IPN_LICENSE_EXP[]', '2025-03-15 12:41:02'],
  ['IPN_LICENSE_START[]', '2024-03-15 12:41:02'],
  ['IPN_LICENSE_LIFETIME[]', 'NO'],
  ['IPN_DELIVEREDCODES[]', 'SECRET-KEY-1'],
  ['IPN_DELIVEREDCODES[]', ''],
  ['IPN_TOTAL[]', '117.81'],
  ['IPN_TOTAL[]', '23.80'],
  ['IPN_TOTALGENERAL', '141.61'],
  ['IPN_SHIPPING', '0'],
  ['AVANGATE_CUSTOMER_REFERENCE', '833002'],
  ['EXTERNAL_CUSTOMER_REFERENCE', ''],
  ['IPN_COMMISSION', '2.7678'],
  ['REFUND_TYPE', ''],
  ['CHARGEBACK_RESOLUTION', 'NONE'],
  ['CHARGEBACK_REASON_CODE', ''],
  ['TEST_ORDER', '0'],
  ['FRAUD_STATUS', 'APPROVED'],
  ['CARD_LAST_DIGITS', '4242'],
  ['IPN_DATE', '20240315124133'],
  ['FX_RATE', '1.0845'],
  ['PAYOUT_CURRENCY', 'USD'],
  ['SIGNATURE_SHA2_256', 'a'.repeat(64)],
];

const encode = (fields: Array<[string, string]>) =>
  fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%20/g, '+')}`).join('&');
const withField = (name: string, value: string | null) =>
  encode(
    value === null ? IPN_FIELDS.filter(([k]) => k !== name) : IPN_FIELDS.map(([k, v]) => [k, k === name ? value : v]),
  );
const parseError = (body: string): NotificationParseError => {
  try {
    ipnToOrderEvent(parseForm(body));
  } catch (e) {
    if (e instanceof NotificationParseError) return e;
    throw e;
  }
  throw new Error('expected a NotificationParseError');
};

describe('ipnToOrderEvent on a 2Checkout-shaped IPN', () => {
  const event = ipnToOrderEvent(parseForm(encode(IPN_FIELDS)));

  it('maps the order header, key and customer', () => {
    expect(event).toMatchObject({
      kind: 'order',
      key: '250310001|COMPLETE|9001|20240315124133',
      eventRef: '9001',
      refNo: '250310001',
      refNoExt: 'shop-778',
      status: 'COMPLETE',
      currency: 'EUR',
      paymentMethod: 'CCVISAMC',
      timezoneOffset: 'GMT+03:00',
      testOrder: false,
      totals: { general: '141.61', shipping: '0', shippingTax: '0' },
      fx: { rate: '1.0845', payoutCurrency: 'USD' },
      customer: {
        twoCheckoutRef: '833002',
        billing: { firstName: 'Zoë', lastName: 'Ångström', email: 'zoe@example.com', city: 'Malmö', countryCode: 'SE' },
      },
    });
    expect(event.customer.externalRef).toBeUndefined();
    expect(event.customer.billing.company).toBeUndefined();
    expect(event.customer.delivery).toBeUndefined();
    expect(event.refund).toBeUndefined();
    expect(event.chargeback).toBeUndefined();
  });

  it('zips the product arrays into lines and attaches the licence to its product', () => {
    expect(event.lines).toEqual([
      {
        index: 0,
        productId: '4711',
        productCode: 'SUB-ANNUAL',
        name: 'Lizenz Prämie',
        quantity: '2',
        unitPrice: '49.50',
        vat: '18.81',
        vatRate: '19',
        discount: '0',
        total: '117.81',
        license: {
          ref: 'XRILXB9ZI3',
          type: 'REGULAR',
          productId: '4711',
          start: '2024-03-15 12:41:02',
          expires: '2025-03-15 12:41:02',
          lifetime: false,
        },
      },
      {
        index: 1,
        productId: '4712',
        productCode: 'SUPPORT-1Y',
        name: 'Support, one year',
        quantity: '1',
        unitPrice: '20.00',
        vat: '3.80',
        vatRate: '19',
        discount: '0',
        total: '23.80',
      },
    ]);
  });

  it('keeps other fields in extra but no personal data, secrets or signatures', () => {
    expect(event.extra).toMatchObject({
      GIFT_ORDER: '0',
      'IPN_INFO[1]': 'gift wrap',
      IPN_COMMISSION: '2.7678',
      FRAUD_STATUS: 'APPROVED',
    });
    const keys = Object.keys(event.extra).join(',');
    for (const hidden of [
      'CUSTOMEREMAIL',
      'ADDRESS1',
      'IPADDRESS',
      'CARD_LAST_DIGITS',
      'IPN_DELIVEREDCODES',
      'SIGNATURE_SHA2_256',
      'REFNO',
    ]) {
      expect(keys).not.toContain(hidden);
    }
  });

  it('falls back to IPN_DATE as eventRef without MESSAGE_ID and to PAYMETHOD without a code', () => {
    const e = ipnToOrderEvent(
      parseForm(encode(IPN_FIELDS.filter(([k]) => k !== 'MESSAGE_ID' && k !== 'PAYMETHOD_CODE'))),
    );
    expect(e.eventRef).toBe('20240315124133');
    expect(e.key).toBe('250310001|COMPLETE||20240315124133');
    expect(e.paymentMethod).toBe('Visa/MasterCard');
  });

  it('tells IPN from LCN', () => {
    expect(notificationKind(parseForm(encode(IPN_FIELDS)))).toBe('ipn');
    expect(notificationKind(parseForm('LICENSE_CODE=X&EXPIRATION_DATE=2025-01-01'))).toBe('lcn');
    expect(notificationKind(parseForm('message_type=ORDER_CREATED&sale_id=1'))).toBe('unknown');
  });
});

describe('ipnToOrderEvent rejects bad input naming the field', () => {
  it.each<[string, string, string | null, RegExp]>([
    ['missing REFNO', 'REFNO', null, /REFNO is missing/],
    ['bad CURRENCY', 'CURRENCY', 'EURO', /CURRENCY: expected a 3-letter ISO-4217/],
    ['missing CURRENCY', 'CURRENCY', null, /CURRENCY is missing/],
    ['bad IPN_DATE', 'IPN_DATE', '2024-03-15', /IPN_DATE: expected YmdHis/],
    ['bad TEST_ORDER', 'TEST_ORDER', 'yes', /TEST_ORDER: expected 1 or 0/],
    ['bad COUNTRY_CODE', 'COUNTRY_CODE', 'swe', /COUNTRY_CODE: expected a 2-letter/],
    ['missing IPN_TOTALGENERAL', 'IPN_TOTALGENERAL', null, /IPN_TOTALGENERAL is missing/],
  ])('%s', (_label, field, value, message) => {
    const err = parseError(withField(field, value));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('an unknown ORDERSTATUS is not an error: the event is kept as UNKNOWN with the raw value (the workflow parks it)', () => {
    const event = ipnToOrderEvent(parseForm(withField('ORDERSTATUS', 'TEST')));
    expect(event.status).toBe('UNKNOWN');
    expect(event.unknownStatus).toBe('TEST');
  });

  it('a bad amount in one element, as NAME[index]', () => {
    const body = encode(IPN_FIELDS.map(([k, v]) => [k, k === 'IPN_QTY[]' && v === '1' ? 'one' : v]));
    const err = parseError(body);
    expect(err.field).toBe('IPN_QTY[1]');
    expect(err.message).toMatch(/IPN_QTY\[1\]: expected a decimal number.*"one"/);
  });

  it('arrays of different lengths', () => {
    const i = IPN_FIELDS.findIndex(([k]) => k === 'IPN_PRICE[]');
    const fields = [...IPN_FIELDS.slice(0, i + 1), ...IPN_FIELDS.slice(i + 2)];
    const err = parseError(encode(fields));
    expect(err.field).toBe('IPN_PRICE');
    expect(err.message).toContain('IPN_PRICE[] has 1 value(s) but IPN_PID[] has 2');
  });

  it('a licence for a product that is not in the order', () => {
    const err = parseError(withField('IPN_LICENSE_PROD[]', '9999'));
    expect(err.field).toBe('IPN_LICENSE_PROD[0]');
    expect(err.message).toContain('not among IPN_PID[]');
  });

  it('a scalar sent as several values', () => {
    const body = encode(IPN_FIELDS).replace(
      'IPN_TOTALGENERAL=141.61&',
      'IPN_TOTALGENERAL%5B%5D=141.61&IPN_TOTALGENERAL%5B%5D=1&',
    );
    const err = parseError(body);
    expect(err.message).toContain('expected a single value, got 2');
    expect(err.field).toBe('IPN_TOTALGENERAL');
  });
});

describe('lcnToLicenseEvent', () => {
  const LCN: Array<[string, string]> = [
    ['FIRST_NAME', 'Zoë'],
    ['EMAIL', 'zoe@example.com'],
    ['LICENSE_CODE', 'XRILXB9ZI3'],
    ['EXPIRATION_DATE', '2025-04-15 12:41:02'],
    ['DATE_UPDATED', '2025-03-16 08:00:00'],
    ['AVANGATE_CUSTOMER_REFERENCE', '833002'],
    ['TEST', '0'],
    ['CHANGED_BY', 'SYSTEM'],
    ['LICENSE_TYPE', 'REGULAR'],
    ['DISABLED', '0'],
    ['RECURRING', '1'],
    ['LICENSE_PRODUCT_CODE', 'SUB-MONTHLY'],
    ['NEXT_RENEWAL_PRICE', '9.99'],
    ['NEXT_RENEWAL_CURRENCY', 'usd'],
    ['STATUS', 'PASTDUE'],
    ['DISPATCH_REASON', 'LICENCE_PASTDUE'],
    ['RENEWALS_NUMBER', '3'],
    ['PSKU', 'SKU-1'],
    ['ACTIVATION_CODE', 'SECRET'],
    ['SIGNATURE_SHA3_256', 'AB'.repeat(32)],
  ];

  it('maps the subscription fields and builds the key from the signature', () => {
    const e = lcnToLicenseEvent(parseForm(encode(LCN)));
    expect(e).toMatchObject({
      kind: 'license',
      key: `XRILXB9ZI3|LICENCE_PASTDUE|2025-03-16 08:00:00|${'ab'.repeat(32)}`,
      licenseCode: 'XRILXB9ZI3',
      status: 'PASTDUE',
      expirationDate: '2025-04-15 12:41:02',
      recurring: true,
      disabled: false,
      productCode: 'SUB-MONTHLY',
      nextRenewalPrice: '9.99',
      nextRenewalCurrency: 'USD',
      renewalsNumber: 3,
      testOrder: false,
      customer: { twoCheckoutRef: '833002' },
      extra: { PSKU: 'SKU-1' },
    });
    expect(Object.keys(e.extra)).not.toContain('EMAIL');
    expect(Object.keys(e.extra)).not.toContain('ACTIVATION_CODE');
  });

  it('names a missing LICENSE_CODE and a bad RENEWALS_NUMBER', () => {
    expect(() => lcnToLicenseEvent(parseForm(encode(LCN.filter(([k]) => k !== 'LICENSE_CODE'))))).toThrow(
      /LICENSE_CODE is missing/,
    );
    const bad = LCN.map(([k, v]): [string, string] => [k, k === 'RENEWALS_NUMBER' ? 'three' : v]);
    expect(() => lcnToLicenseEvent(parseForm(encode(bad)))).toThrow(/RENEWALS_NUMBER: expected a whole number/);
  });
});
