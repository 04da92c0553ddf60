// Transforms NetSuite refuses for a reason only a person can fix in NetSuite: the target form has a
// mandatory field the source leaves empty, or the source was closed / billed / paid in full outside
// this sync. The sandbox produces both on demand (faults mandatoryField, sourceClosed) and for real
// (a sales order billed in full by hand while the sync's request was on its way). The sync parks once with its own reason and a one-sentence
// fix — no retry loop: NetSuite sees the transform once — and resumes on the operator's retry.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cardOrder, fullRefund } from '../../sandbox/twocheckout/scenarios.js';
import { operatorDecisionSignal, orderWorkflowId } from '../../workflows/messages.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ledgerFor, sendIpn } from '../refunds/ledger.js';

let stack: TestStack;
let send: ReturnType<typeof sendIpn>;
beforeAll(async () => {
  stack = await startTestStack();
  send = sendIpn(stack);
});
afterAll(async () => {
  await stack?.close();
});

const parked = (s: { syncStatus: string }) => s.syncStatus === 'NeedsAttention';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a transform NetSuite refuses for what only a person can fix', () => {
  it('a mandatory field of the invoice form: parks TRANSFORM_MANDATORY_FIELD naming the field and the fix, once; retry after the fix posts it', async () => {
    const ref = '75200001';
    stack.sandbox.injectFault({
      method: 'POST',
      pathIncludes: '!transform/invoice',
      kind: 'mandatoryField',
      field: 'Department',
    });
    stack.sandbox.resetStats();
    await send(cardOrder(ref, 'COMPLETE'));
    const s = await stack.waitForOrder(ref, parked, 60_000);
    expect(s.park).toMatchObject({ reason: 'TRANSFORM_MANDATORY_FIELD', step: 'invoice', path: 'department' });
    expect(s.park?.message).toMatch(/the invoice form requires Department, which the sales order leaves empty/);
    expect(s.park?.message).toMatch(/Fix: give Department a default on the invoice form/);
    // Parked, not retried: the transform reached NetSuite once and stays at once.
    await sleep(3_000);
    expect(stack.sandbox.stats().callsByKind['transform:salesOrder->invoice']).toBe(1);
    expect(ledgerFor(stack, ref).invoices).toHaveLength(0);

    // The form is fixed (the fault is gone): the operator's retry posts the invoice and the payment.
    await stack.env.client.workflow
      .getHandle(orderWorkflowId(ref))
      .signal(operatorDecisionSignal, { action: 'retry', by: 'ops' });
    const done = await stack.waitForOrder(
      ref,
      (x) => x.syncStatus === 'Synced' && x.completedSteps.includes('payment'),
      60_000,
    );
    expect(done.park).toBeUndefined();
    expect(ledgerFor(stack, ref).invoices).toHaveLength(1);
  });

  it('a sales order billed in full by hand while the sync was billing it: parks TRANSFORM_SOURCE_CLOSED at the invoice, once', async () => {
    const ref = '75200002';
    // The sync's invoice transform is held 2 s; meanwhile a person bills the order in NetSuite.
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/invoice', kind: 'hang', hangMs: 2_000 });
    stack.sandbox.resetStats();
    await send(cardOrder(ref, 'COMPLETE'));
    await vi.waitFor(() => expect(stack.sandbox.stats().faultsInjected).toBe(1), { timeout: 30_000 });
    const soId = String(stack.sandbox.record('salesOrder', `eid:2co-so-${ref}`)!.id);
    await stack.netsuite.transform('salesOrder', soId, 'invoice', { memo: 'billed by hand' });

    const s = await stack.waitForOrder(ref, parked, 60_000);
    expect(s.park).toMatchObject({ reason: 'TRANSFORM_SOURCE_CLOSED', step: 'invoice' });
    expect(s.park?.message).toMatch(
      new RegExp(
        `NetSuite will not make the invoice from sales order ${soId}: it is closed or has nothing left to bill \\(NetSuite: .*billed in full`,
      ),
    );
    expect(s.park?.message).toMatch(
      /Fix: reopen the sales order in NetSuite and retry, or post the invoice by hand and skip with a reason/,
    );
    await sleep(3_000);
    // The sync's one transform and the person's: no retry loop.
    expect(stack.sandbox.stats().callsByKind['transform:salesOrder->invoice']).toBe(2);
    expect(ledgerFor(stack, ref).invoices.map((i) => i.memo)).toEqual(['billed by hand']);
  });

  it('the same refusal on demand (sourceClosed) for a credit memo: parks TRANSFORM_SOURCE_CLOSED with the fix, once', async () => {
    const ref = '75200003';
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, (x) => x.syncStatus === 'Synced' && x.completedSteps.includes('payment'), 60_000);
    stack.sandbox.resetStats();
    stack.sandbox.injectFault({ method: 'POST', pathIncludes: '!transform/creditMemo', kind: 'sourceClosed' });
    await send(fullRefund(sale, { messageId: 'CLOSED1' }));
    const s = await stack.waitForOrder(ref, parked, 60_000);
    expect(s.park).toMatchObject({ reason: 'TRANSFORM_SOURCE_CLOSED', step: 'refund:CLOSED1' });
    expect(s.park?.message).toMatch(/NetSuite will not make the credit memo from invoice \d+: it is closed/);
    expect(s.park?.message).toMatch(
      /Fix: reopen the invoice in NetSuite and retry, or post the credit memo by hand and skip with a reason/,
    );
    await sleep(3_000);
    expect(stack.sandbox.stats().callsByKind['transform:invoice->creditMemo']).toBe(1);
    expect(ledgerFor(stack, ref).creditMemos).toHaveLength(0);
  });
});
