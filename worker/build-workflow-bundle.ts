// `npm run build:workflows [-- <file>]`: writes the prebuilt workflow bundle (default
// build/workflow-bundle.js) that WORKFLOW_BUNDLE points workers at.
import { resolve } from 'node:path';
import { DEFAULT_WORKFLOW_BUNDLE, writeWorkflowBundle } from './workflow-bundle.js';

const out = resolve(process.argv[2] ?? DEFAULT_WORKFLOW_BUNDLE);
writeWorkflowBundle(out).then(
  (bytes) =>
    console.log(`workflow bundle: ${out} (${Math.round(bytes / 1024)} KiB); set WORKFLOW_BUNDLE=${out} for the worker`),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
