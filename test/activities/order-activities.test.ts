import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createNetSuiteActivities } from '../../activities/index.js';
import type { ActivityLogger } from '../../activities/activity-context.js';
import { staticMappingProvider } from '../../mappings/config-loader.js';
import { emailHash } from '../../mappings/customer-record.js';
import { NetSuiteError } from '../../netsuite/types.js';
import { configWith, demoConfig, line, order } from '../mappings/fixtures.js';
import { alreadyExists, FakeNetSuite } from './fake-netsuite.js';

function setup(config = demoConfig()) {
  const ns = new FakeNetSuite();
  const logs: Array<{ level: string; obj: object; msg?: string }> = [];
  const logger: ActivityLogger = {
    debug: (obj, msg) => logs.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
  };
  const acts = createNetSuiteActivities({ netsuite: ns, mappings: staticMappingProvider(config), logger });
  return { ns, acts, logs };
}

/** An activity environment on attempt `n`, with `run` typed by the activity it runs. */
const attempt = (n: number) => {
  const env = new MockActivityEnvironment({ attempt: n });
  return { run: <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> => env.run<[A], R, typeof fn>(fn, input) };
};

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApplicationFailure) return e;
    throw e;
  }
  throw new Error('expected the activity to fail');
}

const paid = order({
  lines: [line(0, { productCode: 'SOFT-PRO', unitPrice: '49.99', quantity: '2', vat: '20.00' })],
  totals: { general: '119.98', shipping: '0', shippingTax: '0' },
});

describe('order-to-cash activities (fake NetSuite)', () => {
  it('posts a new paid order for a new customer in 5 calls, each write keyed by externalId', async () => {
    const { ns, acts, logs } = setup();
    const env = attempt(1);
    const customer = await env.run(acts.syncCustomer, { order: paid });
    expect(customer.action).toBe('created');
    const so = await env.run(acts.upsertSalesOrder, { order: paid, customerId: customer.customerId });
    const inv = await env.run(acts.createInvoice, { order: paid, salesOrderId: so.salesOrderId });
    const pay = await env.run(acts.applyPayment, {
      order: paid,
      customerId: customer.customerId,
      invoiceId: inv.invoiceId,
    });

    expect(ns.calls.map((c) => `${c.kind}:${c.type ?? ''}`)).toEqual([
      'suiteql:',
      'upsert:customer',
      'upsert:salesOrder',
      'transform:salesOrder->invoice',
      'transform:invoice->customerPayment',
    ]);
    expect(ns.calls[1]!.key).toBe('2co-cust-2co-777001');
    expect(ns.calls[2]).toMatchObject({ key: '2co-so-900001', opts: { priority: 'bulk', replace: ['item'] } });
    expect(ns.calls[3]!.body).toMatchObject({ externalId: '2co-inv-900001' });
    expect(ns.calls[4]).toMatchObject({
      body: { externalId: '2co-pay-900001', payment: 119.98, account: { id: '201' } },
      opts: { priority: 'money' },
    });
    expect(so.total).toBe('119.98');
    expect(inv).toMatchObject({ total: '119.98', amountRemaining: '119.98' });
    expect(pay.amount).toBe('119.98');
    // No personal data in logs.
    expect(JSON.stringify(logs)).not.toMatch(/jane|doe|example\.com|main st/i);
  });

  it('needs no customer write for a returning customer whose details did not change (4 calls)', async () => {
    const { ns, acts } = setup();
    const env = attempt(1);
    const first = await env.run(acts.syncCustomer, { order: paid });
    ns.calls.length = 0;
    const again = order({ refNo: '900002', lines: paid.lines, totals: paid.totals });
    const c = await env.run(acts.syncCustomer, { order: again });
    expect(c).toEqual({ customerId: first.customerId, action: 'unchanged' });
    const so = await env.run(acts.upsertSalesOrder, { order: again, customerId: c.customerId });
    const inv = await env.run(acts.createInvoice, { order: again, salesOrderId: so.salesOrderId });
    await env.run(acts.applyPayment, { order: again, customerId: c.customerId, invoiceId: inv.invoiceId });
    expect(ns.count()).toBe(4);
    expect(ns.all('customer')).toHaveLength(1);
  });

  it('links an existing customer with the same e-mail (any case) instead of creating a twin', async () => {
    const { ns, acts, logs } = setup();
    ns.seed('customer', {
      id: '77',
      email: 'JANE.DOE@example.COM',
      firstName: 'Jane',
      lastName: 'Doe',
      currency: { id: '1' },
    });
    ns.seed('customer', {
      id: '12',
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      currency: { id: '1' },
    });
    const c = await attempt(1).run(acts.syncCustomer, { order: paid });
    expect(c).toEqual({ customerId: '12', action: 'linked' });
    // Found by e-mail only: never re-keyed, never rewritten (2Checkout does not prove e-mail ownership).
    expect(ns.calls.map((x) => x.kind)).toEqual(['suiteql']);
    expect(ns.all('customer').every((x) => x.externalId === undefined)).toBe(true);
    expect(ns.all('customer')).toHaveLength(2);
    expect(logs.some((l) => l.level === 'warn' && /lowest id/.test(l.msg ?? ''))).toBe(true);
    // Next order: found by e-mail again, nothing to write.
    const next = await attempt(1).run(acts.syncCustomer, { order: { ...paid, refNo: '900003' } });
    expect(next).toEqual({ customerId: '12', action: 'linked' });
  });

  it('finds a customer keyed by another of its references (e-mail hash) without re-keying it', async () => {
    const { ns, acts } = setup();
    ns.seed('customer', {
      id: '5',
      externalId: `2co-cust-email-${emailHash('jane.doe@example.com')}`,
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      phone: '',
      currency: { id: '1' },
    });
    const c = await attempt(1).run(acts.syncCustomer, { order: paid });
    expect(c.customerId).toBe('5');
    expect(ns.calls.filter((x) => x.kind !== 'suiteql').every((x) => !(x.body && 'externalId' in x.body))).toBe(true);
  });

  it('leaves a same-e-mail customer keyed by another system keyed as it is', async () => {
    const { ns, acts } = setup();
    ns.seed('customer', {
      id: '8',
      externalId: 'SHOPIFY-123',
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      currency: { id: '1' },
    });
    const c = await attempt(1).run(acts.syncCustomer, { order: paid });
    expect(c).toEqual({ customerId: '8', action: 'linked' });
    expect(ns.all('customer')[0]!.externalId).toBe('SHOPIFY-123');
  });

  it('refreshes changed fields in one PATCH, or leaves them with updatePolicy never', async () => {
    const { ns, acts } = setup();
    ns.seed('customer', {
      id: '9',
      externalId: '2co-cust-2co-777001',
      email: 'old@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      currency: { id: '1' },
    });
    const withPhone = {
      ...paid,
      customer: { ...paid.customer, billing: { ...paid.customer.billing, phone: '+1 555 0100' } },
    };
    const c = await attempt(1).run(acts.syncCustomer, { order: withPhone });
    expect(c.action).toBe('updated');
    expect(ns.calls[1]).toMatchObject({
      kind: 'update',
      key: '9',
      body: { email: 'Jane.Doe@Example.com', phone: '+1 555 0100' },
    });
    expect(Object.keys(ns.calls[1]!.body!).sort()).toEqual(['email', 'phone']);

    const frozen = setup(configWith({ customers: { ...demoConfig().customers, updatePolicy: 'never' } }));
    frozen.ns.seed('customer', {
      id: '9',
      externalId: '2co-cust-2co-777001',
      email: 'old@example.com',
      firstName: 'J',
      lastName: 'D',
      currency: { id: '1' },
    });
    expect(await attempt(1).run(frozen.acts.syncCustomer, { order: withPhone })).toEqual({
      customerId: '9',
      action: 'unchanged',
    });
    expect(frozen.ns.count()).toBe(1);
  });

  it('adds the order currency to a known customer trading in another currency', async () => {
    const { ns, acts } = setup();
    ns.seed('customer', {
      id: '9',
      externalId: '2co-cust-2co-777001',
      email: 'Jane.Doe@Example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      currency: { id: '1' },
    });
    const eur = { ...paid, currency: 'EUR', fx: { rate: '1.08', payoutCurrency: 'USD' } };
    const c = await attempt(1).run(acts.syncCustomer, { order: eur });
    expect(c.action).toBe('updated');
    expect(ns.calls[1]).toMatchObject({
      kind: 'update',
      body: { currencyList: { items: [{ currency: { id: '2' } }] } },
    });
    // The next EUR order of that customer needs no PATCH: this worker already added EUR.
    ns.calls.length = 0;
    expect(await attempt(1).run(acts.syncCustomer, { order: { ...eur, refNo: '900009' } })).toEqual({
      customerId: '9',
      action: 'unchanged',
    });
    expect(ns.calls.map((x) => x.kind)).toEqual(['suiteql']);
  });

  it("gives every NetSuite call the activity's task priority key, for the limiter's queue", async () => {
    const { ns, acts } = setup();
    const env = new MockActivityEnvironment({ attempt: 1, priority: { priorityKey: 1 } });
    const live = {
      run: <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> => env.run<[A], R, typeof fn>(fn, input),
    };
    const customer = await live.run(acts.syncCustomer, { order: paid });
    await live.run(acts.upsertSalesOrder, { order: paid, customerId: customer.customerId });
    expect(ns.calls.length).toBeGreaterThanOrEqual(3);
    expect(ns.calls.map((c) => c.opts?.priorityKey)).toEqual(ns.calls.map(() => 1));
    ns.calls.length = 0;
    // No key (an activity of a workflow started without one): the limiter uses Temporal's default.
    await attempt(1).run(acts.findOrderRecords, { refNo: paid.refNo });
    expect(ns.calls.map((c) => c.opts && 'priorityKey' in c.opts)).toEqual(ns.calls.map(() => false));
  });

  it('looks up before writing only on a retry attempt', async () => {
    const { ns, acts } = setup();
    const so = ns.seed('salesOrder', { externalId: '2co-so-900001', total: 119.98, entity: { id: '1' } });
    // First attempt: straight to the transform.
    const inv = await attempt(1).run(acts.createInvoice, { order: paid, salesOrderId: so.id });
    expect(ns.calls.map((c) => c.kind)).toEqual(['transform']);
    ns.calls.length = 0;
    // A retry of the same activity: the earlier attempt committed, so it is found and returned.
    const again = await attempt(2).run(acts.createInvoice, { order: paid, salesOrderId: so.id });
    expect(again.invoiceId).toBe(inv.invoiceId);
    expect(ns.calls.map((c) => c.kind)).toEqual(['get']);
    expect(ns.all('invoice')).toHaveLength(1);
    ns.calls.length = 0;
    const soAgain = await attempt(3).run(acts.upsertSalesOrder, { order: paid, customerId: '1' });
    expect(soAgain).toEqual({ salesOrderId: so.id, total: '119.98' });
    expect(ns.calls.map((c) => c.kind)).toEqual(['get']);
  });

  it('returns the existing record when NetSuite says it already exists (an earlier run committed)', async () => {
    const { ns, acts } = setup();
    const inv = ns.seed('invoice', { externalId: '2co-inv-900001', total: 119.98, amountRemaining: 0 });
    ns.seed('salesOrder', { id: '50', externalId: '2co-so-900001', total: 119.98 });
    const out = await attempt(1).run(acts.createInvoice, { order: paid, salesOrderId: '50' });
    expect(out).toEqual({ invoiceId: inv.id, total: '119.98', amountRemaining: '0.00' });
    expect(ns.calls.map((c) => c.kind)).toEqual(['transform', 'get']);

    ns.failNext.push({ kind: 'transform', error: alreadyExists(), afterCommit: true });
    const pay = await attempt(1).run(acts.applyPayment, { order: paid, customerId: '1', invoiceId: inv.id });
    expect(ns.all('customerPayment')).toHaveLength(1);
    expect(pay.paymentId).toBe(ns.all('customerPayment')[0]!.id);
  });

  it('posts a cash sale with the customer query and one upsert', async () => {
    const { ns, acts } = setup();
    const c = await attempt(1).run(acts.syncCustomer, { order: paid });
    const cs = await attempt(1).run(acts.postCashSale, { order: paid, customerId: c.customerId });
    expect(cs.total).toBe('119.98');
    expect(ns.calls.map((x) => `${x.kind}:${x.type ?? ''}`)).toEqual([
      'suiteql:',
      'upsert:customer',
      'upsert:cashSale',
    ]);
    expect(ns.calls[2]).toMatchObject({
      key: '2co-cs-900001',
      body: { account: { id: '201' }, paymentOption: { id: '1' } },
      opts: { priority: 'money' },
    });
  });

  it('finds what already exists for an order by externalId', async () => {
    const { ns, acts } = setup();
    ns.seed('salesOrder', { id: '10', externalId: '2co-so-900001', entity: { id: '3' }, total: 119.98 });
    ns.seed('invoice', { id: '11', externalId: '2co-inv-900001' });
    ns.seed('creditMemo', { id: '12', externalId: '2co-cm-900001-4711', total: -20 });
    ns.seed('customerRefund', { id: '13', externalId: '2co-rf-900001-4711' });
    ns.seed('salesOrder', { id: '14', externalId: '2co-so-9000011' });
    const found = await attempt(1).run(acts.findOrderRecords, { refNo: '900001' });
    expect(found).toEqual({
      customerId: '3',
      salesOrderId: '10',
      invoiceId: '11',
      creditMemos: { '4711': { creditMemoId: '12', customerRefundId: '13', amount: '20' } },
    });
    expect(ns.count()).toBe(1);
  });
});

describe('activity failures', () => {
  it('parks on an unmapped product before calling NetSuite', async () => {
    const { ns, acts } = setup();
    const gadget = order({ lines: [line(0, { productCode: 'NEW-GADGET-X', unitPrice: '100.00' })] });
    const f = await failureOf(attempt(1).run(acts.upsertSalesOrder, { order: gadget, customerId: '1' }));
    expect(f).toMatchObject({ type: 'MappingError', nonRetryable: true });
    expect(f.details?.[0]).toEqual({
      reason: 'UNMAPPED_PRODUCT',
      path: 'lines[0].productCode',
      message: expect.stringMatching(
        /^product code NEW-GADGET-X \(line 1\) has no NetSuite item: add it under products\.rules in config\/mappings\.yaml/,
      ),
    });
    expect(ns.count()).toBe(0);
  });

  it('parks on amounts that do not add up', async () => {
    const { acts } = setup();
    const off = order({ totals: { general: '90.00', shipping: '0', shippingTax: '0' } });
    const f = await failureOf(attempt(1).run(acts.upsertSalesOrder, { order: off, customerId: '1' }));
    expect(f).toMatchObject({
      type: 'AmountMismatch',
      nonRetryable: true,
      details: [expect.objectContaining({ reason: 'AMOUNT_MISMATCH' })],
    });
  });

  it('parks on a NetSuite user error with NetSuite’s words, code and path', async () => {
    const { ns, acts } = setup();
    ns.failNext.push({
      kind: 'upsert',
      error: new NetSuiteError('NetSuite upsert:salesOrder: 400', 'user', 400, [
        {
          code: 'INVALID_CONTENT',
          detail: 'You have entered an Invalid Field Value 101 for the following field: item',
          path: 'item.items[0].item',
        },
      ]),
    });
    const f = await failureOf(attempt(1).run(acts.upsertSalesOrder, { order: paid, customerId: '1' }));
    expect(f).toMatchObject({ type: 'NetSuiteUserError', nonRetryable: true });
    expect(f.details?.[0]).toMatchObject({
      reason: 'NETSUITE_USER_ERROR',
      path: 'item.items[0].item',
      message: expect.stringContaining('Invalid Field Value 101 for the following field: item (INVALID_CONTENT)'),
    });
  });

  it('retries concurrency limits soon, credentials slowly (with an error log), and outages with back-off', async () => {
    const { ns, acts, logs } = setup();
    ns.failNext.push({ kind: 'suiteql', error: new NetSuiteError('429', 'concurrency', 429, [], 7_000) });
    const busy = await failureOf(attempt(1).run(acts.syncCustomer, { order: paid }));
    expect(busy).toMatchObject({ type: 'NetSuiteConcurrencyLimit', nonRetryable: false, nextRetryDelay: 7_000 });

    ns.failNext.push({ kind: 'suiteql', error: new NetSuiteError('429', 'concurrency', 429) });
    const jittered = await failureOf(attempt(1).run(acts.syncCustomer, { order: paid }));
    expect(Number(jittered.nextRetryDelay)).toBeGreaterThanOrEqual(2_000);
    expect(Number(jittered.nextRetryDelay)).toBeLessThan(6_000);

    ns.failNext.push({
      kind: 'suiteql',
      error: new NetSuiteError('401', 'auth', 401, [{ code: 'INVALID_LOGIN', detail: 'Invalid login attempt.' }]),
    });
    const auth = await failureOf(attempt(1).run(acts.syncCustomer, { order: paid }));
    expect(auth).toMatchObject({ type: 'NetSuiteAuth', nonRetryable: false, nextRetryDelay: 60_000 });
    expect(logs.some((l) => l.level === 'error' && /INVALID_LOGIN/.test(l.msg ?? ''))).toBe(true);

    ns.failNext.push({ kind: 'suiteql', error: new NetSuiteError('503', 'server', 503) });
    const down = await failureOf(attempt(1).run(acts.syncCustomer, { order: paid }));
    expect(down).toMatchObject({ type: 'NetSuiteUnavailable', nonRetryable: false });
    expect(down.nextRetryDelay).toBeUndefined();

    // Another writer saved the record meanwhile: retried within a second (the next attempt reads it again), never parked.
    ns.failNext.push({
      kind: 'suiteql',
      error: new NetSuiteError('400', 'conflict', 400, [{ code: 'USER_ERROR', detail: 'Record has been changed.' }]),
    });
    const changed = await failureOf(attempt(1).run(acts.syncCustomer, { order: paid }));
    expect(changed).toMatchObject({ type: 'NetSuiteRecordChanged', nonRetryable: false });
    expect(Number(changed.nextRetryDelay)).toBeGreaterThanOrEqual(200);
    expect(Number(changed.nextRetryDelay)).toBeLessThan(1_000);
  });
});
