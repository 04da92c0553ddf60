// orderSyncWorkflow: one workflow per 2Checkout order (`order/<REFNO>`). It folds every IPN of
// the order into a monotone state machine (workflows/order-state.ts) and runs the NetSuite steps
// that are owed as retryable, idempotent activities: customer → sales order → invoice → payment
// (or customer → cash sale), then refunds, chargebacks and voids. It stays open for a while after
// the last event (refunds come later), then completes; a later event starts a new run that finds
// the NetSuite records by externalId (adopting found records, resync and parks: order-recovery.ts).
import { condition, continueAsNew, log, makeContinueAsNewFunc, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { OrderEvent } from '../mappings/canonical.js';
import { isFromApi } from '../mappings/from-2checkout-api.js';
import type { OrderActivities, SubscriptionLinkActivities } from './activity-contract.js';
import { NETSUITE_ACTIVITY_RETRY, NETSUITE_ACTIVITY_TIMEOUTS, TEMPORAL_ACTIVITY_TIMEOUTS } from './activity-options.js';
import { DisputeStatus, EntityKind, OrderRef } from '../shared/search-attributes.js';
import { moveToCurrentBuildSignal, orderEventSignal, orderStateQuery, reconciliationMismatchSignal, TASK_QUEUES, type ActivityQueues, type OrderSyncState, type ReconciliationMismatch } from './messages.js';
import { SyncControl } from './parking.js';
import { laneOfWorkflow, stepPriority, type Lane, type StepStage } from './priority.js';
import { DEFAULT_POLICY, emptyModel, foldEvent, planNext, stepName, type OrderModel, type OrderSyncPolicy, type Step } from './order-state.js';
import { adoptFoundRecords, DEPENDENTS, mustLookUpBeforeFirstWrite, parkForMismatch, parkForMissingRecord, startResync, unknownStatus } from './order-recovery.js';

const retry = NETSUITE_ACTIVITY_RETRY;

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
        adoptFoundRecords(model, await bulk.findOrderRecords({ refNo: model.refNo }), policy, control);
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
      if (mustLookUpBeforeFirstWrite(model, policy)) {
        mustLookUp = true;
        lookedUpRecords = false;
      }
    }
    if (control.resyncRequest) {
      // Post everything again from the stored events, looking up what still exists first.
      startResync(control, model, skipped);
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
        await parkForMissingRecord(control, first, model, skipped, async () => {
          adoptFoundRecords(model, await netsuiteActivities(queues, lane, 'later').bulk.findOrderRecords({ refNo: model.refNo }), policy, control);
          lookedUpRecords = true;
          return planNext(model, policy, { lookedUpRecords, disputeOutcomes }).waiting.some((w) => w.step === first.step);
        });
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

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}
