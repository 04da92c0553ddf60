// Refunds that arrive after the order's workflow completed (short idleClose): the REFUND IPN
// starts a new run that never saw the sale IPN; it finds the order's NetSuite records by
// externalId and allocates the refund against the invoice as posted. A redelivery to yet another
// run finds the credit memo and posts nothing.
import { describe, expect, it } from 'vitest';
import { cardOrder, chargeback, partialRefund, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { useTestStack } from '../support/stack.js';
import { expectCreditAndRefund, itemLines, ledgerFor, sendIpn } from './ledger.js';

const stack = useTestStack({ policy: { idleClose: '2s' } });
const send = sendIpn(stack);

/** Waits for the order's current run to complete (idleClose after its last event); returns its run id. */
async function runCompletes(ref: string): Promise<string> {
  const handle = stack.env.client.workflow.getHandle(orderWorkflowId(ref));
  await handle.result();
  const desc = await handle.describe();
  expect(desc.status.name).toBe('COMPLETED');
  return desc.runId;
}

describe('refund after the order workflow completed', () => {
  it('a new run finds the invoice by externalId and credits the refunded line; a later redelivery posts nothing', async () => {
    const ref = '74300001';
    const sale = threeLineOrder(ref);
    await send(sale);
    await stack.waitForOrder(ref, (s) => s.completedSteps.includes('payment'));
    const firstRun = await runCompletes(ref);

    const refund = partialRefund(sale, { lines: [1], messageId: 'LATE1' });
    await send(refund);
    const s = await stack.waitForOrder(
      ref,
      (x) => x.completedSteps.includes('refund:LATE1') && x.syncStatus === 'Synced',
    );
    const second = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).describe();
    expect(second.runId).not.toBe(firstRun);
    // Found, not posted again: the new run adopted the sale's records.
    expect(s.records).toMatchObject({
      salesOrderId: expect.any(String),
      invoiceId: expect.any(String),
      paymentId: expect.any(String),
    });

    const l = ledgerFor(stack, ref);
    expect([
      l.salesOrders.length,
      l.invoices.length,
      l.payments.length,
      l.creditMemos.length,
      l.customerRefunds.length,
    ]).toEqual([1, 1, 1, 1, 1]);
    const { creditMemo } = expectCreditAndRefund(l, { refNo: ref, eventRef: 'LATE1', amount: 144, account: '201' });
    expect(itemLines(creditMemo).map(({ item, amount }) => [item, amount])).toEqual([
      ['102', 120],
      ['113', 24],
    ]);

    const secondRun = await runCompletes(ref);
    const calls = stack.sandbox.stats().totalCalls;
    await send(refund);
    const third = await stack.waitForOrder(
      ref,
      (x) => x.eventsReceived === 1 && x.completedSteps.includes('refund:LATE1') && x.syncStatus === 'Synced',
    );
    expect((await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).describe()).runId).not.toBe(secondRun);
    expect(third.records.creditMemos?.LATE1?.creditMemoId).toBe(String(creditMemo.id));
    expect(Number(third.records.creditMemos?.LATE1?.amount)).toBe(144);
    const after = ledgerFor(stack, ref);
    expect([after.creditMemos.length, after.customerRefunds.length]).toEqual([1, 1]);
    // One look-up query, no write.
    expect(stack.sandbox.stats().totalCalls - calls).toBe(1);
  });

  it('a chargeback lost weeks later, to a new run: the sale is found, not posted again; credit memo + refund to the chargeback account', async () => {
    const ref = '74300002';
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, (s) => s.completedSteps.includes('payment'));
    await runCompletes(ref);

    await send(chargeback(sale, 'LOST', { messageId: 'CBL2' }));
    const s = await stack.waitForOrder(
      ref,
      (x) => x.completedSteps.includes('refund:CBL2') || x.syncStatus === 'NeedsAttention',
    );
    expect(s.park).toBeUndefined();
    const l = ledgerFor(stack, ref);
    expect([l.salesOrders.length, l.invoices.length, l.payments.length]).toEqual([1, 1, 1]);
    expectCreditAndRefund(l, { refNo: ref, eventRef: 'CBL2', amount: 99, account: '210' });
    expect(String(l.invoices[0]!.custbody_2co_dispute)).toMatch(/^LOST /);
    // The sale steps re-run in the new run resolve to the records the first run made.
    expect((l.salesOrders[0]!.status as { refName?: string }).refName).toBe('Billed');
  });
});
