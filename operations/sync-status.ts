// Everything one sync can tell an operator: its state (from the workflow's `syncState` query, or
// from its search attributes and memo when no worker answers), the NetSuite records it made with
// the amounts NetSuite reported when they were written, why it parked and what to do, the journal
// and the Web UI link. Read-only: a query and a history read, never a signal or an update.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import type { OrderEvent } from '../mappings/canonical.js';
import { EntityKind, LicenseCode, OrderRef, ParkReason, SyncStatus } from '../shared/search-attributes.js';
import { resolveWorkflowId } from './workflow-ref.js';
import { workflowUrl } from './web-ui.js';

export interface SyncRecord {
  /** NetSuite record type, e.g. salesOrder, invoice, customerPayment, creditMemo. */
  type: string;
  id: string;
  /** Amount as NetSuite reported it when the record was written by this run (absent otherwise). */
  amount?: string;
  currency?: string;
}

export interface SyncStatusReport {
  workflowId: string;
  runId: string;
  kind?: string;
  ref?: string;
  /** Temporal's view: RUNNING, COMPLETED, TERMINATED… */
  executionStatus: string;
  /** The sync's own status: InProgress, Synced, NeedsAttention… */
  syncStatus?: string;
  orderStatus?: string;
  records: SyncRecord[];
  park?: { step?: string; reason: string; message?: string; path?: string; since?: string };
  completedSteps: string[];
  skippedSteps: string[];
  waiting: string[];
  journal: Array<{ at: string; what: string; detail?: string }>;
  /** The latest 2Checkout order event this run received (for the amounts and a resync preview). */
  lastOrderEvent?: OrderEvent;
  /** Where the state came from: the live workflow, or only its search attributes and memo. */
  source: 'query' | 'attributes';
  url: string;
}

const JournalView = z.array(z.looseObject({ at: z.string(), what: z.string(), detail: z.string().optional() }));
const StateView = z.looseObject({
  syncStatus: z.string().optional(),
  orderStatus: z.string().optional(),
  park: z
    .looseObject({
      step: z.string(),
      reason: z.string(),
      message: z.string(),
      path: z.string().optional(),
      since: z.string().optional(),
    })
    .optional(),
  records: z.record(z.string(), z.unknown()).optional(),
  /** A subscription's records (the subscription workflow's own list). */
  netsuiteRecords: z.array(z.looseObject({ type: z.string(), id: z.string() })).optional(),
  completedSteps: z.array(z.string()).optional(),
  skippedSteps: z.array(z.string()).optional(),
  waiting: z.array(z.string()).optional(),
  journal: JournalView.optional(),
});

/** Activities whose results carry a NetSuite id and amount: the record they wrote. */
const AMOUNT_OF: Record<string, { type: string; id: string; amount: string }> = {
  upsertSalesOrder: { type: 'salesOrder', id: 'salesOrderId', amount: 'total' },
  createInvoice: { type: 'invoice', id: 'invoiceId', amount: 'total' },
  applyPayment: { type: 'customerPayment', id: 'paymentId', amount: 'amount' },
  postCashSale: { type: 'cashSale', id: 'cashSaleId', amount: 'total' },
};
const RECORD_KEYS: Record<string, string> = {
  customerId: 'customer',
  salesOrderId: 'salesOrder',
  invoiceId: 'invoice',
  paymentId: 'customerPayment',
  cashSaleId: 'cashSale',
};

export interface ReadOptions {
  uiBase: string;
  namespace: string;
  /** Budget for the syncState query (default 3 s): with no worker polling it would hang. */
  queryTimeoutMs?: number;
}

export async function readSyncStatus(client: Client, ref: string, opts: ReadOptions): Promise<SyncStatusReport> {
  const workflowId = await resolveWorkflowId(client, ref);
  const handle = client.workflow.getHandle(workflowId);
  const desc = await handle.describe();
  const history = await readHistory(client, workflowId, desc.runId);
  let state: z.infer<typeof StateView> | undefined;
  try {
    const raw = await client.connection.withDeadline(Date.now() + (opts.queryTimeoutMs ?? 3_000), () =>
      handle.query<unknown>('syncState'),
    );
    const parsed = StateView.safeParse(raw);
    if (parsed.success) state = parsed.data;
  } catch {
    // Closed long ago, or no worker: fall back to what Temporal stores itself.
  }
  const sa = desc.typedSearchAttributes;
  const currency = history.lastOrderEvent?.currency;
  const records = [
    ...recordsOf(state?.records ?? {}, history.amounts, currency),
    ...(state?.netsuiteRecords ?? []).map((r) => ({ type: r.type, id: r.id })),
  ];
  const report: SyncStatusReport = {
    workflowId,
    runId: desc.runId,
    ...opt('kind', sa.get(EntityKind)),
    ...opt('ref', sa.get(OrderRef) ?? sa.get(LicenseCode)),
    executionStatus: desc.status.name,
    ...opt('syncStatus', state?.syncStatus ?? sa.get(SyncStatus)),
    ...opt('orderStatus', state?.orderStatus),
    records,
    ...opt('park', state?.park ?? parkFromMemo(desc)),
    completedSteps: state?.completedSteps ?? [],
    skippedSteps: state?.skippedSteps ?? [],
    waiting: state?.waiting ?? [],
    journal: (state?.journal ?? []).map((j) => ({ at: j.at, what: j.what, ...opt('detail', j.detail) })),
    ...opt('lastOrderEvent', history.lastOrderEvent),
    source: state ? 'query' : 'attributes',
    url: workflowUrl(opts.uiBase, opts.namespace, workflowId),
  };
  return report;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parkFromMemo(desc: WorkflowExecutionDescription): SyncStatusReport['park'] {
  const reason = desc.typedSearchAttributes.get(ParkReason);
  if (!reason) return undefined;
  const memo = desc.memo ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    reason,
    ...opt('step', text(memo.parkStep)),
    ...opt('message', text(memo.parkMessage)),
    ...opt('path', text(memo.parkPath)),
  };
}

function recordsOf(
  records: Record<string, unknown>,
  amounts: Map<string, string>,
  currency: string | undefined,
): SyncRecord[] {
  const out: SyncRecord[] = [];
  for (const [key, type] of Object.entries(RECORD_KEYS)) {
    const id = records[key];
    if (typeof id !== 'string') continue;
    const amount = amounts.get(`${type}:${id}`);
    out.push({ type, id, ...(amount !== undefined ? { amount, ...opt('currency', currency) } : {}) });
  }
  const credits = z
    .record(
      z.string(),
      z.looseObject({ creditMemoId: z.string(), customerRefundId: z.string().optional(), amount: z.string() }),
    )
    .safeParse(records.creditMemos ?? {});
  if (credits.success) {
    for (const c of Object.values(credits.data)) {
      out.push({ type: 'creditMemo', id: c.creditMemoId, amount: c.amount, ...opt('currency', currency) });
      if (c.customerRefundId)
        out.push({ type: 'customerRefund', id: c.customerRefundId, amount: c.amount, ...opt('currency', currency) });
    }
  }
  return out;
}

interface HistoryFacts {
  /** `${type}:${id}` → amount, from the results of the activities that wrote the records. */
  amounts: Map<string, string>;
  lastOrderEvent?: OrderEvent;
}

/** Reads the run's history once: activity results (amounts) and the order events it received. */
async function readHistory(client: Client, workflowId: string, runId: string): Promise<HistoryFacts> {
  const facts: HistoryFacts = { amounts: new Map() };
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const scheduled = new Map<string, string>();
  const decode = async (payloads: Payload[] | null | undefined): Promise<unknown> => {
    if (!payloads?.length) return undefined;
    let p = payloads;
    const conv = client.options.loadedDataConverter;
    for (const codec of [...conv.payloadCodecs].reverse()) p = await codec.decode(p);
    return conv.payloadConverter.fromPayload(p[0]!);
  };
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name && e.eventId) scheduled.set(String(e.eventId), s.activityType.name);
    const c = e.activityTaskCompletedEventAttributes;
    if (c) {
      const shape = AMOUNT_OF[scheduled.get(String(c.scheduledEventId)) ?? ''];
      if (!shape) continue;
      try {
        const result = (await decode(c.result?.payloads)) as Record<string, unknown> | undefined;
        const id = result?.[shape.id];
        const amount = result?.[shape.amount];
        if (typeof id === 'string' && typeof amount === 'string') facts.amounts.set(`${shape.type}:${id}`, amount);
      } catch {
        // An encrypted result this process has no key for: the record is listed without its amount.
      }
    }
    const sig = e.workflowExecutionSignaledEventAttributes;
    if (sig?.signalName === 'orderEvent') {
      try {
        const ev = (await decode(sig.input?.payloads)) as OrderEvent | undefined;
        if (ev?.kind === 'order') facts.lastOrderEvent = ev;
      } catch {
        // As above.
      }
    }
  }
  return facts;
}
