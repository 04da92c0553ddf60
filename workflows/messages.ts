// The one door for callers of the sync workflows: task queues, workflow ids, signals, queries and
// updates with their payload and state types, and the signal-with-start options. Defined once here
// and imported by the workflows, the gateway, the activities, the operator tools and the tests, so
// names never drift. Pure and workflow-safe (only @temporalio/workflow's define* helpers).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import type { OrderRecords, ParkDetails, PostingMode, SubscriptionRecordState } from '../mappings/sync-types.js';
import type { AdoptedDocument } from '../mappings/adoption.js';
import type { ShadowVerdict } from '../mappings/shadow.js';
import { initialSearchAttributes, type SyncStatusValue } from '../shared/search-attributes.js';
import type {
  DeadlineKind,
  NetSuiteRecordRef,
  SubscriptionModel,
  SubscriptionOrder,
  SubscriptionPeriod,
  SubscriptionPlan,
  SubscriptionStatusValue,
} from './subscription-model.js';

export const TASK_QUEUES = {
  /** Order and subscription workflows. */
  workflows: 'twocheckout-sync',
  /** NetSuite activities for new orders (customers, sales orders, invoices). */
  netsuite: 'netsuite',
  /** NetSuite activities for money already taken or given back: payments, refunds (priority lane). */
  netsuiteMoney: 'netsuite-money',
  /**
   * Bulk work (backfill, reconciliation healing, resyncs): its order workflows and their NetSuite
   * activities run on queues of their own, served by workers with their own slots, so a live order
   * never waits for a slot bulk work holds (workflows/lanes.ts). The NetSuite limiter stays shared.
   */
  workflowsBulk: 'twocheckout-sync-bulk',
  netsuiteBulk: 'netsuite-bulk',
  netsuiteMoneyBulk: 'netsuite-money-bulk',
  /** Backfill and reconciliation activities: 2Checkout API reads, NetSuite SuiteQL reads, hand-over to order workflows. */
  completeness: 'twocheckout-completeness',
} as const;

/** Workflow ids are derived only from 2Checkout references, so a redelivered event lands on the same workflow. */
export const orderWorkflowId = (refNo: string): string => `order/${refNo}`;
export const subscriptionWorkflowId = (licenseCode: string): string => `subscription/${licenseCode}`;
export const payoutWorkflowId = (reference: string): string => `payout/${reference}`;
export const reconcileWorkflowId = (date: string, runTag: string): string => `reconcile/${date}/${runTag}`;
export const backfillWorkflowId = (from: string, to: string): string => `backfill/${from}..${to}`;

/** NetSuite activity task queues a workflow uses (tests isolate themselves with their own). */
export interface ActivityQueues {
  netsuite: string;
  netsuiteMoney: string;
  /** The bulk lane's (workflows/lanes.ts); without them bulk steps use the two above, as before. */
  netsuiteBulk?: string;
  netsuiteMoneyBulk?: string;
}

/** The production queues of both lanes. */
export function defaultActivityQueues(): ActivityQueues {
  const { netsuite, netsuiteMoney, netsuiteBulk, netsuiteMoneyBulk } = TASK_QUEUES;
  return { netsuite, netsuiteMoney, netsuiteBulk, netsuiteMoneyBulk };
}

/**
 * The start half of a signal-with-start that hands a subscription workflow an LCN or a posted
 * order (the hand-over of workflows/handover.ts and the order workflow's link activity). Callers add `signal`/`signalArgs`
 * and pass `subscriptionWorkflow` (or its type) so the arguments are checked against it.
 */
export function subscriptionWorkflowStart(target: { licenseCode: string; taskQueue: string; queues?: ActivityQueues }) {
  const { licenseCode, taskQueue, queues } = target;
  return {
    workflowId: subscriptionWorkflowId(licenseCode),
    taskQueue,
    args: [{ licenseCode, ...(queues ? { queues } : {}) }] as [{ licenseCode: string; queues?: ActivityQueues }],
    typedSearchAttributes: initialSearchAttributes('subscription', licenseCode),
  };
}

/** A verified 2Checkout IPN for this order, delivered by the gateway (signal-with-start). */
export const orderEventSignal = defineSignal<[OrderEvent]>('orderEvent');
/**
 * Reconciliation found that NetSuite differs from 2Checkout for this order in a way a sync cannot
 * fix (an amount or currency edited by hand, more credited than refunded). The order workflow
 * parks with reason RECONCILIATION_MISMATCH so a person looks; nothing in NetSuite is changed.
 * `retry` after correcting NetSuite (the next reconciliation checks again), `skip` to accept it.
 */
export interface ReconciliationMismatch {
  /** The day reconciled, `YYYY-MM-DD`. */
  date: string;
  findings: string[];
}
export const reconciliationMismatchSignal = defineSignal<[ReconciliationMismatch]>('reconciliationMismatch');

/**
 * Wakes an idle order sync (synced, waiting for refunds) so that, when a newer build is the
 * deployment's current version, it continues as new on that build and its old build can be retired
 * (docs/operating.md, "Rolling out a new build"). Does nothing otherwise.
 */
export const moveToCurrentBuildSignal = defineSignal('moveToCurrentBuild');

/**
 * An operator asks the sync to post an order sold before `cutover.at` that the previous tool did
 * not book (`npm run backfill -- --post-missing`, docs/cutover.md): a BEFORE_CUTOVER park is
 * retried, and later steps of the order are posted. Adoption still comes first.
 */
export interface PostBeforeCutover {
  by?: string;
  reason?: string;
}
export const postBeforeCutoverSignal = defineSignal<[PostBeforeCutover]>('postBeforeCutover');
/** A verified 2Checkout LCN for this subscription. */
export const licenseEventSignal = defineSignal<[LicenseEvent]>('licenseEvent');

/** A paid order with lines of this subscription was posted (sent by the order workflow). */
export interface SubscriptionOrderNotice {
  /** Key for de-duplication: the order's REFNO. */
  refNo: string;
  order: OrderEvent;
  records: OrderRecords;
}
export const subscriptionOrderSignal = defineSignal<[SubscriptionOrderNotice]>('subscriptionOrder');

export interface OperatorDecision {
  /** retry: run the parked step again (e.g. after fixing the mapping); skip: give up on that step. */
  action: 'retry' | 'skip';
  /** Why (recorded in history and memo). Required for skip. */
  reason?: string;
  /** Who decided (free text, e.g. an e-mail or a ticket id). */
  by?: string;
}
/** Operator's answer to a parked sync. Sendable from the Web UI, the `temporal` CLI or `npm run ops`. */
export const operatorDecisionSignal = defineSignal<[OperatorDecision]>('operatorDecision');

export interface OperatorAction {
  /**
   * retry: run the parked step again; skip: give up on the parked step (reason required);
   * resync: post the order again from its stored 2Checkout events, adopting whatever still exists
   * in NetSuite by externalId (e.g. after records were deleted by hand). Reason required.
   */
  action: 'retry' | 'skip' | 'resync';
  reason?: string;
  by?: string;
  /**
   * resync only: steps an operator skipped earlier that this resync should post after all (e.g.
   * `invoice`); the steps that need them come along. Without it, skipped steps stay skipped.
   */
  steps?: string[];
  /**
   * The worker's mapping state as the caller read it (`npm run ops` asks the worker's status
   * endpoint): a retry of a mapping park is refused while the mapping file does not load.
   */
  mappings?: { file: string; version: string; loadError?: string };
}
export interface OperatorActionResult {
  accepted: true;
  action: OperatorAction['action'];
  /** The step the action applies to (retry/skip), if any. */
  step?: string;
}
/**
 * The same operator actions as an update: the validator rejects a bad request (nothing parked,
 * missing reason) before anything is written to history, and the caller learns it was accepted.
 */
export const operatorActionUpdate = defineUpdate<OperatorActionResult, [OperatorAction]>('operatorAction');

export interface ParkState extends ParkDetails {
  /** Which step is parked, e.g. `salesOrder`, `refund:1234`. */
  step: string;
  /** ISO time the sync parked. */
  since: string;
}

export interface JournalEntry {
  at: string;
  what: string;
  detail?: string;
}

export interface OrderSyncState {
  refNo: string;
  postingMode: PostingMode;
  /** Most advanced ORDERSTATUS seen (monotone). */
  orderStatus?: string;
  syncStatus: SyncStatusValue;
  park?: ParkState;
  records: OrderRecords;
  /** Steps completed (or skipped by an operator), in order. */
  completedSteps: string[];
  skippedSteps: string[];
  /** Money-back events (refunds, chargebacks) waiting for their prerequisites. */
  waiting: string[];
  dispute?: { resolution: string; reasonCode?: string };
  eventsReceived: number;
  duplicatesIgnored: number;
  journal: JournalEntry[];
  /** Records another tool made for the order, adopted by the sync (docs/cutover.md). */
  adoption?: {
    adopted: AdoptedDocument[];
    links: Array<{ role: string; id: string; how: string }>;
    beforeCutover: boolean;
  };
  /** Shadow mode: what the sync would have done (the run wrote nothing). */
  shadow?: ShadowVerdict;
}
export const orderStateQuery = defineQuery<OrderSyncState>('syncState');

// ---------------------------------------------------------------------------------------------
// What the workflow answers to `subscriptionStateQuery`

export interface SubscriptionSyncState {
  licenseCode: string;
  status: SubscriptionStatusValue;
  plan?: SubscriptionPlan & { netsuiteItemId?: string };
  quantity?: number;
  /** Plan that takes effect with the next renewal. */
  pendingPlan?: SubscriptionPlan;
  period?: SubscriptionPeriod;
  startedOn?: string;
  /** Expected renewal date (local); absent when no renewal is expected. */
  nextRenewal?: string;
  /** When a missing renewal will be flagged, or a period that is cancelled at its end ends (ISO, UTC). */
  nextDeadline?: { kind: DeadlineKind; at: string };
  cancelAtPeriodEnd: boolean;
  lifetime: boolean;
  renewals: number;
  /** The newest orders of this subscription (REFNOs with what each did), oldest first. */
  orders: SubscriptionOrder[];
  ordersTotal: number;
  lastOrderRefNo?: string;
  customer: SubscriptionModel['customer'];
  /** NetSuite records this workflow made. */
  netsuiteRecords: NetSuiteRecordRef[];
  /** What NetSuite was last sent (what finance sees). */
  posted?: SubscriptionRecordState;
  syncStatus: SyncStatusValue;
  park?: ParkState;
  /** What the subscription waits for that is overdue (a missed renewal), for a person to check. */
  waiting: string[];
  endedAt?: string;
  eventsReceived: number;
  duplicatesIgnored: number;
  /** Runs of this workflow so far (continue-as-new starts a new one). */
  run: number;
  journal: JournalEntry[];
}
/**
 * A subscription's state: plan, quantity, period, status, next renewal, orders and the NetSuite
 * records it made. Same query name as the order's, so ops tools (`npm run stuck`) read both kinds.
 */
export const subscriptionStateQuery = defineQuery<SubscriptionSyncState>('syncState');
