// Workflow entry point bundled for the worker. Export workflow functions only.
//
// Worker Versioning behavior of each workflow (docs/operating.md, "Rolling out a new build"):
//  - an order sync posts money and is short while it works: PINNED, it finishes on the build that
//    started it (an idle one moves to the current build by continue-as-new, see order-sync.ts);
//  - a subscription lives for years: AUTO_UPGRADE, its next task runs on the current build, so a
//    change to its code that alters the commands of a running history goes behind `patched()`;
//  - an action request (refund, subscription action) waits days for an approval: AUTO_UPGRADE too,
//    with the same rule for changes.
import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import { orderSyncWorkflow } from './order-sync.js';
import { subscriptionWorkflow } from './subscription.js';
import { refundRequestWorkflow } from './refund-request.js';
import { subscriptionActionWorkflow } from './subscription-action.js';

// Declared only on a versioned worker (one with a deployment version): an unversioned worker (tests,
// `npm start`, WORKER_VERSIONING=false) must not send a behavior, or the server refuses the task.
const whenVersioned = (versioningBehavior: VersioningBehavior) => () =>
  workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior } : {};

setWorkflowOptions(whenVersioned('PINNED'), orderSyncWorkflow);
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), subscriptionWorkflow);
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), refundRequestWorkflow);
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), subscriptionActionWorkflow);

export { orderSyncWorkflow, subscriptionWorkflow, refundRequestWorkflow, subscriptionActionWorkflow };
export { payoutWorkflow, payoutPollWorkflow } from './payout.js';
export { reconcileDayWorkflow, nightlyReconciliationWorkflow } from './reconcile.js';
export { backfillWorkflow } from './backfill.js';
