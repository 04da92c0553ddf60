// Which period a transaction may post to, and what periods.whenClosed does with a closed one.
import { describe, expect, it } from 'vitest';
import { decidePeriod, moveToOpenPeriod, type AccountingPeriod } from '../../mappings/accounting-periods.js';
import type { MappingError } from '../../mappings/errors.js';
import { demoConfig } from './fixtures.js';

const month = (m: string, over: Partial<AccountingPeriod> = {}): AccountingPeriod => {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, mm, 0)).toISOString().slice(0, 10);
  return {
    id: m.replace('-', ''),
    name: m,
    start: `${m}-01`,
    end,
    closed: false,
    arLocked: false,
    allLocked: false,
    ...over,
  };
};

describe('accounting periods', () => {
  const periods = [
    month('2025-06', { closed: true }),
    month('2025-07', { arLocked: true }),
    month('2025-08'),
    month('2025-09', { allLocked: true }),
  ];

  it('lets an open period take the transaction, and finds the first open one after a closed or locked one', () => {
    expect(decidePeriod('2025-08-20', periods, 'ar')).toEqual({ kind: 'open' });
    expect(decidePeriod('2025-06-10', periods, 'ar')).toMatchObject({
      kind: 'blocked',
      why: 'closed',
      period: { name: '2025-06' },
      firstOpen: { name: '2025-08' },
    });
    // A payout journal posts nothing to A/R: the A/R lock does not stop it.
    expect(decidePeriod('2025-07-03', periods, 'gl')).toEqual({ kind: 'open' });
    expect(decidePeriod('2025-06-10', periods, 'gl')).toMatchObject({ firstOpen: { name: '2025-07' } });
    expect(decidePeriod('2025-09-02', periods, 'ar')).toMatchObject({ kind: 'blocked', why: 'locked' });
    expect(decidePeriod('2025-09-02', periods, 'ar')).not.toHaveProperty('firstOpen');
    // A date no period covers is NetSuite's to judge.
    expect(decidePeriod('2030-01-01', periods, 'ar')).toEqual({ kind: 'open' });
  });

  it('moves the body to the first open period keeping the date, or parks naming the period', () => {
    const blocked = decidePeriod('2025-06-10', periods, 'ar');
    if (blocked.kind !== 'blocked') throw new Error('expected blocked');
    const body = { tranDate: '2025-06-10', memo: '2Checkout order 1' };
    const parked = (() => {
      try {
        moveToOpenPeriod(body, blocked, demoConfig(), { refNo: '1', record: 'invoice' });
      } catch (e) {
        return e as MappingError;
      }
      throw new Error('expected a park');
    })();
    expect(parked.details).toMatchObject({ reason: 'PERIOD_CLOSED', path: 'tranDate' });
    expect(parked.message).toMatch(
      /invoice is dated 2025-06-10, in accounting period 2025-06, which is closed.*periods\.whenClosed: nextOpenPeriod.*2025-08 \(dated 2025-08-01\)/,
    );

    const config = demoConfig();
    config.periods = { whenClosed: 'nextOpenPeriod', originalDateField: 'custbody_2co_original_date' };
    expect(moveToOpenPeriod(body, blocked, config, { refNo: '1', record: 'invoice' })).toEqual({
      tranDate: '2025-08-01',
      memo: '2Checkout order 1 (2Checkout date 2025-06-10; 2025-06 is closed)',
      custbody_2co_original_date: '2025-06-10',
    });
    const nowhere = decidePeriod('2025-09-02', periods, 'ar');
    if (nowhere.kind !== 'blocked') throw new Error('expected blocked');
    expect(() => moveToOpenPeriod(body, nowhere, config, { refNo: '1', record: 'invoice' })).toThrow(
      /no later period is open/,
    );
  });
});
