// subscriptionWorkflow: one long-running workflow per 2Checkout subscription
// (`subscription/<LICENSE_CODE>`), started by whichever arrives first: an LCN (gateway) or the first
// paid order with a line of this licence (order workflow → notifySubscriptions). It folds LCNs,
// posted orders and its own deadlines into a pure state machine (subscription-state.ts), upserts
// the resulting state into NetSuite after every change, and keeps a durable timer on the expected
// renewal: a renewal that does not come is flagged (SubscriptionStatus = RENEWAL_MISSED,
// SyncStatus = NeedsAttention) instead of being waited for forever.
//
// Orders themselves are posted by their own order workflows (`order/<REFNO>`), never here, so a
// renewal order is de-duplicated like any other order. History stays bounded: the workflow
// continues as new after a fixed number of events, carrying its compact state.
// It completes once the subscription ended (CANCELED / EXPIRED) and nothing arrived for a while.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SubscriptionActivities, SubscriptionSettings } from './activity-contract.js';
import type { SubscriptionRecordState } from '../mappings/sync-types.js';
import type { LicenseEvent } from '../mappings/canonical.js';
import { TASK_QUEUES } from './messages.js';
import { NETSUITE_ACTIVITY_RETRY, NETSUITE_ACTIVITY_TIMEOUTS } from './activity-options.js';
import { EntityKind, LicenseCode, SubscriptionStatus } from '../shared/search-attributes.js';
import {
  licenseEventSignal,
  subscriptionOrderSignal,
  subscriptionStateQuery,
  type ActivityQueues,
  type JournalEntry,
  type SubscriptionOrderNotice,
} from './messages.js';
import { SyncControl } from './parking.js';
import { seedFromRecord } from './subscription-rebuild.js';
import {
  DEFAULT_SUBSCRIPTION_POLICY,
  emptySubscription,
  isEnded,
  nextDeadline,
  recordStateOf,
  statusOf,
  type FoldOutcome,
  type SubscriptionModel,
  type SubscriptionPolicy,
} from './subscription-model.js';
import { dayOf, durationMs } from '../mappings/time-values.js';
import { foldDeadline, foldLicense, foldOrder } from './subscription-state.js';
import { type SubscriptionSyncState } from './messages.js';

/** A notification waiting to be folded (carried across continue-as-new if one is pending). */
export type SubscriptionInboxItem =
  { kind: 'license'; event: LicenseEvent } | { kind: 'order'; notice: SubscriptionOrderNotice };

export interface CarriedSubscription {
  model: SubscriptionModel;
  /** JSON of the state NetSuite was last sent; the next run posts only when the state differs. */
  posted?: string;
  pending: SubscriptionInboxItem[];
  journal: JournalEntry[];
  eventsReceived: number;
  duplicatesIgnored: number;
  run: number;
}

export interface SubscriptionWorkflowInput {
  licenseCode: string;
  /** State carried over by continue-as-new. */
  carried?: CarriedSubscription;
  /** NetSuite activity task queues (default TASK_QUEUES; tests isolate themselves with their own). */
  queues?: ActivityQueues;
  /** Overrides of the policy (tests); renewalGrace / endedLinger otherwise come from the mapping config. */
  policy?: Partial<SubscriptionPolicy>;
}

/** Patch id: new runs rebuild from the NetSuite record (histories recorded before replay without it). */
const REBUILD_FROM_NETSUITE = 'subscription-rebuilds-from-netsuite';
const PAID_PLAN_BEFORE_ANNOUNCED = 'subscription-paid-plan-before-announced';
/** Patch id: a plan change placed mid-period that moves the expiry is an upgrade (issue 28), not a renewal. */
const UPGRADE_RESTARTS_PERIOD = 'subscription-upgrade-restarts-period';

/** Safety net next to eventsPerRun: never let one run's history grow past this. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;

const retry = NETSUITE_ACTIVITY_RETRY;

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<SubscriptionSyncState> {
  const queues: ActivityQueues = input.queues ?? {
    netsuite: TASK_QUEUES.netsuite,
    netsuiteMoney: TASK_QUEUES.netsuiteMoney,
  };
  const netsuite = proxyActivities<SubscriptionActivities>({
    taskQueue: queues.netsuite,
    ...NETSUITE_ACTIVITY_TIMEOUTS,
    retry,
  });
  const control = new SyncControl();
  // Resync posts the current state to NetSuite again (e.g. after the record was edited by hand).
  control.register(true);

  const carried = input.carried;
  const model: SubscriptionModel = carried?.model ?? emptySubscription(input.licenseCode);
  const inbox: SubscriptionInboxItem[] = [...(carried?.pending ?? [])];
  let posted = carried?.posted;
  let eventsReceived = carried?.eventsReceived ?? 0;
  let duplicatesIgnored = carried?.duplicatesIgnored ?? 0;
  const run = (carried?.run ?? 0) + 1;
  let eventsThisRun = 0;
  /** Why the subscription needs a person (a missed renewal), shown in the memo and the query. */
  let attention: string | undefined;
  if (carried) control.journal = carried.journal;
  let policy: SubscriptionPolicy = { ...DEFAULT_SUBSCRIPTION_POLICY, ...input.policy };

  setHandler(licenseEventSignal, (event) => {
    inbox.push({ kind: 'license', event });
  });
  setHandler(subscriptionOrderSignal, (notice) => {
    inbox.push({ kind: 'order', notice });
  });

  const lastPosted = (): SubscriptionRecordState | undefined =>
    posted ? (JSON.parse(posted) as SubscriptionRecordState) : undefined;
  const deadline = () => nextDeadline(model, durationMs(policy.renewalGrace));
  const state = (): SubscriptionSyncState => {
    const d = deadline();
    const p = lastPosted();
    return {
      licenseCode: model.licenseCode,
      status: statusOf(model),
      ...(model.plan
        ? {
            plan: { ...model.plan, ...(model.planItemId ? { netsuiteItemId: model.planItemId } : {}) },
            quantity: model.plan.quantity,
          }
        : {}),
      ...(model.pendingPlan ? { pendingPlan: model.pendingPlan } : {}),
      ...(model.period ? { period: model.period } : {}),
      ...(model.startedOn ? { startedOn: model.startedOn } : {}),
      ...(!isEnded(model) && !model.lifetime && !model.cancelAtPeriodEnd && model.period
        ? { nextRenewal: model.nextRenewal ?? model.period.end }
        : {}),
      ...(d ? { nextDeadline: { kind: d.kind, at: new Date(d.atMs).toISOString() } } : {}),
      cancelAtPeriodEnd: model.cancelAtPeriodEnd,
      lifetime: model.lifetime,
      renewals: model.renewals,
      orders: model.orders,
      ordersTotal: model.ordersTotal,
      ...(model.lastOrderRefNo ? { lastOrderRefNo: model.lastOrderRefNo } : {}),
      customer: model.customer,
      netsuiteRecords: model.records,
      ...(p ? { posted: p } : {}),
      syncStatus: control.syncStatus,
      ...(control.park ? { park: control.park } : {}),
      waiting: attention ? [attention] : [],
      ...(model.endedAt ? { endedAt: model.endedAt } : {}),
      eventsReceived,
      duplicatesIgnored,
      run,
      journal: control.journal,
    };
  };
  setHandler(subscriptionStateQuery, state);

  upsertSearchAttributes([
    { key: LicenseCode, value: input.licenseCode },
    { key: EntityKind, value: 'subscription' },
  ]);
  let shownStatus = workflowInfo().typedSearchAttributes.get(SubscriptionStatus);

  // Grace and linger come from the mapping config (read once per run, so a change applies at the
  // next continue-as-new); explicit input overrides win.
  const settings = await control.runStep('subscriptionSettings', () => netsuite.subscriptionSettings());
  if (settings.ok) policy = mergePolicy(settings.value, input.policy);

  // A new run (not a continue-as-new) starts from what NetSuite shows: an earlier run may have
  // ended this subscription, and a late notice must not revive it.
  if (!carried && patched(REBUILD_FROM_NETSUITE)) {
    const found = await control.runStep('findSubscriptionRecord', () =>
      netsuite.findSubscriptionRecord({ licenseCode: input.licenseCode }),
    );
    if (found.ok && found.value.found) {
      seedFromRecord(model, found.value.found);
      // What NetSuite holds is what was posted: write only when something changes.
      posted = JSON.stringify(recordStateOf(model));
      control.note(
        `state rebuilt from NetSuite: ${statusOf(model)}`,
        model.period ? `period until ${dayOf(model.period.end)}` : undefined,
      );
    }
  }

  const record = (outcome: FoldOutcome) => {
    if (outcome.result === 'duplicate') duplicatesIgnored++;
    else control.note(outcome.note);
  };

  const drainInbox = () => {
    while (inbox.length > 0) {
      const item = inbox.shift()!;
      eventsReceived++;
      eventsThisRun++;
      const rules = () => ({
        paidPlanBeforeAnnounced: patched(PAID_PLAN_BEFORE_ANNOUNCED),
        upgradeRestartsPeriod: patched(UPGRADE_RESTARTS_PERIOD),
      });
      record(
        item.kind === 'order' ? foldOrder(model, item.notice, policy, rules()) : foldLicense(model, item.event, policy),
      );
    }
  };

  const postState = async (): Promise<void> => {
    const snapshot = recordStateOf(model);
    const json = JSON.stringify(snapshot);
    if (json === posted) return;
    const outcome = await control.runStep('upsertSubscriptionRecord', () =>
      netsuite.upsertSubscriptionRecord({ subscription: snapshot }),
    );
    // A skipped write is not retried for this state: the next change posts again.
    posted = json;
    if (!outcome.ok) return;
    const res = outcome.value;
    if (res.itemId) model.planItemId = res.itemId;
    if (res.record && !model.records.some((r) => r.type === res.record!.type && r.id === res.record!.id))
      model.records.push(res.record);
    if (res.action === 'deferred') control.note('subscription record not written yet', res.note);
  };

  /** Search attributes and memo say what a person needs to know, without opening the workflow. */
  const publish = () => {
    const status = statusOf(model);
    if (status !== shownStatus) {
      upsertSearchAttributes([{ key: SubscriptionStatus, value: status }]);
      shownStatus = status;
    }
    const due = model.nextRenewal ?? model.period?.end;
    const need = model.renewalMissed
      ? `renewal due ${due ? dayOf(due) : '?'} has not arrived (grace ${policy.renewalGrace} passed): check the subscription in 2Checkout; a late renewal order or LCN clears this`
      : undefined;
    if (need !== attention) {
      upsertMemo({ attention: need ?? null });
      attention = need;
    }
    control.setStatus(model.renewalMissed ? 'NeedsAttention' : 'Synced');
  };

  const newWork = () => inbox.length > 0 || control.resyncRequest !== undefined;

  for (;;) {
    drainInbox();
    if (control.resyncRequest) {
      control.resyncRequest = undefined;
      posted = undefined;
    }
    const before = posted;
    await postState();
    if (posted !== before && newWork()) continue; // events arrived while NetSuite was written
    publish();

    if (
      eventsThisRun >= policy.eventsPerRun ||
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > HISTORY_EVENTS_BEFORE_CONTINUE
    ) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof subscriptionWorkflow>({
        licenseCode: input.licenseCode,
        queues,
        ...(input.policy ? { policy: input.policy } : {}),
        carried: {
          model,
          ...(posted !== undefined ? { posted } : {}),
          pending: inbox,
          journal: control.journal,
          eventsReceived,
          duplicatesIgnored,
          run,
        },
      });
    }

    if (isEnded(model)) {
      // Ended for good unless something arrives within the linger (e.g. a reactivation LCN).
      if (await condition(newWork, policy.endedLinger)) continue;
      if (inbox.length > 0) continue;
      break;
    }
    const next = deadline();
    if (!next) {
      await condition(newWork);
      continue;
    }
    const waitMs = next.atMs - Date.now();
    if (waitMs > 0 && (await condition(newWork, waitMs))) continue;
    if (inbox.length > 0) continue;
    eventsThisRun++;
    record(foldDeadline(model, next));
  }

  await condition(allHandlersFinished);
  control.setStatus('Closed');
  log.info('subscription ended', { licenseCode: model.licenseCode, status: statusOf(model) });
  return state();
}

function mergePolicy(
  settings: SubscriptionSettings,
  overrides: Partial<SubscriptionPolicy> | undefined,
): SubscriptionPolicy {
  return {
    ...DEFAULT_SUBSCRIPTION_POLICY,
    renewalGrace: settings.renewalGrace,
    endedLinger: settings.endedLinger,
    ...overrides,
  };
}
