// Worker Versioning against the real dev server: two builds of the worker (production wiring,
// createWorkers + promoteIfWanted) in one deployment. An order started on build A and still in
// flight when build B becomes current finishes on A; new orders start on B.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OrderActivities } from '../../workflows/activity-contract.js';
import type { OrderRecords } from '../../mappings/sync-types.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { createWorkers } from '../../worker/create-workers.js';
import { promoteIfWanted } from '../../worker/deployment.js';
import { moveToCurrentBuildSignal, orderStateQuery, type OrderSyncState } from '../../workflows/messages.js';
import { connectTestEnv, eventually, uniqueQueues, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';

let env: TestWorkflowEnvironment;
const running: Array<{ workers: Worker[]; done: Promise<unknown> }> = [];
beforeAll(async () => {
  env = await connectTestEnv();
  await workflowBundle();
});
afterAll(async () => {
  for (const r of running) for (const w of r.workers) if (w.getState() === 'RUNNING') w.shutdown();
  await Promise.allSettled(running.map((r) => r.done));
  await env?.teardown();
});

/** Fake NetSuite activities that note which build ran each call. */
function taggedActivities(
  build: string,
  calls: Array<{ build: string; refNo: string; step: string }>,
): OrderActivities {
  const note = (step: string, refNo: string) => calls.push({ build, refNo, step });
  return {
    async syncCustomer({ order }) {
      note('customer', order.refNo);
      return { customerId: `c-${order.refNo}`, action: 'created' };
    },
    async upsertSalesOrder({ order }) {
      note('salesOrder', order.refNo);
      return { salesOrderId: `so-${order.refNo}`, total: '10.00' };
    },
    async createInvoice({ order }) {
      note('invoice', order.refNo);
      return { invoiceId: `inv-${order.refNo}`, total: '10.00', amountRemaining: '10.00' };
    },
    async applyPayment({ order }) {
      note('payment', order.refNo);
      return { paymentId: `pay-${order.refNo}`, amount: '10.00' };
    },
    async postCashSale({ order }) {
      note('cashSale', order.refNo);
      return { cashSaleId: `cs-${order.refNo}`, total: '10.00' };
    },
    async findOrderRecords({ refNo }): Promise<OrderRecords> {
      note('findRecords', refNo);
      return {};
    },
    async closeOrder() {
      return { actions: [] };
    },
    async postRefund() {
      return { creditMemoId: 'cm', customerRefundId: 'rf', amount: '10.00' };
    },
    async recordDispute() {
      return { outcome: 'open' as const };
    },
  };
}

describe('Worker Versioning', () => {
  it('finishes an in-flight order on the build that started it while new orders start on the new build', async () => {
    const q = uniqueQueues();
    const deploymentName = `sync-test-${randomUUID().slice(0, 8)}`;
    const calls: Array<{ build: string; refNo: string; step: string }> = [];
    const startBuild = async (buildId: string) => {
      const workers = await createWorkers({
        connection: env.nativeConnection,
        activities: taggedActivities(buildId, calls),
        workflowActivities: {
          async notifySubscriptions() {
            return { notified: [] };
          },
        },
        activitySlots: 2,
        workflowBundle: await workflowBundle(),
        taskQueues: q,
        deployment: { deploymentName, buildId },
      });
      running.push({ workers, done: Promise.all(workers.map((w) => w.run())) });
      return workers;
    };
    const promote = (buildId: string, promote: 'first' | 'always') =>
      promoteIfWanted({
        connection: env.nativeConnection,
        namespace: 'default',
        deployment: { deploymentName, buildId, promote },
      });
    const handover = createSyncHandover({
      client: env.client,
      policy: { idleClose: '1h' },
      taskQueue: q.workflows,
      activityQueues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney },
    });
    const state = (refNo: string) => env.client.workflow.getHandle(orderWorkflowId(refNo)).query(orderStateQuery);
    const waitFor = (refNo: string, accept: (s: OrderSyncState) => boolean) =>
      eventually(
        () => state(refNo).catch(() => undefined),
        (s): boolean => s !== undefined && accept(s),
        60_000,
      );
    const version = async (refNo: string) => {
      const info = (await env.client.workflow.getHandle(orderWorkflowId(refNo)).describe()).raw.workflowExecutionInfo
        ?.versioningInfo;
      return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
    };
    const refA = `vA${Date.now() % 1e9}`;
    const refB = `vB${Date.now() % 1e9}`;
    const refIdle = `vI${Date.now() % 1e9}`;
    const runId = async (refNo: string) =>
      (await env.client.workflow.getHandle(orderWorkflowId(refNo)).describe()).runId;
    const stepsOn = (refNo: string, build: string) =>
      calls.filter((c) => c.refNo === refNo && c.build === build).map((c) => c.step);
    const allSteps = ['customer', 'salesOrder', 'invoice', 'payment'];

    // Build A is the first build of the deployment: it makes itself current.
    await startBuild('build-a');
    expect(await promote('build-a', 'first')).toBe('promoted');
    // One order is synced and idle (waiting for refunds); another arrives pending: customer and
    // sales order are posted, then it waits for its payment.
    await handover.deliverOrderEvent(orderEvent(refIdle, 'COMPLETE'));
    await waitFor(refIdle, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
    await handover.deliverOrderEvent(orderEvent(refA, 'PENDING'));
    await waitFor(refA, (s) => s.completedSteps.includes('salesOrder'));
    const idleRun = await runId(refIdle);
    const firstRunA = await runId(refA);
    expect(await version(refA)).toMatchObject({ buildId: 'build-a' });

    // Build B is deployed beside A; with `first` it leaves the routing alone, then it is made current.
    await startBuild('build-b');
    expect(await promote('build-b', 'first')).toBe('left to the operator');
    expect(await promote('build-b', 'always')).toBe('promoted');

    // A new order starts on B…
    await handover.deliverOrderEvent(orderEvent(refB, 'COMPLETE'));
    await waitFor(refB, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
    expect(stepsOn(refB, 'build-b')).toEqual(allSteps);
    expect(stepsOn(refB, 'build-a')).toEqual([]);
    expect(await version(refB)).toMatchObject({ buildId: 'build-b' });

    // …while the payment of the order in flight completes it on A, where it started.
    await handover.deliverOrderEvent(orderEvent(refA, 'COMPLETE'));
    await waitFor(refA, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
    expect(stepsOn(refA, 'build-a')).toEqual(allSteps);
    expect(stepsOn(refA, 'build-b')).toEqual([]);
    // Once idle it continues as new on B with its state, so A can be retired without waiting out
    // the idle period; nothing is posted again.
    await eventually(
      () => runId(refA),
      (r) => r !== firstRunA,
      60_000,
    );
    await eventually(
      () => version(refA),
      (v) => v.buildId === 'build-b',
      60_000,
    );
    expect((await waitFor(refA, (s) => s.syncStatus === 'Synced'))?.completedSteps).toEqual(allSteps);

    // An order that was already idle when B became current moves when woken (the drain step).
    expect(await version(refIdle)).toMatchObject({ buildId: 'build-a' });
    await env.client.workflow.getHandle(orderWorkflowId(refIdle)).signal(moveToCurrentBuildSignal);
    await eventually(
      () => runId(refIdle),
      (r) => r !== idleRun,
      60_000,
    );
    await eventually(
      () => version(refIdle),
      (v) => v.buildId === 'build-b',
      60_000,
    );
    expect((await waitFor(refIdle, (s) => s.syncStatus === 'Synced'))?.completedSteps).toEqual(allSteps);
    expect(calls.filter((c) => c.refNo === refA || c.refNo === refIdle)).toHaveLength(8);
  });
});
