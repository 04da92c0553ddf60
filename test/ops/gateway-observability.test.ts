// What an operator sees of the gateway: Prometheus counters per notification kind and outcome,
// and JSON log lines that name the order and workflow but never the secret key or the shopper.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ServiceError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createGatewayApp, IPN_PATH, LCN_PATH } from '../../gateway/app.js';
import type { EventHandover } from '../../workflows/handover.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { orderWorkflowId, subscriptionWorkflowId } from '../../workflows/messages.js';
import { postNotification, signedIpn, signedLcn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder, licenseChange } from '../../sandbox/twocheckout/scenarios.js';
import { capturingLogger } from './support.js';

const SECRET = 'gw-secret-key-7f3a9c1e5b';
/** Orders whose hand-over to Temporal fails, as when the server is down. */
const temporalDown = new Set(['66000005']);

const delivered: string[] = [];
const handover: EventHandover = {
  async deliverOrderEvent(e) {
    if (temporalDown.has(e.refNo)) {
      // What the Temporal client throws when the server cannot be reached: a gRPC status inside.
      const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
        code: 14,
        details: 'No connection established',
        metadata: {},
      });
      throw new ServiceError('Failed to signalWithStart Workflow', { cause: grpc });
    }
    delivered.push(e.refNo);
    return { workflowId: orderWorkflowId(e.refNo) };
  },
  async deliverLicenseEvent(e) {
    delivered.push(e.licenseCode);
    return { workflowId: subscriptionWorkflowId(e.licenseCode) };
  },
  async ready() {
    return true;
  },
};

const logs = capturingLogger('gateway');
let server: Server;
let base: string;
beforeAll(async () => {
  const app = createGatewayApp({
    config: { secretKey: SECRET, signatureAlgorithms: ['sha3-256', 'sha256'], syncTestOrders: false },
    handover,
    logger: logs.logger,
    metrics: createGatewayMetrics(),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (path: string, body: string) => postNotification(`${base}${path}`, body, { secretKey: SECRET });
/** A body the sender would refuse to build: sent as raw bytes. */
const postRaw = async (path: string, body: string) => {
  const res = await request(`${base}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  await res.body.text();
  return { status: res.statusCode };
};

function counter(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('gateway metrics and logs', () => {
  it('count every outcome, and log the order and workflow without secrets or personal data', async () => {
    const results = [
      await post(IPN_PATH, signedIpn(cardOrder('66000001'), SECRET)),
      await post(IPN_PATH, signedIpn(cardOrder('66000002'), SECRET)),
      await post(IPN_PATH, signedIpn(cardOrder('66000003', 'COMPLETE', { test: true }), SECRET)),
      await post(IPN_PATH, signedIpn(cardOrder('66000004'), 'not-the-secret-key')),
      await post(IPN_PATH, signedIpn(cardOrder('66000005'), SECRET)),
      await postRaw(IPN_PATH, 'REFNO=%ZZ&ORDERSTATUS=COMPLETE'),
      await postRaw(IPN_PATH, ''),
      await post(LCN_PATH, signedLcn(licenseChange('LIC7Q2X9'), SECRET)),
    ];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 401, 503, 400, 400, 200]);
    expect(delivered).toEqual(['66000001', '66000002', 'LIC7Q2X9']);

    const res = await request(`${base}/metrics`);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = await res.body.text();
    const n = (kind: string, outcome: string) =>
      counter(text, 'twocheckout_notifications_total', `kind="${kind}",outcome="${outcome}"`);
    expect(n('ipn', 'accepted')).toBe(2);
    expect(n('ipn', 'ignored_test')).toBe(1);
    expect(n('ipn', 'bad_signature')).toBe(1);
    expect(n('ipn', 'temporal_unavailable')).toBe(1);
    expect(n('ipn', 'bad_body')).toBe(2);
    expect(n('lcn', 'accepted')).toBe(1);
    expect(counter(text, 'twocheckout_receipt_seconds_count', 'kind="ipn",outcome="accepted"')).toBe(2);

    const lines = logs.lines();
    const accepted = lines.filter((l) => l.outcome === 'accepted');
    expect(accepted).toContainEqual(
      expect.objectContaining({
        kind: 'ipn',
        refNo: '66000001',
        workflowId: 'order/66000001',
        orderStatus: 'COMPLETE',
      }),
    );
    expect(accepted).toContainEqual(
      expect.objectContaining({ kind: 'lcn', licenseCode: 'LIC7Q2X9', workflowId: 'subscription/LIC7Q2X9' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        outcome: 'temporal_unavailable',
        refNo: '66000005',
        workflowId: 'order/66000005',
        level: 50,
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ outcome: 'bad_signature', claimedRef: '66000004' }));

    const all = logs.text();
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('not-the-secret-key');
    expect(all).not.toMatch(/@example\.(com|de)/);
    expect(all).not.toContain('Ångström');
  });
});
