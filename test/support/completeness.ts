// The whole product plus 2Checkout's REST API side, in one test process: the test stack
// (NetSuite sandbox, workers, gateway, real Temporal) + the 2Checkout API sandbox sharing its
// store with the webhook sender + a worker for the completeness activities on the stack's queue.
import { Worker } from '@temporalio/worker';
import { createCompletenessActivities } from '../../activities/completeness-activities.js';
import { LastLedger } from '../../activities/completeness-ledger.js';
import type { CompletenessLedger } from '../../mappings/completeness.js';
import { externalIds } from '../../mappings/ids.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import { deliver, type Delivery } from '../../sandbox/twocheckout/delivery.js';
import type { NotificationInput } from '../../sandbox/twocheckout/sender.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { ApiRateLimiter, createTwoCheckoutApiClient, type TwoCheckoutApiClient } from '../../twocheckout/rest/index.js';
import { backfillWorkflow, type BackfillInput } from '../../workflows/backfill.js';
import { reconcileDayWorkflow } from '../../workflows/reconcile.js';
import { SECRET_KEY, startTestStack, type TestStack, type TestStackOptions } from './stack.js';

export const VENDOR_CODE = 'TESTVENDOR';
export const LEDGER_RECORD = 'customrecord_2co_completeness';

export interface CompletenessStack extends TestStack {
  api: ApiSandbox;
  twocheckout: TwoCheckoutApiClient;
  lastLedger: LastLedger;
  /** Records every IPN in 2Checkout's store and posts it to the gateway unless `drop` says it is lost. */
  send(notifications: NotificationInput[], drop?: (n: NotificationInput, i: number) => boolean): Promise<Delivery[]>;
  reconcile(date: string, opts?: { dryRun?: boolean }): Promise<CompletenessLedger>;
  startBackfill(input: Omit<BackfillInput, 'activityQueue'>, workflowId: string): Promise<void>;
  /** (Re)starts the completeness worker; stopCompletenessWorker interrupts it. */
  startCompletenessWorker(): Promise<void>;
  stopCompletenessWorker(): Promise<void>;
  /** NetSuite records of `type` whose externalId is `eid`. */
  count(type: string, eid: string): number;
}

export async function startCompletenessStack(
  opts: TestStackOptions & { pageLimit?: number; ordersMode?: 'live' | 'shadow' } = {},
): Promise<CompletenessStack> {
  const stack = await startTestStack(opts);
  const api = await startTwoCheckoutApiSandbox({ vendorCode: VENDOR_CODE, secretKey: SECRET_KEY });
  const twocheckout = createTwoCheckoutApiClient({
    baseUrl: api.apiUrl,
    vendorCode: VENDOR_CODE,
    secretKey: SECRET_KEY,
    algorithm: 'sha3-256',
    limiter: new ApiRateLimiter({ ratePerSecond: 50, concurrency: 4 }),
  });
  const lastLedger = new LastLedger();
  const handover = createSyncHandover({
    client: stack.env.client,
    policy: { idleClose: '1h', ...opts.policy, ...(opts.ordersMode === 'shadow' ? { mode: 'shadow' as const } : {}) },
    taskQueue: stack.queues.workflows,
    activityQueues: { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney },
  });
  const activities = createCompletenessActivities({
    mappings: stack.mappings,
    shadow: opts.ordersMode === 'shadow',
    twocheckout,
    netsuite: stack.netsuite,
    handover,
    postingMode: opts.policy?.postingMode ?? 'salesOrder',
    pageLimit: opts.pageLimit ?? 100,
    includeTestOrders: false,
    ledgerRecordType: LEDGER_RECORD,
    ledgerSink: lastLedger,
  });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startCompletenessWorker = async () => {
    worker = await Worker.create({
      connection: stack.env.nativeConnection,
      taskQueue: stack.queues.completeness,
      activities,
      shutdownGraceTime: '1s',
    });
    running = worker.run();
  };
  const stopCompletenessWorker = async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    worker = undefined;
  };
  await startCompletenessWorker();
  const client = stack.env.client;
  let n = 0;
  return {
    ...stack,
    api,
    twocheckout,
    lastLedger,
    send: (notifications, drop) =>
      deliver(notifications, (x) => (x.kind === 'ipn' ? stack.ipnUrl : stack.lcnUrl), {
        secretKey: SECRET_KEY,
        recordIn: api.store,
        ...(drop ? { drop } : {}),
      }),
    reconcile: (date, o = {}) =>
      client.workflow.execute(reconcileDayWorkflow, {
        taskQueue: stack.queues.workflows,
        workflowId: `reconcile/${date}/test-${Date.now()}-${n++}`,
        args: [
          {
            date,
            activityQueue: stack.queues.completeness,
            settleTimeoutMs: 60_000,
            ...(o.dryRun ? { dryRun: true } : {}),
          },
        ],
      }),
    async startBackfill(input, workflowId) {
      await client.workflow.start(backfillWorkflow, {
        taskQueue: stack.queues.workflows,
        workflowId,
        args: [{ ...input, activityQueue: stack.queues.completeness }],
      });
    },
    startCompletenessWorker,
    stopCompletenessWorker,
    count: (type, eid) => stack.sandbox.records(type).filter((r) => r.externalId === eid).length,
    async close() {
      await stopCompletenessWorker();
      await twocheckout.close();
      await api.close();
      await stack.close();
    },
  };
}

export const salesOrderCount = (s: CompletenessStack, refNo: string) =>
  s.count('salesOrder', externalIds.salesOrder(refNo));
