// Payouts in the 2Checkout API sandbox, read through the REST client and the payout adapter: the
// sandbox pays out the orders it holds (commission per order, refunds, a chargeback fee, a reserve
// held then released, EUR orders in a USD payout) and what the client reads ties out to the cent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiRateLimiter,
  createPayoutsApi,
  createTwoCheckoutApiClient,
  type TwoCheckoutApiClient,
} from '../../twocheckout/rest/index.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import { cardOrder, chargeback, eurOrder, fullRefund } from '../../sandbox/twocheckout/scenarios.js';
import { payoutContentFrom } from '../../mappings/payout-from-2checkout.js';
import { payoutFigures } from '../../mappings/payout-amounts.js';

const VENDOR = 'TESTVENDOR';
const KEY = 'api-secret-key-for-tests';
let sandbox: ApiSandbox;
let client: TwoCheckoutApiClient;

beforeAll(async () => {
  sandbox = await startTwoCheckoutApiSandbox({ vendorCode: VENDOR, secretKey: KEY });
  client = createTwoCheckoutApiClient({
    baseUrl: sandbox.apiUrl,
    vendorCode: VENDOR,
    secretKey: KEY,
    algorithm: 'sha256',
    limiter: new ApiRateLimiter({ ratePerSecond: 1000, concurrency: 4 }),
  });
});
afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('2Checkout payouts (sandbox + client + adapter)', () => {
  it('pays out held orders once, deducts refunds and dispute fees, holds and releases a reserve, converts EUR into USD', async () => {
    const usd = [cardOrder('810001', 'COMPLETE'), cardOrder('810002', 'COMPLETE')];
    const eur = eurOrder('810003');
    for (const o of [...usd, eur]) sandbox.store.recordIpn(o);
    const first = sandbox.payouts.create({ reference: 'NS-A', reserveRate: '0.10' });
    expect(first.Orders.map((o) => o.RefNo).sort()).toEqual(['810001', '810002', '810003']);

    sandbox.store.recordIpn(fullRefund(usd[0]!));
    sandbox.store.recordIpn(chargeback(eur, 'OPEN'));
    sandbox.store.recordIpn(cardOrder('810004', 'COMPLETE'));
    sandbox.payouts.create({ reference: 'NS-B', releaseReserveOf: ['NS-A'] });

    const api = createPayoutsApi(client);
    const list = await api.listPayouts({ OrderBy: '-TransferCompletionDate' });
    expect(list.map((p) => p.Reference).sort()).toEqual(['NS-A', 'NS-B']);

    const a = payoutContentFrom((await api.getPayout('NS-A'))!);
    expect(a.rates).toEqual({ EUR: '1.0825' });
    expect(a.reserve.every((r) => r.kind === 'held')).toBe(true);
    const figA = payoutFigures(a);
    // 2Checkout converts each currency's net once; the sync converts component by component: at most a cent or two apart.
    expect(figA.residue >= -2n && figA.residue <= 2n).toBe(true);

    const b = payoutContentFrom((await api.getPayout('NS-B'))!);
    expect(b.orders.map((o) => o.refNo)).toEqual(['810004']);
    expect(b.refunds).toEqual([{ refNo: '810001', currency: 'USD', amount: expect.any(String) }]);
    expect(b.chargebackFees).toEqual([{ refNo: '810003', currency: 'USD', amount: '15.00' }]);
    expect(b.reserve.map((r) => [r.kind, r.currency, r.amount]).sort()).toEqual(
      a.reserve.map((r) => ['released', r.currency, r.amount]).sort(),
    );
    const figB = payoutFigures(b);
    expect(figB.residue >= -2n && figB.residue <= 2n).toBe(true);

    expect(await api.getPayout('NOPE')).toBeUndefined();
    expect(() => sandbox.payouts.create({})).toThrow(/nothing to pay out/);
  });
});
