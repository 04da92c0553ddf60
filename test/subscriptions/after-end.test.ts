// A subscription that ended (cancelled by LCN) and whose workflow completed: a late notification
// for one of its orders (e.g. an order run started months later by a chargeback) must not revive
// it. The new run rebuilds its state from the NetSuite subscription record before it acts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
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

describe('a late order notice after the subscription ended and its workflow completed', () => {
  it('starts a run that rebuilds CANCELED from NetSuite: nothing revived, no renewal awaited, completes again', async () => {
    const h = harness(env);
    const rec = recordingActivities();
    const t0 = new Date((await env.currentTimeMs()) - 3 * 3_600_000);
    const first = licenceOrder('E1', { licenseCode: h.licenseCode, start: t0, expires: addMonths(t0, 1) });
    await withWorkers(env, h.queues, rec.activities, async () => {
      await h.sendOrder(first);
      await h.waitFor((x) => x.posted?.status === 'ACTIVE');
      await h.sendOrder(
        licenceOrder('E2', {
          licenseCode: h.licenseCode,
          start: addMonths(t0, 1),
          expires: addMonths(t0, 2),
          licenseType: 'RENEW',
          placedAt: addDays(t0, 0.2),
        }),
      );
      await h.waitFor((x) => x.posted?.renewals === 1);
      await h.sendLcn(
        lcn(h.licenseCode, {
          reason: 'LICENCE_CHANGE',
          status: 'DISABLED',
          disabled: true,
          expires: addMonths(t0, 2),
          updatedAt: addDays(t0, 0.3),
        }),
      );
      const ended = await h.handle().result();
      expect(ended.status).toBe('CANCELED');
      const postedBefore = rec.posted.length;

      // Months later the first order's workflow (started again by a chargeback) notifies the subscription.
      await h.sendOrder(first);
      const again = await h.handle().result();
      expect(again.status).toBe('CANCELED');
      expect(again.run).toBe(1);
      const after = rec.posted.slice(postedBefore);
      expect(after.filter((p) => p.status !== 'CANCELED')).toEqual([]);
      expect(after.filter((p) => p.autoRenew)).toEqual([]);
      expect(again.nextDeadline).toBeUndefined();
      expect(again.renewals).toBe(1);
      expect(again.lastOrderRefNo).toBe('E2');
    });
  }, 120_000);
});
