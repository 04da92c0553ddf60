// Why a sync parks: every reason with what happened and what fixes it, in one catalogue. The
// workflows park with these codes (the ParkReason search attribute), and the operator tools (CLI,
// MCP) and the status page explain a park from here. docs/operating.md ("Park reasons") and
// docs/payouts.md say the same at more length.
//
// Adding a reason is one entry in PARK_REASONS: its code, `what` and `fix`. The code type is
// derived from the catalogue, so any other per-reason table must be a Record<ParkReasonCode, …>
// and fails to compile until it has the new entry.

export interface ParkReasonText {
  /** What happened, in one line for finance. */
  what: string;
  /** What fixes it, and how to resume. */
  fix: string;
  /** An edit of config/mappings.yaml fixes it: a retry is refused while that file does not load. */
  fixedInMappings?: true;
}

export const PARK_REASONS = {
  UNMAPPED_PRODUCT: {
    what: 'a 2Checkout product code has no NetSuite item',
    fix: 'add the product code under products in config/mappings.yaml (it reloads by itself), then retry',
    fixedInMappings: true,
  },
  UNMAPPED_CURRENCY: {
    what: 'a currency has no NetSuite currency',
    fix: 'add the currency under currencies in config/mappings.yaml, then retry',
    fixedInMappings: true,
  },
  UNMAPPED_PAYMENT_METHOD: {
    what: 'a payment method has no deposit account',
    fix: 'add the payment method under payment methods in config/mappings.yaml, then retry',
    fixedInMappings: true,
  },
  MAPPING_ERROR: {
    what: 'another gap in the mapping (subsidiary, tax code, subscription item…)',
    fix: 'the message names the missing mapping key: fix it in config/mappings.yaml, then retry',
    fixedInMappings: true,
  },
  NETSUITE_USER_ERROR: {
    what: 'NetSuite refused the record (invalid value, closed period…)',
    fix: 'fix the value in NetSuite or in the mapping, then retry; or post it by hand in NetSuite and skip with a reason',
  },
  TRANSFORM_MANDATORY_FIELD: {
    what: "NetSuite's form for the new record (e.g. the invoice) requires a field the order leaves empty",
    fix: "give the field NetSuite names a default on the target record's form, or have the sync send it (config/mappings.yaml), then retry",
  },
  TRANSFORM_SOURCE_CLOSED: {
    what: 'the record it is made from was closed, billed, paid or refunded in full outside this sync',
    fix: 'reopen the source record in NetSuite and retry, or post the record by hand and skip with a reason',
  },
  OVER_REFUND: {
    what: 'a refund is larger than what is left to credit',
    fix: 'check the order in both systems; skip with a reason once it is settled by hand',
  },
  AMBIGUOUS_REFUND: {
    what: 'a refund without MESSAGE_ID repeats an earlier one under a new IPN_DATE: a re-sent notification or a second identical refund',
    fix: 'one refund in 2Checkout: skip; two: credit the second by hand, then skip; tick MESSAGE_ID in the IPN settings',
  },
  AMOUNT_MISMATCH: {
    what: "NetSuite's totals differ from 2Checkout's beyond the tolerance",
    fix: 'check the tax and discount mapping; retry after fixing it, or skip with a reason',
  },
  FX_RESIDUE: {
    what: 'a currency conversion left a residue that is not booked automatically',
    fix: 'book the residue by hand in NetSuite, then skip with a reason',
  },
  UNKNOWN_DISPUTE_RESOLUTION: {
    what: 'a chargeback resolution the mapping does not classify',
    fix: 'add the resolution to the dispute mapping, then retry',
  },
  MISSING_RECORD: {
    what: 'a refund or chargeback arrived but the sale is not in NetSuite',
    fix: 'wait for or post the sale, then retry (it looks the sale up again); or skip with a reason',
  },
  PAID_ORDER_VOIDED: {
    what: '2Checkout reversed or cancelled an order NetSuite shows as paid',
    fix: 'a REFUND notification is expected: check the order in 2Checkout, then retry or skip with a reason',
  },
  UNKNOWN_STATUS: {
    what: 'an order status the sync does not handle',
    fix: 'check the order in 2Checkout; skip with a reason (later, known statuses then sync as usual)',
  },
  PAYOUT_VARIANCE: {
    what: "a payout's bank amount differs from what its documents and NetSuite explain by more than the tolerance",
    fix: 'find the missing document (fee, refund, reserve movement) or raise payouts.varianceTolerance, then retry',
  },
  PAYOUT_PAYMENTS_MISSING: {
    what: 'orders or refunds a payout covers did not reach NetSuite within payouts.waitForPayments',
    fix: 'sync the orders named in the message (backfill, or retry them), then retry the payout',
  },
  PAYOUT_UNSUPPORTED: {
    what: 'a payout in a shape or currency setup the sync cannot book safely (or no 2Checkout API settings)',
    fix: 'fix the settings or the mapping, then retry; or book it by hand and skip with a reason',
  },
  RECONCILIATION_MISMATCH: {
    what: 'reconciliation found NetSuite differs from 2Checkout (e.g. an amount edited by hand); nothing was changed',
    fix: 'correct the NetSuite record, then retry; or skip with a reason to accept the difference',
  },
  CUSTOMER_SUBSIDIARY: {
    what: "a returning shopper's order routes to another subsidiary than their NetSuite customer's",
    fix: 'set customers.otherSubsidiary to customerPerSubsidiary or addSubsidiary in config/mappings.yaml (or give the customer the subsidiary in NetSuite), then retry',
  },
  PERIOD_CLOSED: {
    what: 'the transaction is dated in an accounting period that is closed or locked',
    fix: 'reopen the accounting period named in the message (or set periods.whenClosed: nextOpenPeriod in config/mappings.yaml), then retry; or skip with a reason',
  },
  PAYOUT_LEDGER_MISMATCH: {
    what: 'a payment or refund a payout covers is not in the account the payout relieves, or another payout relieved it already',
    fix: 'the message names each covered document and where NetSuite shows it: correct the document or the payouts/refunds accounts, then retry; or book the payout by hand and skip with a reason',
  },
  TWOCHECKOUT_REFUSED: {
    what: '2Checkout refused an approved refund or subscription action; nothing was done there',
    fix: "2Checkout's refusal is in the message: fix its cause in 2Checkout, then retry (the request reads 2Checkout first, so a retry never acts twice); or skip with a reason",
  },
  ACTION_NOT_CONFIRMED: {
    what: 'an approved action is done in 2Checkout, but its notification was not booked in NetSuite (refund) or folded (LCN) within actions.confirmWait',
    fix: 'check that the notification reached the gateway and the sync is not parked, then retry to wait again; or skip to end the request with what was done',
  },
  ADOPTED_RECORD_DIFFERS: {
    what: "a record another tool made for the order (adopted, never overwritten) differs from 2Checkout's figures",
    fix: 'the message gives both figures: correct the record in NetSuite, then retry (it compares again); or skip with a reason to accept the difference',
  },
  BEFORE_CUTOVER: {
    what: 'an order sold before cutover.at that the previous tool did not book (or not completely): the sync reports it and posts nothing',
    fix: 'book it in the previous tool and retry (it is adopted), or retry to have the sync post it (npm run backfill -- --post-missing does this for a range); skip with a reason to leave it',
  },
  UNEXPECTED_ERROR: {
    what: 'something else that retrying did not fix',
    fix: 'read the message and the Event History in the Web UI; fix the cause, then retry',
  },
} as const satisfies Record<string, ParkReasonText>;

/** Machine-readable park reason (the ParkReason search attribute: no personal data). */
export type ParkReasonCode = keyof typeof PARK_REASONS;

export const PARK_REASON_CODES = Object.keys(PARK_REASONS) as ParkReasonCode[];

export const isParkReason = (code: unknown): code is ParkReasonCode =>
  typeof code === 'string' && Object.hasOwn(PARK_REASONS, code);

/** Parks an edit of the mapping file fixes: a retry is pointless while that file does not load. */
export const MAPPING_PARK_REASONS: readonly ParkReasonCode[] = PARK_REASON_CODES.filter(
  (c) => 'fixedInMappings' in PARK_REASONS[c],
);

/**
 * Not parks, but listed with them: a subscription whose renewal did not come is flagged in its
 * SubscriptionStatus search attribute (SyncStatus NeedsAttention), not in ParkReason.
 */
export const ATTENTION_FLAGS = {
  RENEWAL_MISSED: {
    what: 'a subscription renewal did not arrive within the grace period',
    fix: 'check the subscription in 2Checkout; a late renewal order or licence notification clears it',
  },
} as const satisfies Record<string, ParkReasonText>;

/** A reason a sync needs a person: a park reason or an attention flag. */
export type AttentionReasonCode = ParkReasonCode | keyof typeof ATTENTION_FLAGS;

export const ATTENTION_REASONS: Readonly<Record<AttentionReasonCode, ParkReasonText>> = {
  ...PARK_REASONS,
  ...ATTENTION_FLAGS,
};

export const isAttentionFlag = (code: string): code is keyof typeof ATTENTION_FLAGS =>
  Object.hasOwn(ATTENTION_FLAGS, code);

/** What happened and what fixes it, for a code read back from Temporal (undefined: not a code this build knows). */
export function reasonText(code: string | undefined): ParkReasonText | undefined {
  return code !== undefined && Object.hasOwn(ATTENTION_REASONS, code)
    ? ATTENTION_REASONS[code as AttentionReasonCode]
    : undefined;
}

/** The fix to show next to a parked sync, if its reason is known. */
export const suggestedFix = (code: string | undefined): string | undefined => reasonText(code)?.fix;
