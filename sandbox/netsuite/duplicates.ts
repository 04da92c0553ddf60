// Finds what exactly-once must never produce: twin customers (same e-mail, case-insensitive) and
// twin transactions for one 2Checkout order (same `otherRefNum`, where the sync writes REFNO).
import type { RecordStore } from './store.js';
import { str } from './values.js';

export interface DuplicateReport {
  customersByEmail: Array<{ email: string; ids: string[] }>;
  transactionsByRefNo: Array<{ type: string; refNo: string; ids: string[] }>;
}

const REFNO_TYPES = ['salesOrder', 'invoice', 'customerPayment', 'cashSale'];

function groups(values: Array<{ key: string | undefined; id: string }>): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const { key, id } of values) {
    if (!key) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), id]);
  }
  return new Map([...byKey].filter(([, ids]) => ids.length > 1));
}

export function findDuplicates(store: RecordStore): DuplicateReport {
  const customers = groups(store.all('customer').map((c) => ({ key: str(c.email)?.trim().toLowerCase(), id: c.id })));
  const transactionsByRefNo: DuplicateReport['transactionsByRefNo'] = [];
  for (const type of REFNO_TYPES) {
    for (const [refNo, ids] of groups(store.all(type).map((t) => ({ key: str(t.otherRefNum), id: t.id })))) {
      transactionsByRefNo.push({ type, refNo, ids });
    }
  }
  return { customersByEmail: [...customers].map(([email, ids]) => ({ email, ids })), transactionsByRefNo };
}
