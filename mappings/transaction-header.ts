// The header every NetSuite transaction this service writes carries: its externalId (when the body
// names it), the transaction date, 2Checkout's REFNO as otherRefNum, a memo a person can read, and
// the configured transaction custom fields. One builder so the five record bodies never drift.
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { customFieldValues } from './resolve.js';

export interface TransactionHeaderInput {
  /** Sent in the body for transforms; upserts name it in the URL (`eid:`) instead. */
  externalId?: string;
  /** `YYYY-MM-DD`; left out when 2Checkout sent no usable date (NetSuite then uses today). */
  tranDate: string | undefined;
  /** Whether the record carries the order's REFNO as otherRefNum. */
  otherRefNum: boolean;
  memo: string;
}

export function transactionHeader(
  event: OrderEvent,
  config: MappingConfig,
  h: TransactionHeaderInput,
): Record<string, unknown> {
  return {
    ...(h.externalId !== undefined ? { externalId: h.externalId } : {}),
    ...(h.tranDate ? { tranDate: h.tranDate } : {}),
    ...(h.otherRefNum ? { otherRefNum: event.refNo } : {}),
    memo: h.memo,
    ...customFieldValues(event, config.customFields.transaction),
  };
}
