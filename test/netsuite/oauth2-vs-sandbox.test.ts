// End to end with OAuth 2.0 client credentials: the real client signs a client assertion, gets a
// token from the sandbox's token endpoint and uses it for records, SuiteQL and the order
// activities, the same way it would against a NetSuite account set up for M2M.
import { generateKeyPairSync } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createNetSuiteActivities } from '../../activities/index.js';
import { staticMappingProvider } from '../../mappings/config-loader.js';
import { createNetSuiteClient } from '../../netsuite/client.js';
import { sandboxOAuth2For } from '../../sandbox/netsuite/index.js';
import { loadNetSuiteConfig } from '../../shared/config.js';
import { demoConfig, line, order } from '../mappings/fixtures.js';
import { startSandbox, useSandbox, useSandboxClient } from '../support/sandbox.js';
import { suiteql } from '../../netsuite/suiteql.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const sandbox = useSandbox({
  oauth2: {
    clientId: 'e2e-client',
    certificateId: 'e2e-cert',
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  },
});
const client = useSandboxClient(sandbox, {
  auth: {
    kind: 'oauth2',
    accountId: '1234567_SB1',
    clientId: 'e2e-client',
    certificateId: 'e2e-cert',
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  },
});
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('NetSuite client with OAuth 2.0 against the sandbox', () => {
  it('creates a record and finds it with SuiteQL on one token', async () => {
    const { id } = await client.create('customer', {
      externalId: 'oauth2-cust-1',
      companyName: 'M2M Ltd',
      email: 'm2m@example.com',
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    const page = await client.suiteql(
      suiteql`SELECT id, companyname FROM customer WHERE externalid = ${'oauth2-cust-1'}`,
    );
    expect(page.items).toEqual([{ id, companyname: 'M2M Ltd' }]);
    expect(sandbox.stats().tokensIssued).toBe(1);
    expect(sandbox.stats().authFailures).toEqual({});
  });

  it('syncs one paid order through the order activities', async () => {
    const acts = createNetSuiteActivities({
      netsuite: client,
      mappings: staticMappingProvider(demoConfig()),
      logger: quiet,
    });
    const run = <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> =>
      new MockActivityEnvironment({ attempt: 1 }).run<[A], R, typeof fn>(fn, input);
    const o = order({
      refNo: '7100001',
      key: '7100001|COMPLETE|1|20260110120000',
      lines: [line(0, { productCode: 'SOFT-PRO', unitPrice: '49.50', quantity: '2', vat: '19.80' })],
      totals: { general: '118.80', shipping: '0.00', shippingTax: '0.00' },
      customer: {
        ...order().customer,
        twoCheckoutRef: '881001',
        billing: { ...order().customer.billing, email: 'oauth2.buyer@example.com' },
      },
    });
    const c = await run(acts.syncCustomer, { order: o });
    const so = await run(acts.upsertSalesOrder, { order: o, customerId: c.customerId });
    const inv = await run(acts.createInvoice, { order: o, salesOrderId: so.salesOrderId });
    await run(acts.applyPayment, { order: o, customerId: c.customerId, invoiceId: inv.invoiceId });
    expect(sandbox.records('salesOrder').filter((r) => r.externalId === '2co-so-7100001')).toHaveLength(1);
    expect(sandbox.record('invoice', inv.invoiceId)).toMatchObject({ total: 118.8, amountRemaining: 0 });
    // Still the token from the first test: cached, not one per call.
    expect(sandbox.stats().tokensIssued).toBe(1);
    expect(client.stats().tokenRequests).toBe(1);
  });

  it('recovers from revoked tokens with one new token', async () => {
    sandbox.revokeTokens();
    expect(await client.get('customer', 'eid:oauth2-cust-1')).toMatchObject({ companyName: 'M2M Ltd' });
    expect(sandbox.stats().tokensIssued).toBe(2);
    expect(sandbox.stats().authFailures).toEqual({ BearerTokenUnknown: 1 });
  });

  it('works the way `npm start` wires it: config from NETSUITE_* (ES256 here), sandbox given the derived public key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const config = loadNetSuiteConfig({
      NETSUITE_AUTH: 'oauth2',
      NETSUITE_ACCOUNT_ID: 'TSTDRV0000001',
      NETSUITE_CLIENT_ID: 'local',
      NETSUITE_CERTIFICATE_ID: 'local-cert',
      NETSUITE_PRIVATE_KEY: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      NETSUITE_JWT_ALGORITHM: 'ES256',
    });
    if (config.auth.kind !== 'oauth2') throw new Error('expected oauth2');
    const local = await startSandbox({ oauth2: sandboxOAuth2For(config.auth) });
    const ns = createNetSuiteClient({ baseUrl: local.url, auth: config.auth });
    try {
      expect(await ns.get('currency', '1')).toMatchObject({ symbol: 'USD' });
      expect(local.stats()).toMatchObject({ tokensIssued: 1, authFailures: {} });
    } finally {
      await ns.close();
      await local.close();
    }
  });
});
