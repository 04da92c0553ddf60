// Where the gateway hands verified events: the Temporal workflow that owns the entity.
// signalWithStart is durable the moment the server answers (the signal is in the workflow's
// history, and the workflow is started if it was not running), so the gateway may send its
// receipt right after. Unlike update-with-start it does not need a worker to be up, so a worker
// outage never turns into 2Checkout retries. Re-delivered IPNs are de-duplicated by event key in
// the workflow (temporal.md §1.9: signals are not de-duplicated by the server).
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import { orderWorkflowId, subscriptionWorkflowId, TASK_QUEUES } from '../mappings/ids.js';
import { initialSearchAttributes } from '../shared/search-attributes.js';
import { licenseEventSignal, orderEventSignal } from '../workflows/messages.js';
import type { OrderWorkflowInput } from '../workflows/order-sync.js';
import type { OrderSyncPolicy } from '../workflows/order-state.js';
import { workflowPriority, type SyncSource } from '../workflows/priority.js';

/** Who hands the event over: decides the task priority of a workflow it starts (workflows/priority.ts). */
export interface DeliveryOptions {
  /** Default `webhook` (the gateway); backfill and reconciliation pass their own so they never delay live orders. */
  source?: SyncSource;
}

export interface EventSink {
  deliverOrderEvent(event: OrderEvent, options?: DeliveryOptions): Promise<{ workflowId: string }>;
  deliverLicenseEvent(event: LicenseEvent, options?: DeliveryOptions): Promise<{ workflowId: string }>;
  /** True when Temporal answers. */
  ready(): Promise<boolean>;
}

/**
 * True when a hand-over failed because Temporal did not answer or refused the call (a gRPC status
 * anywhere in the cause chain: unreachable, deadline exceeded, overloaded…). Only these may be
 * reported as "Temporal unavailable"; anything else is a defect of the gateway.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (isGrpcServiceError(e)) return true;
  }
  return false;
}

export interface TemporalEventSinkOptions {
  client: Client;
  policy: Partial<OrderSyncPolicy>;
  taskQueue?: string;
  /** NetSuite activity task queues given to new workflows (tests isolate themselves; default TASK_QUEUES). */
  activityQueues?: OrderWorkflowInput['queues'];
  /** How long one hand-over may take before the gateway gives up and answers 503 (default 10 s). */
  deadlineMs?: number;
}

export function createTemporalEventSink(opts: TemporalEventSinkOptions): EventSink {
  const { client } = opts;
  const taskQueue = opts.taskQueue ?? TASK_QUEUES.workflows;
  const deadlineMs = opts.deadlineMs ?? 10_000;
  // Bounded: with Temporal down the gRPC client would otherwise keep retrying while 2Checkout waits.
  const withDeadline = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + deadlineMs, fn);
  return {
    async deliverOrderEvent(event, options) {
      const workflowId = orderWorkflowId(event.refNo);
      const args: [OrderWorkflowInput] = [{ refNo: event.refNo, policy: opts.policy, ...(opts.activityQueues ? { queues: opts.activityQueues } : {}) }];
      await withDeadline(() => client.workflow.signalWithStart('orderSyncWorkflow', {
        workflowId,
        taskQueue,
        args,
        signal: orderEventSignal,
        signalArgs: [event],
        typedSearchAttributes: initialSearchAttributes('order', event.refNo),
        // Applies when this starts the workflow; a running one keeps the priority it started with.
        priority: workflowPriority(options?.source ?? 'webhook'),
      }));
      return { workflowId };
    },
    async deliverLicenseEvent(event, options) {
      const workflowId = subscriptionWorkflowId(event.licenseCode);
      await withDeadline(() => client.workflow.signalWithStart('subscriptionWorkflow', {
        workflowId,
        taskQueue,
        args: [{ licenseCode: event.licenseCode, ...(opts.activityQueues ? { queues: opts.activityQueues } : {}) }],
        signal: licenseEventSignal,
        signalArgs: [event],
        typedSearchAttributes: initialSearchAttributes('subscription', event.licenseCode),
        priority: workflowPriority(options?.source ?? 'webhook'),
      }));
      return { workflowId };
    },
    async ready() {
      try {
        await client.connection.withDeadline(Date.now() + 2_000, () => client.connection.workflowService.getSystemInfo({}));
        return true;
      } catch {
        return false;
      }
    },
  };
}
