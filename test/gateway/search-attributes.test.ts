// A Temporal namespace without the project's search attributes (a fresh self-hosted cluster or a
// new Temporal Cloud namespace): every signal-with-start is refused with INVALID_ARGUMENT. The
// gateway used to start cleanly and answer 503 `temporal_unavailable` to every IPN (2Checkout
// retries for two days, then drops them) while nothing said what was wrong. Now worker and
// gateway check the namespace at start-up and refuse to start with the commands that create the
// attributes, and a refusal by configuration is answered and logged as such, not as an outage.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { msToTs } from '@temporalio/common/lib/time.js';
import { temporalBinaries } from '../../shared/temporal-binaries.js';
import { ConfigError } from '../../shared/config.js';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import { allSearchAttributes } from '../../shared/search-attributes.js';
import { registerSearchAttributes } from '../../shared/register-search-attributes.js';
import { checkSearchAttributes, searchAttributeCommands } from '../../shared/search-attribute-check.js';
import { startGatewayProcess } from '../../gateway/gateway-process.js';
import { startWorkerProcess } from '../../worker/worker-process.js';
import { createGatewayApp, IPN_PATH } from '../../gateway/app.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { startNetSuiteSandbox, type NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { demoCredentials } from '../support/stack.js';
import { capturingLogger } from '../ops/support.js';
import { freePort } from '../../scripts/lib/free-port.js';

// A server started WITHOUT the search attributes (test/global-setup.ts registers them on the shared one).
let bare: TestWorkflowEnvironment;
let sandbox: NetSuiteSandbox;
beforeAll(async () => {
  bare = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalBinaries().cli },
      log: { format: 'json', level: 'error' },
    },
  });
  sandbox = await startNetSuiteSandbox({ port: 0, credentials: demoCredentials });
});
afterAll(async () => {
  await sandbox?.close();
  await bare?.teardown();
});

const env = async () => ({
  ...DEMO_ENV,
  TEMPORAL_ADDRESS: bare.address,
  NETSUITE_BASE_URL: sandbox.url,
  WORKER_VERSIONING: 'false',
  WORKER_METRICS_PORT: String(await freePort()),
});

function expectCommands(message: string): void {
  for (const key of allSearchAttributes) {
    expect(message).toContain(
      `temporal operator search-attribute create --namespace default --name ${key.name} --type ${key.type === 'DATETIME' ? 'Datetime' : 'Keyword'}`,
    );
  }
  expect(message).toContain('tcld namespace search-attributes add --namespace default');
  expect(message).toContain('--search-attribute "OrderRef=Keyword"');
}

describe('a namespace without the search attributes', () => {
  it('is found by the check, which lists every missing attribute and the commands that create it', async () => {
    const found = await checkSearchAttributes(bare.connection, 'default');
    expect(found.kind).toBe('missing');
    if (found.kind !== 'missing') return;
    expect(found.missing.map((k) => k.name).sort()).toEqual(allSearchAttributes.map((k) => k.name).sort());
    expectCommands(searchAttributeCommands(found.missing, 'default').join('\n'));
  });

  it('stops the gateway at start-up with the commands that create the attributes', async () => {
    const err = await startGatewayProcess({ env: await env(), logger: pino({ level: 'silent' }), port: 0 }).then(
      (g) => g.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`Temporal namespace "default" at ${bare.address} lacks`);
    expectCommands((err as Error).message);
  });

  it('stops the worker at start-up with the same commands', async () => {
    const err = await startWorkerProcess({ env: await env(), logger: pino({ level: 'silent' }) }).then(
      (w) => w.shutdown().then(() => undefined),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expectCommands((err as Error).message);
  });

  it('makes a hand-over refused by Temporal a configuration error (500, its own reason and log line), not "temporarily unavailable"', async () => {
    // As when the attributes are removed after the gateway started: the sink hands over for real.
    const logs = capturingLogger('gateway');
    const metrics = createGatewayMetrics();
    const handover = createSyncHandover({ client: bare.client, policy: { idleClose: '1h' }, taskQueue: 'sa-test' });
    const app = createGatewayApp({
      config: {
        secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
        signatureAlgorithms: ['sha3-256', 'sha256'],
        syncTestOrders: false,
      },
      handover,
      logger: logs.logger,
      metrics,
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${IPN_PATH}`;
      const res = await postNotification(url, signedIpn(cardOrder('66200001'), DEMO_ENV.TWOCHECKOUT_SECRET_KEY), {
        secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
      });
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'configuration error', reason: 'temporal_configuration' });
      const line = logs.lines().find((l) => l.outcome === 'temporal_configuration');
      expect(line).toMatchObject({ level: 50, problem: 'configuration', refNo: '66200001' });
      expect(String(line!.err)).toMatch(/INVALID_ARGUMENT/);
      expect(String(line!.fix)).toContain('temporal operator search-attribute create');
      expect(logs.lines().some((l) => l.outcome === 'temporal_unavailable')).toBe(false);
      expect(await metrics.registry.getSingleMetricAsString('twocheckout_notifications_total')).toContain(
        'outcome="temporal_configuration"',
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('is fixed by registering them: the check then passes', async () => {
    const { client } = bare;
    const connection = client.connection as Connection;
    const ns = `sa-fix-${Date.now()}`;
    await connection.workflowService.registerNamespace({
      namespace: ns,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    let before;
    for (let i = 0; i < 50; i++) {
      before = await checkSearchAttributes(connection, ns).catch(() => undefined);
      if (before) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(before?.kind).toBe('missing');
    await registerSearchAttributes(connection, ns);
    expect((await checkSearchAttributes(connection, ns)).kind).toBe('ok');
  });
});
