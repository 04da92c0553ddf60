// A small in-memory NetSuiteClient for activity unit tests: records with internal ids and unique
// externalIds, PUT upsert, transforms, PATCH, and the two SuiteQL shapes the activities send
// (read back from the literals in the query text: REST SuiteQL has no bound parameters).
// Every call is recorded so tests can count them.
import type { NetSuiteClient, RequestOptions, SuiteQlPage, SuiteQlRow } from '../../netsuite/types.js';
import { NetSuiteError } from '../../netsuite/types.js';
import type { SuiteQl } from '../../netsuite/suiteql.js';

export interface FakeCall {
  kind: string;
  type?: string;
  key?: string;
  body?: Record<string, unknown>;
  opts?: RequestOptions;
}

type Rec = Record<string, unknown> & { id: string };

export class FakeNetSuite implements NetSuiteClient {
  readonly calls: FakeCall[] = [];
  readonly records = new Map<string, Rec[]>();
  private nextId = 1000;
  /** Errors to throw, in order, before the next matching call runs (e.g. a 400 or a 429). */
  readonly failNext: Array<{ kind: string; error: NetSuiteError; afterCommit?: boolean }> = [];

  seed(type: string, rec: Omit<Rec, 'id'> & { id?: string }): Rec {
    const full = { ...rec, id: rec.id ?? String(this.nextId++) } as Rec;
    this.records.set(type, [...(this.records.get(type) ?? []), full]);
    return full;
  }

  all(type: string): Rec[] {
    return this.records.get(type) ?? [];
  }

  private find(type: string, key: string): Rec | undefined {
    return key.startsWith('eid:')
      ? this.all(type).find((r) => r.externalId === key.slice(4))
      : this.all(type).find((r) => r.id === key);
  }

  private async intercept<T>(kind: string, commit: () => T): Promise<T> {
    const i = this.failNext.findIndex((f) => f.kind === kind);
    if (i >= 0) {
      const [f] = this.failNext.splice(i, 1);
      if (f!.afterCommit) commit();
      throw f!.error;
    }
    return commit();
  }

  async create(type: string, body: Record<string, unknown>, opts?: RequestOptions) {
    this.calls.push({ kind: 'create', type, body, ...(opts ? { opts } : {}) });
    return this.intercept('create', () => {
      if (typeof body.externalId === 'string' && this.find(type, `eid:${body.externalId}`)) throw alreadyExists();
      return { id: this.seed(type, body).id };
    });
  }

  async get(type: string, key: string, opts?: RequestOptions) {
    this.calls.push({ kind: 'get', type, key, ...(opts ? { opts } : {}) });
    return this.intercept('get', () => this.find(type, key));
  }

  async update(type: string, key: string, body: Record<string, unknown>, opts?: RequestOptions) {
    this.calls.push({ kind: 'update', type, key, body, ...(opts ? { opts } : {}) });
    return this.intercept('update', () => {
      const rec = this.find(type, key);
      if (!rec)
        throw new NetSuiteError('not found', 'not_found', 404, [
          { code: 'NONEXISTENT_ID', detail: 'Record does not exist.' },
        ]);
      Object.assign(rec, body);
    });
  }

  async upsert(type: string, externalId: string, body: Record<string, unknown>, opts?: RequestOptions) {
    this.calls.push({ kind: 'upsert', type, key: externalId, body, ...(opts ? { opts } : {}) });
    return this.intercept('upsert', () => {
      const rec = this.find(type, `eid:${externalId}`);
      if (rec) {
        Object.assign(rec, body);
        return { id: rec.id };
      }
      return { id: this.seed(type, { ...body, externalId, total: totalOf(body) }).id };
    });
  }

  async transform(
    srcType: string,
    srcKey: string,
    targetType: string,
    body: Record<string, unknown>,
    opts?: RequestOptions,
  ) {
    this.calls.push({
      kind: 'transform',
      type: `${srcType}->${targetType}`,
      key: srcKey,
      body,
      ...(opts ? { opts } : {}),
    });
    return this.intercept('transform', () => {
      const src = this.find(srcType, srcKey);
      if (!src)
        throw new NetSuiteError('invalid', 'user', 400, [
          { code: 'INVALID_CONTENT', detail: `Invalid ${srcType} ${srcKey}` },
        ]);
      if (typeof body.externalId === 'string' && this.find(targetType, `eid:${body.externalId}`)) throw alreadyExists();
      const rec = this.seed(targetType, {
        ...body,
        createdFrom: { id: src.id },
        total: src.total,
        amountRemaining: src.total,
        entity: src.entity,
      });
      return { id: rec.id };
    });
  }

  async delete(type: string, key: string, opts?: RequestOptions) {
    this.calls.push({ kind: 'delete', type, key, ...(opts ? { opts } : {}) });
    this.records.set(
      type,
      this.all(type).filter((r) => r !== this.find(type, key)),
    );
  }

  async suiteql(q: SuiteQl, _page?: unknown, opts?: RequestOptions): Promise<SuiteQlPage> {
    const items = await this.suiteqlAll(q, opts);
    return { items, hasMore: false, totalResults: items.length, offset: 0, count: items.length };
  }

  async suiteqlAll(query: SuiteQl, opts?: RequestOptions): Promise<SuiteQlRow[]> {
    const q = query.text;
    this.calls.push({ kind: 'suiteql', key: q, ...(opts ? { opts } : {}) });
    return this.intercept('suiteql', () => {
      // The literals the queries carry (netsuite/suiteql.ts): `'…'` with quotes doubled.
      const LIT = "'((?:[^']|'')*)'";
      const unquote = (l: string) => l.replace(/''/g, "'");
      const eids = new Set<string>();
      const likes: string[] = [];
      let email: string | undefined;
      for (const m of q.matchAll(/externalid IN \(([^)]*)\)/g))
        for (const l of m[1]!.matchAll(new RegExp(LIT, 'g'))) eids.add(unquote(l[1]!));
      for (const m of q.matchAll(new RegExp(`externalid = ${LIT}`, 'g'))) eids.add(unquote(m[1]!));
      for (const m of q.matchAll(new RegExp(`externalid LIKE ${LIT}`, 'g')))
        likes.push(unquote(m[1]!).replace(/%$/, ''));
      const byEmail = new RegExp(`LOWER\\(email\\) = LOWER\\(${LIT}\\)`).exec(q);
      if (byEmail) email = unquote(byEmail[1]!).toLowerCase();
      const matches = (r: Rec) =>
        (typeof r.externalId === 'string' &&
          (eids.has(r.externalId) || likes.some((l) => (r.externalId as string).startsWith(l)))) ||
        (email !== undefined && typeof r.email === 'string' && r.email.toLowerCase() === email);
      if (/FROM customer/.test(q)) {
        return this.all('customer')
          .filter(matches)
          .map((r) => ({
            id: r.id,
            externalid: (r.externalId as string | undefined) ?? null,
            email: (r.email as string | undefined) ?? null,
            isperson: r.isPerson === false ? 'F' : 'T',
            companyname: (r.companyName as string | undefined) ?? null,
            firstname: (r.firstName as string | undefined) ?? null,
            lastname: (r.lastName as string | undefined) ?? null,
            phone: (r.phone as string | undefined) ?? null,
            currency: (r.currency as { id: string } | undefined)?.id ?? null,
          }));
      }
      const rows: SuiteQlRow[] = [];
      for (const [type, recs] of this.records) {
        if (type === 'customer') continue;
        for (const r of recs.filter(matches)) {
          rows.push({
            id: r.id,
            externalid: r.externalId as string,
            type,
            entity: (r.entity as { id: string } | undefined)?.id ?? null,
            foreigntotal: String(r.total ?? ''),
          });
        }
      }
      return rows;
    });
  }

  count(kind?: string): number {
    return kind ? this.calls.filter((c) => c.kind === kind).length : this.calls.length;
  }
}

export const alreadyExists = () =>
  new NetSuiteError('NetSuite create: 400 USER_ERROR', 'user', 400, [
    { code: 'USER_ERROR', detail: 'Error while accessing a resource. This entity already exists.', path: 'externalId' },
  ]);

function totalOf(body: Record<string, unknown>): number | undefined {
  const items = (body.item as { items?: Array<{ amount: number }> } | undefined)?.items;
  return items ? Math.round(items.reduce((s, l) => s + l.amount * 100, 0)) / 100 : undefined;
}
