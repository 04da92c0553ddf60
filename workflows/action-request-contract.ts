// The contract between the action-request workflows and their activities (served on
// ACTION_TASK_QUEUE). Workflows import it with `import type` only; activities/action-activities.ts
// implements it. Amounts cross it as decimal strings in the order currency.
import type { RefundItem, RefundLineAsk } from '../mappings/refundable.js';
import type { SubscriptionAction } from '../mappings/subscription-actions.js';

/** The `actions:` section of the mapping file, read once per request (ms where a duration). */
export interface ActionSettings {
  approvalExpiryMs: number;
  confirmWaitMs: number;
  recheckEveryMs: number;
}

export type RefundCheck =
  | {
      ok: true;
      amount: string;
      currency: string;
      items: RefundItem[];
      /** What both systems left refundable before this request. */
      refundable: string;
      /** The order's refund amounts in 2Checkout when the request was made (the guard against a second refund). */
      baseline: string[];
      /** Credits the order sync had booked when the request was made (eventRefs), so the new one is told apart. */
      bookedBefore: string[];
    }
  | { ok: false; message: string };

export interface IssueRefundInput {
  requestId: string;
  refNo: string;
  amount: string;
  currency: string;
  items: RefundItem[];
  comment: string;
  baseline: string[];
}

export interface IssuedRefund {
  /** True when 2Checkout already showed this refund, so no call was made. */
  alreadyDone: boolean;
  /** ISO time of the call (or of the read that found it). */
  at: string;
}

export type RefundBooking =
  | { booked: true; creditMemoId: string; customerRefundId?: string; amount: string; eventRef: string }
  | { booked: false; detail: string };

export interface SubscriptionCheckResult {
  ok: boolean;
  /** Why not (one sentence), or what 2Checkout shows now. */
  message: string;
}

export interface SubscriptionActed {
  alreadyDone: boolean;
  at: string;
  call: string;
}

export interface SubscriptionConfirmation {
  confirmed: boolean;
  status: string;
  cancelAtPeriodEnd: boolean;
  netsuiteRecords: string[];
  detail: string;
}

export interface ActionRequestActivities {
  actionSettings(): Promise<ActionSettings>;
  /** Reads 2Checkout's order and NetSuite's sale and credits; says whether the refund fits what is still refundable. */
  checkRefund(input: {
    refNo: string;
    amount?: string;
    currency?: string;
    lines?: RefundLineAsk[];
  }): Promise<RefundCheck>;
  /**
   * Issues the refund in 2Checkout at most once: reads the order's refunds first and does not call
   * when this request's refund is already there; a refusal a person must look at parks (TWOCHECKOUT_REFUSED).
   */
  issueRefund(input: IssueRefundInput): Promise<IssuedRefund>;
  /** Whether the order sync booked the refund (a credit memo of that amount not in bookedBefore). */
  refundBooking(input: {
    refNo: string;
    amount: string;
    currency: string;
    bookedBefore: string[];
  }): Promise<RefundBooking>;
  checkSubscriptionAction(input: { licenseCode: string; action: SubscriptionAction }): Promise<SubscriptionCheckResult>;
  /** Does the action in 2Checkout unless 2Checkout already shows the subscription so (read first). */
  executeSubscriptionAction(input: { licenseCode: string; action: SubscriptionAction }): Promise<SubscriptionActed>;
  /** Whether the subscription workflow has folded the LCN that confirms the action. */
  subscriptionConfirmation(input: {
    licenseCode: string;
    action: SubscriptionAction;
  }): Promise<SubscriptionConfirmation>;
}
