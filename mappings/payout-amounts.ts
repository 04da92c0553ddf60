// What a 2Checkout payout is made of, and its arithmetic, in integer minor units (mappings/money.ts).
// Pure and workflow-safe. A payout pays 2Checkout's "period net sales" in the payout currency P
// after 2Checkout's own FX; per order currency C its net is
//   net_C = gross − refunds − commission − VAT withheld − chargeback fees − reserve held + reserve released
//           − disputes held + disputes released + balance carried forward
// 2Checkout converts each currency's net ONCE into P (half-up at P's precision): that is what the
// documents explain. Each component is also converted on its own, for the entry's adjustment lines;
// the few cents by which those differ from the net converted once are rounding of the conversion
// and go to the FX line of that currency (payout-entry.ts). What 2Checkout paid minus what the
// documents explain is the payout's residue (unexplained: variance, parked above the tolerance).
import { MappingError } from './errors.js';
import { currencyExponent, formatMinor, multiply, sum, toMinor, type Minor } from './money.js';

/** One payout as the sync understands it (built from the 2Checkout API by twocheckout/rest/payouts.ts). */
export interface PayoutContent {
  /** 2Checkout's payout reference (invoice PREFIX+number). */
  reference: string;
  status: string;
  /** Payout currency (what reached the bank). */
  currency: string;
  /** Amount that reached the bank, decimal string in `currency`. */
  amount: string;
  /** Transfer completion date, YYYY-MM-DD. */
  date: string;
  orders: PayoutOrder[];
  refunds: PayoutMoney[];
  chargebackFees: PayoutMoney[];
  reserve: PayoutReserveMovement[];
  /** Amounts 2Checkout holds while a dispute is open, and releases when it closes (absent in older payloads). */
  disputes?: PayoutHoldMovement[];
  /** A balance carried from an earlier payout: negative when 2Checkout deducts what an earlier negative payout left owing. */
  balanceForward?: PayoutMoney[];
  /** PARTIALLY_PAID: the transfers made so far against this reference; each one is booked as its own entry. */
  transfers?: PayoutTransfer[];
  /** 2Checkout's rate per order currency into the payout currency (1 C = rate P). */
  rates: Record<string, string>;
  /** Where the payout was read: the 2Checkout API (default) or a control-panel CSV export. */
  source?: 'api' | 'csv';
}

export interface PayoutReserveMovement extends PayoutMoney {
  kind: 'held' | 'released';
  /** On a release: the payout that held it (its booked value is what the release relieves). */
  heldIn?: string;
  /** On a release: 2Checkout's C→P rate of the payout that held it, when known (filled by the activity or the CSV). */
  heldRate?: string;
}

export interface PayoutHoldMovement extends PayoutMoney {
  kind: 'held' | 'released';
}

/** One transfer of a PARTIALLY_PAID payout. */
export interface PayoutTransfer {
  /** Stable id of the transfer (2Checkout's, else its completion date): part of the entry's externalId. */
  id: string;
  /** What this transfer brought to the bank, decimal string in the payout currency. */
  amount: string;
  /** YYYY-MM-DD. */
  date: string;
}

export interface PayoutOrder {
  refNo: string;
  currency: string;
  /** What the shopper paid (incl. VAT), decimal string in `currency`. */
  gross: string;
  /** AvangateCommission. */
  commission: string;
  /** VAT 2Checkout keeps as merchant of record (2Monetize); 0 in the PSP model. */
  vatWithheld: string;
}

export interface PayoutMoney {
  refNo?: string;
  currency: string;
  amount: string;
  note?: string;
}

export type Exponents = (currency: string) => number;
export const isoExponents: Exponents = (c) => currencyExponent(c);

/** Per order currency: components in C minor units and converted into P minor units. */
export interface CurrencyBucket {
  currency: string;
  rate: string;
  orders: number;
  gross: Minor;
  refunds: Minor;
  commission: Minor;
  vat: Minor;
  chargebackFees: Minor;
  reserveHeld: Minor;
  reserveReleased: Minor;
  disputeHeld: Minor;
  disputeReleased: Minor;
  /** Signed: negative when an earlier negative balance is deducted. */
  balanceForward: Minor;
  net: Minor;
  /** The same components in payout-currency minor units, each converted on its own. */
  converted: {
    grossLessRefunds: Minor;
    commission: Minor;
    vat: Minor;
    chargebackFees: Minor;
    reserveHeld: Minor;
    reserveReleased: Minor;
    disputeHeld: Minor;
    disputeReleased: Minor;
    balanceForward: Minor;
    /** The net converted once, as 2Checkout converts it. */
    net: Minor;
    /** net − the components converted one by one: rounding of the conversion (FX line). */
    rounding: Minor;
  };
}

export interface PayoutFigures {
  reference: string;
  currency: string;
  exponent: number;
  /** Minor-unit exponent of each currency the figures use. */
  exponentOf: Exponents;
  /** Bank amount, P minor units. */
  amount: Minor;
  buckets: CurrencyBucket[];
  /** Σ of each currency's net converted once (what the covered documents explain, as 2Checkout computes it). */
  expected: Minor;
  /** amount − expected: 2Checkout's rounding or an unexplained difference. */
  residue: Minor;
}

/** 2Checkout sent a payout the sync cannot read safely (e.g. no rate for a currency it covers). */
export class PayoutContentError extends MappingError {
  override readonly name = 'PayoutContentError';
  constructor(message: string, path: string) {
    super(
      'PAYOUT_UNSUPPORTED',
      `${message}: the sync will not guess it. Check the payout in 2Checkout, then retry or skip`,
      path,
    );
  }
}

/** Sums a payout's documents per order currency and converts them with 2Checkout's rates. */
export function payoutFigures(p: PayoutContent, exponents: Exponents = isoExponents): PayoutFigures {
  const eP = exponents(p.currency);
  const buckets = new Map<string, CurrencyBucket>();
  const bucket = (currency: string, path: string): CurrencyBucket => {
    let b = buckets.get(currency);
    if (b) return b;
    const rate = currency === p.currency ? '1' : p.rates[currency];
    if (rate === undefined) {
      throw new PayoutContentError(
        `payout ${p.reference} covers ${currency} documents but gives no ${currency}→${p.currency} rate`,
        path,
      );
    }
    b = {
      currency,
      rate,
      orders: 0,
      gross: 0n,
      refunds: 0n,
      commission: 0n,
      vat: 0n,
      chargebackFees: 0n,
      reserveHeld: 0n,
      reserveReleased: 0n,
      disputeHeld: 0n,
      disputeReleased: 0n,
      balanceForward: 0n,
      net: 0n,
      converted: zeroConverted(),
    };
    buckets.set(currency, b);
    return b;
  };
  const m = (amount: string, currency: string) => toMinor(amount, exponents(currency));
  p.orders.forEach((o, i) => {
    const b = bucket(o.currency, `orders[${i}]`);
    b.orders++;
    b.gross += m(o.gross, o.currency);
    b.commission += m(o.commission, o.currency);
    b.vat += m(o.vatWithheld, o.currency);
  });
  p.refunds.forEach((r, i) => (bucket(r.currency, `refunds[${i}]`).refunds += m(r.amount, r.currency)));
  p.chargebackFees.forEach(
    (f, i) => (bucket(f.currency, `chargebackFees[${i}]`).chargebackFees += m(f.amount, f.currency)),
  );
  p.reserve.forEach((r, i) => {
    const b = bucket(r.currency, `reserve[${i}]`);
    if (r.kind === 'held') b.reserveHeld += m(r.amount, r.currency);
    else b.reserveReleased += m(r.amount, r.currency);
  });
  (p.disputes ?? []).forEach((d, i) => {
    const b = bucket(d.currency, `disputes[${i}]`);
    if (d.kind === 'held') b.disputeHeld += m(d.amount, d.currency);
    else b.disputeReleased += m(d.amount, d.currency);
  });
  (p.balanceForward ?? []).forEach(
    (f, i) => (bucket(f.currency, `balanceForward[${i}]`).balanceForward += m(f.amount, f.currency)),
  );
  const list = [...buckets.values()].sort((a, b) =>
    a.currency === p.currency ? -1 : b.currency === p.currency ? 1 : a.currency.localeCompare(b.currency),
  );
  for (const b of list) {
    const eC = exponents(b.currency);
    const conv = (x: Minor) => multiply(x, eC, b.rate, eP);
    b.net =
      b.gross -
      b.refunds -
      b.commission -
      b.vat -
      b.chargebackFees -
      b.reserveHeld +
      b.reserveReleased -
      b.disputeHeld +
      b.disputeReleased +
      b.balanceForward;
    const c = b.converted;
    c.grossLessRefunds = conv(b.gross - b.refunds);
    c.commission = conv(b.commission);
    c.vat = conv(b.vat);
    c.chargebackFees = conv(b.chargebackFees);
    c.reserveHeld = conv(b.reserveHeld);
    c.reserveReleased = conv(b.reserveReleased);
    c.disputeHeld = conv(b.disputeHeld);
    c.disputeReleased = conv(b.disputeReleased);
    c.balanceForward = conv(b.balanceForward);
    // 2Checkout converts each currency's net once; the components converted one by one may differ
    // from it by a cent or so per component: that is rounding of the conversion, not a variance.
    c.net = conv(b.net);
    const components =
      c.grossLessRefunds -
      c.commission -
      c.vat -
      c.chargebackFees -
      c.reserveHeld +
      c.reserveReleased -
      c.disputeHeld +
      c.disputeReleased +
      c.balanceForward;
    c.rounding = c.net - components;
  }
  const amount = m(p.amount, p.currency);
  const expected = sum(list.map((b) => b.converted.net));
  return {
    reference: p.reference,
    currency: p.currency,
    exponent: eP,
    exponentOf: exponents,
    amount,
    buckets: list,
    expected,
    residue: amount - expected,
  };
}

function zeroConverted(): CurrencyBucket['converted'] {
  return {
    grossLessRefunds: 0n,
    commission: 0n,
    vat: 0n,
    chargebackFees: 0n,
    reserveHeld: 0n,
    reserveReleased: 0n,
    disputeHeld: 0n,
    disputeReleased: 0n,
    balanceForward: 0n,
    net: 0n,
    rounding: 0n,
  };
}

/** Order references the payout covers, with the refunds it deducts, for the NetSuite look-up. */
export function coveredOrders(p: PayoutContent): {
  sales: string[];
  refunds: Map<string, { currency: string; amount: string }>;
} {
  const refunds = new Map<string, { currency: string; amount: string }>();
  for (const r of p.refunds) {
    if (!r.refNo) continue;
    const prev = refunds.get(r.refNo);
    const e = currencyExponent(r.currency);
    const total = prev ? toMinor(prev.amount, e) + toMinor(r.amount, e) : toMinor(r.amount, e);
    refunds.set(r.refNo, { currency: r.currency, amount: formatMinor(total, e) });
  }
  return { sales: [...new Set(p.orders.map((o) => o.refNo))], refunds };
}
