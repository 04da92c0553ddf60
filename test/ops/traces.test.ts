// The trace of one order, read from an in-memory exporter: the gateway's HTTP request → the
// hand-over (SignalWithStartWorkflow) → the workflow → each activity → each NetSuite call → its HTTP
// attempts and the wait for a limiter slot, all one trace; log lines inside carry its id. And the
// workflow interceptors keep determinism: every recorded history replays with them.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client, type Connection } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { makeWorkflowExporter, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTracing, type Tracing } from '../../shared/tracing.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { startNetSuiteSandbox, type NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { createNetSuiteClient } from '../../netsuite/client.js';
import { AdaptiveLimiter } from '../../netsuite/limiter.js';
import { createNetSuiteActivities } from '../../activities/index.js';
import { createSubscriptionLinkActivities } from '../../activities/subscription-links.js';
import { createWorkers, otelWorkflowInterceptorsPath, workflowsPath } from '../../worker/create-workers.js';
import { createGatewayApp, IPN_PATH } from '../../gateway/app.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderStateQuery, orderWorkflowId } from '../../workflows/messages.js';
import { readHistoryFile } from '../../scripts/lib/ops/replay-history.js';
import { demoCredentials, demoMappings, SECRET_KEY } from '../support/stack.js';
import { connectTestEnv, eventually, uniqueQueues } from '../support/temporal.js';
import { capturingLogger } from './support.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

beforeAll(async () => {
  tracing = await startTracing({ serviceName: 'trace-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  env = await connectTestEnv();
  bundle = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [otelWorkflowInterceptorsPath],
    logger: quiet,
  });
});
afterAll(async () => {
  await env?.teardown();
  await tracing?.shutdown();
});

const byId = (spans: ReadableSpan[]) => new Map(spans.map((s) => [s.spanContext().spanId, s]));
/** The chain of span names from `span` up to the root. */
function ancestry(span: ReadableSpan, spans: Map<string, ReadableSpan>): string[] {
  const names: string[] = [];
  for (let s: ReadableSpan | undefined = span; s; s = s.parentSpanId ? spans.get(s.parentSpanId) : undefined)
    names.push(s.name);
  return names;
}

describe('the trace of one order', () => {
  let sandbox: NetSuiteSandbox;
  let server: Server;
  let workers: Worker[];
  let running: Array<Promise<void>>;
  const logs = capturingLogger('worker');

  beforeAll(async () => {
    sandbox = await startNetSuiteSandbox({ port: 0, credentials: demoCredentials });
    const netsuite = createNetSuiteClient({
      baseUrl: sandbox.url,
      credentials: demoCredentials,
      limiter: new AdaptiveLimiter({ max: 4 }),
      logger: logs.logger,
    });
    const queues = uniqueQueues();
    workers = await createWorkers({
      connection: env.nativeConnection,
      activities: createNetSuiteActivities({ netsuite, mappings: { current: demoMappings }, logger: logs.logger }),
      workflowActivities: createSubscriptionLinkActivities(),
      activitySlots: 4,
      workflowBundle: bundle,
      taskQueues: queues,
      tracing: { spanProcessor: tracing.spanProcessor!, resource: tracing.resource! },
    });
    running = workers.map((w) => w.run());
    const client = new Client({
      connection: env.connection as Connection,
      interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    });
    // The order workflow closes soon after its last event, so its own span ends and is exported.
    const handover = createSyncHandover({
      client,
      policy: { idleClose: '3s' },
      taskQueue: queues.workflows,
      activityQueues: { netsuite: queues.netsuite, netsuiteMoney: queues.netsuiteMoney },
    });
    const app = createGatewayApp({
      config: { secretKey: SECRET_KEY, signatureAlgorithms: ['sha3-256', 'sha256'], syncTestOrders: false },
      handover,
      logger: logs.logger,
      metrics: createGatewayMetrics(),
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    for (const w of workers ?? []) w.shutdown();
    await Promise.allSettled(running ?? []);
    await sandbox?.close();
  });

  it('runs from the HTTP request through the hand-over, the workflow and each activity down to each NetSuite HTTP attempt, in one trace', async () => {
    const refNo = '88100001';
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${IPN_PATH}`;
    expect(
      (await postNotification(url, signedIpn(cardOrder(refNo), SECRET_KEY), { secretKey: SECRET_KEY })).status,
    ).toBe(200);
    await eventually(
      () =>
        env.client.workflow
          .getHandle(orderWorkflowId(refNo))
          .query(orderStateQuery)
          .catch(() => undefined),
      (s) => s?.syncStatus === 'Synced',
      60_000,
    );

    const root = await eventually(
      async () => exporter.getFinishedSpans().find((s) => s.name === `POST ${IPN_PATH}`),
      (s) => s !== undefined,
    );
    const traceId = root!.spanContext().traceId;
    const spans = await eventually(
      async () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
      (ss) =>
        ss.some((s) => s.name === 'RunActivity:applyPayment') &&
        ss.some((s) => s.name === 'RunWorkflow:orderSyncWorkflow'),
      45_000,
    );
    const index = byId(spans);
    const names = spans.map((s) => s.name);
    if (process.env.DUMP_SPANS)
      for (const s of spans) console.log(s.name, s.spanContext().spanId, '<-', s.parentSpanId);

    expect(root!.attributes['http.response.status_code']).toBe(200);
    const handover = spans.find((s) => s.name === 'handover to Temporal')!;
    expect(ancestry(handover, index)).toEqual(['handover to Temporal', `POST ${IPN_PATH}`]);
    const signalWithStart = spans.find((s) => s.name === 'SignalWithStartWorkflow:orderSyncWorkflow')!;
    expect(ancestry(signalWithStart, index).slice(1)).toEqual(['handover to Temporal', `POST ${IPN_PATH}`]);
    const workflow = spans.find((s) => s.name === 'RunWorkflow:orderSyncWorkflow')!;
    expect(ancestry(workflow, index).slice(1)).toEqual([
      'SignalWithStartWorkflow:orderSyncWorkflow',
      'handover to Temporal',
      `POST ${IPN_PATH}`,
    ]);
    for (const step of ['syncCustomer', 'upsertSalesOrder', 'createInvoice', 'applyPayment']) {
      const run = spans.find((s) => s.name === `RunActivity:${step}`);
      expect(run && ancestry(run, index).slice(0, 3), step).toEqual([
        `RunActivity:${step}`,
        `StartActivity:${step}`,
        'RunWorkflow:orderSyncWorkflow',
      ]);
    }

    // An activity, its NetSuite call, that call's wait for a slot and its HTTP attempt.
    const activity = spans.find((s) => s.name === 'RunActivity:syncCustomer')!;
    expect(ancestry(activity, index)).toEqual(
      expect.arrayContaining([
        'RunActivity:syncCustomer',
        'StartActivity:syncCustomer',
        'RunWorkflow:orderSyncWorkflow',
        `POST ${IPN_PATH}`,
      ]),
    );
    const call = spans.find((s) => s.name.startsWith('netsuite ') && s.parentSpanId === activity.spanContext().spanId)!;
    expect(call.name).toMatch(/^netsuite (suiteql|upsert:customer|get:customer)/);
    const children = spans.filter((s) => s.parentSpanId === call.spanContext().spanId).map((s) => s.name);
    expect(children).toEqual(
      expect.arrayContaining(['netsuite limiter wait', expect.stringMatching(/^netsuite HTTP (GET|POST|PUT)$/)]),
    );
    const attempt = spans.find(
      (s) => s.parentSpanId === call.spanContext().spanId && s.name.startsWith('netsuite HTTP'),
    )!;
    expect(attempt.attributes).toMatchObject({
      'netsuite.attempt': 1,
      'http.response.status_code': expect.any(Number),
    });

    // The sale itself was traced too.
    expect(names.some((n) => n === 'netsuite upsert:salesOrder' || n === 'netsuite upsert:cashSale')).toBe(true);

    // Log lines written inside the activity name the trace.
    const traced = logs.lines().filter((l) => l.refNo === refNo && typeof l.trace_id === 'string');
    expect(traced.length).toBeGreaterThan(0);
    expect(traced.every((l) => l.trace_id === traceId)).toBe(true);
  });
});

describe('workflow interceptors and determinism', () => {
  it('every recorded history replays with the OpenTelemetry workflow interceptors and span sink', async () => {
    const dir = join(repoRoot, 'test', 'replay-histories');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      await expect(
        Worker.runReplayHistory(
          {
            workflowBundle: bundle,
            replayName: 'otel-replay',
            sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor!, tracing.resource!) },
          },
          readHistoryFile(join(dir, file)),
          file,
        ),
        file,
      ).resolves.toBeUndefined();
    }
  });
});
