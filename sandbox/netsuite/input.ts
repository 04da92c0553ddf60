// Turns a request body into stored-record shape: field names matched case-insensitively and
// stored camelCase (#ns-records), references resolved to `{id}` and checked to exist (#ns-record-shapes, #ns-errors
// INVALID_CONTENT with `o:errorPath`), sublists as `{items}` or null (#ns-records), value types checked.
import { ApiError, invalidFieldValue } from './errors.js';
import {
  BOOLEAN_FIELDS,
  CUSTOM_FIELD_TYPE,
  DATE_FIELDS,
  NUMBER_FIELDS,
  READ_ONLY_FIELDS,
  TRANSACTION_TYPES,
  canonicalField,
  isCustomFieldName,
  referenceTarget,
  sublistsOf,
  type RefTarget,
} from './record-types.js';
import type { RecordStore } from './store.js';
import { isObject, type Fields } from './values.js';

/** `X-NetSuite-PropertyNameValidation` (#ns-records): what happens to field names the account does not have. */
export type NameValidation = 'Error' | 'Warning' | 'Ignore';

export interface NormalizedInput {
  fields: Fields;
  /** Names of ignored unknown fields (reported in `x-netsuite-propertyvalidation`). */
  ignored: string[];
}

interface Ctx {
  store: RecordStore;
  type: string;
  nameValidation: NameValidation;
  customFields: Set<string>;
  ignored: string[];
}

export function normalizeInput(
  store: RecordStore,
  type: string,
  body: Fields,
  nameValidation: NameValidation = 'Warning',
): NormalizedInput {
  const customFields = new Set(store.all(CUSTOM_FIELD_TYPE).map((f) => f.id));
  const ctx: Ctx = { store, type, nameValidation, customFields, ignored: [] };
  return { fields: normalizeFields(ctx, body, undefined, ''), ignored: ctx.ignored };
}

function normalizeFields(ctx: Ctx, body: Fields, sublist: string | undefined, pathPrefix: string): Fields {
  const out: Fields = {};
  const sublists = sublist === undefined ? sublistsOf(ctx.type) : {};
  for (const [rawKey, value] of Object.entries(body)) {
    const key = canonicalField(rawKey);
    const path = `${pathPrefix}${key}`;
    if (key === 'line' && sublist !== undefined) {
      // `line` is read-only except as the key that picks the line to update (#ns-records).
      if (value !== null && typeof value !== 'number' && !(typeof value === 'string' && /^\d+$/.test(value)))
        throw invalidFieldValue(String(value), key, path);
      out.line = value === null ? null : Number(value);
      continue;
    }
    if (READ_ONLY_FIELDS.has(key) && !(key === 'id' && sublist !== undefined)) continue;
    if (isCustomFieldName(key) && !ctx.customFields.has(key)) {
      if (ctx.nameValidation === 'Error') {
        throw new ApiError(400, 'INVALID_CONTENT', `The field ${key} is not a valid field on record ${ctx.type}.`, {
          'o:errorPath': path,
        });
      }
      if (ctx.nameValidation === 'Warning') ctx.ignored.push(path);
      continue;
    }
    if (key in sublists) {
      out[key] = normalizeSublist(ctx, key, value, path);
      continue;
    }
    out[key] = normalizeValue(ctx, sublist, key, value, path);
  }
  return out;
}

function normalizeSublist(ctx: Ctx, name: string, value: unknown, path: string): Fields | null {
  // `"item": null` and `"item": {"items": null}` both empty the sublist (#ns-records).
  if (value === null) return null;
  if (!isObject(value)) throw invalidFieldValue(JSON.stringify(value), name, path);
  if (value.items === null || value.items === undefined) return null;
  if (!Array.isArray(value.items)) throw invalidFieldValue(JSON.stringify(value.items), name, `${path}.items`);
  const items = value.items.map((line: unknown, i: number) => {
    const linePath = `${path}.items[${i}]`;
    if (!isObject(line)) throw invalidFieldValue(JSON.stringify(line), name, linePath);
    return normalizeFields(ctx, line, name, `${linePath}.`);
  });
  return { items };
}

function normalizeValue(ctx: Ctx, sublist: string | undefined, key: string, value: unknown, path: string): unknown {
  if (value === null) return null;
  const target = referenceTarget(ctx.type, sublist, key);
  if (target) return resolveReference(ctx.store, target, value, key, path);
  if (NUMBER_FIELDS.has(key)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidFieldValue(JSON.stringify(value), key, path);
    return value;
  }
  if (BOOLEAN_FIELDS.has(key)) {
    if (typeof value !== 'boolean') throw invalidFieldValue(JSON.stringify(value), key, path);
    return value;
  }
  if (DATE_FIELDS.has(key)) {
    if (typeof value !== 'string' || !isIsoDate(value)) throw invalidFieldValue(JSON.stringify(value), key, path);
    return value;
  }
  if (key === 'externalId') {
    if (typeof value !== 'string' && typeof value !== 'number')
      throw invalidFieldValue(JSON.stringify(value), key, path);
    return String(value);
  }
  if (isObject(value)) {
    // An enum or a select field the sandbox does not check (`{id}` / `{refName}`), or a subrecord.
    if ('id' in value || 'refName' in value) {
      const out: Fields = {};
      if (value.id !== undefined && value.id !== null) out.id = String(value.id);
      if (typeof value.refName === 'string') out.refName = value.refName;
      return out;
    }
    return normalizeFields(ctx, value, sublist ?? key, `${path}.`);
  }
  return value;
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/**
 * Accepts `{id}`, a bare id (string or number) and `{externalId}` (#ns-record-shapes; the last is UNCONFIRMED
 * in NetSuite, resolved here for convenience). A missing or inactive target is an invalid value.
 */
export function resolveReference(
  store: RecordStore,
  target: RefTarget,
  value: unknown,
  field: string,
  path: string,
): { id: string } {
  let id: string | undefined;
  let shown = JSON.stringify(value);
  if (typeof value === 'string' || typeof value === 'number') id = String(value);
  else if (isObject(value) && (typeof value.id === 'string' || typeof value.id === 'number')) id = String(value.id);
  else if (isObject(value) && typeof value.externalId === 'string') {
    shown = value.externalId;
    id = findByExternalId(store, target, value.externalId);
  }
  if (id !== undefined) shown = id;
  if (id === undefined || !referenceExists(store, target, id)) throw invalidFieldValue(shown, field, path);
  return { id };
}

function findByExternalId(store: RecordStore, target: RefTarget, externalId: string): string | undefined {
  const types = 'types' in target ? target.types : Object.keys(TRANSACTION_TYPES);
  for (const t of types) {
    const r = store.getByExternalId(t, externalId);
    if (r) return r.id;
  }
  return undefined;
}

function referenceExists(store: RecordStore, target: RefTarget, id: string): boolean {
  if ('transaction' in target) return store.transaction(id) !== undefined;
  return target.types.some((t) => {
    const r = store.get(t, id);
    return r !== undefined && r.isInactive !== true;
  });
}
