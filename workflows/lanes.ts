// Which task queues a step of an order runs on, by lane (workflows/priority.ts): live steps on the
// NetSuite queues every worker serves first, bulk steps (backfill, reconciliation healing, resyncs)
// on queues of their own, served by activity workers with their own slots. Task priority alone
// could not keep a live order from waiting: a worker cannot reserve a slot for a task it has not
// seen, so every slot could be held by bulk activities when a live one arrived (≈ 130 ms per step,
// docs/performance.md). The NetSuite limiter stays one per process across the lanes, live first.
//
// Workflow code: a bulk run recorded before this change scheduled its steps on the live queues, so
// the bulk queues are behind patched() (markers of patches are not billed; only bulk runs ask).
import { patched } from '@temporalio/workflow';
import type { ActivityQueues } from './messages.js';
import type { Lane } from './priority.js';

const BULK_LANE_QUEUES = 'bulk-lane-own-task-queues';

/** The NetSuite activity queues (orders, money) for a step in `lane`. */
export function laneActivityQueues(queues: ActivityQueues, lane: Lane): { netsuite: string; netsuiteMoney: string } {
  const { netsuiteBulk, netsuiteMoneyBulk } = queues;
  if (lane === 'live' || netsuiteBulk === undefined || netsuiteMoneyBulk === undefined) return queues;
  return patched(BULK_LANE_QUEUES) ? { netsuite: netsuiteBulk, netsuiteMoney: netsuiteMoneyBulk } : queues;
}
