// The workflow code as one prebuilt bundle. Bundling (webpack over workflows/ and what it imports)
// takes seconds to tens of seconds on a busy machine; a worker that does it at every start leaves
// its task queues unpolled that long after each restart or deploy. Production builds the bundle once
// (`npm run build:workflows`, done in the Docker image) and points WORKFLOW_BUNDLE at it; `npm run
// worker` without it bundles from source, which is what development wants.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { otelWorkflowInterceptorsPath, workflowsPath } from './create-workers.js';

export const DEFAULT_WORKFLOW_BUNDLE = 'build/workflow-bundle.js';

/** The bundle with the OpenTelemetry workflow interceptors, written beside the plain one; a traced worker uses it. */
export const tracedBundlePath = (bundle: string): string => bundle.replace(/(\.js)?$/, '.traced.js');

/**
 * Bundles the workflows and writes the code to `outFile`, and the same with the OpenTelemetry
 * workflow interceptors to tracedBundlePath(outFile) (tracing off costs nothing in the workflows);
 * returns the plain bundle's size in bytes.
 */
export async function writeWorkflowBundle(outFile: string): Promise<number> {
  // Quiet: the bundler's own info lines are not the caller's business.
  const logger = {
    trace() {},
    debug() {},
    info() {},
    warn: (m: string) => console.warn(m),
    error: (m: string) => console.error(m),
    log() {},
  };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger });
  const traced = await bundleWorkflowCode({
    workflowsPath,
    logger,
    workflowInterceptorModules: [otelWorkflowInterceptorsPath],
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  writeFileSync(tracedBundlePath(outFile), traced.code);
  return Buffer.byteLength(code);
}
