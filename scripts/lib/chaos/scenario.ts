// The chaos run's burst, drawn from a seed: orders from new and returning shoppers in several
// currencies, some sent as a status sequence, some with a stale status arriving after COMPLETE,
// some delivered twice, some partly refunded (and the refund delivered twice), each with what the
// NetSuite ledger must show afterwards. Sent in three waves (first statuses; later statuses and
// redeliveries; refunds) so "after" means after.
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import { cardOrder, eurOrder, jpyOrder, partialRefund, returningCustomerOrder } from '../../../sandbox/twocheckout/scenarios.js';
import { signedIpn, type IpnOrderInput } from '../../../sandbox/twocheckout/sender.js';
import { parseForm } from '../../../twocheckout/webhooks/form.js';
import { ipnToOrderEvent } from '../../../mappings/from-2checkout.js';
import { substream, type Random } from './random.js';

export type OrderKind = 'usd' | 'eur' | 'jpy' | 'returning';
export type StatusPath = 'complete' | 'sequence' | 'staleAfterComplete';

export interface ChaosOrder {
  refNo: string;
  kind: OrderKind;
  path: StatusPath;
  /** Same key ⇒ same shopper ⇒ one NetSuite customer. */
  shopper: string;
  email: string;
  redelivered: boolean;
  /** IPN_TOTALGENERAL of the paid order, in cents of its currency (the ledger's invoice and payment). */
  totalCents: number;
  /** Partial refund amounts (cents), one per refund event. */
  refundCents: number[];
}

export interface ChaosBurst {
  orders: ChaosOrder[];
  /** Signed IPN bodies by wave. */
  waves: [string[], string[], string[]];
  counts: { notifications: number; redeliveries: number; staleStatuses: number; refunds: number; refundRedeliveries: number; byKind: Record<OrderKind, number>; shoppers: number };
}

const MINUTE = 60_000;
const sign = (o: IpnOrderInput) => signedIpn(o, DEMO_ENV.TWOCHECKOUT_SECRET_KEY);
const cents = (body: string) => Math.round(Math.abs(Number(ipnToOrderEvent(parseForm(body)).totals.general)) * 100);

function draw(rnd: Random): OrderKind {
  const r = rnd();
  return r < 0.55 ? 'usd' : r < 0.7 ? 'eur' : r < 0.8 ? 'jpy' : 'returning';
}

export function buildBurst(opts: { count: number; seed: number; firstRefNo: number; at: Date }): ChaosBurst {
  const rnd = substream(opts.seed, `burst-${opts.firstRefNo}`);
  // Returning shoppers place several orders in the run, often at the same moment.
  const pool = Math.max(2, Math.round(opts.count * 0.04));
  const waves: ChaosBurst['waves'] = [[], [], []];
  const counts: ChaosBurst['counts'] = { notifications: 0, redeliveries: 0, staleStatuses: 0, refunds: 0, refundRedeliveries: 0, byKind: { usd: 0, eur: 0, jpy: 0, returning: 0 }, shoppers: 0 };
  const shoppers = new Set<string>();
  const orders: ChaosOrder[] = [];
  for (let i = 0; i < opts.count; i += 1) {
    const refNo = String(opts.firstRefNo + i);
    const kind = draw(rnd);
    const shopper = kind === 'returning' ? `shopper-${opts.seed}-${Math.floor(rnd() * pool)}` : refNo;
    const at = new Date(opts.at.getTime() + i * 1_000);
    const paid: IpnOrderInput =
      kind === 'usd' ? cardOrder(refNo, 'COMPLETE', { at }) : kind === 'eur' ? eurOrder(refNo, { at }) : kind === 'jpy' ? jpyOrder(refNo, { at }) : returningCustomerOrder(refNo, { customerSeed: shopper, at });
    const r = rnd();
    const path: StatusPath = r < 0.7 ? 'complete' : r < 0.85 ? 'sequence' : 'staleAfterComplete';
    const status = (s: IpnOrderInput['status'], minutesBefore: number): IpnOrderInput => ({ ...paid, status: s, at: new Date(at.getTime() - minutesBefore * MINUTE) });
    const completeBody = sign(paid);
    if (path === 'sequence') {
      waves[0].push(sign(status('PENDING', 2)));
      waves[1].push(sign(status('PAYMENT_AUTHORIZED', 1)), completeBody);
      counts.notifications += 3;
    } else if (path === 'staleAfterComplete') {
      waves[0].push(completeBody);
      waves[1].push(sign(status('PENDING', 2)));
      counts.notifications += 2;
      counts.staleStatuses += 1;
    } else {
      waves[0].push(completeBody);
      counts.notifications += 1;
    }
    const redelivered = rnd() < 0.1;
    if (redelivered) {
      waves[1].push(completeBody);
      counts.redeliveries += 1;
      counts.notifications += 1;
    }
    const refundCents: number[] = [];
    if (rnd() < 0.2) {
      const amount = kind === 'jpy' ? '500' : '10.00';
      const refund = sign(partialRefund(paid, { amount, at: new Date(at.getTime() + 60 * MINUTE), reason: 'chaos partial refund' }));
      waves[2].push(refund);
      refundCents.push(cents(refund));
      counts.refunds += 1;
      counts.notifications += 1;
      if (rnd() < 0.25) {
        waves[2].push(refund);
        counts.refundRedeliveries += 1;
        counts.notifications += 1;
      }
    }
    counts.byKind[kind] += 1;
    shoppers.add(shopper);
    orders.push({ refNo, kind, path, shopper, email: paid.customer.email!.toLowerCase(), redelivered, totalCents: cents(completeBody), refundCents });
  }
  counts.shoppers = shoppers.size;
  // Within a wave the order is shuffled, as 2Checkout's deliveries interleave.
  for (const wave of waves) shuffle(wave, rnd);
  return { orders, waves, counts };
}

function shuffle<T>(items: T[], rnd: Random): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
