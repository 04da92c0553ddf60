// The read-only tools: sync_status, list_stuck, preview_order. They need sync:read; personal data
// is shown only with pii:read.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { previewOrder, readOrderEvent } from '../../mappings/preview.js';
import { suggestedFix } from '../../mappings/park-reasons.js';
import { findStuckSyncs, stuckFilters, stuckQuery } from '../../operations/stuck-syncs.js';
import { readSyncStatus, type SyncStatusReport } from '../../operations/sync-status.js';
import { workflowListUrl } from '../../operations/web-ui.js';
import { UnknownWorkflowError } from '../../operations/workflow-ref.js';
import { personalCustomFields } from '../personal-data.js';
import { requireScope, SCOPES } from '../scopes.js';
import { answer, callerOf, forCaller, refusal, type PrincipalResolver, type ToolDeps } from './context.js';
import { SyncRef, SyncStatusOutput, syncStatusText, toSyncStatusOutput } from './sync-status-view.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

const StuckSyncOutput = z.object({
  workflowId: z.string(),
  kind: z.string().optional(),
  ref: z.string().optional(),
  syncStatus: z.string().optional(),
  reason: z.string().optional(),
  step: z.string().optional(),
  message: z.string().optional(),
  path: z.string().optional(),
  suggestedFix: z.string().optional(),
  startTime: z.string(),
  lastSyncAt: z.string().optional(),
  url: z.string(),
});
const ListStuckOutput = z.object({
  query: z.string(),
  listUrl: z.string(),
  count: z.number().int(),
  syncs: z.array(StuckSyncOutput),
});

const RecordPreviewOutput = z.object({
  recordType: z.string(),
  method: z.string(),
  externalId: z.string(),
  body: z.record(z.string(), z.unknown()),
});
const PreviewOutput = z.object({
  refNo: z.string(),
  orderStatus: z.string(),
  currency: z.string(),
  paid: z.string(),
  postingMode: z.enum(['salesOrder', 'cashSale']),
  records: z.array(RecordPreviewOutput),
  wouldPark: z
    .object({
      reason: z.string(),
      message: z.string(),
      path: z.string().optional(),
      failureType: z.string(),
      suggestedFix: z.string().optional(),
    })
    .optional(),
  refund: z
    .object({
      amount: z.string(),
      currency: z.string(),
      lines: z.array(z.object({ item: z.string(), description: z.string().optional(), amount: z.string() })),
    })
    .optional(),
});

export function registerReadTools(server: McpServer, deps: ToolDeps, principal: PrincipalResolver): void {
  server.registerTool(
    'sync_status',
    {
      title: 'Sync status of one order or subscription',
      description:
        'Where is this 2Checkout order (REFNO) or subscription (licence code)? Returns its sync state, the NetSuite records it made with ids and amounts, why it parked and how to fix it, its journal (every step and operator decision, with who and why) and a Temporal Web UI link.',
      inputSchema: z.object({ ref: SyncRef }),
      outputSchema: SyncStatusOutput,
      annotations: READ_ONLY,
    },
    async ({ ref }, ctx) => {
      const caller = callerOf(principal, ctx);
      requireScope(caller, SCOPES.read, 'sync_status');
      let report: SyncStatusReport;
      try {
        report = await readSyncStatus(deps.client, ref, { uiBase: deps.uiBase, namespace: deps.namespace });
      } catch (err) {
        if (err instanceof UnknownWorkflowError)
          return refusal(
            `${err.message}: 2Checkout has not notified this service of it yet, or it is older than Temporal's retention`,
          );
        throw err;
      }
      const out = forCaller(caller, toSyncStatusOutput(report), undefined, report.lastOrderEvent);
      return answer(syncStatusText(out), out);
    },
  );

  server.registerTool(
    'list_stuck',
    {
      title: 'List stuck syncs',
      description:
        'Syncs that need a person: parked ones (optionally for one reason code or kind), or with inProgressOver ones still in progress after that long (e.g. "1h"). The same filters as `npm run stuck`. Each comes with the reason, the explanation, a suggested fix and a Web UI link.',
      inputSchema: z.object({
        reason: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a park reason code such as UNMAPPED_PRODUCT')
          .optional()
          .describe('Only syncs parked for this reason, e.g. UNMAPPED_PRODUCT, NETSUITE_USER_ERROR, RENEWAL_MISSED'),
        kind: z.enum(['order', 'subscription']).optional().describe('Only orders or only subscriptions'),
        inProgressOver: z
          .string()
          .regex(/^\d+(\.\d+)?\s*[smhd]$/, 'must be a duration such as 30m, 1h or 2d')
          .optional()
          .describe('Instead of parked syncs: running syncs still InProgress that started longer ago than this'),
        limit: z.number().int().min(1).max(500).default(50).describe('At most this many (default 50)'),
      }),
      outputSchema: ListStuckOutput,
      annotations: READ_ONLY,
    },
    async (args, ctx) => {
      const caller = callerOf(principal, ctx);
      requireScope(caller, SCOPES.read, 'list_stuck');
      let filters;
      try {
        filters = stuckFilters({ ...pick(args, 'reason', 'kind', 'inProgressOver') });
      } catch (err) {
        return refusal((err as Error).message);
      }
      const query = stuckQuery(filters);
      const list = await findStuckSyncs(deps.client, filters, {
        uiBase: deps.uiBase,
        namespace: deps.namespace,
        limit: args.limit,
      });
      // The query and its link are the server's own strings (quoted codes): not masked.
      const out = {
        query,
        listUrl: workflowListUrl(deps.uiBase, deps.namespace, query),
        ...forCaller(caller, {
          count: list.length,
          syncs: list.map((s) => ({
            workflowId: s.workflowId,
            ...pick(s, 'kind', 'ref', 'syncStatus', 'reason', 'step', 'message', 'path'),
            ...(suggestedFix(s.reason) ? { suggestedFix: suggestedFix(s.reason)! } : {}),
            startTime: s.startTime.toISOString(),
            ...(s.lastSyncAt ? { lastSyncAt: s.lastSyncAt.toISOString() } : {}),
            url: s.url,
          })),
        }),
      };
      const what = filters.mode === 'parked' ? 'parked' : 'in progress for too long';
      const lines = [
        out.count === 0
          ? `Nothing ${what}.`
          : `${out.count} ${out.count === 1 ? 'sync' : 'syncs'} ${what} (Web UI: ${out.listUrl}):`,
      ];
      for (const s of out.syncs) {
        lines.push(
          `- ${s.workflowId}${s.reason ? ` ${s.reason}` : ` ${s.syncStatus ?? ''}`}${s.step ? ` at ${s.step}` : ''}: ${s.message ?? 'no explanation recorded'}${s.path ? ` (${s.path})` : ''}`,
        );
        if (s.suggestedFix) lines.push(`  fix: ${s.suggestedFix}`);
      }
      return answer(lines.join('\n'), out);
    },
  );

  server.registerTool(
    'preview_order',
    {
      title: 'Preview the NetSuite records of a 2Checkout order',
      description:
        'Give a raw 2Checkout IPN body (form-urlencoded, as 2Checkout posts it) or a canonical order event as JSON: returns the NetSuite records the sync would post (customer, sales order or cash sale, invoice, payment) with their bodies, or why it would park. Uses the current mapping file. Writes nothing anywhere.',
      inputSchema: z.object({
        ipn: z
          .string()
          .min(1, 'must be the IPN body (form-urlencoded) or an order event as JSON')
          .max(200_000)
          .describe('The IPN body or order-event JSON'),
        postingMode: z
          .enum(['salesOrder', 'cashSale'])
          .default('salesOrder')
          .describe('salesOrder (sales order → invoice → payment) or cashSale'),
        sale: z
          .string()
          .max(200_000)
          .optional()
          .describe('For a refund: the IPN of the sale it refunds, to see the credit memo'),
      }),
      outputSchema: PreviewOutput,
      annotations: READ_ONLY,
    },
    async (args, ctx) => {
      const caller = callerOf(principal, ctx);
      requireScope(caller, SCOPES.read, 'preview_order');
      let order, sale;
      try {
        order = readOrderEvent(args.ipn);
        sale = args.sale ? readOrderEvent(args.sale) : undefined;
      } catch (err) {
        return refusal(`The IPN cannot be read: ${(err as Error).message}`);
      }
      const mappings = deps.mappings();
      const p = previewOrder(order, mappings, { postingMode: args.postingMode, ...(sale ? { sale } : {}) });
      const out = forCaller(
        caller,
        plainJson({
          refNo: order.refNo,
          orderStatus: order.status,
          currency: order.currency,
          paid: order.totals.general,
          postingMode: p.postingMode,
          records: p.records,
          ...(p.park
            ? {
                wouldPark: {
                  ...p.park,
                  ...(suggestedFix(p.park.reason) ? { suggestedFix: suggestedFix(p.park.reason)! } : {}),
                },
              }
            : {}),
          ...(p.refund
            ? {
                refund: {
                  amount: p.refund.amount,
                  currency: p.refund.currency,
                  lines: p.refund.lines.map((l) => ({
                    item: l.item.id,
                    ...(l.description ? { description: l.description } : {}),
                    amount: l.amount.toFixed(p.refund!.exponent),
                  })),
                },
              }
            : {}),
        }),
        personalCustomFields(mappings),
        order,
        sale,
      );
      const lines = [
        `2Checkout order ${out.refNo} (${out.orderStatus}), ${out.paid} ${out.currency}, posting mode ${out.postingMode}. Nothing was written.`,
      ];
      if (out.wouldPark)
        lines.push(
          `It would PARK (${out.wouldPark.reason}${out.wouldPark.path ? ` at ${out.wouldPark.path}` : ''}): ${out.wouldPark.message}`,
          ...(out.wouldPark.suggestedFix ? [`Fix: ${out.wouldPark.suggestedFix}`] : []),
        );
      for (const r of out.records) lines.push(`- ${r.recordType} ${r.externalId}: ${r.method}`);
      if (out.refund)
        lines.push(
          `Credit memo for ${out.refund.amount} ${out.refund.currency} over ${out.refund.lines.length} line(s).`,
        );
      return answer(lines.join('\n'), out);
    },
  );
}

function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): { [P in K]?: NonNullable<T[P]> } {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out as { [P in K]?: NonNullable<T[P]> };
}

/** Bigints (amounts in minor units) become strings, as JSON has no bigints. */
function plainJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))) as T;
}
