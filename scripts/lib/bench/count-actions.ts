// Temporal Actions per order of a bench run (scripts/lib/bench/actions.ts says what counts and
// why): the synced orders' histories (all of them, or a sample for big runs) give what is billed
// inside a history; the server's `action` counter over the run gives heartbeats and queries, and a
// second view of everything to check the first against.
import type { Client } from '@temporalio/client';
import { orderWorkflowId } from '../../../workflows/messages.js';
import {
  addCounts,
  billableActionsOfHistory,
  counterByKind,
  counterDelta,
  perUnit,
  totalOf,
  type ActionCounter,
  type ActionCounts,
} from './actions.js';

export interface ActionsPerOrder {
  /** Billable on Temporal Cloud per synced order, by kind: histories + the counter's heartbeats and queries. */
  perOrder: ActionCounts;
  total: number;
  /** The assumed price (flag --price-per-million-actions) and what a million such orders cost at it. */
  pricePerMillionActions: number;
  dollarsPerMillionOrders: number;
  /** Orders whose histories were read (a sample when the run is bigger than --actions-sample). */
  historiesRead: number;
  /** The server's `action` counter per synced order, by kind, before the corrections for what Cloud does not bill. */
  serverCounterPerOrder: ActionCounts;
  /** The counter's raw delta over the run, by action_type. */
  serverCounter: ActionCounter;
}

/** Spread evenly over the list, so a sample sees early, middle and late orders of a burst. */
function sampleOf<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

export async function countActions(opts: {
  client: Client;
  refNos: string[];
  counterBefore: ActionCounter;
  counterAfter: ActionCounter;
  pricePerMillion: number;
  sample: number;
  log?: (line: string) => void;
}): Promise<ActionsPerOrder> {
  const refNos = sampleOf(opts.refNos, opts.sample);
  opts.log?.(`counting Temporal Actions: reading ${refNos.length} histories`);
  let inHistories: ActionCounts = {};
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < refNos.length) {
      const refNo = refNos[next++]!;
      // Every run of the order (a continue-as-new starts another), newest first.
      let runId: string | undefined;
      for (;;) {
        const history = await opts.client.workflow.getHandle(orderWorkflowId(refNo), runId).fetchHistory();
        inHistories = addCounts(inHistories, billableActionsOfHistory(history));
        runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
        if (!runId) break;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  const n = Math.max(1, opts.refNos.length);
  const delta = counterDelta(opts.counterBefore, opts.counterAfter);
  const counter = counterByKind(delta);
  const perOrder: ActionCounts = {
    ...perUnit(inHistories, refNos.length),
    // Not in a history: from the counter, over every order of the run.
    ...perUnit({ heartbeat: counter.heartbeat ?? 0, query: counter.query ?? 0 }, n),
  };
  const total = Math.round(totalOf(perOrder) * 1000) / 1000;
  return {
    perOrder,
    total,
    pricePerMillionActions: opts.pricePerMillion,
    dollarsPerMillionOrders: Math.round(total * opts.pricePerMillion * 100) / 100,
    historiesRead: refNos.length,
    serverCounterPerOrder: perUnit(counter, n),
    serverCounter: delta,
  };
}
