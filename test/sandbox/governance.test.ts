// Governance, faults, the duplicate report, persistence and the admin surface: what tests of
// the sync use to prove exactly-once under overload and lost responses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REC, client, createCustomer, firstError, idFrom, type Call } from './helpers.js';
import { startSandbox, useSandbox } from '../support/sandbox.js';

const sandbox = useSandbox();
const call: Call = client(sandbox);
afterEach(() => {
  sandbox.clearFaults();
  sandbox.setConcurrencyLimit(5);
  sandbox.setLatency(undefined);
  sandbox.resetStats();
});

describe('account concurrency limit', () => {
  it('answers 429 CONCURRENCY_LIMIT_EXCEEDED at once when a slow call holds the only slot', async () => {
    sandbox.setConcurrencyLimit(1);
    // Without spread the latency is exactly the median: the first call holds its slot that long.
    sandbox.setLatency({ medianMs: 400, p99Ms: 400 });
    const [a, b] = await Promise.all([call('GET', `${REC}/currency/1`), call('GET', `${REC}/currency/2`)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 429]);
    const refused = a.status === 429 ? a : b;
    expect(refused.body).toMatchObject({ title: 'Bad Request', status: 429, 'o:errorCode': 'USER_ERROR' });
    expect(firstError(refused)).toMatchObject({
      code: 'CONCURRENCY_LIMIT_EXCEEDED',
      detail: 'Concurrent request limit exceeded. Request blocked.',
    });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(sandbox.stats()).toMatchObject({ peakInFlight: 1, rejected429: 1, inFlight: 0, totalCalls: 2 });
  });

  it('keeps the slot of a hanging call until the client gives up', async () => {
    sandbox.setConcurrencyLimit(1);
    sandbox.injectFault({ kind: 'hang', pathIncludes: '/currency/1' });
    const abort = new AbortController();
    const hanging = call('GET', `${REC}/currency/1`, undefined, { signal: abort.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(sandbox.stats().inFlight).toBe(1));
    expect((await call('GET', `${REC}/currency/2`)).status).toBe(429);
    abort.abort();
    expect(await hanging).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(sandbox.stats().inFlight).toBe(0));
    expect((await call('GET', `${REC}/currency/2`)).status).toBe(200);
    expect(sandbox.stats().faultsInjected).toBe(1);
  });
});

describe('faults', () => {
  it('commitThen500 stores the record but loses the answer; a retry by externalId finds it', async () => {
    sandbox.injectFault({ kind: 'commitThen500', method: 'POST', pathIncludes: '/customer' });
    const body = {
      companyName: 'Lost Response Inc',
      subsidiary: { id: '1' },
      externalId: '2co-cust-lost',
      email: 'lost@example.com',
    };
    const lost = await call('POST', `${REC}/customer`, body);
    expect(lost.status).toBe(500);
    expect(firstError(lost).code).toBe('UNEXPECTED_ERROR');
    const found = await call('GET', `${REC}/customer/eid:2co-cust-lost`);
    expect(found.status).toBe(200);
    // A blind retry of the create is refused instead of making a twin.
    expect(firstError(await call('POST', `${REC}/customer`, body)).code).toBe('USER_ERROR');
    expect(sandbox.duplicates().customersByEmail).toEqual([]);
  });

  it('error500BeforeCommit stores nothing, and only the given number of calls fail', async () => {
    sandbox.injectFault({ kind: 'error500BeforeCommit', method: 'PUT', times: 2 });
    const put = () =>
      call('PUT', `${REC}/customer/eid:2co-cust-flaky`, { companyName: 'Flaky', subsidiary: { id: '1' } });
    expect((await put()).status).toBe(500);
    expect(sandbox.record('customer', 'eid:2co-cust-flaky')).toBeUndefined();
    expect((await put()).status).toBe(500);
    expect((await put()).status).toBe(204);
    expect(sandbox.stats()).toMatchObject({ faultsInjected: 2, callsByKind: { 'upsert:customer': 3 } });
  });

  it('status429 and slow401 answer like an overloaded account', async () => {
    sandbox.injectFault({ kind: 'status429' });
    expect(firstError(await call('GET', `${REC}/currency/1`)).code).toBe('CONCURRENCY_LIMIT_EXCEEDED');
    sandbox.injectFault({ kind: 'slow401', hangMs: 0 });
    expect(firstError(await call('GET', `${REC}/currency/1`)).code).toBe('INVALID_LOGIN');
    expect((await call('GET', `${REC}/currency/1`)).status).toBe(200);
  });
});

describe('duplicate report', () => {
  it('lists customers sharing an e-mail and orders sharing a 2Checkout reference', async () => {
    const own = await startSandbox();
    const c = client(own);
    try {
      expect(own.duplicates()).toEqual({ customersByEmail: [], transactionsByRefNo: [], moneyRecordsByKey: [] });
      const a = await createCustomer(c, { email: 'Twin@Example.com' });
      const b = own.insert('customer', {
        companyName: 'Twin again',
        email: 'twin@example.com',
        subsidiary: { id: '1' },
      });
      await createCustomer(c, { email: 'single@example.com' });
      const so = (refNo: string) =>
        c('POST', `${REC}/salesOrder`, {
          entity: { id: a },
          otherRefNum: refNo,
          item: { items: [{ item: { id: '100' }, rate: 1 }] },
        }).then(idFrom);
      const s1 = await so('R-1');
      const s2 = await so('R-1');
      await so('R-2');
      expect(own.duplicates()).toEqual({
        customersByEmail: [{ email: 'twin@example.com', ids: [a, b] }],
        transactionsByRefNo: [{ type: 'salesOrder', refNo: 'R-1', ids: [s1, s2] }],
        moneyRecordsByKey: [],
      });
    } finally {
      await own.close();
    }
  });

  it('lists every kind of money record twice under one sync key: its externalId, or the [key] in its memo where NetSuite dropped the externalId', async () => {
    const own = await startSandbox({ transformKeepsExternalId: false });
    const c = client(own);
    try {
      const customer = await createCustomer(c);
      const so = idFrom(
        await c('POST', `${REC}/salesOrder`, {
          entity: { id: customer },
          item: { items: [{ item: { id: '100' }, quantity: 1, rate: 50 }] },
        }),
      );
      const inv = idFrom(
        await c('POST', `${REC}/salesOrder/${so}/!transform/invoice`, {
          externalId: '2co-inv-D1',
          memo: 'order D1 [2co-inv-D1]',
        }),
      );
      // Two partial credits of one refund event: the externalId dropped, the memo's key kept.
      const cm = () =>
        c('POST', `${REC}/invoice/${inv}/!transform/creditMemo?replace=item`, {
          externalId: '2co-cm-D1-E1',
          memo: 'refund [2co-cm-D1-E1]',
          item: { items: [{ item: { id: '100' }, quantity: 1, rate: 5 }] },
        }).then(idFrom);
      const cm1 = await cm();
      const cm2 = await cm();
      // A journal posted twice under one externalId cannot be stored (unique per type); one whose key is only in the memo can.
      const je = () =>
        c('POST', `${REC}/journalEntry`, {
          subsidiary: { id: '1' },
          memo: 'payout [2co-payout-P1]',
          line: {
            items: [
              { account: { id: '201' }, debit: 10 },
              { account: { id: '230' }, credit: 10 },
            ],
          },
        }).then(idFrom);
      const j1 = await je();
      const j2 = await je();
      expect(own.duplicates().moneyRecordsByKey).toEqual([
        { type: 'creditMemo', key: '2co-cm-D1-E1', ids: [cm1, cm2] },
        { type: 'journalEntry', key: '2co-payout-P1', ids: [j1, j2] },
      ]);
    } finally {
      await own.close();
    }
  });
});

describe('persistence', () => {
  it('restarts from its data file with the same records and keeps handing out new ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-sandbox-'));
    const persistPath = join(dir, 'netsuite.json');
    try {
      const first = await startSandbox({ persistPath });
      const c1 = client(first);
      const customer = await createCustomer(c1, { externalId: '2co-cust-kept' });
      const so = idFrom(
        await c1('POST', `${REC}/salesOrder`, {
          entity: { id: customer },
          externalId: '2co-so-kept',
          item: { items: [{ item: { id: '100' }, rate: 7 }] },
        }),
      );
      await first.close();

      const second = await startSandbox({ persistPath });
      const c2 = client(second);
      try {
        expect((await c2('GET', `${REC}/salesOrder/eid:2co-so-kept`)).body).toMatchObject({
          id: so,
          total: 7,
          entity: { id: customer },
        });
        const rows = await c2(
          'POST',
          '/services/rest/query/v1/suiteql',
          { q: "SELECT id FROM customer WHERE externalid = '2co-cust-kept'" },
          { headers: { Prefer: 'transient' } },
        );
        expect(rows.body.items).toEqual([{ links: [], id: customer }]);
        const next = await createCustomer(c2);
        expect(Number(next)).toBeGreaterThan(Number(customer));
        expect(second.records('currency')).toHaveLength(6);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('admin surface', () => {
  it('exposes stats, records, faults, config and inserts to other processes without auth', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${sandbox.url}/__sandbox/${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await call('GET', `${REC}/currency/1`);
    expect(await (await admin('GET', 'stats')).json()).toMatchObject({ callsByKind: { 'get:currency': 1 } });
    expect((await admin('POST', 'stats/reset')).status).toBe(204);
    expect(await (await admin('GET', 'stats')).json()).toMatchObject({ callsByKind: {}, totalCalls: 0 });

    const inserted = await admin('POST', 'records/customer', {
      companyName: 'Pre-existing',
      email: 'old@example.com',
      subsidiary: { id: '1' },
    });
    expect(inserted.status).toBe(201);
    const { id } = (await inserted.json()) as { id: string };
    const customers = (await (await admin('GET', 'records/customer')).json()) as Array<{
      id: string;
      companyName?: string;
    }>;
    expect(customers.find((r) => r.id === id)?.companyName).toBe('Pre-existing');

    expect((await admin('POST', 'faults', { kind: 'error500BeforeCommit', pathIncludes: '/currency/3' })).status).toBe(
      204,
    );
    expect((await call('GET', `${REC}/currency/3`)).status).toBe(500);
    expect((await admin('POST', 'faults', { kind: 'nonsense' })).status).toBe(400);

    expect((await admin('POST', 'config', { concurrencyLimit: 1 })).status).toBe(204);
    expect((await admin('POST', 'config', { concurrencyLimit: 0 })).status).toBe(400);
    expect(await (await admin('GET', 'duplicates')).json()).toEqual({
      customersByEmail: [],
      transactionsByRefNo: [],
      moneyRecordsByKey: [],
    });
  });
});
