// `npm run bench:completeness`: what backfill and reconciliation cost on this machine. Starts a
// Temporal dev server (in memory), the NetSuite sandbox (with latency and a concurrency limit),
// the 2Checkout API sandbox with N historical orders (no webhook ever sent; every 10th partly
// refunded), and a worker exactly as `npm run worker` runs it; then backfills every order, and
// reconciles the first day. Prints and writes (bench-results/completeness-<timestamp>.json):
// orders per second the backfill sustained, and NetSuite/2Checkout calls of the reconciliation.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { DEMO_ENV } from '../sandbox/demo-env.js';
import { createLogger } from '../shared/logger.js';
import { startNetSuiteSandbox } from '../sandbox/netsuite/index.js';
import { startTwoCheckoutApiSandbox } from '../sandbox/twocheckout/api/index.js';
import { cardOrder, eurOrder, partialRefund, threeLineOrder } from '../sandbox/twocheckout/scenarios.js';
import { startWorkerProcess } from '../worker/worker-process.js';
import { TASK_QUEUES } from '../workflows/messages.js';
import type { CompletenessLedger } from '../mappings/completeness.js';
import { backfillProgressQuery, type BackfillProgress } from '../workflows/backfill.js';
import { startTemporal } from './lib/bench/stack.js';
import { MAPPINGS_FILE } from './lib/bench/orders.js';
import { freePort } from './lib/free-port.js';
import { progressLine } from './lib/completeness/backfill-cli.js';

const schema = z.object({
  orders: z.coerce.number().int().min(1).default(1000),
  days: z.coerce.number().int().min(1).default(1),
  latency: z.coerce.number().min(0).default(100),
  limit: z.coerce.number().int().min(1).default(5),
  'page-limit': z.coerce.number().int().min(1).max(200).default(100),
  'api-rate': z.coerce.number().positive().default(20),
  out: z.string().default('bench-results'),
});
const { values } = parseArgs({
  options: {
    ...Object.fromEntries(Object.keys(schema.shape).map((k) => [k, { type: 'string' as const }])),
    'reconcile-only': { type: 'boolean' as const, default: false },
  },
});
/** Only the reconciliation of a day NetSuite does not have yet (dry run): its calls, without the long backfill. */
const reconcileOnly = values['reconcile-only'] === true;
const parsed = schema.safeParse(Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'reconcile-only')));
if (!parsed.success) {
  console.error(
    `npm run bench:completeness -- [--orders 1000] [--days 1] [--latency 100] [--limit 5] [--page-limit 100] [--api-rate 20] [--reconcile-only]\n${z.prettifyError(parsed.error)}`,
  );
  process.exit(2);
}
const o = parsed.data;
const load = () => Number(loadavg()[0]!.toFixed(2));
const FIRST_DAY = '2025-06-02';
const dayOf = (i: number) => new Date(Date.parse(FIRST_DAY) + (i % o.days) * 86_400_000);

async function main(): Promise<void> {
  const loadAtStart = load();
  const startedAt = new Date();
  const temporal = await startTemporal();
  const netsuite = await startNetSuiteSandbox({
    port: 0,
    credentials: {
      accountId: DEMO_ENV.NETSUITE_ACCOUNT_ID,
      consumerKey: DEMO_ENV.NETSUITE_CONSUMER_KEY,
      consumerSecret: DEMO_ENV.NETSUITE_CONSUMER_SECRET,
      tokenId: DEMO_ENV.NETSUITE_TOKEN_ID,
      tokenSecret: DEMO_ENV.NETSUITE_TOKEN_SECRET,
    },
    concurrencyLimit: o.limit,
    ...(o.latency > 0 ? { latency: { medianMs: o.latency, p99Ms: o.latency * 3 } } : {}),
  });
  const api = await startTwoCheckoutApiSandbox({
    vendorCode: 'BENCHVENDOR',
    secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
  });
  for (let i = 0; i < o.orders; i++) {
    const at = new Date(dayOf(i).getTime() + 3_600_000 + Math.floor(i / o.days) * 1_000);
    const refNo = String(500_000_000 + i);
    const order =
      i % 10 === 3
        ? threeLineOrder(refNo, { at })
        : i % 7 === 0
          ? eurOrder(refNo, { at })
          : cardOrder(refNo, 'COMPLETE', { at });
    api.store.recordIpn(order);
    if (i % 10 === 3) api.store.recordIpn(partialRefund(order, { lines: [1], at: new Date(at.getTime() + 3_600_000) }));
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: temporal.address,
    NETSUITE_ACCOUNT_ID: DEMO_ENV.NETSUITE_ACCOUNT_ID,
    NETSUITE_CONSUMER_KEY: DEMO_ENV.NETSUITE_CONSUMER_KEY,
    NETSUITE_CONSUMER_SECRET: DEMO_ENV.NETSUITE_CONSUMER_SECRET,
    NETSUITE_TOKEN_ID: DEMO_ENV.NETSUITE_TOKEN_ID,
    NETSUITE_TOKEN_SECRET: DEMO_ENV.NETSUITE_TOKEN_SECRET,
    NETSUITE_BASE_URL: netsuite.url,
    NETSUITE_CONCURRENCY: String(o.limit),
    MAPPINGS_FILE,
    WORKER_METRICS_PORT: String(await freePort()),
    WORKER_SDK_METRICS_PORT: String(await freePort()),
    TWOCHECKOUT_SECRET_KEY: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
    TWOCHECKOUT_VENDOR_CODE: 'BENCHVENDOR',
    TWOCHECKOUT_API_BASE_URL: api.apiUrl,
    TWOCHECKOUT_API_RATE: String(o['api-rate']),
    TWOCHECKOUT_API_PAGE_LIMIT: String(o['page-limit']),
  };
  const worker = await startWorkerProcess({ env, logger: createLogger({ name: 'bench-worker', level: 'warn' }) });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const to = new Date(dayOf(o.days - 1)).toISOString().slice(0, 10);

  // What a reconciliation costs when NetSuite has none of the day's orders (dry run: nothing healed).
  const emptyBefore = netsuite.stats().totalCalls;
  const emptyApiBefore = api.stats.calls;
  const dry = (await client.workflow.execute('reconcileDayWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: `bench-reconcile-dry-${Date.now()}`,
    args: [{ date: FIRST_DAY, dryRun: true }],
  })) as CompletenessLedger;
  const dryRunCalls = {
    netsuite: netsuite.stats().totalCalls - emptyBefore,
    twocheckout: api.stats.calls - emptyApiBefore,
    orders: dry.ordersIn2co,
  };
  netsuite.resetStats();
  if (reconcileOnly) {
    const result = {
      command: `npm run bench:completeness -- ${process.argv.slice(2).join(' ')}`.trim(),
      startedAt: startedAt.toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadAverage1m: { atStart: loadAtStart, atEnd: load() } },
      settings: o,
      reconcileDryRunBeforeBackfill: dryRunCalls,
    };
    console.log(JSON.stringify(result, null, 2));
    await connection.close();
    await worker.shutdown();
    await api.close();
    await netsuite.close();
    await temporal.stop();
    return;
  }

  console.log(
    `backfilling ${o.orders} orders over ${o.days} day(s) (NetSuite latency ${o.latency} ms, C = ${o.limit}, ${o['page-limit']} per page)…`,
  );
  const t0 = Date.now();
  const handle = await client.workflow.start('backfillWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: `bench-backfill-${t0}`,
    args: [{ from: FIRST_DAY, to }],
  });
  let p: BackfillProgress | undefined;
  for (;;) {
    await new Promise((r) => setTimeout(r, 5_000));
    p = await handle.query(backfillProgressQuery);
    console.log(`  ${progressLine(p, Date.now())}`);
    if (p.done) break;
  }
  const backfillSeconds = (Date.now() - t0) / 1000;
  const backfillStats = netsuite.stats();

  console.log(`reconciling ${FIRST_DAY} (everything in place)…`);
  const before = netsuite.stats().totalCalls;
  const apiBefore = api.stats.calls;
  const ledger = (await client.workflow.execute('reconcileDayWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: `bench-reconcile-${Date.now()}`,
    args: [{ date: FIRST_DAY }],
  })) as CompletenessLedger;
  const reconcileNetSuiteCalls = netsuite.stats().totalCalls - before;

  const result = {
    command: `npm run bench:completeness -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: startedAt.toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadAverage1m: { atStart: loadAtStart, atEnd: load() } },
    settings: o,
    backfill: {
      orders: p.seen,
      seconds: Number(backfillSeconds.toFixed(1)),
      ordersPerSecond: Number((p.seen / backfillSeconds).toFixed(2)),
      synced: p.synced,
      parked: p.parked,
      pending: p.pending,
      alreadyThere: p.alreadyThere,
      netsuiteCalls: backfillStats.totalCalls,
      netsuiteCallsPerOrder: Number((backfillStats.totalCalls / p.seen).toFixed(2)),
      netsuiteRejected429: backfillStats.rejected429,
    },
    reconcileDryRunBeforeBackfill: dryRunCalls,
    reconcile: {
      date: FIRST_DAY,
      orders: ledger.ordersIn2co,
      state: ledger.state,
      counts: ledger.counts,
      netsuiteCalls: reconcileNetSuiteCalls,
      twocheckoutCalls: api.stats.calls - apiBefore,
      ledgerCalls: ledger.calls,
    },
  };
  const outDir = resolve(o.out);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `completeness-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(`written: ${file}`);
  await connection.close();
  await worker.shutdown();
  await api.close();
  await netsuite.close();
  await temporal.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
