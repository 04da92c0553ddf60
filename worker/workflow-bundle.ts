// The workflow code as one prebuilt bundle. Bundling (webpack over workflows/ and what it imports)
// takes seconds to tens of seconds on a busy machine; a worker that does it at every start leaves
// its task queues unpolled that long after each restart or deploy. Production builds the bundle once
// (`npm run build:workflows`, done in the Docker image) and points WORKFLOW_BUNDLE at it; `npm run
// worker` without it bundles from source, which is what development wants.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from './create-workers.js';

export const DEFAULT_WORKFLOW_BUNDLE = 'build/workflow-bundle.js';

/** Bundles the workflows and writes the code to `outFile`; returns its size in bytes. */
export async function writeWorkflowBundle(outFile: string): Promise<number> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    // Quiet: the bundler's own info lines are not the caller's business.
    logger: { trace() {}, debug() {}, info() {}, warn: (m) => console.warn(m), error: (m) => console.error(m), log() {} },
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return Buffer.byteLength(code);
}
