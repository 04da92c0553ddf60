// The subscription record as finance sees it, against the real NetSuite sandbox (HTTP, TBA) through
// the real client and activities, driven by the subscription workflow on the run's dev server.
// The orders are posted with the real order activities (customer + sales order), so the record
// points at a real customer and the renewal's sales order carries the renewal period's revenue dates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OrderRecords } from '../../mappings/sync-types.js';
import { createOrderActivities } from '../../activities/order-activities.js';
import { createSubscriptionActivities } from '../../activities/subscription-activities.js';
import { loadMappingConfig } from '../../mappings/config-loader.js';
import { subscriptionWorkflowId } from '../../workflows/messages.js';
import { AdaptiveLimiter } from '../../netsuite/limiter.js';
import { useSandbox, useSandboxClient } from '../support/sandbox.js';
import {
  subscriptionOrderSignal,
  subscriptionStateQuery,
  type SubscriptionOrderNotice,
} from '../../workflows/messages.js';
import type { SubscriptionWorkflowInput } from '../../workflows/subscription.js';
import { connectTestEnv, eventually, uniqueQueues, workflowBundle } from '../support/temporal.js';
import { addMonths, licenceOrder } from './builders.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTestEnv();
  await workflowBundle();
});
afterAll(async () => {
  await env?.teardown();
});
const sandbox = useSandbox();
const netsuite = useSandboxClient(sandbox, { limiter: new AdaptiveLimiter({ max: 2 }) });

describe('subscription record in the NetSuite sandbox', () => {
  it('shows plan item, period, next renewal, last order and customer after an order and a renewal', async () => {
    const mapping = loadMappingConfig('config/mappings.yaml');
    const mappings = { current: () => mapping };
    const orders = createOrderActivities({ netsuite, mappings, logger: silent });
    const q = uniqueQueues();
    const licenseCode = `SBX${q.workflows.slice(3).toUpperCase()}`;
    const workflowId = subscriptionWorkflowId(licenseCode);
    const workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: q.workflows,
        workflowBundle: await workflowBundle(),
      }),
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: q.netsuite,
        activities: createSubscriptionActivities({ netsuite, mappings, logger: silent }),
      }),
    ]);
    const running = workers.map((w) => w.run());
    try {
      /** What the order workflow does before it notifies the subscription: post the order, then signal-with-start. */
      const postAndNotify = async (notice: SubscriptionOrderNotice): Promise<OrderRecords> => {
        const { customerId } = await orders.syncCustomer({ order: notice.order });
        const { salesOrderId } = await orders.upsertSalesOrder({ order: notice.order, customerId });
        const records = { customerId, salesOrderId };
        const args: [SubscriptionWorkflowInput] = [
          { licenseCode, queues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney } },
        ];
        await env.client.workflow.signalWithStart('subscriptionWorkflow', {
          workflowId,
          taskQueue: q.workflows,
          args,
          signal: subscriptionOrderSignal,
          signalArgs: [{ ...notice, records }],
        });
        return records;
      };
      const state = () =>
        env.client.workflow
          .getHandle(workflowId)
          .query(subscriptionStateQuery)
          .catch(() => undefined);

      // Periods on the real clock (the dev server's): a renewal in the past would be flagged as missed.
      const t0 = new Date(Date.now() - 3 * 3_600_000);
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const first = await postAndNotify(
        licenceOrder('7700001', { licenseCode, quantity: 2, start: t0, expires: addMonths(t0, 1), records: {} }),
      );
      await eventually(state, (s) => s?.posted?.lastOrderRefNo === '7700001');
      const renewal = await postAndNotify(
        licenceOrder('7700002', {
          licenseCode,
          quantity: 2,
          start: addMonths(t0, 1),
          expires: addMonths(t0, 2),
          licenseType: 'RENEW',
          records: {},
        }),
      );
      const s = await eventually(state, (x) => x?.posted?.lastOrderRefNo === '7700002');

      const stored = sandbox.records('customrecord_2co_subscription');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        externalId: `2co-sub-${licenseCode}`,
        name: licenseCode,
        custrecord_2co_sub_license: licenseCode,
        custrecord_2co_sub_status: 'ACTIVE',
        custrecord_2co_sub_item: { id: '103' },
        custrecord_2co_sub_product_code: 'SUB-MONTHLY',
        custrecord_2co_sub_quantity: 2,
        custrecord_2co_sub_started_on: day(t0),
        custrecord_2co_sub_period_start: day(addMonths(t0, 1)),
        custrecord_2co_sub_period_end: day(addMonths(t0, 2)),
        custrecord_2co_sub_next_renewal: day(addMonths(t0, 2)),
        custrecord_2co_sub_auto_renew: true,
        custrecord_2co_sub_last_order: '7700002',
        custrecord_2co_sub_customer: { id: first.customerId },
        custrecord_2co_sub_renewals: 1,
      });
      expect(renewal.customerId).toBe(first.customerId);
      expect(s?.netsuiteRecords).toEqual([
        { type: 'customrecord_2co_subscription', id: String(stored[0]?.id), externalId: `2co-sub-${licenseCode}` },
      ]);
      expect(s?.plan?.netsuiteItemId).toBe('103');

      // The renewal's own sales order recognises revenue over the renewal period.
      const so = sandbox.record('salesOrder', renewal.salesOrderId!) as {
        item: { items: Array<Record<string, unknown>> };
      };
      expect(so.item.items.find((l) => (l.item as { id: string }).id === '103')).toMatchObject({
        revRecStartDate: day(addMonths(t0, 1)),
        revRecEndDate: day(addMonths(t0, 2)),
      });
      await env.client.workflow.getHandle(workflowId).terminate('test done');
    } finally {
      for (const w of workers) w.shutdown();
      await Promise.all(running);
    }
  });
});
