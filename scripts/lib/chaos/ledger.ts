// The verdict of a chaos run: the NetSuite sandbox's ledger read back (after every held request
// has landed and every workflow has settled) and held against what was sent. Every paid order: one
// sales order, one invoice and one payment (sales-order mode) or one cash sale (cash-sale mode),
// each for what the shopper paid; every refund and lost chargeback: one credit memo and one customer
// refund (or one cash refund) for its amount; a won chargeback: the dispute on the order's
// documents and no money back; a voided order: nothing billed or paid (in sales-order mode at most
// a sales order whose lines are all closed); every subscription: one record naming its renewal as
// the last order; one customer per shopper; no twin records of any kind (the sandbox's duplicate
// report, which covers every money record). Records are matched by externalId, or — where NetSuite
// dropped a transform body's externalId — by the `[<externalId>]` key the sync writes into the memo.
import { z } from 'zod';
import { externalIds } from '../../../mappings/ids.js';
import { getJson } from '../bench/sync-watch.js';
import type { ChaosOrder, ChaosSubscription } from './scenario.js';

const records = z.array(z.record(z.string(), z.unknown()));
export const duplicateReport = z.object({
  customersByEmail: z.array(z.object({ email: z.string(), ids: z.array(z.string()) })),
  transactionsByRefNo: z.array(z.object({ type: z.string(), refNo: z.string(), ids: z.array(z.string()) })),
  moneyRecordsByKey: z.array(z.object({ type: z.string(), key: z.string(), ids: z.array(z.string()) })),
});

export interface LedgerVerdict {
  orders: number;
  /** Orders with a record missing (sale documents, a refund, a dispute mark, a subscription record). */
  lost: number;
  /** Orders or refunds with a record more than once, twin customers, and records a voided order must not have. */
  duplicated: number;
  /** Records whose amount differs from what was sent. */
  wrongTotals: number;
  refunds: { expected: number; found: number };
  customers: { shoppers: number; found: number; twins: number };
  subscriptions: { expected: number; found: number };
  /** A few examples of each problem, for the person reading the report. */
  examples: string[];
}

type Rec = Record<string, unknown>;
const centsOf = (v: unknown): number => Math.round(Number(v) * 100);
/** The customer a document belongs to: `entity` on orders and invoices, `customer` on payments. */
const entityId = (r: Rec): string | undefined => {
  const e = r.entity ?? r.customer;
  return typeof e === 'object' && e !== null && 'id' in e ? String((e as { id: unknown }).id) : undefined;
};
/** The sync's key of a record: its externalId, or the `[key]` in its memo when NetSuite kept none. */
const keyOf = (r: Rec): string =>
  typeof r.externalId === 'string'
    ? r.externalId
    : (/\[([A-Za-z0-9][A-Za-z0-9_-]*-[A-Za-z0-9_-]+)\]/.exec(String(r.memo ?? ''))?.[1] ?? '');
const lineItems = (r: Rec): Rec[] => (r.item as { items?: Rec[] } | undefined)?.items ?? [];

export async function checkLedger(
  sandboxUrl: string,
  orders: ChaosOrder[],
  subscriptions: ChaosSubscription[] = [],
): Promise<LedgerVerdict> {
  const load = (type: string) => getJson(`${sandboxUrl}/__sandbox/records/${type}`, records);
  const [
    customers,
    salesOrders,
    invoices,
    payments,
    creditMemos,
    refunds,
    cashSales,
    cashRefunds,
    subscriptionRecords,
  ] = await Promise.all(
    [
      'customer',
      'salesOrder',
      'invoice',
      'customerPayment',
      'creditMemo',
      'customerRefund',
      'cashSale',
      'cashRefund',
      'customrecord_2co_subscription',
    ].map(load),
  );
  const dupes = await getJson(`${sandboxUrl}/__sandbox/duplicates`, duplicateReport);
  const byKey = (rs: Rec[]) => {
    const m = new Map<string, Rec[]>();
    for (const r of rs) m.set(keyOf(r), [...(m.get(keyOf(r)) ?? []), r]);
    return m;
  };
  const so = byKey(salesOrders!);
  const inv = byKey(invoices!);
  const pay = byKey(payments!);
  const cs = byKey(cashSales!);
  const byPrefix = (rs: Rec[], prefix: string) => rs.filter((r) => keyOf(r).startsWith(prefix));

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
    const found = {
      so: so.get(externalIds.salesOrder(o.refNo)) ?? [],
      inv: inv.get(externalIds.invoice(o.refNo)) ?? [],
      pay: pay.get(externalIds.customerPayment(o.refNo)) ?? [],
      cs: cs.get(externalIds.cashSale(o.refNo)) ?? [],
    };
    const cmPrefix = externalIds.creditMemo(o.refNo, 'x').slice(0, -1);
    const cm = o.mode === 'cashSale' ? [] : byPrefix(creditMemos!, cmPrefix);
    const rf =
      o.mode === 'cashSale'
        ? byPrefix(cashRefunds!, cmPrefix)
        : byPrefix(refunds!, externalIds.customerRefund(o.refNo, 'x').slice(0, -1));
    const docs = o.mode === 'cashSale' ? [found.cs] : [found.so, found.inv, found.pay];
    const strays = o.mode === 'cashSale' ? [...found.so, ...found.inv, ...found.pay] : found.cs;

    if (o.path === 'voided') {
      // Released before capture: nothing billed, paid or credited; a sales order only with every line closed.
      const billed = [...found.inv, ...found.pay, ...found.cs, ...cm, ...rf, ...byPrefix(creditMemos!, cmPrefix)];
      const openLines = found.so.flatMap(lineItems).filter((l) => l.isClosed !== true);
      if (
        billed.length > 0 ||
        found.so.length > 1 ||
        openLines.length > 0 ||
        (o.mode === 'cashSale' && found.so.length > 0)
      ) {
        duplicated += 1;
        note(
          `voided order ${o.refNo} (${o.mode}): sales orders ${found.so.length} with ${openLines.length} open lines, ${billed.length} billed/credited records`,
        );
      }
      continue;
    }

    refundsExpected += o.refundCents.length;
    refundsFound += Math.min(rf.length, o.refundCents.length);
    const missing =
      docs.some((x) => x.length === 0) ||
      (o.mode === 'salesOrder' && cm.length < o.refundCents.length) ||
      rf.length < o.refundCents.length;
    const twice =
      docs.some((x) => x.length > 1) ||
      strays.length > 0 ||
      cm.length > o.refundCents.length ||
      rf.length > o.refundCents.length;
    const counts = `so ${found.so.length}, invoice ${found.inv.length}, payment ${found.pay.length}, cash sale ${found.cs.length}, credit memos ${cm.length}, refunds ${rf.length}/${o.refundCents.length}`;
    if (missing) {
      lost += 1;
      note(`order ${o.refNo} (${o.mode}): missing records (${counts})`);
    }
    if (twice) {
      duplicated += 1;
      note(`order ${o.refNo} (${o.mode}): records more than once or of the other mode (${counts})`);
    }
    // Credits in the order they were posted: each for one money-back event (amounts may repeat).
    const expectAmounts = (what: string, rs: Rec[]) =>
      rs.map((r, i): [string, unknown, number] => [what, r.total, o.refundCents[i] ?? o.refundCents[0] ?? 0]);
    const amounts: Array<[string, unknown, number]> = [
      ...found.so.map((r): [string, unknown, number] => ['sales order total', r.total, o.totalCents]),
      ...found.inv.map((r): [string, unknown, number] => ['invoice total', r.total, o.totalCents]),
      ...found.pay.map((r): [string, unknown, number] => ['payment', r.payment, o.totalCents]),
      ...found.cs.map((r): [string, unknown, number] => ['cash sale total', r.total, o.totalCents]),
      ...expectAmounts('credit memo total', cm),
      ...expectAmounts(o.mode === 'cashSale' ? 'cash refund total' : 'customer refund total', rf),
    ];
    const wrong = amounts.filter(([, got, want]) => centsOf(got) !== want);
    if (wrong.length > 0) {
      wrongTotals += 1;
      note(
        `order ${o.refNo}: ${wrong.map(([what, got, want]) => `${what} ${String(got)} ≠ ${(want / 100).toFixed(2)}`).join(', ')}`,
      );
    }
    if (o.chargeback) {
      // The dispute is written on the order's documents (refunds.disputeField), won or lost.
      const marked = [...found.so, ...found.inv, ...found.cs].filter((r) =>
        String(r.custbody_2co_dispute ?? '').startsWith(o.chargeback!),
      );
      if (marked.length === 0) {
        lost += 1;
        note(`order ${o.refNo}: chargeback ${o.chargeback} not written on its documents`);
      }
    }
    // The order's documents all belong to its shopper's one customer.
    const entities = new Set(
      [...found.so, ...found.inv, ...found.pay, ...found.cs].map(entityId).filter((e) => e !== undefined),
    );
    if (entities.size > 1) {
      duplicated += 1;
      note(`order ${o.refNo}: documents on ${entities.size} different customers`);
    }
  }
  let subscriptionsFound = 0;
  for (const s of subscriptions) {
    const recs = subscriptionRecords!.filter((r) => r.externalId === externalIds.subscription(s.licenseCode));
    if (recs.length === 1 && String(recs[0]!.custrecord_2co_sub_last_order ?? '') === s.lastOrder)
      subscriptionsFound += 1;
    else if (recs.length > 1) {
      duplicated += 1;
      note(`subscription ${s.licenseCode}: ${recs.length} records`);
    } else {
      lost += 1;
      note(
        `subscription ${s.licenseCode}: ${recs.length === 0 ? 'no record' : `last order ${String(recs[0]!.custrecord_2co_sub_last_order)} ≠ ${s.lastOrder}`}`,
      );
    }
  }
  // A shopper whose only order was voided may or may not have a customer (it depends on whether the
  // void overtook the authorisation): only shoppers with a paid order must have exactly one.
  const paidOrders = orders.filter((o) => o.path !== 'voided');
  const emails = new Set(paidOrders.map((o) => o.email));
  const ours = customers!.filter((c) => emails.has(String(c.email ?? '').toLowerCase()));
  const twins = dupes.customersByEmail.length;
  for (const d of dupes.customersByEmail.slice(0, 5)) note(`customer ${d.email}: ${d.ids.length} records`);
  for (const d of dupes.transactionsByRefNo.slice(0, 5))
    note(`${d.type} for REFNO ${d.refNo}: ${d.ids.length} records`);
  for (const d of dupes.moneyRecordsByKey.slice(0, 5)) note(`${d.type} ${d.key}: ${d.ids.length} records`);
  duplicated += twins + dupes.transactionsByRefNo.length + dupes.moneyRecordsByKey.length;
  const shoppers = new Set(paidOrders.map((o) => o.shopper)).size;
  return {
    orders: orders.length,
    lost,
    duplicated,
    wrongTotals,
    refunds: { expected: refundsExpected, found: refundsFound },
    customers: { shoppers, found: ours.length, twins },
    subscriptions: { expected: subscriptions.length, found: subscriptionsFound },
    examples,
  };
}
