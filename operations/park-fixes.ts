// What to do about each park reason (the same table as docs/operating.md "Park reasons"), so every
// tool that shows a parked sync can say how to resume it.
export const PARK_FIXES: Readonly<Record<string, string>> = {
  UNMAPPED_PRODUCT: 'add the product code under products in config/mappings.yaml (it reloads by itself), then retry',
  UNMAPPED_CURRENCY: 'add the currency under currencies in config/mappings.yaml, then retry',
  UNMAPPED_PAYMENT_METHOD: 'add the payment method under payment methods in config/mappings.yaml, then retry',
  MAPPING_ERROR: 'the message names the missing mapping key: fix it in config/mappings.yaml, then retry',
  NETSUITE_USER_ERROR: 'fix the value in NetSuite or in the mapping, then retry; or do it by hand in NetSuite and skip with a reason',
  TRANSFORM_MANDATORY_FIELD: "give the field NetSuite names a default on the target record's form, or have the sync send it (config/mappings.yaml), then retry",
  TRANSFORM_SOURCE_CLOSED: 'reopen the source record in NetSuite and retry, or post the record by hand and skip with a reason',
  OVER_REFUND: 'check the order in both systems; skip with a reason once it is settled by hand',
  AMOUNT_MISMATCH: 'check the tax and discount mapping; retry after fixing it, or skip with a reason',
  FX_RESIDUE: 'book the residue by hand in NetSuite, then skip with a reason',
  UNKNOWN_DISPUTE_RESOLUTION: 'add the resolution to the dispute mapping, then retry',
  MISSING_RECORD: 'wait for or post the sale, then retry; or skip with a reason',
  PAID_ORDER_VOIDED: 'a REFUND notification is expected: check the order in 2Checkout, then retry or skip with a reason',
  UNKNOWN_STATUS: 'check the notification; skip with a reason',
  UNEXPECTED_ERROR: 'read the message and the Event History in the Web UI; fix the cause, then retry',
  RENEWAL_MISSED: 'check the subscription in 2Checkout; a late renewal order or licence notification clears it',
};

export function suggestedFix(reason: string | undefined): string | undefined {
  return reason ? PARK_FIXES[reason] : undefined;
}
