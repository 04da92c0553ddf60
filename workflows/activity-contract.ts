// The workflows' port: the activities they call, with inputs, outputs and result types.
// Workflows import it with `import type` only; activities/ implements it (the factories in
// activities/index.ts). Renaming an activity or changing an argument shape breaks recorded histories.
import type { OrderEvent } from '../mappings/canonical.js';
import type { AdoptedDocument } from '../mappings/adoption.js';
import type { ShadowVerdict } from '../mappings/shadow.js';
import type { DisputeOutcome, OrderRecords, PostingMode, SubscriptionRecordState } from '../mappings/sync-types.js';

export interface SyncCustomerResult {
  /** The customer's internal id ('' when `held`). */
  customerId: string;
  /** created: new record; linked: the order goes onto an existing customer found by e-mail or a
   *  previous tool's key (never rewritten or re-keyed); updated: a customer found by its reference
   *  whose fields changed; unchanged: no write was needed; adopted: the customer of a sale another
   *  tool booked for this order (nothing written); held: nothing written, the order is before the
   *  cut-over and nothing of it is booked (the workflow parks BEFORE_CUTOVER). */
  action: 'created' | 'linked' | 'updated' | 'unchanged' | 'adopted' | 'held';
  /** emailMatch createAndFlag: customers with the same e-mail that this service did not create, for a person to review. */
  review?: { sameEmailCustomerIds: string[] };
  /** Another tool booked a sale with this REFNO: look its records up (adopt them) before the next write. */
  previousBooking?: true;
  /** The sale is before cutover.at (mapping file); sent only when the caller asked for adoption. */
  beforeCutover?: boolean;
  /** cutover.at, when configured: the workflow dates money-back events against it. */
  cutoverAt?: string;
}

/** How an adopted record was linked to the sync (docs/cutover.md). */
export interface AdoptionLink {
  role: AdoptedDocument['role'];
  id: string;
  /** externalId: given the sync's externalId; mapping: a customrecord_2co_adoption record keeps the link. */
  how: 'externalId' | 'mapping';
}

/** What the look-up found of another tool's booking of the order. */
export interface AdoptionOutcome {
  /** The previous tool's records the order adopted now (not those the sync wrote or linked earlier). */
  adopted: AdoptedDocument[];
  /** One sentence per adopted record whose figures differ from 2Checkout's, with both figures. */
  differences: string[];
  /** The adopted invoice is paid in full though no payment of it was found: no payment is owed. */
  paidElsewhere?: true;
  /** The sale is before cutover.at. */
  beforeCutover: boolean;
  cutoverAt?: string;
  /** Links recorded by this look-up (live mode only). */
  links?: AdoptionLink[];
}

/** The order's records in NetSuite, own and adopted, with what adoption found (when asked). */
export interface FoundOrderRecords extends OrderRecords {
  adoption?: AdoptionOutcome;
}

/** Asks a look-up to include a previous tool's records (workflows that took the adoption patch). */
export interface AdoptionRequest {
  /** The sale (or void) event: its date against the cut-over, its figures against the adopted records. */
  order?: OrderEvent;
  /** live: record the links; shadow: read only. */
  link: boolean;
}

export interface ShadowVerdictInput {
  order: OrderEvent;
  moneyBack: OrderEvent[];
  postingMode: PostingMode;
  /** Whether a paid status was seen (invoice and payment, or a cash sale, are owed). */
  paid: boolean;
}

export interface UpsertSalesOrderResult {
  salesOrderId: string;
  total: string;
}
export interface CreateInvoiceResult {
  invoiceId: string;
  total: string;
  amountRemaining: string;
}
export interface ApplyPaymentResult {
  paymentId: string;
  amount: string;
}
export interface PostCashSaleResult {
  cashSaleId: string;
  total: string;
}
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
  /**
   * Find-or-create the customer; never creates a twin (externalId first, then e-mail). With
   * `adoption`, the same query also finds the customer of a sale another tool booked for this
   * order (previousBooking: nothing is written), and before the cut-over nothing is written unless
   * `permitBeforeCutover` (held).
   */
  syncCustomer(input: { order: OrderEvent; adoption?: { permitBeforeCutover?: boolean } }): Promise<SyncCustomerResult>;
  /** Upsert the sales order `externalIds.salesOrder(refNo)` with mapped lines. */
  upsertSalesOrder(input: { order: OrderEvent; customerId: string }): Promise<UpsertSalesOrderResult>;
  /** Transform the sales order into invoice `externalIds.invoice(refNo)`. */
  createInvoice(input: { order: OrderEvent; salesOrderId: string }): Promise<CreateInvoiceResult>;
  /** Money lane: transform the invoice into a customer payment `externalIds.customerPayment(refNo)` applied in full. */
  applyPayment(input: { order: OrderEvent; customerId: string; invoiceId: string }): Promise<ApplyPaymentResult>;
  /** Cash-sale mode: one cash sale `externalIds.cashSale(refNo)` for a paid order. */
  postCashSale(input: { order: OrderEvent; customerId: string }): Promise<PostCashSaleResult>;
  /**
   * Looks up, by externalId, what already exists for this order (used by a new run after an old one
   * finished); with `adoption`, in the same query, what another tool booked for it (adopted, and
   * linked when `adoption.link`).
   */
  findOrderRecords(input: { refNo: string; adoption?: AdoptionRequest }): Promise<FoundOrderRecords>;
  /** REVERSED / CANCELED: close the sales order lines; see README for what happens to an existing invoice. */
  closeOrder(input: { order: OrderEvent; records: OrderRecords }): Promise<CloseOrderResult>;
  /** Money lane: credit memo (from the invoice or cash sale) + customer refund for a refund or a lost chargeback. */
  postRefund(input: {
    event: OrderEvent;
    records: OrderRecords;
    cause: 'refund' | 'chargeback';
  }): Promise<PostRefundResult>;
  /**
   * Writes the dispute state onto the order's NetSuite records (memo / configured custom field) and
   * classifies CHARGEBACK_RESOLUTION with the mapping config (the values are UNCONFIRMED, so they are
   * configured): `lost` means the money went back to the shopper and a refund must be posted.
   * An unknown resolution throws `UnknownDispute` (the workflow parks instead of guessing).
   */
  recordDispute(input: { event: OrderEvent; records: OrderRecords }): Promise<{ outcome: DisputeOutcome }>;
}

/** Shadow mode (SYNC_MODE=shadow): served with the order activities, on the bulk lane. */
export interface ShadowActivities {
  /** Reads NetSuite, writes nothing, and says what the sync would do with the order. */
  shadowVerdict(input: ShadowVerdictInput): Promise<ShadowVerdict>;
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
