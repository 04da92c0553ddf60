// The order sync as a pure state machine: fold 2Checkout events into state, then ask which
// NetSuite step is owed next. No I/O, no Temporal APIs: unit-tested directly and used by
// orderSyncWorkflow. Deterministic by construction.
import type { OrderEvent, OrderStatus } from '../mappings/canonical.js';
import type { OrderRecords, PostingMode } from '../mappings/sync-types.js';
import { durationMs, instantOf, normalizeDateTime, parseUtcOffset } from '../mappings/time-values.js';
import { isFromApi } from '../mappings/api-events.js';
import { abs, currencyExponent, toMinor } from '../mappings/money.js';

export interface OrderSyncPolicy {
  postingMode: PostingMode;
  /** Statuses that mean "paid": invoice + payment (or cash sale) are posted. Default COMPLETE. */
  paidStatuses: OrderStatus[];
  /** How long the workflow stays open after its last event once nothing is owed (e.g. `30d`). */
  idleClose: string;
  /** How long a refund/chargeback may wait for the sale it refers to before the sync parks. */
  moneyBackGrace: string;
  /**
   * live (default): post to NetSuite. shadow: read NetSuite, write nothing, end with a verdict of
   * what the sync would have done (SYNC_MODE=shadow; docs/cutover.md).
   */
  mode?: 'live' | 'shadow';
  /** Shadow mode: how long after the sale to look, so the previous tool had time to book it (default 30m). */
  shadowLookAfter?: string;
}

export const DEFAULT_POLICY: OrderSyncPolicy = {
  postingMode: 'salesOrder',
  paidStatuses: ['COMPLETE'],
  idleClose: '30d',
  moneyBackGrace: '1h',
};

/** Lifecycle rank: a later IPN with a lower rank never moves the order backwards (docs/reference-notes.md#2co-ipn-fields). */
const RANK: Record<OrderStatus, number> = {
  PENDING: 1,
  PURCHASE_PENDING: 1,
  PENDING_APPROVAL: 1,
  SUSPECT: 1,
  INVALID: 1,
  PENDING_ORDER_APPROVAL: 2,
  PAYMENT_AUTHORIZED: 2,
  AUTHRECEIVED: 2,
  PAYMENT_RECEIVED: 2,
  COMPLETE: 3,
  // Money-back and void statuses are handled as events of their own, not as lifecycle ranks.
  REFUND: 0,
  REVERSED: 0,
  CANCELED: 0,
};
const PAID_RANK = 3;

export interface OrderModel {
  refNo: string;
  /** Highest lifecycle rank seen. */
  rank: number;
  /** Most advanced ORDERSTATUS seen. */
  status?: OrderStatus;
  /** Whether a paid status (per policy) was seen. */
  paid: boolean;
  /** Latest order snapshot (content of the most advanced non-money-back IPN). */
  sale?: OrderEvent;
  /** REVERSED / CANCELED event: the order is void; nothing more is posted for the sale. */
  voided?: OrderEvent;
  /** Refunds and chargeback updates, in arrival order. */
  moneyBack: OrderEvent[];
  seenKeys: string[];
  records: OrderRecords;
  /** Steps done or skipped by an operator. */
  done: string[];
  /** Events with an ORDERSTATUS this service does not handle: each parks (UNKNOWN_STATUS) until skipped. */
  unknown?: OrderEvent[];
}

export function emptyModel(refNo: string): OrderModel {
  return { refNo, rank: 0, paid: false, moneyBack: [], seenKeys: [], records: {}, done: [] };
}

export type FoldResult = 'applied' | 'duplicate' | 'stale';

/** Longest "first run" window: a first run starts within this of the sale (or within idleClose, if shorter). */
const FIRST_RUN_WINDOW_MS = 3_600_000;
/** Largest UTC offset in use (UTC+14): bounds SALEDATE's instant when TIMEZONE_OFFSET is missing. */
const MAX_UTC_OFFSET_MIN = 14 * 60;

/**
 * Whether a run that starts with the events in `m` (and no carried state) may follow an earlier,
 * closed run of the same order, so that it must look its records up in NetSuite before any write.
 *
 * A later run can only start once an earlier run was idle for `idleClose` after its last event, and
 * that event came after the sale: so a later run starts at least `idleClose` after SALEDATE. A run
 * that starts sooner after the sale is the order's first, and needs no look-up (the healthy path
 * keeps its NetSuite call count). Money-back, void and unknown-status events always look first;
 * so does an event without a readable SALEDATE.
 */
export function mayFollowEarlierRun(m: OrderModel, policy: OrderSyncPolicy, nowMs: number): boolean {
  if (m.moneyBack.length > 0 || m.voided || (m.unknown?.length ?? 0) > 0) return true;
  const sale = m.sale;
  const local = normalizeDateTime(sale?.saleDate);
  if (!sale || !local) return true;
  const offset = parseUtcOffset(sale.timezoneOffset);
  // Without an offset assume the one that makes the sale earliest (the order looks oldest).
  const saleMs = instantOf(local, offset ?? MAX_UTC_OFFSET_MIN);
  const window = Math.min(FIRST_RUN_WINDOW_MS, durationMs(policy.idleClose));
  return nowMs - saleMs >= window;
}

/** The posting mode of the records an earlier run made: an order keeps the mode it was booked in. */
export function bookedPostingMode(r: OrderRecords): PostingMode | undefined {
  if (r.salesOrderId || r.invoiceId) return 'salesOrder';
  if (r.cashSaleId) return 'cashSale';
  return undefined;
}

export function hasLicenseLines(e: OrderEvent): boolean {
  return e.lines.some((l) => l.license !== undefined);
}

export function isMoneyBack(e: OrderEvent): boolean {
  return e.status === 'REFUND' || (e.chargeback !== undefined && e.chargeback.resolution.toUpperCase() !== 'NONE');
}

/** Folds one event into the model (mutates it). Duplicates (same key) change nothing. */
export function foldEvent(m: OrderModel, e: OrderEvent, policy: OrderSyncPolicy): FoldResult {
  if (m.seenKeys.includes(e.key)) return 'duplicate';
  m.seenKeys.push(e.key);
  if (e.status === 'UNKNOWN') {
    // Kept, never guessed at: the workflow parks it so a person decides.
    m.unknown = [...(m.unknown ?? []), e];
    return 'applied';
  }
  if (alreadyKnown(m, e)) return 'duplicate';
  if (isMoneyBack(e)) {
    const same = m.moneyBack.find((x) => x.eventRef === e.eventRef && x.status === e.status);
    if (!same) m.moneyBack.push(e);
    else if (e.status === 'REFUND' && e.messageId === undefined && same.ipnDate !== e.ipnDate) {
      // No MESSAGE_ID, same content, another IPN_DATE: a re-sent notification or a second identical
      // refund. Neither dropped nor posted: its own step parks for a person (AMBIGUOUS_REFUND).
      // Unreachable in histories recorded before content-derived eventRefs (eventRef was IPN_DATE).
      m.moneyBack.push({ ...e, eventRef: `${e.eventRef}-${e.ipnDate}`, sameContentAs: e.eventRef });
    }
    // A chargeback IPN also carries the order (seen with COMPLETE): it proves payment.
    if (e.status !== 'REFUND') foldLifecycle(m, e, policy);
    return 'applied';
  }
  if (e.status === 'REVERSED' || e.status === 'CANCELED') {
    if (!m.voided) m.voided = e;
    return 'applied';
  }
  return foldLifecycle(m, e, policy);
}

const refundAmount = (e: OrderEvent): bigint => abs(toMinor(e.totals.general, currencyExponent(e.currency)));
const chargebackOf = (e: OrderEvent): string | undefined => e.chargeback?.resolution.toUpperCase();

/**
 * Whether an event says nothing new because the other source (webhook vs. 2Checkout's API) already
 * told it. The API knows no MESSAGE_ID, so its refunds cannot share a webhook refund's eventRef:
 * refunds are matched by amount instead (the k-th API refund of an amount is the k-th webhook
 * refund of that amount), chargebacks by resolution, and an API snapshot of the sale never
 * replaces what webhooks said. Events of one source alone are never affected.
 */
function alreadyKnown(m: OrderModel, e: OrderEvent): boolean {
  const api = isFromApi(e);
  const known = m.moneyBack.filter((x) => isFromApi(x) !== api);
  if (known.length === 0 && !api) return false;
  if (e.status === 'REFUND') {
    const amount = refundAmount(e);
    const same = (x: OrderEvent) => x.status === 'REFUND' && refundAmount(x) === amount;
    const other = known.filter(same).length;
    const mine = m.moneyBack.filter((x) => isFromApi(x) === api && same(x)).length;
    return mine < other;
  }
  if (chargebackOf(e) !== undefined) {
    return known.some((x) => chargebackOf(x) === chargebackOf(e));
  }
  if (!api) return false;
  if (e.status === 'REVERSED' || e.status === 'CANCELED') return m.voided !== undefined;
  // An API snapshot of the sale: new only when no webhook told as much.
  return m.sale !== undefined && e.status !== 'UNKNOWN' && m.rank >= RANK[e.status];
}

function foldLifecycle(m: OrderModel, e: OrderEvent, policy: OrderSyncPolicy): FoldResult {
  if (e.status === 'UNKNOWN') return 'stale';
  const rank = RANK[e.status];
  const paid = policy.paidStatuses.includes(e.status);
  if (paid) m.paid = true;
  if (rank < m.rank && !paid) {
    // An older IPN arriving late: keep its content only if we had none.
    if (!m.sale) m.sale = e;
    return 'stale';
  }
  if (rank >= m.rank) {
    m.rank = rank;
    m.status = e.status;
  }
  m.sale = e;
  return 'applied';
}

export type Step =
  | { kind: 'customer' }
  | { kind: 'salesOrder' }
  | { kind: 'invoice' }
  | { kind: 'payment' }
  | { kind: 'cashSale' }
  | { kind: 'close' }
  | { kind: 'findRecords' }
  /** Stands in for a write the cut-over forbids (an order sold before cutover.at): parks BEFORE_CUTOVER. */
  | { kind: 'beforeCutover'; owed: string }
  | { kind: 'notifySubscriptions' }
  | { kind: 'refund'; event: OrderEvent; cause: 'refund' | 'chargeback' }
  | { kind: 'dispute'; event: OrderEvent }
  | { kind: 'unknownStatus'; event: OrderEvent };

export function stepName(s: Step): string {
  switch (s.kind) {
    case 'refund':
      return `refund:${s.event.eventRef}`;
    case 'dispute':
      return `dispute:${s.event.eventRef}`;
    case 'unknownStatus':
      return `status:${s.event.eventRef}`;
    default:
      return s.kind;
  }
}

export interface NextStepContext {
  /** Whether this run already looked up existing NetSuite records by externalId. */
  lookedUpRecords: boolean;
  /** Look up existing records before anything else (operator resync). */
  mustLookUp?: boolean;
  /** Outcome of chargeback steps already run, by eventRef. */
  disputeOutcomes: Record<string, string>;
}

/** A step that is owed but cannot run yet, with what it waits for. */
export interface Waiting {
  step: string;
  waitsFor: string;
}

export interface Plan {
  next?: Step;
  waiting: Waiting[];
}

/** Decides the next NetSuite step owed, or what is waiting. Pure. */
export function planNext(m: OrderModel, policy: OrderSyncPolicy, ctx: NextStepContext): Plan {
  const done = (name: string) => m.done.includes(name);
  const r = m.records;
  const waiting: Waiting[] = [];

  // An unknown status comes first: a person must say what it means before anything else is posted.
  for (const e of m.unknown ?? []) {
    if (!done(`status:${e.eventRef}`)) return { next: { kind: 'unknownStatus', event: e }, waiting };
  }

  if (m.voided) {
    if (!done('close')) {
      // Something may exist from an earlier run: look first, then close what is there.
      if (!ctx.lookedUpRecords && !r.salesOrderId && !r.cashSaleId) return { next: { kind: 'findRecords' }, waiting };
      return { next: { kind: 'close' }, waiting };
    }
  } else if (m.sale) {
    if (ctx.mustLookUp && !ctx.lookedUpRecords) return { next: { kind: 'findRecords' }, waiting };
    const paid = m.paid || m.rank >= PAID_RANK;
    if (policy.postingMode === 'salesOrder') {
      if (m.rank >= 1 || m.paid) {
        if (!done('customer')) return { next: { kind: 'customer' }, waiting };
        if (!done('salesOrder')) return { next: { kind: 'salesOrder' }, waiting };
      }
      if (paid) {
        if (!done('invoice')) return { next: { kind: 'invoice' }, waiting };
        if (!done('payment')) return { next: { kind: 'payment' }, waiting };
      }
    } else if (paid) {
      if (!done('customer')) return { next: { kind: 'customer' }, waiting };
      if (!done('cashSale')) return { next: { kind: 'cashSale' }, waiting };
    }
    // A paid order with subscription lines starts or advances its subscription workflow(s).
    if (paid && hasLicenseLines(m.sale) && !done('notifySubscriptions'))
      return { next: { kind: 'notifySubscriptions' }, waiting };
  }

  for (const e of m.moneyBack) {
    const isRefund = e.status === 'REFUND';
    const hasSaleRecords = policy.postingMode === 'cashSale' ? !!r.cashSaleId : !!r.invoiceId;
    if (isRefund) {
      const name = `refund:${e.eventRef}`;
      if (done(name)) continue;
      if (!hasSaleRecords) {
        if (!ctx.lookedUpRecords) return { next: { kind: 'findRecords' }, waiting };
        waiting.push({ step: name, waitsFor: policy.postingMode === 'cashSale' ? 'cash sale' : 'invoice' });
        continue;
      }
      return { next: { kind: 'refund', event: e, cause: 'refund' }, waiting };
    }
    const disputeName = `dispute:${e.eventRef}`;
    if (!done(disputeName)) {
      if (!r.salesOrderId && !r.cashSaleId && !r.invoiceId) {
        if (!ctx.lookedUpRecords) return { next: { kind: 'findRecords' }, waiting };
        waiting.push({ step: disputeName, waitsFor: 'the order in NetSuite' });
        continue;
      }
      return { next: { kind: 'dispute', event: e }, waiting };
    }
    const refundName = `refund:${e.eventRef}`;
    if (ctx.disputeOutcomes[e.eventRef] === 'lost' && !done(refundName)) {
      if (!hasSaleRecords) {
        waiting.push({ step: refundName, waitsFor: policy.postingMode === 'cashSale' ? 'cash sale' : 'invoice' });
        continue;
      }
      return { next: { kind: 'refund', event: e, cause: 'chargeback' }, waiting };
    }
  }
  return { waiting };
}
