// refundRequestWorkflow: one refund of a 2Checkout order that a person asked for
// (`refund-request/<REFNO>/<n>`, docs/actions.md). It checks the refund against what 2Checkout and
// NetSuite say is still refundable, waits for another person's approval (bounded by
// actions.approvalExpiry), issues the refund in 2Checkout at most once (the activity reads the
// order's refunds before it calls), then waits until the order workflow has booked the REFUND
// notification in NetSuite (credit memo + customer refund) and ends with both systems' references.
// It never writes to NetSuite itself: the booking is the order sync's, by the same path as a refund
// decided in 2Checkout's Control Panel.
import { proxyActivities } from '@temporalio/workflow';
import type { ActionRequestActivities } from './action-request-contract.js';
import {
  ACTION_TASK_QUEUE,
  refundRequestWorkflowId,
  type ActionRequestState,
  type RefundRequestInput,
} from './action-request-messages.js';
import { RequestFlow, waitUntilConfirmed } from './action-request.js';

/**
 * Options of the request's activities: 2Checkout and NetSuite calls of a few seconds each. The
 * check at request time gives up after a few tries (the person asking is waiting for an answer);
 * the acts after approval are tried until they succeed or a person must look (they read first).
 */
export function actionActivities(taskQueue: string | undefined) {
  const base = {
    taskQueue: taskQueue ?? ACTION_TASK_QUEUE,
    startToCloseTimeout: '2m',
    // The worker heartbeats for its activities (worker/activity-liveness.ts): a killed worker's call is tried again after this.
    heartbeatTimeout: '15s',
  } as const;
  const retry = {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    nonRetryableErrorTypes: ['TwoCheckoutRefused', 'ActionsNotConfigured'],
  };
  return {
    act: proxyActivities<ActionRequestActivities>({ ...base, retry }),
    check: proxyActivities<ActionRequestActivities>({ ...base, retry: { ...retry, maximumAttempts: 4 } }),
  };
}

function describe(input: RefundRequestInput): string {
  const what =
    input.amount !== undefined
      ? `${input.amount}${input.currency ? ` ${input.currency.toUpperCase()}` : ''}`
      : 'the named lines';
  const lines = input.lines?.length
    ? ` (lines ${input.lines.map((l) => `${l.lineItemReference} × ${l.quantity}`).join(', ')})`
    : '';
  return `refund ${what} of order ${input.refNo}${lines}`;
}

/** What the shopper sees in 2Checkout's refund confirmation; carries the request id, by which the refund is recognised. */
export function refundComment(input: RefundRequestInput, id: string): string {
  const given = input.comment?.trim();
  return given ? `${given} (ref ${id})` : `Refund of order ${input.refNo} (ref ${id})`;
}

export async function refundRequestWorkflow(
  input: RefundRequestInput & { activityQueue?: string },
): Promise<ActionRequestState> {
  const id = refundRequestWorkflowId(input.refNo, input.n);
  const { act, check: checker } = actionActivities(input.activityQueue);
  const flow = new RequestFlow({
    id,
    kind: 'refund',
    target: input.refNo,
    summary: describe(input),
    requester: input.requester,
    reason: input.reason,
  });
  flow.register();

  let settings, check;
  try {
    settings = await checker.actionSettings();
    check = await checker.checkRefund({
      refNo: input.refNo,
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      ...(input.lines ? { lines: input.lines } : {}),
    });
  } catch (err) {
    // Only a failure retrying cannot fix reaches here (e.g. 2Checkout's API is not configured).
    return flow.refuse(`the check could not be made: ${messageOf(err)}`);
  }
  if (!check.ok) return flow.refuse(check.message);
  const comment = refundComment(input, id);
  flow.state.refund = {
    amount: check.amount,
    currency: check.currency,
    items: check.items,
    refundable: check.refundable,
    comment,
  };
  flow.state.summary = `refund ${check.amount} ${check.currency} of order ${input.refNo}${check.items.length ? ` (lines ${check.items.map((i) => `${i.lineItemReference} ${i.productCode} × ${i.quantity}`).join(', ')})` : ''}`;
  flow.note('checked against 2Checkout and NetSuite', `${check.refundable} ${check.currency} was still refundable`);

  const decided = await flow.awaitDecision(settings.approvalExpiryMs);
  if (decided !== 'approved') return flow.finish();

  const issued = await flow.control.runStep('refund', () =>
    act.issueRefund({
      requestId: id,
      refNo: input.refNo,
      amount: check.amount,
      currency: check.currency,
      items: check.items,
      comment,
      baseline: check.baseline,
    }),
  );
  if (!issued.ok) return flow.skipped('refund');
  flow.state.outcome.twoCheckout = {
    refNo: input.refNo,
    call: `POST /orders/${input.refNo}/refund/`,
    at: issued.value.at,
    alreadyDone: issued.value.alreadyDone,
  };
  flow.note(
    issued.value.alreadyDone
      ? '2Checkout already shows this refund: not issued again'
      : `refund issued in 2Checkout: ${check.amount} ${check.currency}`,
    `order ${input.refNo}`,
  );
  flow.setPhase('confirming');

  const booked = await flow.control.runStep('booking', () =>
    waitUntilConfirmed(
      flow,
      async () => {
        const b = await act.refundBooking({
          refNo: input.refNo,
          amount: check.amount,
          currency: check.currency,
          bookedBefore: check.bookedBefore,
        });
        return b.booked ? { done: true, value: b } : { done: false, detail: b.detail };
      },
      settings.confirmWaitMs,
      settings.recheckEveryMs,
      (last) =>
        `2Checkout accepted the refund of ${check.amount} ${check.currency} on order ${input.refNo}, but NetSuite shows no credit for it yet (${last}). ` +
        `Check that the REFUND notification reached the gateway (npm run reconcile for the order's day finds it if not) and that the order sync is not parked; then retry to wait again, or skip`,
    ),
  );
  if (!booked.ok) return flow.skipped('booking');
  const b = booked.value;
  flow.state.outcome.netsuite = {
    creditMemoId: b.creditMemoId,
    ...(b.customerRefundId ? { customerRefundId: b.customerRefundId } : {}),
    amount: b.amount,
    eventRef: b.eventRef,
  };
  flow.note(
    'booked in NetSuite by the order sync',
    `credit memo ${b.creditMemoId}${b.customerRefundId ? `, customer refund ${b.customerRefundId}` : ''} (${b.amount} ${check.currency})`,
  );
  return flow.done();
}

/** The activity's own message (an ActivityFailure wraps it). */
export function messageOf(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  const e = cause instanceof Error ? cause : err;
  return e instanceof Error ? e.message : String(e);
}
