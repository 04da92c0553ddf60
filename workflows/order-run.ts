// One run of an order's sync (orderSyncWorkflow, workflows/order-sync.ts): the state it keeps —
// the order's model, the steps an operator skipped, the posting policy and the run's flags — and
// what it does with it: take events, plan and post NetSuite steps, and find its way back after
// something went wrong or happened elsewhere (adopt the records a look-up found in NetSuite, look
// up before a later run's first write, resync, and park where a person must act: a sale that never
// arrived, a reconciliation mismatch, an unknown ORDERSTATUS).
//
// Workflow code: deterministic. Every `patched()` id here guards a path that changed under running
// workflows; the recorded histories in test/replay-histories take both the old and the new paths.
import {
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderEvent } from '../mappings/canonical.js';
import { API_EVENT_PREFIX, isFromApi } from '../mappings/api-events.js';
import { abs, changeExponent, currencyExponent, netsuiteExponent, toMinor } from '../mappings/money.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import type { AdoptedDocument } from '../mappings/adoption.js';
import { beforeCutover, eventInstant, saleInstant } from '../mappings/cutover.js';
import { shadowMemoOf, type ShadowVerdict } from '../mappings/shadow.js';
import { durationMs } from '../mappings/time-values.js';
import { DisputeStatus, EntityKind, OrderRef } from '../shared/search-attributes.js';
import type {
  AdoptionLink,
  AdoptionOutcome,
  OrderActivities,
  ShadowActivities,
  SubscriptionLinkActivities,
} from './activity-contract.js';
import { IdlePeriod } from './idle-wait.js';
import { laneActivityQueues } from './lanes.js';
import { NETSUITE_ACTIVITY_RETRY, NETSUITE_ACTIVITY_TIMEOUTS, TEMPORAL_ACTIVITY_TIMEOUTS } from './activity-options.js';
import {
  defaultActivityQueues,
  moveToCurrentBuildSignal,
  orderEventSignal,
  orderStateQuery,
  postBeforeCutoverSignal,
  reconciliationMismatchSignal,
  type ActivityQueues,
  type OrderSyncState,
  type ReconciliationMismatch,
} from './messages.js';
import {
  bookedPostingMode,
  DEFAULT_POLICY,
  emptyModel,
  foldEvent,
  hasLicenseLines,
  mayFollowEarlierRun,
  planNext,
  stepName,
  type OrderModel,
  type OrderSyncPolicy,
  type Plan,
  type Step,
  type Waiting,
} from './order-state.js';
import { SyncControl } from './parking.js';
import { laneOfWorkflow, stepPriority, type Lane, type StepStage } from './priority.js';

/** Patch ids: paths of running workflows that changed (recorded histories replay the old path). */
const RESYNC_KEEPS_SKIPPED = 'resync-keeps-skipped-steps';
const MISSING_RECORD_ACTIONS = 'missing-record-retry-looks-up-skip-ends-wait';
const LOOK_UP_BEFORE_FIRST_WRITE = 'later-run-looks-up-before-first-write';
const ADOPTED_SALE_NOTIFIED = 'adopted-sale-already-notified-subscriptions';
const CREDIT_IN_NETSUITE_PRECISION = 'api-refund-matches-credit-in-netsuite-precision';
/** The first look-ups also find another tool's records of the order (adopted, never doubled), and the cut-over holds older orders. */
const ADOPTION = 'adopts-records-another-tool-made';
/** SYNC_MODE=shadow: read NetSuite, write nothing, end with a verdict. */
const SHADOW_MODE = 'shadow-mode-verdict';
/**
 * Fewer Temporal Actions per order (docs/performance.md, "Temporal Actions per order"): no second
 * upsert of the search attributes the run started with; a wake without work keeps the idle timer and
 * the status. One id for both, asked first in the run's first task: a patch's marker (and the
 * TemporalChangeVersion upsert that comes with it) is not billed on Temporal Cloud, but it is a
 * history event and a visibility write for a self-hosted server, once per run is enough.
 */
const FEWER_ACTIONS = 'fewer-actions-per-order';

const HISTORY_EVENTS_BEFORE_CONTINUE = 5_000;

export interface OrderWorkflowInput {
  refNo: string;
  policy?: Partial<OrderSyncPolicy>;
  /** State carried over by continue-as-new. */
  carried?: CarriedState;
  /** NetSuite activity task queues (default TASK_QUEUES; tests isolate themselves with their own). */
  queues?: ActivityQueues;
}

interface CarriedState {
  model: OrderModel;
  disputeOutcomes: Record<string, string>;
  journal: OrderSyncState['journal'];
  eventsReceived: number;
  duplicatesIgnored: number;
  skipped: string[];
  /** Adoption and the cut-over (absent in state carried by runs from before them). */
  cutover?: {
    permitted: boolean;
    saleBefore?: boolean;
    at?: string;
    adopted: AdoptedDocument[];
    links: AdoptionLink[];
  };
}

/** Which steps need the record another step makes. */
const DEPENDENTS: Record<string, string[]> = {
  customer: ['salesOrder', 'invoice', 'payment', 'cashSale'],
  salesOrder: ['invoice', 'payment'],
  invoice: ['payment'],
};

export class OrderRun {
  readonly control = new SyncControl();
  readonly model: OrderModel;
  readonly policy: OrderSyncPolicy;
  /** Steps an operator skipped, and the steps that needed their records. */
  readonly skipped: string[];
  private readonly input: OrderWorkflowInput;
  private readonly queues: ActivityQueues;
  /** Live (webhook) or bulk (backfill, reconciliation), as the caller started it; a resync runs in the bulk lane. */
  private readonly lane: Lane;
  private readonly disputeOutcomes: Record<string, string>;
  private readonly inbox: OrderEvent[] = [];
  private readonly mismatches: ReconciliationMismatch[] = [];
  private eventsReceived: number;
  private duplicatesIgnored: number;
  private waiting: string[] = [];
  /** This run already looked its records up in NetSuite by externalId. */
  private lookedUpRecords = false;
  /** Look up before any write (a later run of the order, or a resync). */
  private mustLookUp = false;
  private resyncing = false;
  private askedToMove = false;
  /** A fresh run decides once, on its first events, whether it may follow an earlier run. */
  private firstRunChecked: boolean;
  /** Whether this run took the adoption path (patched once, at its first look-up or customer step). */
  private adoptionPatch?: boolean;
  /** An operator asked to post this order although it predates the cut-over. */
  private permitted: boolean;
  /** The sale predates cutover.at (as the first look-up or customer step said). */
  private saleBefore?: boolean;
  /** cutover.at, as the activities read it from the mapping file. */
  private cutoverAt?: string;
  private adopted: AdoptedDocument[];
  private links: AdoptionLink[];
  private shadowVerdict?: ShadowVerdict;
  /** Whether a wake without work leaves the idle period (and the status) as they were (FEWER_ACTIONS). */
  private quietWakes?: boolean;
  private readonly idlePeriod = new IdlePeriod();

  /** Shadow mode (SYNC_MODE=shadow): this run reads NetSuite, writes nothing, and ends with a verdict. */
  isShadow(): boolean {
    return this.policy.mode === 'shadow' && patched(SHADOW_MODE);
  }

  /**
   * The whole of a shadow run: once the previous tool had time to book the order (policy
   * shadowLookAfter after the sale), one activity reads NetSuite and says what the sync would do;
   * the verdict goes into the query and (without personal data) the memo the shadow report reads.
   * The run then ends: a later event starts a new run in whatever mode the sync is in by then.
   */
  async shadow(): Promise<OrderSyncState> {
    const m = this.model;
    await condition(() => this.inbox.length > 0, this.policy.idleClose);
    this.takeEvents();
    const sale = m.sale;
    if (!sale) {
      this.control.note(
        'shadow: nothing to judge',
        'no sale notification in this run (money back or a void of an order sold earlier)',
      );
      this.control.setStatus('Ignored');
      return this.state();
    }
    const lookAt = (saleInstant(sale) ?? Date.now()) + durationMs(this.policy.shadowLookAfter ?? '30m');
    if (lookAt > Date.now()) await sleep(lookAt - Date.now());
    this.takeEvents();
    const { bulk } = netsuiteActivities(this.queues, this.lane, 'first');
    const paid = m.paid || m.status === 'COMPLETE';
    const verdict = await bulk.shadowVerdict({
      order: sale,
      moneyBack: m.moneyBack,
      postingMode: this.policy.postingMode,
      paid,
    });
    this.shadowVerdict = verdict;
    upsertMemo({ shadow: shadowMemoOf(verdict) });
    this.control.note(
      `shadow: ${verdict.kind}`,
      verdict.park?.message ??
        verdict.differences?.join('; ') ??
        (verdict.bodies ? `${verdict.bodies.length} record(s) would be written` : undefined),
    );
    this.control.setStatus('Ignored');
    return this.state();
  }

  /** Takes over carried state (continue-as-new) or starts empty, and registers the handlers. */
  constructor(input: OrderWorkflowInput) {
    this.input = input;
    this.policy = { ...DEFAULT_POLICY, ...input.policy };
    this.queues = input.queues ?? defaultActivityQueues();
    this.lane = laneOfWorkflow(workflowInfo().priority);
    const carried = input.carried;
    this.skipped = carried?.skipped ?? [];
    this.control.register(true, () => this.skipped);
    this.model = carried?.model ?? emptyModel(input.refNo);
    this.disputeOutcomes = carried?.disputeOutcomes ?? {};
    this.eventsReceived = carried?.eventsReceived ?? 0;
    this.duplicatesIgnored = carried?.duplicatesIgnored ?? 0;
    if (carried) this.control.journal = carried.journal;
    this.firstRunChecked = carried !== undefined;
    this.permitted = carried?.cutover?.permitted ?? false;
    this.saleBefore = carried?.cutover?.saleBefore;
    this.cutoverAt = carried?.cutover?.at;
    this.adopted = carried?.cutover?.adopted ?? [];
    this.links = carried?.cutover?.links ?? [];
    // A run carried over from one that took the adoption path keeps the cut-over's hold at once.
    if (carried?.cutover) this.adoptionPatch = patched(ADOPTION);

    setHandler(orderEventSignal, (e) => {
      this.inbox.push(e);
    });
    setHandler(reconciliationMismatchSignal, (mm) => {
      if (!this.mismatches.some((x) => x.date === mm.date)) this.mismatches.push(mm);
    });
    setHandler(moveToCurrentBuildSignal, () => {
      this.askedToMove = true;
    });
    setHandler(postBeforeCutoverSignal, (p) => {
      this.permitted = true;
      const who = [p.reason, p.by ? `by ${p.by}` : undefined].filter(Boolean).join(' ');
      this.control.note('asked to post although before the cut-over', who || undefined);
      this.control.decideParked('BEFORE_CUTOVER', {
        action: 'retry',
        reason: p.reason ?? 'post before the cut-over',
        ...(p.by ? { by: p.by } : {}),
      });
    });
    setHandler(orderStateQuery, () => this.state());
  }

  /** Makes the order findable (search attributes) and shows it in progress. */
  open(): void {
    // The hand-over starts the run with them (initialSearchAttributes): a second upsert is an Action for nothing.
    const attrs = workflowInfo().typedSearchAttributes;
    const indexed = attrs.get(OrderRef) === this.input.refNo && attrs.get(EntityKind) === 'order';
    if (!(indexed && patched(FEWER_ACTIONS))) {
      upsertSearchAttributes([
        { key: OrderRef, value: this.input.refNo },
        { key: EntityKind, value: 'order' },
      ]);
    }
    this.control.setStatus('InProgress');
  }

  /** Folds the events that arrived; a fresh run's first events decide whether it must look up before writing. */
  takeEvents(): void {
    while (this.inbox.length > 0) {
      const e = this.inbox.shift()!;
      this.eventsReceived++;
      const r = foldEvent(this.model, e, this.policy);
      if (r === 'duplicate') this.duplicatesIgnored++;
      else
        this.control.note(
          `IPN ${e.status}${r === 'stale' ? ' (older than current state, ignored for lifecycle)' : ''}`,
          e.key,
        );
    }
    if (!this.firstRunChecked && this.eventsReceived > 0) {
      this.firstRunChecked = true;
      if (mayFollowEarlierRun(this.model, this.policy, Date.now()) && patched(LOOK_UP_BEFORE_FIRST_WRITE)) {
        this.mustLookUp = true;
        this.lookedUpRecords = false;
      }
    }
  }

  /**
   * Takes an operator's resync request, if one came: everything is posted again from the stored
   * events, and what still exists in NetSuite is found by externalId first and adopted, so a
   * resync never creates duplicates. It looks up before writing, in the bulk lane.
   */
  takeResyncRequest(): void {
    const request = this.control.resyncRequest;
    if (!request) return;
    this.control.resyncRequest = undefined;
    if (patched(RESYNC_KEEPS_SKIPPED)) {
      // What an operator skipped stays skipped unless this resync names it (with what needs it).
      const again = withDependents(request.steps ?? []);
      const keep = this.skipped.filter((s) => !again.includes(s));
      this.skipped.splice(0, this.skipped.length, ...keep);
      this.model.done = [...keep];
    } else this.model.done = [];
    this.model.records = {};
    this.lookedUpRecords = false;
    this.mustLookUp = true;
    this.resyncing = true;
    this.control.setStatus('InProgress');
  }

  /** The next NetSuite step owed, and what waits for a record that is not there yet. */
  plan(): Plan {
    const m = this.model;
    // Events read from 2Checkout's API may describe an order whose records a webhook already posted
    // (in an earlier run): find them by externalId before posting anything.
    const apiEvents =
      (m.sale !== undefined && isFromApi(m.sale)) ||
      m.moneyBack.some(isFromApi) ||
      (m.voided !== undefined && isFromApi(m.voided));
    const plan = planNext(m, this.policy, {
      lookedUpRecords: this.lookedUpRecords,
      mustLookUp: this.mustLookUp || apiEvents,
      disputeOutcomes: this.disputeOutcomes,
    });
    this.waiting = plan.waiting.map((w) => `${w.step} (waits for ${w.waitsFor})`);
    // Before the cut-over the previous tool books: what it did not book is reported, never posted.
    if (plan.next && this.heldByCutover(plan.next))
      return { ...plan, next: { kind: 'beforeCutover', owed: stepName(plan.next) } };
    return plan;
  }

  /** Whether the cut-over forbids this write (adoption patch taken; no operator asked for it). */
  private heldByCutover(step: Step): boolean {
    if (!this.adoptionPatch || this.permitted) return false;
    if (['customer', 'salesOrder', 'invoice', 'payment', 'cashSale'].includes(step.kind))
      return this.saleBefore === true;
    if (step.kind === 'refund') return beforeCutover(eventInstant(step.event), this.cutoverAt);
    return false;
  }

  /** Posts one step; a failure a person must fix parks it until an operator retries or skips. */
  async runStep(step: Step): Promise<void> {
    const name = stepName(step);
    const outcome = await this.control.runStep(name, () => this.post(step));
    if (step.kind === 'findRecords') {
      this.lookedUpRecords = true;
      return;
    }
    if (step.kind === 'beforeCutover') {
      if (outcome.ok) return;
      // Skipped: the order stays as the previous tool left it; its owed steps count as skipped.
      this.permitted = false;
      this.markSkipped(step.owed);
      return;
    }
    this.model.done.push(name);
    if (!outcome.ok) {
      this.skipped.push(name);
      this.skipDependents(name);
    }
  }

  /** Steps that need the skipped one's record cannot run either: skip them too, visibly. */
  private skipDependents(name: string): void {
    for (const dep of DEPENDENTS[name] ?? []) {
      if (!this.model.done.includes(dep)) {
        this.model.done.push(dep);
        this.skipped.push(dep);
        this.control.note(`step ${dep} skipped`, `it needs ${name}, which was skipped`);
      }
    }
  }

  /** A step (and what needs it) given up by an operator. */
  private markSkipped(name: string): void {
    if (!this.model.done.includes(name)) this.model.done.push(name);
    if (!this.skipped.includes(name)) this.skipped.push(name);
    this.skipDependents(name);
  }

  /**
   * A refund or chargeback arrived before the sale it refers to: wait for more events; if none come
   * within the grace period, park (MISSING_RECORD) so a person looks. An operator's retry looks in
   * NetSuite again, since the sale may have been posted meanwhile (by hand, or by a run of this
   * order that has since closed); a skip ends the wait: the step counts as done (skipped).
   */
  async waitForSale(waiting: Waiting): Promise<void> {
    const gotEvent = await condition(() => this.hasNewWork(), this.policy.moneyBackGrace);
    if (gotEvent) return;
    let attempts = 0;
    const outcome = await this.control.runStep(waiting.step, async () => {
      if (attempts++ > 0 && patched(MISSING_RECORD_ACTIONS)) {
        if (!(await this.stillMissing(waiting))) return;
      }
      throw missingRecord(waiting, this.model.refNo);
    });
    if (!outcome.ok && patched(MISSING_RECORD_ACTIONS)) {
      this.model.done.push(waiting.step);
      this.skipped.push(waiting.step);
    }
  }

  /**
   * Parks once with RECONCILIATION_MISMATCH for the next difference reconciliation reported; retry
   * or skip both resume (nothing here can fix NetSuite). False when none is pending.
   */
  async parkForMismatch(): Promise<boolean> {
    const mm = this.mismatches.shift();
    if (!mm) return false;
    let first = true;
    const message = `reconciliation of ${mm.date} found NetSuite differs from 2Checkout for order ${this.model.refNo}: ${mm.findings.join('; ')}. Nothing was changed. Correct the NetSuite records (or confirm the difference is intended), then retry; skip with a reason to accept it.`;
    await this.control.runStep(`reconcile:${mm.date}`, async () => {
      if (!first) return;
      first = false;
      throw ApplicationFailure.create({
        message,
        type: 'ReconciliationMismatch',
        nonRetryable: true,
        details: [{ reason: 'RECONCILIATION_MISMATCH', message }],
      });
    });
    return true;
  }

  /** Nothing is owed: the order is synced (or closed, if voided). */
  settle(): void {
    const m = this.model;
    this.control.setStatus(m.voided ? 'Closed' : m.sale || m.done.length > 0 ? 'Synced' : 'InProgress');
  }

  historyIsLong(): boolean {
    return workflowInfo().historyLength > HISTORY_EVENTS_BEFORE_CONTINUE || workflowInfo().continueAsNewSuggested;
  }

  /**
   * Stays open for refunds and chargebacks: false once `idleClose` passed with nothing new, true when
   * an event, a resync, a mismatch or a request to move to the current build woke it.
   */
  async idle(): Promise<boolean> {
    this.mustLookUp = false;
    this.resyncing = false;
    const wake = () =>
      this.hasNewWork() || this.mismatches.length > 0 || this.askedToMove || this.newerBuildIsCurrent();
    this.quietWakes ??= patched(FEWER_ACTIONS);
    const woken = this.quietWakes
      ? await this.idlePeriod.wait(this.policy.idleClose, wake)
      : await condition(wake, this.policy.idleClose);
    this.askedToMove = false;
    return woken;
  }

  /**
   * Woken while idle. Only work ends the idle period and shows the order in progress: a step owed,
   * money back waiting for its sale, a reconciliation mismatch. A duplicate or stale event changes
   * nothing (no status upsert, no new timer: the order waits on for the rest of its period).
   */
  resume(): void {
    if (!this.quietWakes) {
      if (this.hasNewWork()) this.control.setStatus('InProgress');
      return;
    }
    this.takeEvents();
    this.takeResyncRequest();
    const plan = this.plan();
    const work = plan.next !== undefined || plan.waiting.length > 0;
    if (work || this.mismatches.length > 0) this.idlePeriod.interrupt();
    if (work) this.control.setStatus('InProgress');
  }

  /** An event or a resync is waiting to be taken. */
  hasNewWork(): boolean {
    return this.inbox.length > 0 || this.control.resyncRequest !== undefined;
  }

  /** A newer build is current (Worker Versioning): this pinned run may move to it while idle. */
  newerBuildIsCurrent(): boolean {
    return workflowInfo().targetWorkerDeploymentVersionChanged;
  }

  /** The input of the next run (continue-as-new). */
  carry(): OrderWorkflowInput {
    const { model, disputeOutcomes, skipped, eventsReceived, duplicatesIgnored } = this;
    const cutover = this.adoptionPatch
      ? {
          cutover: {
            permitted: this.permitted,
            ...(this.saleBefore !== undefined ? { saleBefore: this.saleBefore } : {}),
            ...(this.cutoverAt ? { at: this.cutoverAt } : {}),
            adopted: this.adopted,
            links: this.links,
          },
        }
      : {};
    return {
      refNo: this.input.refNo,
      policy: this.policy,
      queues: this.queues,
      carried: {
        model,
        disputeOutcomes,
        journal: this.control.journal,
        eventsReceived,
        duplicatesIgnored,
        skipped,
        ...cutover,
      },
    };
  }

  /** What the `syncState` query answers. */
  state(): OrderSyncState {
    const { model, control } = this;
    const dispute = lastDispute(model);
    return {
      refNo: model.refNo,
      postingMode: this.policy.postingMode,
      orderStatus: model.status ?? model.voided?.status,
      syncStatus: control.syncStatus,
      ...(control.park ? { park: control.park } : {}),
      records: model.records,
      completedSteps: model.done,
      skippedSteps: this.skipped,
      waiting: this.waiting,
      ...(dispute ? { dispute } : {}),
      eventsReceived: this.eventsReceived,
      duplicatesIgnored: this.duplicatesIgnored,
      journal: control.journal,
      ...(this.adopted.length > 0 || this.saleBefore
        ? { adoption: { adopted: this.adopted, links: this.links, beforeCutover: this.saleBefore === true } }
        : {}),
      ...(this.shadowVerdict ? { shadow: this.shadowVerdict } : {}),
    };
  }

  /** Runs one step's NetSuite activity and keeps what it made. */
  private async post(step: Step): Promise<void> {
    const m = this.model;
    const r = m.records;
    // An order whose sync has begun goes ahead of orders that have not (drain in order).
    const stage: StepStage = m.done.length === 0 && !this.lookedUpRecords ? 'first' : 'later';
    const { bulk, money } = netsuiteActivities(this.queues, this.resyncing ? 'bulk' : this.lane, stage);
    // An operator's retry of a BEFORE_CUTOVER park asks for the order to be posted.
    if (this.control.park?.reason === 'BEFORE_CUTOVER') this.permitted = true;
    switch (step.kind) {
      case 'findRecords': {
        await this.findRecords(bulk);
        return;
      }
      case 'beforeCutover': {
        if (this.permitted) {
          // Asked for: look again first (the previous tool may have booked it meanwhile), then post what is owed.
          this.mustLookUp = true;
          this.lookedUpRecords = false;
          return;
        }
        throw beforeCutoverPark(m.refNo, step.owed, this.cutoverAt, this.adopted);
      }
      case 'customer': {
        const adoption = this.adoptionOn() ? { adoption: this.permitted ? { permitBeforeCutover: true } : {} } : {};
        const res = await bulk.syncCustomer({ order: this.sale(), ...adoption });
        if (res.beforeCutover !== undefined) this.saleBefore = res.beforeCutover;
        if (res.cutoverAt !== undefined) this.cutoverAt = res.cutoverAt;
        if (res.action === 'held') throw beforeCutoverPark(m.refNo, 'customer', this.cutoverAt, []);
        r.customerId = res.customerId;
        this.control.note(`customer ${res.action}`, `NetSuite customer ${res.customerId}`);
        if (res.previousBooking) {
          // Another tool booked this order: adopt its records before anything else is written.
          this.mustLookUp = true;
          this.lookedUpRecords = false;
        }
        return;
      }
      case 'salesOrder': {
        const res = await bulk.upsertSalesOrder({ order: this.sale(), customerId: need(r.customerId, 'customer') });
        r.salesOrderId = res.salesOrderId;
        return;
      }
      case 'invoice': {
        const res = await bulk.createInvoice({ order: this.sale(), salesOrderId: need(r.salesOrderId, 'sales order') });
        r.invoiceId = res.invoiceId;
        return;
      }
      case 'payment': {
        const res = await money.applyPayment({
          order: this.sale(),
          customerId: need(r.customerId, 'customer'),
          invoiceId: need(r.invoiceId, 'invoice'),
        });
        r.paymentId = res.paymentId;
        return;
      }
      case 'cashSale': {
        const res = await money.postCashSale({ order: this.sale(), customerId: need(r.customerId, 'customer') });
        r.cashSaleId = res.cashSaleId;
        return;
      }
      case 'close': {
        const res = await bulk.closeOrder({ order: need(m.voided, 'void event'), records: r });
        this.control.note(`order ${m.voided?.status.toLowerCase()}`, res.actions.join(', ') || 'nothing to close');
        return;
      }
      case 'dispute': {
        const res = await bulk.recordDispute({ event: step.event, records: r });
        this.disputeOutcomes[step.event.eventRef] = res.outcome;
        upsertSearchAttributes([
          { key: DisputeStatus, value: step.event.chargeback?.resolution.toUpperCase() ?? res.outcome.toUpperCase() },
        ]);
        return;
      }
      case 'notifySubscriptions': {
        const res = await links.notifySubscriptions({
          order: this.sale(),
          records: r,
          ...(this.input.queues ? { queues: this.input.queues } : {}),
        });
        this.control.note('subscriptions notified', res.notified.join(', '));
        return;
      }
      case 'unknownStatus':
        throw unknownStatus(step.event);
      case 'refund': {
        const res = await money.postRefund({ event: step.event, records: r, cause: step.cause });
        r.creditMemos = { ...r.creditMemos, [step.event.eventRef]: res };
        return;
      }
    }
  }

  /** Whether this run takes the adoption path (decided once, at its first look-up or customer step). */
  private adoptionOn(): boolean {
    this.adoptionPatch ??= patched(ADOPTION);
    return this.adoptionPatch;
  }

  /** The look-up by externalId; with the adoption patch, also another tool's records (one query). */
  private async findRecords(bulk: OrderActivities): Promise<void> {
    const m = this.model;
    if (!this.adoptionOn()) {
      this.adoptFoundRecords(await bulk.findOrderRecords({ refNo: m.refNo }));
      return;
    }
    const order = m.sale ?? m.voided;
    const { adoption, ...found } = await bulk.findOrderRecords({
      refNo: m.refNo,
      adoption: { ...(order ? { order } : {}), link: true },
    });
    this.adoptFoundRecords(found);
    if (adoption) this.takeAdoption(adoption);
  }

  /** Keeps what adoption found; an adopted record that differs from 2Checkout parks (never overwritten). */
  private takeAdoption(a: AdoptionOutcome): void {
    if (a.cutoverAt !== undefined) this.cutoverAt = a.cutoverAt;
    if (this.model.sale || this.model.voided) this.saleBefore = a.beforeCutover;
    for (const d of a.adopted) {
      if (this.adopted.some((x) => x.id === d.id)) continue;
      this.adopted.push(d);
      this.control.note(
        `adopted ${d.role} ${d.label}`,
        `made by another tool; NetSuite ${d.total ?? '?'} ${d.currency ?? ''}`.trim(),
      );
    }
    for (const l of a.links ?? []) if (!this.links.some((x) => x.id === l.id)) this.links.push(l);
    const m = this.model;
    if (a.paidElsewhere && !m.done.includes('payment')) {
      m.done.push('payment');
      this.control.note(
        'payment adopted',
        'the adopted invoice is paid in full; its payment was not found by the REFNO',
      );
    }
    if (a.differences.length > 0) throw adoptedDiffers(m.refNo, a.differences);
  }

  private sale(): OrderEvent {
    const s = this.model.sale ?? this.model.voided;
    if (!s) throw new Error(`order ${this.model.refNo}: no order content received yet`);
    return s;
  }

  /** Whether the sale `waiting` needs is still not in NetSuite, after looking again. */
  private async stillMissing(waiting: Waiting): Promise<boolean> {
    await this.findRecords(netsuiteActivities(this.queues, this.lane, 'later').bulk);
    this.lookedUpRecords = true;
    return planNext(this.model, this.policy, {
      lookedUpRecords: true,
      disputeOutcomes: this.disputeOutcomes,
    }).waiting.some((w) => w.step === waiting.step);
  }

  /**
   * Records found in NetSuite by externalId (merged under what this run already knows) count as
   * done; the order keeps the posting mode it was booked in.
   */
  private adoptFoundRecords(found: OrderRecords): void {
    const m = this.model;
    const adopted = [...new Set([...(m.records.adopted ?? []), ...(found.adopted ?? [])])];
    m.records = { ...found, ...stripUndefined(m.records), ...(adopted.length > 0 ? { adopted } : {}) };
    adoptFoundSteps(m);
    const booked = bookedPostingMode(m.records);
    if (booked && booked !== this.policy.postingMode) {
      this.control.note(
        `posting mode ${booked} kept`,
        `the order was booked as ${booked} in NetSuite; ${this.policy.postingMode} applies to new orders only`,
      );
      this.policy.postingMode = booked;
    }
    // A paid sale found in NetSuite was posted by an earlier run, which notified its subscriptions
    // then: notifying again would hand an old order to a subscription run that may have ended.
    const r = m.records;
    if (
      (r.paymentId || r.cashSaleId) &&
      m.sale &&
      hasLicenseLines(m.sale) &&
      !m.done.includes('notifySubscriptions') &&
      patched(ADOPTED_SALE_NOTIFIED)
    ) {
      m.done.push('notifySubscriptions');
    }
  }
}

/** The NetSuite activities of one step, dispatched with that step's task priority (workflows/priority.ts). */
function netsuiteActivities(queues: ActivityQueues, lane: Lane, stage: StepStage) {
  const priority = stepPriority(lane, stage);
  const retry = NETSUITE_ACTIVITY_RETRY;
  // A bulk step runs on the bulk lane's own queues (workflows/lanes.ts).
  const q = laneActivityQueues(queues, lane);
  return {
    /** Orders, customers, invoices. */
    bulk: proxyActivities<OrderActivities & ShadowActivities>({
      taskQueue: q.netsuite,
      ...NETSUITE_ACTIVITY_TIMEOUTS,
      retry,
      priority,
    }),
    /** Payments and refunds: their own task queue, so a backlog of new orders never starves them. */
    money: proxyActivities<OrderActivities>({
      taskQueue: q.netsuiteMoney,
      ...NETSUITE_ACTIVITY_TIMEOUTS,
      retry,
      priority,
    }),
  };
}

/** Links to subscription workflows: Temporal calls only, served by the workflow worker. */
const links = proxyActivities<SubscriptionLinkActivities>({
  ...TEMPORAL_ACTIVITY_TIMEOUTS,
  retry: NETSUITE_ACTIVITY_RETRY,
});

function lastDispute(m: OrderModel): OrderSyncState['dispute'] {
  const e = [...m.moneyBack].reverse().find((x) => x.chargeback);
  return e?.chargeback
    ? {
        resolution: e.chargeback.resolution,
        ...(e.chargeback.reasonCode ? { reasonCode: e.chargeback.reasonCode } : {}),
      }
    : undefined;
}

function unknownStatus(e: OrderEvent): ApplicationFailure {
  const message = `ORDERSTATUS ${JSON.stringify(e.unknownStatus ?? e.status)} of order ${e.refNo} (IPN of ${e.ipnDate}) is not a status this sync handles; the event is kept in the workflow. Check the order in 2Checkout, then skip with a note (or retry after upgrading the sync).`;
  return ApplicationFailure.create({
    message,
    type: 'UnknownStatus',
    nonRetryable: true,
    details: [{ reason: 'UNKNOWN_STATUS', message, path: 'ORDERSTATUS' }],
  });
}

function adoptedDiffers(refNo: string, differences: string[]): ApplicationFailure {
  const message = `order ${refNo} was booked by another tool, and the sync adopted its records instead of posting new ones, but they differ from 2Checkout: ${differences.join('; ')}. Nothing was changed. Correct the NetSuite records (then retry: they are compared again), or skip with a reason to accept the difference.`;
  return ApplicationFailure.create({
    message,
    type: 'AdoptedRecordDiffers',
    nonRetryable: true,
    details: [{ reason: 'ADOPTED_RECORD_DIFFERS', message }],
  });
}

function beforeCutoverPark(
  refNo: string,
  owed: string,
  cutoverAt: string | undefined,
  adopted: AdoptedDocument[],
): ApplicationFailure {
  const booked =
    adopted.length > 0
      ? `the previous tool booked ${adopted.map((d) => `${d.role} ${d.label}`).join(', ')} but not the ${owed}`
      : 'nothing of it is in NetSuite';
  const message = `order ${refNo} was sold before the cut-over (${cutoverAt ?? 'cutover.at'}) and ${booked}: the previous tool owns it, so the sync posts nothing. Book it there and retry (it is adopted), or retry to have the sync post it (npm run backfill -- --post-missing does this for a range), or skip with a reason to leave it.`;
  return ApplicationFailure.create({
    message,
    type: 'BeforeCutover',
    nonRetryable: true,
    details: [{ reason: 'BEFORE_CUTOVER', message }],
  });
}

function missingRecord(waiting: Waiting, refNo: string): ApplicationFailure {
  const message = `${waiting.step} for order ${refNo} cannot be posted: no ${waiting.waitsFor} exists in NetSuite and no IPN for the sale arrived. Retry once the sale is in NetSuite, or skip with a reason.`;
  // Shaped like an activity's parking failure so SyncControl explains it the same way.
  return ApplicationFailure.create({
    message,
    type: 'MissingRecord',
    nonRetryable: true,
    details: [{ reason: 'MISSING_RECORD', message }],
  });
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

/** The named steps and, transitively, the steps that need their records. */
function withDependents(steps: string[]): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    if (out.has(s)) return;
    out.add(s);
    for (const d of DEPENDENTS[s] ?? []) add(d);
  };
  steps.forEach(add);
  return [...out];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Records found in NetSuite by externalId count as done: a new run never posts them again. */
function adoptFoundSteps(m: OrderModel): void {
  const r = m.records;
  const mark = (name: string, present: unknown) => {
    if (present && !m.done.includes(name)) m.done.push(name);
  };
  mark('customer', r.customerId);
  mark('salesOrder', r.salesOrderId);
  mark('invoice', r.invoiceId);
  mark('payment', r.paymentId);
  mark('cashSale', r.cashSaleId);
  for (const key of Object.keys(r.creditMemos ?? {})) mark(`refund:${key}`, true);
  // Money back read from 2Checkout's API has no webhook eventRef: a credit a webhook posted (in
  // an earlier run) for the same amount is that refund, so it is not posted twice.
  const claimed = new Set(m.moneyBack.filter((e) => !isFromApi(e)).map((e) => e.eventRef));
  for (const e of m.moneyBack) {
    if (!isFromApi(e) || m.done.includes(`refund:${e.eventRef}`)) continue;
    const match = Object.entries(r.creditMemos ?? {}).find(
      ([key, c]) => !key.startsWith(API_EVENT_PREFIX) && !claimed.has(key) && sameCredit(e, c.amount),
    );
    if (!match) continue;
    claimed.add(match[0]);
    mark(`refund:${e.eventRef}`, true);
    if (e.chargeback) mark(`dispute:${e.eventRef}`, true);
  }
}

const creditAmountOf = (e: OrderEvent): bigint => abs(toMinor(e.totals.general, currencyExponent(e.currency)));

/**
 * Whether a credit NetSuite holds (its total, in NetSuite's precision) is this money-back event's.
 * NetSuite keeps 2 decimals where 2Checkout sends 3 (KWD …): a 10.125 refund was booked as 10.13.
 * Compared in 2Checkout's precision, it never matched, and the API refund would be posted again.
 */
function sameCredit(e: OrderEvent, netsuiteAmount: string): boolean {
  const iso = currencyExponent(e.currency);
  const ns = netsuiteExponent(e.currency);
  if (iso === ns || !patched(CREDIT_IN_NETSUITE_PRECISION)) return toMinor(netsuiteAmount, iso) === creditAmountOf(e);
  return toMinor(netsuiteAmount, ns) === changeExponent(creditAmountOf(e), iso, ns);
}
