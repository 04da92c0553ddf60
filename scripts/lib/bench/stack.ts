// Starts the processes of a benchmark run: a Temporal dev server of its own (in memory, free
// ports), the NetSuite sandbox, the worker(s) and the gateway, each its own process with its own
// log file, configured only through the environment the production entry points read.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import { startDevServer, type DevServer } from '../dev-server.js';
import { freePort } from '../free-port.js';
import { startChild, type BenchChild } from './children.js';
import { MAPPINGS_FILE } from './orders.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export async function startTemporal(
  opts: { port?: number; uiPort?: number; dbFile?: string; stderrFile?: string; metricsPort?: number } = {},
): Promise<DevServer> {
  // No --db-filename by default: in memory, so the bench measures Temporal's work, not a file left by
  // an older run. The chaos run passes a file (its own, per run) so it can kill and restart the server.
  // Always with a metrics port: the server's `action` counter is how the runs count Temporal Actions.
  return startDevServer({
    port: opts.port ?? (await freePort()),
    uiPort: opts.uiPort ?? (await freePort()),
    metricsPort: opts.metricsPort ?? (await freePort()),
    ...(opts.dbFile ? { dbFile: opts.dbFile } : {}),
    ...(opts.stderrFile ? { stderrFile: opts.stderrFile } : {}),
  });
}

function baseEnv(logLevel: string): NodeJS.ProcessEnv {
  // PATH and HOME only from the caller: the run must not depend on whatever else is set.
  // NODE_OPTIONS too: e.g. a bigger heap for a worker holding a 10,000-order burst in its cache.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: logLevel,
    ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
  };
}

export function startSandbox(opts: {
  logDir: string;
  logLevel: string;
  limit: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
  transformDropsExternalId?: boolean;
}): Promise<BenchChild> {
  return startChild({
    role: 'sandbox',
    file: here('./sandbox-child.ts'),
    logFile: join(opts.logDir, 'sandbox.log'),
    env: {
      ...baseEnv(opts.logLevel),
      BENCH_LIMIT: String(opts.limit),
      BENCH_LATENCY_MEDIAN_MS: String(opts.latencyMedianMs),
      BENCH_LATENCY_P99_MS: String(opts.latencyP99Ms),
      ...(opts.transformDropsExternalId ? { BENCH_TRANSFORM_DROPS_EXTERNAL_ID: '1' } : {}),
    },
  });
}

export async function startWorkerChild(opts: {
  index: number;
  logDir: string;
  logLevel: string;
  temporalAddress: string;
  netsuiteUrl: string;
  concurrency: number;
  workerCount: number;
  /** Extra environment (the chaos run: WORKFLOW_BUNDLE, NETSUITE_TIMEOUT_MS). */
  extraEnv?: NodeJS.ProcessEnv;
  /** Log file name suffix, so a restarted worker gets its own log. */
  logSuffix?: string;
  /** Write V8 CPU profiles of the worker (every thread) into this directory when it stops. */
  cpuProfileDir?: string;
}): Promise<BenchChild> {
  return startChild({
    role: `worker-${opts.index + 1}`,
    file: here('./worker-child.ts'),
    ...(opts.cpuProfileDir ? { execArgv: ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir] } : {}),
    logFile: join(opts.logDir, `worker-${opts.index + 1}${opts.logSuffix ?? ''}.log`),
    // Bundling the workflow code takes a while on a busy machine.
    readyTimeoutMs: 300_000,
    env: {
      ...baseEnv(opts.logLevel),
      TEMPORAL_ADDRESS: opts.temporalAddress,
      NETSUITE_ACCOUNT_ID: DEMO_ENV.NETSUITE_ACCOUNT_ID,
      NETSUITE_CONSUMER_KEY: DEMO_ENV.NETSUITE_CONSUMER_KEY,
      NETSUITE_CONSUMER_SECRET: DEMO_ENV.NETSUITE_CONSUMER_SECRET,
      NETSUITE_TOKEN_ID: DEMO_ENV.NETSUITE_TOKEN_ID,
      NETSUITE_TOKEN_SECRET: DEMO_ENV.NETSUITE_TOKEN_SECRET,
      NETSUITE_BASE_URL: opts.netsuiteUrl,
      NETSUITE_CONCURRENCY: String(opts.concurrency),
      NETSUITE_WORKER_COUNT: String(opts.workerCount),
      MAPPINGS_FILE,
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
      ...opts.extraEnv,
    },
  });
}

export function startGatewayChild(opts: {
  logDir: string;
  logLevel: string;
  temporalAddress?: string;
  postingMode: 'salesOrder' | 'cashSale';
  sink: 'temporal' | 'null';
  port?: number;
  logSuffix?: string;
  /** Log file and role name, when a run has more than one gateway (default `gateway`). */
  name?: string;
}): Promise<BenchChild> {
  return startChild({
    role: opts.name ?? 'gateway',
    file: here('./gateway-child.ts'),
    logFile: join(opts.logDir, `${opts.name ?? 'gateway'}${opts.logSuffix ?? ''}.log`),
    env: {
      ...baseEnv(opts.logLevel),
      ...(opts.temporalAddress ? { TEMPORAL_ADDRESS: opts.temporalAddress } : {}),
      TWOCHECKOUT_SECRET_KEY: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
      POSTING_MODE: opts.postingMode,
      BENCH_SINK: opts.sink,
      ...(opts.port ? { BENCH_GATEWAY_PORT: String(opts.port) } : {}),
    },
  });
}
