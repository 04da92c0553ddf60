// Where the gateway hands verified events: the Temporal workflow that owns the entity, through the
// same signal-with-start hand-over backfill and reconciliation use (workflows/handover.ts), so
// webhook and API events meet in one workflow. The gateway sends its receipt only after Temporal
// durably accepted the event.
import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';
import type { EventSource, LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import { createSyncHandover } from '../workflows/handover.js';
import type { OrderWorkflowInput } from '../workflows/order-sync.js';
import type { OrderSyncPolicy } from '../workflows/order-state.js';

/** Who hands the event over: decides the task priority of a workflow it starts (workflows/priority.ts). */
export interface DeliveryOptions {
  /** Default `webhook` (the gateway); backfill and reconciliation pass their own so they never delay live orders. */
  source?: EventSource;
}

export interface EventSink {
  deliverOrderEvent(event: OrderEvent, options?: DeliveryOptions): Promise<{ workflowId: string }>;
  deliverLicenseEvent(event: LicenseEvent): Promise<{ workflowId: string }>;
  /** True when Temporal answers. */
  ready(): Promise<boolean>;
}

/**
 * True when a hand-over failed because Temporal did not answer or refused the call: the Temporal
 * client's ServiceError (what every failed service call throws) or a gRPC status anywhere in the
 * cause chain (unreachable, deadline exceeded, overloaded…). Only these may be reported as
 * "Temporal unavailable"; anything else is a defect of the gateway.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof ServiceError || isGrpcServiceError(e)) return true;
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
  // Bounded: with Temporal down the gRPC client would otherwise keep retrying while 2Checkout waits.
  const handover = createSyncHandover(opts);
  return {
    deliverOrderEvent: (event, options) => handover.deliverOrderEvent(event, options?.source),
    deliverLicenseEvent: (event) => handover.deliverLicenseEvent(event),
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
