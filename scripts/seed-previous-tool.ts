// `npm run seed-previous-tool -- [--orders 200] [--missing 20] [--different 10] [--from YYYY-MM-DD] [--days 2]`
// (with `npm start` running): fills the stack's sandboxes with orders "the previous tool" booked
// (sandbox/previous-tool.ts): 2Checkout's API sandbox lists every order, NetSuite's sandbox holds
// what a typical iPaaS template would have booked for them, some with small differences, some not at
// all. No webhook is sent. Then run shadow mode over those days and cut over (docs/cutover.md).
// Refuses to run against anything but the local sandboxes.
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { loadMappingConfig } from '../mappings/config-loader.js';
import { createNetSuiteClient } from '../netsuite/client.js';
import { DEMO_ENV } from '../sandbox/demo-env.js';
import { PREVIOUS_TOOL_MEMO, seedPreviousTool } from '../sandbox/previous-tool.js';
import { signedBody, type IpnOrderInput } from '../sandbox/twocheckout/sender.js';
import { DEFAULT_MAPPINGS_FILE, loadNetSuiteConfig } from '../shared/config.js';
import { readStackState } from '../shared/stack-state.js';
import { useStackEnv } from './lib/ops/temporal-client.js';

const USAGE =
  'usage: npm run seed-previous-tool -- [--orders 200] [--missing 20] [--different 10] [--from YYYY-MM-DD] [--days 2] [--ref-base 91000000]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  useStackEnv();
  const state = readStackState();
  const env = process.env;
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '200' },
      missing: { type: 'string', default: '20' },
      different: { type: 'string', default: '10' },
      from: { type: 'string' },
      days: { type: 'string', default: '2' },
      'ref-base': { type: 'string' },
    },
  });
  const int = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number, not ${JSON.stringify(v)}`);
    return n;
  };
  const orders = int('orders', values.orders);
  const missing = int('missing', values.missing);
  const different = int('different', values.different);
  const days = Math.max(1, int('days', values.days));
  if (missing + different > orders)
    fail(`--missing ${missing} + --different ${different} is more than --orders ${orders}`);
  const from = values.from ?? new Date(Date.now() - (days + 1) * 86_400_000).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) fail(`--from must be a day such as 2026-03-01, not ${JSON.stringify(from)}`);
  const refNoBase =
    values['ref-base'] !== undefined
      ? int('ref-base', values['ref-base'])
      : 90_000_000 + (Math.floor(Date.now() / 1000) % 9_000) * 1_000;

  if (!state?.netsuite.sandbox)
    fail(
      'no local NetSuite sandbox: start the stack with `npm start` (without NETSUITE_BASE_URL): the previous tool books into the sandbox only',
    );
  const apiSandbox = env.TWOCHECKOUT_API_SANDBOX_URL;
  if (!apiSandbox)
    fail('no 2Checkout API sandbox: `npm start` runs one unless TWOCHECKOUT_API_BASE_URL points elsewhere');
  const secretKey = env.TWOCHECKOUT_SECRET_KEY ?? DEMO_ENV.TWOCHECKOUT_SECRET_KEY;
  const netsuite = loadNetSuiteConfig(env);
  const ns = createNetSuiteClient({ baseUrl: netsuite.baseUrl, auth: netsuite.auth });
  const config = loadMappingConfig(env.MAPPINGS_FILE ?? DEFAULT_MAPPINGS_FILE);
  const record = async (input: IpnOrderInput) => {
    const res = await request(`${apiSandbox.replace(/\/+$/, '')}/__sandbox/ipn`, {
      method: 'POST',
      body: signedBody({ kind: 'ipn', input }, secretKey),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200)
      throw new Error(
        `the 2Checkout API sandbox did not record order ${input.refNo}: HTTP ${res.statusCode} ${text.slice(0, 200)}`,
      );
  };
  console.log(
    `Booking ${orders} orders sold ${from} (+${days - 1} days) as the previous tool: ${orders - missing} booked (${different} with a small difference), ${missing} missing…`,
  );
  const seeded = await seedPreviousTool({
    ns,
    config,
    plan: { orders, missing, different, from, days, refNoBase },
    record,
    concurrency: 4,
  });
  await ns.close?.();
  const to = new Date(Date.parse(from) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const count = (b: string) => seeded.filter((o) => o.booking === b).length;
  console.log(`Done: REFNOs ${refNoBase}..${refNoBase + orders - 1}, sold ${from} to ${to}.`);
  console.log(
    `  booked equal: ${count('equal')}, booked with a difference: ${count('different')}, not booked: ${count('missing')}`,
  );
  console.log(
    `  REFNO in otherRefNum: ${seeded.filter((o) => o.keyedBy === 'otherRefNum').length}, only in the memo "${PREVIOUS_TOOL_MEMO}": ${seeded.filter((o) => o.keyedBy === 'memo').length}`,
  );
  const adoption = config.adoption.match.some((m) => m.field === 'memo' && m.pattern === PREVIOUS_TOOL_MEMO);
  if (!adoption)
    console.log(
      `  Note: ${env.MAPPINGS_FILE ?? DEFAULT_MAPPINGS_FILE} has no adoption rule for the memo; add \`- field: memo\\n      pattern: "${PREVIOUS_TOOL_MEMO}"\` under adoption.match, or those orders look missing.`,
    );
  console.log('Next (docs/cutover.md): shadow mode over those days, then the cut-over:');
  console.log(`  SYNC_MODE=shadow npm start   # restart the stack in shadow mode, then:`);
  console.log(
    `  npm run reconcile -- --date ${from}   # (each day) hands every order to its sync, which judges it and writes nothing`,
  );
  console.log(`  npm run shadow-report -- --from ${from} --to ${to}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
