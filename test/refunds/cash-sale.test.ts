// Cash-sale posting mode: a refund is a cash refund transformed from the cash sale (credit and
// pay-out in one record), keyed like a credit memo by REFNO and eventRef.
import { describe, expect, it } from 'vitest';
import { fullRefund, partialRefund, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import { useTestStack } from '../support/stack.js';
import { cents, idOf, itemLines, ledgerFor, sendIpn } from './ledger.js';

const stack = useTestStack({ policy: { postingMode: 'cashSale' } });
const send = sendIpn(stack);

describe('refunds in cash-sale mode', () => {
  it('a partial refund becomes one cash refund from the cash sale; a redelivery changes nothing; refunding the whole order afterwards parks', async () => {
    const ref = '74400001';
    const sale = threeLineOrder(ref);
    await send(sale);
    await stack.waitForOrder(ref, (s) => s.completedSteps.includes('cashSale'));
    const refund = partialRefund(sale, { lines: [1], messageId: 'C1' });
    await send(refund);
    await stack.waitForOrder(ref, (s) => s.completedSteps.includes('refund:C1') && s.syncStatus === 'Synced');

    const l = ledgerFor(stack, ref);
    expect([
      l.cashSales.length,
      l.cashRefunds.length,
      l.invoices.length,
      l.creditMemos.length,
      l.customerRefunds.length,
    ]).toEqual([1, 1, 0, 0, 0]);
    const cashRefund = l.cashRefunds[0]!;
    expect(cashRefund.externalId).toBe(`2co-cm-${ref}-C1`);
    expect(idOf(cashRefund.createdFrom)).toBe(String(l.cashSales[0]!.id));
    expect(idOf(cashRefund.entity)).toBe(idOf(l.cashSales[0]!.entity));
    expect(idOf(cashRefund.account)).toBe('201');
    expect(itemLines(cashRefund).map(({ item, amount }) => [item, amount])).toEqual([
      ['102', 120],
      ['113', 24],
    ]);
    expect(Number(cashRefund.total)).toBe(144);
    expect(cents(itemLines(cashRefund).map((x) => x.amount))).toBe(14400);

    await send(refund);
    await stack.waitForOrder(ref, (s) => s.duplicatesIgnored === 1);
    expect(ledgerFor(stack, ref).cashRefunds).toHaveLength(1);

    await send(fullRefund(sale, { messageId: 'C2' }));
    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
    expect(parked.park).toMatchObject({ reason: 'OVER_REFUND', step: 'refund:C2' });
    expect(parked.park?.message).toContain(`on cash sale ${String(l.cashSales[0]!.tranId)}`);
    expect(ledgerFor(stack, ref).cashRefunds).toHaveLength(1);
  });
});
