// Closed accounting periods (docs/mappings.md, "Closed accounting periods"). NetSuite refuses a
// transaction dated in a period that is closed, or locked for what it posts to (A/R for every
// order and refund document; the whole G/L for a payout journal), to a role without "Override
// Period Restrictions" (docs/reference-notes.md#ns-periods). Pure: the activity reads the periods
// (activities/posting-periods.ts) and this decides, by `periods.whenClosed`, whether the
// transaction moves to the first open period or the sync parks naming the period.
import type { MappingConfig } from './config-schema.js';
import { MappingError } from './errors.js';
import { mappingFileOf } from './resolve.js';

/** One posting period as the sync reads it (SuiteQL `accountingperiod`). */
export interface AccountingPeriod {
  id: string;
  name: string;
  /** YYYY-MM-DD */
  start: string;
  end: string;
  closed: boolean;
  arLocked: boolean;
  allLocked: boolean;
}

/** What a transaction posts to: A/R (customer documents) or only the general ledger (journals, deposits). */
export type Ledger = 'ar' | 'gl';

/** Why the period does not take the transaction, or undefined when it is open for it. */
export function periodBlock(p: AccountingPeriod, ledger: Ledger): 'closed' | 'locked' | 'locked for A/R' | undefined {
  if (p.closed) return 'closed';
  if (p.allLocked) return 'locked';
  if (p.arLocked && ledger === 'ar') return 'locked for A/R';
  return undefined;
}

export type PeriodDecision =
  | { kind: 'open' }
  | { kind: 'blocked'; date: string; period: AccountingPeriod; why: string; firstOpen?: AccountingPeriod };

/**
 * Whether `date` may be posted as it is. `periods` are the posting periods ending on or after it,
 * in date order; a date no period covers is left to NetSuite's own answer ('open').
 */
export function decidePeriod(date: string, periods: readonly AccountingPeriod[], ledger: Ledger): PeriodDecision {
  const sorted = [...periods].sort((a, b) => a.start.localeCompare(b.start));
  const period = sorted.find((p) => p.start <= date && date <= p.end);
  if (!period) return { kind: 'open' };
  const why = periodBlock(period, ledger);
  if (!why) return { kind: 'open' };
  const firstOpen = sorted.find((p) => p.start > period.end && periodBlock(p, ledger) === undefined);
  return { kind: 'blocked', date, period, why, ...(firstOpen ? { firstOpen } : {}) };
}

/**
 * The transaction body moved into the first open period (dated its first day, 2Checkout's date
 * kept in the memo and in `periods.originalDateField`), or a PERIOD_CLOSED park when the policy is
 * `park` or no later period is open.
 */
export function moveToOpenPeriod(
  body: Record<string, unknown>,
  decision: Extract<PeriodDecision, { kind: 'blocked' }>,
  config: MappingConfig,
  what: { refNo: string; record: string },
): Record<string, unknown> {
  const { date, period, why, firstOpen } = decision;
  const file = mappingFileOf(config);
  if (config.periods.whenClosed === 'park' || !firstOpen) {
    const way = firstOpen
      ? `, or set periods.whenClosed: nextOpenPeriod in ${file} to post it in ${firstOpen.name} (dated ${firstOpen.start}) with its date kept on the record`
      : ' (no later period is open for it either)';
    throw new MappingError(
      'PERIOD_CLOSED',
      `order ${what.refNo}: the ${what.record} is dated ${date}, in accounting period ${period.name}, which is ${why} in NetSuite. Nothing was posted. ` +
        `Reopen the period in NetSuite${way}, then retry; or post it by hand and skip this step with a reason`,
      'tranDate',
    );
  }
  const memo = typeof body.memo === 'string' ? body.memo : '';
  const field = config.periods.originalDateField;
  return {
    ...body,
    tranDate: firstOpen.start,
    memo: `${memo} (2Checkout date ${date}; ${period.name} is ${why})`.trim(),
    ...(field ? { [field]: date } : {}),
  };
}
