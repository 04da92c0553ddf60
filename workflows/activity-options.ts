// Timeouts of the activities the workflows call, by kind of call, in one place.
//
// NetSuite activities (customer, sales order, invoice, payment, refunds, subscriptions): NetSuite
// allows one request to run for up to 15 minutes and an activity makes a few of them, so the
// attempt itself gets a generous start-to-close timeout. Whether the worker is still alive is a
// separate question, answered by heartbeats (worker/activity-liveness.ts: an activity that has run
// 3 s heartbeats, then every 3 s; a fast one never does, and needs not: the heartbeat timeout runs
// from the start): an activity whose worker died is retried after the heartbeat timeout, 15 s,
// instead of after the whole start-to-close timeout. 15 s is five heartbeats (the worker sends one
// to the server at least every 3 s, worker/create-workers.ts), so a worker slowed by load is not
// taken for dead.
// Changing these options does not change the commands a workflow issues, so recorded histories
// still replay.
//
// Temporal-only activities (linking an order to its subscription workflow): one signal each, no
// NetSuite call that can hang, so a short start-to-close timeout alone bounds a dead worker.
import type { ActivityOptions } from '@temporalio/workflow';
import { PARKING_FAILURE_TYPES } from '../mappings/sync-types.js';

export const NETSUITE_ACTIVITY_TIMEOUTS = {
  startToCloseTimeout: '5m',
  heartbeatTimeout: '15s',
} as const satisfies Pick<ActivityOptions, 'startToCloseTimeout' | 'heartbeatTimeout'>;

export const TEMPORAL_ACTIVITY_TIMEOUTS = {
  startToCloseTimeout: '30s',
} as const satisfies Pick<ActivityOptions, 'startToCloseTimeout'>;

/**
 * Retries of NetSuite activities: transient trouble (429, 5xx, network, auth hiccups) retries
 * without limit; the failures a retry cannot fix are thrown as the parking types and make the
 * sync park instead. The wait between attempts grows from 2 s to at most a minute: an activity
 * makes several calls, so a passing fault on any of them fails the attempt, and a longer cap only
 * left finished-but-for-one-call orders idle for minutes (the 2,000-order chaos run); during a
 * real outage one attempt a minute per waiting activity is still a trickle next to the limit.
 */
export const NETSUITE_ACTIVITY_RETRY = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  nonRetryableErrorTypes: [...PARKING_FAILURE_TYPES],
} as const satisfies NonNullable<ActivityOptions['retry']>;
