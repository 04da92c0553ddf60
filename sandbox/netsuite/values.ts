// Small readers for stored record values. Records are plain JSON objects: scalars, references
// stored as `{id}` (plus `refName` for enums), sublists as `{items: [...]}`.

export type Fields = Record<string, unknown>;
/** A stored record: its fields plus the internal id. */
export type Rec = Fields & { id: string };

export const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The id of a stored reference (`{id}`), if the value is one. */
export function refId(v: unknown): string | undefined {
  return isObject(v) && typeof v.id === 'string' ? v.id : undefined;
}

export const ref = (id: string): { id: string } => ({ id });

export function isSublist(v: unknown): v is { items: Fields[] } {
  return isObject(v) && Array.isArray(v.items);
}

export function linesOf(rec: Fields, sublist: string): Fields[] {
  const v = rec[sublist];
  return isSublist(v) ? v.items : [];
}

export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** The sandbox clock a write uses for tranDate defaults and timestamps. */
export interface WriteClock {
  /** Today's date (YYYY-MM-DD) for tranDate defaults. */
  today: string;
  /** Now, ISO 8601 UTC, for dateCreated / lastModifiedDate. */
  now: string;
}
