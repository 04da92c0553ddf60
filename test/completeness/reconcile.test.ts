// Reconciliation end to end, against both sandboxes and a real Temporal server: what webhooks
// missed is found in 2Checkout's API and healed through the order workflows, exactly once; what
// webhooks delivered is not posted again; a hand-edited amount is reported, never overwritten;
// an empty day is complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalIds } from '../../mappings/ids.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import {
  cardOrder,
  eurOrder,
  jpyOrder,
  kwdOrder,
  partialRefund,
  threeLineOrder,
} from '../../sandbox/twocheckout/scenarios.js';
import type { IpnOrderInput, NotificationInput } from '../../sandbox/twocheckout/sender.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { ensureNightlySchedule } from '../../scripts/lib/completeness/schedule.js';
import { eventually } from '../support/temporal.js';
import {
  LEDGER_RECORD,
  salesOrderCount,
  startCompletenessStack,
  type CompletenessStack,
} from '../support/completeness.js';

let s: CompletenessStack;
beforeAll(async () => {
  s = await startCompletenessStack();
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const ipn = (input: IpnOrderInput): NotificationInput => ({ kind: 'ipn', input });
const at = (day: string, hour = 9) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);

describe('reconciliation', () => {
  it('a day with nothing is "complete, 0 orders", not an error', async () => {
    const ledger = await s.reconcile('2025-11-03');
    expect(ledger).toMatchObject({
      date: '2025-11-03',
      state: 'complete',
      ordersIn2co: 0,
      ordersInNs: 0,
      exceptions: [],
    });
    expect(s.lastLedger.last?.date).toBe('2025-11-03');
  }, 60_000);

  it('finds orders whose webhooks were dropped and syncs them exactly once; webhook-synced orders are not posted again', async () => {
    const day = '2025-11-04';
    const delivered = cardOrder('8811001', 'COMPLETE', { at: at(day) });
    const lost1 = eurOrder('8811002', { at: at(day, 10) });
    const lost2 = threeLineOrder('8811003', { at: at(day, 11) });
    const sent = await s.send(
      [ipn(delivered), ipn(lost1), ipn(lost2)],
      (n) => n.kind === 'ipn' && n.input.refNo !== '8811001',
    );
    expect(sent.map((d) => d.dropped)).toEqual([false, true, true]);
    await s.waitForOrder('8811001', (st) => st.syncStatus === 'Synced', 60_000);
    const eventsBefore = (await s.orderState('8811001')).eventsReceived;

    const first = await s.reconcile(day);
    expect(first.state).toBe('complete');
    expect(first.counts).toMatchObject({ matched: 1, healed: 2, mismatched: 0, pending: 0 });
    expect(first.byCurrency.EUR).toMatchObject({ orders: 1, sales2co: first.byCurrency.EUR?.salesNs });
    for (const refNo of ['8811001', '8811002', '8811003']) {
      expect(salesOrderCount(s, refNo)).toBe(1);
      expect(s.count('invoice', externalIds.invoice(refNo))).toBe(1);
      expect(s.count('customerPayment', externalIds.customerPayment(refNo))).toBe(1);
    }
    // The webhook-synced order was compared, not handed over again.
    expect((await s.orderState('8811001')).eventsReceived).toBe(eventsBefore);

    const second = await s.reconcile(day);
    expect(second.counts).toMatchObject({ matched: 3, healed: 0 });
    for (const refNo of ['8811001', '8811002', '8811003']) expect(salesOrderCount(s, refNo)).toBe(1);

    // The day's ledger is kept in NetSuite, one record per day.
    const ledgers = s.sandbox.records(LEDGER_RECORD).filter((r) => r.externalId === `2co-ledger-${day}`);
    expect(ledgers).toHaveLength(1);
    expect(ledgers[0]).toMatchObject({ custrecord_2co_ledger_state: 'complete', custrecord_2co_ledger_matched: 3 });
  }, 180_000);

  it("heals orders outside their subsidiary's base currency at NetSuite's rate when the API order carries no FX_RATE", async () => {
    // The shipped mapping takes 2Checkout's FX_RATE (fx.source: twocheckout). The API's order object
    // has none: EUR bought from the US, JPY and KWD (all booked in the USD subsidiary) must still heal.
    const day = '2025-11-06';
    const usShopper = { country: 'United States', countryCode: 'us' };
    const orders = [
      cardOrder('8813001', 'COMPLETE', { at: at(day) }),
      eurOrder('8813002', { at: at(day, 10) }),
      eurOrder('8813003', { at: at(day, 11), customer: usShopper }),
      jpyOrder('8813004', { at: at(day, 12) }),
      kwdOrder('8813005', { at: at(day, 13) }),
    ];
    const lost = new Set(['8813003', '8813004', '8813005']);
    await s.send(orders.map(ipn), (n) => n.kind === 'ipn' && lost.has(n.input.refNo));
    for (const refNo of ['8813001', '8813002']) await s.waitForOrder(refNo, (st) => st.syncStatus === 'Synced', 60_000);

    const ledger = await s.reconcile(day);
    expect(ledger.counts).toMatchObject({ matched: 2, healed: 3, mismatched: 0, pending: 0 });
    expect(ledger.state).toBe('complete');
    for (const refNo of lost) {
      expect((await s.orderState(refNo)).syncStatus).toBe('Synced');
      expect(s.count('customerPayment', externalIds.customerPayment(refNo))).toBe(1);
    }
    // NetSuite's own rate for the day (the seed's EUR→USD 1.08), and no 2Checkout rate recorded.
    const so = s.sandbox.records('salesOrder').find((r) => r.externalId === externalIds.salesOrder('8813003'))!;
    expect(so).toMatchObject({ exchangeRate: 1.08, subsidiary: { id: '1' } });
    expect(so.custbody_2co_fx_rate).toBeUndefined();
  }, 180_000);

  it('heals a refund whose IPN was lost, and ignores that IPN when 2Checkout finally delivers it', async () => {
    const day = '2025-11-05';
    const sale = threeLineOrder('8812001', { at: at(day) });
    const refund = partialRefund(sale, { lines: [1], at: at(day, 15) });
    await s.send([ipn(sale), ipn(refund)], (n) => n.kind === 'ipn' && n.input.status === 'REFUND');
    await s.waitForOrder('8812001', (st) => st.syncStatus === 'Synced', 60_000);
    expect(Object.keys((await s.orderState('8812001')).records.creditMemos ?? {})).toHaveLength(0);

    const ledger = await s.reconcile(day);
    expect(ledger.counts).toMatchObject({ healed: 1, pending: 0 });
    const state = await s.orderState('8812001');
    const credits = Object.values(state.records.creditMemos ?? {});
    expect(credits).toHaveLength(1);

    // 2Checkout's retry of the lost IPN arrives after the sweep healed it: no second credit.
    await s.send([ipn(refund)]);
    await s.waitForOrder(
      '8812001',
      (st) => st.eventsReceived === state.eventsReceived + 1 && st.syncStatus === 'Synced',
      30_000,
    );
    const after = await s.orderState('8812001');
    expect(after.duplicatesIgnored).toBe(state.duplicatesIgnored + 1);
    expect(
      s.sandbox.records('creditMemo').filter((r) => String(r.externalId).startsWith('2co-cm-8812001-')),
    ).toHaveLength(1);
    expect((await s.reconcile(day)).counts).toMatchObject({ matched: 1, healed: 0 });
  }, 180_000);

  it('reports an amount edited by hand in NetSuite, parks the order with the reason, and does not overwrite it', async () => {
    const day = '2025-11-06';
    await s.send([ipn(cardOrder('8813001', 'COMPLETE', { at: at(day) }))]);
    const synced = await s.waitForOrder('8813001', (st) => st.syncStatus === 'Synced', 60_000);
    const soId = synced.records.salesOrderId!;
    // A person changes the sales order's total in NetSuite (the shopper paid 99.00).
    await s.netsuite.update('salesOrder', soId, { item: { items: [{ line: 1, rate: 89 }] } });
    const edited = s.sandbox.record('salesOrder', soId)?.total;
    expect(edited).not.toBe(99);

    const ledger = await s.reconcile(day);
    expect(ledger.state).toBe('incomplete');
    expect(ledger.counts).toMatchObject({ mismatched: 1, healed: 0 });
    expect(ledger.exceptions).toEqual([
      expect.objectContaining({ refNo: '8813001', reason: 'AMOUNT_MISMATCH', workflowId: orderWorkflowId('8813001') }),
    ]);
    expect(ledger.exceptions[0]?.detail).toMatch(/amount: NetSuite .* 2Checkout 99\.00 USD/);

    const parked = await s.waitForOrder('8813001', (st) => st.syncStatus === 'NeedsAttention', 30_000);
    expect(parked.park).toMatchObject({ reason: 'RECONCILIATION_MISMATCH', step: `reconcile:${day}` });
    expect(s.sandbox.record('salesOrder', soId)?.total).toBe(edited);
    expect(salesOrderCount(s, '8813001')).toBe(1);
    const handle = s.env.client.workflow.getHandle(orderWorkflowId('8813001'));
    expect((await handle.query(orderStateQuery)).records.salesOrderId).toBe(soId);
  }, 180_000);
});

describe('the nightly Schedule', () => {
  it("finds yesterday's dropped webhooks and syncs them exactly once, run after run", async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const lost = cardOrder('8814001', 'COMPLETE', { at: at(yesterday, 6) });
    const kept = eurOrder('8814002', { at: at(yesterday, 7) });
    await s.send([ipn(lost), ipn(kept)], (n) => n.kind === 'ipn' && n.input.refNo === '8814001');
    await s.waitForOrder('8814002', (st) => st.syncStatus === 'Synced', 60_000);

    const scheduleId = `nightly-test-${Date.now()}`;
    const target = { scheduleId, taskQueue: s.queues.workflows, activityQueue: s.queues.completeness };
    expect(await ensureNightlySchedule(s.env.client, { cron: '30 2 * * *', days: 1 }, target)).toBe('created');
    expect(await ensureNightlySchedule(s.env.client, { cron: '30 2 * * *', days: 1 }, target)).toBe('updated');
    const schedule = s.env.client.schedule.getHandle(scheduleId);
    const runNightly = async () => {
      const before = (await schedule.describe()).info.recentActions.length;
      await schedule.trigger();
      const desc = await eventually(
        () => schedule.describe(),
        (d) => d.info.recentActions.length > before,
        30_000,
      );
      const started = desc.info.recentActions.at(-1)!.action.workflow;
      return s.env.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).result();
    };
    try {
      const [first] = await runNightly();
      expect(first).toMatchObject({
        date: yesterday,
        state: 'complete',
        counts: expect.objectContaining({ healed: 1 }),
      });
      expect(salesOrderCount(s, '8814001')).toBe(1);
      const [second] = await runNightly();
      expect(second?.counts).toMatchObject({ healed: 0, matched: first!.counts.matched + first!.counts.healed });
      expect(salesOrderCount(s, '8814001')).toBe(1);
      expect(salesOrderCount(s, '8814002')).toBe(1);
    } finally {
      await schedule.delete();
    }
  }, 240_000);
});
