// Issue 28: what the status page reads of the books in NetSuite — per day the sales, refunds and
// lost chargebacks the sync posted, counted apart with amounts per currency, and an order's
// documents by number (SO…, INV…) with amounts — against orders posted through the whole product.
import { describe, expect, it } from 'vitest';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder, chargeback, eurOrder, partialRefund, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/ipn-fields.js';
import { readBooksByDay, readOrderDocuments } from '../../operations/netsuite-books.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';

const stack = useTestStack();
const post = async (ipn: IpnOrderInput) =>
  expect(
    (await postNotification(stack.ipnUrl, signedIpn(ipn, SECRET_KEY), { secretKey: SECRET_KEY })).receiptValid,
  ).toBe(true);
const base = 88_000_000 + Math.floor(Math.random() * 90_000) * 10;
const DAY = '2026-03-10';
const at = new Date(`${DAY}T09:00:00Z`);

describe('the books in NetSuite, for the status page', () => {
  it('a day: sales, refunds and lost chargebacks counted apart, amounts per currency; an order’s documents by number', async () => {
    const usd = cardOrder(String(base + 1), 'COMPLETE', { at });
    const eur = eurOrder(String(base + 2), { at });
    const three = threeLineOrder(String(base + 3), { at });
    const lost = cardOrder(String(base + 4), 'COMPLETE', { at });
    for (const o of [usd, eur, three, lost]) await post(o);
    for (const o of [usd, eur, three, lost])
      await stack.waitForOrder(o.refNo, (s) => s.completedSteps.includes('payment'), 60_000);
    await post(partialRefund(three, { lines: [1], at: new Date(`${DAY}T10:00:00Z`) }));
    await post(chargeback(lost, 'LOST', { at: new Date(`${DAY}T11:00:00Z`) }));
    await stack.waitForOrder(three.refNo, (s) => Object.keys(s.records.creditMemos ?? {}).length === 1, 60_000);
    await stack.waitForOrder(lost.refNo, (s) => Object.keys(s.records.creditMemos ?? {}).length === 1, 60_000);

    const [day, empty] = await readBooksByDay(stack.netsuite, [DAY, '2026-03-11']);
    expect(day).toEqual({
      day: DAY,
      entries: [
        { kind: 'chargebacks', currency: 'USD', count: 1, amount: '99.00' },
        { kind: 'orders', currency: 'EUR', count: 1, amount: '105.91' },
        { kind: 'orders', currency: 'USD', count: 3, amount: '472.91' },
        { kind: 'refunds', currency: 'USD', count: 1, amount: '144.00' },
      ],
    });
    expect(empty).toEqual({ day: '2026-03-11', entries: [] });

    const docs = await readOrderDocuments(stack.netsuite, three.refNo);
    expect(docs.map((d) => [d.type, d.tranId?.replace(/\d+$/, 'n'), d.amount, d.currency, d.date])).toEqual([
      ['salesOrder', 'SOn', '274.91', 'USD', DAY],
      ['invoice', 'INVn', '274.91', 'USD', DAY],
      ['customerPayment', 'PYMTn', '274.91', 'USD', DAY],
      ['creditMemo', 'CMn', '144.00', 'USD', DAY],
      ['customerRefund', 'RFNDn', '144.00', 'USD', DAY],
    ]);
    const so = stack.sandbox.records('salesOrder').find((r) => r.externalId === `2co-so-${three.refNo}`)!;
    expect(docs[0]).toMatchObject({ id: String(so.id), tranId: so.tranId, externalId: `2co-so-${three.refNo}` });
  }, 180_000);
});
