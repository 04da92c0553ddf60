// Task priority of the sync: which Temporal tasks go first when a task queue has a backlog.
// Pure and deterministic, so workflow code (activity options) and the edges that start workflows
// (the gateway, backfill, reconciliation, operator tools) share one scheme.
//
// Temporal dispatches a backlogged queue by priority key, 1 first, 5 last (3 when none is given);
// activities inherit their workflow's key unless they set their own. Two rules decide the key:
//  1. Live before bulk: a sync a webhook (or a person) is waiting for goes ahead of backfill,
//     reconciliation healing, resync and bulk operator actions.
//  2. Drain in order: within a lane, an order already in progress goes ahead of orders that have
//     not started, so a burst finishes order by order (and the workflows being worked on stay in
//     the worker's cache) instead of every order's first step running before anyone's last.
//
//              first step of an order   later steps
//   live       2                        1
//   bulk       5                        4
//
// A live order's first step (2) still goes ahead of any bulk step (4, 5): a backfill never delays
// today's orders, and a bulk order that has started does not lose its place to newer bulk orders.
import type { Priority } from '@temporalio/common';

/** Who asked for a sync. `webhook`: 2Checkout's IPN/LCN; `operator`: a person's retry in ops tools. */
export const SYNC_SOURCES = ['webhook', 'operator', 'backfill', 'reconcile', 'resync', 'bulk'] as const;
export type SyncSource = (typeof SYNC_SOURCES)[number];

export type Lane = 'live' | 'bulk';

/** Where a step stands in its order's sync: the first NetSuite step of the run, or a later one. */
export type StepStage = 'first' | 'later';

export const PRIORITY_KEYS = {
  live: { first: 2, later: 1 },
  bulk: { first: 5, later: 4 },
} as const satisfies Record<Lane, Record<StepStage, number>>;

/** Temporal's key when none is set (the middle of 1–5). */
export const DEFAULT_PRIORITY_KEY = 3;

export function laneOf(source: SyncSource): Lane {
  return source === 'webhook' || source === 'operator' ? 'live' : 'bulk';
}

/** Priority to start (or signal-with-start) a sync workflow with: its workflow tasks and, by inheritance, its activities. */
export function workflowPriority(source: SyncSource): Priority {
  return { priorityKey: PRIORITY_KEYS[laneOf(source)].first };
}

/** Priority of one NetSuite step of a sync in `lane`. */
export function stepPriority(lane: Lane, stage: StepStage): Priority {
  return { priorityKey: PRIORITY_KEYS[lane][stage] };
}

/**
 * The lane of a running workflow, from the priority it was started with (`workflowInfo().priority`).
 * A workflow started without one (Temporal's default key, or one started before this scheme) is live:
 * only bulk callers lower the priority.
 */
export function laneOfWorkflow(priority: Priority | undefined): Lane {
  const key = priority?.priorityKey;
  return key !== undefined && key > DEFAULT_PRIORITY_KEY ? 'bulk' : 'live';
}

/** The more urgent of two lanes: a bulk sync that a live event or a person touches becomes live. */
export function raiseLane(current: Lane, source: SyncSource): Lane {
  return current === 'live' || laneOf(source) === 'live' ? 'live' : 'bulk';
}
