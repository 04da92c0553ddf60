// orderSyncWorkflow: one workflow per 2Checkout order (`order/<REFNO>`). It folds every IPN of
// the order into a monotone state machine (workflows/order-state.ts) and posts the NetSuite steps
// that are owed as retryable, idempotent activities: customer → sales order → invoice → payment
// (or customer → cash sale), then refunds, chargebacks and voids. It stays open for a while after
// the last event (refunds come later), then completes; a later event starts a new run that finds
// the NetSuite records by externalId. The run's state and how it recovers: workflows/order-run.ts.
import { allHandlersFinished, condition, continueAsNew, log, makeContinueAsNewFunc } from '@temporalio/workflow';
import type { OrderSyncState } from './messages.js';
import { OrderRun, type OrderWorkflowInput } from './order-run.js';

export type { OrderWorkflowInput } from './order-run.js';

export async function orderSyncWorkflow(input: OrderWorkflowInput): Promise<OrderSyncState> {
  const order = new OrderRun(input);
  order.open();
  if (order.isShadow()) return order.shadow();
  for (;;) {
    order.takeEvents();
    order.takeResyncRequest();
    const plan = order.plan();
    if (plan.next) {
      await order.runStep(plan.next);
      continue;
    }
    if (plan.waiting.length > 0) {
      // Money back arrived before the sale it refers to.
      await order.waitForSale(plan.waiting[0]!);
      continue;
    }
    if (await order.parkForMismatch()) continue;

    order.settle();
    if (order.historyIsLong()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof orderSyncWorkflow>(order.carry());
    }
    if (!(await order.idle())) break;
    if (!order.hasNewWork() && order.newerBuildIsCurrent()) {
      // Idle on an old build: the next run starts on the current one, so the old build can be
      // retired without waiting out the idle period (a running step never moves: PINNED).
      await condition(allHandlersFinished);
      await makeContinueAsNewFunc<typeof orderSyncWorkflow>({ initialVersioningBehavior: 'AUTO_UPGRADE' })(
        order.carry(),
      );
    }
    order.resume();
  }
  await condition(allHandlersFinished);
  log.info('order sync finished', { refNo: order.model.refNo, status: order.model.status });
  return order.state();
}
