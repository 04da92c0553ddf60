// The look-up of what the sync itself wrote for an order: one SuiteQL query by its externalIds, and
// the rows told apart by externalId (the only thing the sync controls), not by NetSuite's type codes.
import { externalIds } from '../mappings/ids.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import { suiteql, type SuiteQl } from '../netsuite/suiteql.js';
import type { SuiteQlRow } from '../netsuite/types.js';

/** One query for everything this service may have written for an order (its externalIds). */
export function orderRecordsQuery(refNo: string): SuiteQl {
  const exact = [
    externalIds.salesOrder(refNo),
    externalIds.invoice(refNo),
    externalIds.customerPayment(refNo),
    externalIds.cashSale(refNo),
  ];
  // Prefix matches: `_` in a REFNO would widen them, so orderRecordsFrom checks every row exactly.
  const creditMemos = `${externalIds.creditMemo(refNo, 'x').slice(0, -1)}%`;
  const refunds = `${externalIds.customerRefund(refNo, 'x').slice(0, -1)}%`;
  return suiteql`SELECT id, externalid, type, entity, foreigntotal FROM transaction WHERE externalid IN (${exact}) OR externalid LIKE ${creditMemos} OR externalid LIKE ${refunds}`;
}

const text = (v: SuiteQlRow[string]): string => (v === null || v === undefined ? '' : String(v));

/** Classifies the rows by externalId (the only thing we control), not by NetSuite's type codes. */
export function orderRecordsFrom(refNo: string, rows: readonly SuiteQlRow[]): OrderRecords {
  const out: OrderRecords = {};
  const cmPrefix = externalIds.creditMemo(refNo, 'x').slice(0, -1);
  const rfPrefix = externalIds.customerRefund(refNo, 'x').slice(0, -1);
  const refunds = new Map<string, string>();
  for (const row of rows) {
    const eid = text(row.externalid);
    const id = text(row.id);
    if (eid === externalIds.salesOrder(refNo)) {
      out.salesOrderId = id;
      if (text(row.entity)) out.customerId = text(row.entity);
    } else if (eid === externalIds.cashSale(refNo)) {
      out.cashSaleId = id;
      if (text(row.entity)) out.customerId = text(row.entity);
    } else if (eid === externalIds.invoice(refNo)) out.invoiceId = id;
    else if (eid === externalIds.customerPayment(refNo)) out.paymentId = id;
    else if (eid.startsWith(cmPrefix)) {
      const eventRef = eid.slice(cmPrefix.length);
      const total = text(row.foreigntotal).replace(/^-/, '');
      out.creditMemos = { ...out.creditMemos, [eventRef]: { creditMemoId: id, amount: total } };
    } else if (eid.startsWith(rfPrefix)) refunds.set(eid.slice(rfPrefix.length), id);
  }
  for (const [eventRef, refundId] of refunds) {
    const cm = out.creditMemos?.[eventRef];
    if (cm) cm.customerRefundId = refundId;
  }
  return out;
}
