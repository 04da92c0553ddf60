// Test helpers for workflow tests: connect to the run's dev server (test/global-setup.ts),
// bundle workflow code once per file, and give each test its own task queues.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowsPath } from '../../worker/create-workers.js';
import { startFakeWorkers } from '../../scripts/lib/ops/recording-activities.js';

export async function connectTestEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (webpack takes a few seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return bundle;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

export interface TestQueues {
  workflows: string;
  netsuite: string;
  netsuiteMoney: string;
  completeness: string;
}

export function uniqueQueues(): TestQueues {
  const id = randomUUID().slice(0, 8);
  return { workflows: `wf-${id}`, netsuite: `ns-${id}`, netsuiteMoney: `nsm-${id}`, completeness: `cq-${id}` };
}

export async function eventually<T>(fn: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

/**
 * Runs a test's workers on its queues while `fn` runs: the workflow worker (bundled code; on the
 * workflow queue `workflowActivities`, by default orders notify no subscription) and the NetSuite
 * activity workers of both lanes, serving `activities`.
 */
export async function withWorkers<T>(
  env: TestWorkflowEnvironment,
  q: TestQueues,
  activities: object,
  fn: () => Promise<T>,
  opts: { workflowActivities?: object } = {},
): Promise<T> {
  const workers = await startFakeWorkers({
    connection: env.nativeConnection,
    queues: q,
    workflowBundle: await workflowBundle(),
    activities,
    ...opts,
  });
  try {
    return await fn();
  } finally {
    await workers.stop();
  }
}
