// What the order workflow does when a person or an earlier run is involved: which steps a resync
// must post again, adopting records a look-up found in NetSuite, and the parking failures for a
// missing sale or an unknown ORDERSTATUS. Pure helpers of orderSyncWorkflow (workflow-safe).
import { ApplicationFailure } from '@temporalio/workflow';
import type { OrderEvent } from '../mappings/canonical.js';
import type { OrderModel } from './order-state.js';

/** Which steps need the record another step makes. */
export const DEPENDENTS: Record<string, string[]> = {
  customer: ['salesOrder', 'invoice', 'payment', 'cashSale'],
  salesOrder: ['invoice', 'payment'],
  invoice: ['payment'],
};

/** The named steps and, transitively, the steps that need their records. */
export function withDependents(steps: string[]): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    if (out.has(s)) return;
    out.add(s);
    for (const d of DEPENDENTS[s] ?? []) add(d);
  };
  steps.forEach(add);
  return [...out];
}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Records found in NetSuite by externalId count as done: a new run never posts them again. */
export function adoptFoundSteps(m: OrderModel): void {
  const r = m.records;
  const mark = (name: string, present: unknown) => {
    if (present && !m.done.includes(name)) m.done.push(name);
  };
  mark('customer', r.customerId);
  mark('salesOrder', r.salesOrderId);
  mark('invoice', r.invoiceId);
  mark('payment', r.paymentId);
  mark('cashSale', r.cashSaleId);
  for (const key of Object.keys(r.creditMemos ?? {})) mark(`refund:${key}`, true);
}

export function unknownStatus(e: OrderEvent): ApplicationFailure {
  const message = `ORDERSTATUS ${JSON.stringify(e.unknownStatus ?? e.status)} of order ${e.refNo} (IPN of ${e.ipnDate}) is not a status this sync handles; the event is kept in the workflow. Check the order in 2Checkout, then skip with a note (or retry after upgrading the sync).`;
  return ApplicationFailure.create({ message, type: 'UnknownStatus', nonRetryable: true, details: [{ reason: 'UNKNOWN_STATUS', message, path: 'ORDERSTATUS' }] });
}

export function missingRecord(step: string, waitsFor: string, refNo: string): ApplicationFailure {
  const message = `${step} for order ${refNo} cannot be posted: no ${waitsFor} exists in NetSuite and no IPN for the sale arrived. Retry once the sale is in NetSuite, or skip with a reason.`;
  // Shaped like an activity's parking failure so SyncControl explains it the same way.
  return ApplicationFailure.create({ message, type: 'MissingRecord', nonRetryable: true, details: [{ reason: 'MISSING_RECORD', message }] });
}
