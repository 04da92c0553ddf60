// Links a posted order to its subscription workflow(s). Uses only the Worker's Temporal client
// (no NetSuite), so it runs on the workflow task queue.
import { Context } from '@temporalio/activity';
import type { SubscriptionLinkActivities } from '../workflows/activity-contract.js';
import { subscriptionWorkflowId } from '../mappings/ids.js';
import { initialSearchAttributes } from '../shared/search-attributes.js';
import { subscriptionOrderSignal } from '../workflows/messages.js';

export function createSubscriptionLinkActivities(): SubscriptionLinkActivities {
  return {
    async notifySubscriptions({ order, records, queues }) {
      const ctx = Context.current();
      const refs = [...new Set(order.lines.flatMap((l) => (l.license ? [l.license.ref] : [])))].sort();
      for (const licenseCode of refs) {
        // Signal-with-start: the first paid order of a subscription starts its workflow; an LCN
        // may have started it already. The workflow de-duplicates by REFNO.
        await ctx.client.workflow.signalWithStart('subscriptionWorkflow', {
          workflowId: subscriptionWorkflowId(licenseCode),
          taskQueue: ctx.info.taskQueue,
          args: [{ licenseCode, ...(queues ? { queues } : {}) }],
          signal: subscriptionOrderSignal,
          signalArgs: [{ refNo: order.refNo, order, records }],
          typedSearchAttributes: initialSearchAttributes('subscription', licenseCode),
        });
      }
      return { notified: refs };
    },
  };
}
