// Backfill end to end: a few hundred historical orders (no webhook ever sent) over several pages
// and two days, interrupted mid-run and resumed: each order is posted exactly once, orders already
// synced by webhook are left alone, and a dry run writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalIds } from '../../mappings/ids.js';
import { cardOrder, eurOrder } from '../../sandbox/twocheckout/scenarios.js';
import { backfillProgressQuery } from '../../workflows/backfill.js';
import { eventually } from '../support/temporal.js';
import { salesOrderCount, startCompletenessStack, type CompletenessStack } from '../support/completeness.js';

const ORDERS_PER_DAY = 100;
const DAYS = ['2025-10-01', '2025-10-02'];
const refNoOf = (d: number, i: number) => String(8900000 + d * 1000 + i);

let s: CompletenessStack;
beforeAll(async () => {
  s = await startCompletenessStack({ pageLimit: 30, workerConcurrency: 5, concurrencyLimit: 5 });
  for (const [d, day] of DAYS.entries()) {
    for (let i = 0; i < ORDERS_PER_DAY; i++) {
      const at = new Date(Date.parse(`${day}T06:00:00Z`) + i * 60_000);
      const order = i % 7 === 0 ? eurOrder(refNoOf(d, i), { at }) : cardOrder(refNoOf(d, i), 'COMPLETE', { at });
      // History: 2Checkout knows every order; only the first five of day one were ever synced by webhook.
      await s.send([{ kind: 'ipn', input: order }], () => !(d === 0 && i < 5));
    }
  }
  for (let i = 0; i < 5; i++) await s.waitForOrder(refNoOf(0, i), (st) => st.syncStatus === 'Synced', 60_000);
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe('backfill', () => {
  it('a dry run lists what would be posted and writes nothing', async () => {
    const before = s.sandbox.records('salesOrder').length;
    const handle = await s.env.client.workflow.start('backfillWorkflow', {
      taskQueue: s.queues.workflows,
      workflowId: `backfill-dry-${Date.now()}`,
      args: [{ from: DAYS[0], to: DAYS[0], dryRun: true, activityQueue: s.queues.completeness }],
    });
    const p = (await handle.result()) as { seen: number; alreadyThere: number; wouldPost: Array<{ refNo: string }> };
    expect(p.seen).toBe(ORDERS_PER_DAY);
    expect(p.alreadyThere).toBe(5);
    expect(p.wouldPost).toHaveLength(ORDERS_PER_DAY - 5);
    expect(s.sandbox.records('salesOrder').length).toBe(before);
  }, 120_000);

  it('posts each of a few hundred orders exactly once across pages, days and an interruption', async () => {
    const workflowId = `backfill/${DAYS[0]}..${DAYS[1]}-${Date.now()}`;
    await s.startBackfill({ from: DAYS[0]!, to: DAYS[1]!, settleTimeoutMs: 120_000 }, workflowId);
    const handle = s.env.client.workflow.getHandle(workflowId);
    // Interrupt once the first pages were handed over (the worker dies; Temporal keeps the progress).
    await eventually(
      () => handle.query(backfillProgressQuery),
      (p) => p.seen >= 60 && !p.done,
      120_000,
    );
    await s.stopCompletenessWorker();
    const atStop = await handle.query(backfillProgressQuery);
    expect(atStop.done).toBe(false);
    await new Promise((r) => setTimeout(r, 1_500));
    await s.startCompletenessWorker();

    const p = await eventually(
      () => handle.query(backfillProgressQuery),
      (x) => x.done,
      300_000,
    );
    expect(p.seen).toBeGreaterThanOrEqual(ORDERS_PER_DAY * DAYS.length);
    expect(p.pending).toBe(0);
    expect(p.parked).toBe(0);
    for (const [d] of DAYS.entries()) {
      for (let i = 0; i < ORDERS_PER_DAY; i++) {
        const refNo = refNoOf(d, i);
        expect(salesOrderCount(s, refNo), refNo).toBe(1);
        expect(s.count('customerPayment', externalIds.customerPayment(refNo)), refNo).toBe(1);
      }
    }
    expect(s.sandbox.duplicates().transactionsByRefNo).toEqual([]);
    // A reconciliation of either day now finds everything in place.
    const ledger = await s.reconcile(DAYS[1]!);
    expect(ledger).toMatchObject({
      state: 'complete',
      ordersIn2co: ORDERS_PER_DAY,
      counts: expect.objectContaining({ matched: ORDERS_PER_DAY }),
    });
  }, 420_000);
});
