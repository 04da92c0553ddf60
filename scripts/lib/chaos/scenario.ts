// The chaos run's burst, drawn from a seed: orders from new and returning shoppers in several
// currencies, booked as sales orders or (a share of them, through a cash-sale gateway) as cash
// sales; some sent as a status sequence, some with a stale status arriving after COMPLETE, some
// delivered twice, some partly refunded (and the refund delivered twice), some disputed (a
// chargeback won, or lost and paid back), some voided before capture (REVERSED / CANCELED after
// PAYMENT_AUTHORIZED), and subscriptions with a renewal order. Each with what the NetSuite ledger
// must show afterwards. Sent in three waves (first statuses; later statuses, redeliveries and
// renewals; money back) so "after" means after.
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import {
  cancellation,
  cardOrder,
  chargeback,
  eurOrder,
  jpyOrder,
  licenseRefFor,
  partialRefund,
  renewalOrder,
  returningCustomerOrder,
  reversal,
  subscriptionOrder,
} from '../../../sandbox/twocheckout/scenarios.js';
import { signedIpn, type IpnOrderInput } from '../../../sandbox/twocheckout/sender.js';
import { parseForm } from '../../../twocheckout/webhooks/form.js';
import { ipnToOrderEvent } from '../../../mappings/from-2checkout.js';
import { substream, type Random } from './random.js';

export type OrderKind = 'usd' | 'eur' | 'jpy' | 'returning' | 'subscription' | 'renewal';
export type StatusPath = 'complete' | 'sequence' | 'staleAfterComplete' | 'voided';
/** How the order is booked: the gateway it is sent to says (POSTING_MODE). */
export type PostingMode = 'salesOrder' | 'cashSale';

export interface ChaosOrder {
  refNo: string;
  kind: OrderKind;
  mode: PostingMode;
  path: StatusPath;
  /** Same key ⇒ same shopper ⇒ one NetSuite customer. */
  shopper: string;
  email: string;
  redelivered: boolean;
  /** IPN_TOTALGENERAL of the paid order, in cents of its currency (the ledger's invoice and payment, or cash sale). */
  totalCents: number;
  /** Money going back (cents), one per event: partial refunds, and a lost chargeback (the whole order). */
  refundCents: number[];
  /** A chargeback update, when the order has one. */
  chargeback?: 'WON' | 'LOST';
  /** The subscription this order pays (first order or renewal). */
  licenseCode?: string;
}

export interface ChaosSubscription {
  licenseCode: string;
  /** The REFNO the subscription record must name as its last order (the renewal). */
  lastOrder: string;
}

/** One notification and the gateway (posting mode) it goes to. */
export interface ChaosNotification {
  body: string;
  mode: PostingMode;
}

export interface ChaosBurst {
  orders: ChaosOrder[];
  subscriptions: ChaosSubscription[];
  /** Signed IPN bodies by wave. */
  waves: [ChaosNotification[], ChaosNotification[], ChaosNotification[]];
  counts: {
    notifications: number;
    redeliveries: number;
    staleStatuses: number;
    refunds: number;
    refundRedeliveries: number;
    chargebacks: { won: number; lost: number };
    voids: number;
    cashSales: number;
    subscriptions: number;
    byKind: Record<OrderKind, number>;
    shoppers: number;
  };
}

const MINUTE = 60_000;
const sign = (o: IpnOrderInput) => signedIpn(o, DEMO_ENV.TWOCHECKOUT_SECRET_KEY);
const cents = (body: string) => Math.round(Math.abs(Number(ipnToOrderEvent(parseForm(body)).totals.general)) * 100);

function draw(rnd: Random): Exclude<OrderKind, 'renewal'> {
  const r = rnd();
  return r < 0.45 ? 'usd' : r < 0.6 ? 'eur' : r < 0.7 ? 'jpy' : r < 0.88 ? 'returning' : 'subscription';
}

export function buildBurst(opts: { count: number; seed: number; firstRefNo: number; at: Date }): ChaosBurst {
  const rnd = substream(opts.seed, `burst-${opts.firstRefNo}`);
  // Returning shoppers place several orders in the run, often at the same moment.
  const pool = Math.max(2, Math.round(opts.count * 0.04));
  const waves: ChaosBurst['waves'] = [[], [], []];
  const counts: ChaosBurst['counts'] = {
    notifications: 0,
    redeliveries: 0,
    staleStatuses: 0,
    refunds: 0,
    refundRedeliveries: 0,
    chargebacks: { won: 0, lost: 0 },
    voids: 0,
    cashSales: 0,
    subscriptions: 0,
    byKind: { usd: 0, eur: 0, jpy: 0, returning: 0, subscription: 0, renewal: 0 },
    shoppers: 0,
  };
  const shoppers = new Set<string>();
  const orders: ChaosOrder[] = [];
  const subscriptions: ChaosSubscription[] = [];
  let next = opts.firstRefNo;
  // A renewal takes a REFNO of its own, so `count` bounds the first orders, not the REFNOs.
  for (let i = 0; i < opts.count; i += 1) {
    const refNo = String(next++);
    const kind = draw(rnd);
    const shopper = kind === 'returning' ? `shopper-${opts.seed}-${Math.floor(rnd() * pool)}` : refNo;
    const at = new Date(opts.at.getTime() + i * 1_000);
    const paid: IpnOrderInput =
      kind === 'usd'
        ? cardOrder(refNo, 'COMPLETE', { at })
        : kind === 'eur'
          ? eurOrder(refNo, { at })
          : kind === 'jpy'
            ? jpyOrder(refNo, { at })
            : kind === 'subscription'
              ? subscriptionOrder(refNo, { at })
              : returningCustomerOrder(refNo, { customerSeed: shopper, at });
    // Subscriptions stay in sales-order mode (their renewals are orders of the same shopper).
    const mode: PostingMode = kind !== 'subscription' && rnd() < 0.25 ? 'cashSale' : 'salesOrder';
    const send = (wave: 0 | 1 | 2, body: string) => {
      waves[wave].push({ body, mode });
      counts.notifications += 1;
    };
    const followUp = kind === 'subscription' ? 0.99 : rnd();
    const voided = followUp < 0.05;
    const r = rnd();
    const path: StatusPath = voided ? 'voided' : r < 0.7 ? 'complete' : r < 0.85 ? 'sequence' : 'staleAfterComplete';
    const status = (s: IpnOrderInput['status'], minutesBefore: number): IpnOrderInput => ({
      ...paid,
      status: s,
      at: new Date(at.getTime() - minutesBefore * MINUTE),
    });
    const completeBody = sign(paid);
    if (path === 'voided') {
      // Authorised, then released (or cancelled) before capture: nothing is billed or paid.
      const authorized = status('PAYMENT_AUTHORIZED', 2);
      waves[0].push({ body: sign(authorized), mode });
      const end =
        rnd() < 0.5
          ? reversal(authorized, { messageId: `V${refNo}` })
          : cancellation(authorized, { messageId: `V${refNo}` });
      waves[1].push({ body: sign(end), mode });
      counts.notifications += 2;
      counts.voids += 1;
    } else if (path === 'sequence') {
      send(0, sign(status('PENDING', 2)));
      send(1, sign(status('PAYMENT_AUTHORIZED', 1)));
      send(1, completeBody);
    } else if (path === 'staleAfterComplete') {
      send(0, completeBody);
      send(1, sign(status('PENDING', 2)));
      counts.staleStatuses += 1;
    } else {
      send(0, completeBody);
    }
    const redelivered = !voided && rnd() < 0.1;
    if (redelivered) {
      send(1, completeBody);
      counts.redeliveries += 1;
    }
    const refundCents: number[] = [];
    let dispute: ChaosOrder['chargeback'];
    if (!voided && followUp < 0.25) {
      const amount = kind === 'jpy' ? '500' : '10.00';
      const refund = sign(
        partialRefund(paid, {
          amount,
          at: new Date(at.getTime() + 60 * MINUTE),
          reason: 'chaos partial refund',
          messageId: `R${refNo}`,
        }),
      );
      send(2, refund);
      refundCents.push(cents(refund));
      counts.refunds += 1;
      if (rnd() < 0.25) {
        send(2, refund);
        counts.refundRedeliveries += 1;
      }
    } else if (!voided && followUp < 0.3) {
      dispute = 'WON';
      send(2, sign(chargeback(paid, 'WON', { messageId: `C${refNo}` })));
      counts.chargebacks.won += 1;
    } else if (!voided && followUp < 0.35) {
      dispute = 'LOST';
      const lost = sign(chargeback(paid, 'LOST', { messageId: `C${refNo}` }));
      send(2, lost);
      // A lost chargeback pays the whole order back, out of the chargeback account.
      refundCents.push(cents(lost));
      counts.chargebacks.lost += 1;
    }
    if (mode === 'cashSale') counts.cashSales += 1;
    counts.byKind[kind] += 1;
    shoppers.add(shopper);
    const licenseCode = kind === 'subscription' ? licenseRefFor(refNo) : undefined;
    orders.push({
      refNo,
      kind,
      mode,
      path,
      shopper,
      email: paid.customer.email!.toLowerCase(),
      redelivered,
      totalCents: cents(completeBody),
      refundCents,
      ...(dispute ? { chargeback: dispute } : {}),
      ...(licenseCode ? { licenseCode } : {}),
    });
    if (kind === 'subscription' && licenseCode) {
      // The renewal: a new order of the same shopper a month later, paying the next period.
      const renewalRef = String(next++);
      const renewal = renewalOrder(renewalRef, {
        at: new Date(at.getTime() + 30 * 24 * 60 * MINUTE),
        licenseRef: licenseCode,
        originalRefNoExt: [paid.refNoExt!],
        customerSeed: refNo,
      });
      const body = sign(renewal);
      waves[1].push({ body, mode: 'salesOrder' });
      counts.notifications += 1;
      counts.byKind.renewal += 1;
      counts.subscriptions += 1;
      orders.push({
        refNo: renewalRef,
        kind: 'renewal',
        mode: 'salesOrder',
        path: 'complete',
        shopper,
        email: renewal.customer.email!.toLowerCase(),
        redelivered: false,
        totalCents: cents(body),
        refundCents: [],
        licenseCode,
      });
      subscriptions.push({ licenseCode, lastOrder: renewalRef });
    }
  }
  counts.shoppers = shoppers.size;
  // Within a wave the order is shuffled, as 2Checkout's deliveries interleave.
  for (const wave of waves) shuffle(wave, rnd);
  return { orders, subscriptions, waves, counts };
}

function shuffle<T>(items: T[], rnd: Random): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
