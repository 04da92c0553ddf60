// Workflow entry point bundled for the worker. Export workflow functions only.
export { orderSyncWorkflow } from './order-sync.js';
export { subscriptionWorkflow } from './subscription.js';
export { payoutWorkflow, payoutPollWorkflow } from './payout.js';
export { reconcileDayWorkflow, nightlyReconciliationWorkflow } from './reconcile.js';
export { backfillWorkflow } from './backfill.js';
