// The finance status page: a small read-only HTTP server, started by `npm start`. Who may read it
// is decided by status-page/access.ts before any route runs (Host allow-list, STATUS_PAGE_TOKEN,
// sign-on through the identity provider); on loopback it may be open, elsewhere it needs a token
// or sign-on. Every answer carries the same security headers (send()).
//   GET /                 the books day by day, completeness, payouts, parked syncs (pages.ts)
//   GET /export/<t>.csv   each overview table as CSV
//   GET /syncs/<id>       one sync: status, NetSuite records by document number, journal (+ records.csv)
//   GET /requests         open refund and subscription requests (read-only, open-requests.ts)
//   GET /shadow           shadow mode's verdicts per day and currency (shadow.ts; docs/cutover.md)
//   GET /healthz          (no Host check, no token: says "ok" and nothing else)
// A new route goes inside handle(), after the access check, answers through send() (so it keeps
// the headers), takes only GET, and puts no token and no personal data in a URL it links to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Client } from '@temporalio/client';
import type { OidcSettings } from '../shared/oidc.js';
import { createStatusPageAccess, LOOPBACK_HOSTS } from './access.js';
import { esc, type StatusSection } from './render.js';
import { answerPage } from './pages.js';
import type { SuiteQlReader } from '../operations/netsuite-books.js';
import { listOpenRequests } from '../operations/action-requests.js';
import { openRequestsSection, renderRequestsPage } from './open-requests.js';
import { renderShadowPage, shadowSection } from './shadow.js';

export interface StatusPageOptions {
  client: Client;
  namespace: string;
  /** Temporal Web UI base, for links. */
  uiBase?: string;
  port: number;
  host?: string;
  token?: string;
  /** Sign-on through the identity provider (STATUS_PAGE_AUTH=oidc). */
  oidc?: OidcSettings;
  /** Further Host names it answers (STATUS_PAGE_ALLOWED_HOSTS). */
  allowedHosts?: string[];
  /** Where people reach it (STATUS_PAGE_PUBLIC_URL): its host is allowed, and https makes the cookie Secure. */
  publicUrl?: string;
  /** Proxies whose X-Forwarded-Proto is believed (STATUS_PAGE_TRUSTED_PROXIES). */
  trustedProxies?: string[];
  /** Serve over TLS itself (STATUS_PAGE_TLS_CERT_FILE / STATUS_PAGE_TLS_KEY_FILE). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** For tests: how the identity provider's documents are fetched. */
  fetch?: typeof fetch;
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

const LOOPBACK = new Set([...LOOPBACK_HOSTS, '::1']);

export class StatusPageConfigError extends Error {
  override readonly name = 'ConfigError';
}

export async function startStatusPage(opts: StatusPageOptions): Promise<StatusPage> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token?.trim() || undefined;
  if (!LOOPBACK.has(host) && !token && !opts.oidc) {
    throw new StatusPageConfigError(
      `STATUS_PAGE_TOKEN (or STATUS_PAGE_AUTH=oidc) is required when the status page listens on ${host} (not loopback): set it to a long random string, or set STATUS_PAGE_HOST=127.0.0.1`,
    );
  }
  const access = createStatusPageAccess({
    host,
    ...(token ? { token } : {}),
    ...(opts.oidc ? { oidc: opts.oidc } : {}),
    ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}),
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    ...(opts.trustedProxies ? { trustedProxies: opts.trustedProxies } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(
          res,
          500,
          `<p>The status page could not read Temporal: ${esc(err instanceof Error ? err.message.split('\n')[0] : String(err))}</p>`,
        );
    });
  };
  const server: Server = opts.tls
    ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener)
    : createServer(listener);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://status.local');
    if (url.pathname === '/healthz') return send(res, 200, 'ok', 'text/plain');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '<p>Read-only: GET only.</p>');
    const verdict = await access.check(req, url);
    if (verdict.kind === 'refuse')
      return send(res, verdict.status, `<p>${esc(verdict.message)}</p>`, undefined, verdict.headers);
    if (verdict.kind === 'redirect')
      return send(res, 303, '<p>Signed in: <a href="/">continue</a>.</p>', undefined, {
        location: verdict.location,
        'set-cookie': verdict.setCookie,
      });
    const now = new Date();
    const ui = { uiBase: opts.uiBase ?? '', namespace: opts.namespace };
    if (url.pathname === '/shadow') return send(res, 200, await renderShadowPage(opts.client, url, { ...ui, now }));
    if (url.pathname === '/requests') {
      const requests = await listOpenRequests(opts.client, ui);
      return send(res, 200, renderRequestsPage(requests.requests, now));
    }
    const sources = {
      client: opts.client,
      ...ui,
      ...(opts.netsuite ? { netsuite: opts.netsuite } : {}),
      ...(opts.netsuiteUiUrl ? { netsuiteUiUrl: opts.netsuiteUiUrl } : {}),
      ...(opts.days ? { days: opts.days } : {}),
    };
    const extraSections = async () => [
      openRequestsSection((await listOpenRequests(opts.client, ui)).requests),
      ...(await shadowSection(opts.client, { ...ui, now })),
      ...((await opts.extraSections?.()) ?? []),
    ];
    const answer = await answerPage(sources, url.pathname, now, { extraSections });
    if (answer) return send(res, answer.status, answer.body, answer.type, answer.headers);
    return send(res, 404, '<p>Not found. <a href="/">Status</a></p>');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new StatusPageConfigError(`status page port ${opts.port} is in use: set STATUS_PAGE_PORT to a free port`)
          : err,
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every answer's headers: no caching, no sniffing, no framing, no referrer, no scripts. */
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
} as const;

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/html; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}
