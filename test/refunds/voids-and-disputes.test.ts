// Reversals, cancellations and chargebacks end to end (signed IPNs → gateway → Temporal → worker →
// NetSuite sandbox), asserted on the sandbox ledger: closed sales order lines, no invoice after a
// void, the dispute recorded on the order's documents, and a credit memo + refund to the
// chargeback account only when the chargeback is lost.
import { describe, expect, it } from 'vitest';
import { cancellation, cardOrder, chargeback, fullRefund, reversal } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { DisputeStatus, ParkReason } from '../../shared/search-attributes.js';
import { operatorDecisionSignal } from '../../workflows/messages.js';
import { useTestStack } from '../support/stack.js';
import { applyLines, expectCreditAndRefund, idOf, itemLines, ledgerFor, sendIpn } from './ledger.js';

const stack = useTestStack();
const send = sendIpn(stack);

const refNo = (n: number) => String(74_200_000 + n);
const has = (step: string) => (s: { completedSteps: string[] }) => s.completedSteps.includes(step);
const settled = (step: string) => (s: { completedSteps: string[]; syncStatus: string }) =>
  s.completedSteps.includes(step) && (s.syncStatus === 'Synced' || s.syncStatus === 'Closed');
const CHARGEBACK_ACCOUNT = '210';
const disputeStatus = async (ref: string) =>
  (await stack.env.client.workflow.getHandle(orderWorkflowId(ref)).describe()).typedSearchAttributes.get(DisputeStatus);

describe('reversals and cancellations', () => {
  it('REVERSED before capture closes the sales order lines; no invoice or payment is made', async () => {
    const ref = refNo(1);
    const authorized = cardOrder(ref, 'PAYMENT_AUTHORIZED');
    await send(authorized);
    await stack.waitForOrder(ref, has('salesOrder'));
    await send(reversal(authorized));
    const s = await stack.waitForOrder(ref, settled('close'));
    expect(s.syncStatus).toBe('Closed');
    expect(s.orderStatus).toBe('PAYMENT_AUTHORIZED');
    expect(s.journal.map((j) => j.detail ?? '').join(' ')).toMatch(/closed 1 line\(s\) of sales order/);

    const l = ledgerFor(stack, ref);
    expect(l.salesOrders).toHaveLength(1);
    expect(itemLines(l.salesOrders[0]).every((x) => x.isClosed === true)).toBe(true);
    expect((l.salesOrders[0]!.status as { refName?: string }).refName).toBe('Closed');
    expect([l.invoices.length, l.payments.length, l.creditMemos.length]).toEqual([0, 0, 0]);
  });

  it('CANCELED after PENDING closes the sales order; a late COMPLETE posts nothing more', async () => {
    const ref = refNo(2);
    const pending = cardOrder(ref, 'PENDING');
    await send(pending);
    await stack.waitForOrder(ref, has('salesOrder'));
    await send(cancellation(pending));
    await stack.waitForOrder(ref, settled('close'));
    await send(cardOrder(ref, 'COMPLETE', { at: new Date(Date.now() + 60_000) }));
    await stack.waitForOrder(ref, (s) => s.eventsReceived === 3 && s.syncStatus === 'Closed');

    const l = ledgerFor(stack, ref);
    expect(itemLines(l.salesOrders[0]).map((x) => x.isClosed)).toEqual([true]);
    expect([l.invoices.length, l.payments.length]).toEqual([0, 0]);
  });

  it('CANCELED after an invoice with no payment recorded: a credit memo for the open amount, applied to the invoice, and no refund', async () => {
    const ref = refNo(4);
    // A payment method without a deposit account parks the payment step; the operator skips it.
    const demo = stack.mappings.config;
    const { default: _fallback, ...methods } = demo.paymentMethods;
    stack.mappings.config = { ...demo, paymentMethods: methods };
    const sale = { ...cardOrder(ref, 'COMPLETE'), paymentMethod: { name: 'Bitcoin', code: 'BITCOIN' } };
    try {
      await send(sale);
      const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
      expect(parked.park).toMatchObject({ reason: 'UNMAPPED_PAYMENT_METHOD', step: 'payment' });
      const handle = stack.env.client.workflow.getHandle(orderWorkflowId(ref));
      await handle.signal(operatorDecisionSignal, {
        action: 'skip',
        reason: 'paid outside 2Checkout clearing',
        by: 'finance',
      });
      await stack.waitForOrder(ref, (s) => s.syncStatus === 'Synced');
    } finally {
      stack.mappings.config = demo;
    }
    expect(Number(ledgerFor(stack, ref).invoices[0]!.amountRemaining)).toBe(99);

    await send(cancellation(sale, { messageId: 'CX4' }));
    const s = await stack.waitForOrder(ref, settled('close'));
    expect(s.journal.map((j) => j.detail ?? '').join(' ')).toContain('credited invoice');
    const l = ledgerFor(stack, ref);
    const invoice = l.invoices[0]!;
    expect(l.creditMemos).toHaveLength(1);
    const cm = l.creditMemos[0]!;
    expect(cm.externalId).toBe(`2co-cm-${ref}-CX4`);
    expect(idOf(cm.createdFrom)).toBe(String(invoice.id));
    expect(Number(cm.total)).toBe(99);
    expect(itemLines(cm).map(({ item, amount }) => [item, amount])).toEqual(
      itemLines(invoice).map(({ item, amount }) => [item, amount]),
    );
    expect(applyLines(cm)).toEqual([{ doc: String(invoice.id), amount: 99 }]);
    expect(Number(invoice.amountRemaining)).toBe(0);
    expect([l.payments.length, l.customerRefunds.length]).toEqual([0, 0]);
    // The sales order was billed in full: its lines stay billed (the credit memo reverses the bill).
    expect(itemLines(l.salesOrders[0]).map((x) => x.isClosed)).toEqual([false]);
  });

  it('a void of an order NetSuite shows as paid parks with PAID_ORDER_VOIDED; after the REFUND IPN the operator skips and the refund is posted', async () => {
    const ref = refNo(3);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, has('payment'));
    await send(reversal(sale));
    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
    expect(parked.park).toMatchObject({ reason: 'PAID_ORDER_VOIDED', step: 'close' });
    expect(parked.park?.message).toContain('REFUND IPN');
    const handle = stack.env.client.workflow.getHandle(orderWorkflowId(ref));
    expect((await handle.describe()).typedSearchAttributes.get(ParkReason)).toBe('PAID_ORDER_VOIDED');
    expect(ledgerFor(stack, ref).creditMemos).toHaveLength(0);

    await send(fullRefund(sale, { messageId: 'RV3' }));
    await handle.signal(operatorDecisionSignal, { action: 'skip', reason: 'refund IPN arrived', by: 'finance' });
    await stack.waitForOrder(ref, has('refund:RV3'));
    expectCreditAndRefund(ledgerFor(stack, ref), { refNo: ref, eventRef: 'RV3', amount: 99, account: '201' });
  });
});

describe('chargebacks', () => {
  it('opened, then won: the dispute is recorded on the order and nothing is credited', async () => {
    const ref = refNo(11);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, has('payment'));

    await send(chargeback(sale, 'OPEN', { messageId: 'CB11A', reasonCode: 'FRAUD / NOT_RECOGNIZED' }));
    const open = await stack.waitForOrder(ref, settled('dispute:CB11A'));
    expect(open.dispute).toEqual({ resolution: 'OPEN', reasonCode: 'FRAUD / NOT_RECOGNIZED' });
    expect(await disputeStatus(ref)).toBe('OPEN');
    expect(String(ledgerFor(stack, ref).invoices[0]!.custbody_2co_dispute)).toMatch(
      /^OPEN \(FRAUD \/ NOT_RECOGNIZED\) \d{4}-\d{2}-\d{2}$/,
    );

    await send(chargeback(sale, 'WON', { messageId: 'CB11B', reasonCode: 'FRAUD / NOT_RECOGNIZED' }));
    const won = await stack.waitForOrder(ref, settled('dispute:CB11B'));
    expect(won.completedSteps.filter((x) => x.startsWith('refund:'))).toEqual([]);
    expect(await disputeStatus(ref)).toBe('WON');
    const l = ledgerFor(stack, ref);
    for (const doc of [l.salesOrders[0]!, l.invoices[0]!]) {
      expect(String(doc.custbody_2co_dispute)).toMatch(/^WON \(FRAUD \/ NOT_RECOGNIZED\) /);
      expect(String(doc.memo)).toContain(`2Checkout order ${ref} · chargeback WON`);
    }
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([0, 0]);
    expect(Number(l.invoices[0]!.amountRemaining)).toBe(0);
  });

  it('opened, then lost: a credit memo from the invoice and a refund out of the chargeback account', async () => {
    const ref = refNo(12);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, has('payment'));
    await send(chargeback(sale, 'OPEN', { messageId: 'CB12A' }));
    await stack.waitForOrder(ref, settled('dispute:CB12A'));
    await send(chargeback(sale, 'LOST', { messageId: 'CB12B' }));
    await stack.waitForOrder(ref, settled('refund:CB12B'));

    expect(await disputeStatus(ref)).toBe('LOST');
    const l = ledgerFor(stack, ref);
    expect([l.creditMemos.length, l.customerRefunds.length]).toEqual([1, 1]);
    const { creditMemo, refund } = expectCreditAndRefund(l, {
      refNo: ref,
      eventRef: 'CB12B',
      amount: 99,
      account: CHARGEBACK_ACCOUNT,
    });
    expect(String(creditMemo.memo)).toContain('chargeback lost');
    expect(String(refund.memo)).toContain('MERCHANDISE_NOT_RECEIVED');
    expect(String(l.invoices[0]!.custbody_2co_dispute)).toMatch(/^LOST /);
  });

  it('an unknown CHARGEBACK_RESOLUTION parks with UNKNOWN_DISPUTE_RESOLUTION and writes nothing', async () => {
    const ref = refNo(13);
    const sale = cardOrder(ref, 'COMPLETE');
    await send(sale);
    await stack.waitForOrder(ref, has('payment'));
    await send(chargeback(sale, 'REPRESENTED', { messageId: 'CB13' }));
    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
    expect(parked.park).toMatchObject({ reason: 'UNKNOWN_DISPUTE_RESOLUTION', step: 'dispute:CB13' });
    expect(parked.park?.message).toContain('refunds.chargebackResolutions');
    expect(ledgerFor(stack, ref).invoices[0]!.custbody_2co_dispute).toBeUndefined();
  });
});
