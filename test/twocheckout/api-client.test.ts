// The 2Checkout REST API client against the API sandbox over real HTTP: authentication (both
// algorithms, wrong key → 401 and a clear, non-retryable error), paging, the documented filters and
// the 7-day default window, one order by RefNo, typed errors for faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import {
  authenticationHeader,
  createTwoCheckoutApiClient,
  ApiRateLimiter,
  TwoCheckoutApiError,
  type TwoCheckoutApiClient,
} from '../../twocheckout/rest/index.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import { cardOrder, eurOrder, fullRefund, chargeback } from '../../sandbox/twocheckout/scenarios.js';

const VENDOR = 'TESTVENDOR';
const KEY = 'api-secret-key-for-tests';
const NOW = new Date('2026-03-20T12:00:00Z');
let sandbox: ApiSandbox;
let client: TwoCheckoutApiClient;
const clients: TwoCheckoutApiClient[] = [];

const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
function newClient(over: Partial<Parameters<typeof createTwoCheckoutApiClient>[0]> = {}): TwoCheckoutApiClient {
  const c = createTwoCheckoutApiClient({
    baseUrl: sandbox.apiUrl,
    vendorCode: VENDOR,
    secretKey: KEY,
    algorithm: 'sha256',
    now: () => NOW,
    limiter: new ApiRateLimiter({ ratePerSecond: 1000, concurrency: 4 }),
    ...over,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sandbox = await startTwoCheckoutApiSandbox({ vendorCode: VENDOR, secretKey: KEY, now: () => NOW });
  // 25 orders on 2026-03-02, 3 on 2026-03-18 (one of them a test order), one refunded, one disputed.
  for (let i = 0; i < 25; i++)
    sandbox.store.recordIpn(cardOrder(`7100${String(i).padStart(2, '0')}`, 'COMPLETE', { at: at('2026-03-02') }));
  const refunded = cardOrder('720001', 'COMPLETE', { at: at('2026-03-18') });
  sandbox.store.recordIpn(refunded);
  sandbox.store.recordIpn(fullRefund(refunded, { at: at('2026-03-19') }));
  const disputed = eurOrder('720002', { at: at('2026-03-18') });
  sandbox.store.recordIpn(disputed);
  sandbox.store.recordIpn(chargeback(disputed, 'LOST', { at: at('2026-03-19') }));
  sandbox.store.recordIpn(cardOrder('720003', 'COMPLETE', { at: at('2026-03-18'), test: true }));
  client = newClient();
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await sandbox?.close();
});

describe('authentication', () => {
  it('accepts sha256 and sha3-256 signatures', async () => {
    for (const algorithm of ['sha256', 'sha3-256'] as const) {
      const order = await newClient({ algorithm }).getOrder('720001');
      expect(order?.RefNo).toBe('720001');
    }
  });

  it('a wrong key gets 401 from the sandbox and a clear, non-retryable error from the client', async () => {
    const res = await request(`${sandbox.apiUrl}orders/720001/`, {
      headers: { 'x-avangate-authentication': `code="${VENDOR}" date="2026-03-20 12:00:00" hash="00" algo="sha256"` },
    });
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toMatchObject({ error_code: 'AUTHENTICATION_ERROR' });

    const err = await newClient({ secretKey: 'not-the-key' })
      .getOrder('720001')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TwoCheckoutApiError);
    const e = err as TwoCheckoutApiError;
    expect(e.kind).toBe('auth');
    expect(e.retryable).toBe(false);
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/HTTP 401 \(AUTHENTICATION_ERROR: hash does not match\).*TWOCHECKOUT_API_SECRET_KEY/);
    expect(e.message).not.toContain('not-the-key');
  });

  it('refuses a request without the header, a legacy MD5 header and a stale date', async () => {
    const none = await request(`${sandbox.apiUrl}orders/`);
    expect(none.statusCode).toBe(401);
    await none.body.dump();
    const md5 = await request(`${sandbox.apiUrl}orders/`, {
      headers: { 'x-avangate-authentication': `code="${VENDOR}" date="2026-03-20 12:00:00" hash="abc"` },
    });
    expect(md5.statusCode).toBe(401);
    expect(((await md5.body.json()) as { message: string }).message).toMatch(/MD5/);
    const stale = await newClient({ now: () => new Date('2026-03-20T10:00:00Z') })
      .getOrder('720001')
      .catch((e: unknown) => e);
    expect((stale as TwoCheckoutApiError).message).toMatch(/too far from the server time/);
  });
});

describe('orders', () => {
  it('pages through a day with StartDate/EndDate and Limit', async () => {
    const pages = [];
    for await (const p of client.listOrders({
      StartDate: '2026-03-02',
      EndDate: '2026-03-02',
      Limit: 10,
      IncludeTestOrders: 'NO',
    }))
      pages.push(p);
    expect(pages.map((p) => p.orders.length)).toEqual([10, 10, 5]);
    expect(pages[0]?.count).toBe(25);
    expect(new Set(pages.flatMap((p) => p.orders.map((o) => o.RefNo))).size).toBe(25);
  });

  it('without a date filter returns only the last 7 days; IncludeTestOrders and Status filter', async () => {
    const recent = await client.searchOrders({ Limit: 100 });
    expect(recent.orders.map((o) => o.RefNo).sort()).toEqual(['720001', '720002', '720003']);
    const noTest = await client.searchOrders({ Limit: 100, IncludeTestOrders: 'NO' });
    expect(noTest.orders.map((o) => o.RefNo).sort()).toEqual(['720001', '720002']);
    const onlyTest = await client.searchOrders({ Limit: 100, IncludeTestOrders: 'ONLY' });
    expect(onlyTest.orders.map((o) => o.RefNo)).toEqual(['720003']);
    const refunds = await client.searchOrders({ StartDate: '2026-03-01', Status: 'REFUND' });
    expect(refunds.orders.map((o) => o.RefNo)).toEqual(['720001']);
  });

  it('serves realistic order objects: amounts, VAT, commission, refunds and the chargeback', async () => {
    const refunded = await client.getOrder('720001');
    expect(refunded).toMatchObject({
      Status: 'REFUND',
      Currency: 'USD',
      GrossPrice: '99.00',
      AvangateCommission: '3.82',
    });
    expect(refunded?.Refunds).toEqual([expect.objectContaining({ Amount: '99.00', Type: 'FULL' })]);
    expect(refunded?.Items[0]).toMatchObject({
      Code: 'SOFT-PRO',
      Quantity: '1',
      Price: expect.objectContaining({ GrossPrice: '99.00' }),
    });
    const disputed = await client.getOrder('720002');
    expect(disputed).toMatchObject({
      Currency: 'EUR',
      ChargebackResolution: 'LOST',
      ChargebackReasonCode: 'MERCHANDISE_NOT_RECEIVED',
    });
    expect(Number(disputed?.VAT)).toBeGreaterThan(0);
    expect(await client.getOrder('999999999')).toBeUndefined();
  });

  it('a path without its trailing slash is not found', async () => {
    const header = authenticationHeader({ vendorCode: VENDOR, secretKey: KEY, algorithm: 'sha256' }, NOW);
    const res = await request(`${sandbox.apiUrl}orders/720001`, { headers: { 'x-avangate-authentication': header } });
    expect(res.statusCode).toBe(404);
    expect(((await res.body.json()) as { message: string }).message).toMatch(/end with a slash/);
  });

  it('server trouble and throttling are retryable errors', async () => {
    sandbox.faults.failNext = { count: 1, status: 503 };
    const e = (await client.getOrder('720001').catch((x: unknown) => x)) as TwoCheckoutApiError;
    expect([e.kind, e.retryable]).toEqual(['server', true]);
    sandbox.faults.failNext = { count: 1, status: 429 };
    const t = (await client.searchOrders({ StartDate: '2026-03-02' }).catch((x: unknown) => x)) as TwoCheckoutApiError;
    expect([t.kind, t.retryable]).toEqual(['rate_limited', true]);
    expect((await client.getOrder('720001'))?.RefNo).toBe('720001');
  });
});
