// The sandbox scenarios, sent through the real wire path (sign → encode → parseForm → verify →
// map), as the gateway will see them.
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { verifyNotificationSignature } from '../../twocheckout/webhooks/signature.js';
import { ipnToOrderEvent, lcnToLicenseEvent, notificationKind } from '../../mappings/from-2checkout.js';
import type { LicenseEvent, OrderEvent } from '../../mappings/canonical.js';
import {
  cancellation,
  cardOrder,
  chargeback,
  eurOrder,
  fullRefund,
  jpyOrder,
  kwdOrder,
  licenseChange,
  licenseExpiration,
  licensePastDue,
  newCardOrder,
  partialRefund,
  renewalOrder,
  returningCustomerOrder,
  reversal,
  scheduledCancellation,
  subscriptionOrder,
  threeLineOrder,
  unmappedProductOrder,
  upgradeOrder,
} from '../../sandbox/twocheckout/scenarios.js';
import { SCENARIOS } from '../../sandbox/twocheckout/named-scenarios.js';
import { signedIpn, signedLcn, type IpnOrderInput, type LcnInput } from '../../sandbox/twocheckout/sender.js';

const KEY = 'scenario-secret';
const AT = new Date(Date.UTC(2026, 0, 15, 9, 30, 0));

function asGatewaySees(body: string) {
  const form = parseForm(body);
  const verification = verifyNotificationSignature(form, KEY);
  expect(verification.ok, JSON.stringify(verification)).toBe(true);
  return form;
}
const orderEvent = (o: IpnOrderInput): OrderEvent => ipnToOrderEvent(asGatewaySees(signedIpn(o, KEY)));
const licenseEvent = (l: LcnInput): LicenseEvent => lcnToLicenseEvent(asGatewaySees(signedLcn(l, KEY)));

describe('order scenarios → OrderEvent', () => {
  it('a new card order goes PENDING → PAYMENT_AUTHORIZED → COMPLETE with distinct keys', () => {
    const events = newCardOrder('810001', { at: AT }).map(orderEvent);
    expect(events.map((e) => e.status)).toEqual(['PENDING', 'PAYMENT_AUTHORIZED', 'COMPLETE']);
    expect(new Set(events.map((e) => e.key)).size).toBe(3);
    expect(events.every((e) => e.refNo === '810001' && e.paymentMethod === 'CCVISAMC')).toBe(true);
    expect(events[0]?.customer.billing).toMatchObject({ firstName: 'Zoë', lastName: 'Ångström', countryCode: 'US' });
    expect(events[0]?.customer.billing.address2).toBeUndefined();
  });

  it('rebuilding the same scenario input is a redelivery: same body, same key', () => {
    const o = cardOrder('810002', 'COMPLETE', { at: AT });
    expect(signedIpn(o, KEY)).toBe(signedIpn({ ...o }, KEY));
    expect(orderEvent(o).key).toBe(orderEvent(cardOrder('810002', 'COMPLETE', { at: AT })).key);
  });

  it('a returning customer keeps the 2Checkout customer reference and e-mail', () => {
    const first = orderEvent(cardOrder('810003', 'COMPLETE', { at: AT, customerSeed: 'cust-1' }));
    const second = orderEvent(returningCustomerOrder('810004', { at: AT, customerSeed: 'cust-1' }));
    expect(second.customer.twoCheckoutRef).toBe(first.customer.twoCheckoutRef);
    expect(second.customer.billing.email).toBe(first.customer.billing.email);
    expect(second.refNo).not.toBe(first.refNo);
  });

  it('EUR, JPY and KWD orders keep amounts as decimal strings in their precision', () => {
    const eur = orderEvent(eurOrder('810005', { at: AT }));
    expect(eur).toMatchObject({
      currency: 'EUR',
      totals: { general: '105.91' },
      fx: { rate: '1.0845', payoutCurrency: 'USD' },
    });
    expect(eur.lines[0]).toMatchObject({ name: 'Lizenz Prämie', unitPrice: '89.00', vat: '16.91', vatRate: '19' });
    expect(eur.customer.billing).toMatchObject({ company: 'Müller & Söhne GmbH', countryCode: 'DE' });
    expect(eur.customer.externalRef).toBe('CRM-810005');

    const jpy = orderEvent(jpyOrder('810006', { at: AT }));
    expect(jpy).toMatchObject({ currency: 'JPY', totals: { general: '4950' } });
    expect(jpy.lines[0]).toMatchObject({ quantity: '3', unitPrice: '1500', vat: '450', total: '4950' });

    const kwd = orderEvent(kwdOrder('810007', { at: AT }));
    expect(kwd).toMatchObject({ currency: 'KWD', totals: { general: '60.250' } });
  });

  it('zips a three-line order with VAT and a discount into lines that add up', () => {
    const e = orderEvent(threeLineOrder('810008', { at: AT }));
    expect(e.lines.map((l) => [l.index, l.productCode, l.quantity, l.unitPrice, l.discount, l.vat, l.total])).toEqual([
      [0, 'SOFT-PRO', '2', '49.50', '9.90', '17.82', '106.92'],
      [1, 'SUPPORT-1Y', '1', '120.00', '0.00', '24.00', '144.00'],
      [2, 'SOFT-BASIC', '1', '19.99', '0.00', '4.00', '23.99'],
    ]);
    const cents = e.lines.reduce((s, l) => s + Math.round(Number(l.total) * 100), 0);
    expect(cents).toBe(Math.round(Number(e.totals.general) * 100));
    expect(e.extra).toMatchObject({ 'IPN_PROMOCODE[0]': 'SPRING10', 'IPN_INFO[2]': 'Zusatz: „Prämie“' });
  });

  it('passes an unmapped product code through unchanged (the workflow decides to park)', () => {
    expect(orderEvent(unmappedProductOrder('810009', { at: AT })).lines[0]?.productCode).toBe('NEW-GADGET-X');
  });
});

describe('subscription scenarios', () => {
  const first = subscriptionOrder('820001', { at: AT });
  const ref = first.lines[0]?.license?.ref ?? '';

  it('the first order carries the licence on its line', () => {
    const e = orderEvent(first);
    expect(ref).toMatch(/^[A-Z0-9]{10}$/);
    expect(e.lines[0]?.license).toEqual({
      ref,
      type: 'REGULAR',
      productId: e.lines[0]?.productId,
      start: '2026-01-15 12:30:00',
      expires: '2026-02-15 12:30:00',
      lifetime: false,
    });
  });

  it('a renewal is a new order with the same licence, ORIGINAL_REFNOEXT and a new expiry', () => {
    const e = orderEvent(
      renewalOrder('820002', {
        at: new Date(Date.UTC(2026, 1, 15, 9, 30)),
        licenseRef: ref,
        originalRefNoExt: [first.refNoExt ?? ''],
      }),
    );
    expect(e.refNo).toBe('820002');
    expect(e.originalRefNoExt).toEqual(['shop-820001']);
    expect(e.lines[0]?.license).toMatchObject({ ref, type: 'RENEW', expires: '2026-03-15 12:30:00' });
  });

  it('an upgrade moves the licence to SUB-MONTHLY-PRO', () => {
    const e = orderEvent(upgradeOrder('820003', { at: AT, licenseRef: ref }));
    expect(e.lines[0]).toMatchObject({
      productCode: 'SUB-MONTHLY-PRO',
      unitPrice: '10.00',
      license: { ref, type: 'UPGRADE' },
    });
  });

  it('matches licences to lines by IPN_LICENSE_PROD in a mixed order', () => {
    const mixed = subscriptionOrder('820004', { at: AT });
    mixed.lines = [{ productCode: 'SOFT-BASIC', name: 'no licence', price: '5.00' }, ...mixed.lines];
    const e = orderEvent(mixed);
    expect(e.lines[0]?.license).toBeUndefined();
    expect(e.lines[1]?.license?.ref).toBe(
      licenseEvent(licenseChange(e.lines[1]?.license?.ref ?? '', { at: AT })).licenseCode,
    );
  });

  it.each<[string, LcnInput, Partial<LicenseEvent>]>([
    [
      'change',
      licenseChange(ref, { at: AT, recurring: false }),
      { dispatchReason: 'LICENCE_CHANGE', recurring: false, changedBy: 'CUSTOMER' },
    ],
    [
      'past due',
      licensePastDue(ref, { at: AT }),
      { dispatchReason: 'LICENCE_PASTDUE', status: 'PASTDUE', gracePeriod: '7' },
    ],
    [
      'expiration',
      licenseExpiration(ref, { at: AT }),
      { dispatchReason: 'LICENCE_EXPIRATION', status: 'EXPIRED', expired: true, expirationDate: '2026-01-15 12:30:00' },
    ],
    [
      'scheduled cancellation',
      scheduledCancellation(ref, { at: AT }),
      { dispatchReason: 'SCHEDULED_FOR_CANCELATION_ON_DEMAND', recurring: false },
    ],
  ])('LCN %s', (_label, input, expected) => {
    const form = parseForm(signedLcn(input, KEY));
    expect(notificationKind(form)).toBe('lcn');
    const e = licenseEvent(input);
    expect(e).toMatchObject({
      kind: 'license',
      licenseCode: ref,
      productCode: 'SUB-MONTHLY',
      testOrder: false,
      ...expected,
    });
    expect(e.key.startsWith(`${ref}|${expected.dispatchReason}|2026-01-15 12:30:00|`)).toBe(true);
  });
});

describe('money-back scenarios', () => {
  const original = threeLineOrder('830001', { at: AT });

  it('a full refund negates every amount and keeps the order reference', () => {
    const e = orderEvent(fullRefund(original, { reason: 'Kunde unzufrieden' }));
    expect(e).toMatchObject({
      refNo: '830001',
      status: 'REFUND',
      totals: { general: '-274.91' },
      refund: { type: 'FULL', reason: 'Kunde unzufrieden' },
    });
    expect(e.lines.map((l) => [l.unitPrice, l.discount, l.vat, l.total])).toEqual([
      ['-49.50', '-9.90', '-17.82', '-106.92'],
      ['-120.00', '0.00', '-24.00', '-144.00'],
      ['-19.99', '0.00', '-4.00', '-23.99'],
    ]);
    expect(e.eventRef).not.toBe(orderEvent(original).eventRef);
  });

  it('a partial refund covers only the chosen lines, or a fixed amount', () => {
    const lines = orderEvent(partialRefund(original, { lines: [1] }));
    expect(lines).toMatchObject({ status: 'REFUND', totals: { general: '-144.00' }, refund: { type: 'PARTIAL' } });
    expect(lines.lines.map((l) => l.productCode)).toEqual(['SUPPORT-1Y']);
    const amount = orderEvent(partialRefund(original, { amount: '10.00' }));
    expect(amount.lines).toHaveLength(1);
    expect(amount.lines[0]).toMatchObject({
      productCode: 'SOFT-PRO',
      quantity: '1',
      unitPrice: '-10.00',
      total: '-10.00',
    });
    expect(amount.totals.general).toBe('-10.00');
  });

  it('two refunds of the same order get different event refs', () => {
    const a = orderEvent(partialRefund(original, { lines: [0], at: new Date(AT.getTime() + 86_400_000) }));
    const b = orderEvent(partialRefund(original, { lines: [2], at: new Date(AT.getTime() + 2 * 86_400_000) }));
    expect(a.eventRef).not.toBe(b.eventRef);
  });

  it('reversal and cancellation', () => {
    expect(orderEvent(reversal(cardOrder('830002', 'PAYMENT_AUTHORIZED', { at: AT }))).status).toBe('REVERSED');
    expect(orderEvent(cancellation(cardOrder('830003', 'PENDING', { at: AT }))).status).toBe('CANCELED');
  });

  it('chargeback open / won / lost carry resolution and reason code on a COMPLETE IPN', () => {
    const paid = cardOrder('830004', 'COMPLETE', { at: AT });
    expect(orderEvent(paid).chargeback).toBeUndefined();
    const events = (['OPEN', 'WON', 'LOST'] as const).map((r) => orderEvent(chargeback(paid, r)));
    expect(events.map((e) => [e.status, e.chargeback?.resolution, e.chargeback?.reasonCode])).toEqual([
      ['COMPLETE', 'OPEN', 'MERCHANDISE_NOT_RECEIVED'],
      ['COMPLETE', 'WON', 'MERCHANDISE_NOT_RECEIVED'],
      ['COMPLETE', 'LOST', 'MERCHANDISE_NOT_RECEIVED'],
    ]);
    expect(new Set(events.map((e) => e.key)).size).toBe(3);
  });
});

describe('named scenarios', () => {
  it.each(Object.keys(SCENARIOS))('%s builds notifications the gateway accepts', (name) => {
    const notifications = SCENARIOS[name]?.build({ refNo: '840001', at: AT, test: true }) ?? [];
    expect(notifications.length).toBeGreaterThan(0);
    for (const n of notifications) {
      const e = n.kind === 'ipn' ? orderEvent(n.input) : licenseEvent(n.input);
      expect(e.testOrder).toBe(true);
    }
  });
});
