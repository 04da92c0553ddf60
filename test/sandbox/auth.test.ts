// TBA verification as NetSuite does it (docs/reference-notes.md#ns-auth): a correctly signed request passes,
// every failure is the same generic 401 INVALID_LOGIN, the precise reason is kept in stats.
import { beforeEach, describe, expect, it } from 'vitest';
import { tbaAuthorizationHeader } from '../../netsuite/oauth1.js';
import { REC, client, firstError, type Call } from './helpers.js';
import { SANDBOX_CREDENTIALS, useSandbox } from '../support/sandbox.js';

const sandbox = useSandbox();
const call: Call = client(sandbox);
beforeEach(() => sandbox.resetStats());

function expectInvalidLogin(res: Awaited<ReturnType<Call>>): void {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toContain('type=error');
  const e = firstError(res);
  expect(e.code).toBe('INVALID_LOGIN');
  expect(e.detail).toMatch(/^Invalid login attempt\. For more details, see the Login Audit Trail/);
}

describe('token-based authentication', () => {
  it('accepts a correctly signed request, query parameters included in the signature', async () => {
    const res = await call('GET', `${REC}/currency/1?expandSubResources=true&fields=symbol,name`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.oracle.resource+json; type=singular');
    expect(res.body).toMatchObject({ id: '1', symbol: 'USD', name: 'US Dollar' });
    expect(sandbox.stats().callsByKind['get:currency']).toBe(1);
  });

  it('refuses a signature made with the wrong token secret, and counts it as InvalidSignature', async () => {
    const res = await call('GET', `${REC}/currency/1`, undefined, { sign: { tokenSecret: 'not-the-secret' } });
    expectInvalidLogin(res);
    expect(sandbox.stats().authFailures).toEqual({ InvalidSignature: 1 });
    expect(sandbox.stats().callsByKind).toEqual({});
  });

  it('refuses a signature over another query string than the one sent', async () => {
    const url = `${sandbox.url}${REC}/currency/1`;
    const authorization = tbaAuthorizationHeader({ method: 'GET', url: `${url}?fields=name`, ...SANDBOX_CREDENTIALS });
    expectInvalidLogin(await call('GET', `${REC}/currency/1?fields=symbol`, undefined, { authorization }));
    expect(sandbox.stats().authFailures.InvalidSignature).toBe(1);
  });

  it.each([
    ['lower-case', '1234567_sb1'],
    ['hyphenated', '1234567-SB1'],
  ])('refuses a %s realm', async (_label, realm) => {
    const good = tbaAuthorizationHeader({
      method: 'GET',
      url: `${sandbox.url}${REC}/currency/1`,
      ...SANDBOX_CREDENTIALS,
    });
    const authorization = good.replace('realm="1234567_SB1"', `realm="${realm}"`);
    expect(authorization).not.toBe(good);
    expectInvalidLogin(await call('GET', `${REC}/currency/1`, undefined, { authorization }));
    expect(sandbox.stats().authFailures.InvalidAccount).toBe(1);
  });

  it('refuses a timestamp more than five minutes old', async () => {
    const res = await call('GET', `${REC}/currency/1`, undefined, {
      sign: { timestamp: Math.floor(Date.now() / 1000) - 301 },
    });
    expectInvalidLogin(res);
    expect(sandbox.stats().authFailures).toEqual({ InvalidTimestamp: 1 });
  });

  it('refuses a nonce reused with the same token and timestamp', async () => {
    const sign = { nonce: 'fixed-nonce-123456', timestamp: Math.floor(Date.now() / 1000) };
    expect((await call('GET', `${REC}/currency/1`, undefined, { sign })).status).toBe(200);
    expectInvalidLogin(await call('GET', `${REC}/currency/1`, undefined, { sign }));
    expect(sandbox.stats().authFailures).toEqual({ NonceUsed: 1 });
  });

  it('refuses HMAC-SHA1, unknown consumer keys and a missing header', async () => {
    const good = tbaAuthorizationHeader({
      method: 'GET',
      url: `${sandbox.url}${REC}/currency/1`,
      ...SANDBOX_CREDENTIALS,
    });
    expectInvalidLogin(
      await call('GET', `${REC}/currency/1`, undefined, { authorization: good.replace('HMAC-SHA256', 'HMAC-SHA1') }),
    );
    expectInvalidLogin(await call('GET', `${REC}/currency/1`, undefined, { sign: { consumerKey: 'someone-else' } }));
    expectInvalidLogin(await call('GET', `${REC}/currency/1`, undefined, { authorization: '' }));
    expect(sandbox.stats().authFailures).toEqual({
      UnknownAlgorithm: 1,
      consumer_key_unknown: 1,
      MissingTokenPassportRequiredFields: 1,
    });
  });

  it('does not perform a write whose request failed authentication', async () => {
    const res = await call(
      'POST',
      `${REC}/customer`,
      { companyName: 'Intruder', subsidiary: { id: '1' }, externalId: 'intruder' },
      { sign: { tokenSecret: 'x' } },
    );
    expectInvalidLogin(res);
    expect(sandbox.record('customer', 'eid:intruder')).toBeUndefined();
  });
});
