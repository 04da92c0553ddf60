// Where the gateway hands verified events: the Temporal workflow that owns the entity.
// signalWithStart is durable the moment the server answers (the signal is in the workflow's
// history, and the workflow is started if it was not running), so the gateway may send its
// receipt right after. Unlike update-with-start it does not need a worker to be up, so a worker
// outage never turns into 2Checkout retries. Re-delivered IPNs are de-duplicated by event key in
// the workflow (docs/reference-notes.md#temporal-signal-with-start: signals are not de-duplicated by the server).
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import { initialSearchAttributes } from '../shared/search-attributes.js';
import { licenseEventSignal, orderEventSignal, orderWorkflowId, subscriptionWorkflowStart, TASK_QUEUES } from '../workflows/messages.js';
import { orderSyncWorkflow, type OrderWorkflowInput } from '../workflows/order-sync.js';
import { subscriptionWorkflow } from '../workflows/subscription.js';
import type { OrderSyncPolicy } from '../workflows/order-state.js';

export interface EventSink {
  deliverOrderEvent(event: OrderEvent): Promise<{ workflowId: string }>;
  deliverLicenseEvent(event: LicenseEvent): Promise<{ workflowId: string }>;
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
    async deliverOrderEvent(event) {
      const workflowId = orderWorkflowId(event.refNo);
      await withDeadline(() => client.workflow.signalWithStart(orderSyncWorkflow, {
        workflowId,
        taskQueue,
        args: [{ refNo: event.refNo, policy: opts.policy, ...(opts.activityQueues ? { queues: opts.activityQueues } : {}) }],
        signal: orderEventSignal,
        signalArgs: [event],
        typedSearchAttributes: initialSearchAttributes('order', event.refNo),
      }));
      return { workflowId };
    },
    async deliverLicenseEvent(event) {
      const start = subscriptionWorkflowStart({ licenseCode: event.licenseCode, taskQueue, ...(opts.activityQueues ? { queues: opts.activityQueues } : {}) });
      await withDeadline(() => client.workflow.signalWithStart(subscriptionWorkflow, { ...start, signal: licenseEventSignal, signalArgs: [event] }));
      const { workflowId } = start;
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
