// Reading the NetSuite sandbox's ledger for one 2Checkout order, as finance would look at it:
// the documents, their lines and amounts, and the links between them.
import { expect } from 'vitest';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/ipn-fields.js';
import { SECRET_KEY, type TestStack } from '../support/stack.js';

export type NsRecord = Record<string, unknown>;

export const idOf = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null && 'id' in v ? String((v as { id: unknown }).id) : undefined;

export interface NsLine {
  item: string;
  amount: number;
  quantity?: number;
  rate?: number;
  isClosed?: boolean;
  line?: number;
}

export function itemLines(rec: NsRecord | undefined): NsLine[] {
  const items = (rec?.item as { items?: NsRecord[] } | undefined)?.items ?? [];
  return items.map((l) => ({
    item: idOf(l.item) ?? '',
    amount: Number(l.amount),
    ...(typeof l.quantity === 'number' ? { quantity: l.quantity } : {}),
    ...(typeof l.rate === 'number' ? { rate: l.rate } : {}),
    ...(typeof l.isClosed === 'boolean' ? { isClosed: l.isClosed } : {}),
    ...(typeof l.line === 'number' ? { line: l.line } : {}),
  }));
}

export function applyLines(rec: NsRecord | undefined): Array<{ doc: string; amount: number }> {
  const items = (rec?.apply as { items?: NsRecord[] } | undefined)?.items ?? [];
  return items.filter((l) => l.apply !== false).map((l) => ({ doc: idOf(l.doc) ?? '', amount: Number(l.amount) }));
}

/** Cents of a list of amounts (sums without binary-float drift). */
export const cents = (amounts: number[]): number => amounts.reduce((s, a) => s + Math.round(a * 100), 0);

export function ledgerFor(stack: TestStack, refNo: string) {
  const byRef = (type: string) =>
    stack.sandbox
      .records(type)
      .filter((r) => r.otherRefNum === refNo || String(r.externalId ?? '').includes(`-${refNo}`));
  return {
    salesOrders: byRef('salesOrder'),
    invoices: byRef('invoice'),
    payments: byRef('customerPayment'),
    cashSales: byRef('cashSale'),
    creditMemos: byRef('creditMemo'),
    customerRefunds: byRef('customerRefund'),
    cashRefunds: byRef('cashRefund'),
  };
}

export function sendIpn(stack: TestStack) {
  return async (order: IpnOrderInput): Promise<void> => {
    const res = await postNotification(stack.ipnUrl, signedIpn(order, SECRET_KEY), { secretKey: SECRET_KEY });
    expect(res.status).toBe(200);
    expect(res.receiptValid).toBe(true);
  };
}

/** A credit memo with its customer refund: amounts add up on lines and header, and each document points at the right one. */
export function expectCreditAndRefund(
  l: ReturnType<typeof ledgerFor>,
  opts: { refNo: string; eventRef: string; amount: number; account: string },
): { creditMemo: NsRecord; refund: NsRecord } {
  const invoice = l.invoices[0]!;
  const creditMemo = l.creditMemos.find((c) => c.externalId === `2co-cm-${opts.refNo}-${opts.eventRef}`);
  expect(creditMemo, `credit memo for ${opts.eventRef}`).toBeDefined();
  expect(idOf(creditMemo!.createdFrom)).toBe(String(invoice.id));
  expect(idOf(creditMemo!.entity)).toBe(idOf(invoice.entity));
  expect(Number(creditMemo!.total)).toBe(opts.amount);
  expect(cents(itemLines(creditMemo).map((x) => x.amount))).toBe(Math.round(opts.amount * 100));
  // The invoice was paid: the credit stays unapplied to it and is paid out in full by the refund.
  expect(Number(creditMemo!.amountRemaining)).toBe(0);
  const refund = l.customerRefunds.find((r) => r.externalId === `2co-rf-${opts.refNo}-${opts.eventRef}`);
  expect(refund, `customer refund for ${opts.eventRef}`).toBeDefined();
  expect(applyLines(refund)).toEqual([{ doc: String(creditMemo!.id), amount: opts.amount }]);
  expect(Number(refund!.total)).toBe(opts.amount);
  expect(idOf(refund!.account)).toBe(opts.account);
  expect(idOf(refund!.customer)).toBe(idOf(invoice.entity));
  return { creditMemo: creditMemo!, refund: refund! };
}
