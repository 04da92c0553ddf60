// Reconciliation: for one day, every 2Checkout order (REST API) against what NetSuite holds for it
// (SuiteQL by externalId), per order and to the minor unit. Orders missing in NetSuite are healed
// through their own `order/<REFNO>` workflow (the same path as webhooks and backfill) and checked
// again; a difference a sync cannot fix is parked on the order (RECONCILIATION_MISMATCH) and
// listed. Nothing is written to NetSuite's books from here. The result is the day's ledger.
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CompletenessActivities } from './completeness-contract.js';
import {
  buildLedger,
  type CompletenessLedger,
  type LedgerEntry,
  type LedgerException,
} from '../mappings/completeness.js';
import { orderWorkflowId, reconcileWorkflowId, TASK_QUEUES } from './messages.js';

export interface ReconcileDayInput {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Compare and report only: heal nothing, park nothing, keep no ledger record. */
  dryRun?: boolean;
  /** How long to wait for healed orders to be posted before checking them again (default 5m). */
  settleTimeoutMs?: number;
  /** Task queue of the completeness activities (default TASK_QUEUES.completeness). */
  activityQueue?: string;
}

export function completenessActivities(taskQueue: string | undefined, settleTimeoutMs: number) {
  const retry = { initialInterval: '5s', maximumInterval: '2m', nonRetryableErrorTypes: ['TwoCheckoutApiError'] };
  const queue = taskQueue ?? TASK_QUEUES.completeness;
  return {
    acts: proxyActivities<CompletenessActivities>({
      taskQueue: queue,
      startToCloseTimeout: '10m',
      heartbeatTimeout: '1m',
      retry,
    }),
    settle: proxyActivities<CompletenessActivities>({
      taskQueue: queue,
      startToCloseTimeout: settleTimeoutMs + 120_000,
      heartbeatTimeout: '1m',
      retry,
    }),
  };
}

export async function reconcileDayWorkflow(input: ReconcileDayInput): Promise<CompletenessLedger> {
  const dryRun = input.dryRun ?? false;
  const settleTimeoutMs = input.settleTimeoutMs ?? 5 * 60_000;
  const { acts, settle } = completenessActivities(input.activityQueue, settleTimeoutMs);
  const calls = { netsuite: 0, twocheckout: 0 };
  const entries = new Map<string, LedgerEntry>();
  const exceptions: LedgerException[] = [];
  const healing: string[] = [];

  for (let page = 1; ; page++) {
    const r = await acts.sweepPage({ day: input.date, page, mode: 'reconcile', dryRun });
    calls.netsuite += r.calls.netsuite;
    calls.twocheckout += r.calls.twocheckout;
    const unmappable = new Map(r.unmappable.map((u) => [u.refNo, u.message]));
    for (const c of r.comparisons) {
      const outcome = c.verdict === 'missing' ? 'pending' : c.verdict;
      entries.set(c.refNo, { comparison: c, outcome });
      if (c.verdict === 'mismatched')
        exceptions.push({
          refNo: c.refNo,
          reason: 'AMOUNT_MISMATCH',
          detail: c.findings.join('; '),
          workflowId: orderWorkflowId(c.refNo),
        });
      else if (unmappable.has(c.refNo))
        exceptions.push({
          refNo: c.refNo,
          reason: 'UNMAPPABLE_ORDER',
          detail: unmappable.get(c.refNo)!,
          workflowId: orderWorkflowId(c.refNo),
        });
    }
    healing.push(...r.delivered);
    if (dryRun)
      for (const w of r.wouldPost)
        exceptions.push({
          refNo: w.refNo,
          reason: 'MISSING_IN_NETSUITE',
          detail: `would heal: ${w.missing.join(', ')}`,
          workflowId: orderWorkflowId(w.refNo),
        });
    if (!r.hasMore) break;
  }

  const nsOnly = await acts.netsuiteOnlyOrders({ day: input.date, known: [...entries.keys()] });
  calls.netsuite += nsOnly.calls;
  for (const refNo of nsOnly.refNos) {
    exceptions.push({
      refNo,
      reason: 'NOT_IN_2CHECKOUT',
      detail: `NetSuite has a sale dated ${input.date} for this order, but 2Checkout does not list it for that day (test order, other day, or not a 2Checkout order)`,
      workflowId: orderWorkflowId(refNo),
    });
  }

  if (healing.length > 0) {
    const settled = await settle.settleOrders({ refNos: healing, timeoutMs: settleTimeoutMs });
    const verified = await acts.verifyOrders({ refNos: healing });
    calls.netsuite += verified.calls.netsuite;
    calls.twocheckout += verified.calls.twocheckout;
    const parked = new Set(settled.parked);
    const ended = new Set(settled.synced);
    for (const c of verified.comparisons) {
      const healed = c.verdict === 'matched';
      entries.set(c.refNo, {
        comparison: c,
        outcome: healed ? 'healed' : c.verdict === 'mismatched' ? 'mismatched' : 'pending',
      });
      if (!healed) {
        const why = parked.has(c.refNo)
          ? 'its sync is parked (NeedsAttention): see the workflow'
          : ended.has(c.refNo)
            ? 'its sync ended without posting it (in shadow mode it posts nothing: npm run shadow-report; else a step was skipped: see the workflow)'
            : 'its sync has not finished yet';
        exceptions.push({
          refNo: c.refNo,
          reason: c.verdict === 'mismatched' ? 'AMOUNT_MISMATCH' : 'MISSING_IN_NETSUITE',
          detail: `${[...c.missing, ...c.findings].join('; ')}; ${why}`,
          workflowId: orderWorkflowId(c.refNo),
        });
      }
    }
  }

  const ledger = buildLedger({
    date: input.date,
    entries: [...entries.values()],
    exceptions,
    nsOnly: nsOnly.refNos.length,
    calls,
    finishedAt: new Date().toISOString(),
  });
  if (!dryRun) {
    const rec = await acts.recordLedger({ ledger });
    ledger.calls.netsuite += rec.calls;
  }
  return ledger;
}

export interface NightlyReconciliationInput {
  /** How many days back to reconcile, ending yesterday (UTC); the overlap catches late webhooks and time zones. Default 2. */
  days?: number;
  settleTimeoutMs?: number;
  activityQueue?: string;
}

/** What the nightly Schedule runs: yesterday and the days before it, one child workflow per day. */
export async function nightlyReconciliationWorkflow(
  input: NightlyReconciliationInput = {},
): Promise<Array<Pick<CompletenessLedger, 'date' | 'state' | 'ordersIn2co' | 'counts'>>> {
  const days = input.days ?? 2;
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  const out = [];
  for (let back = days; back >= 1; back--) {
    const date = new Date(today - back * 86_400_000).toISOString().slice(0, 10);
    const ledger = await executeChild(reconcileDayWorkflow, {
      workflowId: reconcileWorkflowId(date, `nightly-${workflowInfo().runId.slice(0, 8)}`),
      args: [
        {
          date,
          ...(input.settleTimeoutMs ? { settleTimeoutMs: input.settleTimeoutMs } : {}),
          ...(input.activityQueue ? { activityQueue: input.activityQueue } : {}),
        },
      ],
    });
    out.push({ date: ledger.date, state: ledger.state, ordersIn2co: ledger.ordersIn2co, counts: ledger.counts });
  }
  return out;
}
