import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig, loadWorkerConfig, netsuiteHostFor } from '../../shared/config.js';
import { DEMO_ENV } from '../../sandbox/demo-env.js';

describe('configuration from the environment', () => {
  it('refuses to start without required variables, naming each and saying where to find it', () => {
    expect(() => loadGatewayConfig({})).toThrow(ConfigError);
    expect(() => loadGatewayConfig({})).toThrow(
      /TWOCHECKOUT_SECRET_KEY: is required: the Secret Key from 2Checkout Control Panel/,
    );
    const err = (() => {
      try {
        loadWorkerConfig({ NETSUITE_ACCOUNT_ID: '123' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    for (const v of ['NETSUITE_CONSUMER_KEY', 'NETSUITE_CONSUMER_SECRET', 'NETSUITE_TOKEN_ID', 'NETSUITE_TOKEN_SECRET'])
      expect(err.message).toContain(v);
  });

  it('rejects bad values with the variable and the expected form, without echoing secrets', () => {
    const env = {
      ...DEMO_ENV,
      GATEWAY_PORT: 'eighty',
      TWOCHECKOUT_SIGNATURE_ALGORITHMS: 'sha1',
      POSTING_MODE: 'invoiceOnly',
    };
    const message = (() => {
      try {
        loadGatewayConfig(env);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/GATEWAY_PORT/);
    expect(message).toMatch(/TWOCHECKOUT_SIGNATURE_ALGORITHMS/);
    expect(message).toMatch(/POSTING_MODE/);
    expect(message).not.toContain(DEMO_ENV.TWOCHECKOUT_SECRET_KEY);
  });

  it('derives the real NetSuite host from the account id when no base URL is set', () => {
    expect(netsuiteHostFor('1234567_SB1')).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    const c = loadWorkerConfig({
      ...DEMO_ENV,
      NETSUITE_ACCOUNT_ID: '1234567_SB1',
      NETSUITE_CONCURRENCY: '15',
      NETSUITE_WORKER_COUNT: '2',
    });
    expect(c.netsuite.baseUrl).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    expect(c.netsuite.workerConcurrency).toBe(7);
  });

  it('uses documented defaults', () => {
    const g = loadGatewayConfig({ TWOCHECKOUT_SECRET_KEY: 'k' });
    expect(g).toMatchObject({
      port: 8080,
      postingMode: 'salesOrder',
      syncTestOrders: false,
      signatureAlgorithms: ['sha3-256', 'sha256'],
    });
    expect(loadWorkerConfig({ ...DEMO_ENV }).mappingsFile).toBe('config/mappings.yaml');
  });
});
