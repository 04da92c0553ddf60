// Queries of the payout workflows, defined once and shared with the CLI, the tests and ops tools.
// The query name is the same as the order's (`syncState`), so `npm run stuck` reads payouts too.
import { defineQuery } from '@temporalio/workflow';
import type { PayoutReport } from '../mappings/payout-report.js';
import type { PayoutContent } from '../mappings/payout-amounts.js';
import type { SyncStatusValue } from '../shared/search-attributes.js';
import type { JournalEntry, ParkState } from './messages.js';

export type PayoutPhase = 'fetching' | 'waiting' | 'posting' | 'posted' | 'canceled' | 'skipped';

export interface PayoutSyncState {
  reference: string;
  phase: PayoutPhase;
  /** What 2Checkout says the payout is, once fetched (or imported): amount, currency, transfer date, status. */
  amount?: string;
  currency?: string;
  date?: string;
  status?: string;
  /** How many orders and refunds it covers. */
  documents?: number;
  /** Where it was read: the 2Checkout API or a CSV export (`npm run payouts -- import`). */
  source?: 'api' | 'csv';
  /** Why this run was started again (2Checkout revised or cancelled the payout, a new transfer). */
  revision?: string;
  syncStatus: SyncStatusValue;
  park?: ParkState;
  /** Covered orders (or `<refNo> refund`) whose documents are not in NetSuite yet. */
  waitingFor: string[];
  /** The same, under the name `npm run stuck` reads for orders. */
  waiting: string[];
  /** When the wait for payments started (ISO), and when it parks. */
  waitingSince?: string;
  waitUntil?: string;
  /** Set once posted (or found posted). */
  report?: PayoutReport;
  journal: JournalEntry[];
}

export const payoutStateQuery = defineQuery<PayoutSyncState>('syncState');

export interface PayoutWorkflowInput {
  reference: string;
  /** The payout itself, when it was read from a CSV export instead of the 2Checkout API (no fetch). */
  content?: PayoutContent;
  /** Set by the poll when it starts a posted payout again: what changed at 2Checkout. */
  revision?: string;
  /** NetSuite activity task queues (default TASK_QUEUES; tests isolate themselves with their own). */
  queues?: { netsuite: string; netsuiteMoney: string };
}

export interface PayoutPollInput {
  /** How many days back to list payouts (TransferCompletionDate). */
  lookbackDays?: number;
  /** History: list payouts between these days (YYYY-MM-DD) instead of the look-back. */
  from?: string;
  to?: string;
  queues?: { netsuite: string; netsuiteMoney: string };
  /** Task queue for the payout workflows it starts (default: its own). */
  taskQueue?: string;
}

/** What one poll did: payouts started for the first time, posted payouts started again because 2Checkout revised them. */
export interface PayoutPollResult {
  started: string[];
  /** Started again: 2Checkout revised or cancelled them, or listed a new transfer (with why). */
  revised?: Array<{ reference: string; why: string }>;
  known: number;
}

/** Memo of a payout workflow (for `npm run payouts -- list` without a query per payout). */
export interface PayoutMemo {
  amount: string;
  currency: string;
  date: string;
  status: string;
  documents: number;
}
