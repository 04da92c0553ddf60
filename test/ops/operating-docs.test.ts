// docs/operating.md is what an operator follows at 3 a.m.: its queries and links must be the ones
// the scripts use, and its `temporal` CLI commands must really resume a parked sync.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ParkReasonCode } from '../../mappings/sync-types.js';
import { repoRoot, temporalBinaries } from '../../shared/temporal-binaries.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { stuckQuery } from '../../operations/stuck-syncs.js';
import { DEFAULT_UI_URL, workflowListUrl } from '../../operations/web-ui.js';
import { connectTestEnv, eventually, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';
import { fakeNetSuite, startOrder, uniqueRefNo } from './support.js';

const doc = readFileSync(join(repoRoot, 'docs', 'operating.md'), 'utf8');
const EXAMPLE_ID = 'order/12345678';

/** Shell commands of the ```sh blocks, continuation lines joined. */
function shellCommands(): string[] {
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.replace(/\\\n\s*/g, '').split('\n'))
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Runs a documented command against the test server. Asynchronously: the worker serving the
 * workflow lives in this process, and `update execute` waits for it.
 */
async function runCli(
  command: string,
  substitutions: Array<[string, string]>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  let cmd = command.replace(/^temporal /, `'${temporalBinaries().cli}' `);
  for (const [from, to] of substitutions) cmd = cmd.split(from).join(to);
  try {
    const r = await promisify(execFile)('bash', ['-c', `${cmd} --address ${inject('temporalAddress')}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTestEnv();
  await workflowBundle();
});
afterAll(async () => {
  await env?.teardown();
});

describe('docs/operating.md', () => {
  it('gives the Web UI queries and links the scripts use', () => {
    const queries = [
      stuckQuery({ mode: 'parked' }),
      stuckQuery({ mode: 'parked', reason: 'UNMAPPED_PRODUCT' }),
      stuckQuery({ mode: 'parked', reason: 'RENEWAL_MISSED' }),
      stuckQuery({ mode: 'inProgress', olderThanMs: 3_600_000, now: new Date('2026-11-24T10:00:00Z') }),
    ];
    for (const q of queries) {
      expect(doc).toContain(`\`${q}\``);
      expect(doc).toContain(`<${workflowListUrl(DEFAULT_UI_URL, 'default', q)}>`);
    }
  });

  async function parkedOrder(reason: ParkReasonCode) {
    const refNo = uniqueRefNo();
    const ns = await fakeNetSuite(env.nativeConnection, {
      upsertSalesOrder: [{ reason, message: `parked for the docs test (${reason})` }],
    });
    const handle = await startOrder(env.client, ns.queues, orderEvent(refNo, 'COMPLETE'));
    await eventually(
      () => handle.query(orderStateQuery),
      (s) => s.syncStatus === 'NeedsAttention',
    );
    return { refNo, ns, handle };
  }

  it.each([
    [
      'update, retry',
      (c: string) => c.includes('update execute') && c.includes('"action":"retry"'),
      'step salesOrder retried by operator',
      'by alice',
    ],
    [
      'update, skip',
      (c: string) => c.includes('update execute') && c.includes('"action":"skip"'),
      'step salesOrder skipped by operator',
      'invoiced by hand by alice',
    ],
    [
      'signal, retry',
      (c: string) => c.startsWith('temporal workflow signal --workflow-id'),
      'step salesOrder retried by operator',
      'by alice',
    ],
  ])('its temporal CLI command (%s) resumes a parked order and is journaled', async (_name, pick, what, detail) => {
    const command = shellCommands().find(pick);
    expect(command, 'command missing from docs/operating.md').toBeDefined();
    const { refNo, ns, handle } = await parkedOrder('NETSUITE_USER_ERROR');
    try {
      const r = await runCli(command!, [[EXAMPLE_ID, `order/${refNo}`]]);
      expect(r.status, r.stderr).toBe(0);
      const s = await eventually(
        () => handle.query(orderStateQuery),
        (x) => x.syncStatus === 'Synced',
      );
      expect(s.journal).toContainEqual(expect.objectContaining({ what, detail }));
      await handle.terminate('test done');
    } finally {
      await ns.stop();
    }
  });

  it('its batch signal retries every order parked for a reason', async () => {
    const command = shellCommands().find((c) => c.startsWith('temporal workflow signal --query'));
    expect(command, 'batch command missing from docs/operating.md').toBeDefined();
    // The documented reason is UNMAPPED_PRODUCT; other tests on this shared server park orders for
    // that reason, so the batch here targets one no other test uses.
    const { ns, handle } = await parkedOrder('FX_RESIDUE');
    try {
      await eventually(
        async () => (await env.client.workflow.count(`ParkReason = 'FX_RESIDUE'`)).count,
        (n) => n === 1,
      );
      const r = await runCli(command!, [["ParkReason = 'UNMAPPED_PRODUCT'", "ParkReason = 'FX_RESIDUE'"]]);
      expect(r.status, r.stderr).toBe(0);
      const s = await eventually(
        () => handle.query(orderStateQuery),
        (x) => x.syncStatus === 'Synced',
        60_000,
      );
      expect(s.journal).toContainEqual(
        expect.objectContaining({ what: 'step salesOrder retried by operator', detail: 'by alice' }),
      );
      await handle.terminate('test done');
    } finally {
      await ns.stop();
    }
  });
});
