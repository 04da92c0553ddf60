// The report tools: reconciliation_report (a day's completeness ledger, as `npm run reconcile`
// showed it) and payout_report (one payout explained, or all of them with their state, as
// `npm run payouts -- report|list`). Both only read what the workflows already recorded: they start
// no reconciliation or payout sync and write nothing. They need sync:read. Reports carry business
// data only (references, counts, amounts, accounts, NetSuite ids), never the shopper's fields, so
// without pii:read only free text (exception details, park messages, journal) is masked, in case it
// quotes a shopper's e-mail, phone, address or a quoted value (mcp/personal-data.ts).
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { formatLedger } from '../../operations/ledger-format.js';
import {
  listPayouts,
  noPayoutMessage,
  payoutListLines,
  payoutStateLines,
  readPayoutState,
} from '../../operations/payouts.js';
import { isCalendarDay, readReconciliation } from '../../operations/reconciliation-report.js';
import { workflowUrl } from '../../operations/web-ui.js';
import { maskTextIn } from '../personal-data.js';
import { hasScope, requireScope, SCOPES, type Principal } from '../scopes.js';
import { answer, callerOf, refusal, type PrincipalResolver, type ToolDeps } from './context.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

const Count = z.number().int();
const LedgerOutput = z.object({
  date: z.string(),
  state: z.enum(['complete', 'incomplete']),
  ordersIn2co: Count,
  ordersInNs: Count,
  counts: z.object({ matched: Count, healed: Count, mismatched: Count, pending: Count, void: Count }),
  byCurrency: z.record(
    z.string(),
    z.object({
      orders: Count,
      sales2co: z.string(),
      salesNs: z.string(),
      refunds: Count,
      refunded2co: z.string(),
      creditedNs: z.string(),
      chargebacksLost: Count,
    }),
  ),
  exceptions: z.array(
    z.object({ refNo: z.string(), reason: z.string(), detail: z.string(), workflowId: z.string(), url: z.string() }),
  ),
  calls: z.object({ netsuite: Count, twocheckout: Count }),
  finishedAt: z.string(),
});
const ReconciliationOutput = z.object({
  date: z.string(),
  reconciled: z.boolean().describe('false: no finished reconciliation of that day (see why)'),
  ledger: LedgerOutput.optional(),
  workflowId: z.string().optional().describe('The reconciliation run whose ledger this is (the latest finished one)'),
  url: z.string().optional(),
  runs: Count.optional().describe('Finished (non-dry) reconciliation runs of that day'),
  why: z.string().optional(),
  listUrl: z.string().optional(),
});

const Money = z.string();
const PayoutReportOutput = z.object({
  reference: z.string(),
  currency: z.string(),
  date: z.string(),
  amount: Money,
  expected: Money,
  residue: Money,
  byCurrency: z.array(
    z.object({
      currency: z.string(),
      rate: z.string(),
      orders: Count,
      gross: Money,
      refunds: Money,
      commission: Money,
      vatWithheld: Money,
      chargebackFees: Money,
      reserveHeld: Money,
      reserveReleased: Money,
      net: Money,
      netConverted: Money,
    }),
  ),
  lines: z.array(
    z.object({
      role: z.string(),
      account: z.string(),
      debit: Money.optional(),
      credit: Money.optional(),
      currency: z.string().optional(),
      memo: z.string(),
    }),
  ),
  fx: Money,
  variance: Money,
  record: z
    .object({ type: z.enum(['journalEntry', 'deposit']), id: z.string(), externalId: z.string(), created: z.boolean() })
    .optional(),
  note: z.string().optional(),
});
const PayoutStateOutput = z.object({
  reference: z.string(),
  phase: z.string(),
  syncStatus: z.string(),
  park: z
    .object({ step: z.string(), since: z.string(), reason: z.string(), message: z.string() })
    .passthrough()
    .optional(),
  waitingFor: z.array(z.string()),
  waitingSince: z.string().optional(),
  waitUntil: z.string().optional(),
  report: PayoutReportOutput.optional(),
  journal: z.array(z.object({ at: z.string(), what: z.string(), detail: z.string().optional() })),
  url: z.string(),
});
const PayoutListOutput = z.object({
  workflowId: z.string(),
  reference: z.string(),
  state: z.enum(['posted', 'waiting', 'parked', 'other']),
  label: z.string(),
  syncStatus: z.string().optional(),
  parkReason: z.string().optional(),
  executionStatus: z.string(),
  url: z.string(),
});
const PayoutOutput = z.object({
  payout: PayoutStateOutput.optional().describe('With a reference: that payout'),
  payouts: z.array(PayoutListOutput).optional().describe('Without one: every payout workflow and its state'),
  listUrl: z.string().optional(),
});

/** Reports hold no shopper fields; e-mail addresses in their free text need pii:read. */
const forReport = <T>(p: Principal, value: T): T => (hasScope(p, SCOPES.pii) ? value : maskTextIn(value));

export function registerReportTools(server: McpServer, deps: ToolDeps, principal: PrincipalResolver): void {
  const ui = { uiBase: deps.uiBase, namespace: deps.namespace };

  server.registerTool(
    'reconciliation_report',
    {
      title: "A day's completeness ledger (reconciliation report)",
      description:
        'What reconciliation found for one day (UTC): orders in 2Checkout and in NetSuite, matched / healed / mismatched / pending / void, sales and money back per currency on both sides, and every exception with its reason and order workflow link — the ledger `npm run reconcile` printed, from the latest finished run of that day. Says so when the day has not been reconciled yet. Starts nothing and writes nothing: to reconcile a day, run `npm run reconcile -- --date YYYY-MM-DD`.',
      inputSchema: z.object({
        date: z
          .string()
          .refine(isCalendarDay, 'must be a day written YYYY-MM-DD, e.g. 2026-03-14')
          .describe('The day, YYYY-MM-DD (UTC)'),
      }),
      outputSchema: ReconciliationOutput,
      annotations: READ_ONLY,
    },
    async ({ date }, ctx) => {
      const caller = callerOf(principal, ctx);
      requireScope(caller, SCOPES.read, 'reconciliation_report');
      const r = await readReconciliation(deps.client, date, ui);
      if (!r.found) {
        const out = { date, reconciled: false, why: r.why, listUrl: r.listUrl };
        return answer(
          `${r.why}. Nothing was started: reconcile it with npm run reconcile -- --date ${date}. Runs: ${r.listUrl}`,
          out,
        );
      }
      const ledger = {
        ...r.ledger,
        exceptions: r.ledger.exceptions.map((e) => ({ ...e, url: workflowUrl(ui.uiBase, ui.namespace, e.workflowId) })),
      };
      const out = forReport(caller, {
        date,
        reconciled: true,
        ledger,
        workflowId: r.workflowId,
        url: r.url,
        runs: r.runs,
      });
      const lines = [
        ...formatLedger(out.ledger, { base: ui.uiBase, namespace: ui.namespace }),
        '',
        `From ${out.workflowId} (${out.url})`,
      ];
      return answer(lines.join('\n'), out);
    },
  );

  server.registerTool(
    'payout_report',
    {
      title: 'Payout report, or the list of payouts',
      description:
        'With a 2Checkout payout reference: the payout explained as `npm run payouts -- report` shows it — bank amount, documents per currency, adjustment lines, FX, variance and the NetSuite journal entry or deposit, or what it waits for / why it parked. Without one: every payout workflow with its state (posted, waiting, parked), as `npm run payouts -- list`. Reads the payout workflows only; starts and writes nothing.',
      inputSchema: z.object({
        reference: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a 2Checkout payout reference such as NS000001')
          .optional()
          .describe('The payout reference; leave out for the list'),
        limit: z.number().int().min(1).max(500).default(100).describe('For the list: at most this many (default 100)'),
      }),
      outputSchema: PayoutOutput,
      annotations: READ_ONLY,
    },
    async ({ reference, limit }, ctx) => {
      const caller = callerOf(principal, ctx);
      requireScope(caller, SCOPES.read, 'payout_report');
      if (reference === undefined) {
        const list = await listPayouts(deps.client, ui, limit);
        const out = forReport(caller, { payouts: list.payouts, listUrl: list.listUrl });
        return answer(payoutListLines(list).join('\n'), out);
      }
      const state = await readPayoutState(deps.client, reference);
      if (!state) return refusal(noPayoutMessage(reference));
      const { waiting: _sameAsWaitingFor, ...rest } = state;
      const out = forReport(caller, {
        payout: { ...rest, url: workflowUrl(ui.uiBase, ui.namespace, `payout/${reference}`) },
      });
      return answer(payoutStateLines({ ...out.payout, waiting: out.payout.waitingFor }).join('\n'), out);
    },
  );
}
