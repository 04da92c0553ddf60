// Where the gateway hands verified events: the Temporal workflow that owns the entity, through the
// same signal-with-start hand-over backfill and reconciliation use (workflows/handover.ts), so
// webhook and API events meet in one workflow. The gateway sends its receipt only after Temporal
// durably accepted the event.
import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';
import type { EventSource, LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import { createSyncHandover } from '../workflows/handover.js';
import type { OrderWorkflowInput } from '../workflows/order-sync.js';
import type { OrderSyncPolicy } from '../workflows/order-state.js';
import { allSearchAttributes } from '../shared/search-attributes.js';
import { searchAttributeCommands } from '../shared/search-attribute-check.js';

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

/**
 * gRPC statuses with which Temporal refuses a call because of how this service or the namespace is
 * set up, not because it is down: INVALID_ARGUMENT (e.g. a search attribute the namespace lacks),
 * NOT_FOUND (the namespace), PERMISSION_DENIED and UNAUTHENTICATED (the API key or certificate),
 * UNIMPLEMENTED. Trying again cannot help until a person changes something.
 */
const CONFIGURATION_STATUS: Record<number, string> = { 3: 'INVALID_ARGUMENT', 5: 'NOT_FOUND', 7: 'PERMISSION_DENIED', 12: 'UNIMPLEMENTED', 16: 'UNAUTHENTICATED' };

export interface TemporalConfigurationRefusal {
  status: string;
  /** One sentence: what to change. */
  fix: string;
}

/** The refusal, when a hand-over failed because Temporal's configuration (or ours) is wrong; else undefined. */
export function temporalConfigurationRefusal(err: unknown, namespace = 'default'): TemporalConfigurationRefusal | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (!isGrpcServiceError(e)) continue;
    const status = CONFIGURATION_STATUS[e.code];
    if (!status) return undefined;
    return { status, fix: configurationFix(status, e.message, namespace) };
  }
  return undefined;
}

function configurationFix(status: string, message: string, namespace: string): string {
  if (/search attribute/i.test(message)) {
    const missing = allSearchAttributes.filter((k) => message.includes(k.name));
    return `register the search attributes in namespace ${namespace}: ${searchAttributeCommands(missing.length > 0 ? missing : allSearchAttributes, namespace).filter((l) => !l.startsWith('#')).join(' ; ')} (npm run doctor checks them)`;
  }
  if (status === 'NOT_FOUND' && /namespace/i.test(message)) return `create namespace ${namespace} in Temporal, or set TEMPORAL_NAMESPACE to an existing one`;
  if (status === 'PERMISSION_DENIED' || status === 'UNAUTHENTICATED') return `give the gateway credentials that may start workflows in namespace ${namespace} (TEMPORAL_API_KEY, or the mTLS certificate TEMPORAL_TLS_CLIENT_CERT_PATH)`;
  return 'Temporal refused the hand-over as invalid: run npm run doctor, and see the error for what it refused';
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
