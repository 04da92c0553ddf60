// NetSuite calls per order, counted by the sandbox: the number that, with the account's
// concurrency limit and NetSuite's latency, bounds throughput (docs/performance.md). A new paid
// order in sales-order mode costs 5 calls (one customer query, the customer write, the sales order,
// the invoice and the payment); an unchanged returning customer costs no write (4); cash-sale mode
// costs 3 and 2. With adoption on (the shipped mapping: docs/cutover.md) and no cut-over set, the
// look-up for a previous tool's booking is folded into the customer query: the counts do not change.
import { describe, expect, it } from 'vitest';
import { cardOrder, returningCustomerOrder } from '../../sandbox/twocheckout/scenarios.js';
import { useTestStack, type TestStack } from '../support/stack.js';
import { countByRef, finalStep, postAll, refNos, waitAllSynced } from './support.js';

const ORDERS = 3;

const salesOrderStack = useTestStack({ policy: { postingMode: 'salesOrder' } });
const cashSaleStack = useTestStack({ policy: { postingMode: 'cashSale' } });

/** Syncs ORDERS new orders, then ORDERS more from the same customers; returns the calls of each phase. */
async function twoPhases(stack: TestStack, mode: 'salesOrder' | 'cashSale') {
  const step = finalStep[mode];
  const first = refNos(ORDERS);
  stack.sandbox.resetStats();
  await postAll(
    stack,
    first.map((ref) => cardOrder(ref, 'COMPLETE')),
  );
  await waitAllSynced(stack, first, step);
  const newCustomers = stack.sandbox.stats();

  const second = refNos(ORDERS);
  stack.sandbox.resetStats();
  // Same customers as the first orders (same 2Checkout customer reference, e-mail, name and address).
  await postAll(
    stack,
    second.map((ref, i) => returningCustomerOrder(ref, { customerSeed: first[i]! })),
  );
  await waitAllSynced(stack, second, step);
  const returning = stack.sandbox.stats();
  return { first, second, newCustomers, returning };
}

const perOrder = (calls: Record<string, number>) =>
  Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / ORDERS]));
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0) / ORDERS;

describe('NetSuite calls per order', () => {
  it('sales-order mode: 5 for a new customer (query + create), 4 for a returning unchanged one (no customer write)', async () => {
    const { first, second, newCustomers, returning } = await twoPhases(salesOrderStack, 'salesOrder');

    expect(perOrder(newCustomers.callsByKind)).toEqual({
      suiteql: 1,
      'upsert:customer': 1,
      'upsert:salesOrder': 1,
      'transform:salesOrder->invoice': 1,
      'transform:invoice->customerPayment': 1,
    });
    expect(total(newCustomers.callsByKind)).toBe(5);
    expect(perOrder(returning.callsByKind)).toEqual({
      suiteql: 1,
      'upsert:salesOrder': 1,
      'transform:salesOrder->invoice': 1,
      'transform:invoice->customerPayment': 1,
    });
    expect(total(returning.callsByKind)).toBe(4);
    // Nothing was refused or retried, and every call was one request.
    expect(newCustomers.rejected429 + returning.rejected429).toBe(0);
    expect(newCustomers.totalCalls + returning.totalCalls).toBe((5 + 4) * ORDERS);

    const refs = [...first, ...second];
    for (const type of ['salesOrder', 'invoice', 'customerPayment'] as const)
      expect(countByRef(salesOrderStack, type, refs)).toEqual(refs.map(() => 1));
    expect(salesOrderStack.sandbox.duplicates()).toEqual({
      customersByEmail: [],
      transactionsByRefNo: [],
      moneyRecordsByKey: [],
    });
  });

  it('cash-sale mode: 3 for a new customer, 2 for a returning unchanged one', async () => {
    const { first, second, newCustomers, returning } = await twoPhases(cashSaleStack, 'cashSale');

    expect(perOrder(newCustomers.callsByKind)).toEqual({ suiteql: 1, 'upsert:customer': 1, 'upsert:cashSale': 1 });
    expect(total(newCustomers.callsByKind)).toBe(3);
    expect(perOrder(returning.callsByKind)).toEqual({ suiteql: 1, 'upsert:cashSale': 1 });
    expect(total(returning.callsByKind)).toBe(2);
    expect(newCustomers.rejected429 + returning.rejected429).toBe(0);

    const refs = [...first, ...second];
    expect(countByRef(cashSaleStack, 'cashSale', refs)).toEqual(refs.map(() => 1));
    expect(countByRef(cashSaleStack, 'salesOrder', refs)).toEqual(refs.map(() => 0));
    expect(cashSaleStack.sandbox.duplicates()).toEqual({
      customersByEmail: [],
      transactionsByRefNo: [],
      moneyRecordsByKey: [],
    });
  });
});
