// `npm run shadow-report`: what shadow mode saw, per day and currency (scripts/lib/shadow/shadow-report-cli.ts).
import { runShadowReportCli } from './lib/shadow/shadow-report-cli.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { processIo } from './lib/ops/cli-io.js';
import { uiBaseUrl } from '../operations/web-ui.js';

runWithOpsClient(({ client, namespace }) =>
  runShadowReportCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo }),
);
