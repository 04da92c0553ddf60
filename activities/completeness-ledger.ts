// Where a day's completeness ledger is kept besides the reconciliation workflow's result:
//  - a NetSuite custom record (one per day, externalId `2co-ledger-YYYY-MM-DD`), so finance reads
//    it where they close the books: in a saved search or a list view, next to the transactions;
//  - the worker's Prometheus metrics (the last day reconciled by this process).
import type { CompletenessLedger } from '../mappings/completeness.js';

/** Default custom record type; create it in NetSuite with the fields below (docs/reconciliation.md). */
export const DEFAULT_LEDGER_RECORD_TYPE = 'customrecord_2co_completeness';

/** NetSuite free-form text fields hold up to 4,000 characters (long text: 1,000,000). */
const LONG_TEXT_LIMIT = 100_000;

export function ledgerRecordBody(l: CompletenessLedger): Record<string, unknown> {
  const clip = (s: string) => (s.length > LONG_TEXT_LIMIT ? `${s.slice(0, LONG_TEXT_LIMIT - 20)}… (truncated)` : s);
  return {
    name: `2Checkout completeness ${l.date}`,
    custrecord_2co_ledger_date: l.date,
    custrecord_2co_ledger_state: l.state,
    custrecord_2co_ledger_orders_2co: l.ordersIn2co,
    custrecord_2co_ledger_orders_ns: l.ordersInNs,
    custrecord_2co_ledger_matched: l.counts.matched,
    custrecord_2co_ledger_healed: l.counts.healed,
    custrecord_2co_ledger_mismatched: l.counts.mismatched,
    custrecord_2co_ledger_pending: l.counts.pending,
    custrecord_2co_ledger_exceptions: l.exceptions.length,
    custrecord_2co_ledger_totals: clip(JSON.stringify(l.byCurrency)),
    custrecord_2co_ledger_exception_list: clip(JSON.stringify(l.exceptions)),
    custrecord_2co_ledger_finished: l.finishedAt,
  };
}

export interface LedgerSink {
  record(ledger: CompletenessLedger): void;
}

/** The last ledger this process recorded, for the metrics endpoint. */
export class LastLedger implements LedgerSink {
  last?: CompletenessLedger;
  record(ledger: CompletenessLedger): void {
    if (!this.last || ledger.date >= this.last.date) this.last = ledger;
  }
}
