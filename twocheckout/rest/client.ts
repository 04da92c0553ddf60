// 2Checkout REST API 6.0 client (undici): signs every call with `X-Avangate-Authentication`,
// paces itself with its own limiter, validates answers with zod and throws TwoCheckoutApiError
// (whose `retryable` says whether trying again can help). It does not retry by itself: the
// callers are Temporal activities, whose retry policy does that durably.
import { Agent, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { AUTH_HEADER, authenticationHeader, type ApiCredentials } from './auth.js';
import { badResponse, errorFromResponse, networkError, TwoCheckoutApiError } from './errors.js';
import { ApiRateLimiter } from './limiter.js';
import { ApiOrder, ApiOrderPage, type OrderPage, type OrderSearch } from './orders.js';
import { currentTraceContext, inSpan, pastSpan, SpanKind } from '../../shared/trace-spans.js';

export const DEFAULT_API_BASE_URL = 'https://api.2checkout.com/rest/6.0/';
export const DEFAULT_PAGE_LIMIT = 100;

export interface TwoCheckoutApiClientOptions extends ApiCredentials {
  /** Default https://api.2checkout.com/rest/6.0/ (trailing slash kept). */
  baseUrl?: string;
  limiter?: ApiRateLimiter;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => Date;
}

export interface TwoCheckoutApiStats {
  calls: number;
  failures: number;
}

export interface TwoCheckoutApiClient {
  searchOrders(search: OrderSearch): Promise<OrderPage>;
  /** Every order of the search, page by page (`Limit` per page, default 100). */
  listOrders(search: Omit<OrderSearch, 'Page'>): AsyncGenerator<OrderPage>;
  /** One order; undefined when 2Checkout does not know it (404). */
  getOrder(refNo: string): Promise<ApiOrder | undefined>;
  /** Any other GET of the API (signed, rate-limited, typed errors), e.g. the payouts of twocheckout/rest/payouts.ts. */
  getJson(call: string, path: string, query?: Record<string, string>): Promise<unknown>;
  /**
   * A call that acts (POST, PUT, DELETE) with a JSON body, e.g. the refund of twocheckout/rest/refunds.ts.
   * Never tried again here: whether a second try is safe is the caller's question.
   */
  sendJson(call: string, method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
  readonly stats: TwoCheckoutApiStats;
  close(): Promise<void>;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function createTwoCheckoutApiClient(opts: TwoCheckoutApiClientOptions): TwoCheckoutApiClient {
  const base = withSlash(opts.baseUrl ?? DEFAULT_API_BASE_URL);
  const limiter = opts.limiter ?? new ApiRateLimiter({ ratePerSecond: 5, concurrency: 2 });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const ownAgent = opts.dispatcher ? undefined : new Agent({ keepAliveTimeout: 10_000, connections: 8 });
  const dispatcher = opts.dispatcher ?? ownAgent!;
  const now = opts.now ?? (() => new Date());
  const stats: TwoCheckoutApiStats = { calls: 0, failures: 0 };

  async function callJson(
    call: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    query: Record<string, string>,
    body?: unknown,
  ): Promise<unknown> {
    // Every path ends with a slash: the API requires it.
    const url = new URL(withSlash(path), base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const parent = currentTraceContext();
    const queuedAt = Date.now();
    return inSpan(
      `2checkout ${call}`,
      { '2checkout.call': call },
      () =>
        limiter.run(async () => {
          pastSpan('2checkout limiter wait', queuedAt, {}, parent);
          stats.calls++;
          let res: Dispatcher.ResponseData;
          try {
            res = await request(url, {
              method,
              dispatcher,
              headersTimeout: timeoutMs,
              bodyTimeout: timeoutMs,
              headers: {
                accept: 'application/json',
                'content-type': 'application/json',
                [AUTH_HEADER]: authenticationHeader(opts, now()),
              },
              ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            });
          } catch (e) {
            stats.failures++;
            throw networkError(call, e);
          }
          const text = await res.body.text();
          if (res.statusCode < 200 || res.statusCode >= 300) {
            stats.failures++;
            const retryAfter = Number(res.headers['retry-after']);
            const retryAfterMs = Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined;
            if (res.statusCode === 429) limiter.pause(retryAfterMs ?? 1_000);
            throw errorFromResponse(call, res.statusCode, text, retryAfterMs);
          }
          // A DELETE may answer with no body at all.
          if (method !== 'GET' && text.trim() === '') return true;
          try {
            return JSON.parse(text) as unknown;
          } catch {
            stats.failures++;
            throw badResponse(call, 'not JSON');
          }
        }),
      SpanKind.CLIENT,
      parent,
    );
  }

  const parseOrder = (call: string, raw: unknown): ApiOrder => {
    const r = ApiOrder.safeParse(raw);
    if (!r.success) {
      const refNo =
        typeof raw === 'object' && raw !== null && 'RefNo' in raw ? String((raw as { RefNo: unknown }).RefNo) : '?';
      throw badResponse(call, `order ${refNo}: ${z.prettifyError(r.error).replace(/\n/g, '; ')}`);
    }
    return r.data;
  };

  async function searchOrders(search: OrderSearch): Promise<OrderPage> {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(search)) if (v !== undefined) query[k] = String(v);
    const page = search.Page ?? 1;
    const limit = search.Limit ?? DEFAULT_PAGE_LIMIT;
    query.Page = String(page);
    query.Limit = String(limit);
    const call = `GET /orders/ (page ${page})`;
    const body = ApiOrderPage.safeParse(await callJson(call, 'GET', 'orders/', query));
    if (!body.success) throw badResponse(call, 'neither {Items, Pagination} nor a list of orders');
    const items = Array.isArray(body.data) ? body.data : body.data.Items;
    const count = Array.isArray(body.data) ? undefined : body.data.Pagination?.Count;
    const orders = items.map((raw) => parseOrder(call, raw));
    const hasMore = count !== undefined ? page * limit < count : orders.length >= limit;
    return { orders, page, limit, ...(count !== undefined ? { count } : {}), hasMore };
  }

  return {
    stats,
    searchOrders,
    getJson: (call, path, query = {}) => callJson(call, 'GET', path, query),
    sendJson: (call, method, path, body) => callJson(call, method, path, {}, body),
    async *listOrders(search) {
      for (let page = 1; ; page++) {
        const p = await searchOrders({ ...search, Page: page });
        yield p;
        if (!p.hasMore || p.orders.length === 0) return;
      }
    },
    async getOrder(refNo) {
      const call = `GET /orders/${refNo}/`;
      try {
        return parseOrder(call, await callJson(call, 'GET', `orders/${encodeURIComponent(refNo)}/`, {}));
      } catch (e) {
        if (e instanceof TwoCheckoutApiError && e.kind === 'not_found') return undefined;
        throw e;
      }
    },
    async close() {
      await ownAgent?.close();
    },
  };
}
