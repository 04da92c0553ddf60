// closeOrder: REVERSED (authorization released before capture) and CANCELED. What exists is
// closed or credited, never deleted (the audit trail stays):
//   • sales order: its open, unbilled lines are closed (PATCH item.items[{line, isClosed: true}]);
//   • invoice with nothing received: a credit memo for what is open, applied to it
//     (`externalIds.creditMemo(REFNO, eventRef)` of the void event);
//   • invoice or cash sale with money received: parks with PAID_ORDER_VOIDED: 2Checkout follows a
//     void of a captured payment with a REFUND IPN, and guessing the refund here would post it twice.
// The planner never posts an invoice or payment after a void, so closing is final.
import type { OrderEvent } from '../mappings/canonical.js';
import { externalIds } from '../mappings/ids.js';
import { formatMinor, sum } from '../mappings/money.js';
import { buildVoidCreditMemoTransform, decideInvoiceVoid, linesToClose } from '../mappings/void-decisions.js';
import { planCredit } from '../mappings/credit-plan.js';
import { resolveCurrency } from '../mappings/resolve.js';
import type { CloseOrderResult } from '../workflows/activity-contract.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import { listCredits, readItemLines, readPriorCredits, readSourceDocument } from './credit-ledger.js';
import { idempotentTransform } from './idempotent-writes.js';
import { parkFailure, type MoneyBackContext } from './money-back-context.js';
import { callOptions, isRetryAttempt } from './activity-context.js';

export async function closeVoidedOrder(
  ctx: MoneyBackContext,
  input: { order: OrderEvent; records: OrderRecords },
): Promise<CloseOrderResult> {
  const { order, records } = input;
  const actions: string[] = [];
  if (records.cashSaleId) {
    throw parkFailure('PaidOrderVoided', {
      reason: 'PAID_ORDER_VOIDED',
      message:
        `order ${order.refNo} was ${order.status} in 2Checkout, but NetSuite has cash sale ${records.cashSaleId} for it (money received). Nothing was changed. ` +
        `2Checkout follows a void of a captured payment with a REFUND IPN, which posts the cash refund: when it has arrived, skip this step with a reason ` +
        `and the refund is posted. If no refund comes, check the order in 2Checkout and refund it by hand.`,
    });
  }
  if (records.invoiceId) actions.push(await creditUnpaidInvoice(ctx, order, records, records.invoiceId));
  if (records.salesOrderId) actions.push(await closeSalesOrder(ctx, records.salesOrderId));
  if (actions.length === 0) actions.push('none: nothing exists in NetSuite for this order');
  ctx.logger.info({ refNo: order.refNo, status: order.status, actions }, 'order closed');
  return { actions };
}

async function creditUnpaidInvoice(
  ctx: MoneyBackContext,
  order: OrderEvent,
  records: OrderRecords,
  invoiceId: string,
): Promise<string> {
  const config = ctx.mappings.current();
  const { exponent } = resolveCurrency(order.currency, config);
  const money = callOptions('money');
  const eid = externalIds.creditMemo(order.refNo, order.eventRef);
  const rows = await listCredits(ctx.ns, invoiceId, 'CustCred', exponent, money);
  const own = rows.find((r) => r.externalId === eid);
  if (own) return `credited invoice ${invoiceId} with credit memo ${own.id}`;
  const invoice = await readSourceDocument(ctx.ns, 'invoice', invoiceId, exponent, money);
  if (!invoice) return `invoice ${invoiceId} no longer exists`;
  const decision = decideInvoiceVoid({
    event: order,
    invoice: { label: invoice.label, total: invoice.total, remaining: invoice.amountRemaining ?? 0n },
    credited: sum(rows.map((r) => r.total)),
    ...(records.paymentId ? { paymentId: records.paymentId } : {}),
    exponent,
  });
  if (decision.action === 'park') throw parkFailure('PaidOrderVoided', decision.details);
  if (decision.action === 'none') return decision.why;
  const prior = await readPriorCredits(ctx.ns, rows, 'creditMemo', exponent, money);
  const plan = planCredit({
    event: order,
    source: invoice,
    prior,
    config,
    exponent,
    amount: decision.amount,
    what: `${order.status.toLowerCase()} order`,
  });
  const doc = buildVoidCreditMemoTransform(order, plan, config);
  const out = await idempotentTransform({
    ns: ctx.ns,
    srcType: 'invoice',
    srcKey: invoiceId,
    targetType: 'creditMemo',
    externalId: doc.externalId,
    body: doc.body,
    retryAttempt: isRetryAttempt(),
    lateWriteHorizonMs: ctx.lateWriteHorizonMs,
    opts: { ...money, replace: ['item'] },
  });
  return `credited invoice ${invoiceId} with credit memo ${out.id} (${formatMinor(decision.amount, exponent)} ${order.currency})`;
}

async function closeSalesOrder(ctx: MoneyBackContext, salesOrderId: string): Promise<string> {
  const bulk = callOptions('bulk');
  const lines = await readItemLines(ctx.ns, 'salesOrder', salesOrderId, bulk);
  if (!lines) return `sales order ${salesOrderId} no longer exists`;
  const close = linesToClose(lines);
  if (close.length === 0) return `sales order ${salesOrderId}: no open line to close`;
  // Lines are keyed by `line`: naming them updates those lines and leaves the others (docs/reference-notes.md#ns-records).
  await ctx.ns.update('salesOrder', salesOrderId, { item: { items: close } }, bulk);
  return `closed ${close.length} line(s) of sales order ${salesOrderId}`;
}
