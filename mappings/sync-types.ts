// The sync's domain vocabulary: how an order is posted, which NetSuite records an order or a
// subscription has, and why a sync parks. Mappings, config, activities and workflows all speak it;
// it is plain data and types (workflow-safe), so it sits with the pure mappings.
import type { ParkReasonCode } from './park-reasons.js';

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
  /** Internal ids of the records above that another tool made and the sync adopted (never rewritten). */
  adopted?: string[];
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

/** Why a sync parks: the codes, with what each means and what fixes it, are in park-reasons.ts. */
export type { ParkReasonCode } from './park-reasons.js';

export interface ParkDetails {
  reason: ParkReasonCode;
  /** Human explanation: what is wrong and what would fix it. No secrets. */
  message: string;
  /** Where, e.g. `lines[1].productCode` or a NetSuite `o:errorPath`. */
  path?: string;
}
