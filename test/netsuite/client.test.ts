// The REST client against a scripted local NetSuite: request shape and signing, ids from Location,
// typed errors, the narrow in-client retry of concurrency refusals, timeouts, cancellation, paging.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNetSuiteClient } from '../../netsuite/client.js';
import { AdaptiveLimiter } from '../../netsuite/limiter.js';
import { type NetSuiteClientOptions, NetSuiteError, type NetSuiteRestClient } from '../../netsuite/types.js';
import {
  created,
  json,
  problem,
  startNetSuiteStub,
  stubCredentials,
  type NetSuiteStub,
} from './support/stub-netsuite.js';
import { suiteql } from '../../netsuite/suiteql.js';

let stub: NetSuiteStub;
let client: NetSuiteRestClient | undefined;
const sleeps: number[] = [];
const logs: string[] = [];

const logger = {
  debug: (obj: object, msg?: string) => logs.push(JSON.stringify({ obj, msg })),
  info: (obj: object, msg?: string) => logs.push(JSON.stringify({ obj, msg })),
  warn: (obj: object, msg?: string) => logs.push(JSON.stringify({ obj, msg })),
};

function makeClient(overrides: Partial<NetSuiteClientOptions> = {}): NetSuiteRestClient {
  client = createNetSuiteClient({
    baseUrl: stub.url,
    credentials: stubCredentials,
    logger,
    // Record the waits instead of waiting: assertions are about what the client asked for.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return client;
}

async function rejection(p: Promise<unknown>): Promise<NetSuiteError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof NetSuiteError)) throw new Error(`expected a NetSuiteError, got ${String(err)}`);
  return err;
}

beforeEach(async () => {
  sleeps.length = 0;
  logs.length = 0;
  stub = await startNetSuiteStub((_req, res) => {
    res.statusCode = 500;
    res.end();
  });
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await stub.close();
  // Nothing a client logs may carry a secret or a signature.
  for (const line of logs) {
    for (const secret of [
      stubCredentials.consumerSecret,
      stubCredentials.tokenSecret,
      'oauth_signature',
      'OAuth realm',
    ])
      expect(line).not.toContain(secret);
  }
});

describe('record writes', () => {
  it('creates a record with a signed JSON POST and returns the internal id from Location', async () => {
    stub.respond((_req, res) => created(res, stub.url, 'customer', '4711'));
    const ns = makeClient();

    const result = await ns.create('customer', { externalId: '2co-cust-1', companyName: 'Acme' });

    expect(result).toEqual({ id: '4711' });
    const [req] = stub.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/services/rest/record/v1/customer');
    expect(req?.signatureValid).toBe(true);
    expect(req?.headers.authorization).toMatch(/^OAuth realm="1234567_SB1", /);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers.accept).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ externalId: '2co-cust-1', companyName: 'Acme' });
    expect(ns.stats().callsByKind).toEqual({ 'create:customer': 1 });
  });

  it('upserts by external id with PUT …/eid:{externalId}', async () => {
    stub.respond((_req, res) => created(res, stub.url, 'salesOrder', '88'));
    const ns = makeClient();

    expect(await ns.upsert('salesOrder', '2co-so-ABC_123', { memo: 'm' })).toEqual({ id: '88' });
    // A key already written as eid:… means the same record.
    expect(await ns.upsert('salesOrder', 'eid:2co-so-ABC_123', { memo: 'm' })).toEqual({ id: '88' });

    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /services/rest/record/v1/salesOrder/eid:2co-so-ABC_123',
      'PUT /services/rest/record/v1/salesOrder/eid:2co-so-ABC_123',
    ]);
    expect(stub.requests.every((r) => r.signatureValid)).toBe(true);
    expect(ns.stats().callsByKind).toEqual({ 'upsert:salesOrder': 2 });
  });

  it('reads the id back by external id when an upsert answers without Location', async () => {
    stub.respond((req, res) => {
      if (req.method === 'PUT') {
        res.writeHead(204);
        res.end();
        return;
      }
      json(res, 200, { id: '90', externalId: '2co-so-X', links: [] });
    });
    const ns = makeClient();

    expect(await ns.upsert('salesOrder', '2co-so-X', {})).toEqual({ id: '90' });
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /services/rest/record/v1/salesOrder/eid:2co-so-X',
      'GET /services/rest/record/v1/salesOrder/eid:2co-so-X',
    ]);
  });

  it('fails clearly when an upsert sends no Location and the record cannot be found', async () => {
    stub.respond((req, res) => {
      if (req.method === 'PUT') {
        res.writeHead(204);
        res.end();
        return;
      }
      problem(res, 404, 'NONEXISTENT_ID', 'Record does not exist.');
    });
    const err = await rejection(makeClient().upsert('salesOrder', '2co-so-Y', {}));
    expect(err.message).toContain('upsert:salesOrder');
    expect(err.message).toContain('no Location');
  });

  it('transforms a sales order into an invoice and returns the new id', async () => {
    stub.respond((_req, res) => created(res, stub.url, 'invoice', '501'));
    const ns = makeClient();

    expect(await ns.transform('salesOrder', '88', 'invoice', { externalId: '2co-inv-1' })).toEqual({ id: '501' });
    expect(stub.requests[0]?.path).toBe('/services/rest/record/v1/salesOrder/88/!transform/invoice');
    expect(stub.requests[0]?.signatureValid).toBe(true);
    expect(ns.stats().callsByKind).toEqual({ 'transform:salesOrder->invoice': 1 });
  });

  it('finds a transformed record by the externalId in the body when Location is missing, else fails', async () => {
    stub.respond((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(204);
        res.end();
        return;
      }
      json(res, 200, { id: '502' });
    });
    const ns = makeClient();

    expect(await ns.transform('salesOrder', '88', 'invoice', { externalId: '2co-inv-2' })).toEqual({ id: '502' });
    expect(stub.requests[1]?.path).toBe('/services/rest/record/v1/invoice/eid:2co-inv-2');

    const err = await rejection(ns.transform('salesOrder', '88', 'invoice', { memo: 'no external id' }));
    expect(err.message).toContain('no externalId');
    expect(stub.requests).toHaveLength(3);
  });

  it('patches and deletes by internal id or external id', async () => {
    stub.respond((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const ns = makeClient();
    await ns.update('customer', 'eid:2co-cust-1', { email: 'a@example.com' });
    await ns.delete('customer', '12');
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /services/rest/record/v1/customer/eid:2co-cust-1',
      'DELETE /services/rest/record/v1/customer/12',
    ]);
    expect(stub.requests.every((r) => r.signatureValid)).toBe(true);
  });
});

describe('record reads', () => {
  it('gets a record, signing the query string it sends', async () => {
    stub.respond((_req, res) => json(res, 200, { id: '7', entityId: 'Acme', item: { items: [] } }));
    const ns = makeClient();

    const record = await ns.get('salesOrder', '7', { expandSubResources: true, fields: ['entity', 'total'] });

    expect(record).toEqual({ id: '7', entityId: 'Acme', item: { items: [] } });
    const [req] = stub.requests;
    expect(req?.query.get('expandSubResources')).toBe('true');
    expect(req?.query.get('fields')).toBe('entity,total');
    expect(req?.signatureValid).toBe(true);
  });

  it('returns undefined for a record that does not exist', async () => {
    stub.respond((_req, res) => problem(res, 404, 'NONEXISTENT_ID', 'Record does not exist.'));
    const ns = makeClient();
    expect(await ns.get('invoice', 'eid:2co-inv-404')).toBeUndefined();
    expect(ns.stats().errorsByKind).toEqual({});
  });

  it('throws not_found for a 404 that is not NONEXISTENT_ID (e.g. a wrong base URL)', async () => {
    stub.respond((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>Not Found</html>');
    });
    const err = await rejection(makeClient().get('invoice', '1'));
    expect(err.kind).toBe('not_found');
    expect(err.status).toBe(404);
  });
});

describe('reads under transient failures', () => {
  it('tries a GET answered 5xx again inside the client (a read changes nothing), and returns the record', async () => {
    let n = 0;
    stub.respond((_req, res) =>
      n++ === 0 ? problem(res, 500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.') : json(res, 200, { id: '7' }),
    );
    const ns = makeClient();
    expect(await ns.get('invoice', '7')).toEqual({ id: '7' });
    expect(stub.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('tries a SuiteQL query again after a connection cut off, and returns its rows', async () => {
    let n = 0;
    stub.respond((_req, res) => {
      if (n++ === 0) res.socket?.destroy();
      else json(res, 200, { items: [{ id: '1', links: [] }], hasMore: false, count: 1, offset: 0, totalResults: 1 });
    });
    const ns = makeClient();
    expect((await ns.suiteql(suiteql`SELECT id FROM transaction`)).items).toEqual([{ id: '1' }]);
    expect(stub.requests).toHaveLength(2);
  });

  it('gives up on a read after maxReadRetries more tries and throws the last failure for Temporal to retry', async () => {
    stub.respond((_req, res) => problem(res, 503, 'UNEXPECTED_ERROR', 'unavailable'));
    const err = await rejection(makeClient({ maxReadRetries: 2 }).get('invoice', '7'));
    expect(err.kind).toBe('server');
    expect(err.retryable).toBe(true);
    expect(stub.requests).toHaveLength(3);
  });

  it('does not try a read again when the answer is final (a 4xx)', async () => {
    stub.respond((_req, res) => problem(res, 403, 'INSUFFICIENT_PERMISSION', 'no access'));
    await rejection(makeClient().get('invoice', '7'));
    expect(stub.requests).toHaveLength(1);
  });
});

describe('errors', () => {
  it('turns problem details into a user error that names the call, code, detail and path', async () => {
    stub.respond((_req, res) =>
      problem(
        res,
        400,
        'INVALID_CONTENT',
        'You have entered an Invalid Field Value 9999 for the following field: item',
        { path: 'item.items[0].item' },
      ),
    );
    const ns = makeClient();

    const err = await rejection(ns.create('salesOrder', { externalId: '2co-so-1' }));

    expect(err.kind).toBe('user');
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_CONTENT');
    expect(err.details).toEqual([
      {
        code: 'INVALID_CONTENT',
        detail: 'You have entered an Invalid Field Value 9999 for the following field: item',
        path: 'item.items[0].item',
      },
    ]);
    expect(err.message).toContain('POST create:salesOrder');
    expect(err.message).toContain('INVALID_CONTENT');
    expect(err.message).toContain('item.items[0].item');
    expect(err.message).not.toContain(stubCredentials.tokenSecret);
    expect(stub.requests).toHaveLength(1);
    expect(ns.stats().errorsByKind).toEqual({ user: 1 });
  });

  it.each([
    [401, 'INVALID_LOGIN', 'auth'],
    [403, 'INSUFFICIENT_PERMISSION', 'permission'],
    [500, 'UNEXPECTED_ERROR', 'server'],
    [503, 'UNEXPECTED_ERROR', 'server'],
  ] as const)('HTTP %i %s on a write is kind %s and is never retried inside the client', async (status, code, kind) => {
    stub.respond((_req, res) => problem(res, status, code, 'something went wrong'));
    const ns = makeClient();
    const err = await rejection(ns.create('customer', {}));
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    // Only Temporal retries these: a POST may already have committed.
    expect(stub.requests).toHaveLength(1);
  });

  it('explains where to look when the login is refused', async () => {
    stub.respond((_req, res) =>
      problem(res, 401, 'INVALID_LOGIN', 'Invalid login attempt. For more details, see the Login Audit Trail.'),
    );
    const err = await rejection(makeClient().get('customer', '1'));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('Login Audit Trail');
  });

  it('reports a connection that cannot be made as a network error', async () => {
    const { url } = stub;
    await stub.close();
    const ns = createNetSuiteClient({ baseUrl: url, credentials: stubCredentials });
    client = ns;
    const err = await rejection(ns.get('customer', '1'));
    expect(err.kind).toBe('network');
    expect(err.status).toBeUndefined();
    expect(err.retryable).toBe(true);
    stub = await startNetSuiteStub(() => undefined);
  });

  it('reports a connection reset mid-request as a network error and does not resend the POST', async () => {
    // The socket dies after NetSuite may have committed: the client must not retry on its own.
    stub.respond((_req, res) => {
      res.socket?.destroy();
    });
    const ns = makeClient();
    const err = await rejection(ns.create('customerPayment', { externalId: '2co-pay-1' }));
    expect(err.kind).toBe('network');
    expect(stub.requests).toHaveLength(1);
    expect(ns.stats().errorsByKind).toEqual({ network: 1 });
  });

  it('times out a request that gets no answer, as a network error', async () => {
    stub.respond(() => undefined); // never answers
    const err = await rejection(makeClient({ timeoutMs: 150 }).get('customer', '1'));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('timeout');
  });
});

describe('concurrency refusals', () => {
  it('retries a 429 inside the client, and the shared limiter shrinks', async () => {
    let calls = 0;
    stub.respond((_req, res) => {
      calls += 1;
      if (calls === 1)
        problem(res, 429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.');
      else created(res, stub.url, 'customerPayment', '3001');
    });
    const limiter = new AdaptiveLimiter({ max: 10 });
    const ns = makeClient({ limiter });

    expect(await ns.create('customerPayment', { externalId: '2co-pay-1' }, { priority: 'money' })).toEqual({
      id: '3001',
    });

    expect(stub.requests).toHaveLength(2);
    expect(stub.requests.every((r) => r.signatureValid)).toBe(true);
    // Each attempt is signed afresh (new nonce), or NetSuite would refuse the retry as NonceUsed.
    expect(stub.requests[0]?.headers.authorization).not.toBe(stub.requests[1]?.headers.authorization);
    expect(limiter.snapshot()).toMatchObject({ limit: 7, decreases: 1, inFlight: 0 });
    // Full jitter over 250 ms · 2^0 with random() = 0.5.
    expect(sleeps).toEqual([125]);
    expect(ns.stats()).toMatchObject({
      rejected429: 1,
      errorsByKind: {},
      callsByKind: { 'create:customerPayment': 1 },
      requests: 2,
    });
  });

  it('gives up after maxConcurrencyRetries with a concurrency error for Temporal to retry', async () => {
    stub.respond((_req, res) =>
      problem(res, 429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.'),
    );
    const ns = makeClient({ maxConcurrencyRetries: 2 });

    const err = await rejection(ns.upsert('salesOrder', '2co-so-1', {}));

    expect(err.kind).toBe('concurrency');
    expect(err.retryable).toBe(true);
    expect(stub.requests).toHaveLength(3);
    expect(sleeps).toEqual([125, 250]);
    expect(ns.stats()).toMatchObject({ rejected429: 3, errorsByKind: { concurrency: 1 } });
  });

  it('treats a CONCURRENCY_LIMIT_EXCEEDED code on another status as a concurrency refusal', async () => {
    stub.respond((_req, res) =>
      problem(res, 400, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.'),
    );
    const err = await rejection(makeClient({ maxConcurrencyRetries: 1 }).get('customer', '1'));
    expect(err.kind).toBe('concurrency');
    expect(stub.requests).toHaveLength(2);
  });

  it('honours Retry-After in seconds', async () => {
    let calls = 0;
    stub.respond((_req, res) => {
      calls += 1;
      if (calls === 1) problem(res, 429, 'CONCURRENCY_LIMIT_EXCEEDED', 'blocked', { headers: { 'retry-after': '2' } });
      else json(res, 200, { id: '1' });
    });
    const ns = makeClient();
    expect(await ns.get('customer', '1')).toEqual({ id: '1' });
    expect(sleeps).toEqual([2000]);
  });

  it('does not wait out a long Retry-After inside the client: it hands it to the caller', async () => {
    stub.respond((_req, res) =>
      problem(res, 429, 'CONCURRENCY_LIMIT_EXCEEDED', 'blocked', { headers: { 'retry-after': '120' } }),
    );
    const err = await rejection(makeClient({ maxInClientWaitMs: 30_000 }).get('customer', '1'));
    expect(err.kind).toBe('concurrency');
    expect(err.retryAfterMs).toBe(120_000);
    expect(sleeps).toEqual([]);
    expect(stub.requests).toHaveLength(1);
  });
});

describe('cancellation', () => {
  it('aborts an in-flight request when the signal fires', async () => {
    stub.respond(() => undefined); // hangs
    const ns = makeClient();
    const controller = new AbortController();
    const pending = ns.create('customer', {}, { signal: controller.signal }).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await stub.received(1);
    controller.abort(new Error('activity cancelled'));
    const outcome = await pending;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toBe('activity cancelled');
    expect(ns.limiter.snapshot().inFlight).toBe(0);
  });

  it('drops a request still waiting for a limiter slot when its signal fires', async () => {
    stub.respond(() => undefined); // hangs
    const ns = makeClient({ limiter: new AdaptiveLimiter({ max: 1 }), timeoutMs: 5_000 });
    const first = new AbortController();
    const second = new AbortController();
    const running = ns.get('customer', '1', { signal: first.signal }).catch((e: unknown) => e);
    await stub.received(1);
    const queued = ns.get('customer', '2', { signal: second.signal }).catch((e: unknown) => e);
    expect(ns.limiter.snapshot().queuedBulk).toBe(1);

    second.abort(new Error('cancelled while queued'));
    expect(((await queued) as Error).message).toBe('cancelled while queued');
    expect(ns.limiter.snapshot().queuedBulk).toBe(0);

    first.abort(new Error('done'));
    await running;
    expect(stub.requests).toHaveLength(1);
  });
});

describe('priority', () => {
  it("starts a queued call by its activity's task priority key, ahead of calls queued before it", async () => {
    const held: Array<() => void> = [];
    stub.respond((req, res) => {
      held.push(() => json(res, 200, { id: req.path.split('/').at(-1) }));
    });
    const ns = makeClient({ limiter: new AdaptiveLimiter({ max: 1 }) });
    const running = ns.get('customer', '1', { priorityKey: 5 });
    await stub.received(1);
    // A backfill's calls (key 5) were queued first; a live order's (key 2) comes after them.
    const backfill = [ns.get('customer', '2', { priorityKey: 5 }), ns.get('customer', '3', { priorityKey: 5 })];
    const live = ns.get('customer', '4', { priorityKey: 2 });
    for (let n = 1; n <= 4; n += 1) {
      await stub.received(n);
      held[n - 1]!();
    }
    await Promise.all([running, ...backfill, live]);
    expect(stub.requests.map((r) => r.path.split('/').at(-1))).toEqual(['1', '4', '2', '3']);
  });
});

describe('SuiteQL', () => {
  const TOTAL = 2345;
  function serveRows(): void {
    stub.respond((req, res) => {
      const limit = Number(req.query.get('limit'));
      const offset = Number(req.query.get('offset'));
      const items = [];
      for (let i = offset; i < Math.min(offset + limit, TOTAL); i += 1)
        items.push({ links: [], id: String(i), email: `c${i}@example.com`, isperson: 'T' });
      json(res, 200, {
        links: [],
        count: items.length,
        hasMore: offset + limit < TOTAL,
        items,
        offset,
        totalResults: TOTAL,
      });
    });
  }

  it('runs one page with the value in the query text (no params: REST has none), Prefer: transient, and rows without links', async () => {
    serveRows();
    const ns = makeClient();
    const page = await ns.suiteql(
      suiteql`SELECT id, email FROM customer WHERE LOWER(email) = LOWER(${"O'Brien@example.com"})`,
      { limit: 10, offset: 20 },
    );

    expect(page).toMatchObject({ hasMore: true, totalResults: TOTAL, offset: 20, count: 10 });
    expect(page.items[0]).toEqual({ id: '20', email: 'c20@example.com', isperson: 'T' });
    const [req] = stub.requests;
    expect(req?.path).toBe('/services/rest/query/v1/suiteql');
    expect(req?.query.get('limit')).toBe('10');
    expect(req?.query.get('offset')).toBe('20');
    expect(req?.headers.prefer).toBe('transient');
    expect(req?.signatureValid).toBe(true);
    expect(JSON.parse(req?.body ?? '')).toEqual({
      q: "SELECT id, email FROM customer WHERE LOWER(email) = LOWER('O''Brien@example.com')",
    });
  });

  it('collects every row across pages with suiteqlAll, offsets in multiples of the limit', async () => {
    serveRows();
    const ns = makeClient();
    const rows = await ns.suiteqlAll(suiteql`SELECT id FROM customer`);

    expect(rows).toHaveLength(TOTAL);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: TOTAL }, (_, i) => String(i)));
    expect(stub.requests.map((r) => [r.query.get('limit'), r.query.get('offset')])).toEqual([
      ['1000', '0'],
      ['1000', '1000'],
      ['1000', '2000'],
    ]);
    expect(ns.stats().callsByKind).toEqual({ suiteql: 3 });
  });

  it('refuses, rather than silently truncates, a result beyond the 100 000 rows paging can reach', async () => {
    stub.respond((_req, res) =>
      json(res, 200, { links: [], count: 1, hasMore: true, items: [{ id: '1' }], offset: 0, totalResults: 150_000 }),
    );
    const err = await rejection(makeClient().suiteqlAll(suiteql`SELECT id FROM transaction`));
    expect(err.kind).toBe('user');
    expect(err.message).toContain('100000');
    expect(stub.requests).toHaveLength(1);
  });

  it('refuses a query given as a plain string (a value in it was quoted by nobody) before sending anything', async () => {
    const ns = makeClient();
    await expect(ns.suiteql('SELECT id FROM customer' as never)).rejects.toThrow(/suiteql`…` template/);
    expect(stub.requests).toHaveLength(0);
  });

  it('rejects an offset that is not a multiple of the limit before sending anything', async () => {
    const ns = makeClient();
    await expect(ns.suiteql(suiteql`SELECT id FROM customer`, { limit: 10, offset: 15 })).rejects.toThrow(
      /multiple of limit/,
    );
    expect(stub.requests).toHaveLength(0);
  });

  it('fails clearly on a response that is not a SuiteQL page', async () => {
    stub.respond((_req, res) => json(res, 200, { rows: [] }));
    const err = await rejection(makeClient().suiteql(suiteql`SELECT id FROM customer`));
    expect(err.message).toContain('does not have the documented shape');
  });
});
