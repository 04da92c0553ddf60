// One 2Checkout subscription as data: the policy, the model the workflow folds events into, its
// empty state and the views derived from it (status, what NetSuite should show, the next deadline).
// Pure and workflow-safe; the folds that change it live in subscription-state.ts.
import type { OrderRecords, SubscriptionRecordState } from '../mappings/sync-types.js';
import { DAY_MS, dayOf, instantOf } from '../mappings/time-values.js';

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
export type SubscriptionLifecycle =
  'PENDING' | 'PENDING_ACTIVATION' | 'ACTIVE' | 'PAST_DUE' | 'GRACE' | 'CANCELED' | 'EXPIRED';
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
  if (m.cancelAtPeriodEnd)
    return { kind: 'periodEnd', atMs: instantOf(m.period.end, m.utcOffsetMinutes), basis: m.period.end };
  if (m.renewalMissed || m.lifecycle === 'PENDING_ACTIVATION') return undefined;
  const basis = m.nextRenewal ?? m.period.end;
  const extra = renewalGraceMs + (m.graceDays ?? 0) * DAY_MS;
  return { kind: 'renewalDue', atMs: instantOf(basis, m.utcOffsetMinutes) + extra, basis };
}
