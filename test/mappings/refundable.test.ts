// What may still be refunded and whether a request fits it (pure): the smaller of 2Checkout's and
// NetSuite's view, to the minor unit; 2Checkout's own rules (COMPLETE, recent); lines; and how a
// request recognises its own refund without an idempotency key.
import { describe, expect, it } from 'vitest';
import { fitRefund, refundAlreadyMade, type RefundFacts } from '../../mappings/refundable.js';
import { ApiOrder } from '../../twocheckout/rest/orders.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const order = (over: Record<string, unknown> = {}) =>
  ApiOrder.parse({
    RefNo: '900001',
    Status: 'COMPLETE',
    OrderDate: '2026-03-01 10:00:00',
    Currency: 'usd',
    NetPrice: '100.00',
    GrossPrice: '120.00',
    Items: [
      { Code: 'SOFT-PRO', Quantity: 2, LineItemReference: '111', Price: { GrossPrice: '100.00' } },
      { Code: 'SUPPORT-1Y', Quantity: 1, LineItemReference: '222', Price: { GrossPrice: '20.00' } },
    ],
    Refunds: [],
    ...over,
  });
const facts = (over: Partial<RefundFacts> = {}): RefundFacts => ({
  order: order(),
  netsuite: { document: 'invoice', label: 'INV42', total: 12_000n, credited: 0n },
  now: NOW,
  refundWindowMs: 90 * 86_400_000,
  refundWindowText: '90d',
  ...over,
});

describe('fitRefund', () => {
  it('takes the smaller of what 2Checkout and NetSuite leave, to the cent, and names both when refusing', () => {
    const f = facts({
      order: order({ Refunds: [{ Amount: '20.00', Date: '2026-03-02 10:00:00' }] }),
      netsuite: { document: 'invoice', label: 'INV42', total: 12_000n, credited: 3_000n },
    });
    expect(fitRefund({ amount: '90.00' }, f)).toMatchObject({
      ok: true,
      amount: '90.00',
      refundable: '90.00',
      items: [],
    });
    expect(fitRefund({ amount: '90.01' }, f)).toEqual({
      ok: false,
      message:
        'a refund of 90.01 USD on order 900001 is more than is still refundable, 90.00 USD (2Checkout: 100.00 USD of 120.00 USD paid; NetSuite: 90.00 USD left to credit on invoice INV42)',
    });
  });

  it('refuses more decimals than the currency has, a wrong currency, zero, and nothing at all', () => {
    expect(fitRefund({ amount: '1.005' }, facts())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/more decimals than USD allows/),
    });
    expect(fitRefund({ amount: '1.00', currency: 'eur' }, facts())).toMatchObject({
      ok: false,
      message: 'order 900001 was paid in USD, not EUR: give the amount in USD',
    });
    expect(fitRefund({ amount: '0' }, facts())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/more than 0 USD/),
    });
    expect(fitRefund({ amount: 'ten' }, facts())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/is not an amount/),
    });
    expect(fitRefund({}, facts())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/an amount .* or lines/),
    });
  });

  it('applies 2Checkout’s rules: COMPLETE, within the refund window; and needs the sale in NetSuite', () => {
    expect(fitRefund({ amount: '1.00' }, facts({ order: order({ Status: 'PENDING' }) }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/status is PENDING, and only COMPLETE/),
    });
    expect(fitRefund({ amount: '1.00' }, facts({ now: new Date('2026-07-01T00:00:00Z') }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/longer ago than the refund window \(actions.refundWindow 90d\)/),
    });
    expect(fitRefund({ amount: '1.00' }, facts({ netsuite: undefined }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no paid invoice or cash sale in NetSuite/),
    });
  });

  it('values named lines by their share of the line, and splits a smaller amount over them', () => {
    expect(fitRefund({ lines: [{ lineItemReference: '111', quantity: 1 }] }, facts())).toMatchObject({
      ok: true,
      amount: '50.00',
      items: [{ lineItemReference: '111', productCode: 'SOFT-PRO', quantity: 1, amount: '50.00' }],
    });
    const both = fitRefund(
      {
        amount: '35.00',
        lines: [
          { lineItemReference: '111', quantity: 1 },
          { lineItemReference: '222', quantity: 1 },
        ],
      },
      facts(),
    );
    expect(both).toMatchObject({ ok: true, amount: '35.00' });
    if (both.ok) expect(both.items.map((i) => i.amount)).toEqual(['25.00', '10.00']);
    expect(fitRefund({ amount: '80.00', lines: [{ lineItemReference: '222', quantity: 1 }] }, facts())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/more than the named lines .* are worth \(20.00 USD\)/),
    });
    expect(fitRefund({ lines: [{ lineItemReference: '999', quantity: 1 }] }, facts())).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /has no line 999 \(lines\[0\]\); its lines are 111 \(SOFT-PRO × 2\), 222 \(SUPPORT-1Y × 1\)/,
      ),
    });
    expect(fitRefund({ lines: [{ lineItemReference: '222', quantity: 2 }] }, facts())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/bought 1 time/),
    });
  });

  it('works in currencies without minor units and with three decimals', () => {
    const jpy = order({
      Currency: 'JPY',
      GrossPrice: '4950',
      Items: [{ Code: 'SOFT-BASIC', Quantity: 3, LineItemReference: '1', Price: { GrossPrice: '4950' } }],
    });
    expect(
      fitRefund(
        { amount: '1650' },
        facts({ order: jpy, netsuite: { document: 'cashSale', label: 'CS1', total: 4950n, credited: 0n } }),
      ),
    ).toMatchObject({ ok: true, amount: '1650' });
    expect(
      fitRefund(
        { amount: '1650.5' },
        facts({ order: jpy, netsuite: { document: 'cashSale', label: 'CS1', total: 4950n, credited: 0n } }),
      ),
    ).toMatchObject({ ok: false });
  });
});

describe('refundAlreadyMade', () => {
  const withRefunds = (refunds: Array<Record<string, unknown>>) => order({ Refunds: refunds });
  it('sees its own refund by the request id in the comment, or one more refund of the amount than before', () => {
    expect(refundAlreadyMade(withRefunds([]), '20.00', [], 'refund-request/900001/1')).toBe(false);
    expect(
      refundAlreadyMade(
        withRefunds([{ Amount: '20.00', Date: 'x', Comment: 'Refund (ref refund-request/900001/1)' }]),
        '20.00',
        ['20.00'],
        'refund-request/900001/1',
      ),
    ).toBe(true);
    // Without comments: an equal refund that was there when the request was made does not count.
    expect(
      refundAlreadyMade(withRefunds([{ Amount: '20.00', Date: 'x' }]), '20.00', ['20.00'], 'refund-request/900001/2'),
    ).toBe(false);
    expect(
      refundAlreadyMade(
        withRefunds([
          { Amount: '20.00', Date: 'x' },
          { Amount: '20', Date: 'y' },
        ]),
        '20.00',
        ['20.00'],
        'refund-request/900001/2',
      ),
    ).toBe(true);
    expect(
      refundAlreadyMade(withRefunds([{ Amount: '19.99', Date: 'x' }]), '20.00', [], 'refund-request/900001/3'),
    ).toBe(false);
  });
});
