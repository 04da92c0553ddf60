// Shadow mode's NetSuite client: reads go to NetSuite, writes go nowhere. Each write is kept as
// what it would have sent (and answered with a made-up id, `shadow-<n>`), so the real activity code
// runs over it unchanged and its decisions — which customer, which bodies, in which order — are
// exactly those a live run would make. Nothing it is given can reach NetSuite's books.
import type { ShadowBody } from '../mappings/shadow.js';
import type { NetSuiteClient, RecordKey, RequestOptions, SuiteQlPage, SuiteQlRow } from '../netsuite/types.js';
import type { SuiteQl } from '../netsuite/suiteql.js';

const SHADOW_ID = /^shadow-\d+$/;

export class WriteRecorder implements NetSuiteClient {
  readonly writes: ShadowBody[] = [];
  private next = 1;
  constructor(private readonly ns: NetSuiteClient) {}

  private record(
    record: string,
    action: ShadowBody['action'],
    body: Record<string, unknown>,
    key?: { externalId?: string; id?: string },
  ): { id: string } {
    const id = key?.id ?? `shadow-${this.next++}`;
    this.writes.push({
      record: record as ShadowBody['record'],
      action,
      ...(key?.externalId ? { externalId: key.externalId } : {}),
      ...(key?.id ? { id: key.id } : {}),
      body,
    });
    return { id };
  }

  async create(type: string, body: Record<string, unknown>): Promise<{ id: string }> {
    return this.record(type, 'create', body);
  }

  async update(type: string, key: RecordKey, body: Record<string, unknown>): Promise<void> {
    this.record(type, 'link', body, { id: String(key) });
  }

  async upsert(type: string, externalId: string, body: Record<string, unknown>): Promise<{ id: string }> {
    return this.record(type, 'upsert', body, { externalId });
  }

  async transform(
    srcType: string,
    srcKey: RecordKey,
    targetType: string,
    body: Record<string, unknown>,
  ): Promise<{ id: string }> {
    const externalId = typeof body.externalId === 'string' ? body.externalId : undefined;
    return this.record(
      targetType,
      'transform',
      { ...body, from: { type: srcType, id: String(srcKey) } },
      externalId ? { externalId } : undefined,
    );
  }

  async delete(): Promise<void> {
    // Nothing is deleted in shadow mode (and nothing the sync does on an order's first run deletes).
  }

  async get(
    type: string,
    key: RecordKey,
    opts?: RequestOptions & { expandSubResources?: boolean; fields?: string[] },
  ): Promise<Record<string, unknown> | undefined> {
    // A record this recorder made up exists only here.
    if (SHADOW_ID.test(String(key))) return undefined;
    return this.ns.get(type, key, opts);
  }

  suiteql(q: SuiteQl, page?: { limit?: number; offset?: number }, opts?: RequestOptions): Promise<SuiteQlPage> {
    return this.ns.suiteql(q, page, opts);
  }

  suiteqlAll(q: SuiteQl, opts?: RequestOptions): Promise<SuiteQlRow[]> {
    return this.ns.suiteqlAll(q, opts);
  }
}
