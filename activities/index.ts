// The NetSuite activities the worker registers: one factory over the injected NetSuite client and
// mapping provider, implementing the workflow ↔ activity contract (activities/contract.ts).
import { ApplicationFailure } from '@temporalio/common';
import type { OrderActivities } from './contract.js';
import { createOrderActivities, type NetSuiteActivityDeps } from './order-activities.js';

export type { NetSuiteActivityDeps } from './order-activities.js';
export { createOrderActivities } from './order-activities.js';
export { toActivityFailure, withActivityFailures } from './failures.js';
export { idempotentTransform, idempotentUpsert, isAlreadyExists, readByExternalId } from './idempotent-writes.js';

/** Until the money-back activities land: park visibly instead of failing in an unexpected way. */
const notYetAvailable = (name: string) => async (): Promise<never> => {
  const message = `${name} is not available in this build yet; retry the step after upgrading, or skip it with a reason`;
  throw ApplicationFailure.create({ message, type: 'NotImplemented', nonRetryable: true, details: [{ reason: 'UNEXPECTED_ERROR', message }] });
};

export function createNetSuiteActivities(deps: NetSuiteActivityDeps): OrderActivities {
  return {
    ...createOrderActivities(deps),
    closeOrder: notYetAvailable('closeOrder'),
    postRefund: notYetAvailable('postRefund'),
    recordDispute: notYetAvailable('recordDispute'),
  };
}
