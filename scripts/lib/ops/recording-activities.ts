// Fake NetSuite activities that record each call and can fail named steps with a parking failure,
// plus a worker set that serves them. Used by `npm run record-histories` (a real run of the real
// workflow code on a dev server, without a NetSuite account) and by the ops and browser tests.
import { ApplicationFailure, type DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type {
  AdoptionOutcome,
  FoundOrderRecords,
  OrderActivities,
  ShadowActivities,
  SubscriptionActivities,
  SubscriptionLinkActivities,
  SyncCustomerResult,
  UpsertSubscriptionRecordResult,
} from '../../../workflows/activity-contract.js';
import type { ShadowVerdict } from '../../../mappings/shadow.js';
import type { OrderRecords, ParkDetails } from '../../../mappings/sync-types.js';
import { externalIds } from '../../../mappings/ids.js';
import type { PayoutActivities } from '../../../workflows/payout-contract.js';
import { ACTION_TASK_QUEUE } from '../../../workflows/action-request-messages.js';
import type { PayoutContent } from '../../../mappings/payout-amounts.js';
import type { PayoutReport } from '../../../mappings/payout-report.js';

export type NetSuiteActivities = OrderActivities & ShadowActivities & SubscriptionActivities & PayoutActivities;

/** The payout the fake 2Checkout API returns (two USD orders; one reaches NetSuite late). */
export const RECORDED_PAYOUT: PayoutContent = {
  reference: 'NS-REC-1',
  status: 'PAID',
  currency: 'USD',
  amount: '186.18',
  date: '2026-11-30',
  orders: [
    { refNo: '70000091', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' },
    { refNo: '70000092', currency: 'USD', gross: '93.01', commission: '2.98', vatWithheld: '0' },
  ],
  refunds: [],
  chargebackFees: [],
  reserve: [],
  rates: {},
};

const RECORDED_REPORT: PayoutReport = {
  reference: 'NS-REC-1',
  currency: 'USD',
  date: '2026-11-30',
  amount: '186.18',
  expected: '186.18',
  residue: '0.00',
  byCurrency: [
    {
      currency: 'USD',
      rate: '1',
      orders: 2,
      gross: '193.01',
      refunds: '0.00',
      commission: '6.83',
      vatWithheld: '0.00',
      chargebackFees: '0.00',
      reserveHeld: '0.00',
      reserveReleased: '0.00',
      net: '186.18',
      netConverted: '186.18',
    },
  ],
  lines: [
    { role: 'bank', account: '230', debit: '186.18', memo: '2Checkout payout NS-REC-1' },
    {
      role: 'clearing',
      account: '201',
      credit: '193.01',
      currency: 'USD',
      memo: '2 USD payments less refunds, payout NS-REC-1',
    },
    { role: 'commission', account: '240', debit: '6.83', currency: 'USD', memo: '2Checkout commission on USD orders' },
  ],
  fx: '0.00',
  variance: '0.00',
  record: { type: 'journalEntry', id: '9001', externalId: externalIds.payout('NS-REC-1'), created: true },
};
export type ActivityFailurePlan = Partial<Record<keyof NetSuiteActivities, ParkDetails[]>>;

export interface RecordingActivities {
  /** Activity names in call order. */
  calls: string[];
  activities: NetSuiteActivities;
}

/**
 * `failures.upsertSalesOrder = [park]` makes the first upsertSalesOrder call park with `park`;
 * `found` is what findOrderRecords finds in NetSuite (records an earlier run posted; default none).
 */
export function recordingOrderActivities(
  failures: ActivityFailurePlan = {},
  opts: {
    found?: OrderRecords;
    adoption?: AdoptionOutcome;
    customer?: SyncCustomerResult[];
    shadow?: ShadowVerdict;
  } = {},
): RecordingActivities {
  const customers = [...(opts.customer ?? [])];
  const calls: string[] = [];
  const pending = new Map(Object.entries(failures).map(([k, v]) => [k, [...(v ?? [])]]));
  const step = (name: keyof NetSuiteActivities) => {
    calls.push(name);
    const park = pending.get(name)?.shift();
    // The same shape the real activities throw (activities/failures.ts): non-retryable, ParkDetails first.
    if (park) throw ApplicationFailure.nonRetryable(park.message, 'MappingError', park);
  };
  const activities: OrderActivities & ShadowActivities & SubscriptionActivities = {
    async syncCustomer() {
      step('syncCustomer');
      return customers.shift() ?? { customerId: '1001', action: 'created' };
    },
    async upsertSalesOrder() {
      step('upsertSalesOrder');
      return { salesOrderId: '2001', total: '99.00' };
    },
    async createInvoice() {
      step('createInvoice');
      return { invoiceId: '3001', total: '99.00', amountRemaining: '99.00' };
    },
    async applyPayment() {
      step('applyPayment');
      return { paymentId: '4001', amount: '99.00' };
    },
    async postCashSale() {
      step('postCashSale');
      return { cashSaleId: '5001', total: '99.00' };
    },
    async findOrderRecords({ adoption }): Promise<FoundOrderRecords> {
      step('findOrderRecords');
      return { ...opts.found, ...(adoption && opts.adoption ? { adoption: opts.adoption } : {}) };
    },
    async shadowVerdict({ order }): Promise<ShadowVerdict> {
      step('shadowVerdict');
      return (
        opts.shadow ?? {
          kind: 'wouldCreate',
          refNo: order.refNo,
          day: '2026-11-20',
          currency: order.currency,
          gross: order.totals.general,
          bodies: [],
        }
      );
    },
    async closeOrder() {
      step('closeOrder');
      return { actions: ['closed sales order 2001'] };
    },
    async postRefund() {
      step('postRefund');
      return { creditMemoId: '6001', customerRefundId: '7001', amount: '99.00' };
    },
    async recordDispute() {
      step('recordDispute');
      return { outcome: 'open' as const };
    },
    // An ended subscription lingers only briefly, so recorded runs complete.
    async subscriptionSettings() {
      step('subscriptionSettings');
      return { renewalGrace: '3d', endedLinger: '2s' };
    },
    async findSubscriptionRecord() {
      step('findSubscriptionRecord');
      return {};
    },
    async upsertSubscriptionRecord({ subscription }): Promise<UpsertSubscriptionRecordResult> {
      step('upsertSubscriptionRecord');
      return {
        action: 'upserted',
        record: {
          type: 'customrecord_2co_subscription',
          id: '8001',
          externalId: externalIds.subscription(subscription.licenseCode),
        },
        itemId: '103',
      };
    },
  };
  let readinessChecks = 0;
  const payouts: PayoutActivities = {
    // Short waits so a recorded run completes quickly.
    async payoutSettings() {
      step('payoutSettings');
      return { waitForPaymentsMs: 60_000, recheckEveryMs: 1_000 };
    },
    // NS-REC-4 (payout-canceled): 2Checkout lists the payout as cancelled after it was posted.
    async fetchPayout({ reference }) {
      step('fetchPayout');
      return { ...RECORDED_PAYOUT, reference, ...(reference === 'NS-REC-4' ? { status: 'CANCELED' as const } : {}) };
    },
    async payoutReadiness() {
      step('payoutReadiness');
      return { missing: readinessChecks++ === 0 ? ['70000092'] : [] };
    },
    async postPayout({ content }) {
      step('postPayout');
      return { ...RECORDED_REPORT, reference: content.reference };
    },
    async listPayoutReferences() {
      step('listPayoutReferences');
      return ['NS-REC-1'];
    },
    // The looking-back poll (payout-poll-looked-back): NS-REC-3 was posted before, 2Checkout now lists it revised.
    async listPayoutSummaries() {
      step('listPayoutSummaries');
      return [{ reference: 'NS-REC-3', status: 'PAID', currency: 'USD', amount: '181.18', date: '2026-11-30' }];
    },
    async revisedPayouts({ payouts }) {
      step('revisedPayouts');
      return payouts
        .filter((p) => p.reference === 'NS-REC-3')
        .map((p) => ({ reference: p.reference, why: '2Checkout now lists 181.18 USD; NetSuite holds 186.18' }));
    },
  };
  return { calls, activities: { ...activities, ...payouts } };
}

const noSubscriptions: SubscriptionLinkActivities = {
  async notifySubscriptions() {
    return { notified: [] };
  },
};

export interface FakeWorkerQueues {
  workflows: string;
  netsuite: string;
  netsuiteMoney: string;
  completeness?: string;
  /** The bulk lane's queues (workflows/lanes.ts), served like their live twins when given. */
  workflowsBulk?: string;
  netsuiteBulk?: string;
  netsuiteMoneyBulk?: string;
}

export interface RunningFakeWorkers {
  stop(): Promise<void>;
}

/** The workflow worker (real workflow code) and both NetSuite activity lanes, served by fakes. */
export async function startFakeWorkers(opts: {
  connection: NativeConnection;
  namespace?: string;
  queues: FakeWorkerQueues;
  workflowBundle: WorkflowBundle;
  activities: object;
  /** Activities of the workflow task queue; default: orders notify no subscription. */
  workflowActivities?: object;
  /** Payload encryption, as the real worker would have it. */
  dataConverter?: DataConverter;
  /** Backfill/reconciliation activities, served on `queues.completeness`. */
  completenessActivities?: object;
  /** Action-request activities, served on ACTION_TASK_QUEUE. */
  actionActivities?: object;
}): Promise<RunningFakeWorkers> {
  const common = {
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  };
  const q = opts.queues;
  const workflowQueues = [...new Set([q.workflows, q.workflowsBulk ?? q.workflows])];
  const activityQueues = [
    ...new Set([q.netsuite, q.netsuiteMoney, q.netsuiteBulk ?? q.netsuite, q.netsuiteMoneyBulk ?? q.netsuiteMoney]),
  ];
  const workers = await Promise.all([
    ...workflowQueues.map((taskQueue) =>
      Worker.create({
        ...common,
        taskQueue,
        workflowBundle: opts.workflowBundle,
        activities: opts.workflowActivities ?? noSubscriptions,
      }),
    ),
    ...activityQueues.map((taskQueue) => Worker.create({ ...common, taskQueue, activities: opts.activities })),
    ...(opts.completenessActivities && opts.queues.completeness
      ? [Worker.create({ ...common, taskQueue: opts.queues.completeness, activities: opts.completenessActivities })]
      : []),
    ...(opts.actionActivities
      ? [Worker.create({ ...common, taskQueue: ACTION_TASK_QUEUE, activities: opts.actionActivities })]
      : []),
  ]);
  const running = workers.map((w) => w.run());
  return {
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all(running);
    },
  };
}
