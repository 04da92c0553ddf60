// `npm run bench -- [flags]`: what to run, validated once, with defaults that finish a small run
// in well under two minutes on a 2-core machine.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `npm run bench -- [flags]

Full run (Temporal dev server in memory, NetSuite sandbox, worker(s), gateway; IPNs over HTTP):
  --orders N          IPNs to send, one paid (COMPLETE) order each      (default 300)
  --bulk B            first hand B backfill-style orders to Temporal with the bulk
                      priority (as backfill/reconciliation do), then send the --orders
                      as live IPNs at --rate; reports the live orders' end to end apart (default 0)
  --live-alone        first send --orders live IPNs at --rate with no bulk work (same
                      stack), then the run: reports the live p50 during the bulk work
                      ÷ the live p50 alone (the "live first" goal: ≤ 1.5)
  --rate R            IPNs per second; 0 = as fast as the senders go    (default 0)
  --returning F       share of orders from returning customers, 0..1   (default 0.3)
  --mode M            salesOrder | cashSale                              (default salesOrder)
  --latency MS        NetSuite median latency per call                   (default 50)
  --latency-p99 MS    NetSuite p99 latency                               (default 3 × median)
  --limit C           NetSuite account concurrency limit                 (default 5)
  --concurrency K     NETSUITE_CONCURRENCY given to the workers          (default C)
  --workers N         worker processes sharing that budget               (default 1)
  --senders S         IPN posts in flight at most                        (default 32)
  --stall-timeout S   give up when no order completes for S seconds      (default 120)
  --price-per-million-actions P
                      Temporal Cloud price assumed for the cost line, in $ per
                      million Actions (tiered in reality: pass yours)    (default 50)
  --actions-sample N  histories read to count Actions per order (evenly
                      spread over the synced orders)                     (default 2000)
  --log-level L       log level of the processes (logs: bench-results/<run>/) (default warn)
  --cpu-prof          profile the worker(s) (node --cpu-prof, every thread): .cpuprofile
                      files in the run's log directory, summed up in the report
  --out DIR           where the JSON result goes                         (default bench-results)

Gateway only (no worker, no NetSuite):
  --gateway-only      measure the gateway's IPN/s and receipt latency
  --sink S            temporal (a real dev server, no worker) | null      (default temporal)
`;

const nonNegative = z.coerce.number().min(0);
const positiveInt = z.coerce.number().int().min(1);

const schema = z
  .object({
    orders: positiveInt.optional(),
    bulk: z.coerce.number().int().min(0).default(0),
    rate: nonNegative.default(0),
    returning: z.coerce.number().min(0).max(1).default(0.3),
    mode: z.enum(['salesOrder', 'cashSale']).default('salesOrder'),
    latency: nonNegative.default(50),
    'latency-p99': nonNegative.optional(),
    limit: positiveInt.default(5),
    concurrency: positiveInt.optional(),
    workers: positiveInt.default(1),
    senders: positiveInt.default(32),
    'stall-timeout': positiveInt.default(120),
    'price-per-million-actions': nonNegative.default(50),
    'actions-sample': positiveInt.default(2000),
    'log-level': z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('warn'),
    out: z.string().default('bench-results'),
    'gateway-only': z.boolean().default(false),
    'live-alone': z.boolean().default(false),
    'cpu-prof': z.boolean().default(false),
    sink: z.enum(['temporal', 'null']).default('temporal'),
  })
  .refine((o) => o['latency-p99'] === undefined || o['latency-p99'] >= o.latency, {
    message: '--latency-p99 must be at least --latency',
    path: ['latency-p99'],
  });

export interface BenchOptions {
  orders: number;
  /** Backfill-style orders handed over (bulk priority) before the live IPNs. */
  bulk: number;
  /** Send the live orders alone first, as the reference for the live-during-bulk figure. */
  liveAlone: boolean;
  /** Profile the worker processes (node --cpu-prof). */
  cpuProf: boolean;
  rate: number;
  returning: number;
  mode: 'salesOrder' | 'cashSale';
  latencyMedianMs: number;
  latencyP99Ms: number;
  limit: number;
  concurrency: number;
  workers: number;
  senders: number;
  stallTimeoutS: number;
  /** $ per million Temporal Actions assumed for the cost line. */
  pricePerMillionActions: number;
  /** At most this many histories are read to count Actions per order. */
  actionsSample: number;
  logLevel: string;
  outDir: string;
  gatewayOnly: boolean;
  sink: 'temporal' | 'null';
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        orders: { type: 'string' },
        bulk: { type: 'string' },
        rate: { type: 'string' },
        returning: { type: 'string' },
        mode: { type: 'string' },
        latency: { type: 'string' },
        'latency-p99': { type: 'string' },
        limit: { type: 'string' },
        concurrency: { type: 'string' },
        workers: { type: 'string' },
        senders: { type: 'string' },
        'stall-timeout': { type: 'string' },
        'price-per-million-actions': { type: 'string' },
        'actions-sample': { type: 'string' },
        'log-level': { type: 'string' },
        out: { type: 'string' },
        'gateway-only': { type: 'boolean' },
        'live-alone': { type: 'boolean' },
        'cpu-prof': { type: 'boolean' },
        sink: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(
      `${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n\n${USAGE}`,
    );
  }
  const o = parsed.data;
  return {
    orders: o.orders ?? (o['gateway-only'] ? 3_000 : 300),
    bulk: o.bulk,
    liveAlone: o['live-alone'],
    cpuProf: o['cpu-prof'],
    rate: o.rate,
    returning: o.returning,
    mode: o.mode,
    latencyMedianMs: o.latency,
    latencyP99Ms: o['latency-p99'] ?? o.latency * 3,
    limit: o.limit,
    concurrency: o.concurrency ?? o.limit,
    workers: o.workers,
    senders: o.senders,
    stallTimeoutS: o['stall-timeout'],
    pricePerMillionActions: o['price-per-million-actions'],
    actionsSample: o['actions-sample'],
    logLevel: o['log-level'],
    outDir: o.out,
    gatewayOnly: o['gateway-only'],
    sink: o.sink,
  };
}
