// The contract between the payout workflow and its activities. Workflows import it with
// `import type` only. Amounts cross it as decimal strings (Temporal payloads are JSON).
import type { PayoutContent } from '../mappings/payout-amounts.js';
import type { PayoutReport } from '../mappings/payout-report.js';

export interface PayoutSettings {
  /** How long to wait for the covered payments to reach NetSuite before parking (ms). */
  waitForPaymentsMs: number;
  recheckEveryMs: number;
}

export interface PayoutReadiness {
  /** The payout's record when it is already in NetSuite (found by externalId). */
  posted?: { type: 'journalEntry' | 'deposit'; id: string; externalId: string };
  /** Covered orders (and refunds, as `<refNo> refund`) not in NetSuite yet. */
  missing: string[];
}

/** One payout (or one transfer of a partially paid one) as 2Checkout lists it. */
export interface PayoutSummary {
  reference: string;
  status: string;
  currency: string;
  amount: string;
  /** YYYY-MM-DD. */
  date: string;
  /** PARTIALLY_PAID: the transfer's id (2Checkout's, else its completion date). */
  transfer?: string;
}

/** A posted payout whose NetSuite entry no longer matches what 2Checkout lists (amount, status, a new transfer). */
export interface PayoutRevision {
  reference: string;
  why: string;
}

export interface PayoutActivities {
  payoutSettings(): Promise<PayoutSettings>;
  /** The payout and what it covers, from 2Checkout's API; a payout 2Checkout does not know parks. */
  fetchPayout(input: { reference: string }): Promise<PayoutContent>;
  /** Is the payout already posted, and which covered documents are not in NetSuite yet? */
  payoutReadiness(input: { content: PayoutContent }): Promise<PayoutReadiness>;
  /**
   * Posts the payout's deposit or journal entry (`externalIds.payout(reference)`) at most once:
   * finds it by externalId first, computes the entry from the NetSuite payments and the current
   * mapping, parks PAYOUT_VARIANCE above the tolerance.
   */
  postPayout(input: { content: PayoutContent }): Promise<PayoutReport>;
  /** References of the payouts 2Checkout made in the last `lookbackDays` days (the poll of histories recorded before it looked back). */
  listPayoutReferences(input: { lookbackDays: number }): Promise<string[]>;
  /** Every payout (and transfer) 2Checkout lists between `from` and `to` (YYYY-MM-DD), cancelled ones included. */
  listPayoutSummaries(input: { from: string; to: string }): Promise<PayoutSummary[]>;
  /** Of the listed payouts whose workflow ran before, those NetSuite holds differently from what 2Checkout now lists. */
  revisedPayouts(input: { payouts: PayoutSummary[] }): Promise<PayoutRevision[]>;
}
