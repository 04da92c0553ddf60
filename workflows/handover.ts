// The one door by which callers hand 2Checkout events to the Temporal workflow that owns the
// entity (`order/<REFNO>`, `subscription/<LICENSE_CODE>`): signal-with-start. One implementation
// for every source: the gateway (webhooks), backfill and reconciliation (2Checkout's API), so
// events from all of them meet in the same workflow and de-duplicate there. The gateway answers
// 2Checkout with a receipt only after this resolved (Temporal durably accepted the event).
//
// signalWithStart is durable the moment the server answers (the signal is in the workflow's
// history, and the workflow is started if it was not running). Unlike update-with-start it does
// not need a worker to be up. Signals are not de-duplicated by the server; the workflow does it by
// event key.
import type { Client } from '@temporalio/client';
import type { EventSource, LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import { initialSearchAttributes } from '../shared/search-attributes.js';
import {
  licenseEventSignal,
  orderEventSignal,
  orderWorkflowId,
  postBeforeCutoverSignal,
  reconciliationMismatchSignal,
  subscriptionWorkflowStart,
  TASK_QUEUES,
  type PostBeforeCutover,
  type ReconciliationMismatch,
} from './messages.js';
import type { SyncSource } from './priority.js';
import type { orderSyncWorkflow, OrderWorkflowInput } from './order-sync.js';
import type { OrderSyncPolicy } from './order-state.js';
import type { subscriptionWorkflow } from './subscription.js';
import { laneOf, workflowPriority } from './priority.js';

/**
 * The part of an order's policy the sync mode sets: shadow orders read NetSuite and write nothing
 * (docs/cutover.md). Live sets nothing, so a live order's input is what it always was.
 */
export function shadowPolicy(modes: { orders: 'live' | 'shadow'; shadowLookAfter: string }): Partial<OrderSyncPolicy> {
  return modes.orders === 'shadow' ? { mode: 'shadow', shadowLookAfter: modes.shadowLookAfter } : {};
}

export interface SyncHandoverOptions {
  client: Client;
  policy: Partial<OrderSyncPolicy>;
  taskQueue?: string;
  /**
   * Where order workflows started by bulk work (backfill, reconciliation) run: a workflow queue of
   * their own (TASK_QUEUES.workflowsBulk), served by a workflow worker with its own slots. Default:
   * that queue, or `taskQueue` when the caller named one (tests isolate themselves with one queue).
   */
  bulkTaskQueue?: string;
  /** NetSuite activity task queues given to new workflows (tests isolate themselves; default TASK_QUEUES). */
  activityQueues?: OrderWorkflowInput['queues'];
  /** How long one hand-over may take before the caller gives up (default 10 s); bounded so that, with Temporal down, 2Checkout is not kept waiting. */
  deadlineMs?: number;
}

/** What the gateway needs of the hand-over (its tests and the gateway-only bench give it fakes). */
export interface EventHandover {
  /**
   * Signal-with-start of `order/<REFNO>`; `source` marks where the event came from (default
   * webhook) and so the task priority of a workflow it starts (workflows/priority.ts).
   */
  deliverOrderEvent(event: OrderEvent, source?: EventSource): Promise<{ workflowId: string }>;
  deliverLicenseEvent(event: LicenseEvent): Promise<{ workflowId: string }>;
  /** True when Temporal answers (within 2 s). */
  ready(): Promise<boolean>;
}

export interface SyncHandover extends EventHandover {
  /** Tells `order/<REFNO>` that reconciliation found a difference it must park on. */
  reportMismatch(refNo: string, mismatch: ReconciliationMismatch): Promise<{ workflowId: string }>;
  /** Tells `order/<REFNO>` that an operator asks it to post although the order predates the cut-over (docs/cutover.md). */
  permitBeforeCutover(refNo: string, why: PostBeforeCutover): Promise<{ workflowId: string }>;
  readonly client: Client;
}

export function createSyncHandover(opts: SyncHandoverOptions): SyncHandover {
  const { client } = opts;
  const taskQueue = opts.taskQueue ?? TASK_QUEUES.workflows;
  const bulkTaskQueue = opts.bulkTaskQueue ?? opts.taskQueue ?? TASK_QUEUES.workflowsBulk;
  const deadlineMs = opts.deadlineMs ?? 10_000;
  const withDeadline = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + deadlineMs, fn);
  // The start half of every order hand-over; the signal and the priority differ by caller.
  // Workflows are named by type only: callers of this module never load workflow code.
  // A running workflow keeps its queue; this decides where a run that the event starts goes.
  const orderStart = (refNo: string, source: SyncSource) => ({
    workflowId: orderWorkflowId(refNo),
    taskQueue: laneOf(source) === 'bulk' ? bulkTaskQueue : taskQueue,
    args: [{ refNo, policy: opts.policy, ...(opts.activityQueues ? { queues: opts.activityQueues } : {}) }] as [
      OrderWorkflowInput,
    ],
    typedSearchAttributes: initialSearchAttributes('order', refNo),
  });
  return {
    client,
    async ready() {
      try {
        await client.connection.withDeadline(Date.now() + 2_000, () =>
          client.connection.workflowService.getSystemInfo({}),
        );
        return true;
      } catch {
        return false;
      }
    },
    async deliverOrderEvent(event, source) {
      const stamped: OrderEvent = source === undefined || event.source === source ? event : { ...event, source };
      const start = orderStart(event.refNo, stamped.source ?? 'webhook');
      await withDeadline(() =>
        client.workflow.signalWithStart<typeof orderSyncWorkflow, [OrderEvent]>('orderSyncWorkflow', {
          ...start,
          signal: orderEventSignal,
          signalArgs: [stamped],
          // Applies when this starts the workflow; a running one keeps the priority it started with.
          priority: workflowPriority(stamped.source ?? 'webhook'),
        }),
      );
      return { workflowId: start.workflowId };
    },
    async deliverLicenseEvent(event) {
      const start = subscriptionWorkflowStart({
        licenseCode: event.licenseCode,
        taskQueue,
        ...(opts.activityQueues ? { queues: opts.activityQueues } : {}),
      });
      await withDeadline(() =>
        client.workflow.signalWithStart<typeof subscriptionWorkflow, [LicenseEvent]>('subscriptionWorkflow', {
          ...start,
          signal: licenseEventSignal,
          signalArgs: [event],
          priority: workflowPriority('webhook'),
        }),
      );
      return { workflowId: start.workflowId };
    },
    async permitBeforeCutover(refNo, why) {
      const start = orderStart(refNo, 'backfill');
      await withDeadline(() =>
        client.workflow.signalWithStart<typeof orderSyncWorkflow, [PostBeforeCutover]>('orderSyncWorkflow', {
          ...start,
          signal: postBeforeCutoverSignal,
          signalArgs: [why],
          priority: workflowPriority('backfill'),
        }),
      );
      return { workflowId: start.workflowId };
    },
    async reportMismatch(refNo, mismatch) {
      const start = orderStart(refNo, 'reconcile');
      await withDeadline(() =>
        client.workflow.signalWithStart<typeof orderSyncWorkflow, [ReconciliationMismatch]>('orderSyncWorkflow', {
          ...start,
          signal: reconciliationMismatchSignal,
          signalArgs: [mismatch],
          priority: workflowPriority('reconcile'),
        }),
      );
      return { workflowId: start.workflowId };
    },
  };
}
