// The subscription action's activities: the check, the act in 2Checkout (at most once: the
// subscription is read first, and no call is made when 2Checkout already shows it as the action
// leaves it), and the look at the subscription workflow for the LCN that confirms it.
import { z } from 'zod';
import { actionConfirmed, SUBSCRIPTION_ACTION_TEXT } from '../mappings/subscription-actions.js';
import {
  createSubscriptionsApi,
  subscriptionInTargetState,
  type ApiSubscription,
} from '../twocheckout/rest/subscriptions.js';
import type { ActionRequestActivities } from '../workflows/action-request-contract.js';
import { subscriptionWorkflowId } from '../workflows/messages.js';
import { isRefusal, refusedBy2Checkout, type ActionContext } from './action-context.js';

type SubscriptionActivities = Pick<
  ActionRequestActivities,
  'checkSubscriptionAction' | 'executeSubscriptionAction' | 'subscriptionConfirmation'
>;

const SubscriptionView = z.looseObject({
  status: z.string(),
  cancelAtPeriodEnd: z.boolean(),
  netsuiteRecords: z.array(z.looseObject({ type: z.string(), id: z.string() })).default([]),
  park: z.looseObject({ step: z.string(), reason: z.string() }).optional(),
});

const shows = (s: ApiSubscription) =>
  `status ${s.Status ?? '?'}, recurring billing ${s.RecurringEnabled === false ? 'off' : s.RecurringEnabled ? 'on' : '?'}${s.ExpirationDate ? `, ends ${s.ExpirationDate}` : ''}`;

export function createSubscriptionActionActivities(ctx: ActionContext): SubscriptionActivities {
  const subscriptions = () => createSubscriptionsApi(ctx.api());
  return {
    async checkSubscriptionAction({ licenseCode, action }) {
      let s;
      try {
        s = await subscriptions().getSubscription(licenseCode);
      } catch (e) {
        if (isRefusal(e))
          return { ok: false, message: `2Checkout did not answer for subscription ${licenseCode}: ${e.message}` };
        throw e;
      }
      if (!s)
        return {
          ok: false,
          message: `2Checkout does not know subscription ${licenseCode}: check the licence code (IPN_LICENSE_REF / LICENSE_CODE)`,
        };
      if (subscriptionInTargetState(s, action)) {
        return {
          ok: false,
          message: `2Checkout already shows subscription ${licenseCode} so (${shows(s)}): there is nothing to ${SUBSCRIPTION_ACTION_TEXT[action].split(' (')[0]}`,
        };
      }
      return { ok: true, message: `2Checkout shows ${shows(s)}` };
    },

    async executeSubscriptionAction({ licenseCode, action }) {
      const api = subscriptions();
      const at = ctx.now().toISOString();
      const call =
        action === 'cancelNow'
          ? `DELETE /subscriptions/${licenseCode}/`
          : `DELETE /subscriptions/${licenseCode}/renewal/`;
      const s = await api.getSubscription(licenseCode);
      if (!s) throw refusedBy2Checkout(`2Checkout no longer knows subscription ${licenseCode}: nothing was done`);
      if (subscriptionInTargetState(s, action)) return { alreadyDone: true, at, call };
      try {
        if (action === 'cancelNow') await api.cancelSubscription(licenseCode);
        else await api.disableRecurringBilling(licenseCode);
      } catch (e) {
        if (!isRefusal(e)) throw e;
        const again = await api.getSubscription(licenseCode);
        if (!again || !subscriptionInTargetState(again, action))
          throw refusedBy2Checkout(`2Checkout refused ${call}: ${e.message}`);
      }
      ctx.logger.info({ licenseCode, action }, 'subscription action done in 2Checkout');
      return { alreadyDone: false, at, call };
    },

    async subscriptionConfirmation({ licenseCode, action }) {
      let view;
      try {
        const r = SubscriptionView.safeParse(await ctx.syncState(subscriptionWorkflowId(licenseCode)));
        view = r.success ? r.data : undefined;
      } catch {
        view = undefined;
      }
      if (!view)
        return {
          confirmed: false,
          status: 'unknown',
          cancelAtPeriodEnd: false,
          netsuiteRecords: [],
          detail: `no subscription sync answers for ${licenseCode} yet`,
        };
      const records = view.netsuiteRecords.map((r) => `${r.type} ${r.id}`);
      const confirmed = actionConfirmed(action, view);
      const parked = view.park ? `; the subscription sync is parked at ${view.park.step} (${view.park.reason})` : '';
      return {
        confirmed,
        status: view.status,
        cancelAtPeriodEnd: view.cancelAtPeriodEnd,
        netsuiteRecords: records,
        detail: `the subscription sync shows ${view.status}${view.cancelAtPeriodEnd ? ' (cancels at period end)' : ''}${records.length ? `, NetSuite ${records.join(', ')}` : ''}${parked}`,
      };
    },
  };
}
