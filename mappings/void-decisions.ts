// REVERSED / CANCELED: what a void does to an invoice (credit what is open, or nothing), the credit
// memo body for it, and which sales order lines it closes. Pure.
import type { ParkDetails } from './sync-types.js';
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { externalIds } from './ids.js';
import { formatMinor, type Minor } from './money.js';
import { isoDate } from './sale-records.js';
import type { CreditPlan } from './credit-plan.js';
import type { TransformBody } from './refund-records.js';
import { transactionHeader } from './transaction-header.js';

export type InvoiceVoidDecision =
  { action: 'credit'; amount: Minor } | { action: 'none'; why: string } | { action: 'park'; details: ParkDetails };

/**
 * What a void does to an existing invoice. Nothing received → a credit memo for what is still
 * open, applied to it. Money recorded as received → do not guess: a void after capture is
 * followed by a REFUND IPN (docs/reference-notes.md#2co-ipn-fields), which posts the credit and the refund.
 */
export function decideInvoiceVoid(input: {
  event: OrderEvent;
  invoice: { label: string; total: Minor; remaining: Minor };
  /** Σ of the credit memos already posted from the invoice (magnitudes). */
  credited: Minor;
  paymentId?: string;
  exponent: number;
}): InvoiceVoidDecision {
  const { event, invoice, credited, exponent } = input;
  const f = (m: Minor) => formatMinor(m, exponent);
  if (credited >= invoice.total) return { action: 'none', why: `invoice ${invoice.label} is credited in full already` };
  const received = invoice.total - invoice.remaining - credited;
  if (input.paymentId !== undefined || received > 0n) {
    const message =
      `order ${event.refNo} was ${event.status} in 2Checkout, but NetSuite shows it paid: invoice ${invoice.label} ` +
      `(total ${f(invoice.total)} ${event.currency}, open ${f(invoice.remaining)}${input.paymentId ? `, payment ${input.paymentId}` : ''}). Nothing was changed. ` +
      `2Checkout follows a void of a captured payment with a REFUND IPN, which posts the credit memo and the refund: when it has arrived, ` +
      `skip this step with a reason and the refund is posted. If no refund comes, check the order in 2Checkout and credit it by hand.`;
    return { action: 'park', details: { reason: 'PAID_ORDER_VOIDED', message } };
  }
  if (invoice.remaining <= 0n) return { action: 'none', why: `invoice ${invoice.label} has nothing open` };
  return { action: 'credit', amount: invoice.remaining };
}

/** `POST /invoice/{id}/!transform/creditMemo?replace=item` for a void: the open amount, applied to the invoice. */
export function buildVoidCreditMemoTransform(
  event: OrderEvent,
  plan: CreditPlan,
  config: MappingConfig,
): TransformBody {
  const externalId = externalIds.creditMemo(event.refNo, event.eventRef);
  return {
    externalId,
    body: {
      ...transactionHeader(event, config, {
        externalId,
        tranDate: isoDate(event.ipnDate),
        otherRefNum: true,
        memo: `2Checkout order ${event.refNo} ${event.status.toLowerCase()}: unpaid invoice credited`,
      }),
      item: { items: plan.lines },
    },
  };
}

/** Sales order lines a void closes: open and not billed in full (billed lines are credited instead). */
export function linesToClose(
  lines: ReadonlyArray<{ line?: number; isClosed?: boolean; quantity?: number; quantityBilled?: number }>,
): Array<{ line: number; isClosed: true }> {
  return lines
    .filter(
      (l): l is typeof l & { line: number } =>
        typeof l.line === 'number' && l.isClosed !== true && (l.quantityBilled ?? 0) < (l.quantity ?? 1),
    )
    .map((l) => ({ line: l.line, isClosed: true as const }));
}
