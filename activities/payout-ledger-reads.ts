// What NetSuite's ledger holds for a payout, read by SuiteQL and REST: each covered payment, cash
// sale and refund with the account its main accounting line sits in and its base-currency value
// (TransactionAccountingLine joined to its TransactionLine, the shape public GL-impact queries use),
// the lines of other payout entries that relieved it (their memo starts with its externalId,
// mappings/payout-entry.ts), and the records already posted for a payout (its entry and revisions)
// with their lines. Values are written into the SuiteQL text by netsuite/suiteql.ts (SuiteQL over
// REST has no bound parameters). Column semantics beyond the sandbox (multi-book accounts, the payment status
// letters) are UNCONFIRMED: docs/payouts.md.
import { externalIds } from '../mappings/ids.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import { coveredOrders, type PayoutContent } from '../mappings/payout-amounts.js';
import { cashRefundPrefix, documentOf, refundPrefix, type LedgerDocument } from '../mappings/payout-ledger.js';
import { documentOfMemo } from '../mappings/payout-entry.js';
import type { NetSuiteClient, SuiteQlRow } from '../netsuite/types.js';
import { joinSql, suiteql } from '../netsuite/suiteql.js';
import { callOptions } from './activity-context.js';

const CHUNK = 40;

/** The payout entry a line belongs to: its externalId without a `-rev-<n>` suffix (a revision nets with its entry). */
export const entryFamily = (externalId: string): string => externalId.replace(/-rev-\d+$/, '');

/** CustPymt "Deposited" as SuiteQL's status letter (saved-search code CustPymt:C; UNCONFIRMED for REST SuiteQL). */
const DEPOSITED = 'C';

/**
 * The covered documents as the ledger shows them. `ownEntry` says which payout entries are this
 * payout's own (their relief is not "relieved before").
 */
export async function readCoveredLedger(
  ns: NetSuiteClient,
  content: PayoutContent,
  config: MappingConfig,
  ownEntry: (family: string) => boolean,
): Promise<LedgerDocument[]> {
  const { sales, refunds } = coveredOrders(content);
  const refs = [...new Set([...sales, ...refunds.keys()])];
  const currencyCode = new Map(Object.entries(config.currencies).map(([code, c]) => [c.id, code]));
  const docs: LedgerDocument[] = [];
  for (let i = 0; i < refs.length; i += CHUNK) {
    const chunk = refs.slice(i, i + CHUNK);
    const ids = chunk.flatMap((r) => [externalIds.customerPayment(r), externalIds.cashSale(r)]);
    const like = chunk.flatMap((r) => [
      suiteql`t.externalid LIKE ${`${refundPrefix(r)}%`}`,
      suiteql`t.externalid LIKE ${`${cashRefundPrefix(r)}%`}`,
    ]);
    const rows: SuiteQlRow[] = await ns.suiteqlAll(
      suiteql`SELECT t.id, t.externalid, t.type, t.tranid, t.currency, t.subsidiary, t.status, t.foreigntotal, tal.account, tal.amount FROM transaction t JOIN transactionline tl ON tl.transaction = t.id AND tl.mainline = 'T' JOIN transactionaccountingline tal ON tal.transaction = tl.transaction AND tal.transactionline = tl.id WHERE tal.posting = 'T' AND t.type IN ('CustPymt', 'CashSale', 'CustRfnd', 'CashRfnd') AND (t.externalid IN (${ids}) OR ${joinSql(like, ' OR ')})`,
      callOptions('money'),
    );
    for (const row of rows) {
      const externalId = String(row.externalid ?? '');
      const owner = documentOf(externalId, chunk);
      if (!owner) continue;
      docs.push({
        ...owner,
        externalId,
        id: String(row.id),
        ...(row.tranid ? { tranId: String(row.tranid) } : {}),
        type: String(row.type ?? ''),
        account: String(row.account ?? ''),
        currency: currencyCode.get(String(row.currency ?? '')) ?? `#${String(row.currency)}`,
        ...(row.subsidiary ? { subsidiary: String(row.subsidiary) } : {}),
        amount: positive(row.foreigntotal),
        base: positive(row.amount),
        ...(row.status === DEPOSITED ? { deposited: true } : {}),
      });
    }
  }
  await markRelieved(ns, docs, ownEntry);
  return docs;
}

/** Sets `relievedBy`: the payout entries (other than our own) whose lines relieve each document, net of revisions. */
async function markRelieved(
  ns: NetSuiteClient,
  docs: LedgerDocument[],
  ownEntry: (family: string) => boolean,
): Promise<void> {
  const byId = new Map(docs.map((d) => [d.externalId, d]));
  const eids = [...byId.keys()];
  const net = new Map<string, Map<string, number>>();
  for (let i = 0; i < eids.length; i += CHUNK) {
    const chunk = eids.slice(i, i + CHUNK);
    const memoLike = joinSql(
      chunk.map((e) => suiteql`tl.memo LIKE ${`${e} %`}`),
      ' OR ',
    );
    const rows = await ns.suiteqlAll(
      suiteql`SELECT t.externalid, tl.memo, tal.amount FROM transaction t JOIN transactionline tl ON tl.transaction = t.id JOIN transactionaccountingline tal ON tal.transaction = tl.transaction AND tal.transactionline = tl.id WHERE t.externalid LIKE ${`${externalIds.payout('x').slice(0, -1)}%`} AND (${memoLike})`,
      callOptions('money'),
    );
    for (const row of rows) {
      const doc = documentOfMemo(String(row.memo ?? ''));
      if (!doc || !byId.has(doc)) continue;
      const family = entryFamily(String(row.externalid ?? ''));
      if (ownEntry(family)) continue;
      const m = net.get(doc) ?? new Map<string, number>();
      m.set(family, (m.get(family) ?? 0) + Number(row.amount ?? 0));
      net.set(doc, m);
    }
  }
  for (const [doc, m] of net) {
    const by = [...m].filter(([, amount]) => Math.abs(amount) >= 0.005).map(([family]) => family);
    if (by.length) byId.get(doc)!.relievedBy = by;
  }
}

function positive(v: unknown): string {
  const s = String(v ?? '0').trim();
  return s.startsWith('-') ? s.slice(1) : s;
}

/** One NetSuite record of a payout (its entry, a transfer's entry or a revision), with its sublists. */
export interface PostedPayoutRecord {
  type: 'journalEntry' | 'deposit';
  id: string;
  externalId: string;
  body: Record<string, unknown>;
}

async function readWithLines(
  ns: NetSuiteClient,
  type: 'journalEntry' | 'deposit',
  externalId: string,
): Promise<PostedPayoutRecord | undefined> {
  const body = await ns.get(type, `eid:${externalId}`, { ...callOptions('money'), expandSubResources: true });
  if (!body) return undefined;
  return { type, id: String(body.id), externalId, body };
}

/** The entry (a journal entry or a deposit: `posting` may have changed between runs) and its revisions, oldest first. */
export async function readPostedPayout(ns: NetSuiteClient, entryExternalId: string): Promise<PostedPayoutRecord[]> {
  const entry =
    (await readWithLines(ns, 'journalEntry', entryExternalId)) ?? (await readWithLines(ns, 'deposit', entryExternalId));
  if (!entry) return [];
  const out = [entry];
  for (let n = 1; ; n++) {
    const revision = await readWithLines(ns, 'journalEntry', externalIds.payoutRevision(entryExternalId, n));
    if (!revision) return out;
    out.push(revision);
  }
}
