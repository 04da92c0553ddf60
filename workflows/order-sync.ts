// Over 350 lines for now: its resync/look-up/park helpers should move to an order-recovery module (split undone by the issue-12..15 merge).
// orderSyncWorkflow: one workflow per 2Checkout order (`order/<REFNO>`). It folds every IPN of
// the order into a monotone state machine (workflows/order-state.ts) and runs the NetSuite steps
// that are owed as retryable, idempotent activities: customer → sales order → invoice → payment
// (or customer → cash sale), then refunds, chargebacks and voids. It stays open for a while after
// the last event (refunds come later), then completes; a later event starts a new run that finds
// the NetSuite records by externalId.
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  makeContinueAsNewFunc,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { OrderEvent } from '../mappings/canonical.js';
import { API_EVENT_PREFIX, isFromApi } from '../mappings/from-2checkout-api.js';
import { abs, currencyExponent, toMinor } from '../mappings/money.js';
import type { OrderActivities, SubscriptionLinkActivities } from './activity-contract.js';
import { PARKING_FAILURE_TYPES } from '../mappings/sync-types.js';
import { TASK_QUEUES } from './messages.js';
import { NETSUITE_ACTIVITY_TIMEOUTS, TEMPORAL_ACTIVITY_TIMEOUTS } from './activity-options.js';
import { DisputeStatus, EntityKind, OrderRef } from '../shared/search-attributes.js';
import { moveToCurrentBuildSignal, orderEventSignal, orderStateQuery, reconciliationMismatchSignal, type OrderSyncState, type ReconciliationMismatch } from './messages.js';
import { SyncControl } from './parking.js';
import { laneOfWorkflow, stepPriority, type Lane, type StepStage } from './priority.js';
import {
  DEFAULT_POLICY,
  emptyModel,
  bookedPostingMode,
  foldEvent,
  hasLicenseLines,
  mayFollowEarlierRun,
  planNext,
  stepName,
  type OrderModel,
  type OrderSyncPolicy,
  type Step,
} from './order-state.js';

const retry: ActivityOptions['retry'] = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '5m',
  // Transient NetSuite trouble (429, 5xx, network, auth hiccups) retries without limit; the
  // failures a retry cannot fix are thrown as these types and make the sync park instead.
  nonRetryableErrorTypes: [...PARKING_FAILURE_TYPES],
};

export interface ActivityQueues {
  netsuite: string;
  netsuiteMoney: string;
}

/** The NetSuite activities of one step, dispatched with that step's task priority (workflows/priority.ts). */
function netsuiteActivities(queues: ActivityQueues, lane: Lane, stage: StepStage) {
  const priority = stepPriority(lane, stage);
  return {
    /** Orders, customers, invoices: the bulk lane. */
    bulk: proxyActivities<OrderActivities>({ taskQueue: queues.netsuite, ...NETSUITE_ACTIVITY_TIMEOUTS, retry, priority }),
    /** Payments and refunds: their own task queue, so a backlog of new orders never starves them. */
    money: proxyActivities<OrderActivities>({ taskQueue: queues.netsuiteMoney, ...NETSUITE_ACTIVITY_TIMEOUTS, retry, priority }),
  };
}

/** Links to subscription workflows: Temporal calls only, served by the workflow worker. */
const links = proxyActivities<SubscriptionLinkActivities>({ ...TEMPORAL_ACTIVITY_TIMEOUTS, retry });

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
}

const HISTORY_EVENTS_BEFORE_CONTINUE = 5_000;

/** Which steps need the record another step makes. */
const DEPENDENTS: Record<string, string[]> = {
  customer: ['salesOrder', 'invoice', 'payment', 'cashSale'],
  salesOrder: ['invoice', 'payment'],
  invoice: ['payment'],
};

export async function orderSyncWorkflow(input: OrderWorkflowInput): Promise<OrderSyncState> {
  const policy: OrderSyncPolicy = { ...DEFAULT_POLICY, ...input.policy };
  const queues: ActivityQueues = input.queues ?? { netsuite: TASK_QUEUES.netsuite, netsuiteMoney: TASK_QUEUES.netsuiteMoney };
  // Live (webhook) or bulk (backfill, reconciliation), as the caller started it; a resync runs in the bulk lane.
  const lane: Lane = laneOfWorkflow(workflowInfo().priority);
  let resyncing = false;
  const control = new SyncControl();
  // Declared before the handlers are registered: the resync validator reads it.
  const skipped: string[] = input.carried?.skipped ?? [];
  control.register(true, () => skipped);

  const model: OrderModel = input.carried?.model ?? emptyModel(input.refNo);
  const disputeOutcomes: Record<string, string> = input.carried?.disputeOutcomes ?? {};
  const inbox: OrderEvent[] = [];
  let eventsReceived = input.carried?.eventsReceived ?? 0;
  let duplicatesIgnored = input.carried?.duplicatesIgnored ?? 0;
  let lookedUpRecords = false;
  let waiting: string[] = [];
  if (input.carried) control.journal = input.carried.journal;

  setHandler(orderEventSignal, (e) => {
    inbox.push(e);
  });
  const mismatches: ReconciliationMismatch[] = [];
  setHandler(reconciliationMismatchSignal, (mm) => {
    if (!mismatches.some((x) => x.date === mm.date)) mismatches.push(mm);
  });
  let askedToMove = false;
  setHandler(moveToCurrentBuildSignal, () => {
    askedToMove = true;
  });

  const state = (): OrderSyncState => ({
    refNo: model.refNo,
    postingMode: policy.postingMode,
    orderStatus: model.status ?? model.voided?.status,
    syncStatus: control.syncStatus,
    ...(control.park ? { park: control.park } : {}),
    records: model.records,
    completedSteps: model.done,
    skippedSteps: skipped,
    waiting,
    ...(lastDispute() ? { dispute: lastDispute() } : {}),
    eventsReceived,
    duplicatesIgnored,
    journal: control.journal,
  });
  const lastDispute = () => {
    const e = [...model.moneyBack].reverse().find((x) => x.chargeback);
    return e?.chargeback ? { resolution: e.chargeback.resolution, ...(e.chargeback.reasonCode ? { reasonCode: e.chargeback.reasonCode } : {}) } : undefined;
  };
  setHandler(orderStateQuery, state);

  upsertSearchAttributes([
    { key: OrderRef, value: input.refNo },
    { key: EntityKind, value: 'order' },
  ]);
  control.setStatus('InProgress');

  const drainInbox = () => {
    while (inbox.length > 0) {
      const e = inbox.shift()!;
      eventsReceived++;
      const r = foldEvent(model, e, policy);
      if (r === 'duplicate') duplicatesIgnored++;
      else control.note(`IPN ${e.status}${r === 'stale' ? ' (older than current state, ignored for lifecycle)' : ''}`, e.key);
    }
  };

  const runStep = async (step: Step): Promise<void> => {
    const name = stepName(step);
    const outcome = await control.runStep(name, () => execute(step));
    if (step.kind === 'findRecords') {
      lookedUpRecords = true;
      return;
    }
    model.done.push(name);
    if (!outcome.ok) {
      skipped.push(name);
      // Steps that need the skipped one's record cannot run either: skip them too, visibly.
      for (const dep of DEPENDENTS[name] ?? []) {
        if (!model.done.includes(dep)) {
          model.done.push(dep);
          skipped.push(dep);
          control.note(`step ${dep} skipped`, `it needs ${name}, which was skipped`);
        }
      }
    }
  };

  const sale = (): OrderEvent => {
    const s = model.sale ?? model.voided;
    if (!s) throw new Error(`order ${model.refNo}: no order content received yet`);
    return s;
  };

  const execute = async (step: Step): Promise<void> => {
    const r = model.records;
    // An order whose sync has begun goes ahead of orders that have not (drain in order).
    const stage: StepStage = model.done.length === 0 && !lookedUpRecords ? 'first' : 'later';
    const { bulk, money } = netsuiteActivities(queues, resyncing ? 'bulk' : lane, stage);
    switch (step.kind) {
      case 'findRecords': {
        const found = await bulk.findOrderRecords({ refNo: model.refNo });
        model.records = { ...found, ...stripUndefined(r) };
        adoptFound();
        return;
      }
      case 'customer': {
        const res = await bulk.syncCustomer({ order: sale() });
        r.customerId = res.customerId;
        control.note(`customer ${res.action}`, `NetSuite customer ${res.customerId}`);
        return;
      }
      case 'salesOrder': {
        const res = await bulk.upsertSalesOrder({ order: sale(), customerId: need(r.customerId, 'customer') });
        r.salesOrderId = res.salesOrderId;
        return;
      }
      case 'invoice': {
        const res = await bulk.createInvoice({ order: sale(), salesOrderId: need(r.salesOrderId, 'sales order') });
        r.invoiceId = res.invoiceId;
        return;
      }
      case 'payment': {
        const res = await money.applyPayment({ order: sale(), customerId: need(r.customerId, 'customer'), invoiceId: need(r.invoiceId, 'invoice') });
        r.paymentId = res.paymentId;
        return;
      }
      case 'cashSale': {
        const res = await money.postCashSale({ order: sale(), customerId: need(r.customerId, 'customer') });
        r.cashSaleId = res.cashSaleId;
        return;
      }
      case 'close': {
        const res = await bulk.closeOrder({ order: need(model.voided, 'void event'), records: r });
        control.note(`order ${model.voided?.status.toLowerCase()}`, res.actions.join(', ') || 'nothing to close');
        return;
      }
      case 'dispute': {
        const res = await bulk.recordDispute({ event: step.event, records: r });
        disputeOutcomes[step.event.eventRef] = res.outcome;
        upsertSearchAttributes([{ key: DisputeStatus, value: step.event.chargeback?.resolution.toUpperCase() ?? res.outcome.toUpperCase() }]);
        return;
      }
      case 'notifySubscriptions': {
        const res = await links.notifySubscriptions({ order: sale(), records: r, ...(input.queues ? { queues: input.queues } : {}) });
        control.note('subscriptions notified', res.notified.join(', '));
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
  };

  /** Records found by externalId count as done; the order keeps the posting mode it was booked in. */
  const adoptFound = () => {
    adoptFoundSteps(model);
    const booked = bookedPostingMode(model.records);
    if (booked && booked !== policy.postingMode) {
      control.note(`posting mode ${booked} kept`, `the order was booked as ${booked} in NetSuite; ${policy.postingMode} applies to new orders only`);
      policy.postingMode = booked;
    }
    // A paid sale found in NetSuite was posted by an earlier run, which notified its subscriptions
    // then: notifying again would hand an old order to a subscription run that may have ended.
    const r = model.records;
    if ((r.paymentId || r.cashSaleId) && model.sale && hasLicenseLines(model.sale) && !model.done.includes('notifySubscriptions') && patched(ADOPTED_SALE_NOTIFIED)) {
      model.done.push('notifySubscriptions');
    }
  };
  const carry = (): OrderWorkflowInput => ({
    refNo: input.refNo,
    policy,
    queues,
    carried: { model, disputeOutcomes, journal: control.journal, eventsReceived, duplicatesIgnored, skipped },
  });
  /** A newer build is current (Worker Versioning): this pinned run may move to it while idle. */
  const newerBuild = () => workflowInfo().targetWorkerDeploymentVersionChanged;

  let mustLookUp = false;
  // A fresh run (not continued-as-new) decides once, on its first events, whether it may follow an
  // earlier run of this order; if so it looks up its records before any write.
  let firstRunChecked = input.carried !== undefined;
  for (;;) {
    drainInbox();
    if (!firstRunChecked && eventsReceived > 0) {
      firstRunChecked = true;
      if (mayFollowEarlierRun(model, policy, Date.now()) && patched(LOOK_UP_BEFORE_FIRST_WRITE)) {
        mustLookUp = true;
        lookedUpRecords = false;
      }
    }
    if (control.resyncRequest) {
      // Post everything again from the stored events; what still exists in NetSuite is found by
      // externalId first and adopted, so a resync never creates duplicates.
      const request = control.resyncRequest;
      control.resyncRequest = undefined;
      if (patched(RESYNC_KEEPS_SKIPPED)) {
        // What an operator skipped stays skipped unless this resync names it (with what needs it).
        const again = withDependents(request.steps ?? []);
        const keep = skipped.filter((s) => !again.includes(s));
        skipped.splice(0, skipped.length, ...keep);
        model.done = [...keep];
      } else model.done = [];
      model.records = {};
      lookedUpRecords = false;
      mustLookUp = true;
      resyncing = true;
      control.setStatus('InProgress');
    }
    // Events read from 2Checkout's API may describe an order whose records a webhook already posted
    // (in an earlier run): find them by externalId before posting anything.
    const apiEvents = (model.sale !== undefined && isFromApi(model.sale)) || model.moneyBack.some(isFromApi) || (model.voided !== undefined && isFromApi(model.voided));
    const plan = planNext(model, policy, { lookedUpRecords, mustLookUp: mustLookUp || apiEvents, disputeOutcomes });
    waiting = plan.waiting.map((w) => `${w.step} (waits for ${w.waitsFor})`);
    if (plan.next) {
      await runStep(plan.next);
      continue;
    }
    if (plan.waiting.length > 0) {
      // A refund/chargeback arrived before the sale it refers to: wait for more events; if none
      // come within the grace period, park so a person looks at it.
      const gotEvent = await condition(() => inbox.length > 0 || control.resyncRequest !== undefined, policy.moneyBackGrace);
      if (!gotEvent) {
        const first = plan.waiting[0]!;
        let attempts = 0;
        const outcome = await control.runStep(first.step, async () => {
          // An operator's retry looks in NetSuite again: the sale may have been posted meanwhile
          // (by hand, or by a run of this order that has since closed).
          if (attempts++ > 0 && patched(MISSING_RECORD_ACTIONS)) {
            const found = await netsuiteActivities(queues, lane, 'later').bulk.findOrderRecords({ refNo: model.refNo });
            model.records = { ...found, ...stripUndefined(model.records) };
            adoptFound();
            lookedUpRecords = true;
            const still = planNext(model, policy, { lookedUpRecords, disputeOutcomes }).waiting.some((w) => w.step === first.step);
            if (!still) return;
          }
          throw missingRecord(first.step, first.waitsFor, model.refNo);
        });
        // A skip ends the wait: the step counts as done (skipped), so it never parks again.
        if (!outcome.ok && patched(MISSING_RECORD_ACTIONS)) {
          model.done.push(first.step);
          skipped.push(first.step);
        }
      }
      continue;
    }
    const mismatch = mismatches.shift();
    if (mismatch) {
      await parkForMismatch(control, model.refNo, mismatch);
      continue;
    }
    control.setStatus(model.voided ? 'Closed' : model.sale || model.done.length > 0 ? 'Synced' : 'InProgress');
    if (workflowInfo().historyLength > HISTORY_EVENTS_BEFORE_CONTINUE || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof orderSyncWorkflow>(carry());
    }
    mustLookUp = false;
    resyncing = false;
    const more = await condition(() => inbox.length > 0 || control.resyncRequest !== undefined || mismatches.length > 0 || askedToMove || newerBuild(), policy.idleClose);
    if (!more) break;
    askedToMove = false;
    if (inbox.length === 0 && control.resyncRequest === undefined && newerBuild()) {
      // Idle on an old build: the next run starts on the current one, so the old build can be
      // retired without waiting out the idle period (a running step never moves: PINNED).
      await makeContinueAsNewFunc<typeof orderSyncWorkflow>({ initialVersioningBehavior: 'AUTO_UPGRADE' })(carry());
    }
    if (inbox.length === 0 && control.resyncRequest === undefined) continue;
    control.setStatus('InProgress');
  }
  log.info('order sync finished', { refNo: model.refNo, status: model.status });
  return state();
}

/** Patch ids: paths of running workflows that changed (recorded histories replay the old path). */
const RESYNC_KEEPS_SKIPPED = 'resync-keeps-skipped-steps';
const MISSING_RECORD_ACTIONS = 'missing-record-retry-looks-up-skip-ends-wait';
const LOOK_UP_BEFORE_FIRST_WRITE = 'later-run-looks-up-before-first-write';
const ADOPTED_SALE_NOTIFIED = 'adopted-sale-already-notified-subscriptions';

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

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
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
    const amount = creditAmountOf(e);
    const match = Object.entries(r.creditMemos ?? {}).find(
      ([key, c]) => !key.startsWith(API_EVENT_PREFIX) && !claimed.has(key) && toMinor(c.amount, currencyExponent(e.currency)) === amount,
    );
    if (!match) continue;
    claimed.add(match[0]);
    mark(`refund:${e.eventRef}`, true);
    if (e.chargeback) mark(`dispute:${e.eventRef}`, true);
  }
}

const creditAmountOf = (e: OrderEvent): bigint => abs(toMinor(e.totals.general, currencyExponent(e.currency)));

/** Parks once with RECONCILIATION_MISMATCH; retry or skip both resume (nothing here can fix NetSuite). */
async function parkForMismatch(control: SyncControl, refNo: string, mm: ReconciliationMismatch): Promise<void> {
  let first = true;
  const message = `reconciliation of ${mm.date} found NetSuite differs from 2Checkout for order ${refNo}: ${mm.findings.join('; ')}. Nothing was changed. Correct the NetSuite records (or confirm the difference is intended), then retry; skip with a reason to accept it.`;
  await control.runStep(`reconcile:${mm.date}`, async () => {
    if (!first) return;
    first = false;
    throw ApplicationFailure.create({ message, type: 'ReconciliationMismatch', nonRetryable: true, details: [{ reason: 'RECONCILIATION_MISMATCH', message }] });
  });
}

function unknownStatus(e: OrderEvent): ApplicationFailure {
  const message = `ORDERSTATUS ${JSON.stringify(e.unknownStatus ?? e.status)} of order ${e.refNo} (IPN of ${e.ipnDate}) is not a status this sync handles; the event is kept in the workflow. Check the order in 2Checkout, then skip with a note (or retry after upgrading the sync).`;
  return ApplicationFailure.create({ message, type: 'UnknownStatus', nonRetryable: true, details: [{ reason: 'UNKNOWN_STATUS', message, path: 'ORDERSTATUS' }] });
}

function missingRecord(step: string, waitsFor: string, refNo: string): ApplicationFailure {
  const message = `${step} for order ${refNo} cannot be posted: no ${waitsFor} exists in NetSuite and no IPN for the sale arrived. Retry once the sale is in NetSuite, or skip with a reason.`;
  // Shaped like an activity's parking failure so SyncControl explains it the same way.
  return ApplicationFailure.create({ message, type: 'MissingRecord', nonRetryable: true, details: [{ reason: 'MISSING_RECORD', message }] });
}
