// The sandbox's ledger: every stored record by type and internal id, the per-type externalId
// index (externalIds are unique per record type, #ns-records), and the links between transactions
// (created-from and applications) that derived amounts depend on.
import { idSpace, idSpaceBase, isTransactionType } from './record-types.js';
import { isObject, linesOf, refId, type Rec } from './values.js';

export interface StoreSnapshot {
  version: 1;
  counters: Record<string, number>;
  records: Record<string, Rec[]>;
}

type ChangeListener = (type: string, id: string) => void;

interface Relations {
  createdFrom?: string;
  appliesTo: string[];
}

export class RecordStore {
  private readonly tables = new Map<string, Map<string, Rec>>();
  private readonly externalIds = new Map<string, Map<string, string>>();
  private readonly transactionTypes = new Map<string, string>();
  private readonly relations = new Map<string, Relations>();
  private readonly appliers = new Map<string, Set<string>>();
  private readonly children = new Map<string, Set<string>>();
  private readonly counters = new Map<string, number>();
  private readonly listeners: ChangeListener[] = [];

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  types(): string[] {
    return [...this.tables.keys()];
  }

  all(type: string): Rec[] {
    return [...(this.tables.get(type)?.values() ?? [])];
  }

  get(type: string, id: string): Rec | undefined {
    return this.tables.get(type)?.get(id);
  }

  getByExternalId(type: string, externalId: string): Rec | undefined {
    const id = this.externalIds.get(type)?.get(externalId);
    return id === undefined ? undefined : this.get(type, id);
  }

  /** A transaction of any type by internal id (transactions share one id space). */
  transaction(id: string): { type: string; record: Rec } | undefined {
    const type = this.transactionTypes.get(id);
    const record = type === undefined ? undefined : this.get(type, id);
    return type !== undefined && record ? { type, record } : undefined;
  }

  /** Transactions whose `apply` lines point at this document. */
  appliersOf(id: string): Array<{ type: string; record: Rec }> {
    return this.resolveTransactions(this.appliers.get(id));
  }

  /** Transactions created from this one by a transform. */
  childrenOf(id: string): Array<{ type: string; record: Rec }> {
    return this.resolveTransactions(this.children.get(id));
  }

  nextId(type: string): string {
    const space = idSpace(type);
    const next = Math.max(this.counters.get(space) ?? 0, idSpaceBase(space)) + 1;
    this.counters.set(space, next);
    return String(next);
  }

  /** Auto-assigned document number, e.g. SO1001. */
  nextTranId(type: string, prefix: string): string {
    const key = `tranId:${type}`;
    const next = Math.max(this.counters.get(key) ?? 0, 1000) + 1;
    this.counters.set(key, next);
    return `${prefix}${next}`;
  }

  /** Stores (or replaces) a record and updates every index. */
  put(type: string, record: Rec): void {
    let table = this.tables.get(type);
    if (!table) this.tables.set(type, (table = new Map()));
    const previous = table.get(record.id);
    if (previous) this.unindex(type, previous);
    table.set(record.id, record);
    this.index(type, record);
    this.notify(type, record.id);
  }

  /** Tells listeners that a stored record was changed in place (derived fields). */
  touch(type: string, id: string): void {
    this.notify(type, id);
  }

  remove(type: string, id: string): Rec | undefined {
    const table = this.tables.get(type);
    const record = table?.get(id);
    if (!table || !record) return undefined;
    this.unindex(type, record);
    table.delete(id);
    this.notify(type, id);
    return record;
  }

  snapshot(): StoreSnapshot {
    const records: Record<string, Rec[]> = {};
    for (const [type, table] of this.tables) records[type] = [...table.values()];
    return { version: 1, counters: Object.fromEntries(this.counters), records };
  }

  restore(snapshot: StoreSnapshot): void {
    for (const [key, value] of Object.entries(snapshot.counters)) this.counters.set(key, value);
    for (const [type, records] of Object.entries(snapshot.records)) for (const r of records) this.put(type, r);
  }

  private notify(type: string, id: string): void {
    for (const l of this.listeners) l(type, id);
  }

  private resolveTransactions(ids: Set<string> | undefined): Array<{ type: string; record: Rec }> {
    const out: Array<{ type: string; record: Rec }> = [];
    for (const id of ids ?? []) {
      const t = this.transaction(id);
      if (t) out.push(t);
    }
    return out;
  }

  private index(type: string, record: Rec): void {
    const space = idSpace(type);
    const numeric = Number(record.id);
    if (Number.isInteger(numeric) && numeric > (this.counters.get(space) ?? 0)) this.counters.set(space, numeric);
    const eid = record.externalId;
    if (typeof eid === 'string') {
      let byEid = this.externalIds.get(type);
      if (!byEid) this.externalIds.set(type, (byEid = new Map()));
      byEid.set(eid, record.id);
    }
    if (!isTransactionType(type)) return;
    this.transactionTypes.set(record.id, type);
    const rel = relationsOf(record);
    this.relations.set(record.id, rel);
    if (rel.createdFrom) addTo(this.children, rel.createdFrom, record.id);
    for (const doc of rel.appliesTo) addTo(this.appliers, doc, record.id);
  }

  private unindex(type: string, record: Rec): void {
    if (typeof record.externalId === 'string') this.externalIds.get(type)?.delete(record.externalId);
    if (!isTransactionType(type)) return;
    this.transactionTypes.delete(record.id);
    const rel = this.relations.get(record.id);
    if (!rel) return;
    if (rel.createdFrom) this.children.get(rel.createdFrom)?.delete(record.id);
    for (const doc of rel.appliesTo) this.appliers.get(doc)?.delete(record.id);
    this.relations.delete(record.id);
  }
}

function relationsOf(record: Rec): Relations {
  const appliesTo = new Set<string>();
  for (const sublist of ['apply', 'credit', 'deposit']) {
    for (const line of linesOf(record, sublist)) {
      const doc = refId(line.doc);
      if (doc && line.apply !== false) appliesTo.add(doc);
    }
  }
  const createdFrom = isObject(record.createdFrom) ? refId(record.createdFrom) : undefined;
  return { createdFrom, appliesTo: [...appliesTo] };
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
