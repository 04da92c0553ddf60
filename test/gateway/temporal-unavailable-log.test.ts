// A 503 from the gateway means Temporal did not take the event; its log line must say why. The
// Temporal client throws ServiceError("Failed to signalWithStart") with the gRPC failure as its
// cause: the line used to stop at the outer message.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '@temporalio/client';
import { createGatewayApp, IPN_PATH } from '../../gateway/app.js';
import type { EventHandover } from '../../workflows/handover.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { errorChain } from '../../shared/error-chain.js';
import { capturingLogger } from '../ops/support.js';

const SECRET = 'gw-secret-key-5511';
const grpc = Object.assign(
  new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7233'),
  { code: 14 },
);
const handover: EventHandover = {
  async deliverOrderEvent() {
    throw new ServiceError('Failed to signalWithStart', { cause: grpc });
  },
  async deliverLicenseEvent() {
    throw new Error('unused');
  },
  async ready() {
    return false;
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

describe('gateway 503 log line', () => {
  it('names the underlying Temporal error, not only "Failed to signalWithStart"', async () => {
    const res = await postNotification(`${base}${IPN_PATH}`, signedIpn(cardOrder('66100001'), SECRET), {
      secretKey: SECRET,
    });
    expect(res.status).toBe(503);
    const line = logs.lines().find((l) => l.outcome === 'temporal_unavailable');
    expect(line).toBeDefined();
    expect(String(line!.err)).toContain('Failed to signalWithStart');
    expect(String(line!.err)).toContain('14 UNAVAILABLE');
    expect(String(line!.err)).toContain('ECONNREFUSED');
  });

  it('errorChain says each message once, outermost first', () => {
    const inner = new Error('4 DEADLINE_EXCEEDED: Deadline exceeded');
    expect(errorChain(new ServiceError('Failed to signalWithStart', { cause: inner }))).toBe(
      'Failed to signalWithStart: 4 DEADLINE_EXCEEDED: Deadline exceeded',
    );
    expect(errorChain(new Error('x: y', { cause: new Error('y') }))).toBe('x: y');
    expect(errorChain('plain')).toBe('plain');
  });
});
