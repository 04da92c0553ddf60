// The status page's access layer (status-page/access.ts). Issue 24, item 2: it answered any Host on
// loopback, so a web page that rebinds its own name to 127.0.0.1 could read park messages and
// journals (DNS rebinding). Item 7: a token given in the URL stayed in the address bar and history,
// no Referrer-Policy was sent, and the cookie was not Secure over TLS. And sign-on: an access token
// (JWT) of the team's identity provider, as a bearer header or in the cookie.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Agent, request } from 'undici';
import { startStatusPage, type StatusPage, type StatusPageOptions } from '../../status-page/server.js';
import { loadStatusPageConfig } from '../../status-page/config.js';
import { ConfigError } from '../../shared/config.js';
import { startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { connectTestEnv } from '../support/temporal.js';

const TOKEN = 'finance-status-token-0123456789';
let env: TestWorkflowEnvironment;
let issuer: TestIssuer;
let pages: StatusPage[] = [];
beforeAll(async () => {
  env = await connectTestEnv();
  issuer = await startTestIssuer('https://status.example.com/');
});
afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});
afterAll(async () => {
  await env?.teardown();
  await issuer?.close();
});

async function page(opts: Partial<StatusPageOptions> = {}): Promise<StatusPage> {
  const p = await startStatusPage({ client: env.client, namespace: 'default', port: 0, ...opts });
  pages.push(p);
  return p;
}
async function get(url: string, headers: Record<string, string> = {}, dispatcher?: Agent) {
  const res = await request(url, { headers, ...(dispatcher ? { dispatcher } : {}) });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}
const port = (p: StatusPage) => new URL(p.url).port;

describe('status page: Host allow-list (DNS rebinding)', () => {
  it('refuses a request whose Host names another site, token or not; answers its own names', async () => {
    const open = await page();
    for (const path of ['/', '/syncs/order%2F12345678']) {
      const res = await get(new URL(path, open.url).href, { host: `attacker.example:${port(open)}` });
      expect(res.status, path).toBe(403);
      expect(res.text).toMatch(/answers only its own host names/);
      expect(res.text).not.toMatch(/Parked syncs|journal/i);
    }
    expect((await get(open.url, { host: `localhost:${port(open)}` })).status).toBe(200);
    expect((await get(open.url)).status).toBe(200);
    const named = await page({ allowedHosts: ['status.internal.example'] });
    expect((await get(named.url, { host: 'status.internal.example' })).status).toBe(200);
    const guarded = await page({ host: '0.0.0.0', token: TOKEN });
    expect((await get(guarded.url, { host: 'attacker.example', authorization: `Bearer ${TOKEN}` })).status).toBe(403);
  });
});

describe('status page: token in the URL, headers, cookie', () => {
  it('moves a token given in the URL into a cookie and redirects to the same page without it', async () => {
    const p = await page({ host: '0.0.0.0', token: TOKEN });
    const first = await get(`${p.url}?token=${TOKEN}&days=3`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/?days=3');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^status_token=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/);
    const detail = await get(`${p.url}syncs/order%2F12345678?token=${TOKEN}`);
    expect(detail.headers.location).toBe('/syncs/order%2F12345678');
    // No open redirect through a path that looks like another host.
    const sneaky = await get(`${p.url}/evil.example/?token=${TOKEN}`);
    expect(String(sneaky.headers.location)).toMatch(/^\/(?![/\\])/);
    const after = await get(new URL(String(first.headers.location), p.url).href, { cookie: cookie.split(';')[0]! });
    expect(after.status).toBe(200);
    expect(after.text).toContain('Parked syncs');
    const wrong = await get(`${p.url}?token=not-the-token-at-all`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('sends Referrer-Policy and the other security headers on every answer', async () => {
    const p = await page({ host: '0.0.0.0', token: TOKEN });
    for (const res of [
      await get(p.url, { authorization: `Bearer ${TOKEN}` }),
      await get(p.url),
      await get(p.url, { host: 'evil.example' }),
      await get(`${p.url}?token=${TOKEN}`),
    ]) {
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('marks the cookie Secure when served over TLS, behind a trusted proxy that says https, or with an https public URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'status-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    const tls = await page({ token: TOKEN, tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
    expect(tls.url).toMatch(/^https:/);
    const agent = new Agent({ connect: { ca: cert } });
    try {
      expect(String((await get(`${tls.url}?token=${TOKEN}`, {}, agent)).headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await agent.close();
    }
    const proxied = await page({ token: TOKEN, trustedProxies: ['127.0.0.1'] });
    expect(
      String((await get(`${proxied.url}?token=${TOKEN}`, { 'x-forwarded-proto': 'https' })).headers['set-cookie']),
    ).toMatch(/; Secure$/);
    const untrusted = await page({ token: TOKEN });
    expect(
      String((await get(`${untrusted.url}?token=${TOKEN}`, { 'x-forwarded-proto': 'https' })).headers['set-cookie']),
    ).not.toMatch(/Secure/);
    const published = await page({ token: TOKEN, publicUrl: 'https://status.example.com/' });
    expect(String((await get(`${published.url}?token=${TOKEN}`)).headers['set-cookie'])).toMatch(/; Secure$/);
  });
});

describe('status page: sign-on through the identity provider', () => {
  const oidc = () => ({
    prefix: 'STATUS_PAGE',
    issuer: issuer.issuer,
    audience: 'https://status.example.com/',
    scopesClaim: 'scope',
    nameClaim: 'preferred_username',
    algorithms: ['RS256'],
    clockToleranceSec: 30,
  });

  it('takes a JWT with sync:read as a bearer header or in the cookie; refuses expired, scope-less and URL-borne ones', async () => {
    const p = await page({ host: '0.0.0.0', oidc: oidc() });
    const good = await issuer.token({ sub: 'u-1', preferred_username: 'fin', scope: 'sync:read' });
    expect((await get(p.url, { authorization: `Bearer ${good}` })).status).toBe(200);
    expect((await get(p.url, { cookie: `status_token=${good}` })).status).toBe(200);
    const expired = await get(p.url, {
      authorization: `Bearer ${await issuer.token({ sub: 'u-1', scope: 'sync:read' }, { expiresIn: -600 })}`,
    });
    expect(expired.status).toBe(401);
    expect(expired.text).toContain('expired');
    const otherAudience = await get(p.url, {
      authorization: `Bearer ${await issuer.token({ sub: 'u-1', scope: 'sync:read' }, { audience: 'https://mcp.example.com/mcp' })}`,
    });
    expect(otherAudience.status).toBe(401);
    const noScope = await get(p.url, {
      authorization: `Bearer ${await issuer.token({ sub: 'u-2', preferred_username: 'guest', scope: 'openid' })}`,
    });
    expect(noScope.status).toBe(403);
    expect(noScope.text).toContain('sync:read scope is missing');
    expect((await get(`${p.url}?token=${good}`)).status).toBe(401);
    expect((await get(p.url)).status).toBe(401);
  });
});

describe('status page configuration', () => {
  it('names every problem at once', () => {
    let message = '';
    try {
      loadStatusPageConfig({
        STATUS_PAGE_HOST: '0.0.0.0',
        STATUS_PAGE_TOKEN: 'short',
        STATUS_PAGE_AUTH: 'oidc,token',
        STATUS_PAGE_OIDC_ISSUER: 'http://login.example.com',
        STATUS_PAGE_TLS_CERT_FILE: '/tmp/cert.pem',
        STATUS_PAGE_TRUSTED_PROXIES: 'proxy.local',
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/STATUS_PAGE_TOKEN must be at least 16 characters/);
    expect(message).toMatch(/STATUS_PAGE_TRUSTED_PROXIES must be the IP addresses/);
    expect(message).toMatch(/STATUS_PAGE_OIDC_ISSUER must use https/);
    expect(message).toMatch(/STATUS_PAGE_OIDC_AUDIENCE is required/);
    expect(loadStatusPageConfig({})).toMatchObject({
      port: 8090,
      host: '127.0.0.1',
      allowedHosts: [],
      trustedProxies: [],
    });
  });
});
