// Order workflows close after an idle period. A notification that 2Checkout re-sends later (e.g.
// COMPLETE again when an invoice is generated) starts a new run: it must find what the first run
// posted, by externalId, and post nothing twice.
import { describe, expect, it } from 'vitest';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder, chargeback, licenseRefFor, subscriptionOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId, subscriptionWorkflowId } from '../../workflows/messages.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';
import type { OrderSyncState } from '../../workflows/messages.js';
import type { OrderSyncPolicy } from '../../workflows/order-state.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { ipnToOrderEvent } from '../../mappings/from-2checkout.js';

const stack = useTestStack({ policy: { idleClose: '2s' } });

describe('an order notification re-sent after its workflow closed', () => {
  it('starts a new run that posts nothing twice', async () => {
    const ref = '74000001';
    const ipn = cardOrder(ref, 'COMPLETE');
    expect(
      (await postNotification(stack.ipnUrl, signedIpn(ipn, SECRET_KEY), { secretKey: SECRET_KEY })).receiptValid,
    ).toBe(true);
    const first: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(first.syncStatus).toBe('Synced');

    expect(
      (await postNotification(stack.ipnUrl, signedIpn(ipn, SECRET_KEY), { secretKey: SECRET_KEY })).receiptValid,
    ).toBe(true);
    const second: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(second.syncStatus).toBe('Synced');
    expect(second.records).toMatchObject({
      salesOrderId: first.records.salesOrderId,
      invoiceId: first.records.invoiceId,
      paymentId: first.records.paymentId,
    });

    const ours = (type: string) =>
      stack.sandbox.records(type).filter((r) => String(r.externalId ?? '').endsWith(`-${ref}`));
    expect([ours('salesOrder').length, ours('invoice').length, ours('customerPayment').length]).toEqual([1, 1, 1]);
    expect(stack.sandbox.duplicates()).toEqual({
      customersByEmail: [],
      transactionsByRefNo: [],
      moneyRecordsByKey: [],
    });
  });
});

/** The gateway's hand-over with a given policy: what a gateway restarted with another POSTING_MODE does. */
async function deliverWith(ipn: ReturnType<typeof cardOrder>, policy: Partial<OrderSyncPolicy>): Promise<void> {
  const handover = createSyncHandover({
    client: stack.env.client,
    policy: { idleClose: '2s', ...policy },
    taskQueue: stack.queues.workflows,
    activityQueues: { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney },
  });
  await handover.deliverOrderEvent(ipnToOrderEvent(parseForm(signedIpn(ipn, SECRET_KEY))));
}

const ours = (type: string, ref: string) =>
  stack.sandbox.records(type).filter((r) => String(r.externalId ?? '').endsWith(`-${ref}`));

describe('a new run of an order whose earlier run closed', () => {
  it('keeps the posting mode the order was booked in: no cash sale on top of sales order → invoice → payment', async () => {
    const ref = '74000002';
    const ipn = cardOrder(ref, 'COMPLETE');
    await deliverWith(ipn, { postingMode: 'salesOrder' });
    const first: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(first.completedSteps).toContain('payment');

    // POSTING_MODE changed to cashSale; 2Checkout re-sends the order's COMPLETE.
    await deliverWith(ipn, { postingMode: 'cashSale' });
    const second: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(second.postingMode).toBe('salesOrder');
    expect(second.records).toMatchObject({
      salesOrderId: first.records.salesOrderId,
      invoiceId: first.records.invoiceId,
      paymentId: first.records.paymentId,
    });
    expect(ours('cashSale', ref)).toHaveLength(0);
    expect([ours('salesOrder', ref).length, ours('invoice', ref).length, ours('customerPayment', ref).length]).toEqual([
      1, 1, 1,
    ]);
  });

  it('in cash-sale mode finds the cash sale and writes nothing (no rewrite of its lines, rate or date)', async () => {
    const ref = '74000003';
    const ipn = cardOrder(ref, 'COMPLETE');
    await deliverWith(ipn, { postingMode: 'cashSale' });
    const first: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(first.records.cashSaleId).toBeDefined();

    stack.sandbox.resetStats();
    await deliverWith(ipn, { postingMode: 'cashSale' });
    const second: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(second.records).toMatchObject({
      cashSaleId: first.records.cashSaleId,
      customerId: first.records.customerId,
    });
    // One look-up by externalId, no write.
    expect(stack.sandbox.stats().callsByKind).toEqual({ suiteql: 1 });
    expect(ours('cashSale', ref)).toHaveLength(1);
  });
});

describe('a chargeback months after a subscription order closed', () => {
  it('starts an order run that finds the paid sale and does not notify the subscription again', async () => {
    const ref = '74000004';
    const sale = subscriptionOrder(ref);
    await deliverWith(sale, { postingMode: 'salesOrder' });
    const first: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(first.completedSteps).toContain('notifySubscriptions');
    const subscription = stack.env.client.workflow.getHandle(subscriptionWorkflowId(licenseRefFor(ref)));
    const orderNotices = async () =>
      ((await subscription.fetchHistory()).events ?? []).filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'subscriptionOrder',
      ).length;
    expect(await orderNotices()).toBe(1);

    await deliverWith(chargeback(sale, 'OPEN'), { postingMode: 'salesOrder' });
    const second: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(second.records).toMatchObject({ paymentId: first.records.paymentId });
    expect(second.journal.filter((j) => j.what === 'subscriptions notified')).toEqual([]);
    expect(await orderNotices()).toBe(1);
    await subscription.terminate('test done');
  });
});
