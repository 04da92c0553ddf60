// `npm run reconcile`: one day's completeness ledger, or the nightly Schedule (scripts/lib/completeness/reconcile-cli.ts).
import { runReconcileCli } from './lib/completeness/reconcile-cli.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { processIo } from './lib/ops/cli-io.js';
import { uiBaseUrl } from '../operations/web-ui.js';

runWithOpsClient(({ client, namespace }) =>
  runReconcileCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo }),
);
