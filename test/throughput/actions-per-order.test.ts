// Temporal Actions per order, counted from the workflows' histories with the rules Temporal's Web UI
// uses to estimate Temporal Cloud's billable Actions (scripts/lib/bench/actions.ts), plus the
// heartbeats the activities asked for (not in a history). Counted, never timed: each case posts IPNs
// through the stack's gateway, waits for the state it needs, and reads the histories.
// docs/performance.md, "What an order costs in Temporal Actions", shows the same table.
import { describe, expect, it } from 'vitest';
import {
  cardOrder,
  fullRefund,
  renewalOrder,
  returningCustomerOrder,
  subscriptionOrder,
} from '../../sandbox/twocheckout/scenarios.js';
import {
  orderWorkflowId,
  subscriptionStateQuery,
  subscriptionWorkflowId,
  type SubscriptionSyncState,
} from '../../workflows/messages.js';
import { heartbeatsRequested } from '../../activities/late-writes.js';
import { billableActionsOfHistory, totalOf, type ActionCounts } from '../../scripts/lib/bench/actions.js';
import { useTestStack, type TestStack } from '../support/stack.js';
import { eventually } from '../support/temporal.js';
import { finalStep, postAll, refNos, waitAllSynced } from './support.js';

const salesOrder = useTestStack({ policy: { postingMode: 'salesOrder' } });
const cashSale = useTestStack({ policy: { postingMode: 'cashSale' } });

async function actionsOf(stack: TestStack, workflowId: string): Promise<ActionCounts> {
  return billableActionsOfHistory(await stack.env.client.workflow.getHandle(workflowId).fetchHistory());
}

/** What happened between two counts of one history (counts only grow). */
function since(before: ActionCounts, after: ActionCounts): ActionCounts {
  const out: ActionCounts = {};
  for (const [k, v] of Object.entries(after) as Array<[keyof ActionCounts, number]>)
    if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}

/** Runs `fn` and returns the heartbeats the activities of this process asked for meanwhile. */
async function heartbeatsDuring(fn: () => Promise<void>): Promise<number> {
  const before = heartbeatsRequested();
  await fn();
  return heartbeatsRequested() - before;
}

const table: Array<[string, ActionCounts]> = [];
const note = (what: string, counts: ActionCounts) => {
  table.push([what, counts]);
  console.log(`${what}: ${totalOf(counts)} Actions ${JSON.stringify(counts)}`);
};

describe('Temporal Actions per order (billable on Temporal Cloud)', () => {
  it('a paid order in sales-order mode: 7 (start, 4 NetSuite steps, the Synced upsert, the idle timer), new or returning shopper, no heartbeat', async () => {
    const [fresh] = refNos(1);
    let counts: ActionCounts = {};
    const hb = await heartbeatsDuring(async () => {
      await postAll(salesOrder, [cardOrder(fresh!, 'COMPLETE')]);
      await waitAllSynced(salesOrder, [fresh!], finalStep.salesOrder);
      counts = await actionsOf(salesOrder, orderWorkflowId(fresh!));
    });
    note('sales order, new shopper', { ...counts, heartbeat: hb });
    expect(counts).toEqual({ workflowStart: 1, activity: 4, searchAttributeUpsert: 1, timer: 1 });
    expect(hb).toBe(0);

    const [again] = refNos(1);
    const hb2 = await heartbeatsDuring(async () => {
      await postAll(salesOrder, [returningCustomerOrder(again!, { customerSeed: fresh! })]);
      await waitAllSynced(salesOrder, [again!], finalStep.salesOrder);
      counts = await actionsOf(salesOrder, orderWorkflowId(again!));
    });
    note('sales order, returning shopper', { ...counts, heartbeat: hb2 });
    expect(counts).toEqual({ workflowStart: 1, activity: 4, searchAttributeUpsert: 1, timer: 1 });
    expect(hb2).toBe(0);
  });

  it('a paid order in cash-sale mode: 5 (start, customer, cash sale, the Synced upsert, the idle timer)', async () => {
    const [ref] = refNos(1);
    let counts: ActionCounts = {};
    const hb = await heartbeatsDuring(async () => {
      await postAll(cashSale, [cardOrder(ref!, 'COMPLETE')]);
      await waitAllSynced(cashSale, [ref!], finalStep.cashSale);
      counts = await actionsOf(cashSale, orderWorkflowId(ref!));
    });
    note('cash sale', { ...counts, heartbeat: hb });
    expect(counts).toEqual({ workflowStart: 1, activity: 2, searchAttributeUpsert: 1, timer: 1 });
    expect(hb).toBe(0);
  });

  it('a redelivered webhook: 1 (its signal); a refund: its signal, in progress and Synced again, the refund step, a new idle timer', async () => {
    const [ref] = refNos(1);
    const sale = cardOrder(ref!, 'COMPLETE');
    const id = orderWorkflowId(ref!);
    await postAll(salesOrder, [sale]);
    await waitAllSynced(salesOrder, [ref!], finalStep.salesOrder);
    const synced = await actionsOf(salesOrder, id);

    await postAll(salesOrder, [sale]);
    await salesOrder.waitForOrder(ref!, (s) => s.duplicatesIgnored === 1);
    const redelivered = await actionsOf(salesOrder, id);
    note('redelivered webhook', since(synced, redelivered));
    expect(since(synced, redelivered)).toEqual({ signal: 1 });

    let refunded: ActionCounts = {};
    const hb = await heartbeatsDuring(async () => {
      await postAll(salesOrder, [fullRefund(sale, { reason: 'customer request' })]);
      await salesOrder.waitForOrder(
        ref!,
        (s) => s.syncStatus === 'Synced' && s.completedSteps.some((x) => x.startsWith('refund:')),
      );
      refunded = await actionsOf(salesOrder, id);
    });
    note('refund', { ...since(redelivered, refunded), heartbeat: hb });
    expect(since(redelivered, refunded)).toEqual({ signal: 1, searchAttributeUpsert: 2, activity: 1, timer: 1 });
    expect(hb).toBe(0);
  });

  it('a renewal: the renewal order (with the step that notifies its subscription) and what its subscription workflow does', async () => {
    const [first, renewal] = refNos(2);
    const licenseRef = `LIC${first!.slice(-10)}`;
    // The first period ends in a few hours; the renewal pays the next one (its sale is not old enough
    // for a look-up: a renewal is a new order's first run).
    const t0 = new Date(Date.now() + 3 * 3_600_000);
    t0.setUTCMonth(t0.getUTCMonth() - 1);
    const next = new Date(t0);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const subId = subscriptionWorkflowId(licenseRef);
    const sub = () =>
      salesOrder.env.client.workflow
        .getHandle(subId)
        .query(subscriptionStateQuery)
        .catch(() => undefined);
    const subscribed = (s: SubscriptionSyncState | undefined) => s?.posted?.lastOrderRefNo;
    await postAll(salesOrder, [subscriptionOrder(first!, { at: t0, licenseRef })]);
    await eventually(sub, (s) => subscribed(s) === first);
    const before = await actionsOf(salesOrder, subId);

    let order: ActionCounts = {};
    const hb = await heartbeatsDuring(async () => {
      await postAll(salesOrder, [renewalOrder(renewal!, { at: next, licenseRef, originalRefNoExt: [first!] })]);
      await waitAllSynced(salesOrder, [renewal!], finalStep.salesOrder);
      await eventually(sub, (s) => subscribed(s) === renewal && s?.renewals === 1);
      order = await actionsOf(salesOrder, orderWorkflowId(renewal!));
    });
    const subscription = since(before, await actionsOf(salesOrder, subId));
    note('renewal: order', { ...order, heartbeat: hb });
    note('renewal: subscription workflow', subscription);
    expect(order).toEqual({ workflowStart: 1, activity: 5, searchAttributeUpsert: 1, timer: 1 });
    expect(hb).toBe(0);
    // The order's signal-with-start, the subscription record's update, the timer of the next renewal's deadline.
    expect(subscription).toEqual({ signal: 1, activity: 1, timer: 1 });
  });
});
