// Live first, for real (workflows/lanes.ts, worker/create-workers.ts): bulk work (here a backfill)
// runs its order workflows and NetSuite steps on queues of their own, served by workers with their
// own slots, so a live order is synced while every bulk slot is held. Before, bulk steps ran on the
// live queues: with every activity slot held by a stuck backfill, the live order waited.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { createWorkers } from '../../worker/create-workers.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { orderStateQuery, orderWorkflowId } from '../../workflows/messages.js';
import { recordingOrderActivities } from '../../scripts/lib/ops/recording-activities.js';
import { orderEventFrom } from '../../scripts/lib/ops/history-scenarios.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { connectTestEnv, eventually, workflowBundle } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTestEnv();
  await workflowBundle();
});
afterAll(async () => {
  await env?.teardown();
});

describe('bulk work on its own queues and slots', () => {
  it('a live order is synced while a backfill holds every bulk slot; each lane runs on its own queues', async () => {
    const id = randomUUID().slice(0, 8);
    const q = {
      workflows: `wf-${id}`,
      workflowsBulk: `wfb-${id}`,
      netsuite: `ns-${id}`,
      netsuiteMoney: `nsm-${id}`,
      netsuiteBulk: `nsb-${id}`,
      netsuiteMoneyBulk: `nsmb-${id}`,
      completeness: `cq-${id}`,
    };
    // A backfill whose first step hangs in NetSuite: its activities hold their slots until released.
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const fake = recordingOrderActivities();
    let stuckSteps = 0;
    const activities = {
      ...fake.activities,
      async findOrderRecords(input: { refNo: string }) {
        if (Context.current().info.taskQueue === q.netsuiteBulk) {
          stuckSteps += 1;
          await stuck;
        }
        return fake.activities.findOrderRecords(input);
      },
    };
    const workers: Worker[] = await createWorkers({
      connection: env.nativeConnection,
      activities,
      workflowActivities: {
        async notifySubscriptions() {
          return { notified: [] };
        },
      },
      // One NetSuite slot: two activity slots per queue.
      activitySlots: 1,
      workflowBundle: await workflowBundle(),
      taskQueues: q,
    });
    const running = workers.map((w) => w.run());
    const base = 80_000_000 + Math.floor(Math.random() * 9_000_000);
    const refs = [0, 1, 2, 3].map((i) => String(base + i));
    try {
      expect(workers.map((w) => w.options.taskQueue).sort()).toEqual(
        [q.netsuite, q.netsuiteBulk, q.netsuiteMoney, q.netsuiteMoneyBulk, q.workflows, q.workflowsBulk].sort(),
      );
      const handover = createSyncHandover({
        client: env.client,
        policy: { idleClose: '1h' },
        taskQueue: q.workflows,
        bulkTaskQueue: q.workflowsBulk,
        activityQueues: {
          netsuite: q.netsuite,
          netsuiteMoney: q.netsuiteMoney,
          netsuiteBulk: q.netsuiteBulk,
          netsuiteMoneyBulk: q.netsuiteMoneyBulk,
        },
      });
      const bulkRefs = refs.slice(0, 3);
      for (const ref of bulkRefs)
        await handover.deliverOrderEvent(orderEventFrom(cardOrder(ref, 'COMPLETE')), 'backfill');
      // Both bulk slots are taken by the stuck look-ups (the third waits for one).
      await eventually(
        async () => stuckSteps,
        (n) => n === 2,
        30_000,
      );
      const live = refs[3]!;
      await handover.deliverOrderEvent(orderEventFrom(cardOrder(live, 'COMPLETE')), 'webhook');
      const state = await eventually(
        () =>
          env.client.workflow
            .getHandle(orderWorkflowId(live))
            .query(orderStateQuery)
            .catch(() => undefined),
        (s) => s?.syncStatus === 'Synced',
        30_000,
      );
      expect(state?.completedSteps).toEqual(expect.arrayContaining(['customer', 'salesOrder', 'invoice', 'payment']));

      const queuesOf = async (ref: string) => {
        const history = await env.client.workflow.getHandle(orderWorkflowId(ref)).fetchHistory();
        const started = history.events?.[0]?.workflowExecutionStartedEventAttributes?.taskQueue?.name;
        const steps = (history.events ?? []).flatMap((e) =>
          e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.taskQueue?.name] : [],
        );
        return { started, steps: [...new Set(steps)] };
      };
      expect(await queuesOf(live)).toEqual({ started: q.workflows, steps: [q.netsuite, q.netsuiteMoney] });
      expect(await queuesOf(bulkRefs[0]!)).toEqual({ started: q.workflowsBulk, steps: [q.netsuiteBulk] });

      // Released, the backfill finishes on its own queues.
      release();
      for (const ref of bulkRefs) {
        await eventually(
          () =>
            env.client.workflow
              .getHandle(orderWorkflowId(ref))
              .query(orderStateQuery)
              .catch(() => undefined),
          (s) => s?.syncStatus === 'Synced',
          30_000,
        );
      }
      expect((await queuesOf(bulkRefs[0]!)).steps).toEqual([q.netsuiteBulk, q.netsuiteMoneyBulk]);
    } finally {
      release();
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      for (const ref of refs)
        await env.client.workflow
          .getHandle(orderWorkflowId(ref))
          .terminate()
          .catch(() => undefined);
    }
  });
});
