// Deterministic NetSuite externalIds. Everything here is derived only from 2Checkout references,
// never from time or randomness, so a retried activity, a replayed workflow or a redelivered
// webhook always lands on the same NetSuite record (workflow ids: workflows/messages.ts).
// Pure and workflow-safe (no Node APIs).
//
// NetSuite `eid:` paths allow letters, digits, `_` and `-` only (docs/reference-notes.md#ns-records), so every
// externalId is built from those characters, and different references never share one.

import { sha256Hex } from './sha256.js';

/** Fixed prefix of every NetSuite externalId this service writes. Never change it on a live account. */
export const EXTERNAL_ID_PREFIX = '2co';

/** Characters kept verbatim: exactly what NetSuite accepts in an `eid:` path. */
const SAFE_PART = /^[A-Za-z0-9_-]+$/;
/** Ending of every hashed part. A verbatim reference that happens to end like this is hashed too,
 *  so a hashed part can never equal a verbatim one. */
const HASHED_SUFFIX = /_h[0-9a-f]{24}$/;
/** How much of the cleaned reference a hashed part keeps, for people reading the id. */
const READABLE_CHARS = 32;

/**
 * One part of an externalId, injective over references: a reference made only of safe characters
 * is kept verbatim (so ids written before this rule existed are unchanged); anything else becomes a
 * readable prefix plus `_h` and 96 bits of the SHA-256 of the raw reference. Replacing characters
 * alone (the old rule) let `a.b@x.example` and `a_b@x.example` share one NetSuite record.
 */
export function safeIdPart(raw: string): string {
  if (!raw.trim()) throw new Error(`empty id part derived from ${JSON.stringify(raw)}`);
  if (SAFE_PART.test(raw) && !HASHED_SUFFIX.test(raw)) return raw;
  const readable = raw
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .slice(0, READABLE_CHARS);
  return `${readable}_h${sha256Hex(raw).slice(0, 24)}`;
}

export const externalIds = {
  salesOrder: (refNo: string) => `${EXTERNAL_ID_PREFIX}-so-${safeIdPart(refNo)}`,
  invoice: (refNo: string) => `${EXTERNAL_ID_PREFIX}-inv-${safeIdPart(refNo)}`,
  customerPayment: (refNo: string) => `${EXTERNAL_ID_PREFIX}-pay-${safeIdPart(refNo)}`,
  cashSale: (refNo: string) => `${EXTERNAL_ID_PREFIX}-cs-${safeIdPart(refNo)}`,
  /** One credit memo per money-back event; `eventRef` comes from the event (MESSAGE_ID or IPN_DATE). */
  creditMemo: (refNo: string, eventRef: string) =>
    `${EXTERNAL_ID_PREFIX}-cm-${safeIdPart(refNo)}-${safeIdPart(eventRef)}`,
  customerRefund: (refNo: string, eventRef: string) =>
    `${EXTERNAL_ID_PREFIX}-rf-${safeIdPart(refNo)}-${safeIdPart(eventRef)}`,
  /** Customer keyed by a 2Checkout/merchant reference (`kind` says which), never by e-mail in clear. */
  customer: (kind: string, ref: string) => `${EXTERNAL_ID_PREFIX}-cust-${safeIdPart(kind)}-${safeIdPart(ref)}`,
  /**
   * The same shopper's customer in another subsidiary (customers.otherSubsidiary: customerPerSubsidiary).
   * `s<id>` sits where the kind tag sits in `customer`, and no kind tag looks like it, so the two never meet.
   */
  customerInSubsidiary: (kind: string, ref: string, subsidiary: string) =>
    `${EXTERNAL_ID_PREFIX}-cust-s${safeIdPart(subsidiary)}-${safeIdPart(kind)}-${safeIdPart(ref)}`,
  /** One deposit or journal entry per 2Checkout payout (its reference: invoice PREFIX+number). */
  payout: (reference: string) => `${EXTERNAL_ID_PREFIX}-payout-${safeIdPart(reference)}`,
  /** One entry per transfer of a PARTIALLY_PAID payout (2Checkout pays one invoice in several transfers). */
  payoutTransfer: (reference: string, transfer: string) =>
    `${EXTERNAL_ID_PREFIX}-payout-${safeIdPart(reference)}-t-${safeIdPart(transfer)}`,
  /** The n-th correction of a posted payout entry (2Checkout revised or cancelled the payout). */
  payoutRevision: (entryExternalId: string, n: number) => `${entryExternalId}-rev-${n}`,
  subscription: (licenseCode: string) => `${EXTERNAL_ID_PREFIX}-sub-${safeIdPart(licenseCode)}`,
  /** Sales order for a subscription change (upgrade difference) keyed by the change's own REFNO. */
  subscriptionChange: (licenseCode: string, refNo: string) =>
    `${EXTERNAL_ID_PREFIX}-subchg-${safeIdPart(licenseCode)}-${safeIdPart(refNo)}`,
} as const;
