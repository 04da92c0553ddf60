// One sync's page: its state (the workflow's `syncState` query) and its records as finance knows
// them — document numbers (SO1005, INV1005…), dates and amounts from NetSuite, each linked into the
// NetSuite UI. Without NetSuite access the page falls back to the internal ids and the amounts the
// workflow's history holds (operations/sync-status.ts). Read-only.
import { readOrderDocuments } from '../operations/netsuite-books.js';
import { readSyncStatus } from '../operations/sync-status.js';
import { readSyncDetail, type SyncDetail } from './books-status.js';
import type { StatusSources } from './finance-overview.js';
import { netsuiteRecordUrl } from './netsuite-ui.js';

export interface RecordRow {
  type: string;
  /** What finance calls it: Sales order, Invoice… */
  label: string;
  id: string;
  /** The document number (tranId), when NetSuite was read and has one. */
  number?: string;
  date?: string;
  amount?: string;
  currency?: string;
  /** The record's page in the NetSuite UI. */
  href?: string;
}

export interface SyncPage {
  detail: SyncDetail;
  records: RecordRow[];
  /** Where the records come from: NetSuite, the workflow's own list (a subscription), or its history (`why` NetSuite was not read). */
  recordsSource: { from: 'netsuite' } | { from: 'workflow' } | { from: 'history'; why: string };
}

const LABELS: Record<string, string> = {
  customer: 'Customer',
  salesOrder: 'Sales order',
  invoice: 'Invoice',
  customerPayment: 'Payment',
  cashSale: 'Cash sale',
  creditMemo: 'Credit memo',
  customerRefund: 'Customer refund',
  cashRefund: 'Cash refund',
};
const labelOf = (type: string) =>
  LABELS[type] ??
  (/subscription/.test(type)
    ? 'Subscription record'
    : type.startsWith('customrecord')
      ? `Custom record (${type})`
      : type);

export async function readSyncPage(src: StatusSources, workflowId: string): Promise<SyncPage> {
  const detail = await readSyncDetail(src.client, workflowId);
  const link = (type: string, id: string) =>
    src.netsuiteUiUrl ? netsuiteRecordUrl(src.netsuiteUiUrl, { type, id }) : undefined;
  const row = (r: Omit<RecordRow, 'label' | 'href'>): RecordRow => {
    const href = link(r.type, r.id);
    return { ...r, label: labelOf(r.type), ...(href ? { href } : {}) };
  };
  // An order keeps its customer with its records, a subscription with the customer it follows.
  const subscriber = (detail as { customer?: { netsuiteId?: unknown } }).customer?.netsuiteId;
  const customerId =
    typeof detail.records?.customerId === 'string'
      ? detail.records.customerId
      : typeof subscriber === 'string'
        ? subscriber
        : undefined;
  const customer = customerId ? [row({ type: 'customer', id: customerId })] : [];
  const own = (detail.netsuiteRecords ?? []).flatMap((r) => {
    const { type, id } = r as { type?: unknown; id?: unknown };
    return typeof type === 'string' && typeof id === 'string' ? [row({ type, id })] : [];
  });
  const refNo = detail.refNo ?? (workflowId.startsWith('order/') ? workflowId.slice('order/'.length) : undefined);
  if (!refNo) return { detail, records: [...customer, ...own], recordsSource: { from: 'workflow' } };
  let why = 'the status page has no NetSuite access';
  if (src.netsuite) {
    try {
      const docs = await readOrderDocuments(src.netsuite, refNo);
      const records = docs.map((d) =>
        row({
          type: d.type,
          id: d.id,
          ...(d.tranId ? { number: d.tranId } : {}),
          ...(d.date ? { date: d.date } : {}),
          ...(d.amount ? { amount: d.amount } : {}),
          ...(d.currency ? { currency: d.currency } : {}),
        }),
      );
      return { detail, records: [...customer, ...records, ...own], recordsSource: { from: 'netsuite' } };
    } catch (err) {
      why = `NetSuite could not be read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    }
  }
  // Ids and the amounts NetSuite reported when the sync wrote them, from the workflow's history.
  const report = await readSyncStatus(src.client, workflowId, { uiBase: src.uiBase, namespace: src.namespace });
  const records = report.records.map((r) =>
    row({
      type: r.type,
      id: r.id,
      ...(r.amount ? { amount: r.amount } : {}),
      ...(r.currency ? { currency: r.currency } : {}),
    }),
  );
  return { detail, records, recordsSource: { from: 'history', why } };
}
