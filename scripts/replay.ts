// `npm run replay`: replays a workflow's history (from Temporal, or a JSON export) against the
// workflow code in this checkout (scripts/lib/ops/replay-cli.ts).
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { dataConverterFromEnv } from '../shared/payload-codec.js';
import { workflowsPath } from '../worker/create-workers.js';
import { EXIT, errorMessage, processIo } from './lib/ops/cli-io.js';
import { runReplayCli } from './lib/ops/replay-cli.js';
import { connectOpsClient, explainTemporalError, useStackEnv, type OpsClient } from './lib/ops/temporal-client.js';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

async function main(): Promise<number> {
  useStackEnv();
  // The replay worker's own logs would repeat what the report says.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    // Core's own warnings (e.g. "Failing workflow task … Nondeterminism") would repeat the report.
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
    shutdownSignals: [],
  });
  let ops: OpsClient | undefined;
  const dataConverter = dataConverterFromEnv();
  try {
    return await runReplayCli(process.argv.slice(2), {
      io: processIo,
      code: async () => ({ workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }) }),
      client: () => (ops ??= connectOpsClient()).client,
      ...(dataConverter ? { dataConverter } : {}),
    });
  } catch (err) {
    throw new Error(ops ? explainTemporalError(err, ops.address) : errorMessage(err));
  } finally {
    await ops?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    processIo.err(errorMessage(err));
    process.exit(EXIT.failed);
  },
);
