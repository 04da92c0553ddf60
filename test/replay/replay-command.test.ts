// `npm run replay`: its core (runReplayCli) on histories from files and from Temporal, against the
// current code and against a deliberately changed workflow; and the real script on a good and a
// tampered JSON export.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { EXIT } from '../../scripts/lib/ops/cli-io.js';
import { runReplayCli } from '../../scripts/lib/ops/replay-cli.js';
import type { WorkflowCode } from '../../scripts/lib/ops/replay-history.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { connectTestEnv, eventually, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';
import { captureIo, fakeNetSuite, startOrder, uniqueRefNo } from '../ops/support.js';
import { bundleChangedOrderWorkflow } from './changed-workflow.js';

const histories = join(repoRoot, 'test', 'replay-histories');
const synced = join(histories, 'order-synced.json');

let env: TestWorkflowEnvironment;
let current: WorkflowBundleWithSourceMap;
let changed: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  env = await connectTestEnv();
  current = await workflowBundle();
  changed = await bundleChangedOrderWorkflow({ patchedChange: false });
});
afterAll(async () => {
  await env?.teardown();
});

async function replay(argv: string[], code: WorkflowBundleWithSourceMap) {
  const io = captureIo();
  const workflowCode: WorkflowCode = { workflowBundle: code };
  const exit = await runReplayCli(argv, { io, code: async () => workflowCode, client: () => env.client });
  return { exit, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('replay command', () => {
  it('passes a recorded JSON history against the current code', async () => {
    const r = await replay(['--file', synced], current);
    expect(r.exit).toBe(EXIT.ok);
    expect(r.out).toMatch(
      /^OK {2}order-synced \(orderSyncWorkflow, \d+ events\) replays against the current workflow code\./,
    );
  });

  it('reports the determinism error and the event where a changed workflow diverges', async () => {
    const r = await replay(['--file', synced], changed);
    expect(r.exit).toBe(EXIT.found);
    expect(r.err).toContain('NONDETERMINISTIC  order-synced (orderSyncWorkflow');
    expect(r.err).toMatch(/diverged at event \d+ \([A-Z_]+\)/);
    expect(r.err).toMatch(/cause: \[TMPRL1100\] Nondeterminism error: .*HistoryEvent\(id: \d+/);
    expect(r.err).toContain('DeterminismViolationError: Replay failed with a nondeterminism error.');
    expect(r.err).toContain('patched()');
  });

  it('fetches a finished workflow’s history from Temporal by workflow id and replays it', async () => {
    const refNo = uniqueRefNo();
    const ns = await fakeNetSuite(env.nativeConnection);
    try {
      const handle = await startOrder(env.client, ns.queues, orderEvent(refNo, 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced',
      );
      await handle.terminate('recorded enough');
    } finally {
      await ns.stop();
    }
    const good = await replay([`order/${refNo}`], current);
    expect(good.exit).toBe(EXIT.ok);
    expect(good.out).toContain(`OK  order/${refNo} (orderSyncWorkflow`);
    const bad = await replay([`order/${refNo}`], changed);
    expect(bad.exit).toBe(EXIT.found);
    expect(bad.err).toContain(`NONDETERMINISTIC  order/${refNo}`);
    // The pre-deploy check: every workflow a List Filter query returns.
    const listed = await eventually(
      () => replay(['--query', `WorkflowId = 'order/${refNo}'`], current),
      (r) => r.exit === EXIT.ok,
    );
    expect(listed.out).toContain(`OK  order/${refNo} (orderSyncWorkflow`);
    expect((await replay(['--query', `WorkflowId = 'order/${refNo}'`], changed)).exit).toBe(EXIT.found);
  });

  it('replays a whole folder and says how many pass; explains what it cannot load', async () => {
    const all = await replay(['--dir', histories], current);
    expect(all.exit).toBe(EXIT.ok);
    expect(all.out).toMatch(/(\d+) of \1 histories replay\./);

    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    writeFileSync(join(dir, 'not-a-history.json'), '{"hello": 1}');
    const broken = await replay(['--file', join(dir, 'not-a-history.json')], current);
    expect(broken.exit).toBe(EXIT.failed);
    expect(broken.err).toMatch(/has no "events" array/);
    expect((await replay([], current)).exit).toBe(EXIT.usage);
    expect((await replay(['order/1', '--file', synced], current)).err).toMatch(/not both/);
  });
});

describe('npm run replay (the script)', () => {
  const run = (file: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'replay.ts'), '--file', file], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('exits 0 on a good export and 3 with the divergence on one whose activities were reordered', () => {
    const good = run(synced);
    expect(good.stdout).toContain('OK  order-synced');
    expect(good.status).toBe(EXIT.ok);

    // The same run, but the history says the first NetSuite step was the sales order: the code
    // (customer first) no longer matches it.
    const tampered = readFileSync(synced, 'utf8').replace('"name": "syncCustomer"', '"name": "upsertSalesOrder"');
    const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'order-reordered.json');
    writeFileSync(file, tampered);
    const bad = run(file);
    expect(bad.status).toBe(EXIT.found);
    expect(bad.stderr).toContain('NONDETERMINISTIC  order-reordered');
    expect(bad.stderr).toMatch(/diverged at event \d+|cause: .*Nondeterminism/);
  });
});
