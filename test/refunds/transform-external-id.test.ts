// Whether NetSuite keeps an `externalId` sent in a `!transform` body is not confirmed. The sync must
// find what it wrote either way: the sandbox is run both ways, and a response is lost after NetSuite
// committed (commit-then-5xx) so that the retry has to find the record instead of writing it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOrder, chargeback, fullRefund } from '../../sandbox/twocheckout/scenarios.js';
import { findTransformed } from '../../activities/idempotent-writes.js';
import { useTestStack } from '../support/stack.js';
import { applyLines, ledgerFor, sendIpn } from './ledger.js';

const stack = useTestStack();
const send = sendIpn(stack);

const paid = (s: { completedSteps: string[] }) => s.completedSteps.includes('payment');
const done = (step: string) => (s: { completedSteps: string[]; syncStatus: string }) =>
  s.completedSteps.includes(step) && s.syncStatus === 'Synced';

describe.each([
  { keeps: true, base: 74_920_000 },
  { keeps: false, base: 74_930_000 },
])('NetSuite $keeps keeping the externalId of a transform body', ({ keeps, base }) => {
  beforeAll(() => stack.sandbox.setTransformKeepsExternalId(keeps));
  afterAll(() => {
    stack.sandbox.setTransformKeepsExternalId(true);
    stack.sandbox.clearFaults();
  });

  it('a response lost after the credit memo and the refund were committed: exactly one credit memo and one refund, both with their externalId', async () => {
    const ref = String(base + 1);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, paid, 60_000);
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/creditMemo', kind: 'commitThen500' });
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/customerRefund', kind: 'commitThen500' });
    await send(fullRefund(sale, { messageId: 'LOST1' }));
    await stack.waitForOrder(ref, done('refund:LOST1'), 60_000);
    stack.sandbox.clearFaults();

    const l = ledgerFor(stack, ref);
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([1, 1]);
    expect(l.creditMemos[0]!.externalId).toBe(`2co-cm-${ref}-LOST1`);
    expect(l.customerRefunds[0]!.externalId).toBe(`2co-rf-${ref}-LOST1`);
    expect(applyLines(l.customerRefunds[0])).toEqual([{ doc: String(l.creditMemos[0]!.id), amount: 99 }]);
    expect(stack.sandbox.duplicates().transactionsByRefNo).toEqual([]);
  });

  it('a response lost after the invoice and the payment were committed: exactly one of each, with their externalId', async () => {
    const ref = String(base + 2);
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/invoice', kind: 'commitThen500' });
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/customerPayment', kind: 'commitThen500' });
    await send(cardOrder(ref, 'COMPLETE'));
    await stack.waitForOrder(ref, (s) => paid(s) && s.syncStatus === 'Synced', 60_000);
    stack.sandbox.clearFaults();

    const l = ledgerFor(stack, ref);
    expect([l.salesOrders.length, l.invoices.length, l.payments.length]).toEqual([1, 1, 1]);
    expect(l.invoices[0]!.externalId).toBe(`2co-inv-${ref}`);
    expect(l.payments[0]!.externalId).toBe(`2co-pay-${ref}`);
    expect(stack.sandbox.duplicates().transactionsByRefNo).toEqual([]);
  });

  it("a chargeback rewrites the memos and keeps each document's second key: the invoice is still found", async () => {
    const ref = String(base + 3);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, (s) => paid(s) && s.syncStatus === 'Synced', 60_000);
    await send(chargeback(sale, 'WON', { messageId: 'CBKEY' }));
    await stack.waitForOrder(
      ref,
      (s) => s.completedSteps.includes('dispute:CBKEY') && s.syncStatus === 'Synced',
      60_000,
    );

    const invoice = stack.sandbox
      .records('invoice')
      .find((i) => String(i.memo ?? '').includes(`[2co-inv-${ref}]`) || i.externalId === `2co-inv-${ref}`);
    expect(String(invoice?.memo)).toMatch(
      new RegExp(`^2Checkout order ${ref} · chargeback WON .*\\[2co-inv-${ref}\\]$`),
    );
    // What a later run's look-up does (by externalId, else by the memo's key): it finds the invoice.
    expect((await findTransformed(stack.netsuite, 'invoice', `2co-inv-${ref}`))?.id).toBe(String(invoice?.id));
    expect(stack.sandbox.duplicates().moneyRecordsByKey).toEqual([]);
  });
});
