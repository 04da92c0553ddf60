// The sandbox's OAuth 2.0 client-credentials token endpoint (docs/reference-notes.md#ns-auth) and Bearer
// authentication: a correct assertion gets a token that opens the API; every flaw is refused and
// its reason counted; API requests with a bad or expired token get the generic 401 INVALID_LOGIN.
import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ASSERTION_TYPE, clientAssertion, type ClientAssertionInput } from '../../netsuite/oauth2.js';
import type { NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { REC, firstError } from './helpers.js';
import { useSandbox } from '../support/sandbox.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const TOKEN = '/services/rest/auth/oauth2/v1/token';

let now = Date.now();
const spki = (k: typeof rsa.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();
const clock = () => new Date(now);
const rsaSandbox = useSandbox({
  clock,
  oauth2: { clientId: 'cid-1', certificateId: 'cert-1', publicKeyPem: spki(rsa.publicKey), tokenTtlSeconds: 60 },
});
const ecSandbox = useSandbox({
  clock,
  oauth2: { clientId: 'cid-1', certificateId: 'cert-ec', publicKeyPem: spki(ec.publicKey) },
});
beforeEach(() => {
  now = Date.now();
  rsaSandbox.resetStats();
  ecSandbox.resetStats();
});

function assertion(sandbox: NetSuiteSandbox, over: Partial<ClientAssertionInput> = {}): string {
  return clientAssertion({
    clientId: 'cid-1',
    certificateId: 'cert-1',
    key: rsa.privateKey,
    algorithm: 'PS256',
    scope: ['rest_webservices'],
    audience: `${sandbox.url}${TOKEN}`,
    now,
    ...over,
  });
}

async function requestToken(sandbox: NetSuiteSandbox, jwt: string, fields: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}${TOKEN}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: jwt,
      ...fields,
    }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const getCurrency = (sandbox: NetSuiteSandbox, authorization: string) =>
  fetch(`${sandbox.url}${REC}/currency/1`, { headers: { Authorization: authorization } });

async function expectInvalidLogin(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  const body = (await res.json()) as Record<string, unknown>;
  expect(firstError({ status: res.status, headers: res.headers, json: body, body }).code).toBe('INVALID_LOGIN');
}

describe('OAuth 2.0 token endpoint', () => {
  it('issues a bearer token for a correct PS256 assertion; the token opens the API', async () => {
    const { status, body } = await requestToken(rsaSandbox, assertion(rsaSandbox));
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const res = await getCurrency(rsaSandbox, `Bearer ${String(body.access_token)}`);
    expect(res.status).toBe(200);
    expect(rsaSandbox.stats()).toMatchObject({ tokensIssued: 1, authFailures: {}, callsByKind: { 'get:currency': 1 } });
  });

  it('accepts ES256 with an EC certificate, and a comma-separated scope', async () => {
    const jwt = assertion(ecSandbox, {
      certificateId: 'cert-ec',
      key: ec.privateKey,
      algorithm: 'ES256',
      scope: ['restlets,rest_webservices'],
    });
    const { status, body } = await requestToken(ecSandbox, jwt);
    expect(status).toBe(200);
    expect(body.expires_in).toBe(3600);
  });

  it.each([
    ['an unknown certificate id (kid)', { certificateId: 'cert-other' }, 'UnknownCertificateId'],
    ['a signature by another key', { key: other.privateKey }, 'InvalidAssertionSignature'],
    ['another client id (iss)', { clientId: 'cid-2' }, 'InvalidIssuer'],
    [
      'another audience',
      { audience: 'https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token' },
      'InvalidAudience',
    ],
    ['an expired assertion', { now: Date.now() - 600_000 }, 'AssertionExpired'],
    ['a scope without rest_webservices', { scope: ['restlets'] }, 'InvalidScope'],
  ] as const)('refuses %s', async (_label, over, reason) => {
    const { status, body } = await requestToken(rsaSandbox, assertion(rsaSandbox, over));
    expect(status).toBe(400);
    expect(body.error).toMatch(/^invalid_(grant|scope)$/);
    expect(rsaSandbox.stats().authFailures).toEqual({ [reason]: 1 });
    expect(rsaSandbox.stats().tokensIssued).toBe(0);
  });

  it('refuses an assertion valid for more than 60 minutes', async () => {
    const jwt = handMade(
      { alg: 'PS256', kid: 'cert-1' },
      {
        iss: 'cid-1',
        scope: 'rest_webservices',
        aud: `${rsaSandbox.url}${TOKEN}`,
        iat: sec(now),
        exp: sec(now) + 3601,
      },
      'PS256',
    );
    expect((await requestToken(rsaSandbox, jwt)).status).toBe(400);
    expect(rsaSandbox.stats().authFailures).toEqual({ AssertionLifetimeTooLong: 1 });
  });

  it('refuses RS256 (Oracle lists only PS*/ES*; RS256 is UNCONFIRMED), the wrong grant type and a non-JWT', async () => {
    const rs = handMade(
      { alg: 'RS256', kid: 'cert-1' },
      { iss: 'cid-1', scope: 'rest_webservices', aud: `${rsaSandbox.url}${TOKEN}`, iat: sec(now), exp: sec(now) + 300 },
      'RS256',
    );
    expect((await requestToken(rsaSandbox, rs)).body.error).toBe('invalid_grant');
    expect((await requestToken(rsaSandbox, assertion(rsaSandbox), { grant_type: 'password' })).body.error).toBe(
      'unsupported_grant_type',
    );
    expect((await requestToken(rsaSandbox, 'not-a-jwt')).body.error).toBe('invalid_request');
    expect(rsaSandbox.stats().authFailures).toEqual({
      UnsupportedJwtAlgorithm: 1,
      InvalidGrantType: 1,
      MalformedAssertion: 1,
    });
  });

  it('answers API requests with an unknown or expired token with the generic 401, counting the reason', async () => {
    const { body } = await requestToken(rsaSandbox, assertion(rsaSandbox));
    await expectInvalidLogin(await getCurrency(rsaSandbox, 'Bearer made-up-token'));
    now += 61_000;
    await expectInvalidLogin(await getCurrency(rsaSandbox, `Bearer ${String(body.access_token)}`));
    expect(rsaSandbox.stats().authFailures).toEqual({ BearerTokenUnknown: 1, BearerTokenExpired: 1 });
    expect(rsaSandbox.stats().callsByKind).toEqual({});
  });
});

const sec = (ms: number) => Math.floor(ms / 1000);

/** A JWT built by hand, for claims and algorithms clientAssertion() never produces. */
function handMade(header: Record<string, unknown>, claims: Record<string, unknown>, alg: 'PS256' | 'RS256'): string {
  const input = `${Buffer.from(JSON.stringify({ typ: 'JWT', ...header })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const key = rsa.privateKey;
  const signature =
    alg === 'RS256'
      ? sign('sha256', Buffer.from(input), key)
      : sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${input}.${signature.toString('base64url')}`;
}
