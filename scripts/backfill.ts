// `npm run backfill`: historical orders from 2Checkout's API into NetSuite (scripts/lib/completeness/backfill-cli.ts).
import { runBackfillCli } from './lib/completeness/backfill-cli.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { processIo } from './lib/ops/cli-io.js';
import { uiBaseUrl } from '../operations/web-ui.js';

runWithOpsClient(({ client, namespace }) => runBackfillCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo }));
