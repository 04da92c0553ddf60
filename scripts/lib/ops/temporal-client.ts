// Entry point of the ops scripts that talk to Temporal (the client itself: operations/temporal-client.ts).
import { connectOpsClient, explainTemporalError, type OpsClient } from '../../../operations/temporal-client.js';
import { EXIT, errorMessage, processIo } from './cli-io.js';

export { connectOpsClient, explainTemporalError, type OpsClient };

/**
 * Entry point of an operator script that talks to Temporal: connects from the standard env, runs,
 * turns connection failures into a sentence an operator can act on, and exits with the code.
 */
export function runWithOpsClient(run: (ops: OpsClient) => Promise<number>): void {
  const main = async (): Promise<number> => {
    const ops = connectOpsClient();
    try {
      return await run(ops);
    } catch (err) {
      throw new Error(explainTemporalError(err, ops.address));
    } finally {
      await ops.close();
    }
  };
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      processIo.err(errorMessage(err));
      process.exit(EXIT.failed);
    },
  );
}
