// Every recorded history in test/replay-histories/ must replay against the current workflow code:
// a change that would break workflows already running in production fails here, before deploy.
// Each patched() path of the workflows is in at least one history, so a change to it fails too.
// (Record new histories with `npm run record-histories -- --only <scenario>`; never re-record old ones.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import * as workflows from '../../workflows/index.js';
import {
  formatReplayReport,
  readHistoryFile,
  replayHistory,
  workflowTypeOf,
} from '../../scripts/lib/ops/replay-history.js';
import { workflowBundle } from '../support/temporal.js';
import { bundleChangedOrderWorkflow } from './changed-workflow.js';

const dir = join(repoRoot, 'test', 'replay-histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** The patch ids the workflow code passes to patched() / deprecatePatch(), literally or through a constant of its file. */
function patchIdsInWorkflows(): Map<string, string> {
  const ids = new Map<string, string>();
  const wfDir = join(repoRoot, 'workflows');
  for (const file of readdirSync(wfDir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(wfDir, file), 'utf8');
    for (const [, arg] of source.matchAll(/\b(?:patched|deprecatePatch)\(\s*([^)]+?)\s*\)/g)) {
      const literal = /^['"`]([^'"`]+)['"`]$/.exec(arg!)?.[1];
      const member = /^(\w+)\.(\w+)$/.exec(arg!);
      // patched(PATCHES.name) with `const PATCHES = { name: 'id', … }` in the same file.
      const fromObject = member
        ? new RegExp(`\\bconst ${member[1]}\\b[^=]*= \\{[^}]*?\\b${member[2]}: ['"]([^'"]+)['"]`).exec(source)?.[1]
        : undefined;
      const id = literal ?? fromObject ?? new RegExp(`\\bconst ${arg} = ['"]([^'"]+)['"]`).exec(source)?.[1];
      if (!id) throw new Error(`workflows/${file}: cannot read the patch id of patched(${arg})`);
      ids.set(id, `workflows/${file}`);
    }
  }
  return ids;
}

/** The patch ids whose markers a history carries. */
function patchIdsOf(history: History): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    return (marker.details?.['patch-data']?.payloads ?? []).map(
      (p) => defaultPayloadConverter.fromPayload<{ id: string }>(p).id,
    );
  });
}

let current: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  current = await workflowBundle();
});

describe('recorded histories', () => {
  it('exist for every exported workflow type', () => {
    expect(files.length, 'no histories: run `npm run record-histories`').toBeGreaterThan(0);
    const recorded = new Set(files.map((f) => workflowTypeOf(readHistoryFile(join(dir, f)))));
    const missing = Object.keys(workflows).filter((name) => !recorded.has(name));
    expect(
      missing,
      'workflow types without a recorded history: add a scenario to scripts/lib/ops/history-scenarios.ts and run `npm run record-histories`',
    ).toEqual([]);
  });

  it('take every patched() path of the workflows, so a change to one fails replay', () => {
    const ids = patchIdsInWorkflows();
    expect(ids.size, 'no patched() found in workflows/: is the scan still right?').toBeGreaterThan(0);
    const recorded = new Set(files.flatMap((f) => patchIdsOf(readHistoryFile(join(dir, f)))));
    const missing = [...ids].filter(([id]) => !recorded.has(id)).map(([id, file]) => `${id} (${file})`);
    expect(
      missing,
      'patch ids no recorded history carries: add a scenario that takes the path to scripts/lib/ops/history-scenarios.ts and record it alone (npm run record-histories -- --only <name>)',
    ).toEqual([]);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const report = await replayHistory(readHistoryFile(join(dir, file)), {
      code: { workflowBundle: current },
      workflowId: file,
    });
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
      const report = await replayHistory(readHistoryFile(join(dir, file)), {
        code: { workflowBundle: patched },
        workflowId: file,
      });
      expect(report.ok, `${file}: ${formatReplayReport(report).join('\n')}`).toBe(true);
    }
  });
});
