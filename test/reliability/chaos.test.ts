// The short chaos run in `npm test`: 120 orders (CHAOS_CI_ORDERS; with cash sales, subscription
// renewals, chargebacks and voids) with a fixed seed through the whole product as separate processes, with NetSuite faults at the default rates, workers SIGKILLed and
// restarted, one Temporal and one gateway restart. The run must lose nothing, duplicate nothing,
// get every total right, park nothing and leave nothing in progress; a killed worker's activities
// must run again within the heartbeat timeout plus retry backoff (with the old 5-minute
// start-to-close timeout and no heartbeat they waited five minutes). The long run is
// `npm run chaos -- --orders 2000` (docs/reliability.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../shared/temporal-binaries.js';
import type { ChaosResult } from '../../scripts/lib/chaos/run-chaos.js';

// About a minute and a half on a quiet 2-core machine; several minutes when other suites share it.
const orders = Number(process.env.CHAOS_CI_ORDERS ?? 120);
const out = mkdtempSync(join(tmpdir(), 'chaos-ci-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runChaos(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/chaos.ts', ...args],
      { cwd: repoRoot, timeout: 560_000, killSignal: 'SIGTERM', maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) => {
        resolve({ code: child.exitCode ?? (err ? 1 : 0), output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('chaos run (short)', () => {
  it('loses, duplicates and mis-totals nothing while workers, Temporal and the gateway are killed and restarted', async () => {
    const { output } = await runChaos([
      '--orders',
      String(orders),
      '--baseline',
      '0',
      '--seed',
      '14',
      '--kill-every',
      '8',
      '--temporal-restart',
      '20',
      '--gateway-restart',
      '10',
      '--duration',
      '480',
      '--out',
      out,
    ]);
    const file = readdirSync(out).find((f) => f.endsWith('.json'));
    expect(file, `no result written; output:\n${output.slice(-3000)}`).toBeDefined();
    const r = JSON.parse(readFileSync(join(out, file!), 'utf8')) as ChaosResult;
    const summary = output
      .split('\n')
      .filter((l) => /^(chaos|under chaos|faults|kills|recovery|settled|ledger|workflows|verdict| {2}!)/.test(l))
      .join('\n');
    console.log(summary);

    expect(r.chaos.timedOut, summary).toBe(false);
    // The ledger was read only after every held request had landed and every workflow had settled.
    expect(r.settled.ok, summary).toBe(true);
    expect(r.ledger.subscriptions.found).toBe(r.ledger.subscriptions.expected);
    expect(r.ledger, summary).toMatchObject({ lost: 0, duplicated: 0, wrongTotals: 0 });
    expect(r.ledger.refunds.found).toBe(r.ledger.refunds.expected);
    expect(r.ledger.customers.found).toBe(r.ledger.customers.shoppers);
    expect({ parked: r.parked, inProgress: r.inProgress }).toEqual({ parked: 0, inProgress: 0 });
    // The chaos happened: faults of every kind, kills, one restart of Temporal and of the gateway.
    for (const n of Object.values(r.faults.byKind)) expect(n).toBeGreaterThan(0);
    expect(r.recovery.workerKills + r.recovery.gracefulStops).toBeGreaterThanOrEqual(2);
    expect(r.recovery.temporalRestarts).toBe(1);
    expect(r.recovery.gatewayRestarts).toBe(1);
    // Recovery: heartbeat timeout (20 s) plus a retry backoff, not the 5-minute start-to-close.
    if (r.recovery.killToRetryMs.count > 0) expect(r.recovery.killToRetryMs.max, summary).toBeLessThan(90_000);
    expect(r.passed, summary).toBe(true);
  }, 600_000);
});
