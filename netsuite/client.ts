// The NetSuite SuiteTalk REST client: undici with keep-alive, OAuth 1.0 TBA or an OAuth 2.0 bearer
// token (client credentials, oauth2.ts) on every request, NetSuite's problem-details errors as
// typed NetSuiteErrors, and a shared adaptive limiter that keeps the account's concurrency budget
// full without tripping it (docs/reference-notes.md#ns-records, #ns-errors, #ns-suiteql). URLs are
// built in urls.ts and responses read in responses.ts; this file sends, retries and counts.
//
// Retry policy, on purpose narrow: a concurrency refusal (429 / CONCURRENCY_LIMIT_EXCEEDED) is
// retried here, because NetSuite refused it before doing anything; so is a read (GET, SuiteQL)
// answered 5xx or cut off, a couple of times, because a read changes nothing. Every other failure
// is thrown to the activity, whose Temporal retry policy owns retries: a write that timed out may
// have committed, and only the activity knows how to check that (by externalId) before trying
// again. (Without the read retries an activity that makes eight calls fails whenever any one of
// them meets a passing 5xx, and Temporal's back-off then grows for the whole activity.)
import { Agent, request } from 'undici';
import {
  errorFromResponse,
  networkError,
  parseProblemDetails,
  unexpectedResponseError,
  type CallDescription,
} from './errors.js';
import { abortableSleep, fullJitterMs } from './backoff.js';
import { AdaptiveLimiter, type LimiterPriority } from './limiter.js';
import { tbaAuthorizationHeader } from './oauth1.js';
import { OAuth2TokenSource, TOKEN_PATH } from './oauth2.js';
import {
  firstHeader,
  idFromLocation,
  isConcurrencyRefusal,
  parseJson,
  recordIdSchema,
  recordSchema,
  suiteQlResponseSchema,
  suiteQlRow,
  type RawResponse,
} from './responses.js';
import {
  NetSuiteError,
  type NetSuiteAuth,
  type NetSuiteClientOptions,
  type NetSuiteClientStats,
  type NetSuiteLogger,
  type NetSuiteRestClient,
} from './types.js';
import type { RecordKey, RequestOptions, SuiteQlPage, SuiteQlRow, TbaCredentials } from './types.js';
import { recordPath, recordTypeSegment, replaceQuery, requestUrl, serviceRoot } from './urls.js';
import { currentTraceContext, inSpan, pastSpan, SpanKind } from '../shared/trace-spans.js';
import { SuiteQl } from './suiteql.js';

export function createNetSuiteClient(opts: NetSuiteClientOptions): NetSuiteRestClient {
  return new UndiciNetSuiteClient(opts);
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Exchange extends CallDescription {
  method: HttpMethod;
  /** Below `/services/rest`, e.g. `/record/v1/customer`. */
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
  suiteql?: boolean;
  opts?: RequestOptions;
}

const SUITEQL_MAX_LIMIT = 1000;
/** NetSuite pages reach at most this many SuiteQL rows (docs/reference-notes.md#ns-suiteql). */
const SUITEQL_MAX_ROWS = 100_000;

class UndiciNetSuiteClient implements NetSuiteRestClient {
  readonly limiter: AdaptiveLimiter;
  private readonly root: string;
  private readonly credentials: TbaCredentials | undefined;
  private readonly tokens: OAuth2TokenSource | undefined;
  private readonly authKind: NetSuiteAuth['kind'];
  private readonly timeoutMs: number;
  private readonly logger: NetSuiteLogger | undefined;
  private readonly maxConcurrencyRetries: number;
  private readonly maxReadRetries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly maxInClientWaitMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly agent: Agent;
  private readonly callsByKind: Record<string, number> = {};
  private readonly errorsByKind: Record<string, number> = {};
  /** So an error of a nested call (the look-up after an upsert) is counted once. */
  private readonly countedErrors = new WeakSet<NetSuiteError>();
  private rejected429 = 0;
  private requests = 0;
  private tokenRequests = 0;

  constructor(opts: NetSuiteClientOptions) {
    this.root = serviceRoot(opts.baseUrl);
    const auth: NetSuiteAuth | undefined =
      opts.auth ?? (opts.credentials ? { kind: 'tba', credentials: opts.credentials } : undefined);
    if (!auth) throw new TypeError('NetSuite client: give `auth` (TBA or OAuth 2.0) or TBA `credentials`');
    this.authKind = auth.kind;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.limiter = opts.limiter ?? new AdaptiveLimiter({ max: 4 });
    this.logger = opts.logger;
    this.maxConcurrencyRetries = opts.maxConcurrencyRetries ?? 3;
    this.maxReadRetries = opts.maxReadRetries ?? 2;
    this.backoffBaseMs = opts.concurrencyBackoff?.baseMs ?? 250;
    this.backoffCapMs = opts.concurrencyBackoff?.capMs ?? 8_000;
    this.maxInClientWaitMs = opts.maxInClientWaitMs ?? 30_000;
    this.sleep = opts.sleep ?? abortableSleep;
    this.random = opts.random ?? Math.random;
    this.agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
    this.credentials = auth.kind === 'tba' ? auth.credentials : undefined;
    this.tokens =
      auth.kind === 'oauth2'
        ? new OAuth2TokenSource({
            tokenUrl: `${this.root}${TOKEN_PATH}`,
            credentials: auth,
            dispatcher: this.agent,
            timeoutMs: this.timeoutMs,
            now: opts.now ?? Date.now,
            onRequest: () => {
              this.tokenRequests += 1;
            },
          })
        : undefined;
  }

  async create(type: string, body: Record<string, unknown>, opts?: RequestOptions): Promise<{ id: string }> {
    const ex: Exchange = { method: 'POST', call: `create:${type}`, path: recordPath(type), body, opts };
    return this.track(ex, async () => {
      const res = await this.expectSuccess(ex);
      const id = idFromLocation(res.location);
      if (id === undefined)
        throw unexpectedResponseError(ex, res.status, 'sent no Location header with the new internal id');
      return { id };
    });
  }

  async get(
    type: string,
    key: RecordKey,
    opts?: RequestOptions & { expandSubResources?: boolean; fields?: string[] },
  ): Promise<Record<string, unknown> | undefined> {
    const query: Array<[string, string]> = [];
    if (opts?.expandSubResources) query.push(['expandSubResources', 'true']);
    if (opts?.fields?.length) query.push(['fields', opts.fields.join(',')]);
    const ex: Exchange = { method: 'GET', call: `get:${type}`, path: recordPath(type, key), query, opts };
    return this.track(ex, async () => {
      const res = await this.exchangeRead(ex);
      if (res.status === 404 && parseProblemDetails(res.bodyText)?.details.some((d) => d.code === 'NONEXISTENT_ID'))
        return undefined;
      this.throwUnlessSuccess(ex, res);
      return parseJson(ex, res, recordSchema);
    });
  }

  async update(type: string, key: RecordKey, body: Record<string, unknown>, opts?: RequestOptions): Promise<void> {
    const ex: Exchange = {
      method: 'PATCH',
      call: `update:${type}`,
      path: recordPath(type, key),
      query: replaceQuery(opts),
      body,
      opts,
    };
    return this.track(ex, async () => {
      await this.expectSuccess(ex);
    });
  }

  async upsert(
    type: string,
    externalId: string,
    body: Record<string, unknown>,
    opts?: RequestOptions,
  ): Promise<{ id: string }> {
    // Accept `eid:x` as well as `x`: callers think of the URL key and of the value alike.
    const eid = externalId.startsWith('eid:') ? externalId.slice(4) : externalId;
    if (eid === '') throw new TypeError(`NetSuite upsert:${type}: externalId must not be empty`);
    const ex: Exchange = {
      method: 'PUT',
      call: `upsert:${type}`,
      path: recordPath(type, `eid:${eid}`),
      query: replaceQuery(opts),
      body,
      opts,
    };
    return this.track(ex, async () => {
      const res = await this.expectSuccess(ex);
      // Whether PUT returns Location is UNCONFIRMED (docs/reference-notes.md#ns-records): read the id back when it does not.
      return { id: idFromLocation(res.location) ?? (await this.idByExternalId(ex, res.status, type, eid, opts)) };
    });
  }

  async transform(
    srcType: string,
    srcKey: RecordKey,
    targetType: string,
    body: Record<string, unknown>,
    opts?: RequestOptions,
  ): Promise<{ id: string }> {
    const ex: Exchange = {
      method: 'POST',
      call: `transform:${srcType}->${targetType}`,
      path: `${recordPath(srcType, srcKey)}/!transform/${recordTypeSegment(targetType)}`,
      // A credit memo carries only the refunded lines: `?replace=item` drops the lines the
      // transform copied from the invoice instead of appending ours to them (docs/reference-notes.md#ns-records).
      query: replaceQuery(opts),
      body,
      opts,
    };
    return this.track(ex, async () => {
      const res = await this.expectSuccess(ex);
      const id = idFromLocation(res.location);
      if (id !== undefined) return { id };
      // Location on transforms is UNCONFIRMED too: without it, only an externalId can find the new record.
      const eid = typeof body.externalId === 'string' ? body.externalId : undefined;
      if (eid === undefined)
        throw unexpectedResponseError(
          ex,
          res.status,
          'sent no Location header, and the body carried no externalId to look the new record up by',
        );
      return { id: await this.idByExternalId(ex, res.status, targetType, eid, opts) };
    });
  }

  async delete(type: string, key: RecordKey, opts?: RequestOptions): Promise<void> {
    const ex: Exchange = { method: 'DELETE', call: `delete:${type}`, path: recordPath(type, key), opts };
    return this.track(ex, async () => {
      await this.expectSuccess(ex);
    });
  }

  async suiteql(q: SuiteQl, page?: { limit?: number; offset?: number }, opts?: RequestOptions): Promise<SuiteQlPage> {
    // The type says so; this says it to JavaScript callers too: a plain string may carry a value nobody quoted.
    if (!(q instanceof SuiteQl))
      throw new TypeError(
        'NetSuite suiteql: build the query with the suiteql`…` template (netsuite/suiteql.ts), not a plain string',
      );
    const limit = page?.limit ?? SUITEQL_MAX_LIMIT;
    const offset = page?.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > SUITEQL_MAX_LIMIT)
      throw new RangeError(`SuiteQL limit must be an integer in 1..${SUITEQL_MAX_LIMIT}, got ${limit}`);
    // NetSuite refuses an offset that is not a multiple of the limit (docs/reference-notes.md#ns-hosts).
    if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0)
      throw new RangeError(`SuiteQL offset must be a non-negative multiple of limit ${limit}, got ${offset}`);
    const ex: Exchange = {
      method: 'POST',
      call: 'suiteql',
      path: '/query/v1/suiteql',
      query: [
        ['limit', String(limit)],
        ['offset', String(offset)],
      ],
      // Only `q`: SuiteQL over REST has no bound parameters (docs/reference-notes.md#ns-suiteql).
      body: { q: q.text },
      suiteql: true,
      opts,
    };
    return this.track(ex, async () => {
      const res = await this.exchangeRead(ex);
      this.throwUnlessSuccess(ex, res);
      const parsed = parseJson(ex, res, suiteQlResponseSchema);
      const items = parsed.items.map((item) => suiteQlRow(ex, res.status, item));
      return {
        items,
        hasMore: parsed.hasMore,
        totalResults: parsed.totalResults ?? offset + items.length,
        offset: parsed.offset ?? offset,
        count: parsed.count ?? items.length,
      };
    });
  }

  async suiteqlAll(q: SuiteQl, opts?: RequestOptions): Promise<SuiteQlRow[]> {
    const rows: SuiteQlRow[] = [];
    for (let offset = 0; ; offset += SUITEQL_MAX_LIMIT) {
      const page = await this.suiteql(q, { limit: SUITEQL_MAX_LIMIT, offset }, opts);
      // Beyond 100 000 rows NetSuite cannot page; a silently partial answer would lose data.
      if (page.totalResults > SUITEQL_MAX_ROWS || (page.hasMore && offset + SUITEQL_MAX_LIMIT >= SUITEQL_MAX_ROWS)) {
        throw new NetSuiteError(
          `NetSuite suiteql: the query matches ${page.totalResults} rows, but SuiteQL paging reaches only the first ${SUITEQL_MAX_ROWS}; narrow the query (e.g. by date window)`,
          'user',
          undefined,
        );
      }
      rows.push(...page.items);
      if (!page.hasMore) return rows;
      if (page.items.length === 0) {
        throw unexpectedResponseError(
          { method: 'POST', call: 'suiteql' },
          200,
          `said hasMore with an empty page at offset ${offset}`,
        );
      }
    }
  }

  stats(): NetSuiteClientStats {
    return {
      callsByKind: { ...this.callsByKind },
      errorsByKind: { ...this.errorsByKind },
      rejected429: this.rejected429,
      requests: this.requests,
      tokenRequests: this.tokenRequests,
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** Counts the call and, when it fails with a NetSuiteError, the error kind; one span per call (shared/trace-spans.ts). */
  private async track<T>(ex: Exchange, run: () => Promise<T>): Promise<T> {
    this.callsByKind[ex.call] = (this.callsByKind[ex.call] ?? 0) + 1;
    try {
      return await inSpan(
        `netsuite ${ex.call}`,
        { 'netsuite.call': ex.call, 'netsuite.lane': ex.opts?.priority ?? 'bulk' },
        run,
        SpanKind.CLIENT,
      );
    } catch (err) {
      if (err instanceof NetSuiteError && !this.countedErrors.has(err)) {
        this.countedErrors.add(err);
        this.errorsByKind[err.kind] = (this.errorsByKind[err.kind] ?? 0) + 1;
      }
      throw err;
    }
  }

  private async expectSuccess(ex: Exchange): Promise<RawResponse> {
    const res = await this.exchange(ex);
    this.throwUnlessSuccess(ex, res);
    return res;
  }

  private throwUnlessSuccess(ex: Exchange, res: RawResponse): void {
    if (res.status >= 200 && res.status < 300) return;
    const err = errorFromResponse({ method: ex.method, call: ex.call, auth: this.authKind }, res);
    this.logger?.debug(
      { call: ex.call, status: res.status, kind: err.kind, code: err.code },
      'NetSuite request failed',
    );
    throw err;
  }

  /** Reads back the internal id of `type/eid:{externalId}`, for writes that sent no Location. */
  private async idByExternalId(
    write: Exchange,
    writeStatus: number,
    type: string,
    externalId: string,
    opts?: RequestOptions,
  ): Promise<string> {
    const record = await this.get(type, `eid:${externalId}`, opts);
    if (record === undefined)
      throw unexpectedResponseError(
        write,
        writeStatus,
        `sent no Location header, and ${type} eid:${externalId} was not found afterwards`,
      );
    const parsed = recordIdSchema.safeParse(record);
    if (!parsed.success)
      throw unexpectedResponseError(
        write,
        writeStatus,
        `sent no Location header, and ${type} eid:${externalId} came back without an id`,
      );
    return String(parsed.data.id);
  }

  /** exchange() for a request that changes nothing: a 5xx or a lost connection is tried again (maxReadRetries). */
  private async exchangeRead(ex: Exchange): Promise<RawResponse> {
    const signal = ex.opts?.signal;
    for (let retry = 0; ; retry += 1) {
      let res: RawResponse | undefined;
      let failure: unknown;
      try {
        res = await this.exchange(ex);
      } catch (err) {
        failure = err;
      }
      const transient = res
        ? res.status >= 500
        : failure instanceof NetSuiteError && failure.kind === 'network' && !signal?.aborted;
      if (!transient || retry >= this.maxReadRetries) {
        if (res) return res;
        throw failure;
      }
      this.logger?.debug(
        { call: ex.call, retry: retry + 1, status: res?.status ?? 'no response' },
        'NetSuite read failed in passing: trying again',
      );
      await this.sleep(this.backoffMs(retry), signal);
    }
  }

  /**
   * Sends the request through the limiter, retrying only concurrency refusals. Returns any other
   * response; throws NetSuiteError `network` without a response, `concurrency` when retries ran out.
   */
  private async exchange(ex: Exchange): Promise<RawResponse> {
    const priority: LimiterPriority = ex.opts?.priority ?? 'bulk';
    const signal = ex.opts?.signal;
    const priorityKey = ex.opts?.priorityKey;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt += 1) {
      // The token is fetched (or taken from the cache) before queueing, so no slot waits on it.
      const bearer = this.tokens ? await this.tokens.accessToken(signal) : undefined;
      // Spans of the wait for a slot and of each HTTP attempt, parented to this call (the limiter
      // starts queued work from whichever request ends first).
      const parent = currentTraceContext();
      const queuedAt = Date.now();
      const res = await this.limiter.run(
        async (permit) => {
          pastSpan(
            'netsuite limiter wait',
            queuedAt,
            { 'netsuite.lane': priority, 'netsuite.limit': this.limiter.limit },
            parent,
          );
          const r = await inSpan(
            `netsuite HTTP ${ex.method}`,
            { 'http.request.method': ex.method, 'url.path': ex.path, 'netsuite.attempt': attempt + 1 },
            async (span) => {
              const answer = await this.sendOnce(ex, bearer);
              span?.setAttribute('http.response.status_code', answer.status);
              return answer;
            },
            SpanKind.CLIENT,
            parent,
          );
          if (isConcurrencyRefusal(r)) permit.reportConcurrencyLimit();
          return r;
        },
        priority,
        { ...(signal ? { signal } : {}), ...(priorityKey !== undefined ? { priorityKey } : {}) },
      );
      if (res.status === 401 && bearer !== undefined && this.tokens && !reauthenticated) {
        // The token was revoked or expired early: NetSuite did not process the request, so a new
        // token and one more try are safe. A second 401 is returned to the caller.
        this.tokens.invalidate(bearer);
        reauthenticated = true;
        attempt -= 1;
        this.logger?.info(
          { call: ex.call },
          'NetSuite refused the OAuth 2.0 token: fetching a new one and retrying once',
        );
        continue;
      }
      if (!isConcurrencyRefusal(res)) return res;
      this.rejected429 += 1;
      const err = errorFromResponse(ex, res);
      const waitMs = err.retryAfterMs ?? this.backoffMs(attempt);
      if (attempt >= this.maxConcurrencyRetries || waitMs > this.maxInClientWaitMs) {
        this.logger?.warn(
          { call: ex.call, attempts: attempt + 1, limit: this.limiter.limit },
          'NetSuite concurrency limit: giving up inside the client',
        );
        throw err;
      }
      this.logger?.debug(
        { call: ex.call, attempt: attempt + 1, waitMs, limit: this.limiter.limit },
        'NetSuite concurrency limit: retrying',
      );
      // Wait outside the limiter: a sleeping retry must not hold a slot.
      await this.sleep(waitMs, signal);
    }
  }

  /** Full jitter (random in [0, min(cap, base·2^n)]), so refused callers do not retry in lockstep. */
  private backoffMs(attempt: number): number {
    return fullJitterMs(attempt, { baseMs: this.backoffBaseMs, capMs: this.backoffCapMs }, this.random);
  }

  /** One signed HTTP request; the whole body is read before the limiter slot is released. */
  private async sendOnce(ex: Exchange, bearer: string | undefined): Promise<RawResponse> {
    const url = requestUrl(this.root, ex.path, ex.query);
    const headers: Record<string, string> = {
      // TBA is signed here, inside the slot, so the timestamp is fresh when the request leaves.
      authorization:
        bearer !== undefined
          ? `Bearer ${bearer}`
          : tbaAuthorizationHeader({ method: ex.method, url, ...this.credentials! }),
      accept: 'application/json',
    };
    if (ex.body !== undefined) headers['content-type'] = 'application/json';
    if (ex.suiteql) headers.prefer = 'transient';

    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const callerSignal = ex.opts?.signal;
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    this.requests += 1;
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: ex.method,
        headers,
        body: ex.body === undefined ? null : JSON.stringify(ex.body),
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const bodyText = await res.body.text();
      this.logger?.debug({ call: ex.call, method: ex.method, status: res.statusCode }, 'NetSuite response');
      const location = firstHeader(res.headers.location);
      const retryAfter = firstHeader(res.headers['retry-after']);
      return {
        status: res.statusCode,
        bodyText,
        ...(location ? { location } : {}),
        ...(retryAfter ? { retryAfter } : {}),
      };
    } catch (err) {
      // A cancelled activity: surface the cancellation itself, not a retryable network error.
      if (callerSignal?.aborted) throw callerSignal.reason ?? err;
      if (timeout.signal.aborted)
        throw networkError(ex, err, `no complete response within ${this.timeoutMs} ms (timeout)`);
      throw networkError(ex, err);
    } finally {
      clearTimeout(timer);
    }
  }
}
