// What each subscription action a person may request means, in 2Checkout and in the sync's state:
// the call it makes (twocheckout/rest/subscriptions.ts) and the state of the subscription workflow
// that shows 2Checkout's LCN confirmed it. Pure; shared by the workflow, the activities and the tools.
import { SUBSCRIPTION_ACTIONS, type SubscriptionAction } from '../twocheckout/rest/subscription-action-names.js';

export { SUBSCRIPTION_ACTIONS, type SubscriptionAction };

export const SUBSCRIPTION_ACTION_TEXT: Readonly<Record<SubscriptionAction, string>> = {
  cancelNow: 'cancel now (the subscription is disabled at once)',
  cancelAtPeriodEnd: 'cancel at period end (recurring billing off: it runs to its end, then expires)',
  autoRenewOff: 'turn auto-renew off (recurring billing off: it runs to its end, then expires)',
};

/** What the subscription workflow shows once the LCN that follows the action was folded. */
export function actionConfirmed(
  action: SubscriptionAction,
  s: { status: string; cancelAtPeriodEnd: boolean },
): boolean {
  const ended = s.status === 'CANCELED' || s.status === 'EXPIRED';
  return action === 'cancelNow' ? ended : ended || s.cancelAtPeriodEnd;
}

export function isSubscriptionAction(v: string): v is SubscriptionAction {
  return (SUBSCRIPTION_ACTIONS as readonly string[]).includes(v);
}
