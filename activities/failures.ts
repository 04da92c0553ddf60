// Turns what can go wrong inside a NetSuite activity into the Temporal failure the workflow needs:
//   • a person must act (mapping gap, NetSuite refusing the data, amounts that do not add up)
//     → non-retryable, with a ParkDetails as details[0]: the workflow parks and shows it;
//   • waiting helps (429, 5xx, network, "Record has been changed") → retryable, with a delay that
//     suits the cause (the next attempt reads the changed record again);
//   • credentials (401) → retryable with a long delay and an error log: a bad token must not park
//     thousands of syncs, and fixing the token must let them all continue on their own.
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ParkDetails } from '../mappings/sync-types.js';
import { MappingError } from '../mappings/errors.js';
import { NetSuiteError } from '../netsuite/types.js';
import type { ActivityLogger } from './activity-context.js';

/** Back-off after a 429 without Retry-After: a few seconds, jittered so parked retries do not stampede. */
export const concurrencyRetryDelayMs = (random: () => number = Math.random): number =>
  2_000 + Math.floor(random() * 4_000);
/** After "Record has been changed": soon (the other write is done), jittered so two writers do not meet again. */
export const recordChangedRetryDelayMs = (random: () => number = Math.random): number =>
  200 + Math.floor(random() * 800);
/** Back-off after 401 INVALID_LOGIN. */
export const AUTH_RETRY_DELAY_MS = 60_000;

/** NetSuite's own words, for the operator: "<detail> (<code>)" per error detail. */
function netsuiteExplanation(err: NetSuiteError): string {
  if (err.details.length === 0) return err.message;
  return err.details.map((d) => `${d.detail}${d.code ? ` (${d.code})` : ''}`).join('; ');
}

export function toActivityFailure(
  err: unknown,
  logger?: ActivityLogger,
  context: Record<string, unknown> = {},
): unknown {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof MappingError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.failureType,
      nonRetryable: true,
      details: [err.details],
    });
  }
  if (err instanceof NetSuiteError) {
    switch (err.kind) {
      case 'user':
      case 'not_found':
      case 'permission': {
        const what = netsuiteExplanation(err);
        const hint =
          err.kind === 'permission'
            ? ' Fix: grant the integration role the permission NetSuite names, then retry.'
            : ' Fix the record or the mapping NetSuite points at, then retry (or skip with a reason).';
        const details: ParkDetails = {
          reason: 'NETSUITE_USER_ERROR',
          message: `NetSuite refused the request: ${what}.${hint}`,
          ...(err.details[0]?.path ? { path: err.details[0].path } : {}),
        };
        return ApplicationFailure.create({
          message: details.message,
          type: 'NetSuiteUserError',
          nonRetryable: true,
          details: [details],
          cause: err,
        });
      }
      case 'concurrency':
        return ApplicationFailure.create({
          message: `NetSuite concurrency limit reached: ${err.message}`,
          type: 'NetSuiteConcurrencyLimit',
          nextRetryDelay: err.retryAfterMs ?? concurrencyRetryDelayMs(),
          cause: err,
        });
      case 'conflict':
        // Another writer saved the record while this write ran; nothing of this write was stored.
        // The next attempt reads the record again and writes what is still owed (a blind repeat of
        // the refused write could overwrite the other writer's change).
        return ApplicationFailure.create({
          message: `NetSuite record changed by another writer meanwhile; reading it again and retrying: ${err.message}`,
          type: 'NetSuiteRecordChanged',
          nextRetryDelay: recordChangedRetryDelayMs(),
          cause: err,
        });
      case 'auth':
        logger?.error(
          { ...context, status: err.status, code: err.code },
          'NetSuite rejected the credentials (INVALID_LOGIN): check the token and the Login Audit Trail; syncs retry every minute meanwhile',
        );
        return ApplicationFailure.create({
          message: `NetSuite authentication failed: ${err.message}`,
          type: 'NetSuiteAuth',
          nextRetryDelay: AUTH_RETRY_DELAY_MS,
          cause: err,
        });
      case 'server':
      case 'network':
        return ApplicationFailure.create({
          message: `NetSuite unavailable: ${err.message}`,
          type: 'NetSuiteUnavailable',
          cause: err,
        });
    }
  }
  return err;
}

/** Runs an activity body and rethrows its failure in Temporal's terms. */
export async function withActivityFailures<T>(
  fn: () => Promise<T>,
  logger?: ActivityLogger,
  context?: Record<string, unknown>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toActivityFailure(e, logger, context);
  }
}
