// When each record first appeared in the ledger, to the millisecond, in order. `dateCreated` has
// NetSuite's one-second precision, too coarse to time a sync; the benchmark reads this log
// incrementally (a cursor, not the whole ledger) to see when an order's payment was posted, and
// tests read it to check which records were written before which.
import type { RecordStore } from './store.js';
import { MEMO_KEY } from './duplicates.js';

export interface CreationEntry {
  /** 1, 2, 3, … in creation order; pass the last one seen as `after` to read only newer entries. */
  seq: number;
  type: string;
  id: string;
  externalId?: string;
  /**
   * The sync's key of a record created without an externalId (NetSuite dropped a transform body's,
   * unconfirmed): the `[<externalId>]` the sync writes into the memo. Absent when there is none.
   */
  memoKey?: string;
  /** Epoch milliseconds (Date.now()) when the write that created the record was stored. */
  atMs: number;
}

export class CreationLog {
  private readonly entries: CreationEntry[] = [];
  private readonly seen = new Set<string>();

  /** Starts logging: records already in the store (seed, restored snapshot) are not creations. */
  constructor(store: RecordStore, now: () => number = Date.now) {
    for (const type of store.types()) for (const r of store.all(type)) this.seen.add(`${type}\u0000${r.id}`);
    store.onChange((type, id) => {
      const key = `${type}\u0000${id}`;
      if (this.seen.has(key)) return;
      const record = store.get(type, id);
      // A removal notifies too; only a stored record is a creation.
      if (!record) return;
      this.seen.add(key);
      const externalId = typeof record.externalId === 'string' ? record.externalId : undefined;
      const memoKey =
        externalId === undefined && typeof record.memo === 'string' ? MEMO_KEY.exec(record.memo)?.[1] : undefined;
      this.entries.push({
        seq: this.entries.length + 1,
        type,
        id,
        ...(externalId ? { externalId } : {}),
        ...(memoKey ? { memoKey } : {}),
        atMs: now(),
      });
    });
  }

  /** Entries with `seq > after`, oldest first, at most `limit`. */
  since(after = 0, limit = 10_000): CreationEntry[] {
    const start = Math.max(0, Math.floor(after));
    return this.entries.slice(start, start + limit);
  }
}
