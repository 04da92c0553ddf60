// subscriptionWorkflow with a real worker on the Java time-skipping test server (months pass in
// moments); the NetSuite activities are recording fakes, so these tests pin down what finance would
// see: which states are posted, how often, and which search attributes flag a subscription.
// One server for this file; its clock is global, so the tests run one after another.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ParkReason, SubscriptionStatus, SyncStatus } from '../../shared/search-attributes.js';
import { operatorDecisionSignal } from '../../workflows/messages.js';
import { withWorkers, workflowBundle } from '../support/temporal.js';
import { addDays, addMonths, lcn, licenceOrder } from './builders.js';
import { createTimeSkippingEnv, harness, recordingActivities, terminateStarted } from './support.js';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await workflowBundle();
});
afterAll(async () => {
  await env?.teardown();
});
afterEach(() => terminateStarted(env));

/** A period start a few hours ago on the test server's clock. */
async function periodStart(): Promise<Date> {
  return new Date((await env.currentTimeMs()) - 3 * 3_600_000);
}

describe('subscriptionWorkflow', () => {
  it('follows a monthly subscription through 36 renewals: each posted once, history bounded by continue-as-new', async () => {
    const h = harness(env, { eventsPerRun: 10 });
    const rec = recordingActivities();
    const t0 = await periodStart();
    const renewal = (k: number) =>
      licenceOrder(`R${k}`, {
        licenseCode: h.licenseCode,
        start: addMonths(t0, k),
        expires: addMonths(t0, k + 1),
        licenseType: 'RENEW',
      });
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendOrder(licenceOrder('R0', { licenseCode: h.licenseCode, start: t0, expires: addMonths(t0, 1) }));
      const firstRunId = (await h.handle().describe()).runId;
      await h.waitFor((s) => s.posted !== undefined);
      for (let k = 1; k <= 36; k++) {
        await h.sendOrder(renewal(k));
        await h.waitFor((s) => s.renewals === k && s.posted?.renewals === k);
      }
      // A renewal notice from before the last continue-as-new, delivered again.
      await h.sendOrder(renewal(3));
      const s = await h.waitFor((x) => x.duplicatesIgnored === 1);

      expect(s.status).toBe('ACTIVE');
      expect(s.ordersTotal).toBe(37);
      expect(s.lastOrderRefNo).toBe('R36');
      expect(s.period?.end.slice(0, 10)).toBe(addMonths(t0, 37).toISOString().slice(0, 10));
      expect(s.netsuiteRecords).toEqual([
        { type: 'customrecord_2co_subscription', id: '77', externalId: `2co-sub-${h.licenseCode}` },
      ]);
      // Every renewal's state was posted exactly once, in order.
      expect(rec.posted.map((p) => p.renewals)).toEqual(Array.from({ length: 37 }, (_, k) => k));
      expect(new Set(rec.posted.map((p) => p.periodEnd)).size).toBe(37);

      expect(s.run).toBeGreaterThanOrEqual(4);
      const desc = await h.handle().describe();
      expect(desc.runId).not.toBe(firstRunId);
      const history = await h.handle().fetchHistory();
      expect(history.events?.length ?? 0).toBeLessThan(200);
      await h.handle().terminate('test done');
    });
  });

  it('an upgrade mid-period switches the plan at once and keeps the period', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    const t0 = await periodStart();
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendOrder(licenceOrder('U1', { licenseCode: h.licenseCode, start: t0, expires: addMonths(t0, 1) }));
      await h.waitFor((s) => s.posted !== undefined);
      await h.sendOrder(
        licenceOrder('U2', {
          licenseCode: h.licenseCode,
          productCode: 'SUB-MONTHLY-PRO',
          quantity: 3,
          start: t0,
          expires: addMonths(t0, 1),
          placedAt: addDays(t0, 0.1),
          price: '4.20',
        }),
      );
      const s = await h.waitFor((x) => x.posted?.plan?.productCode === 'SUB-MONTHLY-PRO');
      expect(s.plan).toMatchObject({ productCode: 'SUB-MONTHLY-PRO', quantity: 3, netsuiteItemId: '103' });
      expect(s.orders.map((o) => [o.refNo, o.kind])).toEqual([
        ['U1', 'initial'],
        ['U2', 'upgrade'],
      ]);
      expect(s.renewals).toBe(0);
      expect(rec.posted.map((p) => [p.plan?.productCode, p.quantity, p.periodEnd])).toEqual([
        ['SUB-MONTHLY', 1, addMonths(t0, 1).toISOString().slice(0, 10)],
        ['SUB-MONTHLY-PRO', 3, addMonths(t0, 1).toISOString().slice(0, 10)],
      ]);
      await h.handle().terminate('test done');
    });
  });

  it('a downgrade announced by LCN takes effect with the renewal order', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    const t0 = await periodStart();
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendOrder(
        licenceOrder('D1', {
          licenseCode: h.licenseCode,
          productCode: 'SUB-MONTHLY-PRO',
          start: t0,
          expires: addMonths(t0, 1),
        }),
      );
      await h.sendLcn(
        lcn(h.licenseCode, {
          reason: 'LICENCE_CHANGE',
          productCode: 'SUB-MONTHLY',
          quantity: 1,
          expires: addMonths(t0, 1),
          updatedAt: addDays(t0, 0.1),
        }),
      );
      let s = await h.waitFor((x) => x.posted?.pendingPlan !== undefined);
      expect(s.plan?.productCode).toBe('SUB-MONTHLY-PRO');
      expect(s.posted?.pendingPlan).toMatchObject({ productCode: 'SUB-MONTHLY' });

      await h.sendOrder(
        licenceOrder('D2', {
          licenseCode: h.licenseCode,
          productCode: 'SUB-MONTHLY',
          start: addMonths(t0, 1),
          expires: addMonths(t0, 2),
        }),
      );
      s = await h.waitFor((x) => x.renewals === 1 && x.posted?.renewals === 1);
      expect(s.plan?.productCode).toBe('SUB-MONTHLY');
      expect(s.pendingPlan).toBeUndefined();
      expect(s.posted).toMatchObject({ plan: { productCode: 'SUB-MONTHLY' }, lastOrderRefNo: 'D2' });
      expect(s.posted?.pendingPlan).toBeUndefined();
      await h.handle().terminate('test done');
    });
  });

  it('a cancellation at period end cancels when the period ends, then the workflow completes', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    const t0 = await periodStart();
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendOrder(licenceOrder('C1', { licenseCode: h.licenseCode, start: t0, expires: addMonths(t0, 1) }));
      await h.waitFor((x) => x.posted?.status === 'ACTIVE');
      await h.sendLcn(
        lcn(h.licenseCode, {
          reason: 'SCHEDULED_FOR_CANCELATION_ON_DEMAND',
          recurring: false,
          expires: addMonths(t0, 1),
          updatedAt: addDays(t0, 0.1),
        }),
      );
      const pending = await h.waitFor((x) => x.posted?.status === 'CANCEL_AT_PERIOD_END');
      expect(pending.nextDeadline?.kind).toBe('periodEnd');
      expect((await h.handle().describe()).typedSearchAttributes.get(SubscriptionStatus)).toBe('CANCEL_AT_PERIOD_END');

      // Time skips while the result is awaited: period end (CANCELED), then the linger (completes).
      const final = await h.handle().result();
      expect(final.status).toBe('CANCELED');
      expect(final.endedAt?.slice(0, 10)).toBe(addMonths(t0, 1).toISOString().slice(0, 10));
      expect(rec.posted.map((p) => p.status)).toEqual(['ACTIVE', 'CANCEL_AT_PERIOD_END', 'CANCELED']);
      expect(rec.posted.at(-1)).toMatchObject({ autoRenew: false, nextRenewal: null });
      const desc = await h.handle().describe();
      expect(desc.typedSearchAttributes.get(SubscriptionStatus)).toBe('CANCELED');
      expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('Closed');
    });
  });

  it('flags a missed renewal (RENEWAL_MISSED + NeedsAttention) and a late renewal clears it', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    const t0 = await periodStart();
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendOrder(licenceOrder('M1', { licenseCode: h.licenseCode, start: t0, expires: addMonths(t0, 1) }));
      await h.waitFor((s) => s.posted !== undefined);
      // A month and 3 days of grace pass without a renewal order or an LCN.
      await env.sleep(addMonths(t0, 1).getTime() - t0.getTime() + 4 * 86_400_000);
      const missed = await h.waitFor((x) => x.status === 'RENEWAL_MISSED');
      expect(missed.syncStatus).toBe('NeedsAttention');
      expect(missed.waiting).toEqual([expect.stringMatching(/^renewal due \d{4}-\d{2}-\d{2} has not arrived/)]);
      expect(missed.posted?.status).toBe('RENEWAL_MISSED');
      let desc = await h.handle().describe();
      expect(desc.typedSearchAttributes.get(SubscriptionStatus)).toBe('RENEWAL_MISSED');
      expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('NeedsAttention');

      await h.sendOrder(
        licenceOrder('M2', {
          licenseCode: h.licenseCode,
          start: addMonths(t0, 1),
          expires: addMonths(t0, 2),
          placedAt: addDays(addMonths(t0, 1), 4),
        }),
      );
      const cleared = await h.waitFor((x) => x.status === 'ACTIVE' && x.syncStatus === 'Synced');
      expect(cleared.renewals).toBe(1);
      expect(cleared.waiting).toEqual([]);
      expect(rec.posted.map((p) => p.status)).toEqual(['ACTIVE', 'RENEWAL_MISSED', 'ACTIVE']);
      desc = await h.handle().describe();
      expect(desc.typedSearchAttributes.get(SubscriptionStatus)).toBe('ACTIVE');
      expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('Synced');
      await h.handle().terminate('test done');
    });
  });

  it('an LCN can start the subscription before its first order; the order then completes it', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    const t0 = await periodStart();
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendLcn(
        lcn(h.licenseCode, {
          reason: 'LICENCE_CHANGE',
          productCode: 'SUB-MONTHLY',
          quantity: 1,
          start: t0,
          expires: addMonths(t0, 1),
          updatedAt: t0,
        }),
      );
      const early = await h.waitFor((x) => x.posted !== undefined);
      expect(early.status).toBe('ACTIVE');
      expect(early.posted?.customer.netsuiteId).toBeUndefined();
      expect(early.orders).toEqual([]);

      await h.sendOrder(
        licenceOrder('F1', {
          licenseCode: h.licenseCode,
          start: t0,
          expires: addMonths(t0, 1),
          placedAt: addDays(t0, -0.01),
        }),
      );
      const s = await h.waitFor((x) => x.posted?.lastOrderRefNo === 'F1');
      expect(s.orders.map((o) => [o.refNo, o.kind])).toEqual([['F1', 'initial']]);
      expect(s.renewals).toBe(0);
      expect(s.posted?.customer.netsuiteId).toBe('301');
      expect(rec.posted).toHaveLength(2);
      await h.handle().terminate('test done');
    });
  });

  it('redelivered LCNs and order notices have no second effect', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    const t0 = await periodStart();
    await withWorkers(env, h.queues, rec.activities, async () => {
      const first = licenceOrder('P1', { licenseCode: h.licenseCode, start: t0, expires: addMonths(t0, 1) });
      const pastDue = lcn(h.licenseCode, {
        reason: 'LICENCE_PASTDUE',
        status: 'PASTDUE',
        gracePeriod: '7',
        expires: addMonths(t0, 1),
        updatedAt: addDays(t0, 0.1),
      });
      await h.sendOrder(first);
      await h.sendLcn(pastDue);
      await h.sendLcn(pastDue);
      await h.sendOrder(first);
      const s = await h.waitFor((x) => x.eventsReceived === 4);
      expect(s.duplicatesIgnored).toBe(2);
      expect(s.status).toBe('PAST_DUE');
      expect(rec.posted.map((p) => p.status)).toEqual(expect.arrayContaining(['PAST_DUE']));
      expect(rec.posted.filter((p) => p.status === 'PAST_DUE')).toHaveLength(1);
      await h.handle().terminate('test done');
    });
  });

  it('parks when the record cannot be written, and posts after an operator retry', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    rec.failNext.push({
      reason: 'UNMAPPED_PRODUCT',
      message: 'subscription product SUB-MONTHLY has no NetSuite item',
      path: 'plan.productCode',
    });
    const t0 = await periodStart();
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendOrder(licenceOrder('K1', { licenseCode: h.licenseCode, start: t0, expires: addMonths(t0, 1) }));
      const parked = await h.waitFor((x) => x.park !== undefined);
      expect(parked.park).toMatchObject({ step: 'upsertSubscriptionRecord', reason: 'UNMAPPED_PRODUCT' });
      const desc = await h.handle().describe();
      expect(desc.typedSearchAttributes.get(SyncStatus)).toBe('NeedsAttention');
      expect(desc.typedSearchAttributes.get(ParkReason)).toBe('UNMAPPED_PRODUCT');

      await h.handle().signal(operatorDecisionSignal, { action: 'retry', by: 'ops@example.com' });
      const s = await h.waitFor((x) => x.syncStatus === 'Synced');
      expect(s.park).toBeUndefined();
      expect(rec.posted).toHaveLength(1);
      await h.handle().terminate('test done');
    });
  });
});
