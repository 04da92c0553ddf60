// `npm run sandbox`: the NetSuite sandbox as a process, for the demo, scripts and benchmarks.
// Credentials come from NETSUITE_* (falling back to the demo credentials), so a worker
// configured with the same environment talks to it unchanged. OAuth 2.0 client credentials are
// accepted too when NETSUITE_CLIENT_ID, NETSUITE_CERTIFICATE_ID and NETSUITE_CERTIFICATE_FILE (or
// NETSUITE_PUBLIC_KEY_FILE) are set.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_ENV } from '../demo-env.js';
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
    'transform-drops-external-id': { type: 'boolean' },
    'multi-subsidiary-customers': { type: 'boolean' },
    'transaction-external-id-fixed': { type: 'boolean' },
  },
});

const env = (name: keyof typeof DEMO_ENV): string => process.env[name] || DEMO_ENV[name];
const port = positiveNumber('NETSUITE_SANDBOX_PORT', process.env.NETSUITE_SANDBOX_PORT) ?? 8088;
const concurrency = positiveNumber('concurrency', values.concurrency);
const median = positiveNumber('latency-median', values['latency-median']);
const p99 = positiveNumber('latency-p99', values['latency-p99']);

function oauth2Options(): { clientId: string; certificateId: string; publicKeyPem: string } | undefined {
  const clientId = process.env.NETSUITE_CLIENT_ID;
  const certificateId = process.env.NETSUITE_CERTIFICATE_ID;
  const file = process.env.NETSUITE_CERTIFICATE_FILE || process.env.NETSUITE_PUBLIC_KEY_FILE;
  if (!clientId && !certificateId && !file) return undefined;
  if (!clientId || !certificateId || !file) {
    console.error(
      'OAuth 2.0 needs all of NETSUITE_CLIENT_ID, NETSUITE_CERTIFICATE_ID and NETSUITE_CERTIFICATE_FILE (cert.pem) or NETSUITE_PUBLIC_KEY_FILE',
    );
    process.exit(2);
  }
  try {
    return { clientId, certificateId, publicKeyPem: readFileSync(file, 'utf8') };
  } catch (e) {
    console.error(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    process.exit(2);
  }
}
const oauth2 = oauth2Options();

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
  transformKeepsExternalId: !values['transform-drops-external-id'],
  multiSubsidiaryCustomers: values['multi-subsidiary-customers'] ?? false,
  transactionExternalIdEditable: !values['transaction-external-id-fixed'],
  ...(oauth2 ? { oauth2 } : {}),
});

console.log(
  `NetSuite sandbox listening on ${sandbox.url} (account ${env('NETSUITE_ACCOUNT_ID')}; TBA${oauth2 ? `, OAuth 2.0 for client ${oauth2.clientId}` : ''})`,
);
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
