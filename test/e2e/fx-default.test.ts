// The shipped mapping file on a fresh install: an EU shopper paying USD (the most common
// cross-border order) is booked in the EUR subsidiary at NetSuite's rate, with 2Checkout's rate
// recorded beside it, instead of parking.
import { describe, expect, it } from 'vitest';
import { cardOrder, germanCustomer } from '../../sandbox/twocheckout/scenarios.js';
import { useTestStack } from '../support/stack.js';
import { ledgerFor, sendIpn } from '../refunds/ledger.js';

// No mappings passed: the stack loads config/mappings.yaml as shipped.
const stack = useTestStack();

describe('shipped FX default', () => {
  it("an EU shopper paying USD, paid out in USD, syncs into the EUR subsidiary at NetSuite's rate with 2Checkout's rate recorded", async () => {
    const ref = '74900001';
    const sale = {
      ...cardOrder(ref, 'COMPLETE'),
      customer: germanCustomer(ref),
      currency: 'USD',
      fx: { rate: '1', payoutCurrency: 'USD' },
    };
    await sendIpn(stack)(sale);
    const s = await stack.waitForOrder(
      ref,
      (x) => x.completedSteps.includes('payment') || x.syncStatus === 'NeedsAttention',
      60_000,
    );
    expect(s.park).toBeUndefined();
    expect(s.syncStatus).toBe('Synced');
    const l = ledgerFor(stack, ref);
    expect([l.salesOrders.length, l.invoices.length, l.payments.length]).toEqual([1, 1, 1]);
    const so = l.salesOrders[0]!;
    expect(so.subsidiary).toMatchObject({ id: '2' });
    expect(so.custbody_2co_fx_rate).toBe(1);
  });
});
