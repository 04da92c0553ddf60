// The verdict of a chaos run: the NetSuite sandbox's ledger read back and held against what was
// sent. Every order: one sales order, one invoice and one payment, each for what the shopper paid;
// every refund event: one credit memo and one customer refund for its amount; one customer per
// shopper; no twin records of any kind (the sandbox's own duplicate report).
import { z } from 'zod';
import { externalIds } from '../../../mappings/ids.js';
import { getJson } from '../bench/sync-watch.js';
import type { ChaosOrder } from './scenario.js';

const records = z.array(z.record(z.string(), z.unknown()));
export const duplicateReport = z.object({
  customersByEmail: z.array(z.object({ email: z.string(), ids: z.array(z.string()) })),
  transactionsByRefNo: z.array(z.object({ type: z.string(), refNo: z.string(), ids: z.array(z.string()) })),
  moneyRecordsByKey: z.array(z.object({ type: z.string(), key: z.string(), ids: z.array(z.string()) })),
});

export interface LedgerVerdict {
  orders: number;
  /** Orders with a record missing (sales order, invoice, payment or a refund). */
  lost: number;
  /** Orders or refunds with a record more than once, plus twin customers. */
  duplicated: number;
  /** Records whose amount differs from what was sent. */
  wrongTotals: number;
  refunds: { expected: number; found: number };
  customers: { shoppers: number; found: number; twins: number };
  /** A few examples of each problem, for the person reading the report. */
  examples: string[];
}

const centsOf = (v: unknown): number => Math.round(Number(v) * 100);
/** The customer a document belongs to: `entity` on orders and invoices, `customer` on payments. */
const entityId = (r: Record<string, unknown>): string | undefined => {
  const e = r.entity ?? r.customer;
  return typeof e === 'object' && e !== null && 'id' in e ? String((e as { id: unknown }).id) : undefined;
};

export async function checkLedger(sandboxUrl: string, orders: ChaosOrder[]): Promise<LedgerVerdict> {
  const load = (type: string) => getJson(`${sandboxUrl}/__sandbox/records/${type}`, records);
  const [customers, salesOrders, invoices, payments, creditMemos, refunds] = await Promise.all(
    ['customer', 'salesOrder', 'invoice', 'customerPayment', 'creditMemo', 'customerRefund'].map(load),
  );
  const dupes = await getJson(`${sandboxUrl}/__sandbox/duplicates`, duplicateReport);
  const byExternalId = (rs: Array<Record<string, unknown>>) => {
    const m = new Map<string, Array<Record<string, unknown>>>();
    for (const r of rs) {
      const id = String(r.externalId ?? '');
      m.set(id, [...(m.get(id) ?? []), r]);
    }
    return m;
  };
  const so = byExternalId(salesOrders!);
  const inv = byExternalId(invoices!);
  const pay = byExternalId(payments!);
  const byPrefix = (rs: Array<Record<string, unknown>>, prefix: string) => rs.filter((r) => String(r.externalId ?? '').startsWith(prefix));

  const examples: string[] = [];
  const note = (s: string) => {
    if (examples.length < 20) examples.push(s);
  };
  let lost = 0;
  let duplicated = 0;
  let wrongTotals = 0;
  let refundsExpected = 0;
  let refundsFound = 0;
  for (const o of orders) {
    const found = { so: so.get(externalIds.salesOrder(o.refNo)) ?? [], inv: inv.get(externalIds.invoice(o.refNo)) ?? [], pay: pay.get(externalIds.customerPayment(o.refNo)) ?? [] };
    const cm = byPrefix(creditMemos!, externalIds.creditMemo(o.refNo, 'x').slice(0, -1));
    const rf = byPrefix(refunds!, externalIds.customerRefund(o.refNo, 'x').slice(0, -1));
    refundsExpected += o.refundCents.length;
    refundsFound += Math.min(rf.length, o.refundCents.length);
    const missing = [found.so, found.inv, found.pay].some((x) => x.length === 0) || cm.length < o.refundCents.length || rf.length < o.refundCents.length;
    const twice = [found.so, found.inv, found.pay].some((x) => x.length > 1) || cm.length > o.refundCents.length || rf.length > o.refundCents.length;
    if (missing) {
      lost += 1;
      note(`order ${o.refNo}: missing records (so ${found.so.length}, invoice ${found.inv.length}, payment ${found.pay.length}, credit memos ${cm.length}/${o.refundCents.length}, refunds ${rf.length}/${o.refundCents.length})`);
    }
    if (twice) {
      duplicated += 1;
      note(`order ${o.refNo}: records more than once (so ${found.so.length}, invoice ${found.inv.length}, payment ${found.pay.length}, credit memos ${cm.length}, refunds ${rf.length})`);
    }
    const amounts: Array<[string, unknown, number]> = [
      ...found.so.map((r): [string, unknown, number] => ['sales order total', r.total, o.totalCents]),
      ...found.inv.map((r): [string, unknown, number] => ['invoice total', r.total, o.totalCents]),
      ...found.pay.map((r): [string, unknown, number] => ['payment', r.payment, o.totalCents]),
      ...cm.map((r, i): [string, unknown, number] => ['credit memo total', r.total, o.refundCents[i] ?? o.refundCents[0] ?? 0]),
      ...rf.map((r, i): [string, unknown, number] => ['customer refund total', r.total, o.refundCents[i] ?? o.refundCents[0] ?? 0]),
    ];
    const wrong = amounts.filter(([, got, want]) => centsOf(got) !== want);
    if (wrong.length > 0) {
      wrongTotals += 1;
      note(`order ${o.refNo}: ${wrong.map(([what, got, want]) => `${what} ${String(got)} ≠ ${(want / 100).toFixed(2)}`).join(', ')}`);
    }
    // The order's documents all belong to its shopper's one customer.
    const entities = new Set([...found.so, ...found.inv, ...found.pay].map(entityId).filter((e) => e !== undefined));
    if (entities.size > 1) {
      duplicated += 1;
      note(`order ${o.refNo}: documents on ${entities.size} different customers`);
    }
  }
  const emails = new Set(orders.map((o) => o.email));
  const ours = customers!.filter((c) => emails.has(String(c.email ?? '').toLowerCase()));
  const twins = dupes.customersByEmail.length;
  for (const d of dupes.customersByEmail.slice(0, 5)) note(`customer ${d.email}: ${d.ids.length} records`);
  for (const d of dupes.transactionsByRefNo.slice(0, 5)) note(`${d.type} for REFNO ${d.refNo}: ${d.ids.length} records`);
  for (const d of dupes.moneyRecordsByKey.slice(0, 5)) note(`${d.type} ${d.key}: ${d.ids.length} records`);
  duplicated += twins + dupes.transactionsByRefNo.length + dupes.moneyRecordsByKey.length;
  const shoppers = new Set(orders.map((o) => o.shopper)).size;
  return {
    orders: orders.length,
    lost,
    duplicated,
    wrongTotals,
    refunds: { expected: refundsExpected, found: refundsFound },
    customers: { shoppers, found: ours.length, twins },
    examples,
  };
}
