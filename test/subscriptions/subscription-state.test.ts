// The subscription state machine on its own: what each LCN, posted order and deadline does to the
// subscription, and what NetSuite is then told.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SUBSCRIPTION_POLICY,
  emptySubscription,
  nextDeadline,
  recordStateOf,
  statusOf,
  type SubscriptionModel,
} from '../../workflows/subscription-model.js';
import { durationMs, instantOf, normalizeDateTime, parseUtcOffset } from '../../mappings/time-values.js';
import { CURRENT_FOLD_RULES, foldDeadline, foldLicense, foldOrder } from '../../workflows/subscription-state.js';
import { addDays, addMonths, lcn, licenceOrder } from './builders.js';

const CODE = 'LIC0000001';
const policy = DEFAULT_SUBSCRIPTION_POLICY;
const GRACE = durationMs('3d');
const T0 = new Date('2026-01-15T09:30:00Z');
const month = (n: number) => addMonths(T0, n);

/** A subscription after its first order (one month, SUB-MONTHLY × 1). */
function started(): SubscriptionModel {
  const m = emptySubscription(CODE);
  foldOrder(m, licenceOrder('1001', { licenseCode: CODE, start: T0, expires: month(1) }), policy);
  return m;
}

describe('subscription state: orders', () => {
  it('the first paid order starts the subscription: plan, period, next renewal, customer', () => {
    const m = started();
    expect(statusOf(m)).toBe('ACTIVE');
    expect(m.plan).toMatchObject({ productCode: 'SUB-MONTHLY', quantity: 1 });
    expect(m.orders.map((o) => [o.refNo, o.kind])).toEqual([['1001', 'initial']]);
    expect(recordStateOf(m)).toEqual({
      licenseCode: CODE,
      status: 'ACTIVE',
      plan: { productCode: 'SUB-MONTHLY', productId: '5001', name: 'SUB-MONTHLY' },
      quantity: 1,
      startedOn: '2026-01-15',
      periodStart: '2026-01-15',
      periodEnd: '2026-02-15',
      nextRenewal: '2026-02-15',
      lastOrderRefNo: '1001',
      customer: { netsuiteId: '301', twoCheckoutRef: '900001' },
      currency: 'USD',
      autoRenew: true,
      lifetime: false,
      renewals: 0,
    });
  });

  it('a renewal order moves the period forward once; the same REFNO again changes nothing', () => {
    const m = started();
    const renewal = licenceOrder('1002', {
      licenseCode: CODE,
      start: month(1),
      expires: month(2),
      licenseType: 'RENEW',
    });
    expect(foldOrder(m, renewal, policy).result).toBe('applied');
    expect(foldOrder(m, renewal, policy).result).toBe('duplicate');
    expect(m.renewals).toBe(1);
    expect(m.period).toEqual({ start: '2026-02-15 09:30:00', end: '2026-03-15 09:30:00', paidBy: '1002' });
    expect(recordStateOf(m)).toMatchObject({
      periodStart: '2026-02-15',
      periodEnd: '2026-03-15',
      lastOrderRefNo: '1002',
      renewals: 1,
    });
  });

  it('an upgrade mid-period switches the plan now and keeps the period', () => {
    const m = started();
    const upgrade = licenceOrder('1003', {
      licenseCode: CODE,
      productCode: 'SUB-MONTHLY-PRO',
      start: T0,
      expires: month(1),
      placedAt: addDays(T0, 10),
      price: '6.50',
    });
    expect(foldOrder(m, upgrade, policy).note).toMatch(/SUB-MONTHLY × 1 → SUB-MONTHLY-PRO × 1/);
    expect(m.plan?.productCode).toBe('SUB-MONTHLY-PRO');
    expect(m.period?.end).toBe('2026-02-15 09:30:00');
    expect(m.renewals).toBe(0);
    expect(m.orders.at(-1)?.kind).toBe('upgrade');
  });

  // Issue 28: the demo's upgrade (10 days in, its licence dated from the upgrade day for a month)
  // was told as "renewal …: period until … with plan SUB-MONTHLY × 1 → SUB-MONTHLY-PRO × 1".
  it('an upgrade mid-period that restarts the billing period is an upgrade, not a renewal', () => {
    const m = started();
    const placedAt = addDays(T0, 10);
    const upgrade = licenceOrder('1003', {
      licenseCode: CODE,
      productCode: 'SUB-MONTHLY-PRO',
      start: placedAt,
      expires: addMonths(placedAt, 1),
      placedAt,
      price: '6.50',
    });
    const outcome = foldOrder(m, upgrade, policy);
    expect(outcome.note).toBe(
      'plan changed mid-period by order 1003: SUB-MONTHLY × 1 → SUB-MONTHLY-PRO × 1; the billing period restarts: until 2026-02-25',
    );
    expect(m.orders.map((o) => [o.refNo, o.kind])).toEqual([
      ['1001', 'initial'],
      ['1003', 'upgrade'],
    ]);
    expect(m.renewals).toBe(0);
    expect(m.plan?.productCode).toBe('SUB-MONTHLY-PRO');
    expect(m.period).toEqual({ start: '2026-01-25 09:30:00', end: '2026-02-25 09:30:00', paidBy: '1003' });
    expect(recordStateOf(m)).toMatchObject({ periodEnd: '2026-02-25', nextRenewal: '2026-02-25', renewals: 0 });
    // Histories recorded before the rule keep the old reading on replay.
    const old = started();
    foldOrder(old, upgrade, policy, { ...CURRENT_FOLD_RULES, upgradeRestartsPeriod: false });
    expect(old.orders.at(-1)?.kind).toBe('renewal');
  });

  it('a renewal into another plan, charged at the end of the period, stays a renewal', () => {
    // 2Checkout charges a renewal at most 2 days before the period ends (docs/reference-notes.md#2co-renewal-charge).
    const m = started();
    const renewal = licenceOrder('1002', {
      licenseCode: CODE,
      productCode: 'SUB-MONTHLY-PRO',
      start: month(1),
      expires: month(2),
      placedAt: addDays(month(1), -2),
    });
    expect(foldOrder(m, renewal, policy).note).toBe(
      'renewal 1002: period until 2026-03-15 with plan SUB-MONTHLY × 1 → SUB-MONTHLY-PRO × 1',
    );
    expect(m.renewals).toBe(1);
  });

  it('a quantity increase mid-period is an upgrade too', () => {
    const m = started();
    foldOrder(
      m,
      licenceOrder('1004', { licenseCode: CODE, quantity: 5, start: T0, expires: month(1), placedAt: addDays(T0, 3) }),
      policy,
    );
    expect(recordStateOf(m)).toMatchObject({ quantity: 5, periodEnd: '2026-02-15' });
  });

  it('a downgrade announced by LCN waits for the renewal, which applies it', () => {
    const m = started();
    foldLicense(
      m,
      lcn(CODE, {
        reason: 'LICENCE_CHANGE',
        productCode: 'SUB-MONTHLY',
        quantity: 1,
        expires: month(1),
        updatedAt: addDays(T0, 1),
      }),
      policy,
    );
    foldLicense(
      m,
      lcn(CODE, {
        reason: 'LICENCE_CHANGE',
        productCode: 'SUB-BASIC-MONTHLY',
        quantity: 1,
        expires: month(1),
        updatedAt: addDays(T0, 20),
      }),
      policy,
    );
    expect(m.plan?.productCode).toBe('SUB-MONTHLY');
    expect(recordStateOf(m).pendingPlan).toMatchObject({ productCode: 'SUB-BASIC-MONTHLY', quantity: 1 });

    foldOrder(
      m,
      licenceOrder('1005', { licenseCode: CODE, productCode: 'SUB-BASIC-MONTHLY', start: month(1), expires: month(2) }),
      policy,
    );
    expect(m.plan?.productCode).toBe('SUB-BASIC-MONTHLY');
    expect(m.pendingPlan).toBeUndefined();
    expect(m.renewals).toBe(1);
  });

  it("a downgrade LCN delivered before the first order's notice still waits for the renewal", () => {
    // Signals race: the LCN announcing the next period's plan can be folded before the paid order.
    const m = emptySubscription(CODE);
    foldLicense(
      m,
      lcn(CODE, {
        reason: 'LICENCE_CHANGE',
        productCode: 'SUB-MONTHLY',
        quantity: 1,
        expires: month(1),
        updatedAt: addDays(T0, 0.1),
      }),
      policy,
    );
    foldOrder(
      m,
      licenceOrder('1001', { licenseCode: CODE, productCode: 'SUB-MONTHLY-PRO', start: T0, expires: month(1) }),
      policy,
    );
    expect(m.plan?.productCode).toBe('SUB-MONTHLY-PRO');
    expect(recordStateOf(m).pendingPlan).toMatchObject({ productCode: 'SUB-MONTHLY', quantity: 1 });

    foldOrder(
      m,
      licenceOrder('1002', { licenseCode: CODE, productCode: 'SUB-MONTHLY', start: month(1), expires: month(2) }),
      policy,
    );
    expect(m.plan?.productCode).toBe('SUB-MONTHLY');
    expect(m.pendingPlan).toBeUndefined();
  });

  it('an old order arriving late never switches the plan back', () => {
    const m = started();
    foldOrder(
      m,
      licenceOrder('1003', {
        licenseCode: CODE,
        productCode: 'SUB-MONTHLY-PRO',
        start: T0,
        expires: month(1),
        placedAt: addDays(T0, 10),
      }),
      policy,
    );
    foldOrder(
      m,
      licenceOrder('0999', { licenseCode: CODE, start: T0, expires: month(1), placedAt: addDays(T0, 5) }),
      policy,
    );
    expect(m.plan?.productCode).toBe('SUB-MONTHLY-PRO');
    expect(m.lastOrderRefNo).toBe('1003');
    expect(m.orders.at(-1)?.kind).toBe('other');
  });
});

describe('subscription state: LCNs', () => {
  it('an LCN before the first order starts the subscription; the order then attaches without a renewal', () => {
    const m = emptySubscription(CODE);
    foldLicense(
      m,
      lcn(CODE, {
        reason: 'LICENCE_CHANGE',
        productCode: 'SUB-MONTHLY',
        quantity: 2,
        start: T0,
        expires: month(1),
        updatedAt: addDays(T0, 0),
      }),
      policy,
    );
    expect(statusOf(m)).toBe('ACTIVE');
    expect(recordStateOf(m)).toMatchObject({
      plan: { productCode: 'SUB-MONTHLY' },
      quantity: 2,
      periodEnd: '2026-02-15',
      customer: { twoCheckoutRef: '900001' },
    });
    expect(recordStateOf(m).customer.netsuiteId).toBeUndefined();

    foldOrder(m, licenceOrder('1001', { licenseCode: CODE, quantity: 2, start: T0, expires: month(1) }), policy);
    expect(m.renewals).toBe(0);
    expect(m.orders.map((o) => o.kind)).toEqual(['initial']);
    expect(m.period?.paidBy).toBe('1001');
    expect(recordStateOf(m)).toMatchObject({ lastOrderRefNo: '1001', customer: { netsuiteId: '301' } });
  });

  it('a redelivered LCN (same key) is a duplicate', () => {
    const m = started();
    const e = lcn(CODE, { reason: 'LICENCE_PASTDUE', status: 'PASTDUE', expires: month(1), updatedAt: month(1) });
    expect(foldLicense(m, e, policy).result).toBe('applied');
    expect(foldLicense(m, e, policy).result).toBe('duplicate');
  });

  it('an LCN older than the newest order does not move the subscription back', () => {
    const m = started();
    foldOrder(m, licenceOrder('1002', { licenseCode: CODE, start: month(1), expires: month(2) }), policy);
    const old = lcn(CODE, {
      reason: 'LICENCE_PASTDUE',
      status: 'PASTDUE',
      expires: month(1),
      updatedAt: addDays(month(1), -1),
    });
    expect(foldLicense(m, old, policy).result).toBe('stale');
    expect(statusOf(m)).toBe('ACTIVE');
    expect(m.period?.end).toBe('2026-03-15 09:30:00');
  });

  it('scheduled cancellation ends the subscription at period end; a revert undoes it', () => {
    const m = started();
    foldLicense(
      m,
      lcn(CODE, {
        reason: 'SCHEDULED_FOR_CANCELATION_ON_DEMAND',
        recurring: false,
        expires: month(1),
        updatedAt: addDays(T0, 5),
      }),
      policy,
    );
    expect(statusOf(m)).toBe('CANCEL_AT_PERIOD_END');
    expect(recordStateOf(m)).toMatchObject({ autoRenew: false, nextRenewal: null });
    foldLicense(
      m,
      lcn(CODE, {
        reason: 'REVERT_CANCELLATION_ON_DEMAND',
        recurring: true,
        expires: month(1),
        updatedAt: addDays(T0, 6),
      }),
      policy,
    );
    expect(statusOf(m)).toBe('ACTIVE');

    foldLicense(
      m,
      lcn(CODE, { reason: 'SCHEDULED_FOR_CANCELATION_ON_DEMAND', expires: month(1), updatedAt: addDays(T0, 7) }),
      policy,
    );
    const d = nextDeadline(m, GRACE)!;
    expect(d.kind).toBe('periodEnd');
    expect(d.atMs).toBe(month(1).getTime());
    foldDeadline(m, d);
    expect(statusOf(m)).toBe('CANCELED');
    expect(nextDeadline(m, GRACE)).toBeUndefined();
  });

  it('recurring billing switched off (LICENCE_CHANGE RECURRING=0) also cancels at period end', () => {
    const m = started();
    foldLicense(
      m,
      lcn(CODE, { reason: 'LICENCE_CHANGE', recurring: false, expires: month(1), updatedAt: addDays(T0, 2) }),
      policy,
    );
    expect(statusOf(m)).toBe('CANCEL_AT_PERIOD_END');
  });

  it('LICENCE_CHANGE with STATUS DISABLED cancels now; ACTIVE again reactivates', () => {
    const m = started();
    foldLicense(
      m,
      lcn(CODE, { reason: 'LICENCE_CHANGE', status: 'DISABLED', expires: month(1), updatedAt: addDays(T0, 2) }),
      policy,
    );
    expect(statusOf(m)).toBe('CANCELED');
    expect(recordStateOf(m)).toMatchObject({ status: 'CANCELED', autoRenew: false, nextRenewal: null });
    foldLicense(
      m,
      lcn(CODE, { reason: 'LICENCE_CHANGE', status: 'ACTIVE', expires: month(1), updatedAt: addDays(T0, 3) }),
      policy,
    );
    expect(statusOf(m)).toBe('ACTIVE');
  });

  it('accepts the documented dispatch reasons and the connector spellings', () => {
    const cases: Array<[string, string, string]> = [
      ['LICENCE_PASTDUE', 'PASTDUE', 'PAST_DUE'],
      ['LICENCE_PAST_DUE', 'PAST_DUE', 'PAST_DUE'],
      ['LICENCE_GP_CHANGE', 'ACTIVE', 'GRACE'],
      ['LICENCE_GRACE_PERIOD_CHANGE', 'ACTIVE', 'GRACE'],
      ['LICENCE_EXPIRATION', 'EXPIRED', 'EXPIRED'],
      ['LICENSE_EXPIRATION', 'EXPIRED', 'EXPIRED'],
    ];
    for (const [reason, status, expected] of cases) {
      const m = started();
      foldLicense(m, lcn(CODE, { reason, status, expires: month(1), updatedAt: addDays(T0, 4) }), policy);
      expect([reason, statusOf(m)]).toEqual([reason, expected]);
    }
  });

  it('an LCN that moves the expiry is a renewal; the order that paid it attaches to that period', () => {
    const m = started();
    foldLicense(m, lcn(CODE, { reason: 'LICENCE_CHANGE', expires: month(2), updatedAt: month(1) }), policy);
    expect(m.renewals).toBe(1);
    foldOrder(
      m,
      licenceOrder('1002', {
        licenseCode: CODE,
        start: month(1),
        expires: month(2),
        placedAt: addDays(month(1), -0.01),
      }),
      policy,
    );
    expect(m.renewals).toBe(1);
    expect(m.orders.map((o) => o.kind)).toEqual(['initial', 'renewal']);
    expect(m.period?.paidBy).toBe('1002');
  });
});

describe('subscription state: renewal deadline', () => {
  it('flags RENEWAL_MISSED after the renewal date plus grace; a late renewal clears it', () => {
    const m = started();
    const d = nextDeadline(m, GRACE)!;
    expect(d).toMatchObject({ kind: 'renewalDue', atMs: month(1).getTime() + GRACE });
    foldDeadline(m, d);
    expect(statusOf(m)).toBe('RENEWAL_MISSED');
    expect(recordStateOf(m).status).toBe('RENEWAL_MISSED');
    expect(nextDeadline(m, GRACE)).toBeUndefined();

    foldOrder(
      m,
      licenceOrder('1002', { licenseCode: CODE, start: month(1), expires: month(2), placedAt: addDays(month(1), 5) }),
      policy,
    );
    expect(statusOf(m)).toBe('ACTIVE');
    expect(nextDeadline(m, GRACE)?.atMs).toBe(month(2).getTime() + GRACE);
  });

  it("a past-due LCN explains the late renewal and extends the deadline by 2Checkout's grace period", () => {
    const m = started();
    foldLicense(
      m,
      lcn(CODE, {
        reason: 'LICENCE_PASTDUE',
        status: 'PASTDUE',
        gracePeriod: '7',
        expires: month(1),
        updatedAt: month(1),
      }),
      policy,
    );
    expect(statusOf(m)).toBe('PAST_DUE');
    expect(nextDeadline(m, GRACE)?.atMs).toBe(month(1).getTime() + GRACE + 7 * 86_400_000);
  });

  it('expired or lifetime subscriptions have no deadline', () => {
    const m = started();
    foldLicense(
      m,
      lcn(CODE, { reason: 'LICENCE_EXPIRATION', status: 'EXPIRED', expires: month(1), updatedAt: month(1) }),
      policy,
    );
    expect(nextDeadline(m, GRACE)).toBeUndefined();
    const life = emptySubscription(CODE);
    const order = licenceOrder('2001', { licenseCode: CODE, start: T0, expires: new Date('9999-12-31T23:59:59Z') });
    order.order.lines[0]!.license!.lifetime = true;
    foldOrder(life, order, policy);
    expect(nextDeadline(life, GRACE)).toBeUndefined();
    expect(recordStateOf(life)).toMatchObject({ lifetime: true, nextRenewal: null, autoRenew: false });
  });

  it('remembers a bounded number of event keys', () => {
    const m = started();
    const small = { ...policy, rememberedKeys: 3 };
    for (let i = 0; i < 5; i++)
      foldLicense(m, lcn(CODE, { reason: 'LICENCE_CHANGE', expires: month(1), updatedAt: addDays(T0, i) }), small);
    expect(m.seenKeys).toHaveLength(3);
  });
});

describe('subscription state: dates and durations', () => {
  it('normalizes the date formats 2Checkout sends', () => {
    expect(normalizeDateTime('2026-02-15 09:30:00')).toBe('2026-02-15 09:30:00');
    expect(normalizeDateTime('2026-02-15')).toBe('2026-02-15 00:00:00');
    expect(normalizeDateTime('20260215093000')).toBe('2026-02-15 09:30:00');
    expect(normalizeDateTime('15/02/2026')).toBeUndefined();
  });

  it('places local dates on the timeline with the merchant offset', () => {
    expect(parseUtcOffset('GMT+03:00')).toBe(180);
    expect(parseUtcOffset('GMT-05:30')).toBe(-330);
    expect(parseUtcOffset('nonsense')).toBeUndefined();
    expect(new Date(instantOf('2026-02-15 09:30:00', 180)).toISOString()).toBe('2026-02-15T06:30:00.000Z');
  });

  it('reads durations as configured', () => {
    expect(durationMs('3d')).toBe(3 * 86_400_000);
    expect(durationMs('36h')).toBe(36 * 3_600_000);
    expect(durationMs('7 days')).toBe(7 * 86_400_000);
    expect(durationMs('90m')).toBe(90 * 60_000);
    expect(() => durationMs('soon')).toThrow(/not a duration/);
  });
});
