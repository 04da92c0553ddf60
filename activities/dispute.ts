// recordDispute: classifies CHARGEBACK_RESOLUTION with the configured values and writes the
// dispute state (configured custom field + memo) onto the order's sale documents in NetSuite.
// The workflow turns the outcome into the DisputeStatus search attribute and, for `lost`, posts
// the refund (cause chargeback). A PATCH with the same values is harmless, so a retry needs no look-up.
import type { OrderEvent } from '../mappings/canonical.js';
import { classifyDispute, disputeFields, unknownDisputeDetails } from '../mappings/dispute-fields.js';
import type { DisputeOutcome, OrderRecords } from '../mappings/sync-types.js';
import { missingRecord, parkFailure, type MoneyBackContext } from './money-back-context.js';
import { callOptions } from './activity-context.js';
import { withSecondKey } from './idempotent-writes.js';
import { externalIds } from '../mappings/ids.js';

/** The externalId (and so the memo's second key) of each sale document a dispute is written on. */
const DOCUMENT_IDS: Record<string, (refNo: string) => string> = {
  salesOrder: externalIds.salesOrder,
  invoice: externalIds.invoice,
  cashSale: externalIds.cashSale,
};

export async function recordDispute(
  ctx: MoneyBackContext,
  input: { event: OrderEvent; records: OrderRecords },
): Promise<{ outcome: DisputeOutcome }> {
  const { event, records } = input;
  const config = ctx.mappings.current();
  const outcome = classifyDispute(event.chargeback?.resolution ?? 'NONE', config);
  // Values are UNCONFIRMED (docs/reference-notes.md#2co-lifecycle): an unknown one parks instead of being guessed.
  if (outcome === undefined) throw parkFailure('UnknownDispute', unknownDisputeDetails(event, config));
  if (outcome === 'none') return { outcome };

  const candidates: Array<[type: string, id: string | undefined]> = [
    ['salesOrder', records.salesOrderId],
    ['invoice', records.invoiceId],
    ['cashSale', records.cashSaleId],
  ];
  const targets = candidates.filter((t): t is [string, string] => t[1] !== undefined);
  if (targets.length === 0) {
    throw missingRecord(
      event.refNo,
      'a chargeback update arrived but the order has no sales order, invoice or cash sale in NetSuite',
      'Retry once the order is in NetSuite, or skip this step with a reason',
    );
  }
  const fields = disputeFields(event, config);
  for (const [type, id] of targets) {
    if (records.adopted?.includes(id)) {
      // Another tool's record (adopted): its memo is its own; only the dispute field is written.
      const field = config.refunds.disputeField;
      if (field !== undefined) await ctx.ns.update(type, id, { [field]: fields[field]! }, callOptions('bulk'));
      continue;
    }
    // The memo is rewritten: it keeps the document's second key, the only key of an invoice whose
    // transform NetSuite made without its externalId (activities/idempotent-writes.ts).
    const body = withSecondKey(fields, DOCUMENT_IDS[type]!(event.refNo));
    delete body.externalId;
    await ctx.ns.update(type, id, body, callOptions('bulk'));
  }
  ctx.logger.info(
    { refNo: event.refNo, eventRef: event.eventRef, outcome, records: targets.map(([t, id]) => `${t} ${id}`) },
    'dispute recorded',
  );
  return { outcome };
}
