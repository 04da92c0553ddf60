// The client against the NetSuite sandbox (a real HTTP server speaking the SuiteTalk REST subset):
// the same signed requests and parsing that would run against a real account.
import { describe, expect, it } from 'vitest';
import { createNetSuiteClient } from '../../netsuite/client.js';
import { AdaptiveLimiter } from '../../netsuite/limiter.js';
import { NetSuiteError } from '../../netsuite/types.js';
import { SANDBOX_CREDENTIALS, startSandbox, useSandbox, useSandboxClient } from '../support/sandbox.js';
import { suiteql } from '../../netsuite/suiteql.js';

const credentials = SANDBOX_CREDENTIALS;
const sandbox = useSandbox();
const ns = useSandboxClient(sandbox);

describe('client vs NetSuite sandbox', () => {
  it('creates a customer and reads it back by internal id and by external id', async () => {
    const { id } = await ns.create('customer', {
      externalId: 'test-cust-1',
      isPerson: false,
      companyName: 'Acme Test Ltd',
      email: 'ap@acme.example',
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    expect(id).toMatch(/^\d+$/);

    const byId = await ns.get('customer', id);
    expect(byId).toMatchObject({ id, externalId: 'test-cust-1', companyName: 'Acme Test Ltd' });
    const byEid = await ns.get('customer', 'eid:test-cust-1');
    expect(byEid?.id).toBe(id);
    expect(await ns.get('customer', 'eid:test-cust-missing')).toBeUndefined();
  });

  it('refuses a second record with the same externalId as a user error', async () => {
    await ns.create('customer', { externalId: 'test-cust-dup', companyName: 'Dup One', subsidiary: { id: '1' } });
    const err: unknown = await ns
      .create('customer', { externalId: 'test-cust-dup', companyName: 'Dup Two', subsidiary: { id: '1' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetSuiteError);
    expect((err as NetSuiteError).kind).toBe('user');
    expect(sandbox.records('customer').filter((r) => r.externalId === 'test-cust-dup')).toHaveLength(1);
  });

  it('upserts a sales order idempotently and transforms it into an invoice', async () => {
    const { id: customerId } = await ns.create('customer', {
      externalId: 'test-cust-so',
      companyName: 'Order Co',
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    const order = {
      entity: { id: customerId },
      subsidiary: { id: '1' },
      currency: { id: '1' },
      tranDate: '2026-01-10',
      item: { items: [{ item: { id: '100' }, quantity: 2, rate: 49 }] },
    };
    const first = await ns.upsert('salesOrder', 'test-so-1', order);
    const again = await ns.upsert('salesOrder', 'test-so-1', { ...order, memo: 'updated' });
    expect(again.id).toBe(first.id);
    expect(sandbox.records('salesOrder').filter((r) => r.externalId === 'test-so-1')).toHaveLength(1);
    expect(await ns.get('salesOrder', first.id)).toMatchObject({ memo: 'updated' });

    const invoice = await ns.transform('salesOrder', first.id, 'invoice', { externalId: 'test-inv-1' });
    const read = await ns.get('invoice', invoice.id);
    expect(read).toMatchObject({ id: invoice.id, externalId: 'test-inv-1' });
  });

  it('finds records with SuiteQL, one page and across pages', async () => {
    for (let i = 0; i < 3; i += 1) {
      await ns.create('customer', {
        externalId: `test-ql-${i}`,
        companyName: `QL ${i}`,
        email: 'shared@ql.example',
        subsidiary: { id: '1' },
      });
    }
    const page = await ns.suiteql(
      suiteql`SELECT id, externalid, email FROM customer WHERE LOWER(email) = LOWER(${'SHARED@ql.example'})`,
      { limit: 2, offset: 0 },
    );
    expect(page.items).toHaveLength(2);
    expect(page.hasMore).toBe(true);
    expect(page.totalResults).toBe(3);

    const all = await ns.suiteqlAll(suiteql`SELECT id, externalid FROM customer WHERE email = ${'shared@ql.example'}`);
    expect(all.map((r) => r.externalid).sort()).toEqual(['test-ql-0', 'test-ql-1', 'test-ql-2']);
  });

  it('answers a wrong token secret with NetSuiteError kind auth, status 401', async () => {
    const wrong = createNetSuiteClient({
      baseUrl: sandbox.url,
      credentials: { ...credentials, tokenSecret: 'not-the-token-secret' },
    });
    try {
      const err: unknown = await wrong.get('customer', 'eid:test-cust-1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetSuiteError);
      expect((err as NetSuiteError).kind).toBe('auth');
      expect((err as NetSuiteError).status).toBe(401);
      expect((err as NetSuiteError).code).toBe('INVALID_LOGIN');
      expect((err as NetSuiteError).message).not.toContain('not-the-token-secret');
      expect(sandbox.stats().authFailures).toMatchObject({ InvalidSignature: 1 });
    } finally {
      await wrong.close();
    }
  });

  it('fits a burst into a small account limit: 429s are retried inside the client and the limiter shrinks', async () => {
    const small = await startSandbox({ concurrencyLimit: 2, latency: { medianMs: 15, p99Ms: 30 } });
    const limiter = new AdaptiveLimiter({ max: 8 });
    const client = createNetSuiteClient({
      baseUrl: small.url,
      credentials,
      limiter,
      maxConcurrencyRetries: 30,
      concurrencyBackoff: { baseMs: 5, capMs: 40 },
    });
    try {
      const results = await Promise.all(Array.from({ length: 24 }, () => client.get('currency', '1')));

      expect(results.every((r) => r?.id === '1')).toBe(true);
      expect(small.stats().callsByKind['get:currency']).toBe(24);
      expect(client.stats().rejected429).toBeGreaterThan(0);
      expect(client.stats().rejected429).toBe(small.stats().rejected429);
      expect(client.stats().errorsByKind).toEqual({});
      expect(limiter.snapshot().decreases).toBeGreaterThan(0);
    } finally {
      await client.close();
      await small.close();
    }
  });
});
