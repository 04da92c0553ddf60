// The finance status page: a small read-only HTTP server, started by `npm start` (or on its own
// with `npm run status-page`). On loopback it is open; on any other interface it needs
// STATUS_PAGE_TOKEN, given once as `?token=…` (then kept in a cookie) or as `Authorization: Bearer …`.
//   GET /                 today's and the last days' counts, parked syncs by reason with the fix
//   GET /syncs/<id>       one sync: status, NetSuite records, journal
//   GET /requests         open refund and subscription requests (read-only, open-requests.ts)
//   GET /healthz
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Client } from '@temporalio/client';
import { readBooksStatus, readSyncDetail } from './books-status.js';
import { renderDetail, renderOverview, esc, type StatusSection } from './render.js';
import { workflowUrl } from '../operations/web-ui.js';
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
  /** Sections added after the built-in ones (completeness, payouts…). */
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
    if (url.pathname === '/') {
      const status = await readBooksStatus(opts.client, { uiBase: opts.uiBase ?? '', namespace: opts.namespace, now, ...(opts.days ? { days: opts.days } : {}) });
      const requests = await listOpenRequests(opts.client, { uiBase: opts.uiBase ?? '', namespace: opts.namespace });
      return send(res, 200, renderOverview(status, { extraSections: [openRequestsSection(requests.requests), ...((await opts.extraSections?.()) ?? [])] }));
    }
    if (url.pathname === '/requests') {
      const requests = await listOpenRequests(opts.client, { uiBase: opts.uiBase ?? '', namespace: opts.namespace });
      return send(res, 200, renderRequestsPage(requests.requests, now));
    }
    const m = /^\/syncs\/(.+)$/.exec(url.pathname);
    if (m) {
      const workflowId = decodeURIComponent(m[1]!);
      if (!/^(order|subscription)\/[^/]+$/.test(workflowId)) return send(res, 404, '<p>Not a sync: expected order/&lt;REFNO&gt; or subscription/&lt;code&gt;.</p>');
      let detail;
      try {
        detail = await readSyncDetail(opts.client, workflowId);
      } catch (err) {
        if (err instanceof Error && /not found/i.test(err.message)) return send(res, 404, `<p>No sync ${esc(workflowId)}.</p>`);
        throw err;
      }
      const webUiUrl = opts.uiBase ? workflowUrl(opts.uiBase, opts.namespace, workflowId) : undefined;
      return send(res, 200, renderDetail(workflowId, detail, { now, ...(webUiUrl ? { webUiUrl } : {}) }));
    }
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

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
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
