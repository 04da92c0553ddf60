// `npm run chaos -- [flags]`: what to run, validated once. Defaults are the documented chaos run:
// about 17 % of NetSuite requests faulted, a worker SIGKILLed every ~20 s, one Temporal and one
// gateway restart.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from '../bench/options.js';
import type { FaultRates } from './fault-proxy.js';

export const CHAOS_USAGE = `npm run chaos -- [flags]

  --orders N            orders in the chaos burst                                 (default 300)
  --baseline N          orders sent first without faults, for the fault-free rate (default min(orders, 200); 0 = skip)
  --seed S              seed of orders, faults and kill times (same seed, same run) (default 1)
  --duration S          give up on the chaos phase after S seconds   (default the larger of 1200 and 1 s per order)
  --kill-every S        SIGKILL a worker about every S seconds (±50 %), restart it (default 20; 0 = never)
  --temporal-restart S  kill and restart the Temporal server S s into the chaos    (default 30; 0 = never)
  --gateway-restart S   kill and restart the gateway S s into the chaos            (default 15; 0 = never)
  --workers N           worker processes                                           (default 2)
  --rate-5xx F          share of NetSuite requests answered 500 before the write   (default 0.04)
  --rate-lost F         share written, then answered 502 (response lost)           (default 0.04)
  --rate-429 F          share answered 429 CONCURRENCY_LIMIT_EXCEEDED at random    (default 0.05;
                        0 with --fault-mode governance)
  --fault-mode M        random: 429s drawn at --rate-429, whatever the load (what makes the
                        limiter sit at its floor); governance: no random 429s, the account's
                        own concurrency limit drops to --governance-limit for --governance-for
                        seconds every --governance-every seconds (another integration taking
                        its share), and 429s come from going over it, as on NetSuite (default random)
  --governance-limit C  the account's limit during a window          (default half of --limit)
  --governance-every S  a window starts every S seconds of the chaos (default 60)
  --governance-for S    how long a window lasts                      (default 20)
  --rate-hang F         share held past the client timeout, then written           (default 0.01)
  --rate-drop F         share whose connection is dropped (before or after write)  (default 0.03)
  --hang-ms MS          how long a hung request is held                            (default 20000)
  --netsuite-timeout MS NETSUITE_TIMEOUT_MS of the workers                         (default 15000)
  --limit C             NetSuite account concurrency limit (sandbox)               (default 8)
  --latency MS          NetSuite median latency per call                           (default 30)
  --transform-drops-external-id
                        the sandbox drops the externalId of a transform body (the other way NetSuite
                        may behave; unconfirmed): the sync must still write everything exactly once
  --log-level L         log level of the processes                                 (default warn)
  --out DIR             where the JSON result and logs go                          (default chaos-results)
`;

const share = z.coerce.number().min(0).max(1);
const nonNegativeInt = z.coerce.number().int().min(0);
const positiveInt = z.coerce.number().int().min(1);

const schema = z
  .object({
    orders: positiveInt.default(300),
    baseline: nonNegativeInt.optional(),
    seed: nonNegativeInt.default(1),
    duration: positiveInt.optional(),
    'kill-every': z.coerce.number().min(0).default(20),
    'temporal-restart': z.coerce.number().min(0).default(30),
    'gateway-restart': z.coerce.number().min(0).default(15),
    workers: positiveInt.default(2),
    'rate-5xx': share.default(0.04),
    'rate-lost': share.default(0.04),
    'rate-429': share.default(0.05),
    'rate-hang': share.default(0.01),
    'rate-drop': share.default(0.03),
    'hang-ms': positiveInt.default(20_000),
    'netsuite-timeout': positiveInt.default(15_000),
    limit: positiveInt.default(8),
    latency: nonNegativeInt.default(30),
    'fault-mode': z.enum(['random', 'governance']).default('random'),
    'governance-limit': positiveInt.optional(),
    'governance-every': positiveInt.default(60),
    'governance-for': positiveInt.default(20),
    'log-level': z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('warn'),
    out: z.string().default('chaos-results'),
  })
  .refine((o) => o['rate-5xx'] + o['rate-lost'] + o['rate-429'] + o['rate-hang'] + o['rate-drop'] <= 1, {
    message: 'the fault rates add up to more than 1',
    path: ['rate-5xx'],
  })
  .refine((o) => o['governance-limit'] === undefined || o['governance-limit'] < o.limit, {
    message: 'must be below --limit (the window lowers the account limit)',
    path: ['governance-limit'],
  })
  .refine((o) => o['governance-for'] < o['governance-every'], {
    message: 'must be shorter than --governance-every',
    path: ['governance-for'],
  });

export interface ChaosOptions {
  orders: number;
  baseline: number;
  seed: number;
  durationS: number;
  killEveryS: number;
  temporalRestartS: number;
  gatewayRestartS: number;
  workers: number;
  rates: FaultRates;
  hangMs: number;
  netsuiteTimeoutMs: number;
  limit: number;
  latencyMs: number;
  /** The sandbox drops the externalId of a `!transform` body. */
  transformDropsExternalId: boolean;
  /** Where 429s come from: drawn at random, or the account's own limit lowered during windows. */
  faultMode: 'random' | 'governance';
  /** governance: the account limit during a window, how often a window starts and how long it lasts. */
  governance: { limit: number; everyS: number; forS: number };
  /** NETSUITE_LATE_WRITE_HORIZON_MS of the workers: the longest a held request can take to land (hang + margin). */
  lateWriteHorizonMs: number;
  logLevel: string;
  outDir: string;
}

export function parseChaosOptions(argv: string[]): ChaosOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(Object.keys(schema.shape).map((k) => [k, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
        'transform-drops-external-id': { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${CHAOS_USAGE}`);
  }
  if (values.help) return 'help';
  const { 'transform-drops-external-id': drops, ...rest } = values;
  const parsed = schema.safeParse(rest);
  if (!parsed.success)
    throw new UsageError(
      `${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n\n${CHAOS_USAGE}`,
    );
  const o = parsed.data;
  return {
    orders: o.orders,
    baseline: o.baseline ?? Math.min(o.orders, 200),
    seed: o.seed,
    // A bound, not a target: 2,000 orders under chaos on two cores take longer than 20 minutes.
    durationS: o.duration ?? Math.max(1200, o.orders),
    killEveryS: o['kill-every'],
    temporalRestartS: o['temporal-restart'],
    gatewayRestartS: o['gateway-restart'],
    workers: o.workers,
    // In governance mode 429s come from the account's limit, never at random.
    rates: {
      error5xxBeforeCommit: o['rate-5xx'],
      commitThen5xx: o['rate-lost'],
      status429: o['fault-mode'] === 'governance' ? 0 : o['rate-429'],
      hang: o['rate-hang'],
      drop: o['rate-drop'],
    },
    faultMode: o['fault-mode'],
    governance: {
      limit: o['governance-limit'] ?? Math.max(1, Math.ceil(o.limit / 2)),
      everyS: o['governance-every'],
      forS: o['governance-for'],
    },
    hangMs: o['hang-ms'],
    netsuiteTimeoutMs: o['netsuite-timeout'],
    limit: o.limit,
    latencyMs: o.latency,
    transformDropsExternalId: drops === true,
    // A held request lands after hang-ms (plus the sandbox's latency): the horizon stands for NetSuite's 15 minutes.
    lateWriteHorizonMs: o['hang-ms'] + 10_000,
    logLevel: o['log-level'],
    outDir: o.out,
  };
}
