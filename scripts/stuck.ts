// `npm run stuck`: which syncs need a person, why, and where to look (scripts/lib/ops/stuck-cli.ts).
import { EXIT, errorMessage, processIo } from './lib/ops/cli-io.js';
import { runStuckCli } from './lib/ops/stuck-cli.js';
import { connectOpsClient, explainTemporalError } from './lib/ops/temporal-client.js';
import { uiBaseUrl } from './lib/ops/web-ui.js';

async function main(): Promise<number> {
  const { client, namespace, address, close } = connectOpsClient();
  try {
    return await runStuckCli(process.argv.slice(2), { client, namespace, uiBase: uiBaseUrl(), io: processIo });
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
