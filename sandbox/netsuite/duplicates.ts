// Finds what exactly-once must never produce: twin customers (same e-mail, case-insensitive), twin
// transactions for one 2Checkout order (same `otherRefNum`, where the sync writes REFNO, for the
// documents an order has one of), and twin money records of any kind — sales orders, invoices,
// payments, cash sales, credit memos, customer refunds, cash refunds, journals, deposits — that
// carry the same sync key: their `externalId`, or, where NetSuite dropped that (a transform body's
// externalId, unconfirmed), the `[<externalId>]` second key the sync writes into the memo.
import { TRANSACTION_TYPES } from './record-types.js';
import type { RecordStore } from './store.js';
import { str } from './values.js';

export interface DuplicateReport {
  customersByEmail: Array<{ email: string; ids: string[] }>;
  transactionsByRefNo: Array<{ type: string; refNo: string; ids: string[] }>;
  /** Records of one type sharing a sync key (externalId, or the `[key]` in the memo when the record has no externalId). */
  moneyRecordsByKey: Array<{ type: string; key: string; ids: string[] }>;
}

/** An order has one of each of these: two with the same REFNO are twins. */
const REFNO_TYPES = ['salesOrder', 'invoice', 'customerPayment', 'cashSale'];
/** The second key in a memo: `[2co-cm-123-ABC]` (letters, digits, `-`, `_`, as externalIds are). */
export const MEMO_KEY = /\[([A-Za-z0-9][A-Za-z0-9_-]*-[A-Za-z0-9_-]+)\]/;

function groups(values: Array<{ key: string | undefined; id: string }>): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const { key, id } of values) {
    if (!key) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), id]);
  }
  return new Map([...byKey].filter(([, ids]) => ids.length > 1));
}

const syncKey = (r: Record<string, unknown>): string | undefined =>
  str(r.externalId) ?? MEMO_KEY.exec(str(r.memo) ?? '')?.[1];

export function findDuplicates(store: RecordStore): DuplicateReport {
  const customers = groups(store.all('customer').map((c) => ({ key: str(c.email)?.trim().toLowerCase(), id: c.id })));
  const transactionsByRefNo: DuplicateReport['transactionsByRefNo'] = [];
  for (const type of REFNO_TYPES) {
    for (const [refNo, ids] of groups(store.all(type).map((t) => ({ key: str(t.otherRefNum), id: t.id })))) {
      transactionsByRefNo.push({ type, refNo, ids });
    }
  }
  const moneyRecordsByKey: DuplicateReport['moneyRecordsByKey'] = [];
  for (const type of Object.keys(TRANSACTION_TYPES)) {
    for (const [key, ids] of groups(store.all(type).map((t) => ({ key: syncKey(t), id: t.id }))))
      moneyRecordsByKey.push({ type, key, ids });
  }
  return {
    customersByEmail: [...customers].map(([email, ids]) => ({ email, ids })),
    transactionsByRefNo,
    moneyRecordsByKey,
  };
}
