// Issue 22, end to end against both sandboxes (NetSuite's and 2Checkout's REST API): 200 orders
// "the previous tool" booked (sandbox/previous-tool.ts), 20 of them missing and 10 different.
//  1. Shadow mode over the period (the live webhooks of every order): nothing is written, and the
//     report says exactly 170 adopted / 20 would create / 10 different.
//  2. The cut-over: backfill (adopt only, then post missing) + reconciliation + the webhooks
//     redelivered + a late refund of an adopted order leave exactly one customer, one sales order,
//     one invoice and one payment per order; the refund credits the adopted invoice; an adopted
//     record that differs is parked, not overwritten.
// The sandbox refuses a PATCH of a transaction's externalId here (the stricter of NetSuite's two
// possible behaviours), so every link is a customrecord_2co_adoption record; test/e2e/adoption.test.ts
// runs both behaviours on a few orders.
import type { Server } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../gateway/app.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { ADOPTION_RECORD } from '../../mappings/custom-objects.js';
import type { ShadowVerdict } from '../../mappings/shadow.js';
import { readShadowReport } from '../../operations/shadow-report.js';
import { startStatusPage } from '../../status-page/server.js';
import { deliver } from '../../sandbox/twocheckout/delivery.js';
import { fullRefund } from '../../sandbox/twocheckout/scenarios.js';
import { runShadowReportCli } from '../../scripts/lib/shadow/shadow-report-cli.js';
import { backfillProgressQuery } from '../../workflows/backfill.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { orderStateQuery, orderWorkflowId, type OrderSyncState } from '../../workflows/messages.js';
import { startCompletenessStack, type CompletenessStack } from '../support/completeness.js';
import { useFixture } from '../support/fixture.js';
import { bookingCounts, mappingsWithAdoption, seedBoth, type SeededOrder } from '../support/previous-tool.js';
import { SECRET_KEY } from '../support/stack.js';
import { eventually } from '../support/temporal.js';

const DAYS = ['2025-11-03', '2025-11-04'] as const;
const CUTOVER_AT = '2025-11-05T00:00:00.000Z';

const s = useFixture<CompletenessStack>(
  'the stack',
  () =>
    startCompletenessStack({
      mappings: mappingsWithAdoption(),
      transactionExternalIdEditable: false,
      pageLimit: 100,
      workerConcurrency: 5,
      concurrencyLimit: 5,
      policy: { idleClose: '1h' },
    }),
  (x) => x.close(),
);

let orders: SeededOrder[] = [];
const byBooking = (b: SeededOrder['booking']) => orders.filter((o) => o.booking === b);
const ipns = (list: readonly SeededOrder[]) => list.map((o) => ({ kind: 'ipn' as const, input: o.input }));
const state = (ref: string): Promise<OrderSyncState> =>
  s.env.client.workflow.getHandle(orderWorkflowId(ref)).query(orderStateQuery);

/** A gateway whose hand-over starts order syncs in shadow mode (SYNC_MODE=shadow), on the stack's queues. */
async function shadowGateway(): Promise<{ ipnUrl: string; close: () => Promise<void> }> {
  const handover = createSyncHandover({
    client: s.env.client,
    policy: { idleClose: '1h', mode: 'shadow', shadowLookAfter: '30m' },
    taskQueue: s.queues.workflows,
    activityQueues: { netsuite: s.queues.netsuite, netsuiteMoney: s.queues.netsuiteMoney },
  });
  const app = createGatewayApp({
    config: { secretKey: SECRET_KEY, signatureAlgorithms: ['sha3-256', 'sha256'], syncTestOrders: false },
    handover,
    logger: pino({ level: 'silent' }),
    metrics: createGatewayMetrics(),
  });
  const server: Server = await new Promise((resolve) => {
    const x = app.listen(0, '127.0.0.1', () => resolve(x));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ipnUrl: `http://127.0.0.1:${port}/webhooks/2checkout/ipn`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function backfill(cutover: 'adoptOnly' | 'postMissing'): Promise<void> {
  const workflowId = `backfill/${DAYS[0]}..${DAYS[1]}/${cutover}-${Date.now()}`;
  await s.startBackfill({ from: DAYS[0], to: DAYS[1], settleTimeoutMs: 180_000, cutover }, workflowId);
  const p = await eventually(
    () => s.env.client.workflow.getHandle(workflowId).query(backfillProgressQuery),
    (x) => x.done,
    300_000,
  );
  expect(p.pending, `${cutover}: orders still in progress`).toBe(0);
}

describe('cutting over from a previous integration: 200 orders, 20 missing, 10 different', () => {
  it('seeds both sandboxes the way the previous tool booked them', async () => {
    orders = await seedBoth(s, {
      orders: 200,
      missing: 20,
      different: 10,
      from: DAYS[0],
      days: 2,
      refNoBase: 84_000_000,
    });
    expect([byBooking('equal').length, byBooking('missing').length, byBooking('different').length]).toEqual([
      170, 20, 10,
    ]);
    expect(s.sandbox.records('salesOrder').length).toBe(180);
  }, 120_000);

  it('shadow mode over the period writes nothing and reports exactly 170 adopted / 20 would create / 10 different', async () => {
    const created = s.sandbox.createdSince().at(-1)?.seq ?? 0;
    s.sandbox.resetStats();
    const gateway = await shadowGateway();
    try {
      await deliver(ipns(orders), () => gateway.ipnUrl, { secretKey: SECRET_KEY });
      // Each shadow run ends with its verdict.
      const verdicts = await Promise.all(
        orders.map(
          async (o) => (await s.env.client.workflow.getHandle(orderWorkflowId(o.refNo)).result()) as OrderSyncState,
        ),
      );
      expect(verdicts.every((v) => v.shadow !== undefined && v.syncStatus === 'Ignored')).toBe(true);
    } finally {
      await gateway.close();
    }
    // Nothing was written: only queries reached NetSuite.
    expect(s.sandbox.createdSince(created)).toEqual([]);
    expect(Object.keys(s.sandbox.stats().callsByKind)).toEqual(['suiteql']);

    const report = await eventually(
      () => readShadowReport(s.env.client, { from: DAYS[0], to: DAYS[1], uiBase: 'http://ui', namespace: 'default' }),
      (r) => r.totals.orders === 200,
      30_000,
    );
    expect(report.totals.counts).toEqual({ adoptedEqual: 170, adoptedDifferent: 10, wouldCreate: 20, wouldPark: 0 });
    const verdictOf = (refNo: string) => report.orders.find((o) => o.refNo === refNo)?.verdict.kind;
    for (const o of orders)
      expect(verdictOf(o.refNo), o.refNo).toBe(
        { equal: 'adoptedEqual', different: 'adoptedDifferent', missing: 'wouldCreate' }[o.booking],
      );
    // Totals per currency: every order counted once, the previous tool's total beside 2Checkout's.
    const perCurrency = Object.values(report.totals.byCurrency).reduce((n, c) => n + c.orders, 0);
    expect(perCurrency).toBe(200);
    expect(Object.keys(report.totals.byCurrency).sort()).toEqual(['EUR', 'USD']);

    // The command prints the same (and says something would change: exit code 3).
    const out: string[] = [];
    const code = await runShadowReportCli(['--from', DAYS[0], '--to', DAYS[1], '--json'], {
      client: s.env.client,
      namespace: 'default',
      uiBase: 'http://ui',
      io: { out: (l) => out.push(l), err: () => undefined },
    });
    expect(code).toBe(3);
    expect((JSON.parse(out.join('\n')) as { totals: { counts: unknown } }).totals.counts).toEqual(report.totals.counts);

    // The status page shows the same, behind its access check.
    const page = await startStatusPage({
      client: s.env.client,
      namespace: 'default',
      port: 0,
      token: 'shadow-test-token',
    });
    try {
      expect((await fetch(`${page.url}shadow?from=${DAYS[0]}&to=${DAYS[1]}`)).status).toBe(401);
      const html = await (
        await fetch(`${page.url}shadow?from=${DAYS[0]}&to=${DAYS[1]}`, {
          headers: { authorization: 'Bearer shadow-test-token' },
        })
      ).text();
      expect(html).toMatch(/Orders sold 2025-11-03 to 2025-11-04: 200/);
      expect(html).toMatch(/id="shadow-adoptedEqual"><td>[^<]*<\/td><td class="num">170</);
      expect(html).toMatch(/id="shadow-wouldCreate"><td>[^<]*<\/td><td class="num">20</);
      expect(html).toMatch(/id="shadow-adoptedDifferent"><td>[^<]*<\/td><td class="num">10</);
    } finally {
      await page.close();
    }

    // A would-create verdict carries the bodies a live run would send; a different one both figures.
    const missing = (await s.env.client.workflow
      .getHandle(orderWorkflowId(byBooking('missing')[0]!.refNo))
      .result()) as OrderSyncState;
    const bodies = (missing.shadow as ShadowVerdict).bodies!.map((b) => `${b.action} ${b.record}`);
    expect(bodies).toEqual(['upsert customer', 'upsert salesOrder', 'transform invoice', 'transform customerPayment']);
    const diff = (await s.env.client.workflow
      .getHandle(orderWorkflowId(byBooking('different')[0]!.refNo))
      .result()) as OrderSyncState;
    expect(diff.shadow?.differences?.[0]).toMatch(/NetSuite \d+\.\d\d [A-Z]{3}, 2Checkout \d+\.\d\d [A-Z]{3}/);
  }, 300_000);

  it('after the cut-over, backfill + reconciliation + redelivered webhooks + a late refund leave one of each record per order', async () => {
    s.mappings.config = { ...s.mappings.config, cutover: { at: CUTOVER_AT, margin: '2d' } };
    const totalsBefore = new Map(
      byBooking('different').map((o) => [o.refNo, s.sandbox.record('invoice', o.records!.invoiceId)!.total]),
    );

    // Adopt only: what the previous tool booked is adopted (and linked); what it did not is reported.
    await backfill('adoptOnly');
    for (const o of orders) {
      const st = await state(o.refNo);
      const want = { equal: 'Synced', different: 'NeedsAttention', missing: 'NeedsAttention' }[o.booking];
      expect(st.syncStatus, `${o.refNo} ${JSON.stringify(st)}`).toBe(want);
      if (o.booking === 'different') expect(st.park?.reason, o.refNo).toBe('ADOPTED_RECORD_DIFFERS');
      if (o.booking === 'missing') expect(st.park?.reason, o.refNo).toBe('BEFORE_CUTOVER');
    }
    expect(s.sandbox.records('salesOrder').length, 'nothing posted before the cut-over').toBe(180);
    expect(s.sandbox.records(ADOPTION_RECORD.scriptId).length).toBe(180 * 3);

    // Post missing: the 20 the previous tool never booked are posted now, once.
    await backfill('postMissing');
    for (const o of byBooking('missing'))
      await s.waitForOrder(
        o.refNo,
        (st) => st.syncStatus === 'Synced' && st.completedSteps.includes('payment'),
        60_000,
      );

    // Reconciliation of both days: adopted and posted orders match; the different ones are listed.
    for (const day of DAYS) {
      const ledger = await s.reconcile(day);
      expect(ledger.counts, day).toMatchObject({ matched: 95, mismatched: 5, pending: 0 });
    }

    // Every webhook is delivered again (2Checkout re-sends), then a late refund of an adopted order.
    await s.send(ipns(orders));
    const refunded = byBooking('equal')[3]!;
    await s.send([{ kind: 'ipn', input: fullRefund(refunded.input, { at: new Date(Date.now() - 60_000) }) }]);
    await s.waitForOrder(
      refunded.refNo,
      (st) => st.syncStatus === 'Synced' && Object.keys(st.records.creditMemos ?? {}).length === 1,
      60_000,
    );
    await eventually(
      async () => Promise.all(orders.map((o) => state(o.refNo))),
      (all) => all.every((st) => st.syncStatus !== 'InProgress'),
      120_000,
    );

    for (const o of orders) expect(bookingCounts(s.sandbox, o), o.refNo).toEqual([1, 1, 1, 1]);
    // The refund credited the adopted invoice.
    const memos = s.sandbox.records('creditMemo');
    expect(memos.map((m) => String((m.createdFrom as { id?: string }).id))).toEqual([refunded.records!.invoiceId]);
    // The different ones are parked, their records as the previous tool left them.
    for (const o of byBooking('different')) {
      const st = await state(o.refNo);
      expect(st.syncStatus, o.refNo).toBe('NeedsAttention');
      expect(st.park?.message, o.refNo).toMatch(/NetSuite \d+\.\d\d [A-Z]{3}, 2Checkout \d+\.\d\d [A-Z]{3}/);
      expect(s.sandbox.record('invoice', o.records!.invoiceId)!.total, o.refNo).toBe(totalsBefore.get(o.refNo));
    }
    const dup = s.sandbox.duplicates();
    expect(dup.customersByEmail).toEqual([]);
    expect(dup.moneyRecordsByKey).toEqual([]);
  }, 600_000);
});
