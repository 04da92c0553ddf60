// The pure parts of completeness: an API order becomes the events an IPN would have given, the
// per-order comparison says what is missing or different, and the order state machine takes an
// API refund and a webhook refund of the same money as one refund (in either order).
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { ipnToOrderEvent } from '../../mappings/from-2checkout.js';
import { apiOrderToEvents } from '../../mappings/from-2checkout-api.js';
import { buildLedger, compareOrder, type NsTransaction } from '../../mappings/completeness.js';
import { renderApiOrder } from '../../sandbox/twocheckout/api/render.js';
import { TwoCheckoutStore } from '../../sandbox/twocheckout/store.js';
import { buildIpnFields, encodeForm } from '../../sandbox/twocheckout/sender.js';
import { eurOrder, partialRefund, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import { ApiOrder } from '../../twocheckout/rest/orders.js';
import { DEFAULT_POLICY, emptyModel, foldEvent } from '../../workflows/order-state.js';

const at = new Date('2026-03-14T09:00:00Z');
const ipnEvent = (o: Parameters<typeof buildIpnFields>[0]) => ipnToOrderEvent(parseForm(encodeForm(buildIpnFields(o))));

function apiOrderOf(...orders: Array<Parameters<typeof buildIpnFields>[0]>) {
  const store = new TwoCheckoutStore();
  for (const o of orders) store.recordIpn(o);
  return ApiOrder.parse(JSON.parse(JSON.stringify(renderApiOrder(store.all()[0]!))));
}

describe('API order → canonical events', () => {
  it('gives the sale the same lines and totals as its IPN, marked as a bulk source', () => {
    const ipn = eurOrder('600001', { at });
    const [sale] = apiOrderToEvents(apiOrderOf(ipn), 'backfill');
    const fromIpn = ipnEvent(ipn);
    expect(sale).toMatchObject({
      source: 'backfill',
      status: 'COMPLETE',
      currency: 'EUR',
      totals: { general: fromIpn.totals.general },
    });
    expect(sale!.lines.map((l) => [l.productCode, l.quantity, l.unitPrice, l.vat, l.discount, l.total])).toEqual(
      fromIpn.lines.map((l) => [l.productCode, l.quantity, l.unitPrice, l.vat, l.discount, l.total]),
    );
    expect(sale!.customer.twoCheckoutRef).toBe(fromIpn.customer.twoCheckoutRef);
    expect(sale!.saleDate?.slice(0, 10)).toBe(fromIpn.saleDate?.slice(0, 10) ?? '2026-03-14');
  });

  it("keeps 2Checkout's exchange rate when the order object carries it", () => {
    const order = ApiOrder.parse({
      ...apiOrderOf(eurOrder('600006', { at })),
      FxRate: 1.0845,
      FxMarkup: '2',
      PayoutCurrency: 'usd',
    });
    expect(apiOrderToEvents(order, 'backfill')[0]!.fx).toEqual({ rate: '1.0845', markup: '2', payoutCurrency: 'USD' });
    expect(apiOrderToEvents(apiOrderOf(eurOrder('600007', { at })), 'backfill')[0]!.fx).toEqual({});
  });

  it('turns each refund into its own REFUND event with a stable key', () => {
    const o = threeLineOrder('600002', { at });
    const order = apiOrderOf(o, partialRefund(o, { lines: [1] }));
    const events = apiOrderToEvents(order, 'reconcile');
    const refunds = events.filter((e) => e.status === 'REFUND');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      eventRef: 'api-refund-1',
      key: expect.stringMatching(/^api\|600002\|refund\|1\|/),
    });
    expect(apiOrderToEvents(order, 'backfill').map((e) => e.key)).toEqual(events.map((e) => e.key));
  });
});

describe('order state: webhook and API refunds of the same money are one refund', () => {
  const o = threeLineOrder('600003', { at });
  const refundIpn = partialRefund(o, { lines: [1] });
  const api = apiOrderToEvents(apiOrderOf(o, refundIpn), 'reconcile');
  const apiRefund = api.find((e) => e.status === 'REFUND')!;

  it('API first, webhook later', () => {
    const m = emptyModel('600003');
    foldEvent(m, ipnEvent(o), DEFAULT_POLICY);
    expect(foldEvent(m, apiRefund, DEFAULT_POLICY)).toBe('applied');
    expect(foldEvent(m, ipnEvent(refundIpn), DEFAULT_POLICY)).toBe('duplicate');
    expect(m.moneyBack).toHaveLength(1);
  });

  it('webhook first, API later; the API sale snapshot does not replace the webhook content', () => {
    const m = emptyModel('600003');
    const sale = ipnEvent(o);
    foldEvent(m, sale, DEFAULT_POLICY);
    foldEvent(m, ipnEvent(refundIpn), DEFAULT_POLICY);
    for (const e of api) expect(foldEvent(m, e, DEFAULT_POLICY)).toBe('duplicate');
    expect(m.moneyBack).toHaveLength(1);
    expect(m.sale?.key).toBe(sale.key);
  });

  it('a second, different refund of another amount still counts', () => {
    const m = emptyModel('600003');
    foldEvent(m, ipnEvent(o), DEFAULT_POLICY);
    foldEvent(m, ipnEvent(partialRefund(o, { lines: [0] })), DEFAULT_POLICY);
    expect(foldEvent(m, apiRefund, DEFAULT_POLICY)).toBe('applied');
    expect(m.moneyBack).toHaveLength(2);
  });
});

describe('comparison and ledger', () => {
  const order = apiOrderOf(eurOrder('600004', { at }));
  const ns = (over: Partial<NsTransaction>[] = []): NsTransaction[] => [
    { externalId: '2co-so-600004', recordType: 'salesorder', total: order.GrossPrice, currency: 'EUR' },
    { externalId: '2co-inv-600004', recordType: 'invoice', total: order.GrossPrice, currency: 'EUR' },
    { externalId: '2co-pay-600004', recordType: 'customerpayment', currency: 'EUR' },
    ...over.map((x) => ({ externalId: '', recordType: '', ...x })),
  ];

  it('matched, missing, mismatched (amount, currency, over-credited)', () => {
    expect(compareOrder(order, ns(), 'salesOrder').verdict).toBe('matched');
    expect(compareOrder(order, ns().slice(0, 2), 'salesOrder')).toMatchObject({
      verdict: 'missing',
      missing: ['customer payment'],
    });
    const edited = ns();
    edited[0] = { ...edited[0]!, total: '1.00' };
    expect(compareOrder(order, edited, 'salesOrder')).toMatchObject({
      verdict: 'mismatched',
      findings: [expect.stringMatching(/^amount: NetSuite 1\.00, 2Checkout/)],
    });
    const usd = ns();
    usd[0] = { ...usd[0]!, currency: 'USD' };
    expect(compareOrder(order, usd, 'salesOrder').findings).toEqual(['currency: NetSuite USD, 2Checkout EUR']);
    expect(
      compareOrder(
        order,
        ns([{ externalId: '2co-cm-600004-123', recordType: 'creditmemo', total: '5.00' }]),
        'salesOrder',
      ).findings[0],
    ).toMatch(/^credited/);
    // another order's records never count: 6000041 is not 600004
    expect(
      compareOrder(
        order,
        [{ externalId: '2co-so-6000041', recordType: 'salesorder', total: order.GrossPrice }],
        'salesOrder',
      ).missing,
    ).toContain('sales order');
  });

  it("compares a 3-decimal KWD total with NetSuite in NetSuite's two decimals", () => {
    const kwd = { ...order, RefNo: '600005', Currency: 'KWD', GrossPrice: '60.255' };
    const books = (total: string): NsTransaction[] => [
      { externalId: '2co-so-600005', recordType: 'salesorder', total, currency: 'KWD' },
      { externalId: '2co-inv-600005', recordType: 'invoice', total, currency: 'KWD' },
      { externalId: '2co-pay-600005', recordType: 'customerpayment', currency: 'KWD' },
    ];
    expect(compareOrder(kwd, books('60.26'), 'salesOrder')).toMatchObject({
      verdict: 'matched',
      gross: '60.255',
      nsSaleTotal: '60.260',
    });
    expect(compareOrder(kwd, books('60.25'), 'salesOrder').verdict).toBe('mismatched');
  });

  it('an empty day is complete with 0 orders', () => {
    const l = buildLedger({
      date: '2026-03-14',
      entries: [],
      exceptions: [],
      nsOnly: 0,
      calls: { netsuite: 2, twocheckout: 1 },
      finishedAt: 'x',
    });
    expect(l).toMatchObject({ state: 'complete', ordersIn2co: 0, ordersInNs: 0, byCurrency: {} });
  });
});
