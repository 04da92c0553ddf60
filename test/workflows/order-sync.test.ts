// orderSyncWorkflow on the real Temporal dev server with a real worker; NetSuite activities are
// recording fakes, so these tests pin down the workflow's decisions: which steps run, in which
// order, how often, and how parking and operator actions behave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OrderActivities } from '../../workflows/activity-contract.js';
import type { OrderRecords, ParkDetails } from '../../mappings/sync-types.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { OrderRef, ParkReason, SyncStatus } from '../../shared/search-attributes.js';
import {
  operatorActionUpdate,
  operatorDecisionSignal,
  orderEventSignal,
  orderStateQuery,
} from '../../workflows/messages.js';
import type { orderSyncWorkflow, OrderWorkflowInput } from '../../workflows/order-sync.js';
import {
  connectTestEnv,
  eventually,
  uniqueQueues,
  withWorkers,
  workflowBundle,
  type TestQueues,
} from '../support/temporal.js';
import { orderEvent } from '../support/events.js';
import type { OrderEvent } from '../../mappings/canonical.js';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTestEnv();
  await workflowBundle();
});
afterAll(async () => {
  await env?.teardown();
});

/** Fake NetSuite activities that record each call; `failures` makes named steps fail first. */
/** `found` is what findOrderRecords answers (a test may change it, as if the sale was posted meanwhile). */
function recordingActivities(
  failures: Partial<Record<keyof OrderActivities, ParkDetails[]>> = {},
  found: { records: OrderRecords } = { records: {} },
) {
  const calls: string[] = [];
  const pending = Object.fromEntries(Object.entries(failures).map(([k, v]) => [k, [...(v ?? [])]]));
  const maybeFail = (name: keyof OrderActivities) => {
    calls.push(name);
    const next = pending[name]?.shift();
    if (next) throw ApplicationFailure.nonRetryable(next.message, 'MappingError', next);
  };
  const activities: OrderActivities = {
    async syncCustomer() {
      maybeFail('syncCustomer');
      return { customerId: 'c1', action: 'created' };
    },
    async upsertSalesOrder() {
      maybeFail('upsertSalesOrder');
      return { salesOrderId: 'so1', total: '10.00' };
    },
    async createInvoice() {
      maybeFail('createInvoice');
      return { invoiceId: 'inv1', total: '10.00', amountRemaining: '10.00' };
    },
    async applyPayment() {
      maybeFail('applyPayment');
      return { paymentId: 'pay1', amount: '10.00' };
    },
    async postCashSale() {
      maybeFail('postCashSale');
      return { cashSaleId: 'cs1', total: '10.00' };
    },
    async findOrderRecords(): Promise<OrderRecords> {
      maybeFail('findOrderRecords');
      return { ...found.records };
    },
    async closeOrder() {
      maybeFail('closeOrder');
      return { actions: ['closed sales order so1'] };
    },
    async postRefund() {
      maybeFail('postRefund');
      return { creditMemoId: 'cm1', customerRefundId: 'rf1', amount: '10.00' };
    },
    async recordDispute() {
      maybeFail('recordDispute');
      return { outcome: 'open' as const };
    },
  };
  return { calls, activities };
}

/** The validator's message of a rejected update. */
async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as WorkflowUpdateFailedError).cause?.message ?? '';
  }
  throw new Error('expected the update to be rejected');
}

function start(q: TestQueues, refNo: string, input: Partial<OrderWorkflowInput> = {}) {
  const args: [OrderWorkflowInput] = [
    { refNo, queues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney }, policy: { idleClose: '1h' }, ...input },
  ];
  return env.client.workflow.signalWithStart<typeof orderSyncWorkflow, [OrderEvent]>('orderSyncWorkflow', {
    workflowId: `${orderWorkflowId(refNo)}-${q.workflows}`,
    taskQueue: q.workflows,
    args,
    signal: orderEventSignal,
    signalArgs: [orderEvent(refNo, 'PENDING')],
    typedSearchAttributes: [{ key: OrderRef, value: refNo }],
  });
}

describe('orderSyncWorkflow', () => {
  it('posts customer, sales order, invoice and payment once, in order, and ends Synced', async () => {
    const q = uniqueQueues();
    const { calls, activities } = recordingActivities();
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100001');
      const complete = orderEvent('9100001', 'COMPLETE');
      await handle.signal(orderEventSignal, complete);
      await handle.signal(orderEventSignal, complete); // 2Checkout retry: same notification again
      const state = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced' && s.duplicatesIgnored === 1,
      );
      expect(calls).toEqual(['syncCustomer', 'upsertSalesOrder', 'createInvoice', 'applyPayment']);
      expect(state.records).toMatchObject({
        customerId: 'c1',
        salesOrderId: 'so1',
        invoiceId: 'inv1',
        paymentId: 'pay1',
      });
      expect(state.orderStatus).toBe('COMPLETE');
      const desc = await handle.describe();
      expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('Synced');
      expect(desc.typedSearchAttributes.get(OrderRef)).toBe('9100001');
      await handle.terminate('test done');
    });
  });

  it('never moves an order backwards when an older IPN arrives late', async () => {
    const q = uniqueQueues();
    const { calls, activities } = recordingActivities();
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100002');
      await handle.signal(orderEventSignal, orderEvent('9100002', 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced',
      );
      await handle.signal(orderEventSignal, orderEvent('9100002', 'PAYMENT_AUTHORIZED'));
      const state = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.eventsReceived === 3,
      );
      expect(state.orderStatus).toBe('COMPLETE');
      expect(calls).toEqual(['syncCustomer', 'upsertSalesOrder', 'createInvoice', 'applyPayment']);
      await handle.terminate('test done');
    });
  });

  it('parks on an unmapped product, explains itself, and resumes on an operator retry', async () => {
    const q = uniqueQueues();
    const park: ParkDetails = {
      reason: 'UNMAPPED_PRODUCT',
      message: 'product code NEW-GADGET-X has no NetSuite item',
      path: 'lines[0].productCode',
    };
    const { calls, activities } = recordingActivities({ upsertSalesOrder: [park] });
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100003');
      const parked = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'NeedsAttention',
      );
      expect(parked.park).toMatchObject({
        step: 'salesOrder',
        reason: 'UNMAPPED_PRODUCT',
        path: 'lines[0].productCode',
      });
      const desc = await handle.describe();
      expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('NeedsAttention');
      expect(desc.typedSearchAttributes.get(ParkReason)).toBe('UNMAPPED_PRODUCT');
      expect(desc.memo?.parkMessage).toContain('NEW-GADGET-X');

      await handle.signal(operatorDecisionSignal, { action: 'retry', by: 'ops@example.com' });
      const resumed = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced' || s.completedSteps.includes('salesOrder'),
      );
      expect(resumed.park).toBeUndefined();
      expect(calls.filter((c) => c === 'upsertSalesOrder')).toHaveLength(2);
      const after = await handle.describe();
      expect(after.typedSearchAttributes.get(ParkReason)).toBeUndefined();
      await handle.terminate('test done');
    });
  });

  it('rejects operator updates that do not apply, and records a skip with its reason', async () => {
    const q = uniqueQueues();
    const park: ParkDetails = { reason: 'NETSUITE_USER_ERROR', message: 'Invalid Field Value 9999 for item' };
    const { calls, activities } = recordingActivities({ createInvoice: [park] });
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100004');
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.completedSteps.includes('salesOrder'),
      );
      expect(await rejection(handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry' }] }))).toMatch(
        /nothing is parked/,
      );

      await handle.signal(orderEventSignal, orderEvent('9100004', 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'NeedsAttention',
      );
      expect(await rejection(handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'skip' }] }))).toMatch(
        /needs a reason/,
      );
      const res = await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'skip', reason: 'invoiced by hand', by: 'ops' }],
      });
      expect(res).toMatchObject({ accepted: true, action: 'skip', step: 'invoice' });
      const state = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced',
      );
      // The payment needs the invoice: it is skipped with it, not attempted.
      expect(state.skippedSteps).toEqual(['invoice', 'payment']);
      expect(calls).not.toContain('applyPayment');
      expect(state.journal.some((j) => j.what.includes('skipped') && j.detail?.includes('invoiced by hand'))).toBe(
        true,
      );
      expect(calls).toContain('syncCustomer');
      await handle.terminate('test done');
    });
  });

  it('in cash-sale mode posts only customer and cash sale, once paid', async () => {
    const q = uniqueQueues();
    const { calls, activities } = recordingActivities();
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100005', { policy: { postingMode: 'cashSale', idleClose: '1h' } });
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.eventsReceived === 1,
      );
      expect(calls).toEqual([]);
      await handle.signal(orderEventSignal, orderEvent('9100005', 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced',
      );
      expect(calls).toEqual(['syncCustomer', 'postCashSale']);
      await handle.terminate('test done');
    });
  });

  it('resync looks up existing records first and posts the order again without duplicates', async () => {
    const q = uniqueQueues();
    const { calls, activities } = recordingActivities();
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100006');
      await handle.signal(orderEventSignal, orderEvent('9100006', 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced',
      );
      calls.length = 0;
      expect(await rejection(handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'resync' }] }))).toMatch(
        /needs a reason/,
      );
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'resync', reason: 'sales order deleted by hand' }],
      });
      await eventually(
        async () => calls.length,
        (n) => n >= 5,
      );
      expect(calls).toEqual(['findOrderRecords', 'syncCustomer', 'upsertSalesOrder', 'createInvoice', 'applyPayment']);
      await handle.terminate('test done');
    });
  });

  it('completes after the idle period with its final state as the result', async () => {
    const q = uniqueQueues();
    const { activities } = recordingActivities();
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100007', { policy: { idleClose: '1s' } });
      await handle.signal(orderEventSignal, orderEvent('9100007', 'COMPLETE'));
      const result = await handle.result();
      expect(result.syncStatus).toBe('Synced');
      expect(result.completedSteps).toEqual(['customer', 'salesOrder', 'invoice', 'payment']);
    });
  });

  it('resync leaves the steps an operator skipped alone, and posts them only when the operator names them', async () => {
    const q = uniqueQueues();
    const park: ParkDetails = { reason: 'NETSUITE_USER_ERROR', message: 'Invalid Field Value 9999 for item' };
    const { calls, activities } = recordingActivities({ createInvoice: [park] });
    await withWorkers(env, q, activities, async () => {
      const handle = await start(q, '9100008');
      await handle.signal(orderEventSignal, orderEvent('9100008', 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'NeedsAttention',
      );
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'skip', reason: 'invoiced by hand, FIN-1' }],
      });
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced',
      );

      calls.length = 0;
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'resync', reason: 'sales order deleted by hand' }],
      });
      const resynced = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced' && calls.includes('upsertSalesOrder'),
      );
      expect(calls).toEqual(['findOrderRecords', 'syncCustomer', 'upsertSalesOrder']);
      expect(resynced.skippedSteps).toEqual(['invoice', 'payment']);

      expect(
        await rejection(
          handle.executeUpdate(operatorActionUpdate, {
            args: [{ action: 'resync', reason: 'x', steps: ['salesOrder'] }],
          }),
        ),
      ).toMatch(/not skipped/);
      calls.length = 0;
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'resync', reason: 'invoice voided by hand: post it', steps: ['invoice'] }],
      });
      const again = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced' && calls.includes('applyPayment'),
      );
      expect(calls).toEqual(['findOrderRecords', 'syncCustomer', 'upsertSalesOrder', 'createInvoice', 'applyPayment']);
      expect(again.skippedSteps).toEqual([]);
      await handle.terminate('test done');
    });
  });

  it('a refund parked for its missing sale looks the sale up again on retry', async () => {
    const q = uniqueQueues();
    const found: { records: OrderRecords } = { records: {} };
    const { calls, activities } = recordingActivities({}, found);
    await withWorkers(env, q, activities, async () => {
      const refund = orderEvent('9100009', 'REFUND');
      const handle = await start(q, '9100009', { policy: { idleClose: '1h', moneyBackGrace: '1s' } });
      await handle.signal(orderEventSignal, refund);
      const parked = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'NeedsAttention',
      );
      expect(parked.park).toMatchObject({ reason: 'MISSING_RECORD', step: `refund:${refund.eventRef}` });
      // Meanwhile the sale was posted in NetSuite (by hand, or by a run that has since closed).
      found.records = { customerId: 'c9', salesOrderId: 'so9', invoiceId: 'inv9' };
      await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry' }] });
      const state = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.completedSteps.includes(`refund:${refund.eventRef}`),
      );
      expect(calls.filter((c) => c === 'findOrderRecords')).toHaveLength(2);
      expect(calls).toContain('postRefund');
      expect(state.records).toMatchObject({ invoiceId: 'inv9' });
      expect(state.park).toBeUndefined();
      await handle.terminate('test done');
    });
  });

  it("takes a webhook credit posted in NetSuite's two decimals as the API refund of three-decimal KWD, and does not post it again", async () => {
    const q = uniqueQueues();
    // An earlier run posted the sale and the webhook refund of 10.125 KWD, booked as 10.13.
    const found = {
      records: {
        customerId: 'c8',
        salesOrderId: 'so8',
        invoiceId: 'inv8',
        paymentId: 'pay8',
        creditMemos: { '5001': { creditMemoId: 'cm8', amount: '10.13' } },
      },
    };
    const { calls, activities } = recordingActivities({}, found);
    // Reconciliation hands over the order's sale and refund as read from the API, both before the run looks up.
    const kwd = {
      currency: 'KWD',
      source: 'reconcile' as const,
      lines: [
        {
          index: 0,
          productId: '1',
          productCode: 'SOFT-BASIC',
          name: 'Basic',
          quantity: '1',
          unitPrice: '20.250',
          vat: '0',
          discount: '0',
          total: '20.250',
        },
      ],
    };
    const sale = orderEvent('9100010', 'COMPLETE', {
      ...kwd,
      totals: { general: '20.250', shipping: '0', shippingTax: '0' },
      eventRef: 'api-sale',
      key: 'api|9100010|sale|COMPLETE',
    });
    const refund = orderEvent('9100010', 'REFUND', {
      ...kwd,
      totals: { general: '-10.125', shipping: '0', shippingTax: '0' },
      eventRef: 'api-refund-1',
      key: 'api|9100010|refund|1',
    });
    const handle = await env.client.workflow.signalWithStart<typeof orderSyncWorkflow, [OrderEvent]>(
      'orderSyncWorkflow',
      {
        workflowId: `${orderWorkflowId('9100010')}-${q.workflows}`,
        taskQueue: q.workflows,
        args: [
          {
            refNo: '9100010',
            queues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney },
            policy: { idleClose: '1h' },
          },
        ],
        signal: orderEventSignal,
        signalArgs: [sale],
        typedSearchAttributes: [{ key: OrderRef, value: '9100010' }],
      },
    );
    await handle.signal(orderEventSignal, refund);
    await withWorkers(env, q, activities, async () => {
      const state = await eventually(
        () => handle.query(orderStateQuery),
        (st) => st.syncStatus === 'Synced' && st.completedSteps.includes('refund:api-refund-1'),
      );
      expect(calls).toContain('findOrderRecords');
      expect(calls).not.toContain('postRefund');
      expect(Object.keys(state.records.creditMemos ?? {})).toEqual(['5001']);
      await handle.terminate('test done');
    });
  });

  it('a refund parked for its missing sale stops waiting when skipped', async () => {
    const q = uniqueQueues();
    const { calls, activities } = recordingActivities();
    await withWorkers(env, q, activities, async () => {
      const refund = orderEvent('9100010', 'REFUND');
      const handle = await start(q, '9100010', { policy: { idleClose: '1h', moneyBackGrace: '1s' } });
      await handle.signal(orderEventSignal, refund);
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'NeedsAttention',
      );
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'skip', reason: 'refunded by hand, FIN-2' }],
      });
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.park === undefined,
      );
      // Well past the grace period: it does not park again, and nothing waits any more.
      await new Promise((r) => setTimeout(r, 3_000));
      const state = await handle.query(orderStateQuery);
      expect(state.park).toBeUndefined();
      expect(state.waiting).toEqual([]);
      expect(state.skippedSteps).toEqual([`refund:${refund.eventRef}`]);
      expect(calls).not.toContain('postRefund');
      await handle.terminate('test done');
    });
  });
});
