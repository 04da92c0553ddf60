// The 2Checkout REST API 6.0 sandbox: a real HTTP server that checks `X-Avangate-Authentication`
// like 2Checkout does and serves `GET /rest/6.0/orders/` (StartDate/EndDate, Newer, Status,
// ApproveStatus, IncludeTestOrders, ExternalRefNo, Page, Limit; the last 7 days when no date is
// given) and `GET /rest/6.0/orders/{RefNo}/` from the shared store. It can answer slowly or with
// errors (faults), and records IPN bodies sent to `/__sandbox/ipn` by another process (the demo).
// It also acts: `POST …/orders/{RefNo}/refund/` (api/refunds.ts) and the subscription calls
// (api/subscriptions.ts), each followed by the notification 2Checkout sends, to the gateway named
// by `notify` / `notifyTo` (or `POST /__sandbox/notify-to`), so a refund requested and approved in
// the sync comes back through the same IPN path as one made in 2Checkout's Control Panel.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_HASH_ALGORITHMS,
  authDate,
  authHash,
  parseAuthenticationHeader,
  sameDigest,
} from '../../../twocheckout/rest/auth.js';
import { TwoCheckoutStore } from '../store.js';
import { renderApiOrder, viewOf } from './render.js';
import { PayoutBook, type PayoutRequest } from '../payouts.js';
import { PayoutRouteError, payoutsRoute } from './payouts.js';
import { RefundDesk } from './refunds.js';
import { ApiRouteError, DROP_ANSWER, type NotifyTarget } from './route-error.js';
import { SubscriptionDesk } from './subscriptions.js';

export interface ApiSandboxFaults {
  /** Added to every API answer. */
  latencyMs?: number;
  /** The next N API calls answer with this status (e.g. 500, 429, 503). */
  failNext?: { count: number; status: number };
  /** A refund is answered this long after it was recorded (its notification is sent meanwhile). */
  refundLatencyMs?: number;
  /** The next N refunds are made, then the connection is closed without an answer. */
  dropRefundAnswers?: number;
}

export interface ApiSandboxOptions {
  port?: number;
  host?: string;
  vendorCode: string;
  secretKey: string;
  store?: TwoCheckoutStore;
  /** How far the auth date may be from the sandbox clock (2Checkout's tolerance is not published). */
  clockSkewMs?: number;
  now?: () => Date;
  faults?: ApiSandboxFaults;
  /** Largest `Limit` accepted per page (2Checkout's own maximum is not published). */
  maxLimit?: number;
  /** Payouts made from the store's orders (sandbox/twocheckout/payouts.ts). */
  payouts?: PayoutBook;
  /** Where the notifications after a refund or subscription change go (else none are sent). */
  notify?: NotifyTarget;
  /** How old an order may be for an API refund (default 90 days: 2Checkout's REST page says 3 months). */
  refundWindowDays?: number;
}

export interface ApiSandbox {
  url: string;
  /** Base URL of the REST API, ending in `/rest/6.0/`. */
  apiUrl: string;
  store: TwoCheckoutStore;
  payouts: PayoutBook;
  faults: ApiSandboxFaults;
  /** API calls answered, by outcome. */
  stats: { calls: number; refused: number; failed: number };
  /** Refunds made through the API (and their notifications). */
  refunds: RefundDesk;
  subscriptions: SubscriptionDesk;
  /** Sets (or clears) where notifications after an act go, e.g. once the gateway is up. */
  notifyTo(target: NotifyTarget | undefined): void;
  close(): Promise<void>;
}

const PREFIX = '/rest/6.0/';
const DEFAULT_WINDOW_DAYS = 7;
const DEFAULT_LIMIT = 10;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export async function startTwoCheckoutApiSandbox(opts: ApiSandboxOptions): Promise<ApiSandbox> {
  const store = opts.store ?? new TwoCheckoutStore();
  const now = opts.now ?? (() => new Date());
  const skew = opts.clockSkewMs ?? 10 * 60_000;
  const maxLimit = opts.maxLimit ?? 200;
  const faults: ApiSandboxFaults = opts.faults ?? {};
  const stats = { calls: 0, refused: 0, failed: 0 };
  const payouts = opts.payouts ?? new PayoutBook(store);
  let target = opts.notify;
  const refunds = new RefundDesk({
    store,
    now,
    refundWindowDays: opts.refundWindowDays ?? 90,
    faults,
    target: () => target,
  });
  const subscriptions = new SubscriptionDesk({ store, now, target: () => target });

  function authenticate(req: IncomingMessage): void {
    const raw = req.headers['x-avangate-authentication'];
    const header = parseAuthenticationHeader(Array.isArray(raw) ? raw[0] : raw);
    if (!header)
      throw new HttpError(401, 'AUTHENTICATION_ERROR', 'X-Avangate-Authentication header is missing or unreadable');
    if (!header.algo)
      throw new HttpError(
        401,
        'AUTHENTICATION_ERROR',
        'MD5 authentication is no longer accepted; send algo="sha256" or algo="sha3-256"',
      );
    if (!(API_HASH_ALGORITHMS as readonly string[]).includes(header.algo))
      throw new HttpError(401, 'AUTHENTICATION_ERROR', `unsupported algo ${header.algo}`);
    if (header.code !== opts.vendorCode) throw new HttpError(401, 'AUTHENTICATION_ERROR', 'unknown merchant code');
    const at = Date.parse(`${header.date.replace(' ', 'T')}Z`);
    if (!Number.isFinite(at) || Math.abs(at - now().getTime()) > skew) {
      throw new HttpError(
        401,
        'AUTHENTICATION_ERROR',
        `request date ${header.date} is too far from the server time ${authDate(now())}`,
      );
    }
    const expected = authHash(
      opts.vendorCode,
      opts.secretKey,
      header.date,
      header.algo as (typeof API_HASH_ALGORITHMS)[number],
    );
    if (!sameDigest(expected, header.hash)) throw new HttpError(401, 'AUTHENTICATION_ERROR', 'hash does not match');
  }

  function searchOrders(q: URLSearchParams): unknown {
    const param = (name: string) => q.get(name) ?? undefined;
    for (const name of ['StartDate', 'EndDate']) {
      const v = param(name);
      if (v !== undefined && !DAY_RE.test(v)) throw new HttpError(400, 'INVALID_PARAMETER', `${name} must be Y-m-d`);
    }
    const include = param('IncludeTestOrders') ?? 'YES';
    if (!['YES', 'NO', 'ONLY'].includes(include))
      throw new HttpError(400, 'INVALID_PARAMETER', 'IncludeTestOrders must be YES, NO or ONLY');
    const page = Number(param('Page') ?? 1);
    const limit = Number(param('Limit') ?? DEFAULT_LIMIT);
    if (!Number.isInteger(page) || page < 1)
      throw new HttpError(400, 'INVALID_PARAMETER', 'Page must be a positive integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
      throw new HttpError(400, 'INVALID_PARAMETER', `Limit must be between 1 and ${maxLimit}`);
    // StartDate overrides Newer; with neither, only the last 7 days.
    let start = param('StartDate');
    const newer = param('Newer');
    if (!start && newer) start = newer.slice(0, 10);
    if (!start) start = isoDay(new Date(now().getTime() - DEFAULT_WINDOW_DAYS * 86_400_000));
    const end = param('EndDate');
    const status = param('Status');
    const approve = param('ApproveStatus');
    const externalRefNo = param('ExternalRefNo');
    const matching = store
      .all()
      .map((o) => ({ o, rendered: renderApiOrder(o), day: viewOf(o).orderDate.slice(0, 10) }))
      .filter(({ rendered, day }) => {
        if (day < start || (end !== undefined && day > end)) return false;
        if (status && rendered.Status !== status) return false;
        if (approve && rendered.ApproveStatus !== approve) return false;
        if (externalRefNo && rendered.ExternalReference !== externalRefNo) return false;
        const test = rendered.TestOrder === true;
        return include === 'YES' || (include === 'ONLY' ? test : !test);
      })
      .sort((a, b) =>
        (String(a.rendered.OrderDate) + a.o.refNo).localeCompare(String(b.rendered.OrderDate) + b.o.refNo),
      );
    return {
      Items: matching.slice((page - 1) * limit, page * limit).map((x) => x.rendered),
      Pagination: { Page: page, Limit: limit, Count: matching.length },
    };
  }

  async function api(req: IncomingMessage, url: URL): Promise<unknown> {
    stats.calls++;
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    authenticate(req);
    if (faults.failNext && faults.failNext.count > 0) {
      faults.failNext.count--;
      throw new HttpError(
        faults.failNext.status,
        faults.failNext.status === 429 ? 'TOO_MANY_REQUESTS' : 'INTERNAL_ERROR',
        'sandbox fault injected',
      );
    }
    const path = url.pathname.slice(PREFIX.length);
    if (!path.endsWith('/')) throw new HttpError(404, 'NOT_FOUND', 'paths of the 2Checkout API end with a slash');
    const refund = /^orders\/([^/]+)\/refund\/$/.exec(path);
    if (refund && req.method === 'POST') return refunds.refund(decodeURIComponent(refund[1]!), await readJson(req));
    if (path.startsWith('subscriptions/')) return subscriptions.route(req.method ?? 'GET', path) ?? fail404(url);
    if (req.method !== 'GET')
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not served by this sandbox`);
    if (path === 'orders/') return searchOrders(url.searchParams);
    if (path.startsWith('payouts/')) return payoutsRoute(payouts, path, url.searchParams) ?? fail404(url);
    const one = /^orders\/([^/]+)\/$/.exec(path);
    if (one) {
      const order = store.get(decodeURIComponent(one[1]!));
      if (!order) throw new HttpError(404, 'NOT_FOUND', 'Order not found');
      return renderApiOrder(order);
    }
    throw new HttpError(404, 'NOT_FOUND', `no such resource ${url.pathname}`);
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const text = await readBody(req);
    try {
      return text.trim() ? (JSON.parse(text) as unknown) : {};
    } catch {
      throw new HttpError(400, 'INVALID_PARAMETER', 'the body is not JSON');
    }
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    void (async () => {
      try {
        if (url.pathname.startsWith(PREFIX)) {
          const body = await api(req, url);
          if (body === DROP_ANSWER) return void req.socket.destroy();
          return send(res, 200, body);
        }
        if (url.pathname === '/__sandbox/notify-to' && req.method === 'POST') {
          const t = JSON.parse(await readBody(req)) as Partial<NotifyTarget>;
          target =
            t.ipnUrl && t.lcnUrl && t.secretKey
              ? { ipnUrl: t.ipnUrl, lcnUrl: t.lcnUrl, secretKey: t.secretKey }
              : undefined;
          return send(res, 200, { notifying: Boolean(target) });
        }
        if (url.pathname === '/__sandbox/ipn' && req.method === 'POST') {
          const event = store.recordIpnBody(await readBody(req));
          return send(res, 200, { recorded: event.refNo, status: event.status });
        }
        if (url.pathname === '/__sandbox/faults' && req.method === 'POST') {
          Object.assign(faults, JSON.parse(await readBody(req)) as ApiSandboxFaults);
          return send(res, 200, faults);
        }
        if (url.pathname === '/__sandbox/orders' && req.method === 'GET')
          return send(res, 200, store.all().map(renderApiOrder));
        // A payout from the orders the store holds (body: PayoutRequest), e.g. after the demo.
        if (url.pathname === '/__sandbox/payouts' && req.method === 'POST')
          return send(res, 201, createPayout(payouts, await readBody(req)));
        throw new HttpError(404, 'NOT_FOUND', `no such resource ${url.pathname}`);
      } catch (e) {
        if (e instanceof PayoutRouteError || e instanceof ApiRouteError) {
          stats.failed++;
          return send(res, e.status, { error_code: e.code, message: e.message });
        }
        if (e instanceof HttpError) {
          if (e.status === 401) stats.refused++;
          else stats.failed++;
          return send(res, e.status, { error_code: e.code, message: e.message });
        }
        stats.failed++;
        return send(res, 500, { error_code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiUrl: `${url}${PREFIX}`,
    store,
    payouts,
    faults,
    stats,
    refunds,
    subscriptions,
    notifyTo: (t) => {
      target = t;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fail404(url: URL): never {
  throw new HttpError(404, 'NOT_FOUND', `no such resource ${url.pathname}`);
}

function createPayout(book: PayoutBook, body: string): unknown {
  try {
    return book.create((body.trim() ? JSON.parse(body) : {}) as PayoutRequest);
  } catch (e) {
    throw new HttpError(400, 'INVALID_PAYOUT', e instanceof Error ? e.message : String(e));
  }
}
