// Helpers for the throughput tests: send a batch of signed IPNs through the stack's gateway at
// once, wait until every order is synced, and read the ledger per order. Everything is counted,
// nothing is timed.
import { expect } from 'vitest';
import { postNotification, signedIpn, type IpnOrderInput } from '../../sandbox/twocheckout/sender.js';
import { externalIds } from '../../mappings/ids.js';
import type { OrderSyncState } from '../../workflows/messages.js';
import { SECRET_KEY, type TestStack } from '../support/stack.js';

let runSeq = 0;
/** REFNOs unique to this test process (several files share one Temporal dev server). */
export function refNos(count: number): string[] {
  runSeq += 1;
  const base = `${process.pid % 10_000}${String(runSeq).padStart(2, '0')}${Date.now() % 100_000}`;
  return Array.from({ length: count }, (_, i) => `${base}${String(i).padStart(4, '0')}`);
}

/** Posts every IPN concurrently; each must be answered 200 with a valid receipt. */
export async function postAll(stack: TestStack, orders: IpnOrderInput[]): Promise<void> {
  const results = await Promise.all(
    orders.map((o) => postNotification(stack.ipnUrl, signedIpn(o, SECRET_KEY), { secretKey: SECRET_KEY })),
  );
  expect(results.filter((r) => !r.receiptValid).map((r) => `${r.status} ${r.reason ?? ''}`)).toEqual([]);
}

/** The step that finishes a paid order in each posting mode. */
export const finalStep = { salesOrder: 'payment', cashSale: 'cashSale' } as const;

/** Waits until every order's workflow reports Synced with its final step done; returns the states. */
export async function waitAllSynced(
  stack: TestStack,
  refs: string[],
  step: string,
  timeoutMs = 60_000,
): Promise<OrderSyncState[]> {
  return Promise.all(
    refs.map((ref) =>
      stack.waitForOrder(ref, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes(step), timeoutMs),
    ),
  );
}

/** How many records of `type` carry each REFNO's externalId (exactly-once means 1 each). */
export function countByRef(
  stack: TestStack,
  type: 'salesOrder' | 'invoice' | 'customerPayment' | 'cashSale',
  refs: string[],
): number[] {
  const idOf = {
    salesOrder: externalIds.salesOrder,
    invoice: externalIds.invoice,
    customerPayment: externalIds.customerPayment,
    cashSale: externalIds.cashSale,
  }[type];
  const counts = new Map<string, number>();
  for (const r of stack.sandbox.records(type)) {
    const eid = String(r.externalId ?? '');
    counts.set(eid, (counts.get(eid) ?? 0) + 1);
  }
  return refs.map((ref) => counts.get(idOf(ref)) ?? 0);
}
