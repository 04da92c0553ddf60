// The NetSuite REST client's interface. Activities depend on this, never on HTTP details, so the
// same code runs against real NetSuite and the sandbox (only base URL and credentials differ).
// Below it, what builds and observes the REST client (options, stats): the worker's side.
import type { AdaptiveLimiter } from './limiter.js';
import type { SuiteQl } from './suiteql.js';

/** Credentials for OAuth 1.0 token-based authentication (docs/reference-notes.md#ns-auth). */
export interface TbaCredentials {
  /** e.g. `1234567_SB1`; the OAuth realm is derived from it. */
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** JWT signature algorithms the client signs OAuth 2.0 client assertions with (docs/reference-notes.md#ns-auth). */
export type OAuth2JwtAlgorithm = 'PS256' | 'ES256';

/** OAuth 2.0 client credentials (machine-to-machine) with a certificate (docs/reference-notes.md#ns-auth). */
export interface OAuth2ClientCredentials {
  /** e.g. `1234567_SB1`. */
  accountId: string;
  /** Client id (consumer key) of the integration record. */
  clientId: string;
  /** Certificate id from Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup; the JWT `kid`. */
  certificateId: string;
  /** PKCS#8 / PKCS#1 / SEC1 PEM of the private key whose certificate was uploaded. */
  privateKeyPem: string;
  /** Default PS256 (RSA key); ES256 needs a P-256 key. */
  algorithm?: OAuth2JwtAlgorithm;
  /** Default `['rest_webservices']`. */
  scope?: string[];
}

/** How the client authenticates: OAuth 1.0 TBA, or OAuth 2.0 client credentials (Oracle's path for new integrations). */
export type NetSuiteAuth =
  { kind: 'tba'; credentials: TbaCredentials } | ({ kind: 'oauth2' } & OAuth2ClientCredentials);

/** What NetSuite's SuiteQL returns per row: lower-case column names, values usually strings. */
export type SuiteQlRow = Record<string, string | number | boolean | null | undefined>;

export interface SuiteQlPage {
  items: SuiteQlRow[];
  hasMore: boolean;
  totalResults: number;
  offset: number;
  count: number;
}

export interface RequestOptions {
  /** Aborts the HTTP request (e.g. the activity's cancellationSignal). */
  signal?: AbortSignal;
  /** Priority lane for the client's concurrency limiter: payments/refunds jump the bulk queue. */
  priority?: 'bulk' | 'money';
  /**
   * Temporal task priority key of the activity making the call (1 first; 3 when absent): the
   * limiter starts queued calls by it before the lane, so a live order's call is not stuck behind
   * a backfill's calls the worker already holds.
   */
  priorityKey?: number;
  /**
   * Sublists to replace rather than merge on update/upsert/transform (`?replace=item`, docs/reference-notes.md#ns-records):
   * without it a repeated upsert APPENDS its item lines to the existing ones.
   */
  replace?: string[];
}

/** Identifies a record in a URL: an internal id, or `eid:<externalId>`. */
export type RecordKey = string;

export interface NetSuiteClient {
  /** POST /record/v1/{type} → internal id from Location. */
  create(type: string, body: Record<string, unknown>, opts?: RequestOptions): Promise<{ id: string }>;
  /** GET /record/v1/{type}/{key}; undefined on 404 NONEXISTENT_ID. */
  get(
    type: string,
    key: RecordKey,
    opts?: RequestOptions & { expandSubResources?: boolean; fields?: string[] },
  ): Promise<Record<string, unknown> | undefined>;
  /** PATCH /record/v1/{type}/{key}. */
  update(type: string, key: RecordKey, body: Record<string, unknown>, opts?: RequestOptions): Promise<void>;
  /** PUT /record/v1/{type}/eid:{externalId} → internal id (from Location, or a GET when absent). */
  upsert(
    type: string,
    externalId: string,
    body: Record<string, unknown>,
    opts?: RequestOptions,
  ): Promise<{ id: string }>;
  /** POST /record/v1/{srcType}/{srcId}/!transform/{targetType} → new internal id. */
  transform(
    srcType: string,
    srcKey: RecordKey,
    targetType: string,
    body: Record<string, unknown>,
    opts?: RequestOptions,
  ): Promise<{ id: string }>;
  /** DELETE /record/v1/{type}/{key}. */
  delete(type: string, key: RecordKey, opts?: RequestOptions): Promise<void>;
  /**
   * POST /query/v1/suiteql (Prefer: transient) with the body `{q}` only: REST has no bound
   * parameters, so values are written into the query by the `suiteql` template (suiteql.ts).
   */
  suiteql(q: SuiteQl, page?: { limit?: number; offset?: number }, opts?: RequestOptions): Promise<SuiteQlPage>;
  /** Every row of a query, following pages. */
  suiteqlAll(q: SuiteQl, opts?: RequestOptions): Promise<SuiteQlRow[]>;
}

/** How a failed call should be treated. */
export type NetSuiteErrorKind =
  | 'auth' // 401 INVALID_LOGIN: credentials (or NetSuite overload): retry slowly, alert
  | 'concurrency' // 429 CONCURRENCY_LIMIT_EXCEEDED: back off and retry
  | 'user' // 400 USER_ERROR / INVALID_CONTENT …: a person must fix data or mapping
  | 'conflict' // 400 "Record has been changed": another writer saved the record first; read it again and retry
  | 'not_found' // 404 NONEXISTENT_ID
  | 'permission' // 403
  | 'server' // 5xx
  | 'network'; // no response (timeout, reset, DNS)

/** One entry of `o:errorDetails`. */
export interface NetSuiteErrorDetail {
  detail: string;
  code: string;
  path?: string;
}

export class NetSuiteError extends Error {
  override readonly name = 'NetSuiteError';
  constructor(
    message: string,
    readonly kind: NetSuiteErrorKind,
    readonly status: number | undefined,
    readonly details: NetSuiteErrorDetail[] = [],
    /** Retry-After in ms, when the server sent one. */
    readonly retryAfterMs?: number,
    /** The underlying error (e.g. the socket error behind a `network` failure). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** True when waiting and trying again can succeed without anyone changing anything. */
  get retryable(): boolean {
    return (
      this.kind === 'concurrency' ||
      this.kind === 'conflict' ||
      this.kind === 'server' ||
      this.kind === 'network' ||
      this.kind === 'auth'
    );
  }
  /** First NetSuite error code, e.g. USER_ERROR. */
  get code(): string | undefined {
    return this.details[0]?.code;
  }
}

/** The subset of pino the client uses. Only call names, statuses and counts are logged. */
export interface NetSuiteLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface NetSuiteClientOptions {
  /** e.g. `https://1234567-sb1.suitetalk.api.netsuite.com` (with or without `/services/rest`), or the sandbox URL. */
  baseUrl: string;
  /** OAuth 1.0 TBA credentials; ignored when `auth` is given. */
  credentials?: TbaCredentials;
  /** How to authenticate: TBA or OAuth 2.0 client credentials. Takes precedence over `credentials`. */
  auth?: NetSuiteAuth;
  /** Per HTTP request, from sending to the last body byte (default 120 000). */
  timeoutMs?: number;
  /** Shared concurrency limiter; default: a private one of size 4. */
  limiter?: AdaptiveLimiter;
  logger?: NetSuiteLogger;
  /** In-client retries of a concurrency refusal before throwing kind `concurrency` (default 3). */
  maxConcurrencyRetries?: number;
  /** Reads (GET, SuiteQL) answered 5xx or cut off are tried again this many times inside the client (default 2). */
  maxReadRetries?: number;
  /** Backoff between those retries: full jitter over min(capMs, baseMs·2^n) (default 250 ms, cap 8 s). */
  concurrencyBackoff?: { baseMs?: number; capMs?: number };
  /**
   * A Retry-After longer than this is not waited out inside the client: the error is thrown at once
   * with `retryAfterMs`, so the activity can hand it to Temporal as `nextRetryDelay` (default 30 000).
   */
  maxInClientWaitMs?: number;
  /** Seams for tests and simulations: how to wait, and the jitter source (default Math.random). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Clock for OAuth 2.0 token expiry and assertion times (default Date.now). */
  now?: () => number;
}

export interface NetSuiteClientStats {
  /** Calls made through the public API, e.g. `create:customer`, `transform:salesOrder->invoice`, `suiteql`. */
  callsByKind: Record<string, number>;
  /** Calls that ended in a NetSuiteError, by error kind (`user`, `concurrency`, `network`, …). */
  errorsByKind: Record<string, number>;
  /** HTTP responses that were concurrency refusals, including the ones retried successfully. */
  rejected429: number;
  /** HTTP requests sent (retries and look-ups included; token requests not). */
  requests: number;
  /** OAuth 2.0 token requests (0 with TBA). */
  tokenRequests: number;
}

export interface NetSuiteRestClient extends NetSuiteClient {
  readonly limiter: AdaptiveLimiter;
  stats(): NetSuiteClientStats;
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}
