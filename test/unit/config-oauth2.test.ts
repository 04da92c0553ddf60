// NETSUITE_AUTH=oauth2 configuration: what it needs instead of the TBA variables, and messages
// that name the variable and the fix without ever echoing the private key.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  REQUIRED_WORKER_ENV_VARS,
  WORKER_ENV_VARS,
  loadNetSuiteConfig,
  loadWorkerConfig,
} from '../../shared/config.js';
import { DEMO_ENV } from '../../sandbox/demo-env.js';

const dir = mkdtempSync(join(tmpdir(), 'ns-oauth2-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pkcs8 = (k: { export(o: { type: 'pkcs8'; format: 'pem' }): string | Buffer }) =>
  k.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_PEM = pkcs8(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const EC_PEM = pkcs8(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
const keyFile = join(dir, 'key.pem');
writeFileSync(keyFile, RSA_PEM);

const OAUTH2_ENV = {
  NETSUITE_AUTH: 'oauth2',
  NETSUITE_ACCOUNT_ID: '1234567_SB1',
  NETSUITE_CLIENT_ID: 'cid',
  NETSUITE_CERTIFICATE_ID: 'cert-1',
  NETSUITE_PRIVATE_KEY_FILE: keyFile,
};

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('NetSuite OAuth 2.0 configuration', () => {
  it('defaults to TBA, so existing deployments are unchanged', () => {
    const c = loadNetSuiteConfig({ ...DEMO_ENV });
    expect(c.auth).toEqual({
      kind: 'tba',
      credentials: expect.objectContaining({
        accountId: DEMO_ENV.NETSUITE_ACCOUNT_ID,
        consumerKey: DEMO_ENV.NETSUITE_CONSUMER_KEY,
      }),
    });
  });

  it('with oauth2 reads the key file and needs no TBA variables (PS256 by default)', () => {
    const c = loadWorkerConfig(OAUTH2_ENV);
    expect(c.netsuite.auth).toEqual({
      kind: 'oauth2',
      accountId: '1234567_SB1',
      clientId: 'cid',
      certificateId: 'cert-1',
      privateKeyPem: RSA_PEM,
      algorithm: 'PS256',
      scope: ['rest_webservices'],
    });
    expect(c.netsuite.baseUrl).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
  });

  it('takes the PEM itself from NETSUITE_PRIVATE_KEY, and ES256 with an EC key', () => {
    const c = loadNetSuiteConfig({
      ...OAUTH2_ENV,
      NETSUITE_PRIVATE_KEY_FILE: undefined,
      NETSUITE_PRIVATE_KEY: EC_PEM,
      NETSUITE_JWT_ALGORITHM: 'ES256',
    });
    expect(c.auth).toMatchObject({ kind: 'oauth2', algorithm: 'ES256', privateKeyPem: EC_PEM });
  });

  it('names every missing oauth2 variable and how to make a key and certificate', () => {
    const m = messageOf(() => loadNetSuiteConfig({ NETSUITE_AUTH: 'oauth2', NETSUITE_ACCOUNT_ID: '1234567' }));
    for (const v of ['NETSUITE_CLIENT_ID', 'NETSUITE_CERTIFICATE_ID', 'NETSUITE_PRIVATE_KEY_FILE'])
      expect(m).toContain(v);
    expect(m).toContain(
      'openssl req -x509 -newkey rsa:3072 -keyout key.pem -out cert.pem -days 730 -nodes -subj "/CN=2checkout-netsuite-sync"',
    );
    expect(m).not.toContain('NETSUITE_CONSUMER_KEY');
  });

  it('says when the key file cannot be read, or the PEM cannot be parsed or fits another algorithm, without echoing it', () => {
    expect(
      messageOf(() => loadNetSuiteConfig({ ...OAUTH2_ENV, NETSUITE_PRIVATE_KEY_FILE: join(dir, 'missing.pem') })),
    ).toMatch(/NETSUITE_PRIVATE_KEY_FILE: cannot read .*missing\.pem \(ENOENT\)/);
    const garbled = `-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1icm9rZW4ta2V5LW1hdGVyaWFs\n-----END PRIVATE KEY-----\n`;
    const bad = messageOf(() => loadNetSuiteConfig({ ...OAUTH2_ENV, NETSUITE_PRIVATE_KEY: garbled }));
    expect(bad).toMatch(/NETSUITE_PRIVATE_KEY: the private key is not a readable PEM/);
    expect(bad).not.toContain('c2VjcmV0LWJ1dC1icm9rZW4ta2V5LW1hdGVyaWFs');
    const mismatch = messageOf(() => loadNetSuiteConfig({ ...OAUTH2_ENV, NETSUITE_JWT_ALGORITHM: 'ES256' }));
    expect(mismatch).toMatch(/NETSUITE_PRIVATE_KEY_FILE: ES256 needs an EC P-256/);
    expect(mismatch).not.toContain(RSA_PEM.split('\n')[1]);
  });

  it('rejects unknown NETSUITE_AUTH and NETSUITE_JWT_ALGORITHM values', () => {
    expect(messageOf(() => loadNetSuiteConfig({ ...OAUTH2_ENV, NETSUITE_AUTH: 'oauth1' }))).toMatch(
      /NETSUITE_AUTH: must be tba .* or oauth2/,
    );
    expect(messageOf(() => loadNetSuiteConfig({ ...OAUTH2_ENV, NETSUITE_JWT_ALGORITHM: 'RS256' }))).toMatch(
      /NETSUITE_JWT_ALGORITHM: must be PS256 .* or ES256/,
    );
  });

  it('with tba (the default) still requires the four TBA variables and points to oauth2', () => {
    const m = messageOf(() => loadNetSuiteConfig({ NETSUITE_ACCOUNT_ID: '123', NETSUITE_CONSUMER_KEY: '' }));
    for (const v of [
      'NETSUITE_CONSUMER_KEY',
      'NETSUITE_CONSUMER_SECRET',
      'NETSUITE_TOKEN_ID',
      'NETSUITE_TOKEN_SECRET',
      'NETSUITE_AUTH=oauth2',
    ])
      expect(m).toContain(v);
  });

  it('lists the new variables as worker variables; only the account id is required in every mode', () => {
    expect(WORKER_ENV_VARS).toEqual(
      expect.arrayContaining([
        'NETSUITE_AUTH',
        'NETSUITE_CLIENT_ID',
        'NETSUITE_CERTIFICATE_ID',
        'NETSUITE_PRIVATE_KEY_FILE',
        'NETSUITE_PRIVATE_KEY',
        'NETSUITE_JWT_ALGORITHM',
      ]),
    );
    expect(REQUIRED_WORKER_ENV_VARS).toEqual(['NETSUITE_ACCOUNT_ID']);
  });
});
