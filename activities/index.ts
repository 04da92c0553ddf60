// The activities of the NetSuite task queues (`netsuite` and `netsuite-money`): one factory over
// the injected clients and mapping provider (activities/activity-context.ts), implementing the
// workflows' port (workflows/activity-contract.ts, payout-contract.ts). The worker registers the
// result on both queues; the workflow picks the queue per call. Served elsewhere: the subscription
// links on the workflow queue (subscription-links.ts, Temporal calls only) and the completeness
// activities on their own queue (completeness-activities.ts).
import type { OrderActivities, ShadowActivities, SubscriptionActivities } from '../workflows/activity-contract.js';
import type { PayoutActivities } from '../workflows/payout-contract.js';
import type { NetSuiteActivityDeps } from './activity-context.js';
import { createOrderActivities } from './order-activities.js';
import { createPayoutActivities } from './payout-activities.js';
import { createRefundActivities } from './refund-activities.js';
import { createSubscriptionActivities } from './subscription-activities.js';
import { withMappingLoadNotes } from './mapping-load-note.js';
import { WriteRecorder } from './shadow-client.js';

export type { NetSuiteActivityDeps } from './activity-context.js';
export { createOrderActivities } from './order-activities.js';
export { createRefundActivities } from './refund-activities.js';
export { toActivityFailure, withActivityFailures } from './failures.js';
export { idempotentTransform, idempotentUpsert, isAlreadyExists, readByExternalId } from './idempotent-writes.js';

export type NetSuiteActivities = OrderActivities & ShadowActivities & SubscriptionActivities & PayoutActivities;

export function createNetSuiteActivities(deps: NetSuiteActivityDeps): NetSuiteActivities {
  // Order-to-cash, refunds, lost chargebacks, voids and dispute updates: a mapping park of these
  // says when the mapping file on disk does not load (activities/mapping-load-note.ts).
  const orders: OrderActivities & ShadowActivities = withMappingLoadNotes(
    { ...createOrderActivities(deps), ...createRefundActivities(deps) },
    deps.mappings,
  );
  return {
    ...orders,
    // One record per 2Checkout subscription (custom record or SuiteBilling).
    ...createSubscriptionActivities(deps),
    // Payouts read 2Checkout's API when `deps.payouts` is given; without it they park with the setting to add.
    // In shadow mode they post into a client that writes nothing (activities/shadow-client.ts).
    ...createPayoutActivities(deps.shadow?.payouts ? { ...deps, netsuite: new WriteRecorder(deps.netsuite) } : deps),
  };
}
