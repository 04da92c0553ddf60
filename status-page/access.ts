// Who may read the status page, decided before any route runs (status-page/server.ts):
//  - the Host header must name the page (loopback names, the address it listens on, its public
//    URL's host, STATUS_PAGE_ALLOWED_HOSTS): a web page that rebinds its own name to this address
//    gets 403, token or not (DNS rebinding);
//  - with STATUS_PAGE_TOKEN: the token as `Authorization: Bearer …` or in the `status_token`
//    cookie; given once as `?token=…`, it is moved into the cookie and the browser is redirected
//    to the same address without it, so it stays out of history, bookmarks and logs;
//  - with STATUS_PAGE_AUTH=oidc: an access token (JWT) of the team's identity provider with the
//    sync:read scope, as `Authorization: Bearer …` (e.g. from a sign-in proxy such as
//    oauth2-proxy) or in the same cookie; a JWT is never taken from the URL;
//  - without either it is open, which start-up allows on loopback only.
// The cookie is HttpOnly, SameSite=Strict, and Secure whenever the page is served over TLS: its
// own (STATUS_PAGE_TLS_*), an https STATUS_PAGE_PUBLIC_URL, or X-Forwarded-Proto: https from a
// proxy listed in STATUS_PAGE_TRUSTED_PROXIES.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createJwtVerifier, JwtRejected, looksLikeJwt, type JwtVerifier, type OidcSettings } from '../shared/oidc.js';

/** The scope a signed-in person needs: the same name as the MCP server's read scope. */
export const STATUS_PAGE_SCOPE = 'sync:read';
export const TOKEN_COOKIE = 'status_token';
/** A static token's cookie lasts a working day; a JWT's, as long as the JWT. */
const TOKEN_COOKIE_MAX_AGE_S = 12 * 3_600;
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export interface StatusPageAccessOptions {
  /** The address it listens on. */
  host: string;
  token?: string;
  oidc?: OidcSettings;
  /** Further Host names (no port) it answers. */
  allowedHosts?: string[];
  /** Where people reach it, e.g. https://status.example.com/ (its host is allowed; https → Secure cookie). */
  publicUrl?: string;
  /** Proxy addresses whose X-Forwarded-Proto is believed. */
  trustedProxies?: string[];
  /** For tests: how the identity provider's documents are fetched. */
  fetch?: typeof fetch;
}

export type AccessVerdict =
  | { kind: 'allow'; who?: string }
  | { kind: 'redirect'; location: string; setCookie: string }
  | { kind: 'refuse'; status: 401 | 403 | 503; message: string; headers?: Record<string, string> };

export interface StatusPageAccess {
  /** Whether anything but the Host check guards the page. */
  readonly guarded: boolean;
  check(req: IncomingMessage, url: URL): Promise<AccessVerdict>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const sameToken = (given: string, token: string) => timingSafeEqual(digest(given), digest(token));

/** `[::1]:8090` → `[::1]`, `Example.com:80` → `example.com`; undefined when it is not a host name. */
export function hostName(header: string | undefined): string | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d+)?$/.exec((header ?? '').trim().toLowerCase());
  return m?.[1];
}
const hostKey = (h: string) => (isIP(h) === 6 ? `[${h}]` : h).toLowerCase();

export function createStatusPageAccess(opts: StatusPageAccessOptions): StatusPageAccess {
  const token = opts.token?.trim() || undefined;
  const jwt: JwtVerifier | undefined = opts.oidc ? createJwtVerifier(opts.oidc, opts.fetch) : undefined;
  const hosts = new Set([
    ...LOOPBACK_HOSTS,
    ...(['0.0.0.0', '::'].includes(opts.host) ? [] : [hostKey(opts.host)]),
    ...(opts.publicUrl ? [hostKey(new URL(opts.publicUrl).hostname)] : []),
    ...(opts.allowedHosts ?? []).map(hostKey),
  ]);
  const proxies = new Set((opts.trustedProxies ?? []).map((a) => a.replace(/^::ffff:/, '')));
  const publicTls = opts.publicUrl ? new URL(opts.publicUrl).protocol === 'https:' : false;

  const overTls = (req: IncomingMessage): boolean => {
    if (publicTls || (req.socket as TLSSocket).encrypted) return true;
    const from = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const proto = String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim()
      .toLowerCase();
    return proxies.has(from) && proto === 'https';
  };
  const cookieFor = (req: IncomingMessage, value: string, maxAge: number) =>
    `${TOKEN_COOKIE}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Strict${overTls(req) ? '; Secure' : ''}`;
  const refuse = (status: 401 | 403 | 503, message: string): AccessVerdict => ({
    kind: 'refuse',
    status,
    message,
    ...(status === 401 ? { headers: { 'www-authenticate': 'Bearer realm="status page"' } } : {}),
  });

  /** A JWT of the identity provider: who it is, or why not. */
  const signedIn = async (value: string): Promise<AccessVerdict> => {
    try {
      const v = await jwt!.verify(value);
      if (!v.scopes.includes(STATUS_PAGE_SCOPE))
        return refuse(
          403,
          `Signed in as ${v.name}, but the ${STATUS_PAGE_SCOPE} scope is missing: ask for it in the identity provider.`,
        );
      return { kind: 'allow', who: v.name };
    } catch (err) {
      if (err instanceof JwtRejected)
        return refuse(err.unavailable ? 503 : 401, `The sign-in was not accepted: ${err.message}.`);
      throw err;
    }
  };

  return {
    guarded: Boolean(token || jwt),
    async check(req, url) {
      const host = hostName(req.headers.host);
      if (!host || !hosts.has(host)) {
        return refuse(
          403,
          'This status page answers only its own host names: add this one to STATUS_PAGE_ALLOWED_HOSTS (or set STATUS_PAGE_PUBLIC_URL) if it is how people reach it.',
        );
      }
      if (!token && !jwt) return { kind: 'allow' };
      const inUrl = url.searchParams.get('token');
      if (inUrl !== null) {
        if (!token || looksLikeJwt(inUrl) || !sameToken(inUrl, token))
          return refuse(401, 'The token in the address is not this status page’s token (STATUS_PAGE_TOKEN).');
        // Into the cookie, out of the address bar: the same page, without the token.
        const rest = new URLSearchParams(url.searchParams);
        rest.delete('token');
        const query = rest.toString();
        return {
          kind: 'redirect',
          location: `/${url.pathname.replace(/^[/\\]+/, '')}${query ? `?${query}` : ''}`,
          setCookie: cookieFor(req, inUrl, TOKEN_COOKIE_MAX_AGE_S),
        };
      }
      const header = req.headers.authorization;
      const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : cookie(req, TOKEN_COOKIE);
      if (!given)
        return refuse(
          401,
          `This status page needs ${token ? 'its token: open it once with ?token=… (STATUS_PAGE_TOKEN)' : 'a sign-in'}${token && jwt ? ', or a sign-in' : ''}.`,
        );
      if (jwt && looksLikeJwt(given)) return signedIn(given);
      if (token && sameToken(given, token)) return { kind: 'allow' };
      return refuse(401, 'The token given is not this status page’s token (STATUS_PAGE_TOKEN).');
    },
  };
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
