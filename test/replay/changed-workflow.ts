// A deliberately changed copy of the order workflow, as a careless deploy would ship it: a new
// NetSuite look-up before everything else. Without patched() old histories no longer replay; with
// patched() they do. Written into .artifacts/ (git-ignored, inside the repo so node_modules resolve)
// and bundled like the real workflows.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { repoRoot } from '../../shared/temporal-binaries.js';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

export async function bundleChangedOrderWorkflow(opts: {
  patchedChange: boolean;
}): Promise<WorkflowBundleWithSourceMap> {
  const dir = join(repoRoot, '.artifacts', 'replay-changed-workflows', randomUUID().slice(0, 8));
  mkdirSync(dir, { recursive: true });
  const orderSync = JSON.stringify(join(repoRoot, 'workflows', 'order-sync.js'));
  const contract = JSON.stringify(join(repoRoot, 'workflows', 'activity-contract.js'));
  const lookUp = 'await lookUp.findOrderRecords({ refNo: input.refNo });';
  const source = `
import { patched, proxyActivities } from '@temporalio/workflow';
import type { OrderActivities } from ${contract};
import { orderSyncWorkflow as current, type OrderWorkflowInput } from ${orderSync};

const lookUp = proxyActivities<OrderActivities>({ startToCloseTimeout: '1 minute' });

export async function orderSyncWorkflow(input: OrderWorkflowInput) {
  ${opts.patchedChange ? `if (patched('look-up-before-sync')) ${lookUp}` : lookUp}
  return current(input);
}
`;
  const workflowsPath = join(dir, 'index.ts');
  writeFileSync(workflowsPath, source);
  try {
    return await bundleWorkflowCode({ workflowsPath, logger: quiet });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
