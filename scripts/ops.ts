// `npm run ops -- retry|skip|resync <ref> [--reason "…"] [--by "…"]` (scripts/lib/ops/ops-cli.ts).
// Human output on stdout/stderr; one JSON audit line per action on stderr.
import { createLogger } from '../shared/logger.js';
import { EXIT, errorMessage, processIo } from './lib/ops/cli-io.js';
import { runOpsCli } from './lib/ops/ops-cli.js';
import { connectOpsClient, explainTemporalError } from './lib/ops/temporal-client.js';
import { uiBaseUrl } from './lib/ops/web-ui.js';

async function main(): Promise<number> {
  const logger = createLogger({ name: 'ops', destination: process.stderr });
  const { client, namespace, address, close } = connectOpsClient();
  try {
    return await runOpsCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo, logger });
  } catch (err) {
    throw new Error(explainTemporalError(err, address));
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    processIo.err(errorMessage(err));
    process.exit(EXIT.failed);
  },
);
