// Refunds end to end: signed REFUND IPNs → gateway → Temporal → worker → NetSuite sandbox.
// Assertions are on the sandbox ledger: the credit memo made from the invoice (its lines, total
// and link), the customer refund applied to it, and that nothing is posted twice.
import { describe, expect, it } from 'vitest';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder, fullRefund, partialRefund, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { ParkReason, SyncStatus } from '../../shared/search-attributes.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';
import { applyLines, cents, expectCreditAndRefund, itemLines, ledgerFor, sendIpn } from './ledger.js';

const stack = useTestStack();
const send = sendIpn(stack);

const refNo = (n: number) => String(74_100_000 + n);
const paid = (s: { completedSteps: string[] }) => s.completedSteps.includes('payment');
const done = (step: string) => (s: { completedSteps: string[]; syncStatus: string }) =>
  s.completedSteps.includes(step) && s.syncStatus === 'Synced';
// Demo mapping: SOFT-PRO 101, SUPPORT-1Y 102, SOFT-BASIC 100, discount 110, tax 113; card refunds in USD go to account 201.
const CLEARING_USD = '201';

describe('refunds', () => {
  it('a full refund becomes one credit memo from the invoice for every line, and one customer refund applied to it', async () => {
    const ref = refNo(1);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, paid);
    await send(fullRefund(sale, { messageId: 'RF1' }));
    await stack.waitForOrder(ref, done('refund:RF1'));

    const l = ledgerFor(stack, ref);
    expect([l.invoices.length, l.payments.length, l.creditMemos.length, l.customerRefunds.length]).toEqual([
      1, 1, 1, 1,
    ]);
    const { creditMemo } = expectCreditAndRefund(l, { refNo: ref, eventRef: 'RF1', amount: 99, account: CLEARING_USD });
    expect(itemLines(creditMemo)).toMatchObject(
      itemLines(l.invoices[0]).map(({ item, amount, quantity, rate }) => ({ item, amount, quantity, rate })),
    );
    expect(creditMemo.custbody_2co_refno).toBe(ref);
    expect(Number(l.invoices[0]!.amountRemaining)).toBe(0);
  });

  it('two partial refunds of a three-line order with VAT and a discount: each its own credit memo and refund, lines to the cent', async () => {
    const ref = refNo(2);
    const sale = threeLineOrder(ref);
    await send(sale);
    await stack.waitForOrder(ref, paid);
    const invoiceTotal = Number(ledgerFor(stack, ref).invoices[0]!.total);

    // Line 2 (support, 120.00 + 20 % VAT), then line 1 (2 × 49.50 − 9.90 discount, + 20 % VAT).
    await send(partialRefund(sale, { lines: [1], messageId: 'P1' }));
    await stack.waitForOrder(ref, done('refund:P1'));
    await send(partialRefund(sale, { lines: [0], messageId: 'P2' }));
    await stack.waitForOrder(ref, done('refund:P2'));

    const l = ledgerFor(stack, ref);
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([2, 2]);
    const first = expectCreditAndRefund(l, { refNo: ref, eventRef: 'P1', amount: 144, account: CLEARING_USD });
    expect(itemLines(first.creditMemo).map(({ item, amount }) => [item, amount])).toEqual([
      ['102', 120],
      ['113', 24],
    ]);
    const second = expectCreditAndRefund(l, { refNo: ref, eventRef: 'P2', amount: 106.92, account: CLEARING_USD });
    expect(itemLines(second.creditMemo).map(({ item, amount }) => [item, amount])).toEqual([
      ['101', 99],
      ['110', -9.9],
      ['113', 17.82],
    ]);
    expect(itemLines(second.creditMemo)[0]).toMatchObject({ quantity: 2, rate: 49.5 });
    // Both credits together stay within the invoice; what is left is the third line with its VAT.
    expect(cents([invoiceTotal]) - cents([144, 106.92])).toBe(cents([19.99, 4]));
  });

  it('a redelivered refund IPN changes nothing', async () => {
    const ref = refNo(3);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, paid);
    const refund = fullRefund(sale, { messageId: 'RF3' });
    await send(refund);
    await stack.waitForOrder(ref, done('refund:RF3'));
    const calls = stack.sandbox.stats().totalCalls;

    await send(refund);
    await stack.waitForOrder(ref, (s) => s.duplicatesIgnored === 1);
    const l = ledgerFor(stack, ref);
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([1, 1]);
    expect(stack.sandbox.stats().totalCalls).toBe(calls);
  });

  it('a response lost after NetSuite committed the credit memo and the refund: the retry finds both, nothing is posted twice', async () => {
    const ref = refNo(7);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, paid);
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/creditMemo', kind: 'commitThen500' });
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/customerRefund', kind: 'commitThen500' });
    await send(fullRefund(sale, { messageId: 'RF7' }));
    await stack.waitForOrder(ref, done('refund:RF7'));
    stack.sandbox.clearFaults();

    const l = ledgerFor(stack, ref);
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([1, 1]);
    expectCreditAndRefund(l, { refNo: ref, eventRef: 'RF7', amount: 99, account: CLEARING_USD });
    expect(stack.sandbox.duplicates().transactionsByRefNo).toEqual([]);
  });

  it('a refund that arrives before the sale waits for the invoice, then everything is posted once', async () => {
    const ref = refNo(4);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(fullRefund(sale, { messageId: 'RF4' }));
    const waiting = await stack.waitForOrder(ref, (s) => s.waiting.length > 0);
    expect(waiting.waiting[0]).toContain('refund:RF4');
    expect(ledgerFor(stack, ref).creditMemos).toHaveLength(0);

    await send(sale);
    await stack.waitForOrder(ref, done('refund:RF4'));
    const l = ledgerFor(stack, ref);
    expect([
      l.salesOrders.length,
      l.invoices.length,
      l.payments.length,
      l.creditMemos.length,
      l.customerRefunds.length,
    ]).toEqual([1, 1, 1, 1, 1]);
    expectCreditAndRefund(l, { refNo: ref, eventRef: 'RF4', amount: 99, account: CLEARING_USD });
    expect(applyLines(l.payments[0])).toEqual([{ doc: String(l.invoices[0]!.id), amount: 99 }]);
  });

  it('a refund of more than remains refundable parks with OVER_REFUND and posts nothing', async () => {
    const ref = refNo(5);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, paid);
    await send(partialRefund(sale, { amount: '60.00', messageId: 'OK5' }));
    await stack.waitForOrder(ref, done('refund:OK5'));
    await send(partialRefund(sale, { amount: '50.00', messageId: 'OVER5' }));

    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
    expect(parked.park).toMatchObject({ reason: 'OVER_REFUND', step: 'refund:OVER5' });
    expect(parked.park?.message).toContain('is 50.00 USD, but only 39.00 remains refundable');
    expect(parked.park?.message).toMatch(/credits already posted from it: CM\S* 60\.00/);
    const desc = await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).describe();
    expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('NeedsAttention');
    expect(desc.typedSearchAttributes.get(ParkReason)).toBe('OVER_REFUND');
    const l = ledgerFor(stack, ref);
    expect(l.creditMemos.map((c) => c.externalId)).toEqual([`2co-cm-${ref}-OK5`]);
    expect(l.customerRefunds).toHaveLength(1);
  });

  it('the same refund posted twice to 2Checkout (two events) parks the second instead of crediting twice', async () => {
    const ref = refNo(6);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, paid);
    await send(fullRefund(sale, { messageId: 'A6' }));
    await stack.waitForOrder(ref, done('refund:A6'));
    const res = await postNotification(stack.ipnUrl, signedIpn(fullRefund(sale, { messageId: 'B6' }), SECRET_KEY), {
      secretKey: SECRET_KEY,
    });
    expect(res.receiptValid).toBe(true);
    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
    expect(parked.park).toMatchObject({ reason: 'OVER_REFUND', step: 'refund:B6' });
    expect(ledgerFor(stack, ref).creditMemos).toHaveLength(1);
  });
});
