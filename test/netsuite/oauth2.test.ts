// OAuth 2.0 client credentials in the client (docs/reference-notes.md#ns-auth): the client-assertion JWT, the
// token request, caching and sharing of the token, refresh on expiry and after a 401, and
// token-endpoint failures as `auth` errors that carry no secret.
import { constants, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createNetSuiteClient } from '../../netsuite/client.js';
import { CLIENT_ASSERTION_TYPE, clientAssertion } from '../../netsuite/oauth2.js';
import { type NetSuiteAuth, NetSuiteError, type NetSuiteRestClient } from '../../netsuite/types.js';
import { json, problem, startNetSuiteStub, type NetSuiteStub, type StubRequest } from './support/stub-netsuite.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (k: { export(o: { type: 'pkcs8'; format: 'pem' }): string | Buffer }): string =>
  k.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_PEM = pem(rsa.privateKey);
const EC_PEM = pem(ec.privateKey);
const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

function decode(jwt: string) {
  const [h, c, s] = jwt.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown>,
    signingInput: `${h}.${c}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

describe('client assertion JWT', () => {
  const aud = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token';

  it('PS256: header typ/alg/kid, claims iss/scope/aud/iat/exp, RSA-PSS signature over header.claims', () => {
    const jwt = clientAssertion({
      clientId: 'cid',
      certificateId: 'cert-1',
      key: RSA_PEM,
      algorithm: 'PS256',
      scope: ['rest_webservices'],
      audience: aud,
      now: 1_700_000_000_000,
    });
    const { header, claims, signingInput, signature } = decode(jwt);
    expect(header).toEqual({ typ: 'JWT', alg: 'PS256', kid: 'cert-1' });
    expect(claims).toMatchObject({ iss: 'cid', scope: ['rest_webservices'], aud, iat: 1_700_000_000 });
    expect((claims.exp as number) - (claims.iat as number)).toBeGreaterThan(0);
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(3600);
    const key = createPublicKey(RSA_PEM);
    expect(
      verify(
        'sha256',
        Buffer.from(signingInput),
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        signature,
      ),
    ).toBe(true);
    expect(
      verify(
        'sha256',
        Buffer.from(`${signingInput}x`),
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        signature,
      ),
    ).toBe(false);
  });

  it('ES256: a 64-byte IEEE P1363 ECDSA signature', () => {
    const jwt = clientAssertion({
      clientId: 'cid',
      certificateId: 'cert-2',
      key: EC_PEM,
      algorithm: 'ES256',
      scope: ['rest_webservices'],
      audience: aud,
    });
    const { header, signingInput, signature } = decode(jwt);
    expect(header).toEqual({ typ: 'JWT', alg: 'ES256', kid: 'cert-2' });
    expect(signature).toHaveLength(64);
    expect(
      verify(
        'sha256',
        Buffer.from(signingInput),
        { key: createPublicKey(EC_PEM), dsaEncoding: 'ieee-p1363' },
        signature,
      ),
    ).toBe(true);
  });

  it('refuses a key that does not fit the algorithm, without echoing it', () => {
    expect(() =>
      clientAssertion({
        clientId: 'c',
        certificateId: 'k',
        key: EC_PEM,
        algorithm: 'PS256',
        scope: ['rest_webservices'],
        audience: aud,
      }),
    ).toThrow(/PS256 needs an RSA private key/);
    expect(() =>
      clientAssertion({
        clientId: 'c',
        certificateId: 'k',
        key: 'not a pem',
        algorithm: 'ES256',
        scope: ['rest_webservices'],
        audience: aud,
      }),
    ).toThrow(/not a readable PEM/);
  });
});

describe('client with OAuth 2.0 auth', () => {
  let stub: NetSuiteStub | undefined;
  let client: NetSuiteRestClient | undefined;
  afterEach(async () => {
    await client?.close();
    await stub?.close();
    client = undefined;
    stub = undefined;
  });

  const auth = (over: Partial<Extract<NetSuiteAuth, { kind: 'oauth2' }>> = {}): NetSuiteAuth => ({
    kind: 'oauth2',
    accountId: '1234567_SB1',
    clientId: 'client-id-1',
    certificateId: 'cert-id-1',
    privateKeyPem: RSA_PEM,
    ...over,
  });

  /** A stub that issues token-1, token-2, … (expires_in as given) and answers API calls with a record. */
  async function start(
    opts: { expiresIn?: number; api?: (req: StubRequest, res: ServerResponse) => void; tokenDelayMs?: number } = {},
  ) {
    let issued = 0;
    stub = await startNetSuiteStub(async (req, res) => {
      if (req.path === TOKEN_PATH) {
        issued += 1;
        if (opts.tokenDelayMs) await new Promise((r) => setTimeout(r, opts.tokenDelayMs));
        json(res, 200, { access_token: `token-${issued}`, expires_in: opts.expiresIn ?? 3600, token_type: 'Bearer' });
        return;
      }
      if (opts.api) opts.api(req, res);
      else json(res, 200, { id: '7', companyName: 'Acme' });
    });
    return stub;
  }
  const tokenRequests = (s: NetSuiteStub) => s.requests.filter((r) => r.path === TOKEN_PATH);
  const apiRequests = (s: NetSuiteStub) => s.requests.filter((r) => r.path !== TOKEN_PATH);

  it('posts the form-encoded client assertion to the token endpoint and sends Bearer tokens', async () => {
    const s = await start();
    client = createNetSuiteClient({ baseUrl: s.url, auth: auth() });
    expect(await client.get('customer', '7')).toMatchObject({ id: '7' });
    const [tokenReq] = tokenRequests(s);
    expect(tokenReq?.method).toBe('POST');
    expect(tokenReq?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(tokenReq!.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_assertion_type')).toBe(CLIENT_ASSERTION_TYPE);
    const { header, claims } = decode(form.get('client_assertion')!);
    expect(header).toMatchObject({ alg: 'PS256', kid: 'cert-id-1' });
    expect(claims).toMatchObject({ iss: 'client-id-1', aud: `${s.url}${TOKEN_PATH}`, scope: ['rest_webservices'] });
    expect(apiRequests(s)[0]?.headers.authorization).toBe('Bearer token-1');
  });

  it('uses one token for many calls, and concurrent first calls share one token request', async () => {
    const s = await start({ tokenDelayMs: 50 });
    client = createNetSuiteClient({ baseUrl: s.url, auth: auth({ algorithm: 'ES256', privateKeyPem: EC_PEM }) });
    await Promise.all(Array.from({ length: 8 }, (_, i) => client!.get('customer', String(i + 1))));
    await client.get('customer', '9');
    expect(tokenRequests(s)).toHaveLength(1);
    expect(apiRequests(s)).toHaveLength(9);
    expect(apiRequests(s).every((r) => r.headers.authorization === 'Bearer token-1')).toBe(true);
    expect(client.stats()).toMatchObject({ tokenRequests: 1, requests: 9 });
  });

  it('a caller that gives up while the token is being fetched does not cancel it for the others', async () => {
    const s = await start({ tokenDelayMs: 100 });
    client = createNetSuiteClient({ baseUrl: s.url, auth: auth() });
    const ac = new AbortController();
    const cancelled = client.get('customer', '1', { signal: ac.signal });
    const other = client.get('customer', '2');
    setTimeout(() => ac.abort(new Error('activity cancelled')), 20);
    await expect(cancelled).rejects.toThrow('activity cancelled');
    expect(await other).toMatchObject({ id: '7' });
    expect(tokenRequests(s)).toHaveLength(1);
    expect(apiRequests(s)).toHaveLength(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const s = await start({ expiresIn: 3600 });
    let now = 1_700_000_000_000;
    client = createNetSuiteClient({ baseUrl: s.url, auth: auth(), now: () => now });
    await client.get('customer', '1');
    now += 3_500_000; // 58 min 20 s: still more than a minute left
    await client.get('customer', '1');
    expect(tokenRequests(s)).toHaveLength(1);
    now += 60_000; // within the last minute
    await client.get('customer', '1');
    expect(tokenRequests(s)).toHaveLength(2);
    expect(apiRequests(s).map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('after a 401 drops the token, fetches a new one and retries that request once', async () => {
    const s = await start({
      api: (req, res) => {
        if (req.headers.authorization === 'Bearer token-1')
          problem(res, 401, 'INVALID_LOGIN', 'Invalid login attempt.');
        else json(res, 200, { id: '7' });
      },
    });
    client = createNetSuiteClient({ baseUrl: s.url, auth: auth() });
    expect(await client.get('customer', '7')).toMatchObject({ id: '7' });
    expect(tokenRequests(s)).toHaveLength(2);
    expect(apiRequests(s).map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('gives up after the retried request is refused too (kind auth, OAuth 2.0 hint)', async () => {
    const s = await start({ api: (_req, res) => problem(res, 401, 'INVALID_LOGIN', 'Invalid login attempt.') });
    client = createNetSuiteClient({ baseUrl: s.url, auth: auth() });
    const err = await client.create('customer', { companyName: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetSuiteError);
    expect((err as NetSuiteError).kind).toBe('auth');
    expect((err as NetSuiteError).message).toMatch(/OAuth 2\.0/);
    expect(apiRequests(s)).toHaveLength(2);
    expect(tokenRequests(s)).toHaveLength(2);
  });

  it('turns a token-endpoint refusal into kind auth naming what to check, with no key, assertion or token in it', async () => {
    stub = await startNetSuiteStub((req, res) => {
      if (req.path === TOKEN_PATH) json(res, 400, { error: 'invalid_grant' });
      else json(res, 200, {});
    });
    client = createNetSuiteClient({ baseUrl: stub.url, auth: auth() });
    const err = (await client.get('customer', '1').catch((e: unknown) => e)) as NetSuiteError;
    expect(err).toBeInstanceOf(NetSuiteError);
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/invalid_grant/);
    for (const hint of [
      'NETSUITE_CLIENT_ID',
      'NETSUITE_CERTIFICATE_ID',
      'OAuth 2.0 Client Credentials (M2M) Setup',
      'uploaded',
      'clock',
    ])
      expect(err.message).toContain(hint);
    const assertion = new URLSearchParams(stub.requests[0]!.body).get('client_assertion')!;
    expect(err.message).not.toContain(assertion.split('.')[2]);
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(err.message).not.toContain(RSA_PEM.split('\n')[1]);
    expect(stub.requests.filter((r) => r.path !== TOKEN_PATH)).toHaveLength(0);
  });

  it('refuses a malformed token response as kind auth', async () => {
    stub = await startNetSuiteStub((_req, res) => json(res, 200, { token_type: 'Bearer' }));
    client = createNetSuiteClient({ baseUrl: stub.url, auth: auth() });
    const err = (await client.get('customer', '1').catch((e: unknown) => e)) as NetSuiteError;
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/access_token/);
  });

  it('still accepts TBA `credentials` alone, and `auth` takes precedence over them', async () => {
    const s = await start();
    client = createNetSuiteClient({
      baseUrl: s.url,
      credentials: {
        accountId: '1234567_SB1',
        consumerKey: 'ck',
        consumerSecret: 'cs',
        tokenId: 't',
        tokenSecret: 'ts',
      },
      auth: auth(),
    });
    await client.get('customer', '1');
    expect(apiRequests(s)[0]?.headers.authorization).toBe('Bearer token-1');
  });
});
