// Subscription actions over 2Checkout's REST API 6.0 (docs/reference-notes.md#2co-subscription-api):
//  - read one:   `GET /subscriptions/{SubscriptionReference}/` (CONFIRMED: docs OpenAPI, PHP SDK);
//  - cancel now: `DELETE /subscriptions/{SubscriptionReference}/` (CONFIRMED path: the official PHP
//    SDK's disableSubscriptions; JSON-RPC `cancelSubscription` "disables the subscription
//    immediately and no longer performs any recurring billing");
//  - recurring billing off (the subscription runs to its end, then expires: what "cancel at period
//    end" and "auto-renew off" both mean in 2Checkout): JSON-RPC `disableRecurringBilling` is
//    CONFIRMED; its REST path `DELETE /subscriptions/{SubscriptionReference}/renewal/` is
//    UNCONFIRMED (the `renewal/` resource exists: GET returns the recurring billing status).
// Answers of the acting calls are booleans (JSON-RPC pages); the subscription object's field names
// (Status, RecurringEnabled, SubscriptionEnabled, ExpirationDate) are the documented ones, tolerated
// loosely otherwise.
import { z } from 'zod';
import type { TwoCheckoutApiClient } from './client.js';
import { TwoCheckoutApiError, badResponse } from './errors.js';
import { SUBSCRIPTION_ACTIONS, type SubscriptionAction } from './subscription-action-names.js';

const OptText = z
  .string()
  .optional()
  .nullable()
  .transform((v) => v ?? undefined);
const OptBool = z
  .union([z.boolean(), z.number(), z.string()])
  .optional()
  .nullable()
  .transform((v) =>
    v === undefined || v === null
      ? undefined
      : v === true || v === 1 || v === '1' || String(v).toLowerCase() === 'true',
  );

export const ApiSubscription = z
  .object({
    SubscriptionReference: z.string(),
    /** ACTIVE, DISABLED, EXPIRED, PASTDUE, … */
    Status: OptText,
    SubscriptionEnabled: OptBool,
    RecurringEnabled: OptBool,
    ExpirationDate: OptText,
    ProductCode: OptText,
  })
  .loose();
export type ApiSubscription = z.infer<typeof ApiSubscription>;

export { SUBSCRIPTION_ACTIONS, type SubscriptionAction };

export interface SubscriptionsApi {
  /** One subscription; undefined when 2Checkout does not know it. */
  getSubscription(reference: string): Promise<ApiSubscription | undefined>;
  /** Disables the subscription now. */
  cancelSubscription(reference: string): Promise<void>;
  /** Turns recurring billing off: the subscription ends with its current period. */
  disableRecurringBilling(reference: string): Promise<void>;
}

/** Whether 2Checkout already shows the subscription as the action leaves it (so the call is not made again). */
export function subscriptionInTargetState(s: ApiSubscription, action: SubscriptionAction): boolean {
  const disabled = s.SubscriptionEnabled === false || /^(DISABLED|CANCELED|CANCELLED|EXPIRED)$/i.test(s.Status ?? '');
  if (action === 'cancelNow') return disabled;
  return disabled || s.RecurringEnabled === false;
}

export function createSubscriptionsApi(client: Pick<TwoCheckoutApiClient, 'getJson' | 'sendJson'>): SubscriptionsApi {
  const path = (reference: string, tail = '') => `subscriptions/${encodeURIComponent(reference)}/${tail}`;
  const acted = (call: string, answer: unknown) => {
    if (answer !== true) throw badResponse(call, `expected true, got ${JSON.stringify(answer).slice(0, 200)}`);
  };
  return {
    async getSubscription(reference) {
      const call = `GET /subscriptions/${reference}/`;
      let raw: unknown;
      try {
        raw = await client.getJson(call, path(reference));
      } catch (e) {
        if (e instanceof TwoCheckoutApiError && e.kind === 'not_found') return undefined;
        throw e;
      }
      const r = ApiSubscription.safeParse(raw);
      if (!r.success) throw badResponse(call, z.prettifyError(r.error).replace(/\n/g, '; '));
      return r.data;
    },
    async cancelSubscription(reference) {
      const call = `DELETE /subscriptions/${reference}/`;
      acted(call, await client.sendJson(call, 'DELETE', path(reference)));
    },
    async disableRecurringBilling(reference) {
      const call = `DELETE /subscriptions/${reference}/renewal/`;
      acted(call, await client.sendJson(call, 'DELETE', path(reference, 'renewal/')));
    },
  };
}
