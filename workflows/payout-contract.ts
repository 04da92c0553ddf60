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
  /** References of the payouts 2Checkout made in the last `lookbackDays` days (for the Schedule's poll). */
  listPayoutReferences(input: { lookbackDays: number }): Promise<string[]>;
}
