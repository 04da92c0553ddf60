// The sync's domain vocabulary: how an order is posted, which NetSuite records an order or a
// subscription has, and why a sync parks. Mappings, config, activities and workflows all speak it;
// it is plain data and types (workflow-safe), so it sits with the pure mappings.

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

/** What a chargeback's resolution means for the books (see recordDispute). */
export type DisputeOutcome = 'none' | 'open' | 'won' | 'lost';

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
  /** A transform refused for a mandatory field of the target's form that the source leaves empty. */
  | 'TRANSFORM_MANDATORY_FIELD'
  /** A transform refused because its source was closed, billed, paid or refunded in full outside this sync. */
  | 'TRANSFORM_SOURCE_CLOSED'
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
