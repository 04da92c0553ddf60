// Reading what NetSuite answers: the raw response the client keeps, the documented body shapes
// (zod), the new record's id from `Location`, SuiteQL rows, and whether a response is a
// concurrency refusal. A body that does not have the documented shape is an `unexpected`
// NetSuiteError naming the call and what was wrong (docs/reference-notes.md#ns-records, #ns-suiteql).
import { z } from 'zod';
import { errorKindFor, parseProblemDetails, unexpectedResponseError, type CallDescription } from './errors.js';
import type { SuiteQlRow } from './types.js';

/** One HTTP response, its body read in full. */
export interface RawResponse {
  status: number;
  location?: string;
  retryAfter?: string;
  bodyText: string;
}

export const recordSchema = z.record(z.string(), z.unknown());
export const recordIdSchema = z.object({ id: z.union([z.string().min(1), z.number()]) });
export const suiteQlResponseSchema = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  hasMore: z.boolean(),
  totalResults: z.number().optional(),
  offset: z.number().optional(),
  count: z.number().optional(),
});
const suiteQlValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The body as `schema`, or an `unexpected` NetSuiteError saying what does not fit. */
export function parseJson<S extends z.ZodType>(call: CallDescription, res: RawResponse, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(res.bodyText);
  } catch {
    throw unexpectedResponseError(call, res.status, 'the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw unexpectedResponseError(
      call,
      res.status,
      `the body does not have the documented shape: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** A SuiteQL item without its `links`, each value a scalar (docs/reference-notes.md#ns-suiteql: values usually strings). */
export function suiteQlRow(call: CallDescription, status: number, item: Record<string, unknown>): SuiteQlRow {
  const row: SuiteQlRow = {};
  for (const [column, value] of Object.entries(item)) {
    if (column === 'links') continue;
    const parsed = suiteQlValue.safeParse(value);
    if (!parsed.success) throw unexpectedResponseError(call, status, `SuiteQL column ${column} is not a scalar value`);
    row[column] = parsed.data;
  }
  return row;
}

/** The new record's internal id: the last path segment of Location (docs/reference-notes.md#ns-records). */
export function idFromLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  let path: string;
  try {
    path = new URL(location, 'http://location.invalid').pathname;
  } catch {
    return undefined;
  }
  const last = path.split('/').filter(Boolean).pop();
  if (last === undefined) return undefined;
  const id = decodeURIComponent(last);
  return id.startsWith('eid:') || id.startsWith('!') ? undefined : id;
}

/** NetSuite refused the request before doing anything: too many requests in flight for the account. */
export function isConcurrencyRefusal(res: RawResponse): boolean {
  if (res.status === 429) return true;
  if (res.status < 400) return false;
  return errorKindFor(res.status, parseProblemDetails(res.bodyText)?.details ?? []) === 'concurrency';
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
