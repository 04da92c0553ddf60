// Test helpers for the sandbox's own tests: a tiny signed HTTP client (OAuth 1.0 TBA), so the
// tests go over HTTP exactly like the project's NetSuite client.
import { tbaAuthorizationHeader, type TbaSigningInput } from '../../netsuite/oauth1.js';
import type { TbaCredentials } from '../../netsuite/types.js';
import type { SuiteQl } from '../../netsuite/suiteql.js';
import type { NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { SANDBOX_CREDENTIALS } from '../support/sandbox.js';

export interface NsResponse {
  status: number;
  headers: Headers;
  json: unknown;
  /** Parsed JSON as a plain object (throws when the body is not one). */
  body: Record<string, unknown>;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Overrides for the signature (wrong secret, old timestamp, fixed nonce, …). */
  sign?: Partial<TbaSigningInput>;
  /** Replace the whole Authorization header. */
  authorization?: string;
  signal?: AbortSignal;
}

export function client(sandbox: NetSuiteSandbox, credentials: TbaCredentials = SANDBOX_CREDENTIALS) {
  return async function call(
    method: string,
    path: string,
    body?: unknown,
    opts: CallOptions = {},
  ): Promise<NsResponse> {
    const url = `${sandbox.url}${path}`;
    const authorization = opts.authorization ?? tbaAuthorizationHeader({ method, url, ...credentials, ...opts.sign });
    const res = await fetch(url, {
      method,
      headers: {
        Authorization: authorization,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...opts.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: opts.signal,
    });
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    return {
      status: res.status,
      headers: res.headers,
      json,
      get body(): Record<string, unknown> {
        if (typeof json !== 'object' || json === null || Array.isArray(json))
          throw new Error(`not a JSON object: ${text}`);
        return json as Record<string, unknown>;
      },
    };
  };
}

export type Call = ReturnType<typeof client>;

export const REC = '/services/rest/record/v1';
export const SUITEQL = '/services/rest/query/v1/suiteql';

/** The internal id at the end of a Location header. */
export function idFrom(res: NsResponse): string {
  const location = res.headers.get('location');
  if (res.status !== 204 || !location)
    throw new Error(`expected 204 with Location, got ${res.status}: ${JSON.stringify(res.json)}`);
  return location.slice(location.lastIndexOf('/') + 1);
}

/** First `o:errorDetails` entry of a problem body. */
export function firstError(res: NsResponse): { detail: string; code: string; path?: string } {
  const details = res.body['o:errorDetails'] as Array<Record<string, string>> | undefined;
  const d = details?.[0];
  if (!d) throw new Error(`no o:errorDetails in ${JSON.stringify(res.json)}`);
  return { detail: d.detail ?? '', code: d['o:errorCode'] ?? '', path: d['o:errorPath'] };
}

/** POST a SuiteQL query (`{q}` only, as NetSuite takes it); `query` is the URL's `?limit=…&offset=…`. */
export async function suiteql(call: Call, q: SuiteQl | string, query = ''): Promise<NsResponse> {
  return suiteqlBody(call, { q: String(q) }, query);
}

/** POST any body to the SuiteQL endpoint (to see what it refuses). */
export async function suiteqlBody(call: Call, body: Record<string, unknown>, query = ''): Promise<NsResponse> {
  return call('POST', `${SUITEQL}${query}`, body, { headers: { Prefer: 'transient' } });
}

/** Creates a customer in USD (subsidiary 1) and returns its id. */
export async function createCustomer(call: Call, fields: Record<string, unknown> = {}): Promise<string> {
  return idFrom(
    await call('POST', `${REC}/customer`, {
      companyName: 'Acme Ltd',
      email: 'buyer@example.com',
      subsidiary: { id: '1' },
      ...fields,
    }),
  );
}
