// Links a posted order to its subscription workflow(s). Uses only the Worker's Temporal client
// (no NetSuite), so it runs on the workflow task queue.
import { Context } from '@temporalio/activity';
import type { SubscriptionLinkActivities } from '../workflows/activity-contract.js';
import {
  subscriptionOrderSignal,
  subscriptionWorkflowStart,
  type SubscriptionOrderNotice,
} from '../workflows/messages.js';
import type { subscriptionWorkflow } from '../workflows/subscription.js';

/**
 * `taskQueue`: where subscription workflows are started (the live workflow queue); by default the
 * queue of the order workflow that calls (tests serve everything on one queue).
 */
export function createSubscriptionLinkActivities(opts: { taskQueue?: string } = {}): SubscriptionLinkActivities {
  return {
    async notifySubscriptions({ order, records, queues }) {
      const ctx = Context.current();
      const refs = [...new Set(order.lines.flatMap((l) => (l.license ? [l.license.ref] : [])))].sort();
      for (const licenseCode of refs) {
        // Signal-with-start: the first paid order of a subscription starts its workflow; an LCN
        // may have started it already. The workflow de-duplicates by REFNO.
        // By type and name: activities never load workflow code, yet the arguments are checked.
        await ctx.client.workflow.signalWithStart<typeof subscriptionWorkflow, [SubscriptionOrderNotice]>(
          'subscriptionWorkflow',
          {
            ...subscriptionWorkflowStart({
              licenseCode,
              taskQueue: opts.taskQueue ?? ctx.info.taskQueue,
              ...(queues ? { queues } : {}),
            }),
            signal: subscriptionOrderSignal,
            signalArgs: [{ refNo: order.refNo, order, records }],
          },
        );
      }
      return { notified: refs };
    },
  };
}
