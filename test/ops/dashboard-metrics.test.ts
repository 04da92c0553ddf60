// Every metric the Grafana dashboard (deploy/grafana/) and the Prometheus alert rules
// (deploy/prometheus/alerts.yml) name is exported by the real /metrics of a worker process and a
// gateway, after one order synced and one parked: a renamed metric or a panel typo fails here, not
// on an operator's empty graph.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { pino } from 'pino';
import { Client, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { registerSearchAttributes } from '../../shared/register-search-attributes.js';
import { startNetSuiteSandbox, type NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { startGatewayProcess, type RunningGateway } from '../../gateway/gateway-process.js';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder, unmappedProductOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderStateQuery, orderWorkflowId, TASK_QUEUES } from '../../workflows/messages.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { demoCredentials } from '../support/stack.js';
import { connectTestEnv, eventually } from '../support/temporal.js';

const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'time',
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'clamp_min',
  'clamp_max',
  'abs',
  'vector',
  'scalar',
  'topk',
  'bottomk',
  'offset',
  'bool',
  'le',
  'label_replace',
  'delta',
  'deriv',
  'changes',
  'resets',
  'sort',
  'sort_desc',
  'absent',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
]);

/** Metric names in a PromQL expression: identifiers outside label matchers, `by (…)` lists, durations and strings. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\$\{?\w+\}?/g, '');
  return [
    ...new Set(
      [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
        .map((m) => m[0])
        .filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w)),
    ),
  ];
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(`${repoRoot}/deploy/grafana/2checkout-netsuite-sync.json`, 'utf8')) as {
    panels: Array<{ targets?: Array<{ expr: string }> }>;
  };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

function ruleExpressions(): string[] {
  const rules = parseYaml(readFileSync(`${repoRoot}/deploy/prometheus/alerts.yml`, 'utf8')) as {
    groups: Array<{ rules: Array<{ expr: string }> }>;
  };
  return rules.groups.flatMap((g) => g.rules.map((r) => String(r.expr)));
}

/** Names a scrape exports (a histogram's _bucket/_sum/_count series included). */
function exported(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0]!),
  );
}

let env: TestWorkflowEnvironment;
let sandbox: NetSuiteSandbox;
let api: ApiSandbox;
let child: ChildProcess;
let exited: Promise<unknown>;
let gateway: RunningGateway;
let workerMetricsUrl: string;
const namespace = `dash-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  env = await connectTestEnv();
  const connection = env.connection as Connection;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await eventually(
    () =>
      connection.workflowService.describeNamespace({ namespace }).then(
        () => true,
        () => false,
      ),
    (ok) => ok,
  );
  await registerSearchAttributes(connection, namespace);
  sandbox = await startNetSuiteSandbox({ port: 0, credentials: demoCredentials });
  api = await startTwoCheckoutApiSandbox({
    port: 0,
    vendorCode: 'DASHVENDOR',
    secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
  });
  const [publicPort, sdkPort] = [await freePort(), await freePort()];
  const processEnv = {
    ...DEMO_ENV,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: namespace,
    NETSUITE_BASE_URL: sandbox.url,
    MAPPINGS_FILE: 'config/mappings.yaml',
    WORKER_VERSIONING: 'false',
    // Reconciliation on, so the completeness gauges exist once a day is reconciled.
    TWOCHECKOUT_VENDOR_CODE: 'DASHVENDOR',
    TWOCHECKOUT_API_BASE_URL: api.apiUrl,
    LOG_LEVEL: 'warn',
  };
  child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fixtures/worker-process-child.ts', import.meta.url))],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...processEnv,
        WORKER_METRICS_PORT: String(publicPort),
        WORKER_SDK_METRICS_PORT: String(sdkPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    void exited.then(() => reject(new Error(`worker process exited before it was ready:\n${stderr}`)));
  });
  workerMetricsUrl = `http://127.0.0.1:${publicPort}/metrics`;
  gateway = await startGatewayProcess({ env: processEnv, logger: pino({ level: 'silent' }), port: 0 });
});

afterAll(async () => {
  await gateway?.close();
  child?.kill('SIGTERM');
  await exited;
  await sandbox?.close();
  await api?.close();
  await env?.teardown();
});

async function scrape(url: string): Promise<string> {
  const res = await request(url);
  expect(res.statusCode).toBe(200);
  return res.body.text();
}

describe('the dashboard and the alert rules', () => {
  it('name only metrics the worker and the gateway export', async () => {
    const ipn = `${gateway.url}/webhooks/2checkout/ipn`;
    const key = DEMO_ENV.TWOCHECKOUT_SECRET_KEY;
    const synced = cardOrder('77100001');
    const unmapped = unmappedProductOrder('77100002');
    for (const o of [synced, unmapped])
      expect((await postNotification(ipn, signedIpn(o, key), { secretKey: key })).status).toBe(200);
    const nsClient = new Client({ connection: env.connection as Connection, namespace });
    const q = (ref: string) =>
      nsClient.workflow
        .getHandle(orderWorkflowId(ref))
        .query(orderStateQuery)
        .catch(() => undefined);
    await eventually(
      () => q('77100001'),
      (s) => s?.syncStatus === 'Synced',
      60_000,
    );
    await eventually(
      () => q('77100002'),
      (s) => s?.syncStatus === 'NeedsAttention',
      60_000,
    );
    // One reconciled day (nothing sold that day): the completeness gauges appear.
    await nsClient.workflow.execute('reconcileDayWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: `reconcile-${randomUUID()}`,
      args: [{ date: '2026-01-01', dryRun: false }],
    });

    const worker = await eventually(
      () => scrape(workerMetricsUrl),
      (t) =>
        /sync_first_synced_seconds/.test(t) &&
        /sync_status_changes/.test(t) &&
        /^completeness_last_day_complete /m.test(t),
      30_000,
    );
    const gw = await scrape(`${gateway.url}/metrics`);
    const names = new Set([...exported(worker), ...exported(gw)]);
    const wanted = [...dashboardExpressions(), ...ruleExpressions()].flatMap(metricNames);
    expect(wanted.length).toBeGreaterThan(15);
    const missing = [...new Set(wanted)].filter((n) => !names.has(n));
    expect(
      missing,
      `not exported; the scrape has:\n${[...names].filter((n) => /sync|netsuite|twocheckout|completeness/.test(n)).join('\n')}`,
    ).toEqual([]);
    // The open-sync gauge counts what Temporal holds: the parked order is there.
    expect(gw).toMatch(/^sync_workflows_open\{kind="order",status="NeedsAttention"\} 1$/m);
  });

  it('extract metric names, not functions, labels or durations', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, kind) (rate(x_bucket{kind="order"}[5m])))')).toEqual([
      'x_bucket',
    ]);
    expect(metricNames('netsuite_limiter_limit <= netsuite_limiter_min and time() - y > 2 * 86400')).toEqual([
      'netsuite_limiter_limit',
      'netsuite_limiter_min',
      'y',
    ]);
  });
});
