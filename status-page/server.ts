// The finance status page: a small read-only HTTP server, started by `npm start` (or on its own
// with `npm run status-page`). On loopback it is open; on any other interface it needs
// STATUS_PAGE_TOKEN, given once as `?token=…` (then kept in a cookie) or as `Authorization: Bearer …`.
//   GET /                 the books day by day, completeness, payouts, parked syncs (pages.ts)
//   GET /export/<t>.csv   each overview table as CSV
//   GET /syncs/<id>       one sync: status, NetSuite records by document number, journal (+ records.csv)
//   GET /requests         open refund and subscription requests (read-only, open-requests.ts)
//   GET /healthz
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Client } from '@temporalio/client';
import { esc, type StatusSection } from './render.js';
import { answerPage } from './pages.js';
import type { SuiteQlReader } from '../operations/netsuite-books.js';
import { listOpenRequests } from '../operations/action-requests.js';
import { openRequestsSection, renderRequestsPage } from './open-requests.js';

export interface StatusPageOptions {
  client: Client;
  namespace: string;
  /** Temporal Web UI base, for links. */
  uiBase?: string;
  port: number;
  host?: string;
  token?: string;
  days?: number;
  /** NetSuite, read for the documents and amounts in the books (the stack's client); without it, Temporal's counts. */
  netsuite?: SuiteQlReader;
  /** The NetSuite UI, for links to records (NETSUITE_UI_URL, status-page/netsuite-ui.ts). */
  netsuiteUiUrl?: string;
  /** Sections added after the built-in ones. */
  extraSections?: () => Promise<StatusSection[]>;
}

export interface StatusPage {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const COOKIE = 'status_token';
const digest = (s: string) => createHash('sha256').update(s).digest();

export class StatusPageConfigError extends Error {
  override readonly name = 'ConfigError';
}

export async function startStatusPage(opts: StatusPageOptions): Promise<StatusPage> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token?.trim() || undefined;
  if (!LOOPBACK.has(host) && !token) {
    throw new StatusPageConfigError(`STATUS_PAGE_TOKEN is required when the status page listens on ${host} (not loopback): set it to a long random string, or set STATUS_PAGE_HOST=127.0.0.1`);
  }
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, `<p>The status page could not read Temporal: ${esc(err instanceof Error ? err.message.split('\n')[0] : String(err))}</p>`);
    });
  });

  const authorized = (req: IncomingMessage, url: URL): 'ok' | 'set-cookie' | 'no' => {
    if (!token) return 'ok';
    const given = url.searchParams.get('token') ?? bearer(req) ?? cookie(req, COOKIE);
    if (!given || !timingSafeEqual(digest(given), digest(token))) return 'no';
    return url.searchParams.has('token') ? 'set-cookie' : 'ok';
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://status.local');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '<p>Read-only: GET only.</p>');
    if (url.pathname === '/healthz') return send(res, 200, 'ok', 'text/plain');
    const auth = authorized(req, url);
    if (auth === 'no') return send(res, 401, '<p>This status page needs its token: open it with <code>?token=…</code> (STATUS_PAGE_TOKEN).</p>');
    if (auth === 'set-cookie') res.setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(url.searchParams.get('token') ?? '')}; HttpOnly; SameSite=Strict; Path=/`);
    const now = new Date();
    const ui = { uiBase: opts.uiBase ?? '', namespace: opts.namespace };
    if (url.pathname === '/requests') {
      const requests = await listOpenRequests(opts.client, ui);
      return send(res, 200, renderRequestsPage(requests.requests, now));
    }
    const sources = { client: opts.client, ...ui, ...(opts.netsuite ? { netsuite: opts.netsuite } : {}), ...(opts.netsuiteUiUrl ? { netsuiteUiUrl: opts.netsuiteUiUrl } : {}), ...(opts.days ? { days: opts.days } : {}) };
    const extraSections = async () => [openRequestsSection((await listOpenRequests(opts.client, ui)).requests), ...((await opts.extraSections?.()) ?? [])];
    const answer = await answerPage(sources, url.pathname, now, { extraSections });
    if (answer) return send(res, answer.status, answer.body, answer.type, answer.headers);
    return send(res, 404, '<p>Not found. <a href="/">Status</a></p>');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new StatusPageConfigError(`status page port ${opts.port} is in use: set STATUS_PAGE_PORT to a free port`) : err),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(body);
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
