// Signals, queries and updates of the sync workflows. Defined once here and imported by the
// workflows, the gateway, the operator scripts and the tests, so names never drift.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import type { OrderRecords, ParkDetails, PostingMode } from '../mappings/sync-types.js';
import type { SyncStatusValue } from '../shared/search-attributes.js';
import type { SubscriptionSyncState } from './subscription-state.js';

/** A verified 2Checkout IPN for this order, delivered by the gateway (signal-with-start). */
export const orderEventSignal = defineSignal<[OrderEvent]>('orderEvent');
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
}
export const orderStateQuery = defineQuery<OrderSyncState>('syncState');

export type { SubscriptionSyncState } from './subscription-state.js';
/**
 * A subscription's state: plan, quantity, period, status, next renewal, orders and the NetSuite
 * records it made. Same query name as the order's, so ops tools (`npm run stuck`) read both kinds.
 */
export const subscriptionStateQuery = defineQuery<SubscriptionSyncState>('syncState');
