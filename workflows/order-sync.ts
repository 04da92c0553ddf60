// orderSyncWorkflow: one workflow per 2Checkout order (`order/<REFNO>`). It folds every IPN of
// the order into a monotone state machine (workflows/order-state.ts) and runs the NetSuite steps
// that are owed as retryable, idempotent activities: customer → sales order → invoice → payment
// (or customer → cash sale), then refunds, chargebacks and voids. It stays open for a while after
// the last event (refunds come later), then completes; a later event starts a new run that finds
// the NetSuite records by externalId.
import {
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { OrderEvent } from '../mappings/canonical.js';
import type { OrderActivities, SubscriptionLinkActivities } from './activity-contract.js';
import { PARKING_FAILURE_TYPES } from '../mappings/sync-types.js';
import { TASK_QUEUES } from './messages.js';
import { DisputeStatus, EntityKind, OrderRef } from '../shared/search-attributes.js';
import { orderEventSignal, orderStateQuery, type ActivityQueues, type OrderSyncState } from './messages.js';

export type { ActivityQueues } from './messages.js';
import { SyncControl } from './parking.js';
import { adoptFoundSteps, DEPENDENTS, missingRecord, need, stripUndefined, unknownStatus, withDependents } from './order-recovery.js';
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

function netsuiteActivities(queues: ActivityQueues) {
  return {
    /** Orders, customers, invoices: the bulk lane. */
    bulk: proxyActivities<OrderActivities>({ taskQueue: queues.netsuite, startToCloseTimeout: '5m', retry }),
    /** Payments and refunds: their own task queue, so a backlog of new orders never starves them. */
    money: proxyActivities<OrderActivities>({ taskQueue: queues.netsuiteMoney, startToCloseTimeout: '5m', retry }),
  };
}

/** Links to subscription workflows: Temporal calls only, served by the workflow worker. */
const links = proxyActivities<SubscriptionLinkActivities>({ startToCloseTimeout: '1m', retry });

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
  const { bulk, money } = netsuiteActivities(queues);
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
      control.setStatus('InProgress');
    }
    const plan = planNext(model, policy, { lookedUpRecords, mustLookUp, disputeOutcomes });
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
            const found = await bulk.findOrderRecords({ refNo: model.refNo });
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
    control.setStatus(model.voided ? 'Closed' : model.sale || model.done.length > 0 ? 'Synced' : 'InProgress');
    if (workflowInfo().historyLength > HISTORY_EVENTS_BEFORE_CONTINUE || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof orderSyncWorkflow>({
        refNo: input.refNo,
        policy,
        queues,
        carried: { model, disputeOutcomes, journal: control.journal, eventsReceived, duplicatesIgnored, skipped },
      });
    }
    mustLookUp = false;
    const more = await condition(() => inbox.length > 0 || control.resyncRequest !== undefined, policy.idleClose);
    if (!more) break;
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
