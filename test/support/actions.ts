// The whole loop of an action request in one test process: the completeness stack (NetSuite
// sandbox, workers, gateway, the 2Checkout API sandbox sharing its store with the webhook sender)
// plus a worker for the action-request activities on the stack's own queue, with the API sandbox
// sending its notifications (the REFUND IPN, the LCN) to the stack's gateway.
import { Worker } from '@temporalio/worker';
import { createActionActivities } from '../../activities/action-activities.js';
import { externalIds } from '../../mappings/ids.js';
import {
  decideRequest,
  readRequest,
  requestRefund,
  requestSubscriptionAction,
  type RequestQueues,
} from '../../operations/action-requests.js';
import type {
  RefundRequestInput,
  RequestActor,
  RequestDecision,
  SubscriptionActionInput,
} from '../../workflows/action-request-messages.js';
import { activityLiveness } from '../../worker/activity-liveness.js';
import { SECRET_KEY } from './stack.js';
import { startCompletenessStack, type CompletenessStack } from './completeness.js';
import { eventually } from './temporal.js';
import type { ActionRequestState } from '../../workflows/action-request-messages.js';
import type { TestStackOptions } from './stack.js';

export const ALICE: RequestActor = { name: 'alice@example.com', via: 'cli' };
export const BOB: RequestActor = { name: 'bob@example.com', via: 'cli' };

export interface ActionStack extends CompletenessStack {
  actionQueue: string;
  queues: CompletenessStack['queues'];
  requestOpts: RequestQueues;
  requestRefund(
    input: Omit<RefundRequestInput, 'n' | 'requester'> & { requester?: RequestActor },
  ): ReturnType<typeof requestRefund>;
  requestSubscriptionAction(
    input: Omit<SubscriptionActionInput, 'n' | 'requester'> & { requester?: RequestActor },
  ): ReturnType<typeof requestSubscriptionAction>;
  decide(id: string, decision: RequestDecision): ReturnType<typeof decideRequest>;
  read(id: string): Promise<ActionRequestState | undefined>;
  waitForRequest(
    id: string,
    accept: (s: ActionRequestState) => boolean,
    timeoutMs?: number,
  ): Promise<ActionRequestState>;
  /** Refunds of the order the 2Checkout sandbox holds (REFUND events). */
  refundsIn2Checkout(refNo: string): number;
  creditMemos(refNo: string): number;
  customerRefunds(refNo: string): number;
  startActionWorker(): Promise<void>;
  stopActionWorker(): Promise<void>;
}

export async function startActionStack(opts: TestStackOptions = {}): Promise<ActionStack> {
  const s = await startCompletenessStack(opts);
  // Short waits, so a test sees the confirmation within seconds.
  s.mappings.config = { ...s.mappings.config, actions: { ...s.mappings.config.actions, recheckEvery: '1s' } };
  s.api.notifyTo({ ipnUrl: s.ipnUrl, lcnUrl: s.lcnUrl, secretKey: SECRET_KEY });
  const actionQueue = `act-${s.queues.workflows}`;
  const activities = createActionActivities({ twocheckout: s.twocheckout, netsuite: s.netsuite, mappings: s.mappings });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startActionWorker = async () => {
    worker = await Worker.create({
      connection: s.env.nativeConnection,
      taskQueue: actionQueue,
      activities,
      interceptors: { activity: [activityLiveness] },
      maxHeartbeatThrottleInterval: 3_000,
      defaultHeartbeatThrottleInterval: 3_000,
      shutdownGraceTime: '1s',
    });
    running = worker.run();
  };
  const stopActionWorker = async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    worker = undefined;
  };
  await startActionWorker();
  const requestOpts: RequestQueues = { taskQueue: s.queues.workflows, activityQueue: actionQueue };
  const client = s.env.client;
  const prefixOf = (refNo: string) => externalIds.creditMemo(refNo, 'x').slice(0, -1);
  const read = (id: string) => readRequest(client, id);
  return {
    ...s,
    actionQueue,
    requestOpts,
    requestRefund: (input) => requestRefund(client, { requester: ALICE, ...input }, requestOpts),
    requestSubscriptionAction: (input) =>
      requestSubscriptionAction(client, { requester: ALICE, ...input }, requestOpts),
    decide: (id, d) => decideRequest(client, id, d),
    read,
    waitForRequest: (id, accept, timeoutMs = 60_000) =>
      eventually(
        () => read(id).catch(() => undefined),
        (x): boolean => x !== undefined && accept(x),
        timeoutMs,
      ) as Promise<ActionRequestState>,
    refundsIn2Checkout: (refNo) => s.api.store.get(refNo)?.events.filter((e) => e.status === 'REFUND').length ?? 0,
    creditMemos: (refNo) =>
      s.sandbox.records('creditMemo').filter((r) => String(r.externalId ?? '').startsWith(prefixOf(refNo))).length,
    customerRefunds: (refNo) =>
      s.sandbox
        .records('customerRefund')
        .filter((r) => String(r.externalId ?? '').startsWith(prefixOf(refNo).replace('-cm-', '-rf-'))).length,
    startActionWorker,
    stopActionWorker,
    async close() {
      await stopActionWorker();
      await s.api.refunds.settled();
      await s.api.subscriptions.settled();
      await s.close();
    },
  };
}
