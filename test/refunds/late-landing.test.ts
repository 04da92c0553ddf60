// A transform whose request hangs at NetSuite and lands after the client gave up, on an account
// that drops the `externalId` of a transform body (sandbox transformKeepsExternalId: false). The
// activity's retry looks for the record before writing again, but the first request is still on
// its way: both would land, two credit memos for one refund. Exactly once here too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOrder, fullRefund } from '../../sandbox/twocheckout/scenarios.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ledgerFor, sendIpn } from './ledger.js';

let stack: TestStack;
let send: ReturnType<typeof sendIpn>;
beforeAll(async () => {
  // The client gives up on a request after 1.5 s; the hung request lands 6 s after it was sent. The
  // horizon stands for NetSuite's 15 minutes: a request cannot land later than 10 s after it was sent here.
  stack = await startTestStack({
    transformKeepsExternalId: false,
    netsuiteTimeoutMs: 1_500,
    lateWriteHorizonMs: 10_000,
  });
  send = sendIpn(stack);
});
afterAll(async () => {
  await stack?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const paid = (s: { completedSteps: string[]; syncStatus: string }) =>
  s.completedSteps.includes('payment') && s.syncStatus === 'Synced';

describe('a transform that hangs, then lands after the retry wrote (transformKeepsExternalId: false)', () => {
  it('one refund: exactly one credit memo and one customer refund, after the held request has landed', async () => {
    const ref = '75300001';
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, paid, 60_000);
    stack.sandbox.resetStats();
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/creditMemo', kind: 'hang', hangMs: 6_000 });
    await send(fullRefund(sale, { messageId: 'LATE1' }));
    await stack.waitForOrder(
      ref,
      (s) => s.completedSteps.includes('refund:LATE1') && s.syncStatus === 'Synced',
      90_000,
    );
    // Every held request has landed (the hang is 6 s from its start) before the ledger is read.
    await sleep(7_000);
    expect(stack.sandbox.stats().inFlight).toBe(0);

    // By the second key in the memo: NetSuite (here) kept no externalId of what the transforms made.
    const marked = (type: string, key: string) =>
      stack.sandbox.records(type).filter((c) => String(c.memo ?? '').includes(`[${key}]`));
    expect(marked('creditMemo', `2co-cm-${ref}-LATE1`)).toHaveLength(1);
    expect(marked('customerRefund', `2co-rf-${ref}-LATE1`)).toHaveLength(1);
    expect(ledgerFor(stack, ref).creditMemos).toHaveLength(1);
    expect(stack.sandbox.duplicates()).toMatchObject({ transactionsByRefNo: [], moneyRecordsByKey: [] });
  });

  it('a payment: exactly one, and the order completes', async () => {
    const ref = '75300002';
    stack.sandbox.injectFault({
      method: 'POST',
      pathIncludes: '!transform/customerPayment',
      kind: 'hang',
      hangMs: 6_000,
    });
    await send(cardOrder(ref, 'COMPLETE'));
    await stack.waitForOrder(ref, paid, 90_000);
    await sleep(7_000);
    expect(stack.sandbox.stats().inFlight).toBe(0);
    expect(
      stack.sandbox.records('customerPayment').filter((p) => String(p.memo ?? '').includes(`[2co-pay-${ref}]`)),
    ).toHaveLength(1);
    expect(stack.sandbox.duplicates()).toMatchObject({ transactionsByRefNo: [], moneyRecordsByKey: [] });
  });
});
