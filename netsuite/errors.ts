// Turns NetSuite's failure responses (docs/reference-notes.md#ns-errors–4.2) and transport failures into
// NetSuiteError values whose `kind` tells the caller what to do: retry (concurrency, server,
// network, auth), or park for a person (user, permission, not_found).
//
// Messages name the operation and NetSuite's own words (code, detail, errorPath). They never
// contain credentials, Authorization headers or request bodies.
import { z } from 'zod';
import { NetSuiteError, type NetSuiteErrorDetail, type NetSuiteErrorKind } from './types.js';

/** The problem-details body; every member optional because proxies and outages send other shapes. */
const problemDetailsSchema = z.object({
  title: z.string().optional(),
  status: z.number().optional(),
  'o:errorCode': z.string().optional(),
  'o:errorDetails': z
    .array(
      z.object({
        detail: z.string().optional(),
        'o:errorCode': z.string().optional(),
        'o:errorPath': z.string().optional(),
      }),
    )
    .optional(),
});

export interface ProblemDetails {
  title?: string;
  details: NetSuiteErrorDetail[];
}

/** Parses a problem-details JSON body; undefined when the body is not one (HTML from a proxy, empty, …). */
export function parseProblemDetails(bodyText: string): ProblemDetails | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = problemDetailsSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const body = parsed.data;
  const details: NetSuiteErrorDetail[] = (body['o:errorDetails'] ?? []).map((d) => ({
    detail: d.detail ?? '',
    code: d['o:errorCode'] ?? body['o:errorCode'] ?? 'UNKNOWN',
    ...(d['o:errorPath'] ? { path: d['o:errorPath'] } : {}),
  }));
  if (details.length === 0 && body['o:errorCode']) details.push({ detail: '', code: body['o:errorCode'] });
  return { ...(body.title ? { title: body.title } : {}), details };
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only an HTTP date (it names a weekday/month); Date.parse would also take "-5" as a year.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** NetSuite sometimes reports concurrency refusals with a code rather than (only) a status. */
const CONCURRENCY_CODES = new Set(['CONCURRENCY_LIMIT_EXCEEDED']);

/**
 * Optimistic locking (docs/reference-notes.md#ns-errors): another request saved the record while
 * this one ran. Oracle words it "Record has been changed." (custom records also "Unable to save
 * record. Record was changed by a different user. Please reload and try again."); SuiteScript and
 * SOAP call it RCRD_HAS_BEEN_CHANGED. Which code REST puts in `o:errorCode` is unconfirmed, so the
 * words count as much as the code.
 */
export function isRecordChanged(details: readonly NetSuiteErrorDetail[]): boolean {
  return details.some(
    (d) =>
      d.code === 'RCRD_HAS_BEEN_CHANGED' ||
      /record has been changed|record was changed by a different user/i.test(d.detail),
  );
}

export function errorKindFor(status: number, details: readonly NetSuiteErrorDetail[]): NetSuiteErrorKind {
  if (status === 429 || details.some((d) => CONCURRENCY_CODES.has(d.code))) return 'concurrency';
  if (status < 500 && isRecordChanged(details)) return 'conflict';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  // 408 is the server giving up on a slow request: nothing wrong with the data.
  if (status >= 500 || status === 408) return 'server';
  return 'user';
}

/** What was being attempted, for messages and counters: e.g. POST `create:customer`. */
export interface CallDescription {
  method: string;
  /** e.g. `create:customer`, `transform:salesOrder->invoice`, `suiteql`. */
  call: string;
  /** The client's authentication, for the hint of a 401 (default TBA). */
  auth?: 'tba' | 'oauth2';
}

/** A NetSuiteError for an HTTP response with a non-success status. */
export function errorFromResponse(
  call: CallDescription,
  response: { status: number; bodyText: string; retryAfter?: string | undefined },
  now: number = Date.now(),
): NetSuiteError {
  const problem = parseProblemDetails(response.bodyText);
  const details = problem?.details ?? [];
  const kind = errorKindFor(response.status, details);
  const retryAfterMs = parseRetryAfter(response.retryAfter, now);
  const what =
    details.length > 0
      ? details.map(describeDetail).join('; ')
      : (problem?.title ?? 'no error details in the response');
  const message = `NetSuite ${call.method} ${call.call} failed with HTTP ${response.status} (${kind}): ${what}${hintFor(kind, call.auth)}`;
  return new NetSuiteError(message, kind, response.status, details, retryAfterMs);
}

/** A NetSuiteError for a request that got no response: timeout, reset, refused, DNS. */
export function networkError(call: CallDescription, cause: unknown, reason?: string): NetSuiteError {
  const message = `NetSuite ${call.method} ${call.call} failed without a response (network): ${reason ?? describeCause(cause)}`;
  return new NetSuiteError(message, 'network', undefined, [], undefined, { cause });
}

/** A 2xx response the client cannot use (e.g. no Location, a body that is not what NetSuite documents). */
export function unexpectedResponseError(call: CallDescription, status: number, problem: string): NetSuiteError {
  return new NetSuiteError(
    `NetSuite ${call.method} ${call.call} returned HTTP ${status} but ${problem}`,
    'server',
    status,
  );
}

function describeDetail(d: NetSuiteErrorDetail): string {
  const detail = d.detail ? ` ${d.detail}` : '';
  const path = d.path ? ` (at ${d.path})` : '';
  return `${d.code}:${detail}${path}`;
}

function hintFor(kind: NetSuiteErrorKind, auth: CallDescription['auth']): string {
  if (kind === 'auth' && auth === 'oauth2') {
    return ' — NetSuite refused the OAuth 2.0 access token twice: check that the certificate mapping on Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup is active and its role has REST Web Services; NetSuite logs the exact reason in Setup > Users/Roles > View Login Audit Trail';
  }
  if (kind === 'auth')
    return ' — check the TBA consumer key/secret, token id/secret and account id (realm); NetSuite logs the exact reason in Setup > Users/Roles > View Login Audit Trail';
  if (kind === 'permission') return ' — the integration role lacks a permission for this record type';
  return '';
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
