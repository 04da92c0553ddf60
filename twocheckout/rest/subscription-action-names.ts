// The subscription actions a person may request in 2Checkout, by name. Apart from the API client
// (subscriptions.ts, which validates answers with zod) so the workflows can name them without
// loading zod into the workflow bundle (mappings/api-events.ts says why).
export const SUBSCRIPTION_ACTIONS = ['cancelNow', 'cancelAtPeriodEnd', 'autoRenewOff'] as const;
export type SubscriptionAction = (typeof SUBSCRIPTION_ACTIONS)[number];
