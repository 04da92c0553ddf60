// Deterministic identities. Everything here is derived only from 2Checkout references, never
// from time or randomness, so a retried activity, a replayed workflow or a redelivered webhook
// always lands on the same Temporal workflow and the same NetSuite record.
// Pure and workflow-safe (no Node APIs).
//
// NetSuite `eid:` paths allow letters, digits, `_` and `-` only (netsuite.md §3.1), so every
// externalId is built from those characters.

/** Fixed prefix of every NetSuite externalId this service writes. Never change it on a live account. */
export const EXTERNAL_ID_PREFIX = '2co';

export const TASK_QUEUES = {
  /** Order and subscription workflows. */
  workflows: 'twocheckout-sync',
  /** NetSuite activities for new orders (bulk lane). */
  netsuite: 'netsuite',
  /** NetSuite activities for money already taken or given back: payments, refunds (priority lane). */
  netsuiteMoney: 'netsuite-money',
  /** Backfill and reconciliation activities: 2Checkout API reads, NetSuite SuiteQL reads, hand-over to order workflows. */
  completeness: 'twocheckout-completeness',
} as const;

export const orderWorkflowId = (refNo: string): string => `order/${refNo}`;
export const reconcileWorkflowId = (date: string, runTag: string): string => `reconcile/${date}/${runTag}`;
export const backfillWorkflowId = (from: string, to: string): string => `backfill/${from}..${to}`;
export const subscriptionWorkflowId = (licenseCode: string): string => `subscription/${licenseCode}`;

/** Keeps only characters NetSuite accepts in an `eid:` path. */
export function safeIdPart(raw: string): string {
  const cleaned = raw.trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  if (!cleaned) throw new Error(`empty id part derived from ${JSON.stringify(raw)}`);
  return cleaned;
}

export const externalIds = {
  salesOrder: (refNo: string) => `${EXTERNAL_ID_PREFIX}-so-${safeIdPart(refNo)}`,
  invoice: (refNo: string) => `${EXTERNAL_ID_PREFIX}-inv-${safeIdPart(refNo)}`,
  customerPayment: (refNo: string) => `${EXTERNAL_ID_PREFIX}-pay-${safeIdPart(refNo)}`,
  cashSale: (refNo: string) => `${EXTERNAL_ID_PREFIX}-cs-${safeIdPart(refNo)}`,
  /** One credit memo per money-back event; `eventRef` comes from the event (MESSAGE_ID or IPN_DATE). */
  creditMemo: (refNo: string, eventRef: string) => `${EXTERNAL_ID_PREFIX}-cm-${safeIdPart(refNo)}-${safeIdPart(eventRef)}`,
  customerRefund: (refNo: string, eventRef: string) => `${EXTERNAL_ID_PREFIX}-rf-${safeIdPart(refNo)}-${safeIdPart(eventRef)}`,
  /** Customer keyed by a 2Checkout/merchant reference (`kind` says which), never by e-mail in clear. */
  customer: (kind: string, ref: string) => `${EXTERNAL_ID_PREFIX}-cust-${safeIdPart(kind)}-${safeIdPart(ref)}`,
  subscription: (licenseCode: string) => `${EXTERNAL_ID_PREFIX}-sub-${safeIdPart(licenseCode)}`,
  /** Sales order for a subscription change (upgrade difference) keyed by the change's own REFNO. */
  subscriptionChange: (licenseCode: string, refNo: string) =>
    `${EXTERNAL_ID_PREFIX}-subchg-${safeIdPart(licenseCode)}-${safeIdPart(refNo)}`,
} as const;
