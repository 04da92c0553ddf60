// `npm run sandbox`: the NetSuite sandbox as a process, for the demo, scripts and benchmarks.
// Credentials come from NETSUITE_* (falling back to the demo credentials), so a worker
// configured with the same environment talks to it unchanged.
import { parseArgs } from 'node:util';
import { DEMO_ENV } from '../../shared/config.js';
import { startNetSuiteSandbox } from './server.js';

function positiveNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string' },
    'latency-median': { type: 'string' },
    'latency-p99': { type: 'string' },
    data: { type: 'string' },
  },
});

const env = (name: keyof typeof DEMO_ENV): string => process.env[name] || DEMO_ENV[name];
const port = positiveNumber('NETSUITE_SANDBOX_PORT', process.env.NETSUITE_SANDBOX_PORT) ?? 8088;
const concurrency = positiveNumber('concurrency', values.concurrency);
const median = positiveNumber('latency-median', values['latency-median']);
const p99 = positiveNumber('latency-p99', values['latency-p99']);

const sandbox = await startNetSuiteSandbox({
  port,
  credentials: {
    accountId: env('NETSUITE_ACCOUNT_ID'),
    consumerKey: env('NETSUITE_CONSUMER_KEY'),
    consumerSecret: env('NETSUITE_CONSUMER_SECRET'),
    tokenId: env('NETSUITE_TOKEN_ID'),
    tokenSecret: env('NETSUITE_TOKEN_SECRET'),
  },
  concurrencyLimit: concurrency === undefined ? undefined : Math.max(1, Math.floor(concurrency)),
  latency: median === undefined ? undefined : { medianMs: median, p99Ms: Math.max(median, p99 ?? median * 4) },
  persistPath: values.data,
});

console.log(`NetSuite sandbox listening on ${sandbox.url} (account ${env('NETSUITE_ACCOUNT_ID')})`);
console.log(`  NETSUITE_BASE_URL=${sandbox.url}   admin: ${sandbox.url}/__sandbox/stats`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the NetSuite sandbox`);
  await sandbox.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
