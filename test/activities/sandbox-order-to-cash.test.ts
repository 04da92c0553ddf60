// The order activities against the real NetSuite sandbox over HTTP, through the real client:
// what ends up in the ledger, and how many calls it took.
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { createNetSuiteActivities } from '../../activities/index.js';
import type { OrderActivities } from '../../workflows/activity-contract.js';
import { staticMappingProvider } from '../../mappings/config-loader.js';
import { useSandbox, useSandboxClient } from '../support/sandbox.js';
import { demoConfig, line, order } from '../mappings/fixtures.js';
import type { OrderEvent } from '../../mappings/canonical.js';

const sandbox = useSandbox();
const client = useSandboxClient(sandbox);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const acts: OrderActivities = createNetSuiteActivities({
  netsuite: client,
  mappings: staticMappingProvider(demoConfig()),
  logger: quiet,
});
beforeEach(() => sandbox.resetStats());

const run = <A, R>(n: number, fn: (input: A) => Promise<R>, input: A): Promise<R> =>
  new MockActivityEnvironment({ attempt: n }).run<[A], R, typeof fn>(fn, input);

const calls = () => Object.values(sandbox.stats().callsByKind).reduce((a, b) => a + b, 0);

/** Three lines, 20 % VAT, a discounted line, a subscription, shipping: the shopper paid 280.91. */
function threeLineOrder(refNo: string, over: Partial<OrderEvent> = {}): OrderEvent {
  return order({
    refNo,
    key: `${refNo}|COMPLETE|1|20260110120000`,
    lines: [
      line(0, { productCode: 'SOFT-PRO', unitPrice: '49.50', quantity: '2', discount: '9.90', vat: '17.82' }),
      line(1, { productCode: 'SUPPORT-1Y', unitPrice: '120.00', vat: '24.00' }),
      line(2, {
        productCode: 'SUB-ANNUAL',
        unitPrice: '19.99',
        vat: '4.00',
        license: { ref: 'LICABC1234', start: '2026-01-10 11:59:00', expires: '2027-01-10 11:59:00', lifetime: false },
      }),
    ],
    totals: { general: '280.91', shipping: '5.00', shippingTax: '1.00' },
    ...over,
  });
}

async function postPaidOrder(o: OrderEvent) {
  const c = await run(1, acts.syncCustomer, { order: o });
  const so = await run(1, acts.upsertSalesOrder, { order: o, customerId: c.customerId });
  const inv = await run(1, acts.createInvoice, { order: o, salesOrderId: so.salesOrderId });
  const pay = await run(1, acts.applyPayment, { order: o, customerId: c.customerId, invoiceId: inv.invoiceId });
  return { c, so, inv, pay };
}

const byExternalId = (type: string, externalId: string) =>
  sandbox.records(type).filter((r) => r.externalId === externalId);

describe('order-to-cash against the NetSuite sandbox', () => {
  it('books a new paid order: one customer, sales order, invoice and payment with the right totals, in ≤ 5 calls', async () => {
    const o = threeLineOrder('7000001', {
      customer: { twoCheckoutRef: '880001', billing: { ...order().customer.billing, email: 'new.buyer@example.com' } },
    });
    const { c, so, inv, pay } = await postPaidOrder(o);
    expect(calls()).toBeLessThanOrEqual(5);
    expect(c.action).toBe('created');

    expect(byExternalId('customer', '2co-cust-2co-880001')).toHaveLength(1);
    const [salesOrder] = byExternalId('salesOrder', '2co-so-7000001');
    expect(salesOrder).toMatchObject({ id: so.salesOrderId, total: 280.91, otherRefNum: '7000001' });
    const lines = (salesOrder!.item as { items: Array<Record<string, unknown>> }).items;
    expect(lines).toHaveLength(6);
    expect(lines.find((l) => (l.item as { id: string }).id === '105')).toMatchObject({
      revRecStartDate: '2026-01-10',
      revRecEndDate: '2027-01-10',
    });
    const [invoice] = byExternalId('invoice', '2co-inv-7000001');
    expect(invoice).toMatchObject({ id: inv.invoiceId, total: 280.91 });
    const [payment] = byExternalId('customerPayment', '2co-pay-7000001');
    expect(payment).toMatchObject({ id: pay.paymentId, payment: 280.91 });
    expect(sandbox.record('invoice', inv.invoiceId)).toMatchObject({ amountRemaining: 0 });
    expect(sandbox.duplicates()).toEqual({ customersByEmail: [], transactionsByRefNo: [], moneyRecordsByKey: [] });
  });

  it('needs 4 calls for a returning customer with nothing changed', async () => {
    const buyer = {
      twoCheckoutRef: '880002',
      billing: { ...order().customer.billing, email: 'returning@example.com' },
    };
    await postPaidOrder(threeLineOrder('7000002', { customer: buyer }));
    sandbox.resetStats();
    const { c } = await postPaidOrder(threeLineOrder('7000003', { customer: buyer }));
    expect(c.action).toBe('unchanged');
    expect(calls()).toBe(4);
    expect(sandbox.duplicates().customersByEmail).toEqual([]);
  });

  it('books onto a customer that already exists with the same e-mail instead of creating a twin, without re-keying it', async () => {
    const existing = sandbox.insert('customer', {
      isPerson: true,
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'LINK.ME@Example.com',
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    const o = threeLineOrder('7000004', {
      customer: { twoCheckoutRef: '880003', billing: { ...order().customer.billing, email: 'link.me@example.com' } },
    });
    const { c } = await postPaidOrder(o);
    expect(c).toEqual({ customerId: existing, action: 'linked' });
    expect(sandbox.record('customer', existing)?.externalId).toBeUndefined();
    expect(sandbox.duplicates().customersByEmail).toEqual([]);
  });

  it('adds a new order currency to a known customer before posting', async () => {
    const buyer = { twoCheckoutRef: '880004', billing: { ...order().customer.billing, email: 'multi@example.com' } };
    await postPaidOrder(threeLineOrder('7000005', { customer: buyer }));
    const eur = threeLineOrder('7000006', {
      customer: buyer,
      currency: 'EUR',
      fx: { rate: '1.0843', payoutCurrency: 'USD' },
    });
    const { so } = await postPaidOrder(eur);
    expect(sandbox.record('salesOrder', so.salesOrderId)).toMatchObject({
      currency: { id: '2' },
      exchangeRate: 1.0843,
      total: 280.91,
    });
  });

  it('recovers from a lost response (committed, then 500) without a duplicate', async () => {
    const o = threeLineOrder('7000007', {
      customer: { twoCheckoutRef: '880005', billing: { ...order().customer.billing, email: 'lost@example.com' } },
    });
    const c = await run(1, acts.syncCustomer, { order: o });
    const so = await run(1, acts.upsertSalesOrder, { order: o, customerId: c.customerId });
    sandbox.injectFault({ kind: 'commitThen500', method: 'POST', pathIncludes: '!transform/invoice' });
    const failed = await run(1, acts.createInvoice, { order: o, salesOrderId: so.salesOrderId }).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(ApplicationFailure);
    expect((failed as ApplicationFailure).nonRetryable).toBe(false);
    // Temporal retries the activity: attempt 2 finds what attempt 1 committed.
    const inv = await run(2, acts.createInvoice, { order: o, salesOrderId: so.salesOrderId });
    expect(byExternalId('invoice', '2co-inv-7000007').map((r) => r.id)).toEqual([inv.invoiceId]);
    // A re-run of the sales order upsert is accepted (not refused), reaches NetSuite, and replaces
    // the lines instead of appending them.
    const upserts = () => sandbox.stats().callsByKind['upsert:salesOrder'] ?? 0;
    const before = upserts();
    const again = await run(1, acts.upsertSalesOrder, { order: o, customerId: c.customerId });
    expect(again.salesOrderId).toBe(so.salesOrderId);
    expect(upserts()).toBe(before + 1);
    const lines = (sandbox.record('salesOrder', so.salesOrderId)!.item as { items: unknown[] }).items;
    expect(lines).toHaveLength(6);
    expect(sandbox.duplicates().transactionsByRefNo).toEqual([]);
  });

  it('posts a cash sale with one upsert after the customer, and finds the order records afterwards', async () => {
    const o = threeLineOrder('7000008', {
      customer: { twoCheckoutRef: '880006', billing: { ...order().customer.billing, email: 'cash@example.com' } },
    });
    const c = await run(1, acts.syncCustomer, { order: o });
    const cs = await run(1, acts.postCashSale, { order: o, customerId: c.customerId });
    expect(calls()).toBe(3);
    expect(sandbox.record('cashSale', cs.cashSaleId)).toMatchObject({
      total: 280.91,
      account: { id: '201' },
      paymentOption: { id: '1' },
    });
    const found = await run(1, acts.findOrderRecords, { refNo: '7000008' });
    expect(found).toEqual({ customerId: c.customerId, cashSaleId: cs.cashSaleId });
  });
});
