// "The previous tool": books 2Checkout orders into the NetSuite sandbox the way a typical iPaaS
// template (tray.ai, Celigo) does, so adoption, shadow mode and the cut-over (docs/cutover.md) can be
// tried and tested over an account another integration already fills. Each order is recorded in
// 2Checkout's store (the API sandbox lists it; no webhook is sent) and, unless it is one of the
// missing share, booked over NetSuite's REST API as such a template books it:
//   - a customer of its own per shopper (an externalId `tray-cust-…` of its own, or none);
//   - a sales order with its own externalId or none, the REFNO in otherRefNum (most templates) or
//     only in the memo (`tray.io 2Checkout order #<REFNO>`), none of this sync's custom fields;
//   - the invoice made from it, and the payment of the invoice, keyed the same way;
//   - for a share of the orders, a small difference (the tool rounded tax, missed a fee…): the
//     sales order's first line is off by a few cents to a few units.
// Deterministic: the same plan books the same orders.
import type { MappingConfig } from '../mappings/config-schema.js';
import { ipnToOrderEvent } from '../mappings/from-2checkout.js';
import { buildCustomerPayment, buildSalesOrder } from '../mappings/sale-records.js';
import type { NetSuiteClient } from '../netsuite/types.js';
import { parseForm } from '../twocheckout/webhooks/form.js';
import { cardOrder, eurOrder } from './twocheckout/scenarios.js';
import { buildIpnFields, encodeForm, type IpnOrderInput } from './twocheckout/sender.js';

/** The memo the previous tool writes when it does not use otherRefNum (a `memo` adoption rule reads it). */
export const PREVIOUS_TOOL_MEMO = 'tray.io 2Checkout order #{refNo}';

/** The `adoption:` entries that recognise this tool's records (otherRefNum is the default one). */
export const PREVIOUS_TOOL_ADOPTION_MATCH = [
  { field: 'otherRefNum', pattern: '{refNo}' },
  { field: 'memo', pattern: PREVIOUS_TOOL_MEMO },
] as const;

export interface PreviousToolPlan {
  /** How many orders 2Checkout has. */
  orders: number;
  /** Of those, how many the tool never booked. */
  missing: number;
  /** Of the booked ones, how many it booked with a small difference. */
  different: number;
  /**
   * First sale day (YYYY-MM-DD): orders are spread over `days` days from it, 06:00–18:00 UTC; or an
   * instant (ISO date-time): orders are sold a second apart from it.
   */
  from: string;
  days?: number;
  /** REFNOs are `<refNoBase + i>`. */
  refNoBase: number;
}

export interface PreviousToolOrder {
  refNo: string;
  input: IpnOrderInput;
  booking: 'equal' | 'different' | 'missing';
  /** Where the tool put the REFNO. */
  keyedBy: 'otherRefNum' | 'memo';
  /** Whether the tool gave its records externalIds of its own. */
  ownExternalIds: boolean;
  /** 'different': what the tool's total is off by (minor units, added). */
  differenceMinor?: number;
}

export interface PreviousToolRecords {
  customerId: string;
  salesOrderId: string;
  invoiceId: string;
  paymentId: string;
}

const DIFFERENCES = [1, 50, 100, 250, 3];

/** Spreads `k` of `n` positions evenly (the same ones every time). */
function evenly(n: number, k: number, offset = 0): Set<number> {
  const out = new Set<number>();
  for (let j = 0; j < k; j++) out.add((Math.floor(((j + 0.5) * n) / k) + offset) % n);
  return out;
}

export function planPreviousToolOrders(p: PreviousToolPlan): PreviousToolOrder[] {
  if (p.missing + p.different > p.orders)
    throw new RangeError(`missing (${p.missing}) + different (${p.different}) is more than the ${p.orders} orders`);
  const days = Math.max(1, p.days ?? 1);
  const missing = evenly(p.orders, p.missing);
  const booked = [...Array(p.orders).keys()].filter((i) => !missing.has(i));
  const different = new Set([...evenly(booked.length, p.different, 1)].map((j) => booked[j]!));
  const perDay = Math.ceil(p.orders / days);
  const instant = p.from.includes('T');
  const dayStart = Date.parse(instant ? p.from : `${p.from}T06:00:00Z`);
  return [...Array(p.orders).keys()].map((i) => {
    const refNo = String(p.refNoBase + i);
    const at = new Date(
      instant
        ? dayStart + i * 1_000
        : dayStart + Math.floor(i / perDay) * 86_400_000 + (i % perDay) * Math.floor((12 * 3_600_000) / perDay),
    );
    const input = i % 9 === 4 ? eurOrder(refNo, { at }) : cardOrder(refNo, 'COMPLETE', { at });
    const booking = missing.has(i) ? 'missing' : different.has(i) ? 'different' : 'equal';
    return {
      refNo,
      input,
      booking,
      keyedBy: i % 10 < 7 ? 'otherRefNum' : 'memo',
      ownExternalIds: i % 2 === 0,
      ...(booking === 'different' ? { differenceMinor: DIFFERENCES[i % DIFFERENCES.length]! } : {}),
    };
  });
}

const eventOf = (input: IpnOrderInput) => ipnToOrderEvent(parseForm(encodeForm(buildIpnFields(input))));

/** Books one order the way the previous tool does; nothing of this sync's keys or custom fields. */
export async function bookLikePreviousTool(
  ns: NetSuiteClient,
  o: PreviousToolOrder,
  config: MappingConfig,
): Promise<PreviousToolRecords> {
  const order = eventOf(o.input);
  const bill = order.customer.billing;
  const key = (kind: string) => (o.ownExternalIds ? { externalId: `tray-${kind}-${o.refNo}` } : {});
  const refField =
    o.keyedBy === 'otherRefNum'
      ? { otherRefNum: o.refNo, memo: `2Checkout ${o.refNo}` }
      : { memo: PREVIOUS_TOOL_MEMO.replace('{refNo}', o.refNo) };
  // The sale lines as a template maps them: the same items and amounts as the order's, for the
  // routing (subsidiary, currency) the account needs.
  const built = buildSalesOrder(order, config, '0').body;
  const subsidiary = built.subsidiary;
  const currency = built.currency;
  const { id: customerId } = await ns.create('customer', {
    ...(o.ownExternalIds ? { externalId: `tray-cust-${bill.email.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}` } : {}),
    isPerson: true,
    firstName: bill.firstName,
    lastName: bill.lastName,
    email: bill.email,
    subsidiary,
    currency,
  });
  const items = ((built.item as { items: Array<Record<string, unknown>> }).items ?? []).map((l) => ({ ...l }));
  if (o.differenceMinor && items[0]) {
    const line = items[0];
    const amount = Number(line.amount) + o.differenceMinor / 100;
    Object.assign(line, { amount, rate: amount / Number(line.quantity ?? 1) });
  }
  const { id: salesOrderId } = await ns.create('salesOrder', {
    ...key('so'),
    entity: { id: customerId },
    tranDate: built.tranDate,
    currency,
    subsidiary,
    ...refField,
    item: { items },
  });
  const invoiceKey = o.keyedBy === 'memo' ? { memo: PREVIOUS_TOOL_MEMO.replace('{refNo}', o.refNo) } : {};
  const { id: invoiceId } = await ns.transform('salesOrder', salesOrderId, 'invoice', {
    ...key('inv'),
    tranDate: built.tranDate,
    ...invoiceKey,
  });
  const payment = buildCustomerPayment(order, config).body;
  const { id: paymentId } = await ns.transform('invoice', invoiceId, 'customerPayment', {
    ...key('pay'),
    tranDate: built.tranDate,
    account: payment.account,
    memo: o.keyedBy === 'memo' ? PREVIOUS_TOOL_MEMO.replace('{refNo}', o.refNo) : `Payment ${o.refNo}`,
  });
  return { customerId, salesOrderId, invoiceId, paymentId };
}

/**
 * Records every planned order in 2Checkout (`record`) and books all but the missing ones in NetSuite,
 * a few at a time; returns the plan with what each booking made.
 */
export async function seedPreviousTool(args: {
  ns: NetSuiteClient;
  config: MappingConfig;
  plan: PreviousToolPlan;
  /** Puts the order into 2Checkout's store (the API sandbox serves it; no webhook is sent). */
  record: (input: IpnOrderInput) => Promise<void>;
  concurrency?: number;
}): Promise<Array<PreviousToolOrder & { records?: PreviousToolRecords }>> {
  const orders = planPreviousToolOrders(args.plan);
  for (const o of orders) await args.record(o.input);
  const out: Array<PreviousToolOrder & { records?: PreviousToolRecords }> = orders.map((o) => ({ ...o }));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < out.length; i = next++) {
      const o = out[i]!;
      if (o.booking !== 'missing') o.records = await bookLikePreviousTool(args.ns, o, args.config);
    }
  };
  await Promise.all([...Array(Math.max(1, args.concurrency ?? 4))].map(worker));
  return out;
}
