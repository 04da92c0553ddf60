// Sends a named 2Checkout scenario to a webhook URL, like 2Checkout would, and checks each receipt.
//
//   tsx sandbox/twocheckout/cli.ts --url http://127.0.0.1:8080/webhooks/2checkout/ipn --scenario new-order --refno 123
//   tsx sandbox/twocheckout/cli.ts --list
//
// IPNs go to --url; LCNs go to --lcn-url (default: --url with /ipn replaced by /lcn).
// The secret is TWOCHECKOUT_SECRET_KEY, else the demo key the embedded stack uses.
import { parseArgs } from 'node:util';
import { DEMO_ENV } from '../demo-env.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../../twocheckout/webhooks/signature.js';
import { SCENARIOS } from './named-scenarios.js';
import { sendNotification, signedBody } from './sender.js';

const USAGE = `usage: tsx sandbox/twocheckout/cli.ts --url URL --scenario NAME [--refno N] [--license REF]
                 [--lcn-url URL] [--algorithms sha256,sha3-256] [--test] [--dry-run]
       tsx sandbox/twocheckout/cli.ts --list`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseAlgorithms(text: string): SignatureAlgorithm[] {
  const list = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const a of list) {
    if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(a)) {
      fail(`--algorithms: unknown algorithm ${JSON.stringify(a)}; use ${SIGNATURE_ALGORITHMS.join(', ')}`);
    }
  }
  return list as SignatureAlgorithm[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'lcn-url': { type: 'string' },
      scenario: { type: 'string' },
      refno: { type: 'string' },
      license: { type: 'string' },
      algorithms: { type: 'string', default: 'sha256,sha3-256' },
      test: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });

  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.list) {
    for (const [name, s] of Object.entries(SCENARIOS)) process.stdout.write(`${name.padEnd(28)} ${s.description}\n`);
    return;
  }
  const scenario = values.scenario ? SCENARIOS[values.scenario] : undefined;
  if (!values.scenario) fail('--scenario is required (see --list)');
  if (!scenario)
    fail(`unknown scenario ${JSON.stringify(values.scenario)}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  if (!values.url && !values['dry-run']) fail('--url is required (or --dry-run to print the bodies)');

  const secretKey = process.env.TWOCHECKOUT_SECRET_KEY || DEMO_ENV.TWOCHECKOUT_SECRET_KEY;
  const algorithms = parseAlgorithms(values.algorithms);
  const refNo = values.refno ?? String(Date.now()).slice(-9);
  const ipnUrl = values.url ?? '';
  const lcnUrl = values['lcn-url'] ?? ipnUrl.replace(/\/ipn(\/?)$/, '/lcn$1');
  const notifications = scenario.build({ refNo, licenseRef: values.license, test: values.test });

  let failures = 0;
  for (const [i, n] of notifications.entries()) {
    const label =
      n.kind === 'ipn'
        ? `IPN ${n.input.refNo} ${n.input.status}`
        : `LCN ${n.input.licenseCode} ${n.input.dispatchReason}`;
    if (values['dry-run']) {
      process.stdout.write(`# ${i + 1}/${notifications.length} ${label}\n${signedBody(n, secretKey, algorithms)}\n`);
      continue;
    }
    const url = n.kind === 'ipn' ? ipnUrl : lcnUrl;
    const result = await sendNotification(url, n, { secretKey, algorithms });
    const verdict = result.receiptValid ? `receipt OK (${result.algorithm})` : `NOT DELIVERED: ${result.reason}`;
    process.stdout.write(`${i + 1}/${notifications.length} ${label} → HTTP ${result.status}, ${verdict}\n`);
    if (!result.receiptValid) {
      failures++;
      process.stdout.write(`   response: ${result.body.slice(0, 500)}\n`);
    }
  }
  if (failures > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
