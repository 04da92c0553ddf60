// Every recorded history in test/replay-histories/ must replay against the current workflow code:
// a change that would break workflows already running in production fails here, before deploy.
// (Re-record with `npm run record-histories` after a deliberate, patched change.)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { repoRoot } from '../../shared/temporal-binaries.js';
import * as workflows from '../../workflows/index.js';
import { formatReplayReport, readHistoryFile, replayHistory, workflowTypeOf } from '../../scripts/lib/ops/replay-history.js';
import { workflowBundle } from '../support/temporal.js';
import { bundleChangedOrderWorkflow } from './changed-workflow.js';

const dir = join(repoRoot, 'test', 'replay-histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

let current: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  current = await workflowBundle();
});

describe('recorded histories', () => {
  it('exist for every exported workflow type', () => {
    expect(files.length, 'no histories: run `npm run record-histories`').toBeGreaterThan(0);
    const recorded = new Set(files.map((f) => workflowTypeOf(readHistoryFile(join(dir, f)))));
    const missing = Object.keys(workflows).filter((name) => !recorded.has(name));
    expect(missing, 'workflow types without a recorded history: add a scenario to scripts/lib/ops/history-scenarios.ts and run `npm run record-histories`').toEqual([]);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const report = await replayHistory(readHistoryFile(join(dir, file)), { code: { workflowBundle: current }, workflowId: file });
    expect(report.ok, formatReplayReport(report).join('\n')).toBe(true);
  });
});

describe('a workflow change that running workflows would not survive', () => {
  const history = () => readHistoryFile(join(dir, 'order-synced.json'));

  it('fails replay with a determinism error that names the event where the code diverged', async () => {
    const changed = await bundleChangedOrderWorkflow({ patchedChange: false });
    const report = await replayHistory(history(), { code: { workflowBundle: changed }, workflowId: 'order/70000001' });
    expect(report.ok).toBe(false);
    expect(report.problem?.kind).toBe('nondeterminism');
    expect(report.problem?.message).toMatch(/nondeterminism/i);
    // The recorded run did not schedule the new look-up: the first event after the point where
    // the changed code schedules it is where replay diverges.
    expect(report.problem?.eventId).toBeGreaterThan(0);
    expect(report.problem?.cause).toMatch(/TMPRL1100/);
    const text = formatReplayReport(report).join('\n');
    expect(text).toContain(`diverged at event ${report.problem?.eventId}`);
    expect(text).toContain('DeterminismViolationError');
  });

  it('replays once the same change is guarded by patched()', async () => {
    const patched = await bundleChangedOrderWorkflow({ patchedChange: true });
    for (const file of files.filter((f) => workflowTypeOf(readHistoryFile(join(dir, f))) === 'orderSyncWorkflow')) {
      const report = await replayHistory(readHistoryFile(join(dir, file)), { code: { workflowBundle: patched }, workflowId: file });
      expect(report.ok, `${file}: ${formatReplayReport(report).join('\n')}`).toBe(true);
    }
  });
});
