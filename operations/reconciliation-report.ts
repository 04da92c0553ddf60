// What reconciliation already found for one day, read back from Temporal: the result (the
// completeness ledger) of the latest finished reconcileDayWorkflow for that date, as
// `npm run reconcile` printed it. Read-only: a visibility list and history reads, never a start,
// signal or update. Dry runs are skipped (they heal nothing and keep no ledger), so a day only dry-run
// counts as not reconciled. The NetSuite custom record holds the same ledger, but this reads Temporal
// so that callers need no NetSuite credentials (the MCP server has none).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { CompletenessLedger } from '../mappings/completeness.js';
import { workflowListUrl, workflowUrl } from './web-ui.js';

export interface ReconciliationFound {
  found: true;
  ledger: CompletenessLedger;
  workflowId: string;
  url: string;
  /** How many finished, non-dry runs that day has (the ledger is the latest's). */
  runs: number;
}
export interface ReconciliationNotFound {
  found: false;
  date: string;
  /** Why there is no ledger: never reconciled, only dry runs, or runs still going / failed. */
  why: string;
  listUrl: string;
}
export type ReconciliationReport = ReconciliationFound | ReconciliationNotFound;

/** The workflows of one day's reconciliation (`reconcile/<date>/<run>`), in the Web UI's terms. */
export const reconciliationQuery = (date: string): string =>
  `WorkflowType = 'reconcileDayWorkflow' AND WorkflowId STARTS_WITH 'reconcile/${date}/'`;

export async function readReconciliation(
  client: Client,
  date: string,
  ui: { uiBase: string; namespace: string },
): Promise<ReconciliationReport> {
  const runs: WorkflowExecutionInfo[] = [];
  // Filtered on the id here as well as in the query: older visibility stores lack STARTS_WITH.
  for await (const w of client.workflow.list({ query: "WorkflowType = 'reconcileDayWorkflow'" })) {
    if (w.workflowId.startsWith(`reconcile/${date}/`)) runs.push(w);
  }
  const done = runs
    .filter((w) => w.status.name === 'COMPLETED')
    .sort((a, b) => (b.closeTime?.getTime() ?? 0) - (a.closeTime?.getTime() ?? 0));
  const real: Array<{ w: WorkflowExecutionInfo; ledger: CompletenessLedger }> = [];
  for (const w of done) {
    const run = await readRun(client, w);
    if (run && !run.dryRun) real.push({ w, ledger: run.ledger });
  }
  const latest = real[0];
  if (latest) {
    return {
      found: true,
      ledger: latest.ledger,
      workflowId: latest.w.workflowId,
      url: workflowUrl(ui.uiBase, ui.namespace, latest.w.workflowId),
      runs: real.length,
    };
  }
  const running = runs.filter((w) => w.status.name === 'RUNNING').length;
  const failed = runs.filter((w) => !['RUNNING', 'COMPLETED'].includes(w.status.name)).length;
  const dry = done.length;
  const why =
    runs.length === 0
      ? `${date} has not been reconciled yet (no reconciliation run for it in Temporal's retention)`
      : `${date} has no finished reconciliation yet: ${[running && `${running} running`, failed && `${failed} failed or terminated`, dry && `${dry} dry run${dry === 1 ? '' : 's'} (which keep no ledger)`].filter(Boolean).join(', ')}`;
  return { found: false, date, why, listUrl: workflowListUrl(ui.uiBase, ui.namespace, reconciliationQuery(date)) };
}

/** The run's input (was it a dry run?) and result (the ledger), from its history. */
async function readRun(
  client: Client,
  w: WorkflowExecutionInfo,
): Promise<{ dryRun: boolean; ledger: CompletenessLedger } | undefined> {
  const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
  const conv = client.options.loadedDataConverter;
  const decode = async (payloads: Payload[] | null | undefined): Promise<unknown> => {
    if (!payloads?.length) return undefined;
    let p = payloads;
    for (const codec of [...conv.payloadCodecs].reverse()) p = await codec.decode(p);
    return conv.payloadConverter.fromPayload(p[0]!);
  };
  let dryRun = false;
  let ledger: CompletenessLedger | undefined;
  for (const e of history.events ?? []) {
    const started = e.workflowExecutionStartedEventAttributes;
    if (started)
      dryRun = ((await decode(started.input?.payloads)) as { dryRun?: boolean } | undefined)?.dryRun === true;
    const completed = e.workflowExecutionCompletedEventAttributes;
    if (completed) ledger = (await decode(completed.result?.payloads)) as CompletenessLedger | undefined;
  }
  return ledger ? { dryRun, ledger } : undefined;
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(value).toISOString().slice(0, 10) === value
  );
}

/** One day of the last days: its ledger (the latest finished, non-dry run), or why there is none. */
export type RecentReconciliation =
  | { date: string; found: true; ledger: CompletenessLedger; workflowId: string; url: string }
  | { date: string; found: false; why: string; listUrl: string };

/**
 * The ledgers of several days at once (the status page's completeness table): one visibility
 * list for all of them, then the history of each day's runs, newest first, until a real one.
 */
export async function readRecentReconciliations(
  client: Client,
  dates: readonly string[],
  ui: { uiBase: string; namespace: string },
): Promise<RecentReconciliation[]> {
  const byDate = new Map<string, WorkflowExecutionInfo[]>(dates.map((d) => [d, []]));
  for await (const w of client.workflow.list({ query: "WorkflowType = 'reconcileDayWorkflow'" })) {
    const date = /^reconcile\/(\d{4}-\d{2}-\d{2})\//.exec(w.workflowId)?.[1];
    if (date) byDate.get(date)?.push(w);
  }
  return Promise.all(
    dates.map(async (date): Promise<RecentReconciliation> => {
      const runs = byDate.get(date) ?? [];
      const done = runs
        .filter((w) => w.status.name === 'COMPLETED')
        .sort((a, b) => (b.closeTime?.getTime() ?? 0) - (a.closeTime?.getTime() ?? 0));
      for (const w of done) {
        const run = await readRun(client, w);
        if (run && !run.dryRun)
          return {
            date,
            found: true,
            ledger: run.ledger,
            workflowId: w.workflowId,
            url: workflowUrl(ui.uiBase, ui.namespace, w.workflowId),
          };
      }
      const running = runs.some((w) => w.status.name === 'RUNNING');
      const why =
        runs.length === 0
          ? 'not reconciled yet'
          : running
            ? 'reconciliation running'
            : 'no finished reconciliation (only dry runs, or failed)';
      return { date, found: false, why, listUrl: workflowListUrl(ui.uiBase, ui.namespace, reconciliationQuery(date)) };
    }),
  );
}
