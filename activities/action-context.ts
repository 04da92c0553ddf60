// What the action-request activities share (activities/action-activities.ts builds it): the
// clients, the way to read a sync workflow's state, and how a 2Checkout refusal becomes a park.
import { ApplicationFailure } from '@temporalio/activity';
import type { MappingProvider } from '../mappings/config-schema.js';
import type { NetSuiteClient } from '../netsuite/types.js';
import type { TwoCheckoutApiClient } from '../twocheckout/rest/client.js';
import { TwoCheckoutApiError } from '../twocheckout/rest/errors.js';
import type { ActivityLogger } from './activity-context.js';

/** What the refund and subscription activities share. */
export interface ActionContext {
  api(): Pick<TwoCheckoutApiClient, 'getOrder' | 'getJson' | 'sendJson'>;
  netsuite: NetSuiteClient;
  mappings: MappingProvider;
  syncState(workflowId: string): Promise<unknown>;
  logger: ActivityLogger;
  now(): Date;
}

/** A refusal of 2Checkout's that a person must look at: the request parks (TWOCHECKOUT_REFUSED), nothing was done there. */
export function refusedBy2Checkout(message: string): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type: 'TwoCheckoutRefused',
    nonRetryable: true,
    details: [{ reason: 'TWOCHECKOUT_REFUSED', message }],
  });
}

/** Only failures that waiting cannot fix are turned into a refusal; the rest are retried by Temporal. */
export function isRefusal(e: unknown): e is TwoCheckoutApiError {
  return e instanceof TwoCheckoutApiError && !e.retryable;
}
