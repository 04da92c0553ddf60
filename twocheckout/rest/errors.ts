// Failures of 2Checkout REST API calls as one typed error whose `retryable` says whether trying
// again can help: rate limits, 5xx, timeouts and network failures can; a refused key, a bad
// request or an unknown order cannot (a person must act). Messages name the call and 2Checkout's
// own error code; they never contain the secret key or the authentication header.
import { z } from 'zod';

export type TwoCheckoutApiErrorKind =
  | 'auth' // 401/403: wrong vendor code, secret key, algorithm or clock
  | 'not_found' // 404
  | 'bad_request' // other 4xx
  | 'rate_limited' // 429
  | 'server' // 5xx, 408
  | 'network' // connection refused/reset, timeout
  | 'bad_response'; // 2xx whose body is not what the API documents

const RETRYABLE: ReadonlySet<TwoCheckoutApiErrorKind> = new Set(['rate_limited', 'server', 'network']);

export class TwoCheckoutApiError extends Error {
  override readonly name = 'TwoCheckoutApiError';
  readonly retryable: boolean;
  constructor(
    readonly kind: TwoCheckoutApiErrorKind,
    message: string,
    readonly status?: number,
    /** 2Checkout's `error_code`, when it sent one. */
    readonly code?: string,
    /** Milliseconds the server asked us to wait (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.retryable = RETRYABLE.has(kind);
  }
}

/** 2Checkout answers errors as `{"error_code": "...", "message": "..."}`; other shapes are tolerated. */
const errorBody = z.object({ error_code: z.string().optional(), message: z.string().optional() }).loose();

export function kindForStatus(status: number): TwoCheckoutApiErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500 || status === 408) return 'server';
  return 'bad_request';
}

const ADVICE: Record<TwoCheckoutApiErrorKind, string> = {
  auth: 'check TWOCHECKOUT_VENDOR_CODE, TWOCHECKOUT_API_SECRET_KEY, TWOCHECKOUT_API_HASH_ALGORITHM and that this host keeps time by NTP',
  not_found: 'the order or path does not exist for this account',
  bad_request: 'the request was refused as invalid; this is a bug or an unsupported filter, not a transient failure',
  rate_limited: 'the API is throttling us; lower TWOCHECKOUT_API_RATE',
  server: 'the API failed; it is retried',
  network: 'the API could not be reached; it is retried',
  bad_response: 'the answer does not have the documented shape',
};

export function errorFromResponse(
  call: string,
  status: number,
  bodyText: string,
  retryAfterMs?: number,
): TwoCheckoutApiError {
  let code: string | undefined;
  let detail: string | undefined;
  try {
    const parsed = errorBody.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      code = parsed.data.error_code;
      detail = parsed.data.message;
    }
  } catch {
    // not JSON (a proxy's HTML page): status alone
  }
  const kind = kindForStatus(status);
  const said = [code, detail].filter(Boolean).join(': ');
  return new TwoCheckoutApiError(
    kind,
    `2Checkout API ${call} failed with HTTP ${status}${said ? ` (${said})` : ''}: ${ADVICE[kind]}`,
    status,
    code,
    retryAfterMs,
  );
}

export function networkError(call: string, cause: unknown): TwoCheckoutApiError {
  const what =
    cause instanceof Error
      ? ('code' in cause && typeof cause.code === 'string' ? `${cause.code} ` : '') + cause.message
      : String(cause);
  return new TwoCheckoutApiError('network', `2Checkout API ${call} could not be reached (${what}): ${ADVICE.network}`);
}

export function badResponse(call: string, problem: string): TwoCheckoutApiError {
  return new TwoCheckoutApiError(
    'bad_response',
    `2Checkout API ${call} answered with an unexpected body (${problem}): ${ADVICE.bad_response}`,
  );
}
