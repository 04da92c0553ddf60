// `npm run backfill`: historical orders from 2Checkout's API into NetSuite (scripts/lib/completeness/backfill-cli.ts).
import { runBackfillCli } from './lib/completeness/backfill-cli.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { processIo } from './lib/ops/cli-io.js';
import { uiBaseUrl } from '../operations/web-ui.js';

import { loadMappingConfig } from '../mappings/config-loader.js';
import { DEFAULT_MAPPINGS_FILE } from '../shared/config.js';

/** cutover.at of the mapping file the worker reads (MAPPINGS_FILE); none when it does not load (the worker reports that). */
function cutoverAt(): string | undefined {
  try {
    return loadMappingConfig(process.env.MAPPINGS_FILE ?? DEFAULT_MAPPINGS_FILE).cutover.at;
  } catch {
    return undefined;
  }
}

runWithOpsClient(({ client, namespace }) =>
  runBackfillCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo, cutoverAt }),
);
