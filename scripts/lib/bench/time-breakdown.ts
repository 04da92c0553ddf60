// Where a live order's end-to-end time goes, read from its workflow history: how long its workflow
// tasks and activity tasks waited in Temporal's queues to be taken, how long the worker took to run
// them (an activity's run includes its wait in the NetSuite limiter and the NetSuite calls), and the
// gaps in between. Summed per order and averaged: the bench prints it for the live orders (with
// --bulk, alone and during the bulk work), so a regression names its hop.
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { orderWorkflowId } from '../../../workflows/messages.js';
import { round } from './stats.js';

export interface TimeBreakdown {
  orders: number;
  /** Mean per order, ms. */
  workflowTaskQueueMs: number;
  workflowTaskRunMs: number;
  activityQueueMs: number;
  activityRunMs: number;
  /** Workflow started → last activity completed, ms (the rest of end to end is hand-over and the final task). */
  workflowSpanMs: number;
}

type Event = NonNullable<History['events']>[number];

const ms = (e: Event | undefined): number => {
  const t = e?.eventTime as { seconds?: unknown; nanos?: number | null } | undefined | null;
  return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : Number.NaN;
};

export function breakdownOf(history: History): Omit<TimeBreakdown, 'orders'> {
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  let wftQueue = 0;
  let wftRun = 0;
  let actQueue = 0;
  let actRun = 0;
  let lastActivityDone = Number.NaN;
  for (const e of events) {
    if (e.workflowTaskStartedEventAttributes) {
      wftQueue += ms(e) - ms(byId.get(Number(e.workflowTaskStartedEventAttributes.scheduledEventId)));
    } else if (e.workflowTaskCompletedEventAttributes) {
      wftRun += ms(e) - ms(byId.get(Number(e.workflowTaskCompletedEventAttributes.startedEventId)));
    } else if (e.activityTaskStartedEventAttributes) {
      actQueue += ms(e) - ms(byId.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId)));
    } else if (e.activityTaskCompletedEventAttributes) {
      actRun += ms(e) - ms(byId.get(Number(e.activityTaskCompletedEventAttributes.startedEventId)));
      lastActivityDone = ms(e);
    }
  }
  return {
    workflowTaskQueueMs: wftQueue,
    workflowTaskRunMs: wftRun,
    activityQueueMs: actQueue,
    activityRunMs: actRun,
    workflowSpanMs: lastActivityDone - ms(events[0]),
  };
}

/** Mean breakdown over the orders' current runs (at most `max` of them, evenly spread). */
export async function timeBreakdown(client: Client, refNos: string[], max = 200): Promise<TimeBreakdown> {
  const picked =
    refNos.length <= max
      ? refNos
      : Array.from({ length: max }, (_, i) => refNos[Math.floor((i * refNos.length) / max)]!);
  const sums = {
    workflowTaskQueueMs: 0,
    workflowTaskRunMs: 0,
    activityQueueMs: 0,
    activityRunMs: 0,
    workflowSpanMs: 0,
  };
  let n = 0;
  for (const refNo of picked) {
    const b = breakdownOf(await client.workflow.getHandle(orderWorkflowId(refNo)).fetchHistory());
    if (!Number.isFinite(b.workflowSpanMs)) continue;
    for (const k of Object.keys(sums) as Array<keyof typeof sums>) sums[k] += b[k];
    n += 1;
  }
  const mean = (v: number) => round(n > 0 ? v / n : Number.NaN);
  return {
    orders: n,
    workflowTaskQueueMs: mean(sums.workflowTaskQueueMs),
    workflowTaskRunMs: mean(sums.workflowTaskRunMs),
    activityQueueMs: mean(sums.activityQueueMs),
    activityRunMs: mean(sums.activityRunMs),
    workflowSpanMs: mean(sums.workflowSpanMs),
  };
}

export function formatBreakdown(b: TimeBreakdown): string {
  return `workflow tasks ${b.workflowTaskQueueMs} ms queued + ${b.workflowTaskRunMs} ms run; activities ${b.activityQueueMs} ms queued + ${b.activityRunMs} ms run (limiter wait and NetSuite calls); workflow start → last step ${b.workflowSpanMs} ms (mean per order, n=${b.orders})`;
}
