// Recorded histories of the action-request workflows (refundRequestWorkflow,
// subscriptionActionWorkflow) for `npm run record-histories`, driven against deterministic fake
// activities: a refund checked, approved by another person, issued and booked; a subscription
// cancelled at period end, approved and confirmed; a refund request rejected.
import type { Client } from '@temporalio/client';
import { decideRequest, requestRefund, requestSubscriptionAction } from '../../../operations/action-requests.js';
import type { ActionRequestActivities } from '../../../workflows/action-request-contract.js';
import type { HistoryScenario } from './history-scenario.js';

export const recordingActionActivities: ActionRequestActivities = {
  async actionSettings() {
    return { approvalExpiryMs: 3 * 86_400_000, confirmWaitMs: 86_400_000, recheckEveryMs: 1_000 };
  },
  async checkRefund({ amount }) {
    return {
      ok: true,
      amount: amount ?? '99.00',
      currency: 'USD',
      items: [],
      refundable: '99.00',
      baseline: [],
      bookedBefore: [],
    };
  },
  async issueRefund() {
    return { alreadyDone: false, at: '2026-11-20T10:00:00.000Z' };
  },
  async refundBooking({ amount }) {
    return { booked: true, creditMemoId: '9101', customerRefundId: '9102', amount, eventRef: '700000001' };
  },
  async checkSubscriptionAction() {
    return { ok: true, message: '2Checkout shows status ACTIVE, recurring billing on' };
  },
  async executeSubscriptionAction({ licenseCode }) {
    return {
      alreadyDone: false,
      at: '2026-11-20T10:00:00.000Z',
      call: `DELETE /subscriptions/${licenseCode}/renewal/`,
    };
  },
  async subscriptionConfirmation() {
    return {
      confirmed: true,
      status: 'CANCEL_AT_PERIOD_END',
      cancelAtPeriodEnd: true,
      netsuiteRecords: ['customrecord_2co_subscription 5'],
      detail: 'the subscription sync shows CANCEL_AT_PERIOD_END',
    };
  },
};

const requester = { name: 'alice@example.com', via: 'cli' };
const approver = { name: 'bob@example.com', via: 'cli' };

async function submitted(client: Client, outcome: Awaited<ReturnType<typeof requestRefund>>) {
  if (outcome.status !== 'submitted') throw new Error(`${outcome.id}: ${outcome.status}`);
  return client.workflow.getHandle(outcome.id);
}

export const actionScenarios: HistoryScenario[] = [
  {
    name: 'refund-request-approved',
    description: 'a refund checked, approved by another person, issued in 2Checkout and booked in NetSuite',
    async drive({ client }) {
      const handle = await submitted(
        client,
        await requestRefund(client, { refNo: '70000101', amount: '40.00', reason: 'charged twice', requester }),
      );
      await decideRequest(client, handle.workflowId, { action: 'approve', by: approver });
      return [{ file: 'refund-request-approved.json', handle }];
    },
  },
  {
    name: 'refund-request-rejected',
    description: 'a refund checked, then rejected with a reason: nothing done',
    async drive({ client }) {
      const handle = await submitted(
        client,
        await requestRefund(client, { refNo: '70000102', amount: '10.00', reason: 'goodwill', requester }),
      );
      await decideRequest(client, handle.workflowId, { action: 'reject', by: approver, reason: 'not justified' });
      return [{ file: 'refund-request-rejected.json', handle }];
    },
  },
  {
    name: 'subscription-action-approved',
    description: 'a cancellation at period end, approved, done in 2Checkout and confirmed by the LCN',
    async drive({ client }) {
      const handle = await submitted(
        client,
        await requestSubscriptionAction(client, {
          licenseCode: 'RECORDSUB1',
          action: 'cancelAtPeriodEnd',
          reason: 'customer asked',
          requester,
        }),
      );
      await decideRequest(client, handle.workflowId, { action: 'approve', by: approver });
      return [{ file: 'subscription-action-approved.json', handle }];
    },
  },
];
