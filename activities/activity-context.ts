// What every activity shares: the dependencies the factories are built over, the options of a
// NetSuite call made from an activity, and small readers of the Temporal activity context. The
// readers keep activity code testable: outside an activity (plain unit tests) they fall back to
// "first attempt, no cancellation", and inside MockActivityEnvironment({ attempt: 2 }) they see
// what Temporal would give.
import { Context } from '@temporalio/activity';
import type { MappingProvider } from '../mappings/config-schema.js';
import type { NetSuiteClient, RequestOptions } from '../netsuite/types.js';
import type { PayoutsApi } from '../twocheckout/rest/payouts.js';

/** What the activities of the NetSuite task queues are built over (createNetSuiteActivities in activities/index.ts). */
export interface NetSuiteActivityDeps {
  netsuite: NetSuiteClient;
  mappings: MappingProvider;
  /** 2Checkout's payouts API; without it fetchPayout fails with a clear, non-retryable reason. */
  payouts?: PayoutsApi;
  /** pino-like; defaults to Temporal's activity logger. Never given personal data. */
  logger?: ActivityLogger;
  /**
   * How long a `!transform` that got no answer may still land in NetSuite, so a retry waits for it
   * before sending another (activities/late-writes.ts; default 16 minutes, 0: never wait).
   */
  lateWriteHorizonMs?: number;
  /**
   * Shadow mode per workflow type (SYNC_MODE_SUBSCRIPTIONS / SYNC_MODE_PAYOUTS; docs/cutover.md):
   * the subscription record is not written (the workflow notes what would be), payouts post into a
   * client that writes nothing. Orders are in shadow by their own policy (the workflow's).
   */
  shadow?: { subscriptions?: boolean; payouts?: boolean };
}

function context(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** 1 on the first attempt of an activity; > 1 when Temporal retries it. */
export function activityAttempt(): number {
  return context()?.info.attempt ?? 1;
}

/** True when an earlier attempt of this same activity may already have written to NetSuite. */
export const isRetryAttempt = (): boolean => activityAttempt() > 1;

/** Aborts in-flight NetSuite calls when the activity is cancelled (or the worker shuts down). */
export function activitySignal(): AbortSignal | undefined {
  return context()?.cancellationSignal;
}

/**
 * The Temporal task priority key of the running activity (smaller first), for the NetSuite
 * limiter's queue; undefined outside an activity or when the activity has none (the server's default).
 */
export function activityPriorityKey(): number | undefined {
  // The SDK decodes an unset key as 0 or undefined: both mean "the default".
  return context()?.info.priority?.priorityKey || undefined;
}

/** pino-compatible subset (object first, message second). */
export interface ActivityLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Routes to Temporal's activity logger (which adds workflow/activity ids) when no logger was injected. */
export const temporalActivityLogger: ActivityLogger = {
  debug: (obj, msg) => context()?.log.debug(msg ?? '', obj as Record<string, unknown>),
  info: (obj, msg) => context()?.log.info(msg ?? '', obj as Record<string, unknown>),
  warn: (obj, msg) => context()?.log.warn(msg ?? '', obj as Record<string, unknown>),
  error: (obj, msg) => context()?.log.error(msg ?? '', obj as Record<string, unknown>),
};

/** Request options for a NetSuite call made from the current activity. */
export function callOptions(priority: 'bulk' | 'money'): RequestOptions {
  const signal = activitySignal();
  const priorityKey = activityPriorityKey();
  return { priority, ...(signal ? { signal } : {}), ...(priorityKey !== undefined ? { priorityKey } : {}) };
}
