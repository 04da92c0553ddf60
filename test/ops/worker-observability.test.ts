// What an operator sees of a worker: one Prometheus endpoint with the Temporal SDK's metrics and
// the NetSuite client's and limiter's, and JSON log lines from activities that name the workflow
// and the order but never a secret or the shopper.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { request } from 'undici';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { Connection } from '@temporalio/client';
import { registerSearchAttributes } from '../../shared/register-search-attributes.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { SyncCustomerResult } from '../../workflows/activity-contract.js';
import { createNetSuiteActivities } from '../../activities/index.js';
import { createNetSuiteClient } from '../../netsuite/client.js';
import type { NetSuiteRestClient } from '../../netsuite/types.js';
import { AdaptiveLimiter } from '../../netsuite/limiter.js';
import { useSandbox } from '../support/sandbox.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { startWorkerMetricsServer } from '../../worker/metrics.js';
import { orderEventFrom } from '../../scripts/lib/ops/history-scenarios.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { demoConfig } from '../mappings/fixtures.js';
import { connectTestEnv, eventually } from '../support/temporal.js';
import { capturingLogger } from './support.js';

const credentials = {
  accountId: DEMO_ENV.NETSUITE_ACCOUNT_ID,
  consumerKey: DEMO_ENV.NETSUITE_CONSUMER_KEY,
  consumerSecret: DEMO_ENV.NETSUITE_CONSUMER_SECRET,
  tokenId: DEMO_ENV.NETSUITE_TOKEN_ID,
  tokenSecret: DEMO_ENV.NETSUITE_TOKEN_SECRET,
};

// The worker child process signs in with the demo credentials.
const sandbox = useSandbox({ credentials });

function metric(text: string, nameAndLabels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${nameAndLabels} `));
  return line === undefined ? undefined : Number(line.slice(nameAndLabels.length + 1));
}

async function scrape(url: string): Promise<string> {
  const res = await request(url);
  expect(res.statusCode).toBe(200);
  return res.body.text();
}

describe('worker metrics endpoint', () => {
  it('shows NetSuite calls by kind, 429s, errors and the limiter, and says when SDK metrics are unreachable', async () => {
    const limiter = new AdaptiveLimiter({ max: 4 });
    const client: NetSuiteRestClient = createNetSuiteClient({
      baseUrl: sandbox.url,
      credentials,
      limiter,
      concurrencyBackoff: { baseMs: 1, capMs: 5 },
    });
    const logs = capturingLogger('worker');
    const server = await startWorkerMetricsServer({
      port: 0,
      host: '127.0.0.1',
      sdkMetricsUrl: `http://127.0.0.1:${await freePort()}/metrics`, // nothing listens there
      netsuite: { client, limiter },
      logger: logs.logger,
    });
    try {
      // Two concurrency refusals, retried inside the client, then success.
      sandbox.injectFault({ kind: 'status429', times: 2, method: 'POST' });
      const { id } = await client.create('customer', {
        entityId: `metrics-${randomUUID().slice(0, 6)}`,
        companyName: 'Metrics Ltd',
        subsidiary: { id: '1' },
      });
      expect(await client.get('customer', id)).toBeDefined();
      // A read is tried three times in all (twice again inside the client) before its error counts.
      sandbox.injectFault({ kind: 'error500BeforeCommit', method: 'GET', times: 3 });
      await expect(client.get('customer', id)).rejects.toThrow();

      const text = await scrape(server.url);
      expect(metric(text, 'netsuite_client_calls_total{call="create:customer"}')).toBe(1);
      expect(metric(text, 'netsuite_client_calls_total{call="get:customer"}')).toBe(2);
      expect(metric(text, 'netsuite_client_concurrency_rejections_total')).toBe(2);
      expect(metric(text, 'netsuite_client_errors_total{kind="server"}')).toBe(1);
      expect(metric(text, 'netsuite_client_requests_total')).toBe(client.stats().requests);
      expect(metric(text, 'netsuite_limiter_max')).toBe(4);
      expect(metric(text, 'netsuite_limiter_limit')).toBe(limiter.snapshot().limit);
      expect(metric(text, 'netsuite_limiter_adjustments_total{direction="decrease"}')).toBeGreaterThanOrEqual(1);
      expect(metric(text, 'netsuite_limiter_in_flight')).toBe(0);
      expect(metric(text, 'netsuite_limiter_queued{lane="money"}')).toBe(0);
      expect(metric(text, 'netsuite_limiter_queued{lane="bulk"}')).toBe(0);
      expect(metric(text, 'worker_sdk_metrics_up')).toBe(0);
      expect(text).toContain('# TYPE worker_process_cpu_seconds_total counter');
      expect(logs.lines()).toContainEqual(
        expect.objectContaining({ msg: expect.stringContaining('Temporal SDK metrics unavailable') }),
      );
    } finally {
      await server.close();
      await client.close();
    }
  });

  it('of a real worker process serves the Temporal SDK metrics and the NetSuite metrics together', async () => {
    // Its own namespace, so this worker never takes tasks from other tests on the shared server.
    const env = await connectTestEnv();
    const namespace = `metrics-${randomUUID().slice(0, 8)}`;
    await env.connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await eventually(
      () =>
        env.connection.workflowService.describeNamespace({ namespace }).then(
          () => true,
          () => false,
        ),
      (ok) => ok,
    );
    // A worker refuses to start in a namespace without the project's search attributes.
    await registerSearchAttributes(env.connection as Connection, namespace);
    const [publicPort, sdkPort] = [await freePort(), await freePort()];
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/worker-process-child.ts', import.meta.url))],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          ...DEMO_ENV,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          TEMPORAL_NAMESPACE: namespace,
          NETSUITE_BASE_URL: sandbox.url,
          WORKER_METRICS_PORT: String(publicPort),
          WORKER_SDK_METRICS_PORT: String(sdkPort),
          MAPPINGS_FILE: 'config/mappings.yaml',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        void exited.then(() => reject(new Error(`worker process exited before it was ready:\n${stderr}`)));
      });
      const url = `http://127.0.0.1:${publicPort}/metrics`;
      // Core's exporter publishes a metric once it was first recorded: wait for the pollers.
      const text = await eventually(
        () => scrape(url),
        (t) => /^temporal_num_pollers/m.test(t),
      );
      expect(metric(text, 'worker_sdk_metrics_up')).toBe(1);
      expect(text).toContain('# Temporal SDK (Runtime telemetry)');
      expect(text).toMatch(new RegExp(`^temporal_num_pollers\\{.*namespace="${namespace}".*\\} \\d+`, 'm'));
      expect(metric(text, 'netsuite_limiter_max')).toBe(4);
      expect(metric(text, 'netsuite_limiter_limit')).toBe(4);
      expect(metric(text, 'netsuite_client_requests_total')).toBe(0);
      expect(text).toContain('# HELP netsuite_client_calls_total');
    } finally {
      child.kill('SIGTERM');
      await exited;
      await env.teardown();
    }
  });
});

describe('activity log lines', () => {
  it('carry the workflow id and REFNO, and no personal data or secrets', async () => {
    const logs = capturingLogger('worker');
    const netsuite = createNetSuiteClient({ baseUrl: sandbox.url, credentials });
    const activities = createNetSuiteActivities({ netsuite, mappings: { current: demoConfig }, logger: logs.logger });
    const order = orderEventFrom(cardOrder('55000001'));
    const env = new MockActivityEnvironment({
      activityType: 'syncCustomer',
      workflowExecution: { workflowId: 'order/55000001', runId: 'run-1' },
      workflowType: 'orderSyncWorkflow',
    });
    const res = await env.run<[{ order: typeof order }], SyncCustomerResult, typeof activities.syncCustomer>(
      activities.syncCustomer,
      { order },
    );
    expect(res.action).toBe('created');
    // A careless line inside an activity: the whole order, and the NetSuite credentials.
    await env.run(async () =>
      logs.logger.info({ order, credentials, netsuite: { tokenSecret: credentials.tokenSecret } }, 'debug dump'),
    );
    // A line the Temporal Runtime forwards from an activity's own logger (meta carries the ids).
    logs.logger.warn(
      { workflowId: 'subscription/LIC7Q2X9', activityType: 'renewSubscription', customer: { email: 'x@example.com' } },
      'forwarded',
    );
    await netsuite.close();

    const lines = logs.lines();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines.filter((x) => x.msg !== 'forwarded')) {
      expect(l).toMatchObject({ workflowId: 'order/55000001', refNo: '55000001' });
    }
    expect(lines.find((l) => l.msg === 'forwarded')).toMatchObject({
      workflowId: 'subscription/LIC7Q2X9',
      licenseCode: 'LIC7Q2X9',
    });
    const text = logs.text();
    expect(text).not.toMatch(/@example\./);
    expect(text).not.toContain('Ångström');
    expect(text).not.toContain(credentials.tokenSecret);
    expect(text).not.toContain(credentials.consumerSecret);
  });
});
