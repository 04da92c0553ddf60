// Shadow mode's report (docs/cutover.md): the verdicts order syncs in shadow mode left in their
// memos (no bodies, no personal data), for the orders sold in a range of days, totalled per verdict
// and currency. `npm run shadow-report` prints it, the status page shows it. Read-only: it lists
// workflows through Temporal's visibility and reads their memos.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import {
  SHADOW_VERDICTS,
  shadowTotals,
  type ShadowMemo,
  type ShadowTotals,
  type ShadowVerdictKind,
  SHADOW_VERDICT_TEXT,
} from '../mappings/shadow.js';
import { workflowUrl } from './web-ui.js';

const Memo = z.object({
  kind: z.enum(SHADOW_VERDICTS),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency: z.string(),
  gross: z.string(),
  netsuiteTotal: z.string().optional(),
  reason: z.string().optional(),
});

export interface ShadowOrder {
  workflowId: string;
  refNo: string;
  verdict: ShadowMemo;
  judgedAt?: Date;
  url: string;
}

export interface ShadowReport {
  totals: ShadowTotals;
  /** Every order with its verdict, newest verdict per order, by day then REFNO. */
  orders: ShadowOrder[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The visibility query: order syncs a shadow run ended (SyncStatus Ignored: it posted nothing, by
 * design) on or after the first day (a sale is judged after it happened). A live run never ends a
 * sale as Ignored, so this stays small when the sync is live.
 */
export function shadowQuery(from: string): string {
  if (!DAY.test(from)) throw new Error(`--from must be a day such as 2026-03-01, not "${from}"`);
  // 14 hours earlier: a sale on `from` in UTC+14 was judged no earlier than that, in UTC.
  const since = new Date(Date.parse(`${from}T00:00:00Z`) - 14 * 3_600_000).toISOString();
  return `EntityKind = 'order' AND SyncStatus = 'Ignored' AND LastSyncAt >= '${since}'`;
}

/** The verdicts of the orders sold from `from` to `to` (YYYY-MM-DD, inclusive). */
export async function readShadowReport(
  client: Client,
  opts: { from: string; to: string; uiBase: string; namespace: string; limit?: number },
): Promise<ShadowReport> {
  if (!DAY.test(opts.to)) throw new Error(`--to must be a day such as 2026-03-07, not "${opts.to}"`);
  if (opts.from > opts.to) throw new Error(`--from ${opts.from} is after --to ${opts.to}`);
  const byWorkflow = new Map<string, ShadowOrder>();
  let seen = 0;
  for await (const wf of client.workflow.list({ query: shadowQuery(opts.from) })) {
    if (++seen > (opts.limit ?? 100_000)) break;
    const memo = Memo.safeParse((wf.memo ?? {}).shadow);
    if (!memo.success) continue;
    const v = memo.data;
    if (v.day < opts.from || v.day > opts.to) continue;
    const judgedAt = wf.closeTime ?? wf.startTime;
    const earlier = byWorkflow.get(wf.workflowId);
    if (earlier && (earlier.judgedAt?.getTime() ?? 0) >= judgedAt.getTime()) continue;
    byWorkflow.set(wf.workflowId, {
      workflowId: wf.workflowId,
      refNo: wf.workflowId.replace(/^order\//, ''),
      verdict: {
        kind: v.kind,
        day: v.day,
        currency: v.currency,
        gross: v.gross,
        ...(v.netsuiteTotal !== undefined ? { netsuiteTotal: v.netsuiteTotal } : {}),
        ...(v.reason ? { reason: v.reason } : {}),
      },
      judgedAt,
      url: workflowUrl(opts.uiBase, opts.namespace, wf.workflowId),
    });
  }
  const orders = [...byWorkflow.values()].sort(
    (a, b) => a.verdict.day.localeCompare(b.verdict.day) || a.refNo.localeCompare(b.refNo),
  );
  return {
    totals: shadowTotals(
      orders.map((o) => o.verdict),
      opts.from,
      opts.to,
    ),
    orders,
  };
}

const ORDER: readonly ShadowVerdictKind[] = ['adoptedEqual', 'adoptedDifferent', 'wouldCreate', 'wouldPark'];

/** The report as text: counts, totals per currency, and the orders that need a look. */
export function formatShadowReport(r: ShadowReport): string[] {
  const t = r.totals;
  const lines = [`Shadow mode, orders sold ${t.from} to ${t.to}: ${t.orders} order${t.orders === 1 ? '' : 's'}`];
  for (const k of ORDER) lines.push(`  ${String(t.counts[k]).padStart(6)}  ${SHADOW_VERDICT_TEXT[k]}`);
  for (const [cur, c] of Object.entries(t.byCurrency)) {
    lines.push(`${cur}: ${c.orders} order(s)`);
    for (const k of ORDER)
      if (c.byVerdict[k].orders > 0)
        lines.push(`  ${SHADOW_VERDICT_TEXT[k]}: ${c.byVerdict[k].orders}, ${c.byVerdict[k].gross} ${cur}`);
    if (c.adoptedNetsuite !== c.adoptedTwoCheckout)
      lines.push(
        `  adopted orders: NetSuite ${c.adoptedNetsuite} ${cur} against 2Checkout ${c.adoptedTwoCheckout} ${cur}`,
      );
  }
  const look = r.orders.filter((o) => o.verdict.kind !== 'adoptedEqual');
  if (look.length > 0) {
    lines.push('Orders that would change something:');
    for (const o of look) {
      const v = o.verdict;
      const what =
        v.kind === 'adoptedDifferent'
          ? `NetSuite ${v.netsuiteTotal ?? '?'} against 2Checkout ${v.gross} ${v.currency}`
          : v.kind === 'wouldPark'
            ? `would park: ${v.reason ?? '?'}`
            : `would create, ${v.gross} ${v.currency}`;
      lines.push(`  ${v.day}  ${o.refNo.padEnd(12)}  ${SHADOW_VERDICT_TEXT[v.kind].padEnd(50)}  ${what}`);
    }
    lines.push(
      "Each order's own page (Web UI, or the status page) has the full verdict: the bodies it would write, both figures of each difference.",
    );
  }
  return lines;
}
