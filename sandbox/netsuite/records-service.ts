// The record operations of SuiteTalk REST over the store (#ns-records): create, update, upsert by
// externalId, transform, delete. Every write is validated completely before anything is stored,
// so a refused request leaves the ledger untouched.
import { finalizeCurrency, finalizeCustomer, finalizeCustomRecord } from './entities.js';
import { finalizeRelationship, RELATIONSHIP_TYPE, type AccountFeatures } from './posting-rules.js';
import { entityAlreadyExists, recordDoesNotExist, userError, ApiError } from './errors.js';
import { normalizeInput, type NameValidation } from './input.js';
import { mergeRecord } from './merge.js';
import { canonicalType, isCustomRecordType, isTransactionType, sublistsOf } from './record-types.js';
import type { RecordStore } from './store.js';
import { finalizeTransaction, linkedIds, refreshDerived, type WriteClock } from './transactions.js';
import { transformDraft } from './transforms.js';
import { refId, type Fields, type Rec } from './values.js';

export interface WriteOptions {
  /** Sublists named in `?replace=` (#ns-records). */
  replace?: ReadonlySet<string>;
  nameValidation?: NameValidation;
}

export interface WriteResult {
  id: string;
  /** Unknown fields that were ignored (reported as a warning header). */
  ignored: string[];
}

export class RecordService {
  /**
   * Whether an `externalId` in a `!transform` body is stored on the new record. Unconfirmed for
   * real NetSuite, so the sandbox can do either (the sync must find its records both ways).
   */
  transformKeepsExternalId = true;

  /** Account features where real accounts differ (sandbox/netsuite/README.md, "Strict account rules"). */
  readonly features: AccountFeatures = { multiSubsidiaryCustomers: false };

  constructor(
    private readonly store: RecordStore,
    private readonly clock: () => Date,
  ) {}

  /** The REST record type of a URL segment, or 404 when the account has no such type. */
  resolveType(segment: string): string {
    const type = canonicalType(segment);
    // NetSuite's wording for an unknown record type is UNCONFIRMED.
    if (!type) throw new ApiError(404, 'NONEXISTENT_ID', `Record type '${segment}' does not exist.`);
    return type;
  }

  /** A record by internal id or `eid:<externalId>` (#ns-records). */
  find(type: string, key: string): Rec | undefined {
    if (key.startsWith('eid:')) return this.store.getByExternalId(type, key.slice(4));
    return this.store.get(type, key);
  }

  get(type: string, key: string): Rec {
    const rec = this.find(type, key);
    if (!rec) throw recordDoesNotExist();
    return rec;
  }

  create(type: string, body: Fields, opts: WriteOptions = {}, explicitId?: string): WriteResult {
    if (explicitId !== undefined && this.store.get(type, explicitId))
      throw userError(`A ${type} with internal id ${explicitId} already exists.`);
    return this.save(type, {}, undefined, body, opts, explicitId);
  }

  update(type: string, key: string, body: Fields, opts: WriteOptions = {}): WriteResult {
    const existing = this.get(type, key);
    if (isTransactionType(type) && this.features.transactionExternalIdEditable === false) {
      const given = Object.entries(body).find(([k]) => k.toLowerCase() === 'externalid')?.[1];
      // Wording the sandbox's own: whether and how NetSuite refuses it is UNCONFIRMED.
      if (given !== undefined && given !== existing.externalId)
        throw userError('You cannot change the external ID of this transaction.', 'externalId');
    }
    return this.save(type, existing, existing.id, body, opts);
  }

  /** PUT …/eid:{externalId}: creates the record when missing, updates it when present (#ns-records). */
  upsert(type: string, externalId: string, body: Fields, opts: WriteOptions = {}): WriteResult & { created: boolean } {
    const existing = this.store.getByExternalId(type, externalId);
    const withEid: Fields = { ...body, externalId };
    for (const k of Object.keys(withEid)) if (k !== 'externalId' && k.toLowerCase() === 'externalid') delete withEid[k];
    if (existing) return { ...this.save(type, existing, existing.id, withEid, opts), created: false };
    return { ...this.save(type, {}, undefined, withEid, opts), created: true };
  }

  transform(srcType: string, key: string, target: string, body: Fields, opts: WriteOptions = {}): WriteResult {
    const source = this.get(srcType, key);
    const draft = transformDraft(this.store, srcType, source, target);
    const kept = this.transformKeepsExternalId
      ? body
      : Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== 'externalid'));
    return this.save(target, draft, undefined, kept, opts);
  }

  remove(type: string, key: string): void {
    const rec = this.get(type, key);
    if (this.hasDependents(type, rec))
      throw userError('This record cannot be deleted because it has dependent records.');
    this.store.remove(type, rec.id);
    if (isTransactionType(type)) for (const id of linkedIds(rec)) refreshDerived(this.store, id);
  }

  private hasDependents(type: string, rec: Rec): boolean {
    if (isTransactionType(type))
      return this.store.appliersOf(rec.id).length > 0 || this.store.childrenOf(rec.id).length > 0;
    if (type === 'customer') {
      return this.store
        .types()
        .some(
          (t) =>
            isTransactionType(t) &&
            this.store.all(t).some((r) => refId(r.entity) === rec.id || refId(r.customer) === rec.id),
        );
    }
    return false;
  }

  private writeClock(): WriteClock {
    const now = this.clock();
    return { today: now.toISOString().slice(0, 10), now: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  private save(
    type: string,
    base: Fields,
    selfId: string | undefined,
    body: Fields,
    opts: WriteOptions,
    explicitId?: string,
  ): WriteResult {
    const { fields, ignored } = normalizeInput(this.store, type, body, opts.nameValidation);
    const merged = mergeRecord(base, fields, { sublists: sublistsOf(type), replace: opts.replace ?? new Set() });
    // externalId is unique per record type (#ns-records; wording observed, #ns-errors).
    if (typeof merged.externalId === 'string') {
      const other = this.store.getByExternalId(type, merged.externalId);
      if (other && other.id !== selfId) throw entityAlreadyExists();
    }
    const clock = this.writeClock();
    // The posting period follows the date unless the request names one.
    if (isTransactionType(type) && !('postingPeriod' in fields)) delete merged.postingPeriod;
    if (isTransactionType(type)) finalizeTransaction(this.store, clock, type, merged, selfId, this.features);
    else if (type === 'customer') finalizeCustomer(this.store, clock, merged, selfId);
    else if (type === RELATIONSHIP_TYPE) finalizeRelationship(this.store, merged, selfId, this.features);
    else if (type === 'currency') finalizeCurrency(merged);
    else if (isCustomRecordType(type)) finalizeCustomRecord(clock, merged, selfId);

    const previous = selfId === undefined ? undefined : this.store.get(type, selfId);
    const id = selfId ?? explicitId ?? this.store.nextId(type);
    const record: Rec = { ...merged, id };
    this.store.put(type, record);
    if (isTransactionType(type)) {
      for (const linked of new Set([id, ...linkedIds(previous), ...linkedIds(record)]))
        refreshDerived(this.store, linked);
    }
    return { id, ignored };
  }
}
