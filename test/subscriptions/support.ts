// Workflow-test support for subscriptions: the Java time-skipping test server (long timelines:
// months of renewals, grace periods, lingering) with the project's search attributes, a recording
// fake of the NetSuite subscription activities, and workers on unique task queues.
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import type { Connection, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ParkDetails, SubscriptionRecordState } from '../../mappings/sync-types.js';
import type { SubscriptionActivities, UpsertSubscriptionRecordResult } from '../../workflows/activity-contract.js';
import type { LicenseEvent } from '../../mappings/canonical.js';
import { externalIds } from '../../mappings/ids.js';
import { subscriptionWorkflowId } from '../../workflows/messages.js';
import { allSearchAttributes, EntityKind, LicenseCode, SyncStatus } from '../../shared/search-attributes.js';
import { temporalBinaries } from '../../shared/temporal-binaries.js';
import {
  licenseEventSignal,
  subscriptionOrderSignal,
  subscriptionStateQuery,
  type SubscriptionOrderNotice,
  type SubscriptionSyncState,
} from '../../workflows/messages.js';
import type { subscriptionWorkflow, SubscriptionWorkflowInput } from '../../workflows/subscription.js';
import type { SubscriptionPolicy } from '../../workflows/subscription-model.js';
import { eventually, uniqueQueues, type TestQueues } from '../support/temporal.js';

const { temporal } = proto;
const INDEXED: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * The time-skipping server rejects an upsert of an unregistered search attribute (the workflow task
 * fails with "search attribute SubscriptionStatus is not defined" and retries forever). It has no
 * ListSearchAttributes (UNIMPLEMENTED), so shared/register-search-attributes.ts cannot be used, but
 * it does implement AddSearchAttributes: register every project attribute that way.
 */
async function registerOnTestServer(connection: Connection): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(allSearchAttributes.map((k) => [k.name, INDEXED[k.type]!])),
  });
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalBinaries().testServer } },
  });
  await registerOnTestServer(env.connection);
  return env;
}

export interface RecordingActivities {
  activities: SubscriptionActivities;
  /** Every state the workflow posted to NetSuite, in order. */
  posted: SubscriptionRecordState[];
  /** Failures to throw (as parking failures) on the next upserts. */
  failNext: ParkDetails[];
}

export function recordingActivities(): RecordingActivities {
  const posted: SubscriptionRecordState[] = [];
  const failNext: ParkDetails[] = [];
  return {
    posted,
    failNext,
    activities: {
      async subscriptionSettings() {
        return { renewalGrace: '3d', endedLinger: '30d' };
      },
      // What NetSuite holds: the last state posted (a new run rebuilds from it).
      async findSubscriptionRecord() {
        const last = posted.at(-1);
        return last ? { found: last } : {};
      },
      async upsertSubscriptionRecord({ subscription }): Promise<UpsertSubscriptionRecordResult> {
        const failure = failNext.shift();
        if (failure)
          throw ApplicationFailure.create({
            message: failure.message,
            type: 'MappingError',
            nonRetryable: true,
            details: [failure],
          });
        posted.push(subscription);
        return {
          action: 'upserted',
          record: {
            type: 'customrecord_2co_subscription',
            id: '77',
            externalId: externalIds.subscription(subscription.licenseCode),
          },
          itemId: '103',
        };
      },
    },
  };
}

export interface SubscriptionHarness {
  queues: TestQueues;
  licenseCode: string;
  handle(): WorkflowHandle<typeof subscriptionWorkflow>;
  /** Delivers like the order workflow does: signal-with-start of the posted-order notice. */
  sendOrder(notice: SubscriptionOrderNotice): Promise<void>;
  /** Delivers like the gateway does: signal-with-start of the LCN. */
  sendLcn(event: LicenseEvent): Promise<void>;
  state(): Promise<SubscriptionSyncState | undefined>;
  waitFor(accept: (s: SubscriptionSyncState) => boolean, what?: string): Promise<SubscriptionSyncState>;
}

/**
 * Workflows the harnesses started. The time-skipping server's clock is shared: a workflow left
 * running by a failed test (its worker gone) would keep firing timers nobody handles and stall the
 * next tests, so the test files terminate what is still running after each test (terminateStarted).
 */
const startedWorkflowIds = new Set<string>();

export function harness(env: TestWorkflowEnvironment, policy: Partial<SubscriptionPolicy> = {}): SubscriptionHarness {
  const queues = uniqueQueues();
  const licenseCode = `L${randomUUID().slice(0, 9).replace('-', '').toUpperCase()}`;
  const workflowId = subscriptionWorkflowId(licenseCode);
  const args: [SubscriptionWorkflowInput] = [
    { licenseCode, queues: { netsuite: queues.netsuite, netsuiteMoney: queues.netsuiteMoney }, policy },
  ];
  const startOptions = {
    workflowId,
    taskQueue: queues.workflows,
    args,
    typedSearchAttributes: [
      { key: LicenseCode, value: licenseCode },
      { key: EntityKind, value: 'subscription' },
      { key: SyncStatus, value: 'InProgress' },
    ],
  };
  const handle = () => env.client.workflow.getHandle<typeof subscriptionWorkflow>(workflowId);
  const state = () =>
    handle()
      .query(subscriptionStateQuery)
      .catch(() => undefined);
  return {
    queues,
    licenseCode,
    handle,
    async sendOrder(notice) {
      startedWorkflowIds.add(workflowId);
      await env.client.workflow.signalWithStart('subscriptionWorkflow', {
        ...startOptions,
        signal: subscriptionOrderSignal,
        signalArgs: [notice],
      });
    },
    async sendLcn(event) {
      startedWorkflowIds.add(workflowId);
      await env.client.workflow.signalWithStart('subscriptionWorkflow', {
        ...startOptions,
        signal: licenseEventSignal,
        signalArgs: [event],
      });
    },
    state,
    waitFor: (accept) =>
      eventually(state, (s): boolean => s !== undefined && accept(s)) as Promise<SubscriptionSyncState>,
  };
}

/** Terminates what the harnesses started and is still running (call after each test). */
export async function terminateStarted(env: TestWorkflowEnvironment): Promise<void> {
  for (const id of startedWorkflowIds) {
    await env.client.workflow
      .getHandle(id)
      .terminate('test ended')
      .catch(() => undefined); // already closed
  }
  startedWorkflowIds.clear();
}
