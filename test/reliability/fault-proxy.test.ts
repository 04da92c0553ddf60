// The chaos run's fault layer does what its table says: each kind answers as documented, a
// lost-response fault really reaches NetSuite first, the admin API is never faulted, and every
// fault is counted by kind.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { NO_FAULTS, startFaultProxy, type FaultProxy, type FaultRates } from '../../scripts/lib/chaos/fault-proxy.js';

let target: Server;
let received: string[] = [];
let proxy: FaultProxy;
beforeAll(async () => {
  target = createServer((req, res) => {
    received.push(`${req.method} ${req.url} host=${req.headers.host}`);
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
  proxy = await startFaultProxy({
    target: `http://127.0.0.1:${(target.address() as AddressInfo).port}`,
    rates: NO_FAULTS,
    seed: 1,
    hangMs: 300,
  });
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((r) => target.close(() => r()));
});

const only = (kind: keyof FaultRates): FaultRates => ({ ...NO_FAULTS, [kind]: 1 });
async function call(path = '/services/rest/record/v1/customer'): Promise<{ status: number | 'dropped'; body: string }> {
  try {
    const res = await request(`${proxy.url}${path}`, {
      method: 'POST',
      body: '{}',
      headers: { host: 'account.example' },
    });
    return { status: res.statusCode, body: await res.body.text() };
  } catch {
    return { status: 'dropped', body: '' };
  }
}

describe('fault proxy', () => {
  it('passes requests through unchanged, Host header included (OAuth 1.0 signs it)', async () => {
    received = [];
    proxy.setRates(NO_FAULTS);
    expect((await call()).status).toBe(204);
    expect(received).toEqual(['POST /services/rest/record/v1/customer host=account.example']);
  });

  it('answers each kind as documented and counts it', async () => {
    const cases: Array<[keyof FaultRates, number | 'dropped', number]> = [
      ['error5xxBeforeCommit', 500, 0],
      ['status429', 429, 0],
      ['commitThen5xx', 502, 1],
      ['hang', 204, 1],
    ];
    for (const [kind, status, reachedNetSuite] of cases) {
      received = [];
      proxy.setRates(only(kind));
      const started = Date.now();
      const res = await call();
      expect(res.status, kind).toBe(status);
      expect(received.length, kind).toBe(reachedNetSuite);
      if (kind === 'status429') expect(res.body).toContain('CONCURRENCY_LIMIT_EXCEEDED');
      if (kind === 'hang') expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    }
    proxy.setRates(only('drop'));
    expect((await call()).status).toBe('dropped');
    const counts = proxy.counts();
    expect(counts.byKind).toMatchObject({ error5xxBeforeCommit: 1, status429: 1, commitThen5xx: 1, hang: 1, drop: 1 });
    expect(counts.faulted).toBe(5);
  });

  it('never faults the sandbox admin routes', async () => {
    proxy.setRates(only('error5xxBeforeCommit'));
    expect((await call('/__sandbox/stats')).status).toBe(204);
    proxy.setRates(NO_FAULTS);
  });
});
