// Which 2Checkout notification a NetSuite credit belongs to. MESSAGE_ID names a notification when the
// merchant's IPN settings send it; without it, IPN_DATE is no key for money that goes back: it has
// one-second resolution (two partial refunds in the same second would share it) and a notification
// re-sent after a lost receipt may carry a new one (posting the refund twice). So a money-back event
// without MESSAGE_ID is named by what it says — status, amounts, lines and the refund and dispute
// fields — and never by when it was sent. Two notifications that say exactly the same thing cannot
// be told apart this way: the order workflow parks the second (AMBIGUOUS_REFUND) for a person.
import type { NotificationForm } from '../twocheckout/webhooks/form.js';
import { sha256Hex } from './sha256.js';

/** Fields that describe what a money-back notification does (not when or how it was sent). */
const CONTENT_FIELDS = [
  'ORDERSTATUS',
  'CURRENCY',
  'REFUND_TYPE',
  'REFUND_REASON',
  'CHARGEBACK_RESOLUTION',
  'CHARGEBACK_REASON_CODE',
  'IPN_TOTALGENERAL',
  'IPN_SHIPPING',
  'IPN_SHIPPING_TAX',
  'IPN_PID',
  'IPN_PCODE',
  'IPN_QTY',
  'IPN_PRICE',
  'IPN_VAT',
  'IPN_VAT_RATE',
  'IPN_DISCOUNT',
  'IPN_TOTAL',
] as const;

/** Prefix of an event reference derived from content, so operators can tell it from a MESSAGE_ID. */
export const CONTENT_REF_PREFIX = 'c';

/** `c` + 20 hex digits (80 bits) of SHA-256 over the content fields: the same for a re-sent notification. */
export function contentEventRef(form: Pick<NotificationForm, 'getAll'>): string {
  const content = CONTENT_FIELDS.map((name) => [name, form.getAll(name)]);
  return `${CONTENT_REF_PREFIX}${sha256Hex(JSON.stringify(content)).slice(0, 20)}`;
}
