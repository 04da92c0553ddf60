// The folds of one 2Checkout subscription: LCNs, posted orders and timer deadlines change the
// model (subscription-model.ts). No I/O and no Temporal APIs: unit-tested directly and used by
// subscriptionWorkflow. Deterministic by construction.
//
// Sources disagree in time, so every lifecycle change is guarded by the time of its source: an LCN
// or an order older than the newest one applied never moves the subscription backwards. Periods
// only move forward, by day (IPN_LICENSE_EXP carries a time, an LCN EXPIRATION_DATE may not).
import type { LicenseEvent, OrderEvent, OrderLine } from '../mappings/canonical.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import { dispatchReasonOf, graceDaysOf, licenceStatusOf } from '../mappings/lcn-vocabulary.js';
import { DAY_MS, dayOf, normalizeDateTime, parseUtcOffset } from '../mappings/time-values.js';
import type { SubscriptionOrderNotice } from './messages.js';
import {
  isEnded,
  type Deadline,
  type FoldOutcome,
  type SubscriptionModel,
  type SubscriptionPeriod,
  type SubscriptionPlan,
  type SubscriptionPolicy,
  type SubscriptionOrder,
  type SubscriptionOrderKind,
} from './subscription-model.js';

/** The deadline passed with nothing moving the period. */
export function foldDeadline(m: SubscriptionModel, d: Deadline): FoldOutcome {
  if (d.kind === 'periodEnd') {
    end(m, 'CANCELED', d.basis);
    return {
      result: 'applied',
      note: `period ended ${dayOf(d.basis)}: cancelled at period end, the subscription is now CANCELED`,
    };
  }
  m.renewalMissed = true;
  return {
    result: 'applied',
    note: `no renewal order or LCN moved the period past ${dayOf(d.basis)}: RENEWAL_MISSED (check the subscription in 2Checkout)`,
  };
}

// ---------------------------------------------------------------------------------------------
// Folding events

function remember(m: SubscriptionModel, key: string, policy: SubscriptionPolicy): boolean {
  if (m.seenKeys.includes(key)) return false;
  m.seenKeys.push(key);
  if (m.seenKeys.length > policy.rememberedKeys) m.seenKeys.splice(0, m.seenKeys.length - policy.rememberedKeys);
  return true;
}

const samePlan = (a: SubscriptionPlan | undefined, b: SubscriptionPlan | undefined): boolean =>
  a !== undefined && b !== undefined && a.productCode === b.productCode && a.quantity === b.quantity;

const describePlan = (p: SubscriptionPlan): string => `${p.productCode} × ${p.quantity}`;

function end(m: SubscriptionModel, lifecycle: 'CANCELED' | 'EXPIRED', at: string | undefined): void {
  m.lifecycle = lifecycle;
  m.cancelAtPeriodEnd = false;
  m.renewalMissed = false;
  m.endedAt = at ?? m.endedAt;
}

function reactivate(m: SubscriptionModel): void {
  m.lifecycle = 'ACTIVE';
  m.endedAt = undefined;
  m.graceDays = undefined;
}

/** Moves the period forward (a renewal); a plan announced for the renewal takes effect. */
function renew(m: SubscriptionModel, period: SubscriptionPeriod): void {
  m.period = period;
  m.nextRenewal = undefined;
  m.renewals++;
  m.renewalMissed = false;
  m.cancelAtPeriodEnd = false;
  if (m.lifecycle !== 'PENDING_ACTIVATION') reactivate(m);
  if (m.pendingPlan) {
    m.plan = m.pendingPlan;
    m.pendingPlan = undefined;
  }
}

function adoptOffset(m: SubscriptionModel, raw: string | undefined): void {
  const offset = parseUtcOffset(raw);
  if (offset !== undefined) m.utcOffsetMinutes = offset;
}

function planOf(line: OrderLine): SubscriptionPlan {
  const plan: SubscriptionPlan = {
    productCode: line.productCode,
    productId: line.productId,
    name: line.name,
    quantity: Number(line.quantity),
  };
  if (line.productGroup) plan.productGroup = line.productGroup;
  return plan;
}

/** When the order was placed, local: SALEDATE, else the IPN date. */
function orderMoment(o: OrderEvent): string {
  return (
    normalizeDateTime(o.saleDate) ??
    normalizeDateTime(o.paymentDate) ??
    normalizeDateTime(o.ipnDate) ??
    '0000-01-01 00:00:00'
  );
}

const orderKey = (refNo: string) => `order:${refNo}`;

/** Fold behaviour added after histories were recorded; the workflow turns each on behind `patched()`. */
export interface FoldRules {
  /** A first order paying a plan that an earlier-folded, newer LCN changed keeps its plan now and the LCN's for the renewal. */
  paidPlanBeforeAnnounced: boolean;
  /** A plan-changing order placed mid-period whose licence expiry moves the period is an upgrade that restarts it, not a renewal. */
  upgradeRestartsPeriod: boolean;
}
export const CURRENT_FOLD_RULES: FoldRules = { paidPlanBeforeAnnounced: true, upgradeRestartsPeriod: true };

/**
 * 2Checkout charges an automatic renewal at most two days before the period ends
 * (docs/reference-notes.md#2co-renewal-charge); a plan change placed earlier is an upgrade.
 */
const RENEWAL_CHARGE_LEAD_DAYS = 2;

function placedMidPeriod(at: string, periodEnd: string): boolean {
  return (Date.parse(dayOf(periodEnd)) - Date.parse(dayOf(at))) / DAY_MS > RENEWAL_CHARGE_LEAD_DAYS;
}

/**
 * A paid order with a line of this licence was posted by its order workflow. The first order
 * starts the subscription; an order whose licence expiry moves the period forward is a renewal
 * (its plan is the plan of the new period, so a downgrade arrives this way); an order that does not
 * move the period but changes product or quantity is a mid-period upgrade (2Checkout charges the
 * prorated difference): the plan switches now.
 */
export function foldOrder(
  m: SubscriptionModel,
  notice: SubscriptionOrderNotice,
  policy: SubscriptionPolicy,
  rules: FoldRules = CURRENT_FOLD_RULES,
): FoldOutcome {
  if (!remember(m, orderKey(notice.refNo), policy)) return { result: 'duplicate', note: `order ${notice.refNo} again` };
  const order = notice.order;
  const line = order.lines.find((l) => l.license?.ref === m.licenseCode);
  if (!line?.license)
    return { result: 'unchanged', note: `order ${notice.refNo} has no line for licence ${m.licenseCode}` };
  const licence = line.license;
  const at = orderMoment(order);
  const plan = planOf(line);
  adoptOffset(m, order.timezoneOffset);
  m.currency = order.currency;
  if (notice.records.customerId) m.customer.netsuiteId = notice.records.customerId;
  if (order.customer.twoCheckoutRef) m.customer.twoCheckoutRef = order.customer.twoCheckoutRef;
  if (order.customer.externalRef) m.customer.externalRef = order.customer.externalRef;
  const lifetime = licence.lifetime || licence.expires?.startsWith('9999') === true;
  const expires = lifetime ? undefined : normalizeDateTime(licence.expires);
  const start = normalizeDateTime(licence.start);
  const notOlder = (asOf: string | undefined) => asOf === undefined || at >= asOf;

  let kind: SubscriptionOrderKind;
  let note: string;
  if (m.orders.length === 0 && m.ordersTotal === 0) {
    kind = 'initial';
    if (!m.plan || notOlder(m.planAsOf)) setPlan(m, plan, at);
    else if (
      rules.paidPlanBeforeAnnounced &&
      !samePlan(plan, m.plan) &&
      expires &&
      m.period &&
      dayOf(expires) === dayOf(m.period.end)
    ) {
      // A newer LCN named another plan for the period this order paid: 2Checkout charges plan
      // changes that apply now through an order, so the LCN's plan is for the next renewal. The
      // same outcome as when the order's notice is folded first. (Both orders happen: the order's
      // notice waits for NetSuite writes, and signals buffered before the handlers exist are
      // delivered handler by handler, LCNs first, not in arrival order.)
      const announced = m.plan;
      setPlan(m, plan, undefined);
      m.pendingPlan = announced;
    }
    if (lifetime) m.lifetime = true;
    if (expires && (!m.period || dayOf(expires) > dayOf(m.period.end)))
      m.period = { ...(start ? { start } : {}), end: expires, paidBy: notice.refNo };
    else if (m.period && expires && dayOf(expires) === dayOf(m.period.end)) m.period.paidBy = notice.refNo;
    if (m.lifecycle === 'PENDING') m.lifecycle = 'ACTIVE';
    note = `first order ${notice.refNo}: ${describePlan(plan)}${expires ? ` until ${dayOf(expires)}` : lifetime ? ', lifetime' : ''}`;
  } else if (
    rules.upgradeRestartsPeriod &&
    expires &&
    m.period &&
    dayOf(expires) > dayOf(m.period.end) &&
    !samePlan(plan, m.plan) &&
    notOlder(m.planAsOf) &&
    placedMidPeriod(at, m.period.end)
  ) {
    // An upgrade whose licence is dated as a new period from the upgrade day (some upgrade set-ups
    // restart the billing cycle): the period moves, but nothing was renewed.
    kind = 'upgrade';
    const from = m.plan ? describePlan(m.plan) : '?';
    setPlan(m, plan, at);
    if (samePlan(m.pendingPlan, plan)) m.pendingPlan = undefined;
    m.period = { start: start ?? at, end: expires, paidBy: notice.refNo };
    m.nextRenewal = undefined;
    m.renewalMissed = false;
    note = `plan changed mid-period by order ${notice.refNo}: ${from} → ${describePlan(plan)}; the billing period restarts: until ${dayOf(expires)}`;
  } else if (expires && m.period && dayOf(expires) > dayOf(m.period.end)) {
    kind = 'renewal';
    const changed = !samePlan(plan, m.plan)
      ? ` with plan ${m.plan ? describePlan(m.plan) : '?'} → ${describePlan(plan)}`
      : '';
    renew(m, { start: start ?? m.period.end, end: expires, paidBy: notice.refNo });
    setPlan(m, plan, at);
    m.pendingPlan = undefined;
    note = `renewal ${notice.refNo}: period until ${dayOf(expires)}${changed}`;
  } else if (expires && m.period && dayOf(expires) === dayOf(m.period.end) && !m.period.paidBy) {
    // An LCN moved the period before this order's notice arrived: the order pays for that period.
    kind = 'renewal';
    m.period.paidBy = notice.refNo;
    if (!samePlan(plan, m.plan) && notOlder(m.planAsOf)) setPlan(m, plan, at);
    note = `renewal ${notice.refNo} pays the period until ${dayOf(expires)} (already moved by LCN)`;
  } else if (!samePlan(plan, m.plan) && notOlder(m.planAsOf)) {
    kind = 'upgrade';
    const from = m.plan ? describePlan(m.plan) : '?';
    setPlan(m, plan, at);
    if (samePlan(m.pendingPlan, plan)) m.pendingPlan = undefined;
    note = `plan changed mid-period by order ${notice.refNo}: ${from} → ${describePlan(plan)}`;
  } else {
    kind = 'other';
    note = `order ${notice.refNo} recorded (does not move the period or the plan)`;
  }
  m.startedOn = minDefined(m.startedOn, start);
  if (!m.lastOrderAt || at >= m.lastOrderAt) {
    m.lastOrderRefNo = notice.refNo;
    m.lastOrderAt = at;
  }
  if (!m.asOf || at > m.asOf) m.asOf = at;
  m.orders.push({
    refNo: notice.refNo,
    kind,
    at,
    productCode: plan.productCode,
    quantity: plan.quantity,
    ...(expires ? { expires } : {}),
    records: pickOrderRecords(notice.records),
  });
  m.ordersTotal++;
  if (m.orders.length > policy.rememberedOrders) m.orders.splice(0, m.orders.length - policy.rememberedOrders);
  return { result: 'applied', note };
}

function setPlan(m: SubscriptionModel, plan: SubscriptionPlan, at: string | undefined): void {
  if (!samePlan(plan, m.plan)) m.planItemId = undefined;
  m.plan = plan;
  if (at && (!m.planAsOf || at > m.planAsOf)) m.planAsOf = at;
}

function minDefined(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

function pickOrderRecords(r: OrderRecords): SubscriptionOrder['records'] {
  const out: SubscriptionOrder['records'] = {};
  if (r.customerId) out.customerId = r.customerId;
  if (r.salesOrderId) out.salesOrderId = r.salesOrderId;
  if (r.invoiceId) out.invoiceId = r.invoiceId;
  if (r.cashSaleId) out.cashSaleId = r.cashSaleId;
  return out;
}

/**
 * Folds one LCN. An LCN is a snapshot of the subscription at DATE_UPDATED: a newer one is
 * authoritative for expiry, product and status; an older one (late delivery) changes nothing.
 */
export function foldLicense(m: SubscriptionModel, e: LicenseEvent, policy: SubscriptionPolicy): FoldOutcome {
  if (!remember(m, e.key, policy)) return { result: 'duplicate', note: `LCN ${e.dispatchReason ?? ''} again` };
  const reason = dispatchReasonOf(e.dispatchReason);
  const label = e.dispatchReason ?? `STATUS ${e.status ?? '?'}`;
  const at = normalizeDateTime(e.dateUpdated);
  if (e.customer.twoCheckoutRef) m.customer.twoCheckoutRef = e.customer.twoCheckoutRef;
  if (e.customer.externalRef) m.customer.externalRef = e.customer.externalRef;
  if (at && m.asOf && at < m.asOf) {
    return { result: 'stale', note: `LCN ${label} of ${at} is older than the state (${m.asOf}): not applied` };
  }
  if (at) m.asOf = at;
  adoptOffset(m, e.extra.TIMEZONE_OFFSET);
  const notes: string[] = [];

  // Expiry: the period moves forward (a renewal 2Checkout reports before, or instead of, the order).
  const lifetime = e.lifetime === true || e.expirationDate.startsWith('9999');
  if (lifetime) m.lifetime = true;
  const expires = lifetime ? undefined : normalizeDateTime(e.expirationDate);
  const start = normalizeDateTime(e.startDate);
  let renewed = false;
  if (expires) {
    if (!m.period) {
      m.period = { ...(start ? { start } : {}), end: expires };
      notes.push(`period until ${dayOf(expires)}`);
    } else if (dayOf(expires) > dayOf(m.period.end)) {
      renew(m, { start: m.period.end, end: expires });
      renewed = true;
      notes.push(`period moved to ${dayOf(expires)}`);
    } else if (dayOf(expires) < dayOf(m.period.end) && reason === 'change') {
      m.period = { ...m.period, end: expires };
      notes.push(`expiry moved back to ${dayOf(expires)}`);
    }
  }
  m.startedOn = minDefined(m.startedOn, start);
  const nextRenewal = normalizeDateTime(e.nextRenewalDate);
  if (nextRenewal && !renewed) m.nextRenewal = nextRenewal;

  // Plan: the LCN's product/quantity is 2Checkout's current plan. Without an order it cannot be
  // an upgrade (those are charged), so on a running period it is a change for the next renewal.
  if (e.productCode) {
    const quantity = e.quantity && Number.isFinite(Number(e.quantity)) ? Number(e.quantity) : (m.plan?.quantity ?? 1);
    const plan: SubscriptionPlan = {
      productCode: e.productCode,
      quantity,
      ...(e.productId ? { productId: e.productId } : {}),
    };
    if (!m.plan || renewed) {
      if (!samePlan(plan, m.plan)) notes.push(`plan ${describePlan(plan)}`);
      setPlan(m, { ...m.plan, ...plan }, at);
      m.pendingPlan = undefined;
    } else if (samePlan(plan, m.plan)) {
      if (m.pendingPlan) notes.push('pending plan change withdrawn');
      m.pendingPlan = undefined;
    } else if (!samePlan(plan, m.pendingPlan)) {
      m.pendingPlan = plan;
      notes.push(`plan ${describePlan(plan)} from the next renewal`);
    }
  }

  switch (reason) {
    case 'scheduledCancel':
      m.cancelAtPeriodEnd = true;
      notes.push('cancels at period end');
      break;
    case 'revertCancel':
      m.cancelAtPeriodEnd = false;
      notes.push('scheduled cancellation reverted');
      break;
    case 'pastDue':
      if (!isEnded(m)) {
        m.lifecycle = 'PAST_DUE';
        m.renewalMissed = false;
        m.graceDays = graceDaysOf(e.gracePeriod) ?? m.graceDays;
        notes.push('renewal payment past due');
      }
      break;
    case 'grace':
      if (!isEnded(m)) {
        m.lifecycle = 'GRACE';
        m.renewalMissed = false;
        m.graceDays = graceDaysOf(e.gracePeriod) ?? m.graceDays;
        notes.push(`in grace period${m.graceDays !== undefined ? ` (${m.graceDays} days)` : ''}`);
      }
      break;
    case 'expiration':
      end(m, 'EXPIRED', at ?? expires);
      notes.push('expired');
      break;
    case 'pendingActivation':
      if (m.lifecycle === 'PENDING') m.lifecycle = 'PENDING_ACTIVATION';
      notes.push('pending activation');
      break;
    case 'change':
    case 'cpcAccepted':
    case 'unknown':
      break;
  }

  // STATUS / DISABLED / EXPIRED / RECURRING on a change (or an unknown reason) say what changed.
  if (reason === 'change' || reason === 'unknown' || reason === 'cpcAccepted') {
    const status = e.disabled === true ? 'CANCELED' : e.expired === true ? 'EXPIRED' : licenceStatusOf(e.status);
    if (status === 'CANCELED' && m.lifecycle !== 'CANCELED') {
      end(m, 'CANCELED', at);
      notes.push('cancelled now (disabled)');
    } else if (status === 'EXPIRED' && m.lifecycle !== 'EXPIRED') {
      end(m, 'EXPIRED', at ?? expires);
      notes.push('expired');
    } else if (status === 'PAST_DUE' && !isEnded(m)) {
      m.lifecycle = 'PAST_DUE';
      m.renewalMissed = false;
      notes.push('renewal payment past due');
    } else if (status === 'ACTIVE' && m.lifecycle !== 'ACTIVE') {
      notes.push(isEnded(m) ? 'reactivated' : 'active');
      reactivate(m);
      m.renewalMissed = false;
    } else if (status === 'unknown') {
      notes.push(`unknown STATUS ${e.status ?? ''} (kept ${m.lifecycle})`);
    }
    if (!isEnded(m) && e.recurring === false && !m.cancelAtPeriodEnd) {
      m.cancelAtPeriodEnd = true;
      notes.push('recurring billing off: cancels at period end');
    } else if (!isEnded(m) && e.recurring === true && m.cancelAtPeriodEnd) {
      m.cancelAtPeriodEnd = false;
      notes.push('recurring billing on again');
    }
  }
  if (m.lifecycle === 'PENDING' && m.period) m.lifecycle = 'ACTIVE';
  return { result: 'applied', note: `LCN ${label}${notes.length ? `: ${notes.join('; ')}` : ''}` };
}
