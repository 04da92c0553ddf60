// What marks an event read from 2Checkout's REST API (backfill, reconciliation) rather than received
// as a webhook, and the refunds an API order shows. Kept apart from the API mapping
// (from-2checkout-api.ts, which validates with zod) because the workflows need these few lines:
// whatever a workflow module imports runs again for every workflow the worker creates or replays,
// and zod's schemas cost milliseconds of CPU each time (docs/performance.md, "CPU per order").
import type { ApiOrder, ApiRefund } from '../twocheckout/rest/orders.js';
import type { OrderEvent } from './canonical.js';

export const API_EVENT_PREFIX = 'api-';

/** Whether an event was read from 2Checkout's API rather than received as a webhook. */
export const isFromApi = (e: Pick<OrderEvent, 'source'>): boolean =>
  e.source === 'backfill' || e.source === 'reconcile';

/** An API order's refunds, oldest first (a REFUND status without a list is one full refund). */
export function apiRefunds(order: ApiOrder): ApiRefund[] {
  if (order.Refunds) return [...order.Refunds].sort((a, b) => a.Date.localeCompare(b.Date));
  if (order.Status === 'REFUND')
    return [
      {
        Amount: order.GrossPrice,
        Date: order.FinishDate ?? order.OrderDate,
        Type: 'FULL',
        Reason: undefined,
        Currency: undefined,
        RefundReference: undefined,
        Comment: undefined,
      },
    ];
  return [];
}
