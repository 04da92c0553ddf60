// `npm run stuck`: which syncs need a person, why, and where to look (scripts/lib/ops/stuck-cli.ts).
import { runStuckCli } from './lib/ops/stuck-cli.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { processIo } from './lib/ops/cli-io.js';
import { uiBaseUrl } from '../operations/web-ui.js';

runWithOpsClient(({ client, namespace }) =>
  runStuckCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo }),
);
