import { describe, expect, it } from 'vitest';
import { formatPreview } from '../../scripts/lib/preview-format.js';
import { previewOrder, readOrderEvent } from '../../mappings/preview.js';
import { buildIpnFields } from '../../sandbox/twocheckout/ipn-fields.js';
import {
  germanCustomer,
  partialRefund,
  threeLineOrder,
  unmappedProductOrder,
} from '../../sandbox/twocheckout/scenarios.js';
import { encodeForm } from '../../sandbox/twocheckout/wire.js';
import { demoConfig, order } from './fixtures.js';

const at = new Date('2026-02-03T09:30:00Z');
/** The sender's three-line order (20 % VAT, a discount), billed in EUR to a US shopper with a USD payout. */
const eurThreeLines = () => ({
  ...threeLineOrder('61000001', { at }),
  currency: 'EUR',
  fx: { rate: '1.0843', payoutCurrency: 'USD' },
});
const body = (o: Parameters<typeof buildIpnFields>[0]) => encodeForm(buildIpnFields(o));

describe('preview', () => {
  it('shows the records of a multi-line EUR order from a raw IPN body, to the cent, without NetSuite', () => {
    const event = readOrderEvent(body(eurThreeLines()));
    expect(event.currency).toBe('EUR');
    const p = previewOrder(event, demoConfig());
    expect(p.park).toBeUndefined();
    expect(p.records.map((r) => r.recordType)).toEqual(['customer', 'salesOrder', 'invoice', 'customerPayment']);
    const so = p.records[1]!.body as {
      item: { items: Array<{ item: { id: string }; amount: number }> };
      exchangeRate: number;
      currency: { id: string };
    };
    expect(so.currency).toEqual({ id: '2' });
    expect(so.exchangeRate).toBe(1.0843);
    // 2 × 49.50 − 9.90 (+17.82 VAT), 120.00 (+24.00), 19.99 (+4.00 VAT rounded half-up from 3.998)
    expect(so.item.items.map((l) => [l.item.id, l.amount])).toEqual([
      ['101', 99],
      ['110', -9.9],
      ['102', 120],
      ['100', 19.99],
      ['113', 45.82],
    ]);
    expect(p.sale!.paid).toBe('274.91');
    expect(p.sale!.total).toBe('274.91');
    const text = formatPreview(p);
    expect(text).toContain('Exchange rate: 1.0843 (2Checkout FX_RATE, EUR→USD)');
    expect(text).toMatch(/total\s+274\.91 EUR/);
    // Issue 28: a rate is written like an amount (49.50, 120.00), never 49.5 beside 99.00.
    expect(text).toMatch(/^ {2}101 +Software Pro licence +2 +49\.50 +99\.00$/m);
    expect(text).toMatch(/^ {2}102 +Support, one year +1 +120\.00 +120\.00$/m);
    expect(text).toContain('line 1: SOFT-PRO → item 101 (code, products.rules[1])');
    expect(text).toContain('PUT salesOrder/eid:2co-so-61000001?replace=item');
  });

  it('accepts a canonical OrderEvent as JSON and previews a cash sale', () => {
    const p = previewOrder(readOrderEvent(JSON.stringify(order())), demoConfig(), { postingMode: 'cashSale' });
    expect(p.records.map((r) => r.recordType)).toEqual(['customer', 'cashSale']);
    expect(p.records[1]!.body).toMatchObject({ account: { id: '201' }, paymentOption: { id: '1' } });
  });

  it('says the order would park, and why, for an unmapped product', () => {
    const p = previewOrder(readOrderEvent(body(unmappedProductOrder('61000002', { at }))), demoConfig());
    expect(p.park).toMatchObject({ reason: 'UNMAPPED_PRODUCT', failureType: 'MappingError' });
    expect(formatPreview(p)).toMatch(
      /WOULD PARK \(MappingError, reason UNMAPPED_PRODUCT at lines\[\d\]\.productCode\):\n\s+product code NEW-GADGET-X/,
    );
  });

  it('allocates a refund against its sale', () => {
    const sale = { ...threeLineOrder('61000003', { at, customer: germanCustomer('x') }), currency: 'EUR' };
    const refund = partialRefund(sale, { amount: '50.00' });
    const p = previewOrder(readOrderEvent(body(refund)), demoConfig(), { sale: readOrderEvent(body(sale)) });
    expect(p.refund?.amount).toBe('50.00');
    expect(formatPreview(p)).toMatch(/Credit memo for 50\.00 EUR/);
  });
});
