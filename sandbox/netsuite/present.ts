// Stored record → REST JSON (#ns-record-shapes): `links` and `id` first, references as
// `{links, id, refName}` with string ids, sublists as links only unless expanded (#ns-records).
import { TRANSACTION_TYPES, referenceTarget, sublistsOf, type RefTarget } from './record-types.js';
import type { RecordStore } from './store.js';
import { isObject, isSublist, str, type Fields, type Rec } from './values.js';

export interface PresentOptions {
  /** `expandSubResources=true`: sublist lines inline. */
  expand: boolean;
  /** `fields=a,b`: only these body fields. */
  fields?: string[];
}

export class RecordPresenter {
  constructor(
    private readonly store: RecordStore,
    private readonly recordUrl: () => string,
  ) {}

  selfLink(type: string, id: string): Array<{ rel: string; href: string }> {
    return [{ rel: 'self', href: `${this.recordUrl()}/${type}/${id}` }];
  }

  present(type: string, rec: Rec, opts: PresentOptions): Fields {
    const out: Fields = { links: this.selfLink(type, rec.id) };
    const wanted = opts.fields ? new Set(opts.fields.map((f) => f.toLowerCase())) : undefined;
    const sublists = sublistsOf(type);
    for (const [key, value] of Object.entries(rec)) {
      if (key === 'id') continue;
      if (wanted && !wanted.has(key.toLowerCase())) continue;
      if (key in sublists && isSublist(value)) {
        const href = `${this.recordUrl()}/${type}/${rec.id}/${key}`;
        out[key] = opts.expand ? this.sublist(type, key, value.items, href) : { links: [{ rel: 'self', href }] };
        continue;
      }
      out[key] = this.value(type, undefined, key, value);
    }
    out.id = rec.id;
    return out;
  }

  /** An expanded sublist, shaped like a collection (#ns-records). */
  sublist(type: string, name: string, items: Fields[], href: string): Fields {
    return {
      links: [{ rel: 'self', href }],
      items: items.map((line) => {
        const o: Fields = {};
        for (const [k, v] of Object.entries(line)) o[k] = this.value(type, name, k, v);
        return o;
      }),
      count: items.length,
      hasMore: false,
      offset: 0,
      totalResults: items.length,
    };
  }

  private value(type: string, sublist: string | undefined, key: string, value: unknown): unknown {
    const target = referenceTarget(type, sublist, key);
    if (target && isObject(value) && typeof value.id === 'string') return this.reference(target, value.id);
    if (isObject(value) && !('id' in value)) {
      const o: Fields = {};
      for (const [k, v] of Object.entries(value)) o[k] = this.value(type, sublist ?? key, k, v);
      return o;
    }
    return value;
  }

  reference(target: RefTarget, id: string): Fields {
    const found = this.lookup(target, id);
    const out: Fields = {};
    if (found) out.links = this.selfLink(found.type, id);
    out.id = id;
    const name = found ? refName(found.type, found.record) : undefined;
    if (name !== undefined) out.refName = name;
    return out;
  }

  private lookup(target: RefTarget, id: string): { type: string; record: Rec } | undefined {
    if ('transaction' in target) return this.store.transaction(id);
    for (const t of target.types) {
      const record = this.store.get(t, id);
      if (record) return { type: t, record };
    }
    return undefined;
  }
}

/** The display name NetSuite puts in `refName` for a record. */
export function refName(type: string, rec: Rec): string | undefined {
  const kind = TRANSACTION_TYPES[type];
  if (kind) return `${kind.label} #${str(rec.tranId) ?? rec.id}`;
  switch (type) {
    case 'customer': {
      const name = str(rec.companyName) ?? [str(rec.firstName), str(rec.lastName)].filter(Boolean).join(' ');
      return [str(rec.entityId), name].filter(Boolean).join(' ') || rec.id;
    }
    case 'item':
    case 'salesTaxItem':
      return str(rec.itemId);
    case 'account':
      return [str(rec.acctNumber), str(rec.acctName)].filter(Boolean).join(' ');
    case 'accountingPeriod':
      return str(rec.periodName) ?? rec.id;
    default:
      return str(rec.name) ?? rec.id;
  }
}
