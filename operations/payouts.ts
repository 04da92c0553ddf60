// Reading payouts back from Temporal, shared by `npm run payouts -- report|list` and the MCP
// server: one payout's state (its query while running, its result once finished) and the list of
// payout workflows with their state. Read-only: queries and visibility lists only.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { payoutWorkflowId } from '../workflows/messages.js';
import { renderPayoutReport } from '../mappings/payout-report.js';
import { payoutStateQuery, type PayoutMemo, type PayoutSyncState } from '../workflows/payout-messages.js';
import { workflowListUrl, workflowUrl } from './web-ui.js';

/** The payout's state, or undefined when there is no workflow for it (or it failed / was terminated). */
export async function readPayoutState(client: Client, reference: string): Promise<PayoutSyncState | undefined> {
  const handle = client.workflow.getHandle(payoutWorkflowId(reference));
  try {
    const d = await handle.describe();
    if (d.status.name === 'RUNNING') return await handle.query(payoutStateQuery);
    if (d.status.name === 'COMPLETED') return (await handle.result()) as PayoutSyncState;
    return undefined;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
}

export const noPayoutMessage = (reference: string): string =>
  `no payout workflow for ${reference} (or it failed/terminated): start it with npm run payouts -- sync ${reference}`;

/** The payout as `npm run payouts -- report` prints it. */
export function payoutStateLines(s: PayoutSyncState): string[] {
  const what = s.amount
    ? ` ${s.amount} ${s.currency ?? ''} of ${s.date ?? '?'}${s.status && s.status !== 'PAID' ? ` (${s.status})` : ''}`
    : '';
  const out = [
    s.report ? renderPayoutReport(s.report, s.phase) : `Payout ${s.reference}${what}: ${s.phase} (${s.syncStatus})`,
  ];
  if (s.revision) out.push(`  started again: ${s.revision}`);
  if (s.waitingFor.length > 0)
    out.push(
      `  waiting until ${s.waitUntil ?? '?'} for ${s.waitingFor.length} documents to reach NetSuite: ${s.waitingFor.slice(0, 10).join(', ')}`,
    );
  if (s.park)
    out.push(
      `  PARKED at ${s.park.step} (${s.park.reason}) since ${s.park.since}: ${s.park.message}\n  then: npm run ops -- retry payout/${s.reference}`,
    );
  return out;
}

export type PayoutListState = 'posted' | 'waiting' | 'parked' | 'other';

export interface PayoutListEntry {
  workflowId: string;
  reference: string;
  /** posted (Synced), parked (NeedsAttention), waiting (still running: waiting for payments or posting), other (canceled, skipped, failed…). */
  state: PayoutListState;
  /** What `npm run payouts -- list` prints, e.g. `parked (PAYOUT_UNBALANCED)`. */
  label: string;
  syncStatus?: string;
  parkReason?: string;
  executionStatus: string;
  url: string;
  /** What 2Checkout says (from the workflow's memo; absent for payouts fetched before it was kept). */
  amount?: string;
  currency?: string;
  date?: string;
  status?: string;
  documents?: number;
}

export const PAYOUT_LIST_QUERY = "EntityKind = 'payout'";

export async function listPayouts(
  client: Client,
  ui: { uiBase: string; namespace: string },
  limit = 500,
): Promise<{ payouts: PayoutListEntry[]; listUrl: string }> {
  const payouts: PayoutListEntry[] = [];
  for await (const w of client.workflow.list({ query: PAYOUT_LIST_QUERY })) {
    if (payouts.length >= limit) break;
    const sa = w.searchAttributes as Record<string, unknown[] | undefined>;
    const syncStatus = sa.SyncStatus?.[0] === undefined ? undefined : String(sa.SyncStatus[0]);
    const parkReason = sa.ParkReason?.[0] === undefined ? undefined : String(sa.ParkReason[0]);
    const status = syncStatus ?? w.status.name;
    const state: PayoutListState =
      status === 'Synced'
        ? 'posted'
        : status === 'NeedsAttention'
          ? 'parked'
          : w.status.name === 'RUNNING'
            ? 'waiting'
            : 'other';
    const label =
      state === 'posted'
        ? 'posted'
        : state === 'parked'
          ? `parked (${String(parkReason)})`
          : state === 'waiting'
            ? 'waiting / in progress'
            : status.toLowerCase();
    const memo = w.memo?.payout as Partial<PayoutMemo> | undefined;
    payouts.push({
      workflowId: w.workflowId,
      reference: w.workflowId.replace(/^payout\//, ''),
      state,
      label,
      ...(syncStatus ? { syncStatus } : {}),
      ...(parkReason ? { parkReason } : {}),
      executionStatus: w.status.name,
      url: workflowUrl(ui.uiBase, ui.namespace, w.workflowId),
      ...(memo?.amount !== undefined
        ? {
            amount: memo.amount,
            currency: memo.currency,
            date: memo.date,
            status: memo.status,
            documents: memo.documents,
          }
        : {}),
    });
  }
  // Payouts fetched before the memo was kept: their state says the same (a query or the result).
  for (const p of payouts.filter((x) => x.amount === undefined).slice(0, MEMO_FALLBACK_LIMIT)) {
    const s = await readPayoutState(client, p.reference).catch(() => undefined);
    const amount = s?.amount ?? s?.report?.amount;
    if (!s || amount === undefined) continue;
    Object.assign(p, {
      amount,
      ...((s.currency ?? s.report?.currency) ? { currency: s.currency ?? s.report?.currency } : {}),
      ...((s.date ?? s.report?.date) ? { date: s.date ?? s.report?.date } : {}),
      ...(s.status ? { status: s.status } : {}),
      ...(s.documents !== undefined
        ? { documents: s.documents }
        : s.report
          ? { documents: s.report.byCurrency.reduce((a, b) => a + b.orders, 0) }
          : {}),
    });
  }
  return { payouts, listUrl: workflowListUrl(ui.uiBase, ui.namespace, PAYOUT_LIST_QUERY) };
}

/** At most this many payouts without a memo are read one by one for their amount and date. */
const MEMO_FALLBACK_LIMIT = 100;

/**
 * The list as `npm run payouts -- list` prints it: at most 100 columns; the payout, its transfer
 * date, then the amount with its currency, then the count of documents, then the state.
 */
export function payoutListLines(list: { payouts: PayoutListEntry[]; listUrl: string }): string[] {
  if (list.payouts.length === 0) return ['no payout workflows yet', `Web UI: ${list.listUrl}`];
  const row = (ref: string, date: string, amount: string, cur: string, docs: string, state: string) =>
    `${ref.slice(0, 24).padEnd(24)} ${date.padEnd(10)} ${amount.padStart(14)} ${cur.padEnd(3)} ${docs.padStart(5)}  ${state.slice(0, 36)}`.trimEnd();
  const out = [row('payout', 'date', 'amount', 'cur', 'docs', 'state')];
  for (const p of list.payouts) {
    const status = p.status && p.status !== 'PAID' ? ` ${p.status.toLowerCase()}` : '';
    out.push(
      row(
        p.reference,
        p.date ?? '',
        p.amount ?? '',
        p.currency ?? '',
        p.documents === undefined ? '' : String(p.documents),
        `${p.label}${status}`,
      ),
    );
  }
  const byState = new Map<string, number>();
  for (const p of list.payouts) byState.set(p.state, (byState.get(p.state) ?? 0) + 1);
  out.push(`${list.payouts.length} payouts: ${[...byState].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  out.push(`Web UI: ${list.listUrl}`);
  return out;
}
