// The activities of the action requests (refunds and subscription actions a second person approves,
// docs/actions.md), served on ACTION_TASK_QUEUE: one factory over the injected 2Checkout API
// client, NetSuite client and mapping provider, implementing workflows/action-request-contract.ts.
// They read NetSuite but never write to it (the order and subscription syncs book what 2Checkout
// notifies); the one system they change is 2Checkout, each act guarded by a read before it.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActionContext } from './action-context.js';
import type { MappingProvider } from '../mappings/config-schema.js';
import { durationMs } from '../mappings/time-values.js';
import type { NetSuiteClient } from '../netsuite/types.js';
import type { TwoCheckoutApiClient } from '../twocheckout/rest/client.js';
import type { ActionRequestActivities } from '../workflows/action-request-contract.js';
import { temporalActivityLogger, type ActivityLogger } from './activity-context.js';
import { createRefundRequestActivities } from './refund-request-activities.js';
import { createSubscriptionActionActivities } from './subscription-action-activities.js';

export interface ActionActivityDeps {
  /** 2Checkout's REST API; without it every request is refused with the settings to add. */
  twocheckout?: Pick<TwoCheckoutApiClient, 'getOrder' | 'getJson' | 'sendJson'>;
  netsuite: NetSuiteClient;
  mappings: MappingProvider;
  /**
   * Reads a sync workflow's `syncState` query (the order's booked credits, the subscription's
   * state); default: the worker's own Temporal client, from the activity context.
   */
  syncState?: (workflowId: string) => Promise<unknown>;
  logger?: ActivityLogger;
  now?: () => Date;
}

export function createActionActivities(deps: ActionActivityDeps): ActionRequestActivities {
  const ctx: ActionContext = {
    api() {
      if (!deps.twocheckout) {
        throw ApplicationFailure.create({
          message:
            "2Checkout's API is not configured in this worker, so nothing can be done in 2Checkout: set TWOCHECKOUT_VENDOR_CODE and TWOCHECKOUT_API_SECRET_KEY (docs/actions.md)",
          type: 'ActionsNotConfigured',
          nonRetryable: true,
        });
      }
      return deps.twocheckout;
    },
    netsuite: deps.netsuite,
    mappings: deps.mappings,
    syncState: deps.syncState ?? ((id) => Context.current().client.workflow.getHandle(id).query<unknown>('syncState')),
    logger: deps.logger ?? temporalActivityLogger,
    now: deps.now ?? (() => new Date()),
  };
  return {
    async actionSettings() {
      const a = deps.mappings.current().actions;
      return {
        approvalExpiryMs: durationMs(a.approvalExpiry),
        confirmWaitMs: durationMs(a.confirmWait),
        recheckEveryMs: durationMs(a.recheckEvery),
      };
    },
    ...createRefundRequestActivities(ctx),
    ...createSubscriptionActionActivities(ctx),
  };
}
