// The main paths of every workflow type, driven through the real workflow code for
// `npm run record-histories`. Each scenario ends with the workflow completing on its own (a short
// idle period), so the recorded history is a whole run: exactly what a worker must still be able
// to replay after a deploy. Events are built by the 2Checkout sandbox sender and mapped by the
// gateway's own mapping, so payloads have the production shape.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { ParkDetails } from '../../../mappings/sync-types.js';
import type { OrderEvent } from '../../../mappings/canonical.js';
import type { EventSource, LicenseEvent } from '../../../mappings/canonical.js';
import { ipnToOrderEvent, lcnToLicenseEvent } from '../../../mappings/from-2checkout.js';
import { TASK_QUEUES, payoutWorkflowId, subscriptionWorkflowId } from '../../../workflows/messages.js';
import { payoutStateQuery } from '../../../workflows/payout-messages.js';
import { createSyncHandover } from '../../../workflows/handover.js';
import { parseForm } from '../../../twocheckout/webhooks/form.js';
import {
  buildIpnFields,
  buildLcnFields,
  encodeForm,
  type IpnOrderInput,
  type LcnInput,
} from '../../../sandbox/twocheckout/sender.js';
import {
  cardOrder,
  fullRefund,
  licenseChange,
  licenseExpiration,
  newCardOrder,
  renewalOrder,
  subscriptionOrder,
  unmappedProductOrder,
  upgradeOrder,
} from '../../../sandbox/twocheckout/scenarios.js';
import {
  operatorActionUpdate,
  operatorDecisionSignal,
  orderEventSignal,
  postBeforeCutoverSignal,
  orderStateQuery,
  subscriptionStateQuery,
  type OrderSyncState,
  type SubscriptionSyncState,
} from '../../../workflows/messages.js';
import type { OrderSyncPolicy } from '../../../workflows/order-state.js';
import type { HistoryScenario } from './history-scenario.js';

export type { HistoryScenario, RecordedRun, ScenarioContext } from './history-scenario.js';
import { completenessScenarios } from './completeness-history-scenarios.js';
import { actionScenarios } from './action-history-scenarios.js';

/** Pinned so two recordings of a scenario carry the same 2Checkout content. */
const AT = new Date('2026-11-20T10:00:00Z');

/** Short enough to record quickly, long enough for the recorder to send its follow-up in time. */
const IDLE_CLOSE = '3s';

export function orderEventFrom(input: IpnOrderInput): OrderEvent {
  return ipnToOrderEvent(parseForm(encodeForm(buildIpnFields(input))));
}

export function licenseEventFrom(input: LcnInput): LicenseEvent {
  return lcnToLicenseEvent(parseForm(encodeForm(buildLcnFields(input))));
}

/** Starts `order/<REFNO>` exactly as the gateway does (its hand-over: signal-with-start), with the first event. */
export async function startOrder(
  client: Client,
  first: OrderEvent,
  policy: Partial<OrderSyncPolicy> = {},
  source?: EventSource,
): Promise<WorkflowHandle> {
  const handover = createSyncHandover({ client, policy: { idleClose: IDLE_CLOSE, ...policy } });
  const { workflowId } = await handover.deliverOrderEvent(first, source);
  return client.workflow.getHandle(workflowId);
}

/** Sends an LCN to `subscription/<CODE>` exactly as the gateway does. */
export async function sendLicenseEvent(client: Client, event: LicenseEvent): Promise<WorkflowHandle> {
  const { workflowId } = await createSyncHandover({ client, policy: {} }).deliverLicenseEvent(event);
  return client.workflow.getHandle(workflowId);
}

async function poll<T>(what: string, read: () => Promise<T>, accept: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read().catch(() => undefined);
    if (v !== undefined && accept(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`${what}: state not reached within ${timeoutMs} ms (last: ${JSON.stringify(v)?.slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function waitForState(
  handle: WorkflowHandle,
  accept: (s: OrderSyncState) => boolean,
  timeoutMs = 30_000,
): Promise<OrderSyncState> {
  return poll(handle.workflowId, () => handle.query(orderStateQuery), accept, timeoutMs);
}

export function waitForSubscription(
  handle: WorkflowHandle,
  accept: (s: SubscriptionSyncState) => boolean,
  timeoutMs = 30_000,
): Promise<SubscriptionSyncState> {
  return poll(handle.workflowId, () => handle.query(subscriptionStateQuery), accept, timeoutMs);
}

const unmapped: ParkDetails = {
  reason: 'UNMAPPED_PRODUCT',
  message: 'product code NEW-GADGET-X has no NetSuite item: add it under products in config/mappings.yaml, then retry',
  path: 'lines[0].productCode',
};
const userError: ParkDetails = {
  reason: 'NETSUITE_USER_ERROR',
  message: 'NetSuite refused the invoice: Invalid Field Value 9999 for the following field: location',
};

export const orderScenarios: HistoryScenario[] = [
  {
    name: 'order-synced',
    description:
      'PENDING → PAYMENT_AUTHORIZED → COMPLETE (one redelivered): customer, sales order, invoice, payment; Synced; idle close',
    async drive({ client }) {
      const [pending, authorized, complete] = newCardOrder('70000001', { at: AT }).map(orderEventFrom);
      const handle = await startOrder(client, pending!);
      await handle.signal(orderEventSignal, authorized!);
      await handle.signal(orderEventSignal, complete!);
      await handle.signal(orderEventSignal, complete!);
      return [{ file: 'order-synced.json', handle }];
    },
  },
  {
    name: 'order-parked-retried',
    description: 'unmapped product: parks at salesOrder (UNMAPPED_PRODUCT), operator retry (update), Synced',
    failures: { upsertSalesOrder: [unmapped] },
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(unmappedProductOrder('70000002', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry', by: 'record-histories' }] });
      return [{ file: 'order-parked-retried.json', handle }];
    },
  },
  {
    name: 'order-parked-skipped',
    description:
      'NetSuite USER_ERROR on the invoice: parks, operator skip with a reason (signal, as sent from the Web UI); payment skipped with it',
    failures: { createInvoice: [userError] },
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(cardOrder('70000003', 'COMPLETE', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.signal(operatorDecisionSignal, {
        action: 'skip',
        reason: 'invoiced by hand in NetSuite',
        by: 'record-histories',
      });
      return [{ file: 'order-parked-skipped.json', handle }];
    },
  },
  {
    name: 'order-refund',
    description: 'COMPLETE then a full REFUND: sale posted, then credit memo + customer refund',
    async drive({ client }) {
      const sale = cardOrder('70000004', 'COMPLETE', { at: AT });
      const handle = await startOrder(client, orderEventFrom(sale));
      await handle.signal(orderEventSignal, orderEventFrom(fullRefund(sale, { reason: 'customer request' })));
      return [{ file: 'order-refund.json', handle }];
    },
  },
  {
    name: 'order-resync',
    description:
      'Synced, then an operator resync (update): looks up existing records by externalId, posts again, Synced',
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(cardOrder('70000005', 'COMPLETE', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'Synced');
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'resync', reason: 'sales order deleted by hand', by: 'record-histories' }],
      });
      return [{ file: 'order-resync.json', handle }];
    },
  },
  // Recorded after the order workflow's patched() paths (workflows/order-run.ts), so each is replayed:
  // a later run that looks up and adopts, a resync that keeps a skipped step, and a refund whose
  // sale never came (retry looks again, skip ends the wait).
  {
    name: 'order-later-run-adopts',
    description:
      'a later run of a paid subscription order (its sale is older than the first-run window): looks up before any write, adopts the customer, sales order, invoice and payment an earlier run posted, does not notify the subscription again; Synced',
    found: { customerId: '1001', salesOrderId: '2001', invoiceId: '3001', paymentId: '4001' },
    async drive({ client }) {
      const handle = await startOrder(
        client,
        orderEventFrom(subscriptionOrder('70000007', { at: AT, licenseRef: 'LIC7000SUB7' })),
      );
      return [{ file: 'order-later-run-adopted.json', handle }];
    },
  },
  {
    name: 'order-api-refund-kwd',
    description:
      "reconciliation hands over a KWD sale and its 10.125 refund read from the API; the later run looks up and finds the webhook's credit memo booked as 10.13 (NetSuite's two decimals), adopts it and posts nothing again; Synced",
    found: {
      customerId: '1001',
      salesOrderId: '2001',
      invoiceId: '3001',
      paymentId: '4001',
      creditMemos: { '5001': { creditMemoId: '6001', amount: '10.13' } },
    },
    async drive({ client }) {
      const base = orderEventFrom(cardOrder('70000010', 'COMPLETE', { at: AT }));
      const kwd = {
        currency: 'KWD',
        source: 'reconcile' as const,
        lines: [
          {
            index: 0,
            productId: '1',
            productCode: 'SOFT-BASIC',
            name: 'Basic',
            quantity: '1',
            unitPrice: '20.250',
            vat: '0',
            discount: '0',
            total: '20.250',
          },
        ],
      };
      const sale: OrderEvent = {
        ...base,
        ...kwd,
        totals: { ...base.totals, general: '20.250', shipping: '0', shippingTax: '0' },
        eventRef: 'api-sale',
        key: 'api|70000010|sale|COMPLETE',
      };
      const refund: OrderEvent = {
        ...sale,
        status: 'REFUND',
        totals: { ...sale.totals, general: '-10.125' },
        eventRef: 'api-refund-1',
        key: 'api|70000010|refund|1',
      };
      const handle = await startOrder(client, sale);
      await handle.signal(orderEventSignal, refund);
      await waitForState(handle, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('refund:api-refund-1'));
      return [{ file: 'order-api-refund-kwd.json', handle }];
    },
  },
  {
    name: 'order-resync-skipped-step',
    description:
      'NetSuite USER_ERROR on the invoice: parks, operator skip (invoice and payment skipped), then a resync naming the invoice: looks up, posts invoice and payment; Synced',
    failures: { createInvoice: [userError] },
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(cardOrder('70000008', 'COMPLETE', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'skip', reason: 'invoiced by hand in NetSuite', by: 'record-histories' }],
      });
      await waitForState(handle, (s) => s.syncStatus === 'Synced' && s.skippedSteps.includes('payment'));
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'resync', reason: 'manual invoice voided', steps: ['invoice'], by: 'record-histories' }],
      });
      return [{ file: 'order-resync-after-skip.json', handle }];
    },
  },
  {
    name: 'order-refund-missing-sale',
    description:
      'a REFUND whose sale never arrives: looks up, waits the grace period, parks MISSING_RECORD; operator retry looks in NetSuite again and parks again; operator skip ends the wait; completes',
    async drive({ client }) {
      const sale = cardOrder('70000009', 'COMPLETE', { at: AT });
      const handle = await startOrder(client, orderEventFrom(fullRefund(sale, { reason: 'customer request' })), {
        moneyBackGrace: '1s',
      });
      const parks = (s: OrderSyncState) => s.journal.filter((j) => j.what.startsWith('parked at')).length;
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry', by: 'record-histories' }] });
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention' && parks(s) === 2);
      await handle.executeUpdate(operatorActionUpdate, {
        args: [{ action: 'skip', reason: 'refunded by hand', by: 'record-histories' }],
      });
      return [{ file: 'order-refund-missing-sale.json', handle }];
    },
  },
  // Recorded after adoption and the cut-over (patch adopts-records-another-tool-made) and shadow
  // mode (patch shadow-mode-verdict), workflows/order-run.ts.
  {
    name: 'order-adopts-previous-tool',
    description:
      'a fresh order another tool already booked: the customer query finds its booking (customer adopted, nothing written), the look-up adopts its sales order, invoice and payment and links them; nothing posted; Synced',
    customer: [{ customerId: '1101', action: 'adopted', previousBooking: true, beforeCutover: false }],
    found: {
      customerId: '1101',
      salesOrderId: '2101',
      invoiceId: '3101',
      paymentId: '4101',
      adopted: ['2101', '3101', '4101'],
    },
    adoption: {
      adopted: [
        { role: 'salesOrder', id: '2101', label: 'SO2101', total: '99.00', currency: 'USD' },
        { role: 'invoice', id: '3101', label: 'INV3101', total: '99.00', currency: 'USD' },
        { role: 'customerPayment', id: '4101', label: 'PYMT4101', total: '99.00', currency: 'USD' },
      ],
      differences: [],
      beforeCutover: false,
      links: [
        { role: 'salesOrder', id: '2101', how: 'externalId' },
        { role: 'invoice', id: '3101', how: 'mapping' },
        { role: 'customerPayment', id: '4101', how: 'mapping' },
      ],
    },
    async drive({ client }) {
      // Sold just now (within the recorder's short idle period): the first step is the customer query, not a look-up.
      const handle = await startOrder(
        client,
        orderEventFrom(cardOrder('70000011', 'COMPLETE', { at: new Date(Date.now() + 2_000) })),
      );
      return [{ file: 'order-adopted-previous-tool.json', handle }];
    },
  },
  {
    name: 'order-adopted-differs-skipped',
    description:
      'an older order another tool booked with another total: the first look-up adopts it (never overwritten) and parks ADOPTED_RECORD_DIFFERS with both figures; operator skip accepts the difference; Synced',
    found: {
      customerId: '1102',
      salesOrderId: '2102',
      invoiceId: '3102',
      paymentId: '4102',
      adopted: ['2102', '3102', '4102'],
    },
    adoption: {
      adopted: [
        { role: 'salesOrder', id: '2102', label: 'SO2102', total: '99.50', currency: 'USD' },
        { role: 'invoice', id: '3102', label: 'INV3102', total: '99.50', currency: 'USD' },
        { role: 'customerPayment', id: '4102', label: 'PYMT4102', total: '99.50', currency: 'USD' },
      ],
      differences: ['sales order SO2102: NetSuite 99.50 USD, 2Checkout 99.00 USD'],
      beforeCutover: false,
    },
    async drive({ client }) {
      const handle = await startOrder(client, orderEventFrom(cardOrder('70000012', 'COMPLETE', { at: AT })));
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.executeUpdate(operatorActionUpdate, {
        args: [
          { action: 'skip', reason: 'the difference is the old tool rounding tax; accepted', by: 'record-histories' },
        ],
      });
      return [{ file: 'order-adopted-differs-skipped.json', handle }];
    },
  },
  {
    name: 'order-before-cutover-posted',
    description:
      'an order sold before cutover.at that nothing booked: the customer step writes nothing (held), parks BEFORE_CUTOVER; the post-missing signal (npm run backfill -- --post-missing) retries it: customer, sales order, invoice, payment; Synced',
    customer: [
      { customerId: '', action: 'held', beforeCutover: true, cutoverAt: '2026-12-01T00:00:00.000Z' },
      { customerId: '1103', action: 'created', beforeCutover: true, cutoverAt: '2026-12-01T00:00:00.000Z' },
    ],
    async drive({ client }) {
      const handle = await startOrder(
        client,
        orderEventFrom(cardOrder('70000013', 'COMPLETE', { at: new Date(Date.now() + 2_000) })),
      );
      await waitForState(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.signal(postBeforeCutoverSignal, { by: 'record-histories', reason: 'backfill --post-missing' });
      return [{ file: 'order-before-cutover-posted.json', handle }];
    },
  },
  {
    name: 'order-shadow-verdict',
    description:
      'SYNC_MODE=shadow: one read-only activity gives the verdict (would create), into the query and the memo; nothing posted; the run ends',
    async drive({ client }) {
      const handle = await startOrder(
        client,
        orderEventFrom(cardOrder('70000014', 'COMPLETE', { at: new Date('2025-11-20T10:00:00Z') })),
        { mode: 'shadow' },
      );
      return [{ file: 'order-shadow-verdict.json', handle }];
    },
  },
  // Recorded after the changes that cut Temporal Actions per order (docs/performance.md): a run
  // started with its search attributes does not upsert them again; a redelivered IPN wakes the idle
  // order without changing anything (no status upsert, no new timer); a refund still ends the idle
  // period and starts a new one; a backfilled order runs on the bulk lane's own task queues.
  {
    name: 'order-quiet-redelivery',
    description:
      'COMPLETE (started with its search attributes: no upsert of them): customer, sales order, invoice, payment; Synced; the IPN redelivered while idle changes nothing (same idle timer, no upsert); a REFUND ends the idle period: credit memo + customer refund; Synced; idle close',
    async drive({ client }) {
      const sale = cardOrder('70000015', 'COMPLETE', { at: AT });
      const complete = orderEventFrom(sale);
      const handle = await startOrder(client, complete);
      await waitForState(handle, (s) => s.syncStatus === 'Synced');
      await handle.signal(orderEventSignal, complete);
      await waitForState(handle, (s) => s.duplicatesIgnored === 1);
      await handle.signal(orderEventSignal, orderEventFrom(fullRefund(sale, { reason: 'customer request' })));
      return [{ file: 'order-quiet-redelivery.json', handle }];
    },
  },
  {
    name: 'order-backfilled-bulk-lane',
    description:
      "a paid order handed over by a backfill: its workflow on the bulk workflow queue, its NetSuite steps on the bulk lane's own activity queues; Synced; idle close",
    async drive({ client }) {
      const handle = await startOrder(
        client,
        orderEventFrom(cardOrder('70000016', 'COMPLETE', { at: AT })),
        {},
        'backfill',
      );
      return [{ file: 'order-backfilled-bulk-lane.json', handle }];
    },
  },
  {
    name: 'order-cash-sale',
    description: 'cash-sale posting mode: customer and cash sale once paid',
    async drive({ client }) {
      const [pending, , complete] = newCardOrder('70000006', { at: AT }).map(orderEventFrom);
      const handle = await startOrder(client, pending!, { postingMode: 'cashSale' });
      await handle.signal(orderEventSignal, complete!);
      return [{ file: 'order-cash-sale.json', handle }];
    },
  },
];

const LICENSE = 'LIC7000SUB1';
const LICENSE_PARKED = 'LIC7000SUB2';
const LICENSE_ANNOUNCED = 'LIC7000SUB3';
const LICENSE_UPGRADED = 'LIC7000SUB4';
const DAY = 86_400_000;

export const subscriptionScenarios: HistoryScenario[] = [
  {
    name: 'subscription-renewal',
    description:
      'first subscription order (its order workflow notifies the subscription), a renewal order a month later, then LICENCE_EXPIRATION: state posted after each change; ended; completes after the linger',
    linkSubscriptions: true,
    async drive({ client }) {
      const first = subscriptionOrder('70000101', { at: AT, licenseRef: LICENSE });
      const firstOrder = await startOrder(client, orderEventFrom(first));
      const subscription = client.workflow.getHandle(subscriptionWorkflowId(LICENSE));
      await waitForSubscription(subscription, (s) => s.posted !== undefined);
      const renewal = renewalOrder('70000102', {
        at: new Date(AT.getTime() + 29 * DAY),
        licenseRef: LICENSE,
        originalRefNoExt: [],
      });
      const renewalOrderRun = await startOrder(client, orderEventFrom(renewal));
      await waitForSubscription(subscription, (s) => s.renewals === 1 && s.posted?.renewals === 1);
      await sendLicenseEvent(
        client,
        licenseEventFrom(licenseExpiration(LICENSE, { at: new Date(AT.getTime() + 70 * DAY) })),
      );
      return [
        { file: 'order-subscription-first.json', handle: firstOrder },
        { file: 'order-subscription-renewal.json', handle: renewalOrderRun },
        { file: 'subscription-renewal.json', handle: subscription },
      ];
    },
  },
  {
    name: 'subscription-parked-retried',
    description:
      'an LCN starts the subscription before any order; writing its record parks (MAPPING_ERROR); operator retry; expiration; completes',
    failures: {
      upsertSubscriptionRecord: [
        {
          reason: 'MAPPING_ERROR',
          message: 'no NetSuite item for plan SUB-MONTHLY under subscriptions.items in config/mappings.yaml',
        },
      ],
    },
    async drive({ client }) {
      const handle = await sendLicenseEvent(client, licenseEventFrom(licenseChange(LICENSE_PARKED, { at: AT })));
      await waitForSubscription(handle, (s) => s.syncStatus === 'NeedsAttention');
      await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry', by: 'record-histories' }] });
      await waitForSubscription(handle, (s) => s.posted !== undefined);
      await sendLicenseEvent(
        client,
        licenseEventFrom(licenseExpiration(LICENSE_PARKED, { at: new Date(AT.getTime() + 40 * DAY) })),
      );
      return [{ file: 'subscription-parked-retried.json', handle }];
    },
  },
  {
    name: 'subscription-downgrade-announced-first',
    description:
      'an LCN announcing SUB-MONTHLY for the next period arrives before the notice of the SUB-MONTHLY-PRO order that paid this one: the paid plan stays, the announced one is pending; expiration; completes',
    linkSubscriptions: true,
    async drive({ client }) {
      const subscription = await sendLicenseEvent(
        client,
        licenseEventFrom(
          licenseChange(LICENSE_ANNOUNCED, { at: new Date(AT.getTime() + 3_600_000), productCode: 'SUB-MONTHLY' }),
        ),
      );
      await waitForSubscription(subscription, (s) => s.posted !== undefined);
      const paid = subscriptionOrder('70000301', {
        at: AT,
        licenseRef: LICENSE_ANNOUNCED,
        productCode: 'SUB-MONTHLY-PRO',
      });
      await startOrder(client, orderEventFrom(paid));
      await waitForSubscription(subscription, (s) => s.posted?.pendingPlan !== undefined);
      // Ends it, so the recorded history is complete.
      await sendLicenseEvent(
        client,
        licenseEventFrom(licenseExpiration(LICENSE_ANNOUNCED, { at: new Date(AT.getTime() + 40 * DAY) })),
      );
      return [{ file: 'subscription-downgrade-announced-first.json', handle: subscription }];
    },
  },
  {
    name: 'subscription-upgrade-restarts-period',
    description:
      'first order, then an upgrade to SUB-MONTHLY-PRO ten days later whose licence is dated as a new period from the upgrade day: an upgrade (not a renewal), the period moves to its expiry; expiration; completes',
    linkSubscriptions: true,
    async drive({ client }) {
      const first = subscriptionOrder('70000401', { at: AT, licenseRef: LICENSE_UPGRADED });
      await startOrder(client, orderEventFrom(first));
      const subscription = client.workflow.getHandle(subscriptionWorkflowId(LICENSE_UPGRADED));
      await waitForSubscription(subscription, (s) => s.posted !== undefined);
      await startOrder(
        client,
        orderEventFrom(
          upgradeOrder('70000402', { at: new Date(AT.getTime() + 10 * DAY), licenseRef: LICENSE_UPGRADED }),
        ),
      );
      await waitForSubscription(
        subscription,
        (s) => s.orders.some((o) => o.refNo === '70000402') && s.posted?.plan?.productCode === 'SUB-MONTHLY-PRO',
      );
      await sendLicenseEvent(
        client,
        licenseEventFrom(licenseExpiration(LICENSE_UPGRADED, { at: new Date(AT.getTime() + 70 * DAY) })),
      );
      return [{ file: 'subscription-upgrade-restarts-period.json', handle: subscription }];
    },
  },
];

const PAYOUT_VARIANCE: ParkDetails = {
  reason: 'PAYOUT_VARIANCE',
  message:
    'payout NS-REC-2 does not tie out: the bank received 191.18 USD, its documents explain 186.18 USD; the difference of -5.00 USD is above the tolerance of 0.02 USD',
  path: 'payouts.varianceTolerance',
};

const payoutScenarios: HistoryScenario[] = [
  {
    name: 'payout-polled-posted',
    description:
      "the Schedule's poll starts payout/NS-REC-1; it waits for one order's payment, then posts the journal entry",
    async drive({ client }) {
      const poll = await client.workflow.start('payoutPollWorkflow', {
        workflowId: 'payout-poll-recorded',
        taskQueue: TASK_QUEUES.workflows,
        args: [{ lookbackDays: 35 }],
      });
      await poll.result();
      return [
        { file: 'payout-poll.json', handle: poll },
        { file: 'payout-posted.json', handle: client.workflow.getHandle(payoutWorkflowId('NS-REC-1')) },
      ];
    },
  },
  {
    name: 'payout-parked-retried',
    description: 'posting parks PAYOUT_VARIANCE; operator retry (after fixing the tolerance) posts it',
    failures: { postPayout: [PAYOUT_VARIANCE] },
    async drive({ client }) {
      const handle = await client.workflow.start('payoutWorkflow', {
        workflowId: payoutWorkflowId('NS-REC-2'),
        taskQueue: TASK_QUEUES.workflows,
        args: [{ reference: 'NS-REC-2' }],
      });
      const deadline = Date.now() + 30_000;
      while ((await handle.query(payoutStateQuery)).park === undefined) {
        if (Date.now() > deadline) throw new Error('payout NS-REC-2 did not park');
        await new Promise((r) => setTimeout(r, 200));
      }
      await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry', by: 'record-histories' }] });
      return [{ file: 'payout-parked-retried.json', handle }];
    },
  },
];

payoutScenarios.push({
  name: 'payout-poll-looked-back',
  description:
    "payout/NS-REC-3 posts; 2Checkout revises it; the Schedule's poll looks back and starts it again, which posts the revision",
  async drive({ client }) {
    const first = await client.workflow.start('payoutWorkflow', {
      workflowId: payoutWorkflowId('NS-REC-3'),
      taskQueue: TASK_QUEUES.workflows,
      args: [{ reference: 'NS-REC-3' }],
    });
    await first.result();
    const poll = await client.workflow.start('payoutPollWorkflow', {
      workflowId: 'payout-poll-looked-back-recorded',
      taskQueue: TASK_QUEUES.workflows,
      args: [{ lookbackDays: 35 }],
    });
    await poll.result();
    return [
      { file: 'payout-poll-looked-back.json', handle: poll },
      { file: 'payout-revised.json', handle: client.workflow.getHandle(payoutWorkflowId('NS-REC-3')) },
    ];
  },
});

payoutScenarios.push({
  name: 'payout-canceled',
  description:
    'payout/NS-REC-4: 2Checkout lists it as cancelled; the run reverses what an earlier run posted for it (payout-cancel-reverses)',
  async drive({ client }) {
    const handle = await client.workflow.start('payoutWorkflow', {
      workflowId: payoutWorkflowId('NS-REC-4'),
      taskQueue: TASK_QUEUES.workflows,
      args: [{ reference: 'NS-REC-4' }],
    });
    await handle.result();
    return [{ file: 'payout-canceled.json', handle }];
  },
});

export const allScenarios: HistoryScenario[] = [
  ...orderScenarios,
  ...subscriptionScenarios,
  ...payoutScenarios,
  ...completenessScenarios,
  ...actionScenarios,
];
