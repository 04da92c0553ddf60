// Handing 2Checkout events to the Temporal workflow that owns the entity (`order/<REFNO>`,
// `subscription/<LICENSE_CODE>`) by signal-with-start. One implementation for every source: the
// gateway (webhooks), backfill and reconciliation (2Checkout's API), so events from all of them
// meet in the same workflow and de-duplicate there.
//
// signalWithStart is durable the moment the server answers (the signal is in the workflow's
// history, and the workflow is started if it was not running). Unlike update-with-start it does
// not need a worker to be up. Signals are not de-duplicated by the server; the workflow does it by
// event key.
import type { Client } from '@temporalio/client';
import type { EventSource, LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import { orderWorkflowId, subscriptionWorkflowId, TASK_QUEUES } from './messages.js';
import { initialSearchAttributes } from '../shared/search-attributes.js';
import { licenseEventSignal, orderEventSignal, reconciliationMismatchSignal, type ReconciliationMismatch } from './messages.js';
import type { OrderWorkflowInput } from './order-sync.js';
import type { OrderSyncPolicy } from './order-state.js';
import { workflowPriority } from './priority.js';

export interface SyncHandoverOptions {
  client: Client;
  policy: Partial<OrderSyncPolicy>;
  taskQueue?: string;
  /** NetSuite activity task queues given to new workflows (tests isolate themselves; default TASK_QUEUES). */
  activityQueues?: OrderWorkflowInput['queues'];
  /** How long one hand-over may take before the caller gives up (default 10 s). */
  deadlineMs?: number;
}

export interface SyncHandover {
  /** Signal-with-start of `order/<REFNO>`; `source` marks where the event came from (default webhook). */
  deliverOrderEvent(event: OrderEvent, source?: EventSource): Promise<{ workflowId: string }>;
  deliverLicenseEvent(event: LicenseEvent): Promise<{ workflowId: string }>;
  /** Tells `order/<REFNO>` that reconciliation found a difference it must park on. */
  reportMismatch(refNo: string, mismatch: ReconciliationMismatch): Promise<{ workflowId: string }>;
  readonly client: Client;
}

export function createSyncHandover(opts: SyncHandoverOptions): SyncHandover {
  const { client } = opts;
  const taskQueue = opts.taskQueue ?? TASK_QUEUES.workflows;
  const deadlineMs = opts.deadlineMs ?? 10_000;
  const withDeadline = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + deadlineMs, fn);
  const orderArgs = (refNo: string): [OrderWorkflowInput] => [{ refNo, policy: opts.policy, ...(opts.activityQueues ? { queues: opts.activityQueues } : {}) }];
  return {
    client,
    async deliverOrderEvent(event, source) {
      const workflowId = orderWorkflowId(event.refNo);
      const stamped: OrderEvent = source === undefined || event.source === source ? event : { ...event, source };
      await withDeadline(() => client.workflow.signalWithStart('orderSyncWorkflow', {
        workflowId,
        taskQueue,
        args: orderArgs(event.refNo),
        signal: orderEventSignal,
        signalArgs: [stamped],
        typedSearchAttributes: initialSearchAttributes('order', event.refNo),
        // Applies when this starts the workflow; a running one keeps the priority it started with.
        priority: workflowPriority(stamped.source ?? 'webhook'),
      }));
      return { workflowId };
    },
    async deliverLicenseEvent(event) {
      const workflowId = subscriptionWorkflowId(event.licenseCode);
      await withDeadline(() => client.workflow.signalWithStart('subscriptionWorkflow', {
        workflowId,
        taskQueue,
        args: [{ licenseCode: event.licenseCode, ...(opts.activityQueues ? { queues: opts.activityQueues } : {}) }],
        signal: licenseEventSignal,
        signalArgs: [event],
        typedSearchAttributes: initialSearchAttributes('subscription', event.licenseCode),
        priority: workflowPriority('webhook'),
      }));
      return { workflowId };
    },
    async reportMismatch(refNo, mismatch) {
      const workflowId = orderWorkflowId(refNo);
      await withDeadline(() => client.workflow.signalWithStart('orderSyncWorkflow', {
        workflowId,
        taskQueue,
        args: orderArgs(refNo),
        signal: reconciliationMismatchSignal,
        signalArgs: [mismatch],
        typedSearchAttributes: initialSearchAttributes('order', refNo),
        priority: workflowPriority('reconcile'),
      }));
      return { workflowId };
    },
  };
}
