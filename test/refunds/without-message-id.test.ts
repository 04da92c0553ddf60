// Refund IPNs when the merchant's IPN settings do not send MESSAGE_ID: the event key cannot rest on
// IPN_DATE (one-second resolution, and a re-sent notification may carry a new one). Two refunds in
// the same second must both post; the same refund delivered again must post once, and when the
// sync cannot tell a re-delivery from a second identical refund it parks, visibly, for a person.
import { describe, expect, it } from 'vitest';
import { cardOrder, partialRefund } from '../../sandbox/twocheckout/scenarios.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';
import { ledgerFor, sendIpn } from './ledger.js';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';

const stack = useTestStack();
const send = sendIpn(stack);

const refNo = (n: number) => String(74_940_000 + n);
const paid = (s: { completedSteps: string[] }) => s.completedSteps.includes('payment');
const refundSteps = (s: { completedSteps: string[] }) => s.completedSteps.filter((x) => x.startsWith('refund:'));
const DAY = 24 * 3600_000;
/** As the merchant's IPN settings send it: without the MESSAGE_ID response tag. */
const noMessageId = <T extends object>(ipn: T): T & { omitFields: string[] } => ({
  ...ipn,
  omitFields: ['MESSAGE_ID'],
});

describe('refunds without MESSAGE_ID', () => {
  it('two partial refunds in the same second both post: two credit memos, two customer refunds', async () => {
    const ref = refNo(1);
    const sale = noMessageId(cardOrder(ref, 'COMPLETE'));
    await send(sale);
    await stack.waitForOrder(ref, paid, 60_000);
    const at = new Date(sale.at!.getTime() + DAY);
    await send(noMessageId(partialRefund(sale, { amount: '10.00', at })));
    await send(noMessageId(partialRefund(sale, { amount: '20.00', at })));
    await stack.waitForOrder(ref, (s) => refundSteps(s).length === 2 && s.syncStatus === 'Synced', 45_000);

    const l = ledgerFor(stack, ref);
    expect(l.creditMemos.map((c) => Number(c.total)).sort((a, b) => a - b)).toEqual([10, 20]);
    expect(l.customerRefunds).toHaveLength(2);
    expect(new Set(l.creditMemos.map((c) => c.externalId)).size).toBe(2);
  });

  it('the same refund delivered again with a new IPN_DATE posts once, and the look-alike parks as AMBIGUOUS_REFUND', async () => {
    const ref = refNo(2);
    const sale = noMessageId(cardOrder(ref, 'COMPLETE'));
    await send(sale);
    await stack.waitForOrder(ref, paid, 60_000);
    const at = new Date(sale.at!.getTime() + DAY);
    await send(noMessageId(partialRefund(sale, { amount: '10.00', at })));
    await stack.waitForOrder(ref, (s) => refundSteps(s).length === 1 && s.syncStatus === 'Synced');

    // 2Checkout sends it again (its receipt was lost) and stamps a new IPN_DATE.
    const res = await postNotification(
      stack.ipnUrl,
      signedIpn(
        noMessageId(partialRefund(sale, { amount: '10.00', at: new Date(at.getTime() + 7 * 60_000) })),
        SECRET_KEY,
      ),
      { secretKey: SECRET_KEY },
    );
    expect(res.receiptValid).toBe(true);
    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention', 45_000);
    expect(parked.park?.reason).toBe('AMBIGUOUS_REFUND');
    expect(parked.park?.message).toMatch(/MESSAGE_ID/);
    const l = ledgerFor(stack, ref);
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([1, 1]);
    expect(Number(l.creditMemos[0]!.total)).toBe(10);
  });

  it('the same notification delivered twice (same IPN_DATE) posts once and changes nothing', async () => {
    const ref = refNo(3);
    const sale = noMessageId(cardOrder(ref, 'COMPLETE'));
    await send(sale);
    await stack.waitForOrder(ref, paid, 60_000);
    const refund = noMessageId(partialRefund(sale, { amount: '10.00', at: new Date(sale.at!.getTime() + DAY) }));
    await send(refund);
    await stack.waitForOrder(ref, (s) => refundSteps(s).length === 1 && s.syncStatus === 'Synced');
    await send(refund);
    await stack.waitForOrder(ref, (s) => s.duplicatesIgnored === 1);
    const l = ledgerFor(stack, ref);
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([1, 1]);
  });
});
