// A new subscription run (the previous one completed) starts from what NetSuite shows, not from an
// empty state: otherwise a late notification (an order run started months later by a chargeback)
// would be taken for the first order and revive an ended subscription. Pure, deterministic.
import type { SubscriptionRecordState } from '../mappings/sync-types.js';
import type { SubscriptionLifecycle, SubscriptionModel } from './subscription-model.js';

const LIFECYCLES: readonly SubscriptionLifecycle[] = [
  'PENDING',
  'PENDING_ACTIVATION',
  'ACTIVE',
  'PAST_DUE',
  'GRACE',
  'CANCELED',
  'EXPIRED',
];
/** Record dates are days; the model keeps local date-times. */
const atMidnight = (day: string | undefined) => (day ? `${day} 00:00:00` : undefined);

/** Seeds an empty model with the state the NetSuite record shows. */
export function seedFromRecord(m: SubscriptionModel, r: SubscriptionRecordState): void {
  if (r.status === 'CANCEL_AT_PERIOD_END') {
    m.lifecycle = 'ACTIVE';
    m.cancelAtPeriodEnd = true;
  } else if (r.status === 'RENEWAL_MISSED') {
    m.lifecycle = 'ACTIVE';
    m.renewalMissed = true;
  } else if ((LIFECYCLES as readonly string[]).includes(r.status)) {
    m.lifecycle = r.status as SubscriptionLifecycle;
  }
  const periodStart = atMidnight(r.periodStart);
  const periodEnd = atMidnight(r.periodEnd);
  if (m.lifecycle === 'CANCELED' || m.lifecycle === 'EXPIRED') m.endedAt = periodEnd ?? periodStart;
  m.lifetime = r.lifetime;
  if (r.plan) m.plan = { ...r.plan, quantity: r.quantity ?? 1 };
  if (periodEnd)
    m.period = {
      ...(periodStart ? { start: periodStart } : {}),
      end: periodEnd,
      ...(r.lastOrderRefNo ? { paidBy: r.lastOrderRefNo } : {}),
    };
  if (r.nextRenewal && r.nextRenewal !== r.periodEnd) m.nextRenewal = atMidnight(r.nextRenewal);
  // Renewal billing switched off while still running: it ends at the period's end.
  if (
    !r.autoRenew &&
    !r.lifetime &&
    (m.lifecycle === 'ACTIVE' || m.lifecycle === 'PAST_DUE' || m.lifecycle === 'GRACE')
  )
    m.cancelAtPeriodEnd = true;
  m.startedOn = atMidnight(r.startedOn);
  m.renewals = r.renewals;
  if (r.currency) m.currency = r.currency;
  m.customer = { ...r.customer };
  if (r.lastOrderRefNo) {
    // The order the record names is held already: its notice again is a duplicate; and the
    // subscription has had orders, so a late one is never taken for the first.
    m.lastOrderRefNo = r.lastOrderRefNo;
    m.seenKeys.push(`order:${r.lastOrderRefNo}`);
    m.ordersTotal = r.renewals + 1;
  }
  // Nothing older than the current period moves the lifecycle or the plan.
  const asOf = periodStart ?? m.startedOn;
  if (asOf) {
    m.asOf = asOf;
    m.planAsOf = asOf;
    m.lastOrderAt = asOf;
  }
}
