// Order workflows close after an idle period. A notification that 2Checkout re-sends later (e.g.
// COMPLETE again when an invoice is generated) starts a new run: it must find what the first run
// posted, by externalId, and post nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId } from '../../mappings/ids.js';
import { SECRET_KEY, startTestStack, type TestStack } from '../support/stack.js';
import type { OrderSyncState } from '../../workflows/messages.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ policy: { idleClose: '2s' } });
});
afterAll(async () => {
  await stack?.close();
});

describe('an order notification re-sent after its workflow closed', () => {
  it('starts a new run that posts nothing twice', async () => {
    const ref = '74000001';
    const ipn = cardOrder(ref, 'COMPLETE');
    expect((await postNotification(stack.ipnUrl, signedIpn(ipn, SECRET_KEY), { secretKey: SECRET_KEY })).receiptValid).toBe(true);
    const first: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(first.syncStatus).toBe('Synced');

    expect((await postNotification(stack.ipnUrl, signedIpn(ipn, SECRET_KEY), { secretKey: SECRET_KEY })).receiptValid).toBe(true);
    const second: OrderSyncState = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).result();
    expect(second.syncStatus).toBe('Synced');
    expect(second.records).toMatchObject({ salesOrderId: first.records.salesOrderId, invoiceId: first.records.invoiceId, paymentId: first.records.paymentId });

    const ours = (type: string) => stack.sandbox.records(type).filter((r) => String(r.externalId ?? '').endsWith(`-${ref}`));
    expect([ours('salesOrder').length, ours('invoice').length, ours('customerPayment').length]).toEqual([1, 1, 1]);
    expect(stack.sandbox.duplicates()).toEqual({ customersByEmail: [], transactionsByRefNo: [] });
  });
});
