// End to end: a signed 2Checkout IPN → gateway (HTTP) → Temporal (real dev server) → worker →
// NetSuite client → NetSuite sandbox (HTTP). Assertions are on the sandbox's ledger: what a
// finance team would see in NetSuite.
import { describe, expect, it } from 'vitest';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { pino } from 'pino';
import { request } from 'undici';
import {
  postNotification,
  signedIpn,
  withField,
  encodeForm,
  signNotification,
  buildIpnFields,
} from '../../sandbox/twocheckout/sender.js';
import { cardOrder, newCardOrder, unmappedProductOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { ParkReason, SyncStatus } from '../../shared/search-attributes.js';
import { operatorDecisionSignal } from '../../workflows/messages.js';
import { createGatewayApp } from '../../gateway/app.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';

const stack = useTestStack();

const refNo = (n: number) => String(73_000_000 + n);
const post = (order: Parameters<typeof signedIpn>[0]) =>
  postNotification(stack.ipnUrl, signedIpn(order, SECRET_KEY), { secretKey: SECRET_KEY });

/** Transactions of one order: our externalIds all end with the REFNO (mappings/ids.ts). */
function ledgerFor(ref: string) {
  const byRef = (type: string) =>
    stack.sandbox.records(type).filter((r) => String(r.externalId ?? '').endsWith(`-${ref}`));
  return { salesOrders: byRef('salesOrder'), invoices: byRef('invoice'), payments: byRef('customerPayment') };
}

const num = (v: unknown) => Number(v);

describe('order to cash, end to end', () => {
  it('a paid order becomes one customer, sales order, invoice and applied payment, with the amount the shopper paid', async () => {
    const ref = refNo(1);
    const ipns = newCardOrder(ref);
    for (const ipn of ipns) {
      const res = await post(ipn);
      expect(res.status).toBe(200);
      expect(res.receiptValid).toBe(true);
    }
    await stack.waitForOrder(ref, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));

    const { salesOrders, invoices, payments } = ledgerFor(ref);
    expect(salesOrders).toHaveLength(1);
    expect(invoices).toHaveLength(1);
    expect(payments).toHaveLength(1);
    const totalPaid = num(buildIpnFields(ipns[2]!).find(([k]) => k === 'IPN_TOTALGENERAL')?.[1]);
    expect(num(salesOrders[0]!.total)).toBe(totalPaid);
    expect(num(invoices[0]!.total)).toBe(totalPaid);
    expect(num(invoices[0]!.amountRemaining)).toBe(0);
    expect(num(payments[0]!.payment)).toBe(totalPaid);
    for (const r of [...salesOrders, ...invoices, ...payments]) expect(String(r.externalId)).toContain(ref);

    const customerId = (salesOrders[0]!.entity as { id: string }).id;
    const email = ipns[0]!.customer.email!.toLowerCase();
    const customers = stack.sandbox.records('customer').filter((c) => String(c.email).toLowerCase() === email);
    expect(customers.map((c) => c.id)).toEqual([customerId]);
    expect(stack.sandbox.duplicates()).toEqual({
      customersByEmail: [],
      transactionsByRefNo: [],
      moneyRecordsByKey: [],
    });
  });

  it('the same IPN posted again changes nothing', async () => {
    const ref = refNo(2);
    const ipn = cardOrder(ref, 'COMPLETE');
    expect((await post(ipn)).receiptValid).toBe(true);
    await stack.waitForOrder(ref, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
    const before = stack.sandbox.stats().totalCalls;
    expect((await post(ipn)).receiptValid).toBe(true);
    await stack.waitForOrder(ref, (s) => s.duplicatesIgnored === 1);
    const { salesOrders, invoices, payments } = ledgerFor(ref);
    expect([salesOrders.length, invoices.length, payments.length]).toEqual([1, 1, 1]);
    expect(stack.sandbox.stats().totalCalls).toBe(before);
  });

  it('books onto an existing NetSuite customer with the same e-mail instead of creating a twin, leaving that customer as it was', async () => {
    const ref = refNo(3);
    const ipn = cardOrder(ref, 'COMPLETE');
    const email = ipn.customer.email!;
    const existingId = stack.sandbox.insert('customer', {
      isPerson: true,
      firstName: 'Zoe',
      lastName: 'Angstrom',
      email: email.toUpperCase(),
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    expect((await post(ipn)).receiptValid).toBe(true);
    await stack.waitForOrder(ref, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
    const same = stack.sandbox.records('customer').filter((c) => String(c.email).toLowerCase() === email.toLowerCase());
    expect(same.map((c) => c.id)).toEqual([existingId]);
    // Found by e-mail only (2Checkout does not prove the shopper owns it): never re-keyed or rewritten.
    expect(same[0]).toMatchObject({ firstName: 'Zoe', lastName: 'Angstrom', email: email.toUpperCase() });
    expect(same[0]!.externalId).toBeUndefined();
    expect((ledgerFor(ref).salesOrders[0]!.entity as { id: string }).id).toBe(existingId);
  });

  it('a tampered signature gets 401 with the reason, and no workflow is started', async () => {
    const ref = refNo(4);
    const fields = signNotification(buildIpnFields(cardOrder(ref, 'COMPLETE')), SECRET_KEY, ['sha256']);
    const tampered = encodeForm(withField(fields, 'IPN_TOTALGENERAL', '0.01'));
    const res = await postNotification(stack.ipnUrl, tampered, { secretKey: SECRET_KEY });
    expect(res.status).toBe(401);
    expect(res.receiptValid).toBe(false);
    expect(JSON.parse(res.body)).toMatchObject({
      error: 'bad signature',
      reason: expect.stringMatching(/SIGNATURE_SHA2_256 does not match/),
    });
    await expect(stack.env.client.workflow.getHandle(orderWorkflowId(ref)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('a malformed body gets 400 naming the field, and no workflow is started', async () => {
    const ref = refNo(5);
    const fields = withField(buildIpnFields(cardOrder(ref, 'COMPLETE')), 'CURRENCY', 'dollars');
    const res = await postNotification(stack.ipnUrl, encodeForm(signNotification(fields, SECRET_KEY, ['sha256'])), {
      secretKey: SECRET_KEY,
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'malformed notification', field: 'CURRENCY' });
    await expect(stack.env.client.workflow.getHandle(orderWorkflowId(ref)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('an unmapped product parks the order visibly; after the mapping is fixed, retry syncs it', async () => {
    const ref = refNo(6);
    expect((await post(unmappedProductOrder(ref))).receiptValid).toBe(true);
    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
    expect(parked.park).toMatchObject({ reason: 'UNMAPPED_PRODUCT', step: 'salesOrder' });
    expect(parked.park?.message).toContain('NEW-GADGET-X');
    const handle = stack.env.client.workflow.getHandle(orderWorkflowId(ref));
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('NeedsAttention');
    expect(desc.typedSearchAttributes.get(ParkReason)).toBe('UNMAPPED_PRODUCT');
    expect(ledgerFor(ref).salesOrders).toHaveLength(0);

    // The operator adds the missing rule (as they would in config/mappings.yaml) and retries.
    const config = structuredClone(stack.mappings.config);
    config.products.rules.push({ code: 'NEW-GADGET-X', item: '112' } as (typeof config.products.rules)[number]);
    stack.mappings.config = config;
    await handle.signal(operatorDecisionSignal, { action: 'retry', by: 'ops' });
    await stack.waitForOrder(ref, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
    expect(ledgerFor(ref).salesOrders).toHaveLength(1);
    expect((await handle.describe()).typedSearchAttributes.get(SyncStatus)).toBe('Synced');
  });

  it('answers 503 without a receipt while Temporal is unreachable, so 2Checkout retries', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const handover = createSyncHandover({ client: new Client({ connection }), policy: {}, deadlineMs: 1_500 });
    const app = createGatewayApp({
      config: { secretKey: SECRET_KEY, signatureAlgorithms: ['sha3-256', 'sha256'], syncTestOrders: false },
      handover,
      logger: pino({ level: 'silent' }),
      metrics: createGatewayMetrics(),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const res = await postNotification(
        `http://127.0.0.1:${port}/webhooks/2checkout/ipn`,
        signedIpn(cardOrder(refNo(7), 'COMPLETE'), SECRET_KEY),
        { secretKey: SECRET_KEY },
      );
      expect(res.status).toBe(503);
      expect(res.receiptValid).toBe(false);
      expect(res.body).not.toMatch(/<sig|EPAYMENT/);
      const ready = await request(`http://127.0.0.1:${port}/readyz`);
      expect(ready.statusCode).toBe(503);
      await ready.body.dump();
    } finally {
      server.close();
      await connection.close().catch(() => undefined);
    }
  });
});
