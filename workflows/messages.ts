// Signals, queries and updates of the sync workflows. Defined once here and imported by the
// workflows, the gateway, the operator scripts and the tests, so names never drift.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LicenseEvent, OrderEvent } from '../mappings/canonical.js';
import type { OrderRecords, ParkDetails, PostingMode } from '../activities/contract.js';
import type { SyncStatusValue } from '../shared/search-attributes.js';

/** A verified 2Checkout IPN for this order, delivered by the gateway (signal-with-start). */
export const orderEventSignal = defineSignal<[OrderEvent]>('orderEvent');
/** A verified 2Checkout LCN for this subscription. */
export const licenseEventSignal = defineSignal<[LicenseEvent]>('licenseEvent');

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
