// The workflows' port: the activities they call, with inputs, outputs and result types.
// Workflows import it with `import type` only; activities/ implements it (the factories in
// activities/index.ts). Renaming an activity or changing an argument shape breaks recorded histories.
import type { OrderEvent } from '../mappings/canonical.js';
import type { DisputeOutcome, OrderRecords, SubscriptionRecordState } from '../mappings/sync-types.js';

export interface SyncCustomerResult {
  customerId: string;
  /** created: new record; linked: the order goes onto an existing customer found by e-mail (never
   *  rewritten or re-keyed); updated: a customer found by its reference whose fields changed;
   *  unchanged: no write was needed. */
  action: 'created' | 'linked' | 'updated' | 'unchanged';
  /** emailMatch createAndFlag: customers with the same e-mail that this service did not create, for a person to review. */
  review?: { sameEmailCustomerIds: string[] };
}

export interface UpsertSalesOrderResult { salesOrderId: string; total: string }
export interface CreateInvoiceResult { invoiceId: string; total: string; amountRemaining: string }
export interface ApplyPaymentResult { paymentId: string; amount: string }
export interface PostCashSaleResult { cashSaleId: string; total: string }
export interface CloseOrderResult {
  /** closed: sales order lines closed; voided/credited: what was done to an existing invoice/payment; none: nothing existed. */
  actions: string[];
}

export interface PostRefundResult {
  /** Credit memo (cash-sale mode: the cash refund, which is credit and pay-out in one record). */
  creditMemoId: string;
  /** Customer refund (cash-sale mode: the cash refund again). Absent when the whole credit went
   *  to an invoice that was still open in NetSuite (no money was recorded as received). */
  customerRefundId?: string;
  amount: string;
}

/** Order-side NetSuite activities (bulk lane unless noted). All are idempotent by externalId. */
export interface OrderActivities {
  /** Find-or-create the customer; never creates a twin (externalId first, then e-mail). */
  syncCustomer(input: { order: OrderEvent }): Promise<SyncCustomerResult>;
  /** Upsert the sales order `externalIds.salesOrder(refNo)` with mapped lines. */
  upsertSalesOrder(input: { order: OrderEvent; customerId: string }): Promise<UpsertSalesOrderResult>;
  /** Transform the sales order into invoice `externalIds.invoice(refNo)`. */
  createInvoice(input: { order: OrderEvent; salesOrderId: string }): Promise<CreateInvoiceResult>;
  /** Money lane: transform the invoice into a customer payment `externalIds.customerPayment(refNo)` applied in full. */
  applyPayment(input: { order: OrderEvent; customerId: string; invoiceId: string }): Promise<ApplyPaymentResult>;
  /** Cash-sale mode: one cash sale `externalIds.cashSale(refNo)` for a paid order. */
  postCashSale(input: { order: OrderEvent; customerId: string }): Promise<PostCashSaleResult>;
  /** Looks up, by externalId, what already exists for this order (used by a new run after an old one finished). */
  findOrderRecords(input: { refNo: string }): Promise<OrderRecords>;
  /** REVERSED / CANCELED: close the sales order lines; see README for what happens to an existing invoice. */
  closeOrder(input: { order: OrderEvent; records: OrderRecords }): Promise<CloseOrderResult>;
  /** Money lane: credit memo (from the invoice or cash sale) + customer refund for a refund or a lost chargeback. */
  postRefund(input: { event: OrderEvent; records: OrderRecords; cause: 'refund' | 'chargeback' }): Promise<PostRefundResult>;
  /**
   * Writes the dispute state onto the order's NetSuite records (memo / configured custom field) and
   * classifies CHARGEBACK_RESOLUTION with the mapping config (the values are UNCONFIRMED, so they are
   * configured): `lost` means the money went back to the shopper and a refund must be posted.
   * An unknown resolution throws `UnknownDispute` (the workflow parks instead of guessing).
   */
  recordDispute(input: { event: OrderEvent; records: OrderRecords }): Promise<{ outcome: DisputeOutcome }>;
}

/** Activities that connect orders to their subscription workflows (Temporal client, no NetSuite). */
export interface SubscriptionLinkActivities {
  /**
   * Tells each subscription workflow (`subscription/<LICENSE_CODE>`) referenced by the order's lines
   * that this paid order was posted (signal-with-start, so the first order starts the subscription).
   */
  notifySubscriptions(input: {
    order: OrderEvent;
    records: OrderRecords;
    /** NetSuite activity queues the subscription workflow should use (only set when not the defaults). */
    queues?: { netsuite: string; netsuiteMoney: string };
  }): Promise<{ notified: string[] }>;
}

export interface UpsertSubscriptionRecordResult {
  /** skipped: subscriptions.model is `none`; deferred: the record cannot be written yet (e.g. no NetSuite customer known). */
  action: 'upserted' | 'skipped' | 'deferred';
  record?: { type: string; id: string; externalId: string };
  /** NetSuite item of the current plan, when the mapping resolves it. */
  itemId?: string;
  /** Why a write was deferred. */
  note?: string;
}

/** Subscription timing from the mapping config (`subscriptions`), read once per workflow run. */
export interface SubscriptionSettings {
  /** How long after the expected renewal date a missing renewal is flagged, e.g. `3d`. */
  renewalGrace: string;
  /** How long an ended subscription's workflow waits for late events before it completes, e.g. `30d`. */
  endedLinger: string;
}

/** NetSuite side of the subscription workflow (bulk lane). Idempotent: an upsert by externalId. */
export interface SubscriptionActivities {
  subscriptionSettings(): Promise<SubscriptionSettings>;
  /**
   * Reads the subscription record `externalIds.subscription(licenseCode)` back as the state it shows
   * (a new workflow run rebuilds from it); `found` is absent when there is none, or nothing is written.
   */
  findSubscriptionRecord(input: { licenseCode: string }): Promise<{ found?: SubscriptionRecordState }>;
  /** Upserts the subscription record `externalIds.subscription(licenseCode)` (custom record or SuiteBilling, per config). */
  upsertSubscriptionRecord(input: { subscription: SubscriptionRecordState }): Promise<UpsertSubscriptionRecordResult>;
}
