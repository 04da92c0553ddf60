// What each park reason means for finance and what fixes it, in the words docs/operating.md uses.
// One table for the status page (and any other edge that explains a park).
export interface ParkReasonText {
  what: string;
  fix: string;
}

export const PARK_REASONS: Record<string, ParkReasonText> = {
  UNMAPPED_PRODUCT: { what: 'a 2Checkout product code has no NetSuite item', fix: 'add the product to config/mappings.yaml (it reloads by itself), then retry' },
  UNMAPPED_CURRENCY: { what: 'a currency has no NetSuite currency', fix: 'add it under currencies in config/mappings.yaml, then retry' },
  UNMAPPED_PAYMENT_METHOD: { what: 'a payment method has no deposit account', fix: 'add it under payment methods in config/mappings.yaml, then retry' },
  MAPPING_ERROR: { what: 'another gap in the mapping (subsidiary, tax code, subscription item…)', fix: 'the message names the key; fix it, then retry' },
  NETSUITE_USER_ERROR: { what: 'NetSuite refused the record (invalid value, closed period…)', fix: 'fix it in NetSuite or in the mapping, then retry; or post it by hand and skip' },
  TRANSFORM_MANDATORY_FIELD: {
    what: "NetSuite's form for the new record (e.g. the invoice) requires a field the order leaves empty",
    fix: 'give that field a default on the form, or have the sync send it (config/mappings.yaml), then retry',
  },
  TRANSFORM_SOURCE_CLOSED: {
    what: 'the record it is made from was closed, billed or paid in full outside this sync',
    fix: 'reopen it in NetSuite and retry, or post the record by hand and skip',
  },
  OVER_REFUND: { what: 'a refund is larger than what is left to credit', fix: 'check the order in both systems; skip with a note once settled by hand' },
  AMOUNT_MISMATCH: { what: "NetSuite's totals differ from 2Checkout's beyond the tolerance", fix: 'check the tax and discount mapping; retry after fixing, or skip' },
  FX_RESIDUE: { what: 'a currency conversion left a residue that is not booked automatically', fix: 'book it by hand, then skip' },
  UNKNOWN_DISPUTE_RESOLUTION: { what: 'a chargeback resolution the mapping does not classify', fix: 'add it to the dispute mapping, then retry' },
  MISSING_RECORD: { what: 'a refund or chargeback arrived but the sale is not in NetSuite', fix: 'wait for or post the sale, then retry; or skip' },
  PAID_ORDER_VOIDED: { what: '2Checkout reversed or cancelled an order NetSuite shows as paid', fix: 'a REFUND notification is expected; check in 2Checkout, then retry or skip' },
  UNKNOWN_STATUS: { what: 'an order status the sync does not handle', fix: 'check the notification; skip with a note' },
  UNEXPECTED_ERROR: { what: 'something else that retrying did not fix', fix: 'read the message and the Event History; fix, then retry' },
  RENEWAL_MISSED: { what: 'a subscription renewal did not arrive within the grace period', fix: 'check the subscription in 2Checkout; a late renewal order or LCN clears it' },
};

export const reasonText = (code: string): ParkReasonText => PARK_REASONS[code] ?? { what: code, fix: 'see docs/operating.md, Park reasons' };
