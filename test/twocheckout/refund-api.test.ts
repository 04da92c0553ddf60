// The refund call against the 2Checkout API sandbox: what it accepts, the refusals (amount above
// what is refundable, order not refundable, a second refund in flight), and the REFUND IPN it then
// sends through the demo's delivery path, signed like 2Checkout's.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipnToOrderEvent } from '../../mappings/from-2checkout.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import { cardOrder, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import {
  ApiRateLimiter,
  createRefundsApi,
  createTwoCheckoutApiClient,
  TwoCheckoutApiError,
  type TwoCheckoutApiClient,
} from '../../twocheckout/rest/index.js';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { ipnReceipt } from '../../twocheckout/webhooks/receipt.js';
import { verifyNotificationSignature } from '../../twocheckout/webhooks/signature.js';
import type { OrderEvent } from '../../mappings/canonical.js';

const VENDOR = 'REFUNDVENDOR';
const KEY = 'refund-api-test-secret-key';
let sandbox: ApiSandbox;
let client: TwoCheckoutApiClient;
let gateway: Server;
const received: OrderEvent[] = [];

beforeAll(async () => {
  // A stand-in gateway: checks the signature, keeps the event, answers with a valid receipt.
  gateway = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = parseForm(Buffer.concat(chunks).toString('utf8'));
      if (!verifyNotificationSignature(form, KEY, ['sha256', 'sha3-256']).ok) throw new Error('bad signature');
      received.push(ipnToOrderEvent(form));
      res.end(ipnReceipt(form, 'sha256', KEY, new Date()));
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
  const port = (gateway.address() as { port: number }).port;
  sandbox = await startTwoCheckoutApiSandbox({
    vendorCode: VENDOR,
    secretKey: KEY,
    notify: { ipnUrl: `http://127.0.0.1:${port}/ipn`, lcnUrl: `http://127.0.0.1:${port}/lcn`, secretKey: KEY },
  });
  client = createTwoCheckoutApiClient({
    baseUrl: sandbox.apiUrl,
    vendorCode: VENDOR,
    secretKey: KEY,
    algorithm: 'sha256',
    limiter: new ApiRateLimiter({ ratePerSecond: 500, concurrency: 4 }),
  });
});
afterAll(async () => {
  await sandbox.refunds.settled();
  await client?.close();
  await sandbox?.close();
  await new Promise<void>((r) => gateway.close(() => r()));
});

const refunds = () => createRefundsApi(client);
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as TwoCheckoutApiError,
  );

describe('POST /orders/{RefNo}/refund/ in the API sandbox', () => {
  it('refunds once, lists the refund with its comment and sends a signed REFUND IPN', async () => {
    sandbox.store.recordIpn(cardOrder('5500001', 'COMPLETE', { at: new Date(Date.now() - 3_600_000) }));
    await refunds().issueRefund('5500001', {
      Amount: '20.00',
      Comment: 'Sorry (ref refund-request/5500001/1)',
      Reason: 'Other',
    });
    const order = await client.getOrder('5500001');
    expect(order?.Status).toBe('COMPLETE');
    expect(order?.Refunds).toEqual([
      expect.objectContaining({
        Amount: '20.00',
        Comment: 'Sorry (ref refund-request/5500001/1)',
        Reason: 'Other',
        Type: 'PARTIAL',
      }),
    ]);
    await sandbox.refunds.settled();
    const ipn = received.find((e) => e.refNo === '5500001');
    expect(ipn).toMatchObject({
      status: 'REFUND',
      currency: 'USD',
      totals: { general: '-20.00' },
      refund: { type: 'PARTIAL', reason: 'Other' },
    });
    // The whole rest: a FULL refund of what is left is still PARTIAL (the order was partly refunded before).
    await refunds().issueRefund('5500001', { Amount: '79.00', Comment: 'rest', Reason: 'Other' });
    expect((await client.getOrder('5500001'))?.Status).toBe('REFUND');
  });

  it('refuses an amount above what is refundable, naming what is', async () => {
    sandbox.store.recordIpn(cardOrder('5500002', 'COMPLETE', { at: new Date(Date.now() - 3_600_000) }));
    const e = await refusal(refunds().issueRefund('5500002', { Amount: '120.00', Comment: 'c', Reason: 'Other' }));
    expect(e).toBeInstanceOf(TwoCheckoutApiError);
    expect(e).toMatchObject({ kind: 'bad_request', status: 400, code: 'INVALID_AMOUNT', retryable: false });
    expect(e?.message).toMatch(/exceeds the refundable amount 99\.00 USD/);
    expect((await client.getOrder('5500002'))?.Refunds).toEqual([]);
  });

  it('refuses an order that is not refundable: not COMPLETE, or older than the refund window', async () => {
    sandbox.store.recordIpn(cardOrder('5500003', 'PENDING', { at: new Date(Date.now() - 3_600_000) }));
    expect(
      await refusal(refunds().issueRefund('5500003', { Amount: '1.00', Comment: 'c', Reason: 'Other' })),
    ).toMatchObject({ code: 'ORDER_NOT_REFUNDABLE', message: expect.stringMatching(/Only COMPLETE orders/) });
    sandbox.store.recordIpn(cardOrder('5500004', 'COMPLETE', { at: new Date(Date.now() - 120 * 86_400_000) }));
    expect(
      await refusal(refunds().issueRefund('5500004', { Amount: '1.00', Comment: 'c', Reason: 'Other' })),
    ).toMatchObject({ code: 'ORDER_NOT_REFUNDABLE', message: expect.stringMatching(/older than 90 days/) });
    expect(
      await refusal(refunds().issueRefund('5599999', { Amount: '1.00', Comment: 'c', Reason: 'Other' })),
    ).toMatchObject({ kind: 'not_found' });
  });

  it('refuses a second refund while one is in flight', async () => {
    sandbox.store.recordIpn(threeLineOrder('5500005', { at: new Date(Date.now() - 3_600_000) }));
    sandbox.faults.refundLatencyMs = 1_000;
    try {
      const first = refunds().issueRefund('5500005', { Amount: '10.00', Comment: 'first', Reason: 'Other' });
      await new Promise((r) => setTimeout(r, 200));
      expect(
        await refusal(refunds().issueRefund('5500005', { Amount: '10.00', Comment: 'second', Reason: 'Other' })),
      ).toMatchObject({ status: 409, code: 'REFUND_IN_PROGRESS', retryable: false });
      await first;
    } finally {
      sandbox.faults.refundLatencyMs = 0;
    }
    expect((await client.getOrder('5500005'))?.Refunds?.map((r) => r.Comment)).toEqual(['first']);
  });

  it('refunds named lines: the items must exist and add up to the amount', async () => {
    sandbox.store.recordIpn(threeLineOrder('5500006', { at: new Date(Date.now() - 3_600_000) }));
    const order = await client.getOrder('5500006');
    const support = order!.Items.find((i) => i.Code === 'SUPPORT-1Y')!;
    expect(
      await refusal(
        refunds().issueRefund('5500006', {
          Amount: '10.00',
          Items: [{ LineItemReference: '1', Quantity: 1, Amount: '10.00' }],
          Comment: 'c',
          Reason: 'Other',
        }),
      ),
    ).toMatchObject({ code: 'INVALID_ITEMS' });
    await refunds().issueRefund('5500006', {
      Amount: '144.00',
      Items: [{ LineItemReference: support.LineItemReference!, Quantity: 1, Amount: '144.00' }],
      Comment: 'c',
      Reason: 'Other',
    });
    await sandbox.refunds.settled();
    const ipn = received.find((e) => e.refNo === '5500006');
    expect(ipn?.lines).toEqual([
      expect.objectContaining({ productCode: 'SUPPORT-1Y', unitPrice: '-120.00', vat: '-24.00', total: '-144.00' }),
    ]);
  });
});
