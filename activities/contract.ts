// The contract between workflows and NetSuite activities: names, inputs, outputs and the failure
// types that make a workflow park. Workflows import this file with `import type` only (plus the
// constants, which are plain data), activities implement it.
import type { OrderEvent } from '../mappings/canonical.js';

/** How a paid order is posted in NetSuite. */
export type PostingMode = 'salesOrder' | 'cashSale';

/** NetSuite records that exist for one 2Checkout order (internal ids). */
export interface OrderRecords {
  customerId?: string;
  salesOrderId?: string;
  invoiceId?: string;
  paymentId?: string;
  cashSaleId?: string;
  /** Credit memos / refunds already posted, keyed by the event's eventRef. */
  creditMemos?: Record<string, { creditMemoId: string; customerRefundId?: string; amount: string }>;
}

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
export type DisputeOutcome = 'none' | 'open' | 'won' | 'lost';

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

/**
 * What finance sees of one 2Checkout subscription in NetSuite: the subscription workflow's state,
 * already shaped for NetSuite (dates `YYYY-MM-DD` in the merchant's time zone, as 2Checkout sent them).
 * A field left out is unknown to the workflow and is not written (an upsert keeps what is there).
 */
export interface SubscriptionRecordState {
  licenseCode: string;
  /** ACTIVE, PAST_DUE, GRACE, CANCEL_AT_PERIOD_END, CANCELED, EXPIRED, RENEWAL_MISSED, … */
  status: string;
  plan?: { productCode: string; productId?: string; name?: string; productGroup?: string };
  quantity?: number;
  /** A plan that takes effect with the next renewal (a downgrade 2Checkout announced by LCN). */
  pendingPlan?: { productCode: string; productId?: string; productGroup?: string; quantity: number };
  /** First day of the subscription. */
  startedOn?: string;
  periodStart?: string;
  periodEnd?: string;
  /** null: no renewal is expected any more (ended, lifetime, or cancelled at period end). */
  nextRenewal?: string | null;
  lastOrderRefNo?: string;
  customer: { netsuiteId?: string; twoCheckoutRef?: string; externalRef?: string };
  currency?: string;
  autoRenew: boolean;
  lifetime: boolean;
  renewals: number;
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

/**
 * ApplicationFailure types an activity throws (non-retryable) when a person must act.
 * The workflow parks on these; details[0] is a ParkDetails.
 */
export const PARKING_FAILURE_TYPES = [
  'MappingError',
  'NetSuiteUserError',
  'OverRefund',
  'AmountMismatch',
  'UnknownDispute',
  'MissingRecord',
  'PaidOrderVoided',
] as const;
export type ParkingFailureType = (typeof PARKING_FAILURE_TYPES)[number];

/** Machine-readable park reason (goes into the ParkReason search attribute: no personal data). */
export type ParkReasonCode =
  | 'UNMAPPED_PRODUCT'
  | 'UNMAPPED_CURRENCY'
  | 'UNMAPPED_PAYMENT_METHOD'
  | 'MAPPING_ERROR'
  | 'NETSUITE_USER_ERROR'
  | 'OVER_REFUND'
  | 'AMBIGUOUS_REFUND'
  | 'AMOUNT_MISMATCH'
  | 'FX_RESIDUE'
  | 'UNKNOWN_DISPUTE_RESOLUTION'
  | 'MISSING_RECORD'
  /** REVERSED/CANCELED arrived for an order NetSuite shows as paid: a REFUND IPN is expected. */
  | 'PAID_ORDER_VOIDED'
  | 'UNKNOWN_STATUS'
  /** A payout's bank amount differs from what its documents and NetSuite explain by more than the tolerance. */
  | 'PAYOUT_VARIANCE'
  /** A payout covers orders whose payments did not reach NetSuite within payouts.waitForPayments. */
  | 'PAYOUT_PAYMENTS_MISSING'
  /** A payout 2Checkout sent in a shape or currency setup the sync cannot book safely. */
  | 'PAYOUT_UNSUPPORTED'
  /** Reconciliation found NetSuite differs from 2Checkout (e.g. an amount edited by hand); nothing was changed. */
  | 'RECONCILIATION_MISMATCH'
  | 'UNEXPECTED_ERROR';

/** Parks an edit of the mapping file fixes: a retry is pointless while that file does not load. */
export const MAPPING_PARK_REASONS: readonly ParkReasonCode[] = ['UNMAPPED_PRODUCT', 'UNMAPPED_CURRENCY', 'UNMAPPED_PAYMENT_METHOD', 'MAPPING_ERROR'];

export interface ParkDetails {
  reason: ParkReasonCode;
  /** Human explanation: what is wrong and what would fix it. No secrets. */
  message: string;
  /** Where, e.g. `lines[1].productCode` or a NetSuite `o:errorPath`. */
  path?: string;
}
