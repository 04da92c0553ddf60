// Completeness activities over the injected 2Checkout API client, NetSuite client and the shared
// hand-over to order workflows. Reconciliation and backfill read both systems here; the only path
// by which they change the books is handing events to `order/<REFNO>` workflows (the same
// signal-with-start the gateway uses). The one NetSuite write here is the ledger's own custom
// record, which is a report and carries no accounting.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { PostingMode } from '../mappings/sync-types.js';
import type { CompletenessActivities, SweepPageResult, WouldPost } from '../workflows/completeness-contract.js';
import { compareOrder, type NsTransaction, type OrderComparison } from '../mappings/completeness.js';
import { apiOrderToEvents } from '../mappings/from-2checkout-api.js';
import { EXTERNAL_ID_PREFIX, externalIds } from '../mappings/ids.js';
import { orderWorkflowId } from '../workflows/messages.js';
import type { SuiteQlRow } from '../netsuite/types.js';
import { day as suiteqlDay, joinSql, suiteql } from '../netsuite/suiteql.js';
import type { SyncHandover } from '../workflows/handover.js';
import { TwoCheckoutApiError, type TwoCheckoutApiClient } from '../twocheckout/rest/index.js';
import type { ApiOrder } from '../twocheckout/rest/orders.js';
import { ledgerRecordBody, type LedgerSink } from './completeness-ledger.js';
import { callOptions, temporalActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import type { MappingProvider } from '../mappings/config-schema.js';
import { ADOPTION_RECORD } from '../mappings/custom-objects.js';
import { ident } from '../netsuite/suiteql.js';

/** Served on their own task queue (worker/completeness.ts): the NetSuite client and logger of the other activities, plus the 2Checkout API and the hand-over. */
export interface CompletenessActivityDeps extends Pick<NetSuiteActivityDeps, 'netsuite' | 'logger'> {
  twocheckout: TwoCheckoutApiClient;
  handover: SyncHandover;
  postingMode: PostingMode;
  /** Orders per page of GET /orders/. */
  pageLimit: number;
  /** Whether 2Checkout test orders are part of the books (SYNC_TEST_ORDERS). */
  includeTestOrders: boolean;
  /** NetSuite custom record type of the ledger, or undefined to keep it only in Temporal and metrics. */
  ledgerRecordType?: string;
  ledgerSink?: LedgerSink;
  /** The mapping file: with adoption on, records the sync adopted (linked by customrecord_2co_adoption) count as the order's. */
  mappings?: MappingProvider;
  /** Orders are in shadow mode (SYNC_MODE): write no ledger record, report no mismatch to the order workflows. */
  shadow?: boolean;
}

/** Orders per SuiteQL query (each order adds six parameters). */
const NS_CHUNK = 50;

const text = (v: SuiteQlRow[string]): string => (v === null || v === undefined ? '' : String(v));

/** 2Checkout failures a retry cannot fix stop the run with 2Checkout's own explanation. */
async function api<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TwoCheckoutApiError && !e.retryable)
      throw ApplicationFailure.create({ message: e.message, type: 'TwoCheckoutApiError', nonRetryable: true });
    throw e;
  }
}

export function createCompletenessActivities(deps: CompletenessActivityDeps): CompletenessActivities {
  const logger = deps.logger ?? temporalActivityLogger;
  const ns = deps.netsuite;

  async function netsuiteRecords(
    refNos: readonly string[],
  ): Promise<{ byRef: Map<string, NsTransaction[]>; calls: number }> {
    const byRef = new Map<string, NsTransaction[]>(refNos.map((r) => [r, []]));
    let calls = 0;
    for (let i = 0; i < refNos.length; i += NS_CHUNK) {
      const chunk = refNos.slice(i, i + NS_CHUNK);
      const exact = chunk.flatMap((r) => [
        externalIds.salesOrder(r),
        externalIds.invoice(r),
        externalIds.customerPayment(r),
        externalIds.cashSale(r),
      ]);
      const like = chunk.map((r) => `${externalIds.creditMemo(r, 'x').slice(0, -1)}%`);
      const likes = joinSql(
        like.map((pattern) => suiteql`t.externalid LIKE ${pattern}`),
        ' OR ',
      );
      // Records another tool made and the sync adopted without giving them its externalId: their link
      // record carries it (activities/adoption.ts).
      const adoption = deps.mappings?.current().adoption.enabled ?? false;
      const link = ADOPTION_RECORD.fields.transaction.scriptId;
      const q = adoption
        ? suiteql`SELECT t.externalid, t.recordtype, t.foreigntotal, t.trandate, c.symbol AS currency, a.externalid AS linkedas FROM transaction t LEFT JOIN currency c ON c.id = t.currency LEFT JOIN ${ident(ADOPTION_RECORD.scriptId)} a ON a.${ident(link)} = t.id WHERE t.externalid IN (${exact}) OR ${likes} OR a.externalid IN (${exact})`
        : suiteql`SELECT t.externalid, t.recordtype, t.foreigntotal, t.trandate, c.symbol AS currency FROM transaction t LEFT JOIN currency c ON c.id = t.currency WHERE t.externalid IN (${exact}) OR ${likes}`;
      calls++;
      const rows = await ns.suiteqlAll(q, callOptions('bulk'));
      for (const row of rows) {
        const linked = text(row.linkedas);
        const tx: NsTransaction = {
          externalId:
            linked && exact.includes(linked) && !exact.includes(text(row.externalid)) ? linked : text(row.externalid),
          recordType: text(row.recordtype).toLowerCase(),
          ...(text(row.foreigntotal) ? { total: text(row.foreigntotal) } : {}),
          ...(text(row.currency) ? { currency: text(row.currency) } : {}),
          ...(text(row.trandate) ? { tranDate: text(row.trandate) } : {}),
        };
        // Longest match first: refNo "12" must not take "2co-so-123".
        const owner = chunk
          .filter((r) => tx.externalId.endsWith(`-${r}`) || tx.externalId.includes(`-${r}-`))
          .sort((a, b) => b.length - a.length)[0];
        if (owner) byRef.get(owner)!.push(tx);
      }
    }
    return { byRef, calls };
  }

  async function handle(
    order: ApiOrder,
    cmp: OrderComparison,
    input: { mode: 'backfill' | 'reconcile'; dryRun: boolean; day: string; postMissing?: boolean },
    out: SweepPageResult,
  ): Promise<void> {
    if (cmp.verdict === 'mismatched') {
      out.mismatched.push(order.RefNo);
      if (!input.dryRun && !deps.shadow)
        await deps.handover.reportMismatch(order.RefNo, { date: input.day, findings: cmp.findings });
      return;
    }
    if (cmp.verdict !== 'missing') return;
    let events;
    try {
      events = apiOrderToEvents(order, input.mode);
    } catch (e) {
      out.unmappable.push({ refNo: order.RefNo, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (input.dryRun) {
      const w: WouldPost = {
        refNo: order.RefNo,
        status: order.Status,
        currency: order.Currency,
        gross: order.GrossPrice,
        missing: cmp.missing,
        events: events.map(
          (e) => `${e.status}${e.chargeback ? ` chargeback ${e.chargeback.resolution}` : ''} ${e.totals.general}`,
        ),
      };
      out.wouldPost.push(w);
      return;
    }
    // Asked for before its events, so the order's first run already may post it.
    if (input.postMissing)
      await deps.handover.permitBeforeCutover(order.RefNo, {
        reason: 'npm run backfill -- --post-missing',
        by: 'backfill',
      });
    for (const e of events) await deps.handover.deliverOrderEvent(e, input.mode);
    out.delivered.push(order.RefNo);
  }

  return {
    async sweepPage(input) {
      const page = await api(() =>
        deps.twocheckout.searchOrders({
          StartDate: input.day,
          EndDate: input.day,
          IncludeTestOrders: deps.includeTestOrders ? 'YES' : 'NO',
          Page: input.page,
          Limit: deps.pageLimit,
        }),
      );
      const orders = page.orders;
      const { byRef, calls } = await netsuiteRecords(orders.map((o) => o.RefNo));
      const out: SweepPageResult = {
        day: input.day,
        page: input.page,
        hasMore: page.hasMore,
        ...(page.count !== undefined ? { count: page.count } : {}),
        comparisons: [],
        delivered: [],
        mismatched: [],
        unmappable: [],
        wouldPost: [],
        calls: { netsuite: calls, twocheckout: 1 },
      };
      for (const order of orders) {
        const cmp = compareOrder(order, byRef.get(order.RefNo) ?? [], deps.postingMode);
        out.comparisons.push(cmp);
        await handle(order, cmp, input, out);
        Context.current().heartbeat({ refNo: order.RefNo });
      }
      logger.info(
        {
          day: input.day,
          page: input.page,
          orders: orders.length,
          delivered: out.delivered.length,
          mismatched: out.mismatched.length,
          mode: input.mode,
          dryRun: input.dryRun,
        },
        'completeness page swept',
      );
      return out;
    },

    async netsuiteOnlyOrders({ day, known }) {
      const q = suiteql`SELECT t.externalid FROM transaction t WHERE (t.externalid LIKE ${`${EXTERNAL_ID_PREFIX}-so-%`} OR t.externalid LIKE ${`${EXTERNAL_ID_PREFIX}-cs-%`}) AND t.trandate = ${suiteqlDay(day)}`;
      const rows = await ns.suiteqlAll(q, { priority: 'bulk' });
      const knownSet = new Set(known);
      const refNos = rows
        .map((r) => text(r.externalid).replace(new RegExp(`^${EXTERNAL_ID_PREFIX}-(so|cs)-`), ''))
        .filter((r) => r && !knownSet.has(r));
      return { refNos: [...new Set(refNos)].sort(), calls: 1 };
    },

    async verifyOrders({ refNos }) {
      const orders: ApiOrder[] = [];
      for (const r of refNos) {
        const o = await api(() => deps.twocheckout.getOrder(r));
        if (o) orders.push(o);
      }
      const { byRef, calls } = await netsuiteRecords(orders.map((o) => o.RefNo));
      return {
        comparisons: orders.map((o) => compareOrder(o, byRef.get(o.RefNo) ?? [], deps.postingMode)),
        calls: { netsuite: calls, twocheckout: refNos.length },
      };
    },

    async settleOrders({ refNos, timeoutMs }) {
      const client = deps.handover.client;
      const deadline = Date.now() + timeoutMs;
      let last = { synced: [] as string[], parked: [] as string[], pending: [...refNos] };
      while (refNos.length > 0) {
        const status = new Map<string, string>();
        const started = new Map<string, number>();
        for (let i = 0; i < refNos.length; i += 100) {
          const ids = refNos.slice(i, i + 100).map((r) => `'${orderWorkflowId(r).replace(/'/g, '')}'`);
          for await (const wf of client.workflow.list({ query: `WorkflowId IN (${ids.join(', ')})` })) {
            // An order may have several runs (an earlier one closed, e.g. a shadow run): the newest tells.
            if ((started.get(wf.workflowId) ?? -1) > wf.startTime.getTime()) continue;
            const s = wf.searchAttributes?.SyncStatus;
            if (Array.isArray(s) && typeof s[0] === 'string') {
              status.set(wf.workflowId, s[0]);
              started.set(wf.workflowId, wf.startTime.getTime());
            }
          }
        }
        const of = (r: string) => status.get(orderWorkflowId(r));
        last = {
          synced: refNos.filter((r) => ['Synced', 'Closed', 'Skipped', 'Ignored'].includes(of(r) ?? '')),
          parked: refNos.filter((r) => of(r) === 'NeedsAttention'),
          pending: refNos.filter(
            (r) => !['Synced', 'Closed', 'Skipped', 'Ignored', 'NeedsAttention'].includes(of(r) ?? ''),
          ),
        };
        Context.current().heartbeat(last.pending.length);
        if (last.pending.length === 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      return last;
    },

    async recordLedger({ ledger }) {
      deps.ledgerSink?.record(ledger);
      if (!deps.ledgerRecordType || deps.shadow) return { calls: 0 };
      const { id } = await ns.upsert(
        deps.ledgerRecordType,
        `${EXTERNAL_ID_PREFIX}-ledger-${ledger.date}`,
        ledgerRecordBody(ledger),
        { priority: 'bulk' },
      );
      return { recordId: id, calls: 1 };
    },
  };
}
