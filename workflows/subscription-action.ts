// subscriptionActionWorkflow: one action on a 2Checkout subscription that a person asked for
// (`subscription-action/<LICENSE_CODE>/<n>`, docs/actions.md): cancel now, cancel at period end or
// turn auto-renew off. The same path as a refund request: checked, approved by another person
// within actions.approvalExpiry, done in 2Checkout at most once (the activity reads the subscription
// first and makes no call when 2Checkout already shows it so), then confirmed when the subscription
// workflow has folded the LCN 2Checkout sends for it. It never writes to NetSuite itself.
import { SUBSCRIPTION_ACTION_TEXT } from '../mappings/subscription-actions.js';
import {
  subscriptionActionWorkflowId,
  type ActionRequestState,
  type SubscriptionActionInput,
} from './action-request-messages.js';
import { RequestFlow, waitUntilConfirmed } from './action-request.js';
import { actionActivities, messageOf } from './refund-request.js';

export async function subscriptionActionWorkflow(
  input: SubscriptionActionInput & { activityQueue?: string },
): Promise<ActionRequestState> {
  const id = subscriptionActionWorkflowId(input.licenseCode, input.n);
  const { act, check: checker } = actionActivities(input.activityQueue);
  const summary = `${SUBSCRIPTION_ACTION_TEXT[input.action]}: subscription ${input.licenseCode}`;
  const flow = new RequestFlow({
    id,
    kind: 'subscription',
    target: input.licenseCode,
    summary,
    requester: input.requester,
    reason: input.reason,
  });
  flow.state.subscription = { action: input.action };
  flow.register();

  let settings, check;
  try {
    settings = await checker.actionSettings();
    check = await checker.checkSubscriptionAction({ licenseCode: input.licenseCode, action: input.action });
  } catch (err) {
    return flow.refuse(`the check could not be made: ${messageOf(err)}`);
  }
  if (!check.ok) return flow.refuse(check.message);
  flow.note('checked against 2Checkout and the subscription sync', check.message);

  const decided = await flow.awaitDecision(settings.approvalExpiryMs);
  if (decided !== 'approved') return flow.finish();

  const acted = await flow.control.runStep('subscription', () =>
    act.executeSubscriptionAction({ licenseCode: input.licenseCode, action: input.action }),
  );
  if (!acted.ok) return flow.skipped('subscription');
  flow.state.outcome.twoCheckout = {
    licenseCode: input.licenseCode,
    call: acted.value.call,
    at: acted.value.at,
    alreadyDone: acted.value.alreadyDone,
  };
  flow.note(
    acted.value.alreadyDone
      ? '2Checkout already shows the subscription so: no call made'
      : `done in 2Checkout: ${acted.value.call}`,
  );
  flow.setPhase('confirming');

  const confirmed = await flow.control.runStep('confirmation', () =>
    waitUntilConfirmed(
      flow,
      async () => {
        const c = await act.subscriptionConfirmation({ licenseCode: input.licenseCode, action: input.action });
        return c.confirmed ? { done: true, value: c } : { done: false, detail: c.detail };
      },
      settings.confirmWaitMs,
      settings.recheckEveryMs,
      (last) =>
        `2Checkout accepted "${SUBSCRIPTION_ACTION_TEXT[input.action]}" for subscription ${input.licenseCode}, but no licence notification (LCN) confirming it has reached the sync (${last}). ` +
        'Check the LCN URL in 2Checkout and the gateway; then retry to wait again, or skip',
    ),
  );
  if (!confirmed.ok) return flow.skipped('confirmation');
  const c = confirmed.value;
  flow.state.outcome.subscription = {
    status: c.status,
    cancelAtPeriodEnd: c.cancelAtPeriodEnd,
    netsuiteRecords: c.netsuiteRecords,
  };
  flow.note("confirmed by 2Checkout's LCN in the subscription sync", c.detail);
  return flow.done();
}
