// `npm run ops -- retry|skip|resync <ref> [--reason "…"] [--by "…"]` (scripts/lib/ops/ops-cli.ts).
// Human output on stdout/stderr; one JSON audit line per action on stderr.
import { createLogger } from '../shared/logger.js';
import { processIo } from './lib/ops/cli-io.js';
import { runOpsCli } from './lib/ops/ops-cli.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { uiBaseUrl } from '../operations/web-ui.js';

runWithOpsClient(({ client, namespace }) => {
  const logger = createLogger({ name: 'ops', destination: process.stderr });
  return runOpsCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo, logger });
});
