// The gateway's HTTP contract with 2Checkout, with a recording fake in place of Temporal: what
// is accepted, what is refused and why, and that nothing is handed over unless it is verified.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ServiceError } from '@temporalio/client';
import { request } from 'undici';
import type { LicenseEvent, OrderEvent } from '../../mappings/canonical.js';
import { createGatewayApp } from '../../gateway/app.js';
import type { EventHandover } from '../../workflows/handover.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import {
  buildIpnFields,
  encodeForm,
  postNotification,
  signedIpn,
  signedLcn,
  signNotification,
} from '../../sandbox/twocheckout/sender.js';
import { cardOrder, licenseChange } from '../../sandbox/twocheckout/scenarios.js';

const SECRET = 'gateway-test-secret';
const orders: OrderEvent[] = [];
const licences: LicenseEvent[] = [];
/** Errors the fake Temporal hand-over throws, by order reference. */
const handOverFails = new Map<string, unknown>();
const logLines: Array<Record<string, unknown>> = [];
const handover: EventHandover = {
  async deliverOrderEvent(e) {
    if (handOverFails.has(e.refNo)) throw handOverFails.get(e.refNo);
    orders.push(e);
    return { workflowId: `order/${e.refNo}` };
  },
  async deliverLicenseEvent(e) {
    licences.push(e);
    return { workflowId: `subscription/${e.licenseCode}` };
  },
  async ready() {
    return true;
  },
};

let server: Server;
let base: string;
beforeAll(async () => {
  const app = createGatewayApp({
    config: { secretKey: SECRET, signatureAlgorithms: ['sha3-256', 'sha256'], syncTestOrders: false },
    handover,
    logger: pino(
      { level: 'info' },
      { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
    ),
    metrics: createGatewayMetrics(),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
});

describe('gateway', () => {
  it("answers 2Checkout's URL check (GET) with 200 on both webhook URLs", async () => {
    for (const path of ['/webhooks/2checkout/ipn', '/webhooks/2checkout/lcn']) {
      const res = await request(`${base}${path}`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
  });

  it('hands a verified IPN to its order and answers with a receipt of the algorithm it verified', async () => {
    const before = orders.length;
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      signedIpn(cardOrder('5550001', 'COMPLETE'), SECRET, ['sha3-256']),
      { secretKey: SECRET },
    );
    expect(res).toMatchObject({ status: 200, receiptValid: true, algorithm: 'sha3-256' });
    expect(orders.slice(before).map((o) => [o.refNo, o.status])).toEqual([['5550001', 'COMPLETE']]);
  });

  it('hands a verified LCN to its subscription', async () => {
    const res = await postNotification(
      `${base}/webhooks/2checkout/lcn`,
      signedLcn(licenseChange('LIC0000001'), SECRET, ['sha256']),
      { secretKey: SECRET },
    );
    expect(res).toMatchObject({ status: 200, receiptValid: true, algorithm: 'sha256' });
    expect(licences.at(-1)?.licenseCode).toBe('LIC0000001');
  });

  it('refuses an MD5-only notification when MD5 is not allowed, and says so', async () => {
    const before = orders.length;
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      signedIpn(cardOrder('5550002', 'COMPLETE'), SECRET, ['md5']),
      { secretKey: SECRET },
    );
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).reason).toMatch(/no signature field of an allowed algorithm/);
    expect(orders.length).toBe(before);
  });

  it('refuses a notification signed with another key', async () => {
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      signedIpn(cardOrder('5550003', 'COMPLETE'), 'not-the-key', ['sha256']),
      { secretKey: SECRET },
    );
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).reason).toMatch(/SIGNATURE_SHA2_256 does not match/);
  });

  it('refuses an LCN posted to the IPN URL', async () => {
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      signedLcn(licenseChange('LIC0000002'), SECRET, ['sha256']),
      { secretKey: SECRET },
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toBe('wrong notification kind');
  });

  it('acknowledges a test order without syncing it (SYNC_TEST_ORDERS=false)', async () => {
    const before = orders.length;
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      signedIpn(cardOrder('5550004', 'COMPLETE', { test: true }), SECRET, ['sha256']),
      { secretKey: SECRET },
    );
    expect(res).toMatchObject({ status: 200, receiptValid: true });
    expect(orders.length).toBe(before);
  });

  it('names the field of a malformed value, even when the signature is right', async () => {
    const fields = buildIpnFields(cardOrder('5550005', 'COMPLETE')).map(([k, v]): [string, string | string[]] =>
      k === 'IPN_QTY' ? [k, ['one']] : [k, v],
    );
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      encodeForm(signNotification(fields, SECRET, ['sha256'])),
      { secretKey: SECRET },
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'malformed notification', field: 'IPN_QTY[0]' });
  });

  it('answers 503 without a receipt when Temporal cannot be reached, so 2Checkout retries', async () => {
    const unreachable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: 14,
      details: 'No connection established',
      metadata: {},
    });
    handOverFails.set('5550006', new ServiceError('Failed to signalWithStart Workflow', { cause: unreachable }));
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      signedIpn(cardOrder('5550006', 'COMPLETE'), SECRET, ['sha256']),
      { secretKey: SECRET },
    );
    expect(res.status).toBe(503);
    expect(res.body).not.toContain('<EPAYMENT>');
    expect(JSON.parse(res.body).detail).toMatch(/Temporal/);
  });

  it('answers 500 without a receipt, and never "Temporal unavailable", when the hand-over fails with a programming error', async () => {
    handOverFails.set('5550007', new TypeError("Cannot read properties of undefined (reading 'refNo')"));
    const res = await postNotification(
      `${base}/webhooks/2checkout/ipn`,
      signedIpn(cardOrder('5550007', 'COMPLETE'), SECRET, ['sha256']),
      { secretKey: SECRET },
    );
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('<EPAYMENT>');
    expect(res.body).not.toMatch(/Temporal|refNo|Cannot read/);
    expect(JSON.parse(res.body)).toEqual({
      error: 'internal error',
      detail: 'the event was not accepted; 2Checkout will retry',
    });
    const line = logLines.find((l) => l.refNo === '5550007' && l.status === 500);
    expect(line).toMatchObject({ outcome: 'internal_error', level: 50 });
    expect(JSON.stringify(line)).toContain('Cannot read properties of undefined');
  });

  it('refuses an empty body', async () => {
    const res = await request(`${base}/webhooks/2checkout/ipn`, { method: 'POST', body: '' });
    expect(res.statusCode).toBe(400);
    await res.body.dump();
  });
});
