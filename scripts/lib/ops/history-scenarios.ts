// The main paths of every workflow type, driven through the real workflow code for
// `npm run record-histories`. Each scenario ends with the workflow completing on its own (a short
// idle period), so the recorded history is a whole run: exactly what a worker must still be able
// to replay after a deploy. Events are built by the 2Checkout sandbox sender and mapped by the
// gateway's own mapping, so payloads have the production shape.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ParkDetails } from '../../../activities/contract.js';
import type { OrderEvent } from '../../../mappings/canonical.js';
import { ipnToOrderEvent } from '../../../mappings/from-2checkout.js';
import { orderWorkflowId, TASK_QUEUES } from '../../../mappings/ids.js';
import { parseForm } from '../../../gateway/twocheckout/form.js';
import { buildIpnFields, encodeForm, type IpnOrderInput } from '../../../sandbox/twocheckout/sender.js';
import { cardOrder, fullRefund, newCardOrder, unmappedProductOrder } from '../../../sandbox/twocheckout/scenarios.js';
import { EntityKind, OrderRef, SyncStatus } from '../../../shared/search-attributes.js';
import { operatorActionUpdate, operatorDecisionSignal, orderEventSignal, orderStateQuery, type OrderSyncState } from '../../../workflows/messages.js';
import type { OrderWorkflowInput } from '../../../workflows/order-sync.js';
import type { OrderSyncPolicy } from '../../../workflows/order-state.js';
import type { ActivityFailurePlan } from './recording-activities.js';

/** Pinned so two recordings of a scenario carry the same 2Checkout content. */
const AT = new Date('2026-11-20T10:00:00Z');

/** Short enough to record quickly, long enough for the recorder to send its follow-up in time. */
const IDLE_CLOSE = '3s';

export function orderEventFrom(input: IpnOrderInput): OrderEvent {
  return ipnToOrderEvent(parseForm(encodeForm(buildIpnFields(input))));
}

export interface ScenarioContext {
  client: Client;
}

export interface HistoryScenario {
  /** File name under test/replay-histories/. */
  file: string;
  description: string;
  failures?: ActivityFailurePlan;
  /** Drives the workflow; returns its handle. The recorder then awaits completion. */
  drive(ctx: ScenarioContext): Promise<WorkflowHandle>;
}

/** Starts `order/<REFNO>` the way the gateway does (signal-with-start), with the first event. */
export async function startOrder(client: Client, first: OrderEvent, policy: Partial<OrderSyncPolicy> = {}): Promise<WorkflowHandle> {
  const args: [OrderWorkflowInput] = [{ refNo: first.refNo, policy: { idleClose: IDLE_CLOSE, ...policy } }];
  return client.workflow.signalWithStart('orderSyncWorkflow', {
    workflowId: orderWorkflowId(first.refNo),
    taskQueue: TASK_QUEUES.workflows,
    args,
    signal: orderEventSignal,
    signalArgs: [first],
    typedSearchAttributes: [
      { key: OrderRef, value: first.refNo },
      { key: EntityKind, value: 'order' },
      { key: SyncStatus, value: 'InProgress' },
    ],
  });
}

export async function waitForState(handle: WorkflowHandle, accept: (s: OrderSyncState) => boolean, timeoutMs = 30_000): Promise<OrderSyncState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await handle.query(orderStateQuery);
    if (accept(s)) return s;
    if (Date.now() > deadline) throw new Error(`${handle.workflowId}: state not reached within ${timeoutMs} ms (last: ${s.syncStatus}, steps ${s.completedSteps.join(',')})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const unmapped: ParkDetails = {
  reason: 'UNMAPPED_PRODUCT',
  message: 'product code NEW-GADGET-X has no NetSuite item: add it under products in config/mappings.yaml, then retry',
  path: 'lines[0].productCode',
};
const userError: ParkDetails = {
  reason: 'NETSUITE_USER_ERROR',
  message: 'NetSuite refused the invoice: Invalid Field Value 9999 for the following field: location',
};

export const orderScenarios: HistoryScenario[] = [
  {
    file: 'order-synced.json',
    description: 'PENDING → PAYMENT_AUTHORIZED → COMPLETE (one redelivered): customer, sales order, invoice, payment; Synced; idle close',
    async drive({ client }) {
      const [pending, authorized, complete] = newCardOrder('70000001', { at: AT }).map(orderEventFrom);
      const handle = await startOrder(client, pending!);
      await handle.signal(orderEventSignal, authorized!);
      await handle.signal(orderEventSignal, complete!);
      await handle.signal(orderEventSignal, complete!);
      return handle;
    },
  },
  {
    file: 'order-parked-retried.json',
    description: 'unmapped product: parks at salesOrder (UNMAPPED_PRODUCT), operator retry (update), Synced',
    failures: { upsertSalesOrder: [unmapped] },
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(unmappedProductOrder('70000002', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry', by: 'record-histories' }] });
      return handle;
    },
  },
  {
    file: 'order-parked-skipped.json',
    description: 'NetSuite USER_ERROR on the invoice: parks, operator skip with a reason (signal, as sent from the Web UI); payment skipped with it',
    failures: { createInvoice: [userError] },
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(cardOrder('70000003', 'COMPLETE', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.signal(operatorDecisionSignal, { action: 'skip', reason: 'invoiced by hand in NetSuite', by: 'record-histories' });
      return handle;
    },
  },
  {
    file: 'order-refund.json',
    description: 'COMPLETE then a full REFUND: sale posted, then credit memo + customer refund',
    async drive({ client }) {
      const sale = cardOrder('70000004', 'COMPLETE', { at: AT });
      const handle = await startOrder(client, orderEventFrom(sale));
      await handle.signal(orderEventSignal, orderEventFrom(fullRefund(sale, { reason: 'customer request' })));
      return handle;
    },
  },
  {
    file: 'order-resync.json',
    description: 'Synced, then an operator resync (update): looks up existing records by externalId, posts again, Synced',
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(cardOrder('70000005', 'COMPLETE', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'Synced');
      await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'resync', reason: 'sales order deleted by hand', by: 'record-histories' }] });
      return handle;
    },
  },
  {
    file: 'order-cash-sale.json',
    description: 'cash-sale posting mode: customer and cash sale once paid',
    async drive({ client }) {
      const [pending, , complete] = newCardOrder('70000006', { at: AT }).map(orderEventFrom);
      const handle = await startOrder(client, pending!, { postingMode: 'cashSale' });
      await handle.signal(orderEventSignal, complete!);
      return handle;
    },
  },
];
