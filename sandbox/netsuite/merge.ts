// Update semantics of SuiteTalk REST (#ns-records): omitted fields keep their value, `null`
// clears; keyed sublist lines merge by key (new lines are added), `?replace=<sublist>` drops the
// existing lines the request does not name; non-keyed sublists append, or are replaced.
import { invalidFieldValue } from './errors.js';
import type { SublistSpec } from './record-types.js';
import { clone, isObject, isSublist, refId, type Fields } from './values.js';

export interface MergeOptions {
  sublists: Record<string, SublistSpec>;
  /** Sublists named in `?replace=`. */
  replace: ReadonlySet<string>;
}

/** Returns a new record: `base` with `patch` applied. Neither input is modified. */
export function mergeRecord<T extends Fields>(base: T, patch: Fields, opts: MergeOptions): T {
  const out: Fields = clone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const spec = opts.sublists[key];
    if (spec && isSublist(value)) {
      const existing = isSublist(out[key]) ? out[key].items : [];
      out[key] = { items: mergeLines(key, existing, value.items, spec, opts.replace.has(key)) };
      continue;
    }
    out[key] = clone(value);
  }
  return out as T;
}

function lineKey(line: Fields, key: SublistSpec['key']): string | undefined {
  if (key === undefined) return undefined;
  const v = line[key];
  if (key === 'line') return typeof v === 'number' ? String(v) : undefined;
  return refId(v);
}

function mergeLines(
  name: string,
  existing: Fields[],
  incoming: Fields[],
  spec: SublistSpec,
  replace: boolean,
): Fields[] {
  if (spec.key === undefined) return replace ? clone(incoming) : [...clone(existing), ...clone(incoming)];
  const byKey = new Map<string, Fields>();
  for (const line of existing) {
    const k = lineKey(line, spec.key);
    if (k !== undefined) byKey.set(k, line);
  }
  const updated = new Map<string, Fields>();
  const added: Fields[] = [];
  incoming.forEach((line, i) => {
    const k = lineKey(line, spec.key);
    const current = k === undefined ? undefined : byKey.get(k);
    if (k !== undefined && current) {
      updated.set(k, mergeLine(updated.get(k) ?? current, line));
    } else if (spec.key === 'line' && k !== undefined) {
      // A `line` that does not exist cannot be updated; a line without `line` is a new one.
      throw invalidFieldValue(k, 'line', `${name}.items[${i}].line`);
    } else {
      added.push(mergeLine({}, line));
    }
  });
  const kept = existing
    .map((line) => {
      const k = lineKey(line, spec.key);
      return k !== undefined && updated.has(k) ? updated.get(k)! : replace ? undefined : clone(line);
    })
    .filter((l): l is Fields => l !== undefined);
  return [...kept, ...added];
}

function mergeLine(base: Fields, patch: Fields): Fields {
  const out = clone(base);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = clone(v);
  }
  // A changed rate or quantity without an explicit amount means "recompute the amount".
  if (('rate' in patch || 'quantity' in patch) && !('amount' in patch)) delete out.amount;
  if (isObject(patch.doc) && !('amount' in patch) && patch.apply === false) delete out.amount;
  return out;
}
