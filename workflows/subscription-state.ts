// One 2Checkout subscription as a pure state machine: fold LCNs, posted orders and timer deadlines
// into the subscription's state, and derive what NetSuite should show. No I/O and no Temporal APIs:
// unit-tested directly and used by subscriptionWorkflow. Deterministic by construction.
//
// Sources disagree in time, so every lifecycle change is guarded by the time of its source: an LCN
// or an order older than the newest one applied never moves the subscription backwards. Periods
// only move forward, by day (IPN_LICENSE_EXP carries a time, an LCN EXPIRATION_DATE may not).
import type { LicenseEvent, OrderEvent, OrderLine } from '../mappings/canonical.js';
import type { OrderRecords, SubscriptionRecordState } from '../mappings/sync-types.js';
import type { JournalEntry, ParkState, SubscriptionOrderNotice } from './messages.js';
import type { SyncStatusValue } from '../shared/search-attributes.js';

export interface SubscriptionPolicy {
  /** How long after the expected renewal date a missing renewal is flagged (RENEWAL_MISSED). */
  renewalGrace: string;
  /** How long the workflow of an ended subscription waits for late events before it completes. */
  endedLinger: string;
  /** Events (notifications + deadlines) one run handles before it continues as new. */
  eventsPerRun: number;
  /** Event keys remembered for de-duplication (carried across continue-as-new). */
  rememberedKeys: number;
  /** Orders kept in the state (the newest; the total is counted). */
  rememberedOrders: number;
}

export const DEFAULT_SUBSCRIPTION_POLICY: SubscriptionPolicy = {
  renewalGrace: '3d',
  endedLinger: '30d',
  eventsPerRun: 50,
  rememberedKeys: 500,
  rememberedOrders: 120,
};

/** What 2Checkout says about the subscription itself (LCN STATUS / DISPATCH_REASON). */
export type SubscriptionLifecycle = 'PENDING' | 'PENDING_ACTIVATION' | 'ACTIVE' | 'PAST_DUE' | 'GRACE' | 'CANCELED' | 'EXPIRED';
/** The status shown in the SubscriptionStatus search attribute and in NetSuite. */
export type SubscriptionStatusValue = SubscriptionLifecycle | 'CANCEL_AT_PERIOD_END' | 'RENEWAL_MISSED';

export interface SubscriptionPlan {
  productCode: string;
  productId?: string;
  name?: string;
  productGroup?: string;
  quantity: number;
}

/** Local date-times are `YYYY-MM-DD HH:mm:ss` in the merchant's time zone. */
export interface SubscriptionPeriod {
  start?: string;
  end: string;
  /** REFNO of the order that paid for this period (absent when an LCN moved the period first). */
  paidBy?: string;
}

export type SubscriptionOrderKind = 'initial' | 'renewal' | 'upgrade' | 'other';

export interface SubscriptionOrder {
  refNo: string;
  kind: SubscriptionOrderKind;
  /** When the order was placed (local). */
  at: string;
  productCode: string;
  quantity: number;
  /** IPN_LICENSE_EXP of the order (local), absent for lifetime licences. */
  expires?: string;
  /** NetSuite records the order workflow made for this order. */
  records: Pick<OrderRecords, 'customerId' | 'salesOrderId' | 'invoiceId' | 'cashSaleId'>;
}

export interface NetSuiteRecordRef {
  type: string;
  id: string;
  externalId: string;
}

export interface SubscriptionModel {
  licenseCode: string;
  lifecycle: SubscriptionLifecycle;
  cancelAtPeriodEnd: boolean;
  /** Set by the renewal deadline; cleared by anything that explains or moves the period. */
  renewalMissed: boolean;
  lifetime: boolean;
  plan?: SubscriptionPlan;
  /** NetSuite item of the plan, as the last upsert resolved it (display only). */
  planItemId?: string;
  /** A plan change announced for the next renewal (downgrade). */
  pendingPlan?: SubscriptionPlan;
  period?: SubscriptionPeriod;
  startedOn?: string;
  nextRenewal?: string;
  /** LICENSE_GRACE_PERIOD (days) of a past-due/grace LCN: extends the renewal deadline. */
  graceDays?: number;
  /** Newest source time applied to the lifecycle (order date or LCN DATE_UPDATED, local). */
  asOf?: string;
  /** Source time of the plan in force (a mid-period order older than it does not switch the plan). */
  planAsOf?: string;
  utcOffsetMinutes: number;
  currency?: string;
  customer: { netsuiteId?: string; twoCheckoutRef?: string; externalRef?: string };
  orders: SubscriptionOrder[];
  ordersTotal: number;
  renewals: number;
  lastOrderRefNo?: string;
  lastOrderAt?: string;
  endedAt?: string;
  seenKeys: string[];
  /** NetSuite records this workflow wrote (the subscription record). */
  records: NetSuiteRecordRef[];
}

export function emptySubscription(licenseCode: string): SubscriptionModel {
  return {
    licenseCode,
    lifecycle: 'PENDING',
    cancelAtPeriodEnd: false,
    renewalMissed: false,
    lifetime: false,
    utcOffsetMinutes: 0,
    customer: {},
    orders: [],
    ordersTotal: 0,
    renewals: 0,
    seenKeys: [],
    records: [],
  };
}

export type FoldResult = 'applied' | 'duplicate' | 'stale' | 'unchanged';
export interface FoldOutcome {
  result: FoldResult;
  /** One line for the journal: what the event did. */
  note: string;
}

// ---------------------------------------------------------------------------------------------
// Dates and durations (pure; no Date parsing of free text)

const DAY_MS = 86_400_000;

/** `Y-m-d H:i:s`, `Y-m-d`, `Y-m-dTH:i:s` or `YmdHis` → `YYYY-MM-DD HH:mm:ss`; undefined otherwise. */
export function normalizeDateTime(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  const dashed = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (dashed) return `${dashed[1]}-${dashed[2]}-${dashed[3]} ${dashed[4] ?? '00'}:${dashed[5] ?? '00'}:${dashed[6] ?? '00'}`;
  const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]} ${compact[4]}:${compact[5]}:${compact[6]}`;
  return undefined;
}

export const dayOf = (local: string): string => local.slice(0, 10);

/** Epoch ms of a local date-time at a UTC offset. */
export function instantOf(local: string, utcOffsetMinutes: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`not a normalized local date-time: ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - utcOffsetMinutes * 60_000;
}

/** `GMT+03:00`, `+0300`, `UTC-05:30` → minutes east of UTC; undefined when unreadable. */
export function parseUtcOffset(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const s = raw.trim().toUpperCase();
  if (s === 'GMT' || s === 'UTC' || s === 'Z') return 0;
  const m = /^(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?$/.exec(s);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  return m[1] === '-' ? -minutes : minutes;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/** `3d`, `36h`, `7 days`, `90m`, `1w` or a number of ms → ms. */
export function durationMs(d: string | number): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i.exec(d.trim());
  if (!m) throw new Error(`not a duration: ${d} (use e.g. 3d, 36h or 7 days)`);
  const unit = m[2]!.toLowerCase();
  const key = unit === 'ms' ? 'ms' : unit.startsWith('mi') || unit === 'm' ? 'm' : unit[0]!;
  return Math.round(Number(m[1]) * UNIT_MS[key]!);
}

// ---------------------------------------------------------------------------------------------
// Derived views

export function isEnded(m: SubscriptionModel): boolean {
  return m.lifecycle === 'CANCELED' || m.lifecycle === 'EXPIRED';
}

export function statusOf(m: SubscriptionModel): SubscriptionStatusValue {
  if (isEnded(m)) return m.lifecycle;
  if (m.renewalMissed) return 'RENEWAL_MISSED';
  if (m.lifecycle !== 'ACTIVE') return m.lifecycle;
  return m.cancelAtPeriodEnd ? 'CANCEL_AT_PERIOD_END' : 'ACTIVE';
}

/** Whether 2Checkout is expected to charge a renewal at the end of the period. */
export function expectsRenewal(m: SubscriptionModel): boolean {
  return !isEnded(m) && !m.lifetime && !m.cancelAtPeriodEnd && m.period !== undefined;
}

/** The NetSuite view of the state; the workflow upserts it whenever it differs from the last one posted. */
export function recordStateOf(m: SubscriptionModel): SubscriptionRecordState {
  const dateOf = (local: string | undefined) => (local ? dayOf(local) : undefined);
  const nextRenewal = expectsRenewal(m) ? dateOf(m.nextRenewal ?? m.period?.end) : null;
  const out: SubscriptionRecordState = {
    licenseCode: m.licenseCode,
    status: statusOf(m),
    customer: { ...m.customer },
    autoRenew: expectsRenewal(m),
    lifetime: m.lifetime,
    renewals: m.renewals,
    nextRenewal: nextRenewal ?? null,
  };
  if (m.plan) {
    const { quantity, ...plan } = m.plan;
    out.plan = plan;
    out.quantity = quantity;
  }
  if (m.pendingPlan) {
    const { name: _name, ...pending } = m.pendingPlan;
    out.pendingPlan = pending;
  }
  const startedOn = dateOf(m.startedOn);
  if (startedOn) out.startedOn = startedOn;
  const periodStart = dateOf(m.period?.start);
  if (periodStart) out.periodStart = periodStart;
  const periodEnd = m.lifetime ? undefined : dateOf(m.period?.end);
  if (periodEnd) out.periodEnd = periodEnd;
  if (m.lastOrderRefNo) out.lastOrderRefNo = m.lastOrderRefNo;
  if (m.currency) out.currency = m.currency;
  return out;
}

export type DeadlineKind = 'renewalDue' | 'periodEnd';
export interface Deadline {
  kind: DeadlineKind;
  /** Epoch ms the deadline falls on. */
  atMs: number;
  /** The local date-time it is derived from (renewal date or period end). */
  basis: string;
}

/**
 * The next moment at which time alone changes the subscription: the end of a period that is
 * cancelled at period end, or the expected renewal date plus grace when no renewal arrived.
 */
export function nextDeadline(m: SubscriptionModel, renewalGraceMs: number): Deadline | undefined {
  if (isEnded(m) || m.lifetime || !m.period) return undefined;
  if (m.cancelAtPeriodEnd) return { kind: 'periodEnd', atMs: instantOf(m.period.end, m.utcOffsetMinutes), basis: m.period.end };
  if (m.renewalMissed || m.lifecycle === 'PENDING_ACTIVATION') return undefined;
  const basis = m.nextRenewal ?? m.period.end;
  const extra = renewalGraceMs + (m.graceDays ?? 0) * DAY_MS;
  return { kind: 'renewalDue', atMs: instantOf(basis, m.utcOffsetMinutes) + extra, basis };
}

/** The deadline passed with nothing moving the period. */
export function foldDeadline(m: SubscriptionModel, d: Deadline): FoldOutcome {
  if (d.kind === 'periodEnd') {
    end(m, 'CANCELED', d.basis);
    return { result: 'applied', note: `period ended ${dayOf(d.basis)}: cancelled at period end, the subscription is now CANCELED` };
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
  const plan: SubscriptionPlan = { productCode: line.productCode, productId: line.productId, name: line.name, quantity: Number(line.quantity) };
  if (line.productGroup) plan.productGroup = line.productGroup;
  return plan;
}

/** When the order was placed, local: SALEDATE, else the IPN date. */
function orderMoment(o: OrderEvent): string {
  return normalizeDateTime(o.saleDate) ?? normalizeDateTime(o.paymentDate) ?? normalizeDateTime(o.ipnDate) ?? '0000-01-01 00:00:00';
}

const orderKey = (refNo: string) => `order:${refNo}`;

/**
 * A paid order with a line of this licence was posted by its order workflow. The first order
 * starts the subscription; an order whose licence expiry moves the period forward is a renewal
 * (its plan is the plan of the new period, so a downgrade arrives this way); an order that does not
 * move the period but changes product or quantity is a mid-period upgrade (2Checkout charges the
 * prorated difference): the plan switches now.
 */
export function foldOrder(m: SubscriptionModel, notice: SubscriptionOrderNotice, policy: SubscriptionPolicy): FoldOutcome {
  if (!remember(m, orderKey(notice.refNo), policy)) return { result: 'duplicate', note: `order ${notice.refNo} again` };
  const order = notice.order;
  const line = order.lines.find((l) => l.license?.ref === m.licenseCode);
  if (!line?.license) return { result: 'unchanged', note: `order ${notice.refNo} has no line for licence ${m.licenseCode}` };
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
    if (lifetime) m.lifetime = true;
    if (expires && (!m.period || dayOf(expires) > dayOf(m.period.end))) m.period = { ...(start ? { start } : {}), end: expires, paidBy: notice.refNo };
    else if (m.period && expires && dayOf(expires) === dayOf(m.period.end)) m.period.paidBy = notice.refNo;
    if (m.lifecycle === 'PENDING') m.lifecycle = 'ACTIVE';
    note = `first order ${notice.refNo}: ${describePlan(plan)}${expires ? ` until ${dayOf(expires)}` : lifetime ? ', lifetime' : ''}`;
  } else if (expires && m.period && dayOf(expires) > dayOf(m.period.end)) {
    kind = 'renewal';
    const changed = !samePlan(plan, m.plan) ? ` with plan ${m.plan ? describePlan(m.plan) : '?'} → ${describePlan(plan)}` : '';
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

// LCN DISPATCH_REASON and STATUS spellings (2checkout.md §5.1): the documented ones plus the
// variants a third-party connector uses, since the exact wire values are UNCONFIRMED.
type Reason = 'change' | 'scheduledCancel' | 'revertCancel' | 'pastDue' | 'grace' | 'expiration' | 'pendingActivation' | 'cpcAccepted' | 'unknown';
const REASONS: Record<string, Reason> = {
  LICENCE_CHANGE: 'change',
  SCHEDULED_FOR_CANCELATION_ON_DEMAND: 'scheduledCancel',
  REVERT_CANCELATION_ON_DEMAND: 'revertCancel',
  LICENCE_PASTDUE: 'pastDue',
  LICENCE_PAST_DUE: 'pastDue',
  LICENCE_GP_CHANGE: 'grace',
  LICENCE_GRACE_PERIOD_CHANGE: 'grace',
  LICENCE_EXPIRATION: 'expiration',
  LICENCE_EXPIRED: 'expiration',
  LICENCE_PENDING_ACTIVATION: 'pendingActivation',
  LICENCE_CPC_ACCEPTED: 'cpcAccepted',
};

export function dispatchReasonOf(raw: string | undefined): Reason {
  if (!raw) return 'unknown';
  const key = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_')
    .replace(/^LICENSE_/, 'LICENCE_')
    .replace('CANCELLATION', 'CANCELATION');
  return REASONS[key] ?? 'unknown';
}

type StatusWord = 'ACTIVE' | 'CANCELED' | 'EXPIRED' | 'PAST_DUE' | 'PENDING_ACTIVATION' | 'unknown';
export function licenceStatusOf(raw: string | undefined): StatusWord | undefined {
  if (!raw) return undefined;
  const s = raw.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (s === 'ACTIVE' || s === 'ENABLED') return 'ACTIVE';
  if (s === 'DISABLED' || s === 'CANCELED' || s === 'CANCELLED') return 'CANCELED';
  if (s === 'EXPIRED') return 'EXPIRED';
  if (s === 'PASTDUE' || s === 'PAST_DUE') return 'PAST_DUE';
  if (s === 'PENDING_ACTIVATION' || s === 'PENDINGACTIVATION') return 'PENDING_ACTIVATION';
  return 'unknown';
}

function graceDaysOf(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
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
    const plan: SubscriptionPlan = { productCode: e.productCode, quantity, ...(e.productId ? { productId: e.productId } : {}) };
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

// ---------------------------------------------------------------------------------------------
// What the workflow answers to `subscriptionStateQuery`

export interface SubscriptionSyncState {
  licenseCode: string;
  status: SubscriptionStatusValue;
  plan?: SubscriptionPlan & { netsuiteItemId?: string };
  quantity?: number;
  /** Plan that takes effect with the next renewal. */
  pendingPlan?: SubscriptionPlan;
  period?: SubscriptionPeriod;
  startedOn?: string;
  /** Expected renewal date (local); absent when no renewal is expected. */
  nextRenewal?: string;
  /** When a missing renewal will be flagged, or a period that is cancelled at its end ends (ISO, UTC). */
  nextDeadline?: { kind: DeadlineKind; at: string };
  cancelAtPeriodEnd: boolean;
  lifetime: boolean;
  renewals: number;
  /** The newest orders of this subscription (REFNOs with what each did), oldest first. */
  orders: SubscriptionOrder[];
  ordersTotal: number;
  lastOrderRefNo?: string;
  customer: SubscriptionModel['customer'];
  /** NetSuite records this workflow made. */
  netsuiteRecords: NetSuiteRecordRef[];
  /** What NetSuite was last sent (what finance sees). */
  posted?: SubscriptionRecordState;
  syncStatus: SyncStatusValue;
  park?: ParkState;
  /** What the subscription waits for that is overdue (a missed renewal), for a person to check. */
  waiting: string[];
  endedAt?: string;
  eventsReceived: number;
  duplicatesIgnored: number;
  /** Runs of this workflow so far (continue-as-new starts a new one). */
  run: number;
  journal: JournalEntry[];
}
