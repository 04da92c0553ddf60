// Adoption through the activities, against the NetSuite sandbox over HTTP: what the first look-ups
// cost and find, and what they never write. The workflow's side is in test/e2e/adoption.test.ts
// and test/e2e/cutover.test.ts.
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createNetSuiteActivities } from '../../activities/index.js';
import { staticMappingProvider } from '../../mappings/config-loader.js';
import type { MappingConfig } from '../../mappings/config-schema.js';
import type { OrderEvent } from '../../mappings/canonical.js';
import { externalIds } from '../../mappings/ids.js';
import type { NetSuiteClient } from '../../netsuite/types.js';
import type { FoundOrderRecords, OrderActivities, SyncCustomerResult } from '../../workflows/activity-contract.js';
import { useSandbox, useSandboxClient } from '../support/sandbox.js';
import { configWith, demoConfig, order } from '../mappings/fixtures.js';

const sandbox = useSandbox();
const client = useSandboxClient(sandbox);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The sandbox client, with the text of every SuiteQL query it sends. */
function spying(): { ns: NetSuiteClient; queries: string[] } {
  const queries: string[] = [];
  const ns: NetSuiteClient = {
    create: (...a) => client.create(...a),
    get: (...a) => client.get(...a),
    update: (...a) => client.update(...a),
    upsert: (...a) => client.upsert(...a),
    transform: (...a) => client.transform(...a),
    delete: (...a) => client.delete(...a),
    suiteql: (q, ...rest) => (queries.push(q.text), client.suiteql(q, ...rest)),
    suiteqlAll: (q, ...rest) => (queries.push(q.text), client.suiteqlAll(q, ...rest)),
  };
  return { ns, queries };
}

const acts = (config: MappingConfig, ns: NetSuiteClient = client): OrderActivities =>
  createNetSuiteActivities({ netsuite: ns, mappings: staticMappingProvider(config), logger: quiet });
const env = () => new MockActivityEnvironment({ attempt: 1 });
const syncCustomer = (
  a: OrderActivities,
  o: OrderEvent,
  adoption: { permitBeforeCutover?: boolean } = {},
): Promise<SyncCustomerResult> => env().run(a.syncCustomer, { order: o, adoption });
const find = (a: OrderActivities, o: OrderEvent, link = true): Promise<FoundOrderRecords> =>
  env().run(a.findOrderRecords, { refNo: o.refNo, adoption: { order: o, link } });

let n = 0;
/** A fresh shopper's paid order of 100.00 USD sold on `saleDate`. */
function sale(saleDate = '2026-01-10 11:58:00'): OrderEvent {
  n++;
  const refNo = `93${String(n).padStart(6, '0')}`;
  const base = order();
  return order({
    refNo,
    key: `${refNo}|COMPLETE|1`,
    saleDate,
    customer: { twoCheckoutRef: `55${n}`, billing: { ...base.customer.billing, email: `adopt-${n}@example.com` } },
  });
}

/** What a previous tool booked for `o`: customer, sales order (REFNO in otherRefNum), invoice, payment. */
async function booked(o: OrderEvent, opts: { total?: number; paymentMemo?: string; payment?: boolean } = {}) {
  const { id: customerId } = await client.create('customer', {
    isPerson: true,
    firstName: 'Prev',
    lastName: 'Tool',
    email: o.customer.billing.email,
    subsidiary: { id: '1' },
    currency: { id: '1' },
  });
  const total = opts.total ?? 100;
  const { id: salesOrderId } = await client.create('salesOrder', {
    entity: { id: customerId },
    tranDate: '2026-01-10',
    otherRefNum: o.refNo,
    item: { items: [{ item: { id: '100' }, quantity: 1, rate: total, amount: total }] },
  });
  const { id: invoiceId } = await client.transform('salesOrder', salesOrderId, 'invoice', { tranDate: '2026-01-10' });
  const paymentId =
    opts.payment === false
      ? undefined
      : (
          await client.transform('invoice', invoiceId, 'customerPayment', {
            account: { id: '201' },
            memo: opts.paymentMemo ?? 'cc',
          })
        ).id;
  return { customerId, salesOrderId, invoiceId, paymentId };
}

describe('the first look-ups of an order', () => {
  it('of an order sold after cutover.at + margin are the plain ones: a new order costs one customer query, as before adoption', async () => {
    const o = sale('2026-01-10 11:58:00');
    const { ns, queries } = spying();
    const a = acts(configWith({ cutover: { at: '2025-12-01T00:00:00.000Z', margin: '2d' } }), ns);
    const res = await syncCustomer(a, o);
    expect(res).toMatchObject({ action: 'created', beforeCutover: false });
    expect(queries).toHaveLength(1);
    expect(queries[0]).not.toMatch(/previousbooking|otherrefnum/i);
    queries.length = 0;
    const found = await find(a, o);
    expect(queries).toHaveLength(1);
    expect(queries[0]).not.toMatch(/otherrefnum|customrecord_2co_adoption/i);
    expect(found.adoption).toMatchObject({ adopted: [], differences: [], beforeCutover: false });
  });

  it('of an order another tool booked find its customer in the customer query itself, and write nothing', async () => {
    const o = sale();
    const prev = await booked(o);
    const { ns, queries } = spying();
    const before = sandbox.createdSince().at(-1)?.seq ?? 0;
    const res = await syncCustomer(acts(demoConfig(), ns), o);
    expect(res).toEqual({
      customerId: prev.customerId,
      action: 'adopted',
      previousBooking: true,
      beforeCutover: false,
    });
    expect(queries).toHaveLength(1);
    expect(sandbox.createdSince(before)).toEqual([]);
  });

  it('find the booking in a query of its own where the account refuses the folded one (adoption.foldIntoCustomerQuery: false)', async () => {
    const o = sale();
    const prev = await booked(o);
    const { ns, queries } = spying();
    const config = configWith({ adoption: { ...demoConfig().adoption, foldIntoCustomerQuery: false } });
    expect(await syncCustomer(acts(config, ns), o)).toMatchObject({
      customerId: prev.customerId,
      action: 'adopted',
      previousBooking: true,
    });
    expect(queries).toHaveLength(2);
    expect(queries.join('\n')).not.toMatch(/CASE WHEN/);
  });

  it('before the cut-over, of an order nothing booked, write nothing (held) unless an operator asked for it', async () => {
    const o = sale('2026-01-10 11:58:00');
    const config = configWith({ cutover: { at: '2026-02-01T00:00:00.000Z', margin: '2d' } });
    const before = sandbox.createdSince().at(-1)?.seq ?? 0;
    expect(await syncCustomer(acts(config), o)).toMatchObject({
      customerId: '',
      action: 'held',
      beforeCutover: true,
      cutoverAt: '2026-02-01T00:00:00.000Z',
    });
    expect(sandbox.createdSince(before)).toEqual([]);
    expect(await syncCustomer(acts(config), o, { permitBeforeCutover: true })).toMatchObject({
      action: 'created',
      beforeCutover: true,
    });
  });

  it("link a customer the previous tool keyed by the shopper's reference, without rewriting it", async () => {
    const o = sale();
    const id = sandbox.insert('customer', {
      isPerson: true,
      firstName: 'Old',
      lastName: 'Name',
      email: 'elsewhere@example.com',
      externalId: `tray-${o.customer.twoCheckoutRef}`,
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    const config = configWith({
      adoption: {
        ...demoConfig().adoption,
        customers: { match: [{ field: 'externalId', pattern: 'tray-{twoCheckoutCustomerRef}' }] },
      },
    });
    expect(await syncCustomer(acts(config), o)).toMatchObject({ customerId: id, action: 'linked' });
    expect(sandbox.record('customer', id)).toMatchObject({
      firstName: 'Old',
      email: 'elsewhere@example.com',
      externalId: `tray-${o.customer.twoCheckoutRef}`,
    });
  });
});

describe('the adoption look-up', () => {
  it('adopts a payment applied to the adopted invoice though it does not carry the REFNO, and links all three', async () => {
    const o = sale();
    const prev = await booked(o, { paymentMemo: 'card payment' });
    const found = await find(acts(demoConfig()), o);
    expect(found).toMatchObject({
      customerId: prev.customerId,
      salesOrderId: prev.salesOrderId,
      invoiceId: prev.invoiceId,
      paymentId: prev.paymentId,
    });
    expect(found.adoption?.adopted.map((d) => d.role)).toEqual(['salesOrder', 'invoice', 'customerPayment']);
    expect(found.adoption?.links?.map((l) => l.how)).toEqual(['externalId', 'externalId', 'externalId']);
    expect(sandbox.record('invoice', prev.invoiceId)?.externalId).toBe(externalIds.invoice(o.refNo));
    // Linked: a later look-up finds them as the sync's own, and adopts nothing more.
    const again = await find(acts(demoConfig()), o);
    expect(again).toMatchObject({
      salesOrderId: prev.salesOrderId,
      invoiceId: prev.invoiceId,
      paymentId: prev.paymentId,
    });
    expect(again.adoption?.adopted).toEqual([]);
  });

  it('counts an invoice paid in full without a payment it can find as paid, and never posts a payment for it', async () => {
    const o = sale();
    const prev = await booked(o, { payment: false });
    // Paid some other way (a journal, a deposit): here, a credit memo settles it.
    await client.transform('invoice', prev.invoiceId, 'creditMemo', { tranDate: '2026-01-11' });
    const found = await find(acts(demoConfig()), o, false);
    expect(found.paymentId).toBeUndefined();
    expect(found.adoption?.paidElsewhere).toBe(true);
  });

  it('reads only, in shadow (link: false): the adopted records keep what they had', async () => {
    const o = sale();
    const prev = await booked(o);
    const before = sandbox.createdSince().at(-1)?.seq ?? 0;
    const found = await find(acts(demoConfig()), o, false);
    expect(found.adoption?.adopted).toHaveLength(3);
    expect(found.adoption?.links).toBeUndefined();
    expect(sandbox.record('salesOrder', prev.salesOrderId)?.externalId).toBeUndefined();
    expect(sandbox.createdSince(before)).toEqual([]);
  });

  it('names both figures of a record that differs, and changes nothing of it', async () => {
    const o = sale();
    const prev = await booked(o, { total: 100.5 });
    const found = await find(acts(configWith({ adoption: { ...demoConfig().adoption, link: 'mapping' } })), o);
    expect(found.adoption?.differences).toEqual([
      expect.stringMatching(/^sales order SO\d+: NetSuite 100\.50 USD, 2Checkout 100\.00 USD$/),
      expect.stringMatching(/^invoice INV\d+: NetSuite 100\.50 USD, 2Checkout 100\.00 USD$/),
      expect.stringMatching(/^payment \S+: NetSuite 100\.50 USD, 2Checkout 100\.00 USD$/),
    ]);
    expect(found.adoption?.links?.map((l) => l.how)).toEqual(['mapping', 'mapping', 'mapping']);
    expect(sandbox.record('salesOrder', prev.salesOrderId)).toMatchObject({ total: 100.5 });
    expect(sandbox.record('salesOrder', prev.salesOrderId)?.externalId).toBeUndefined();
  });
});
