// Where a day's completeness ledger is kept besides the reconciliation workflow's result:
//  - a NetSuite custom record (one per day, externalId `2co-ledger-YYYY-MM-DD`), so finance reads
//    it where they close the books: in a saved search or a list view, next to the transactions;
//  - the worker's Prometheus metrics (the last day reconciled by this process).
import type { CompletenessLedger } from '../mappings/completeness.js';
import { COMPLETENESS_RECORD } from '../mappings/custom-objects.js';

/** Default custom record type; create it in NetSuite with the fields below (docs/reconciliation.md). */
export const DEFAULT_LEDGER_RECORD_TYPE = COMPLETENESS_RECORD.scriptId;

/** NetSuite free-form text fields hold up to 4,000 characters (long text: 1,000,000). */
const LONG_TEXT_LIMIT = 100_000;

export function ledgerRecordBody(l: CompletenessLedger): Record<string, unknown> {
  const clip = (s: string) => (s.length > LONG_TEXT_LIMIT ? `${s.slice(0, LONG_TEXT_LIMIT - 20)}… (truncated)` : s);
  // Field ids from the catalogue (mappings/custom-objects.ts), the source of the SDF project too.
  const f = COMPLETENESS_RECORD.fields;
  return {
    name: `2Checkout completeness ${l.date}`,
    [f.date.scriptId]: l.date,
    [f.state.scriptId]: l.state,
    [f.ordersIn2co.scriptId]: l.ordersIn2co,
    [f.ordersInNs.scriptId]: l.ordersInNs,
    [f.matched.scriptId]: l.counts.matched,
    [f.healed.scriptId]: l.counts.healed,
    [f.mismatched.scriptId]: l.counts.mismatched,
    [f.pending.scriptId]: l.counts.pending,
    [f.exceptions.scriptId]: l.exceptions.length,
    [f.totals.scriptId]: clip(JSON.stringify(l.byCurrency)),
    [f.exceptionList.scriptId]: clip(JSON.stringify(l.exceptions)),
    [f.finishedAt.scriptId]: l.finishedAt,
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
