// The NetSuite activities the worker registers: one factory over the injected NetSuite client and
// mapping provider, implementing the workflows' port (workflows/activity-contract.ts).
import type { OrderActivities } from '../workflows/activity-contract.js';
import { createOrderActivities, type NetSuiteActivityDeps } from './order-activities.js';
import { createRefundActivities } from './refund-activities.js';
import { withMappingLoadNotes } from './mapping-load-note.js';

export type { NetSuiteActivityDeps } from './order-activities.js';
export { createOrderActivities } from './order-activities.js';
export { createRefundActivities } from './refund-activities.js';
export { toActivityFailure, withActivityFailures } from './failures.js';
export { idempotentTransform, idempotentUpsert, isAlreadyExists, readByExternalId } from './idempotent-writes.js';

export function createNetSuiteActivities(deps: NetSuiteActivityDeps): OrderActivities {
  const activities: OrderActivities = {
    ...createOrderActivities(deps),
    // Refunds, lost chargebacks, voids and dispute updates (activities/refund-activities.ts).
    ...createRefundActivities(deps),
  };
  return withMappingLoadNotes(activities, deps.mappings);
}
