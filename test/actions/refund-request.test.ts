// Refund requests end to end, against both sandboxes and a real Temporal server: a refund asked
// for by one person and approved by another is issued once in 2Checkout, comes back as 2Checkout's
// REFUND IPN and is booked once in NetSuite (credit memo + customer refund) by the order sync; the
// requester cannot approve; a second or redelivered approval, a lost answer and a retried activity
// still make one refund; an expired request does nothing; an over-refund is refused when asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOrder, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/sender.js';
import { decisionUpdateId, decideRequestUpdate } from '../../workflows/action-request-messages.js';
import { ALICE, BOB, startActionStack, type ActionStack } from '../support/actions.js';

let s: ActionStack;
beforeAll(async () => {
  s = await startActionStack();
}, 120_000);
afterAll(async () => {
  await s?.close();
});

let next = 0;
const refNo = () => String(77_100_000 + (Date.now() % 100_000) * 10 + next++);

/** A paid order, synced to NetSuite (invoice + payment), known to 2Checkout's API. */
async function paidOrder(build: (ref: string) => IpnOrderInput = (ref) => cardOrder(ref, 'COMPLETE', { at: new Date(Date.now() - 60_000) })): Promise<string> {
  const ref = refNo();
  await s.send([{ kind: 'ipn', input: build(ref) }]);
  await s.waitForOrder(ref, (st) => st.syncStatus === 'Synced' && st.records.paymentId !== undefined, 60_000);
  return ref;
}

describe('refund requests', () => {
  it('request → approval by another person → one refund in 2Checkout → one credit memo and one customer refund in NetSuite', async () => {
    const order = await paidOrder();
    const asked = await s.requestRefund({ refNo: order, amount: '40.00', reason: 'customer charged twice, ticket 881' });
    expect(asked).toMatchObject({ status: 'submitted', id: `refund-request/${order}/1` });
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    expect(asked.state).toMatchObject({ phase: 'awaiting-approval', refund: { amount: '40.00', currency: 'USD', refundable: '99.00' } });
    expect(s.refundsIn2Checkout(order)).toBe(0);

    const approved = await s.decide(asked.id, { action: 'approve', by: BOB });
    expect(approved).toMatchObject({ status: 'accepted', result: { action: 'approve' } });

    const done = await s.waitForRequest(asked.id, (r) => r.phase === 'done', 90_000);
    expect(s.refundsIn2Checkout(order)).toBe(1);
    expect(s.creditMemos(order)).toBe(1);
    expect(s.customerRefunds(order)).toBe(1);
    expect(done.outcome.twoCheckout).toMatchObject({ refNo: order, call: `POST /orders/${order}/refund/`, alreadyDone: false });
    expect(done.outcome.netsuite).toMatchObject({ amount: '40.00' });
    expect(done.outcome.netsuite?.customerRefundId).toBeDefined();
    expect(done.requester).toEqual(ALICE);
    expect(done.decision).toMatchObject({ action: 'approve', by: BOB });
    const journal = done.journal.map((j) => j.what).join('\n');
    expect(journal).toMatch(/requested by alice@example.com/);
    expect(journal).toMatch(/approved by bob@example.com/);
    expect(journal).toMatch(/refund issued in 2Checkout/);
    expect(journal).toMatch(/booked in NetSuite/);
    // The order sync booked it as any REFUND notification: its state shows the credit.
    const orderState = await s.orderState(order);
    expect(Object.values(orderState.records.creditMemos ?? {})).toEqual([expect.objectContaining({ creditMemoId: done.outcome.netsuite!.creditMemoId, amount: '40.00' })]);
  }, 150_000);
});
