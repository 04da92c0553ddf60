// The contract between the completeness workflows (backfill, reconciliation) and their
// activities. Workflows import this file with `import type` only.
import type { CompletenessLedger, OrderComparison } from '../mappings/completeness.js';

export type SweepMode = 'backfill' | 'reconcile';

export interface SweepPageInput {
  /** The day whose orders are read (2Checkout's OrderDate, `YYYY-MM-DD`). */
  day: string;
  page: number;
  mode: SweepMode;
  /** Compare and report only: hand nothing to workflows, park nothing. */
  dryRun: boolean;
  /**
   * Backfill --post-missing: an order missing in NetSuite is posted even if it predates the
   * cut-over (the workflow is told so before its events); otherwise such an order is adopted or
   * reported (parked BEFORE_CUTOVER), never posted (docs/cutover.md).
   */
  postMissing?: boolean;
}

/** What a dry run would post for one order. */
export interface WouldPost {
  refNo: string;
  status: string;
  currency: string;
  gross: string;
  missing: string[];
  events: string[];
}

export interface SweepPageResult {
  day: string;
  page: number;
  hasMore: boolean;
  /** Orders of the day according to 2Checkout (when the API says). */
  count?: number;
  comparisons: OrderComparison[];
  /** Handed to their order workflows (missing in NetSuite). */
  delivered: string[];
  /** Signalled to park with RECONCILIATION_MISMATCH. */
  mismatched: string[];
  /** Orders the API returned that cannot be turned into events (reason per order). */
  unmappable: Array<{ refNo: string; message: string }>;
  wouldPost: WouldPost[];
  calls: { netsuite: number; twocheckout: number };
}

export interface SettleResult {
  synced: string[];
  parked: string[];
  pending: string[];
}

export interface CompletenessActivities {
  /** Reads one page of the day's orders from 2Checkout, compares them with NetSuite, heals and reports. */
  sweepPage(input: SweepPageInput): Promise<SweepPageResult>;
  /** Sales orders / cash sales NetSuite holds for the day that 2Checkout's list does not. */
  netsuiteOnlyOrders(input: { day: string; known: string[] }): Promise<{ refNos: string[]; calls: number }>;
  /** Compares these orders again (after healing), one API read each. */
  verifyOrders(input: {
    refNos: string[];
  }): Promise<{ comparisons: OrderComparison[]; calls: { netsuite: number; twocheckout: number } }>;
  /** Waits (bounded) until the order workflows of `refNos` are no longer in progress; says how they ended. */
  settleOrders(input: { refNos: string[]; timeoutMs: number }): Promise<SettleResult>;
  /** Keeps the day's ledger where finance reads it (NetSuite custom record) and in the worker's metrics. */
  recordLedger(input: { ledger: CompletenessLedger }): Promise<{ recordId?: string; calls: number }>;
}
