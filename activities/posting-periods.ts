// A transaction write that NetSuite may refuse because its date is in a closed or locked
// accounting period (mappings/accounting-periods.ts). The write is tried as it is: the healthy path
// makes no extra call. Only when NetSuite refuses it (any 400 user error: its wording for a closed
// period is UNCONFIRMED) are the periods from its date on read, in one SuiteQL query; if the date's
// period is closed or locked, `periods.whenClosed` moves the transaction to the first open period
// (then written once more) or parks it naming the period; otherwise NetSuite's own refusal stands.
import { decidePeriod, moveToOpenPeriod, type AccountingPeriod, type Ledger } from '../mappings/accounting-periods.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import { NetSuiteError, type NetSuiteClient, type RequestOptions, type SuiteQlRow } from '../netsuite/types.js';
import { day, suiteql, type SuiteQl } from '../netsuite/suiteql.js';

/** Posting periods ending on or after a date (monthly ones: not adjustment, quarter or year periods). */
export const accountingPeriodsQuery = (from: string): SuiteQl =>
  suiteql`SELECT id, periodname, TO_CHAR(startdate, 'YYYY-MM-DD') AS startdate, TO_CHAR(enddate, 'YYYY-MM-DD') AS enddate, closed, arlocked, alllocked FROM accountingperiod WHERE isyear = 'F' AND isquarter = 'F' AND isadjust = 'F' AND enddate >= ${day(from)} ORDER BY startdate FETCH FIRST 36 ROWS ONLY`;

const text = (v: SuiteQlRow[string]): string => (v === null || v === undefined ? '' : String(v));
const flag = (v: SuiteQlRow[string]): boolean => text(v).toUpperCase() === 'T' || v === true;

export function periodFromRow(r: SuiteQlRow): AccountingPeriod {
  return {
    id: text(r.id),
    name: text(r.periodname) || text(r.id),
    start: text(r.startdate).slice(0, 10),
    end: text(r.enddate).slice(0, 10),
    closed: flag(r.closed),
    arLocked: flag(r.arlocked),
    allLocked: flag(r.alllocked),
  };
}

export interface PeriodWrite {
  ns: NetSuiteClient;
  config: MappingConfig;
  /** Says what is written, for the park message: e.g. `{ refNo, record: 'sales order' }`. */
  what: { refNo: string; record: string };
  ledger?: Ledger;
  opts?: RequestOptions;
}

/** Runs `write(body)`; on a refusal caused by a closed or locked period, applies periods.whenClosed. */
export async function writeInOpenPeriod<T>(
  p: PeriodWrite,
  body: Record<string, unknown>,
  write: (body: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  try {
    return await write(body);
  } catch (e) {
    if (!(e instanceof NetSuiteError && e.kind === 'user')) throw e;
    // Without a tranDate NetSuite dates the transaction today.
    const date = typeof body.tranDate === 'string' ? body.tranDate : new Date().toISOString().slice(0, 10);
    const rows = await p.ns.suiteqlAll(accountingPeriodsQuery(date), p.opts);
    const decision = decidePeriod(date, rows.map(periodFromRow), p.ledger ?? 'ar');
    if (decision.kind === 'open') throw e;
    return write(moveToOpenPeriod(body, decision, p.config, p.what));
  }
}
