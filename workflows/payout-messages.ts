// Queries of the payout workflows, defined once and shared with the CLI, the tests and ops tools.
// The query name is the same as the order's (`syncState`), so `npm run stuck` reads payouts too.
import { defineQuery } from '@temporalio/workflow';
import type { PayoutReport } from '../mappings/payout-report.js';
import type { SyncStatusValue } from '../shared/search-attributes.js';
import type { JournalEntry, ParkState } from './messages.js';

export type PayoutPhase = 'fetching' | 'waiting' | 'posting' | 'posted' | 'canceled' | 'skipped';

export interface PayoutSyncState {
  reference: string;
  phase: PayoutPhase;
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
  /** NetSuite activity task queues (default TASK_QUEUES; tests isolate themselves with their own). */
  queues?: { netsuite: string; netsuiteMoney: string };
}

export interface PayoutPollInput {
  /** How many days back to list payouts (TransferCompletionDate). */
  lookbackDays?: number;
  queues?: { netsuite: string; netsuiteMoney: string };
  /** Task queue for the payout workflows it starts (default: its own). */
  taskQueue?: string;
}
