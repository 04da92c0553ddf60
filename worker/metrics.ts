// The worker's one Prometheus endpoint (`GET /metrics` on WORKER_METRICS_PORT, default 9464):
//  - the Temporal SDK's own metrics (task slots, poll and schedule-to-start latencies, workflow
//    task failures, activity failures…). Core's Prometheus exporter can only bind its own port,
//    so the Runtime binds an internal one (WORKER_SDK_METRICS_PORT, default WORKER_METRICS_PORT+1,
//    do not expose it) and this endpoint appends what it serves;
//  - the NetSuite client and limiter, read at scrape time from `client.stats()` and
//    `limiter.snapshot()`: calls by kind, errors by kind, 429s, the adaptive limit, in-flight and
//    queued requests per lane;
//  - the process (CPU, memory, event loop lag) with the `worker_` prefix;
//  - the mapping file in use (`mappings_config_info{version}`, `mappings_config_load_error`).
// `GET /status` answers the same process's state as JSON for the operator tools: which mapping
// version it uses and, while the file on disk does not load, why (`npm run ops -- retry` reads it).
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { request } from 'undici';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { NetSuiteClientStats, NetSuiteErrorKind } from '../netsuite/types.js';
import type { LimiterSnapshot } from '../netsuite/limiter.js';
import type { MappingLoadState } from '../mappings/config-schema.js';
import type { CompletenessLedger } from '../mappings/completeness.js';

export const DEFAULT_WORKER_METRICS_PORT = 9464;

const port = z.coerce.number().int().min(0).max(65535);
const MetricsPortsEnv = z.object({
  WORKER_METRICS_PORT: port.default(DEFAULT_WORKER_METRICS_PORT),
  WORKER_SDK_METRICS_PORT: port.optional(),
});

export interface WorkerMetricsPorts {
  /** The endpoint Prometheus scrapes. */
  public: number;
  /** Where the Temporal Runtime's Prometheus exporter listens (internal). */
  sdk: number;
}

export function workerMetricsPorts(env: NodeJS.ProcessEnv = process.env): WorkerMetricsPorts {
  const parsed = MetricsPortsEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid worker metrics configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')} (ports are numbers 1–65535)`,
    );
  }
  const pub = parsed.data.WORKER_METRICS_PORT;
  return { public: pub, sdk: parsed.data.WORKER_SDK_METRICS_PORT ?? pub + 1 };
}

const NETSUITE_ERROR_KINDS: readonly NetSuiteErrorKind[] = [
  'auth',
  'concurrency',
  'user',
  'not_found',
  'permission',
  'server',
  'network',
];

export interface NetSuiteMetricsSource {
  stats(): NetSuiteClientStats;
}
export interface LimiterMetricsSource {
  readonly max: number;
  readonly min: number;
  snapshot(): LimiterSnapshot;
}

/** prom-client metrics that read the NetSuite client and limiter whenever they are scraped. */
export function createNetSuiteMetrics(
  registry: Registry,
  client: NetSuiteMetricsSource,
  limiter: LimiterMetricsSource,
): void {
  // Counters set from the client's own running totals at scrape time (reset + inc keeps the type
  // a Prometheus counter, so rate() works; the totals only ever grow within a process).
  const fromTotals = (
    name: string,
    help: string,
    read: (s: NetSuiteClientStats) => Record<string, number>,
    label: string,
    always: readonly string[] = [],
  ) =>
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        // Known values are exported from 0 on, so a rate() or an alert has a series before the first error.
        for (const value of always) this.inc({ [label]: value }, 0);
        for (const [value, n] of Object.entries(read(client.stats()))) this.inc({ [label]: value }, n);
      },
    });
  fromTotals(
    'netsuite_client_calls_total',
    'NetSuite client calls by kind, e.g. create:customer, transform:salesOrder->invoice, suiteql',
    (s) => s.callsByKind,
    'call',
  );
  fromTotals(
    'netsuite_client_errors_total',
    'NetSuite client calls that failed, by error kind (user, concurrency, network, auth, server, …)',
    (s) => s.errorsByKind,
    'kind',
    NETSUITE_ERROR_KINDS,
  );
  new Counter({
    name: 'netsuite_client_requests_total',
    help: 'HTTP requests sent to NetSuite (retries and look-ups included)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(client.stats().requests);
    },
  });
  new Counter({
    name: 'netsuite_client_concurrency_rejections_total',
    help: 'NetSuite answers that were 429 / CONCURRENCY_LIMIT_EXCEEDED, including ones retried successfully',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(client.stats().rejected429);
    },
  });
  const gauge = (name: string, help: string, read: (s: LimiterSnapshot) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(limiter.snapshot()));
      },
    });
  gauge(
    'netsuite_limiter_limit',
    'Current adaptive concurrency limit of this worker (shrinks on 429, grows back on success)',
    (s) => s.limit,
  );
  new Gauge({
    name: 'netsuite_limiter_max',
    help: 'Configured upper bound: this worker’s share of NETSUITE_CONCURRENCY',
    registers: [registry],
  }).set(limiter.max);
  new Gauge({
    name: 'netsuite_limiter_min',
    help: 'Floor the adaptive limit never drops below (half the share): a limit stuck here means NetSuite keeps refusing',
    registers: [registry],
  }).set(limiter.min);
  gauge('netsuite_limiter_in_flight', 'NetSuite requests in flight now', (s) => s.inFlight);
  gauge(
    'netsuite_limiter_peak_in_flight',
    'Most NetSuite requests ever in flight at once in this process',
    (s) => s.peakInFlight,
  );
  new Gauge({
    name: 'netsuite_limiter_queued',
    help: 'Requests waiting for a NetSuite slot, by lane (money: payments and refunds go first; bulk: orders)',
    labelNames: ['lane'],
    registers: [registry],
    collect() {
      const s = limiter.snapshot();
      this.set({ lane: 'money' }, s.queuedMoney);
      this.set({ lane: 'bulk' }, s.queuedBulk);
    },
  });
  new Counter({
    name: 'netsuite_limiter_adjustments_total',
    help: 'Changes of the adaptive limit, by direction (decrease after 429s, increase after a run of successes)',
    labelNames: ['direction'],
    registers: [registry],
    collect() {
      const s = limiter.snapshot();
      this.reset();
      this.inc({ direction: 'decrease' }, s.decreases);
      this.inc({ direction: 'increase' }, s.increases);
    },
  });
}

function createMappingMetrics(registry: Registry, read: () => MappingLoadState): void {
  new Gauge({
    name: 'mappings_config_info',
    help: 'The mapping file version in use (label version: first 12 hex digits of its SHA-256); always 1',
    labelNames: ['version'],
    registers: [registry],
    collect() {
      this.reset();
      this.set({ version: read().version }, 1);
    },
  });
  new Gauge({
    name: 'mappings_config_load_error',
    help: '1 while the mapping file on disk does not load (the worker keeps the previous version), else 0',
    registers: [registry],
    collect() {
      this.set(read().loadError ? 1 : 0);
    },
  });
}

export interface WorkerMetricsServerOptions {
  port: number;
  host?: string;
  /** The Runtime's Prometheus exporter, e.g. `http://127.0.0.1:9465/metrics`; omitted → SDK metrics not served. */
  sdkMetricsUrl?: string;
  netsuite?: { client: NetSuiteMetricsSource; limiter: LimiterMetricsSource };
  /** The mapping file's state (watched provider); served on /status and as gauges. */
  mappings?: () => MappingLoadState;
  /** The last completeness ledger this process recorded (reconciliation). */
  completeness?: { last?: CompletenessLedger };
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/** What `GET /status` answers. */
export interface WorkerStatus {
  pid: number;
  mappings?: MappingLoadState;
}

export interface WorkerMetricsServer {
  url: string;
  registry: Registry;
  /** The text a scrape gets (also what `GET /metrics` answers). */
  render(): Promise<string>;
  close(): Promise<void>;
}

export async function startWorkerMetricsServer(opts: WorkerMetricsServerOptions): Promise<WorkerMetricsServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'worker_' });
  if (opts.netsuite) createNetSuiteMetrics(registry, opts.netsuite.client, opts.netsuite.limiter);
  if (opts.completeness) createCompletenessMetrics(registry, opts.completeness);
  const sdkUp = new Gauge({
    name: 'worker_sdk_metrics_up',
    help: '1 when the Temporal SDK metrics could be read from the Runtime exporter for this scrape, else 0',
    registers: [registry],
  });
  if (opts.mappings) createMappingMetrics(registry, opts.mappings);
  let warned = false;

  const render = async (): Promise<string> => {
    let sdk = '';
    if (opts.sdkMetricsUrl) {
      try {
        const res = await request(opts.sdkMetricsUrl, { headersTimeout: 2_000, bodyTimeout: 2_000 });
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
        sdk = await res.body.text();
        sdkUp.set(1);
        warned = false;
      } catch (err) {
        sdkUp.set(0);
        if (!warned) {
          warned = true;
          opts.logger?.warn(
            { sdkMetricsUrl: opts.sdkMetricsUrl, err: err instanceof Error ? err.message : String(err) },
            'Temporal SDK metrics unavailable (is the Runtime installed with Prometheus on that port?)',
          );
        }
      }
    } else {
      sdkUp.set(0);
    }
    const own = await registry.metrics();
    return sdk ? `${own.trimEnd()}\n\n# Temporal SDK (Runtime telemetry)\n${sdk.trimEnd()}\n` : own;
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/status') {
      const status: WorkerStatus = { pid: process.pid, ...(opts.mappings ? { mappings: opts.mappings() } : {}) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status));
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics or GET /status\n');
      return;
    }
    render().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (err: unknown) =>
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  // Loopback unless told otherwise (WORKER_METRICS_HOST=0.0.0.0 in a container Prometheus scrapes).
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`worker metrics port ${opts.port} is in use: set WORKER_METRICS_PORT to a free port`)
          : err,
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : opts.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${actualPort}/metrics`;
  opts.logger?.info({ url, sdkMetricsUrl: opts.sdkMetricsUrl }, 'worker metrics listening');
  return {
    url,
    registry,
    render,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The last reconciled day's state, as this process recorded it: `completeness_last_day_complete`
 * (1 complete, 0 not), orders by outcome, exceptions, and the day itself (epoch seconds of its
 * start) so an alert can also fire when reconciliation stopped running.
 */
export function createCompletenessMetrics(registry: Registry, source: { last?: CompletenessLedger }): void {
  const last = () => source.last;
  new Gauge({
    name: 'completeness_last_day_complete',
    help: 'Whether the last day reconciled is complete (1) or has pending/mismatched orders or exceptions (0); absent before the first run',
    registers: [registry],
    collect() {
      this.reset();
      const l = last();
      if (l) this.set(l.state === 'complete' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'completeness_last_day_timestamp_seconds',
    help: 'The last day reconciled (00:00 UTC of that day, epoch seconds)',
    registers: [registry],
    collect() {
      this.reset();
      const l = last();
      if (l) this.set(Date.parse(l.date) / 1000);
    },
  });
  new Gauge({
    name: 'completeness_last_day_orders',
    help: 'Orders of the last day reconciled, by outcome (matched, healed, mismatched, pending, void)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      const l = last();
      if (l) for (const [outcome, n] of Object.entries(l.counts)) this.set({ outcome }, n);
    },
  });
  new Gauge({
    name: 'completeness_last_day_exceptions',
    help: 'Exceptions listed for the last day reconciled',
    registers: [registry],
    collect() {
      this.reset();
      const l = last();
      if (l) this.set(l.exceptions.length);
    },
  });
}
