// Accounting periods (sandbox/netsuite/README.md, "Accounting periods"): the account's calendar of
// monthly posting periods, each open, closed, or locked for A/R or for everything. A transaction
// posts to the period its `tranDate` falls in (`postingPeriod`, or the one given); NetSuite refuses a
// transaction in a closed period, and one in a period locked for it, to a role without "Override
// Period Restrictions" (an integration role does not have it). The wording of the refusals is the
// sandbox's own: NetSuite's is UNCONFIRMED.
import { userError } from './errors.js';
import type { RecordStore } from './store.js';
import { ref, refId, str, type Fields, type Rec } from './values.js';

export const PERIOD_TYPE = 'accountingPeriod';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `YYYY-MM` → its first and last day. */
function monthBounds(year: number, month: number): { start: string; end: string } {
  const mm = String(month).padStart(2, '0');
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { start: `${year}-${mm}-01`, end: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}

/**
 * The calendar a fresh demo account gets: one open period per month, from..to inclusive. Ids are
 * stable (`YYYYMM`) so tests and the seed can name a period without looking it up.
 */
export function monthlyPeriods(fromYear: number, toYear: number): Rec[] {
  const out: Rec[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    for (let m = 1; m <= 12; m++) {
      const { start, end } = monthBounds(y, m);
      out.push({
        id: `${y}${String(m).padStart(2, '0')}`,
        periodName: `${MONTHS[m - 1]} ${y}`,
        startDate: start,
        endDate: end,
        closed: false,
        arLocked: false,
        apLocked: false,
        allLocked: false,
        allowNonGLChanges: false,
        isPosting: true,
        isAdjust: false,
        isQuarter: false,
        isYear: false,
        isInactive: false,
      });
    }
  }
  return out;
}

const isPostingPeriod = (p: Rec): boolean => p.isAdjust !== true && p.isQuarter !== true && p.isYear !== true;

/** The posting period a date falls in (not an adjustment, quarter or year period). */
export function periodOf(store: RecordStore, date: string): Rec | undefined {
  return store
    .all(PERIOD_TYPE)
    .find((p) => isPostingPeriod(p) && (str(p.startDate) ?? '') <= date && date <= (str(p.endDate) ?? ''));
}

/** Transactions the A/R lock applies to: every customer transaction; journals and deposits are G/L only. */
const AR_TYPES = new Set([
  'salesOrder',
  'invoice',
  'customerPayment',
  'creditMemo',
  'customerRefund',
  'cashSale',
  'cashRefund',
]);

/** What keeps a transaction of `type` out of a period, or undefined when it may post there. */
export function periodRefusal(type: string, period: Fields): string | undefined {
  if (period.closed === true) {
    // A sales order posts nothing to the G/L: NetSuite lets it into a closed period only where the
    // period allows non-G/L changes (and the role may make them; assumed here).
    if (type === 'salesOrder' && period.allowNonGLChanges === true) return undefined;
    return 'closed';
  }
  if (period.allLocked === true) return 'locked';
  if (period.arLocked === true && AR_TYPES.has(type)) return 'locked for A/R';
  return undefined;
}

/**
 * Sets `postingPeriod` from `tranDate` (or checks the one given) and refuses a transaction whose
 * period is closed or locked for it. An account without any period (the feature off) posts freely.
 */
export function checkPostingPeriod(store: RecordStore, type: string, rec: Fields): void {
  if (store.all(PERIOD_TYPE).length === 0) return;
  const date = String(rec.tranDate);
  const given = refId(rec.postingPeriod);
  const period = given !== undefined ? store.get(PERIOD_TYPE, given) : periodOf(store, date);
  if (!period)
    throw userError(
      `There is no accounting period for the transaction date ${date}; set up the period first.`,
      'tranDate',
    );
  const name = str(period.periodName) ?? period.id;
  if (given !== undefined && !((str(period.startDate) ?? '') <= date && date <= (str(period.endDate) ?? ''))) {
    // "Allow Transaction Date Outside of the Posting Period" set to Disallow: the stricter setting.
    throw userError(`The transaction date ${date} is not within the posting period ${name}.`, 'postingPeriod');
  }
  rec.postingPeriod = ref(period.id);
  const refusal = periodRefusal(type, period);
  if (refusal)
    throw userError(
      `The accounting period ${name} is ${refusal}: a transaction dated ${date} cannot be posted to it.`,
      'tranDate',
    );
}

export interface PeriodStatus {
  closed?: boolean;
  arLocked?: boolean;
  allLocked?: boolean;
  allowNonGLChanges?: boolean;
}

/** Closes, locks or reopens one period (`YYYY-MM` or its id); the sandbox owner's tool for tests. */
export function setPeriodStatus(store: RecordStore, month: string, status: PeriodStatus): Rec {
  const key = /^\d{4}-\d{2}$/.test(month) ? month.replace('-', '') : month;
  const period = store.get(PERIOD_TYPE, key) ?? periodOf(store, `${month}-15`);
  if (!period) throw new Error(`no accounting period ${month}`);
  const updated: Rec = { ...period, ...Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) };
  store.put(PERIOD_TYPE, updated);
  return updated;
}
