// The order activities against the strict NetSuite sandbox (sandbox/netsuite/README.md, "Strict
// account rules"): what a production account refuses, and what the sync does about it —
// 3-decimal amounts in a 2-decimal currency, a returning shopper routed to another subsidiary,
// a date in a closed accounting period, a refund out of an account in the wrong currency.
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetSuiteActivities } from '../../activities/index.js';
import type { OrderActivities } from '../../workflows/activity-contract.js';
import { staticMappingProvider } from '../../mappings/config-loader.js';
import type { MappingConfig } from '../../mappings/config-schema.js';
import type { ParkDetails } from '../../mappings/sync-types.js';
import { createNetSuiteClient } from '../../netsuite/client.js';
import type { NetSuiteRestClient } from '../../netsuite/types.js';
import type { NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { SANDBOX_CREDENTIALS as CREDENTIALS, startSandbox } from '../support/sandbox.js';
import { demoConfig, line, order } from '../mappings/fixtures.js';
import type { OrderEvent } from '../../mappings/canonical.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface Account {
  sandbox: NetSuiteSandbox;
  client: NetSuiteRestClient;
  acts: (config?: MappingConfig) => OrderActivities;
}

async function account(opts: { multiSubsidiaryCustomers?: boolean } = {}): Promise<Account> {
  const sandbox = await startSandbox(opts);
  const client = createNetSuiteClient({ baseUrl: sandbox.url, credentials: CREDENTIALS });
  return {
    sandbox,
    client,
    acts: (config = demoConfig()) =>
      createNetSuiteActivities({ netsuite: client, mappings: staticMappingProvider(config), logger: quiet }),
  };
}

let plain: Account;
let multi: Account;
beforeAll(async () => {
  plain = await account();
  multi = await account({ multiSubsidiaryCustomers: true });
});
afterAll(async () => {
  for (const a of [plain, multi]) {
    await a?.client.close();
    await a?.sandbox.close();
  }
});

const run = <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> =>
  new MockActivityEnvironment({ attempt: 1 }).run<[A], R, typeof fn>(fn, input);

async function parkOf(p: Promise<unknown>): Promise<ParkDetails> {
  try {
    await p;
  } catch (e) {
    const f = e instanceof ApplicationFailure ? e : undefined;
    if (f?.nonRetryable && f.details?.[0]) return f.details[0] as ParkDetails;
    throw e;
  }
  throw new Error('expected the activity to park');
}

async function postPaidOrder(acts: OrderActivities, o: OrderEvent) {
  const c = await run(acts.syncCustomer, { order: o });
  const so = await run(acts.upsertSalesOrder, { order: o, customerId: c.customerId });
  const inv = await run(acts.createInvoice, { order: o, salesOrderId: so.salesOrderId });
  const pay = await run(acts.applyPayment, { order: o, customerId: c.customerId, invoiceId: inv.invoiceId });
  return { c, so, inv, pay };
}

const withConfig = (patch: (c: MappingConfig) => void): MappingConfig => {
  const c = demoConfig();
  patch(c);
  return c;
};

const german = (o: OrderEvent['customer']['billing']) => ({ ...o, countryCode: 'DE', city: 'Berlin' });

describe('3-decimal 2Checkout amounts in a 2-decimal NetSuite currency', () => {
  const kwd = (refNo: string) =>
    order({
      refNo,
      key: `${refNo}|COMPLETE|1|20260110120000`,
      currency: 'KWD',
      fx: { rate: '3.25', payoutCurrency: 'USD' },
      customer: { ...order().customer, twoCheckoutRef: `kwd-${refNo}` },
      lines: [
        line(0, { productCode: 'SOFT-BASIC', unitPrice: '10.005' }),
        line(1, { productCode: 'SUPPORT-1Y', unitPrice: '10.005' }),
      ],
      totals: { general: '20.010', shipping: '0', shippingTax: '0' },
    });

  it('books every line rounded, the difference on the rounding item, and a payment that settles the invoice exactly', async () => {
    const { so, inv, pay } = await postPaidOrder(plain.acts(), kwd('8100001'));
    // 2Checkout's 20.010 rounded once: the invoice is settled by the payment to the last fils.
    expect(plain.sandbox.record('invoice', inv.invoiceId)).toMatchObject({
      total: 20.01,
      amountRemaining: 0,
      status: { refName: 'Paid In Full' },
    });
    const salesOrder = plain.sandbox.record('salesOrder', so.salesOrderId)!;
    const items = (salesOrder.item as { items: Array<{ item: { id: string }; amount: number }> }).items;
    expect(items.map((l) => [l.item.id, l.amount])).toEqual([
      ['100', 10.01],
      ['102', 10.01],
      ['114', -0.01],
    ]);
    expect(salesOrder.total).toBe(20.01);
    expect(plain.sandbox.record('invoice', inv.invoiceId)).toMatchObject({
      total: 20.01,
      amountRemaining: 0,
      status: { refName: 'Paid In Full' },
    });
    expect(plain.sandbox.record('customerPayment', pay.paymentId)).toMatchObject({ payment: 20.01 });
    expect(pay.amount).toBe('20.01');
  });

  it('without a rounding item, absorbs the difference on the tax line', async () => {
    const config = withConfig((c) => {
      c.rounding = { description: c.rounding.description };
    });
    const o = kwd('8100002');
    o.lines[0]!.vat = '1.000';
    o.totals.general = '21.010';
    const { so, inv } = await postPaidOrder(plain.acts(config), o);
    const items = (
      plain.sandbox.record('salesOrder', so.salesOrderId)!.item as {
        items: Array<{ item: { id: string }; amount: number }>;
      }
    ).items;
    expect(items.map((l) => [l.item.id, l.amount])).toEqual([
      ['100', 10.01],
      ['102', 10.01],
      ['113', 0.99],
    ]);
    expect(plain.sandbox.record('invoice', inv.invoiceId)).toMatchObject({ total: 21.01, amountRemaining: 0 });
  });
});

describe('a returning shopper routed to another subsidiary', () => {
  /** First a US order (subsidiary 1), then the same 2Checkout customer billed in Germany paying EUR (subsidiary 2). */
  const twoOrders = (ref: string) => {
    const base = order().customer;
    const customer = {
      ...base,
      twoCheckoutRef: `shopper-${ref}`,
      billing: { ...base.billing, email: `shopper-${ref}@example.com` },
    };
    const us = order({ refNo: `${ref}1`, key: `${ref}1|COMPLETE|1|20260110120000`, customer });
    const eu = order({
      refNo: `${ref}2`,
      key: `${ref}2|COMPLETE|1|20260110120000`,
      currency: 'EUR',
      fx: { rate: '1.08', payoutCurrency: 'USD' },
      customer: { ...us.customer, billing: german(us.customer.billing) },
    });
    return { us, eu };
  };

  it('customerPerSubsidiary (default): books the second order onto a customer of its own in that subsidiary', async () => {
    const { us, eu } = twoOrders('82000');
    const first = await postPaidOrder(plain.acts(), us);
    const second = await postPaidOrder(plain.acts(), eu);
    expect(second.c.customerId).not.toBe(first.c.customerId);
    expect(plain.sandbox.record('customer', second.c.customerId)).toMatchObject({
      externalId: '2co-cust-s2-2co-shopper-82000',
      subsidiary: { id: '2' },
    });
    expect(plain.sandbox.record('salesOrder', second.so.salesOrderId)).toMatchObject({
      subsidiary: { id: '2' },
      entity: { id: second.c.customerId },
    });
    // A third order in either subsidiary finds its customer again (no third customer).
    const again = await run(plain.acts().syncCustomer, { order: { ...eu, refNo: '820003' } });
    expect(again.customerId).toBe(second.c.customerId);
    expect((await run(plain.acts().syncCustomer, { order: { ...us, refNo: '820004' } })).customerId).toBe(
      first.c.customerId,
    );
    const ids = ['2co-cust-2co-shopper-82000', '2co-cust-s2-2co-shopper-82000'];
    expect(
      plain.sandbox
        .records('customer')
        .filter((c) => ids.includes(String(c.externalId)))
        .map((c) => c.id),
    ).toEqual([first.c.customerId, second.c.customerId]);
  });

  it('addSubsidiary: gives the customer the subsidiary where the account has Multi-Subsidiary Customers', async () => {
    const config = withConfig((c) => {
      c.customers.otherSubsidiary = 'addSubsidiary';
    });
    const { us, eu } = twoOrders('83000');
    const first = await postPaidOrder(multi.acts(config), us);
    const second = await postPaidOrder(multi.acts(config), eu);
    expect(second.c.customerId).toBe(first.c.customerId);
    expect(multi.sandbox.records('customerSubsidiaryRelationship')).toEqual([
      expect.objectContaining({
        entity: expect.objectContaining({ id: first.c.customerId }),
        subsidiary: expect.objectContaining({ id: '2' }),
      }),
    ]);
    expect(multi.sandbox.record('invoice', second.inv.invoiceId)).toMatchObject({
      subsidiary: { id: '2' },
      amountRemaining: 0,
    });
    // Known now: a further order adds nothing.
    multi.sandbox.resetStats();
    await run(multi.acts(config).syncCustomer, { order: { ...eu, refNo: '830003' } });
    expect(multi.sandbox.stats().callsByKind['create:customerSubsidiaryRelationship']).toBeUndefined();
  });

  it('addSubsidiary on an account without the feature, and park: stop the order with a reason a person can act on', async () => {
    const add = withConfig((c) => {
      c.customers.otherSubsidiary = 'addSubsidiary';
    });
    const { us, eu } = twoOrders('84000');
    await postPaidOrder(plain.acts(add), us);
    const refused = await parkOf(run(plain.acts(add).syncCustomer, { order: eu }));
    expect(refused.reason).toBe('NETSUITE_USER_ERROR');
    expect(refused.message).toContain('Multi-Subsidiary Customer');

    const park = withConfig((c) => {
      c.customers.otherSubsidiary = 'park';
    });
    const parked = await parkOf(run(plain.acts(park).syncCustomer, { order: eu }));
    expect(parked.reason).toBe('CUSTOMER_SUBSIDIARY');
    expect(parked.message).toMatch(/subsidiary 1.*subsidiary 2.*customers\.otherSubsidiary/);
  });
});

describe('a date in a closed accounting period', () => {
  const late = (refNo: string) =>
    order({
      refNo,
      key: `${refNo}|COMPLETE|1|20250610120000`,
      ipnDate: '20250610120000',
      saleDate: '2025-06-10 11:58:00',
      paymentDate: '2025-06-10 11:59:00',
      customer: { ...order().customer, twoCheckoutRef: `late-${refNo}` },
    });

  it('park (default): stops at the sales order, naming the period, and posts nothing', async () => {
    plain.sandbox.setPeriod('2025-06', { closed: true });
    const o = late('8500001');
    const c = await run(plain.acts().syncCustomer, { order: o });
    const parked = await parkOf(run(plain.acts().upsertSalesOrder, { order: o, customerId: c.customerId }));
    expect(parked.reason).toBe('PERIOD_CLOSED');
    expect(parked.message).toContain('Jun 2025');
    expect(parked.message).toContain('periods.whenClosed');
    expect(plain.sandbox.records('salesOrder').filter((s) => s.externalId === '2co-so-8500001')).toEqual([]);
  });

  it('nextOpenPeriod: posts in the first open period, dated its first day, keeping 2Checkout’s date on the record', async () => {
    plain.sandbox.setPeriod('2025-06', { closed: true });
    plain.sandbox.setPeriod('2025-07', { arLocked: true });
    const config = withConfig((c) => {
      c.periods = { whenClosed: 'nextOpenPeriod' };
    });
    const { so, inv, pay } = await postPaidOrder(plain.acts(config), late('8500002'));
    for (const [type, id] of [
      ['salesOrder', so.salesOrderId],
      ['invoice', inv.invoiceId],
      ['customerPayment', pay.paymentId],
    ] as const) {
      const rec = plain.sandbox.record(type, id)!;
      expect(rec).toMatchObject({ tranDate: '2025-08-01', postingPeriod: { refName: 'Aug 2025' } });
      expect(rec.memo).toContain('2025-06-10');
    }
    expect(plain.sandbox.record('invoice', inv.invoiceId)).toMatchObject({ amountRemaining: 0 });
  });
});

describe('the account a chargeback is paid from', () => {
  it('pays a lost chargeback of a EUR order in the EUR subsidiary out of an account that subsidiary may use', async () => {
    const o = order({
      refNo: '8600001',
      key: '8600001|COMPLETE|1|20260110120000',
      currency: 'EUR',
      fx: { rate: '1.08', payoutCurrency: 'USD' },
      customer: { ...order().customer, twoCheckoutRef: 'cb-8600001', billing: german(order().customer.billing) },
    });
    const acts = plain.acts();
    const { c, so, inv, pay } = await postPaidOrder(acts, o);
    const chargeback: OrderEvent = {
      ...o,
      key: '8600001|COMPLETE|CB|20260120120000',
      eventRef: 'CB1',
      ipnDate: '20260120120000',
      chargeback: { resolution: 'LOST' },
    };
    const res = await run(acts.postRefund, {
      event: chargeback,
      records: {
        customerId: c.customerId,
        salesOrderId: so.salesOrderId,
        invoiceId: inv.invoiceId,
        paymentId: pay.paymentId,
      },
      cause: 'chargeback',
    });
    expect(plain.sandbox.record('customerRefund', res.customerRefundId!)).toMatchObject({
      account: { id: '211' },
      currency: { id: '2' },
      subsidiary: { id: '2' },
    });
  });
});
