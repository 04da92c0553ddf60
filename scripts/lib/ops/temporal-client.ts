// Entry point of the ops scripts that talk to Temporal (the client itself: operations/temporal-client.ts).
import { connectOpsClient, explainTemporalError, type OpsClient } from '../../../operations/temporal-client.js';
import { applyStackEnv } from '../../../shared/stack-state.js';
import { EXIT, errorMessage, processIo } from './cli-io.js';

export { connectOpsClient, explainTemporalError, type OpsClient };

/**
 * Entry point of an operator script that talks to Temporal: connects from the standard env, runs,
 * turns connection failures into a sentence an operator can act on, and exits with the code.
 */
export function runWithOpsClient(run: (ops: OpsClient) => Promise<number>): void {
  const main = async (): Promise<number> => {
    useStackEnv();
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

/**
 * Points this command at the stack `npm start` recorded (unless the environment says otherwise);
 * keeps a note of a stale stack file for the "cannot reach Temporal" message.
 */
export function useStackEnv(env: NodeJS.ProcessEnv = process.env): void {
  const applied = applyStackEnv(env);
  if (applied.problem) env.STACK_STATE_NOTE = applied.problem;
  else if (applied.filled.includes('TEMPORAL_ADDRESS')) env.STACK_STATE_NOTE = `address from ${applied.file}`;
}
