// `npm run payouts -- sync|report|list|schedule|demo` (scripts/lib/payouts/payouts-cli.ts).
import { processIo } from './lib/ops/cli-io.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { uiBaseUrl } from '../operations/web-ui.js';
import { runPayoutsCli } from './lib/payouts/payouts-cli.js';

runWithOpsClient(({ client, namespace }) =>
  runPayoutsCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo }),
);
