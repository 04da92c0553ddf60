// The 2Checkout sandbox's payouts, made from the orders its store holds, the way 2Checkout settles:
// each payout pays the period's net sales of orders not paid out yet (gross − AvangateCommission −
// VAT when 2Checkout is merchant of record), deducts refunds given since the last payout and a
// chargeback fee per newly disputed order, holds the amount of an open dispute (released when it
// is won; deducted as a chargeback when lost), holds a rolling reserve and releases an earlier
// one, carries a negative balance into the next payout, and converts every order currency's net
// ONCE into the payout currency at its own rate. A payout can be revised or cancelled afterwards,
// and paid in several transfers (PARTIALLY_PAID).
// The body shapes are the sync's reading of an undocumented API (twocheckout/rest/payouts.ts).
import { currencyExponent, formatMinor, multiply, toMinor, type Minor } from '../../mappings/money.js';
import { renderApiOrder } from './api/render.js';
import type { TwoCheckoutStore } from './store.js';

export interface PayoutRequest {
  reference?: string;
  /** Payout currency (default USD). */
  currency?: string;
  /** 2Checkout's rate per order currency into the payout currency (default EUR 1.0825, GBP 1.2710, JPY 0.00667 for USD). */
  rates?: Record<string, string>;
  /** Only these orders (default: every paid order not paid out yet). */
  orders?: string[];
  /** Only orders in these currencies (a merchant with one payout per currency). */
  orderCurrencies?: string[];
  /** Rolling reserve held back, as a fraction of each currency's net (e.g. "0.10"). */
  reserveRate?: string;
  /** Release the reserve these earlier payouts held. */
  releaseReserveOf?: string[];
  /** Fee per newly disputed order, in the payout currency (default 15.00). */
  chargebackFee?: string;
  /** 2Monetize (merchant of record): 2Checkout withholds the orders' VAT. */
  merchantOfRecord?: boolean;
  /** Added to the bank amount, to model a difference nothing explains (payout currency). */
  adjust?: string;
  /** YYYY-MM-DD (default today). */
  date?: string;
  paymentType?: string;
  /** Paid in these transfers (PARTIALLY_PAID); more can follow with addTransfer. */
  transfers?: Array<{ amount: string; date?: string }>;
}

interface Money {
  RefNo?: string;
  Currency: string;
  Amount: string;
}

export interface SandboxPayout {
  Reference: string;
  Status: 'PAID' | 'PARTIALLY_PAID' | 'CANCELED';
  Currency: string;
  Amount: string;
  TransferCompletionDate: string;
  PaymentType: string;
  Orders: Array<{
    RefNo: string;
    Currency: string;
    GrossPrice: string;
    AvangateCommission: string;
    VATWithheld: string;
  }>;
  Refunds: Money[];
  ChargebackFees: Money[];
  Reserve: Array<{ Type: 'HELD' | 'RELEASED'; Currency: string; Amount: string; HeldIn?: string }>;
  Disputes: Array<{ Type: 'HELD' | 'RELEASED'; RefNo: string; Currency: string; Amount: string }>;
  BalanceForward: Money[];
  Transfers: Array<{ TransferReference: string; Amount: string; TransferCompletionDate: string }>;
  ExchangeRates: Array<{ From: string; To: string; Rate: string }>;
}

const DEFAULT_RATES_TO_USD: Record<string, string> = { EUR: '1.0825', GBP: '1.2710', JPY: '0.00667', CAD: '0.7290' };

export class PayoutBook {
  private readonly payouts = new Map<string, SandboxPayout>();
  private readonly paidOrders = new Set<string>();
  private readonly deductedRefunds = new Set<string>();
  private readonly feedDisputes = new Set<string>();
  private readonly released = new Set<string>();
  /** Disputed orders whose amount is held: refNo → what was held. */
  private readonly disputeHolds = new Map<string, { currency: string; amount: Minor }>();
  private readonly chargedBack = new Set<string>();
  /** Negative balances carried into the next payout, per payout currency. */
  private readonly carried = new Map<string, Minor>();
  private seq = 0;

  constructor(private readonly store: TwoCheckoutStore) {}

  /** Pays out what the store holds; throws when there is nothing to pay or a rate is missing. */
  create(req: PayoutRequest = {}): SandboxPayout {
    const P = (req.currency ?? 'USD').toUpperCase();
    const reference = req.reference ?? `NS${String(++this.seq).padStart(6, '0')}`;
    if (this.payouts.has(reference)) throw new Error(`payout ${reference} already exists`);
    const rates = { ...(P === 'USD' ? DEFAULT_RATES_TO_USD : {}), ...req.rates };
    const nets = new Map<string, Minor>();
    const addNet = (c: string, m: Minor) => nets.set(c, (nets.get(c) ?? 0n) + m);
    const e = (c: string) => currencyExponent(c);
    const out: SandboxPayout = {
      Reference: reference,
      Status: 'PAID',
      Currency: P,
      Amount: '0',
      TransferCompletionDate: req.date ?? new Date().toISOString().slice(0, 10),
      PaymentType: req.paymentType ?? 'WIRE',
      Orders: [],
      Refunds: [],
      ChargebackFees: [],
      Reserve: [],
      Disputes: [],
      BalanceForward: [],
      Transfers: [],
      ExchangeRates: [],
    };
    const wanted = req.orders ? new Set(req.orders) : undefined;
    const currencies = req.orderCurrencies?.map((c) => c.toUpperCase());
    for (const stored of this.store.all()) {
      const o = renderApiOrder(stored);
      const refNo = String(o.RefNo);
      const cur = String(o.Currency).toUpperCase();
      const paid = o.Status === 'COMPLETE' || o.Status === 'REFUND';
      if (currencies && !currencies.includes(cur)) continue;
      if (paid && !this.paidOrders.has(refNo) && (!wanted || wanted.has(refNo))) {
        const gross = toMinor(String(o.GrossPrice), e(cur));
        const commission = toMinor(String(o.AvangateCommission), e(cur));
        const vat = req.merchantOfRecord ? toMinor(String(o.VAT), e(cur)) : 0n;
        out.Orders.push({
          RefNo: refNo,
          Currency: cur,
          GrossPrice: formatMinor(gross, e(cur)),
          AvangateCommission: formatMinor(commission, e(cur)),
          VATWithheld: formatMinor(vat, e(cur)),
        });
        addNet(cur, gross - commission - vat);
        this.paidOrders.add(refNo);
      }
      if (!this.paidOrders.has(refNo)) continue;
      (o.Refunds as Array<{ Amount: string; Date: string }>).forEach((r, i) => {
        const key = `${refNo}#${i}`;
        if (this.deductedRefunds.has(key)) return;
        this.deductedRefunds.add(key);
        out.Refunds.push({ RefNo: refNo, Currency: cur, Amount: r.Amount });
        addNet(cur, -toMinor(r.Amount, e(cur)));
      });
      const resolution = String(o.ChargebackResolution);
      if (resolution !== 'NONE' && !this.feedDisputes.has(refNo)) {
        this.feedDisputes.add(refNo);
        const fee = toMinor(req.chargebackFee ?? '15.00', e(P));
        out.ChargebackFees.push({ RefNo: refNo, Currency: P, Amount: formatMinor(fee, e(P)) });
        addNet(P, -fee);
      }
      // An open dispute: 2Checkout holds the order's amount; won: released; lost: released and charged back.
      const gross = toMinor(String(o.GrossPrice), e(cur));
      const hold = this.disputeHolds.get(refNo);
      if (resolution === 'OPEN' && !hold && !this.chargedBack.has(refNo)) {
        this.disputeHolds.set(refNo, { currency: cur, amount: gross });
        out.Disputes.push({ Type: 'HELD', RefNo: refNo, Currency: cur, Amount: formatMinor(gross, e(cur)) });
        addNet(cur, -gross);
      } else if ((resolution === 'WON' || resolution === 'LOST' || resolution === 'ACCEPTED') && hold) {
        this.disputeHolds.delete(refNo);
        out.Disputes.push({
          Type: 'RELEASED',
          RefNo: refNo,
          Currency: hold.currency,
          Amount: formatMinor(hold.amount, e(hold.currency)),
        });
        addNet(hold.currency, hold.amount);
      }
      if ((resolution === 'LOST' || resolution === 'ACCEPTED') && !this.chargedBack.has(refNo)) {
        this.chargedBack.add(refNo);
        out.Refunds.push({ RefNo: refNo, Currency: cur, Amount: formatMinor(gross, e(cur)) });
        addNet(cur, -gross);
      }
    }
    const carried = this.carried.get(P) ?? 0n;
    if (carried !== 0n) {
      out.BalanceForward.push({ Currency: P, Amount: formatMinor(carried, e(P)) });
      addNet(P, carried);
      this.carried.delete(P);
    }
    if (
      out.Orders.length === 0 &&
      out.Refunds.length === 0 &&
      out.Disputes.length === 0 &&
      !req.releaseReserveOf?.length
    ) {
      if (carried !== 0n) this.carried.set(P, carried);
      throw new Error('nothing to pay out: no paid order that is not in a payout yet');
    }
    if (req.reserveRate) {
      for (const [c, net] of nets) {
        const held = multiply(net, e(c), req.reserveRate, e(c));
        if (held <= 0n) continue;
        out.Reserve.push({ Type: 'HELD', Currency: c, Amount: formatMinor(held, e(c)) });
        nets.set(c, net - held);
      }
    }
    for (const ref of req.releaseReserveOf ?? []) {
      const earlier = this.payouts.get(ref);
      if (!earlier) throw new Error(`no payout ${ref} to release a reserve from`);
      if (this.released.has(ref)) throw new Error(`the reserve of ${ref} was already released`);
      this.released.add(ref);
      for (const r of earlier.Reserve.filter((x) => x.Type === 'HELD')) {
        out.Reserve.push({ Type: 'RELEASED', Currency: r.Currency, Amount: r.Amount, HeldIn: ref });
        addNet(r.Currency, toMinor(r.Amount, e(r.Currency)));
      }
    }
    let amount = 0n;
    for (const [c, net] of nets) {
      if (c === P) {
        amount += net;
        continue;
      }
      const rate = rates[c];
      if (!rate) throw new Error(`no ${c}→${P} rate: pass rates: { ${c}: "<rate>" }`);
      out.ExchangeRates.push({ From: c, To: P, Rate: rate });
      amount += multiply(net, e(c), rate, e(P));
    }
    if (req.adjust) amount += toMinor(req.adjust, e(P));
    out.Amount = formatMinor(amount, e(P));
    // Refunds above sales: nothing is transferred; 2Checkout deducts the balance from the next payout.
    if (amount < 0n) this.carried.set(P, amount);
    if (req.transfers?.length) {
      out.Status = 'PARTIALLY_PAID';
      for (const t of req.transfers) this.pushTransfer(out, t.amount, t.date ?? out.TransferCompletionDate);
    }
    this.payouts.set(reference, out);
    return out;
  }

  /** Another transfer of a partially paid payout. */
  addTransfer(reference: string, amount: string, date: string): SandboxPayout {
    const p = this.payouts.get(reference);
    if (!p) throw new Error(`no payout ${reference}`);
    p.Status = 'PARTIALLY_PAID';
    this.pushTransfer(p, amount, date);
    return p;
  }

  private pushTransfer(p: SandboxPayout, amount: string, date: string): void {
    p.Transfers.push({
      TransferReference: `${p.Reference}-T${p.Transfers.length + 1}`,
      Amount: amount,
      TransferCompletionDate: date,
    });
  }

  /**
   * 2Checkout revises a payout after it was made: a fee added (the bank amount drops by it), an
   * unexplained change of the amount, or cancelled.
   */
  revise(reference: string, change: { chargebackFee?: string; adjust?: string; status?: 'CANCELED' }): SandboxPayout {
    const p = this.payouts.get(reference);
    if (!p) throw new Error(`no payout ${reference}`);
    const e = currencyExponent(p.Currency);
    let amount = toMinor(p.Amount, e);
    if (change.chargebackFee) {
      p.ChargebackFees.push({ Currency: p.Currency, Amount: change.chargebackFee });
      amount -= toMinor(change.chargebackFee, e);
    }
    if (change.adjust) amount += toMinor(change.adjust, e);
    p.Amount = formatMinor(amount, e);
    if (change.status) p.Status = change.status;
    return p;
  }

  get(reference: string): SandboxPayout | undefined {
    return this.payouts.get(reference);
  }

  all(): SandboxPayout[] {
    return [...this.payouts.values()];
  }
}

/** What `GET /payouts/` lists for a payout (the detail without its documents): one item per transfer of a partially paid one. */
export function payoutSummaries(p: SandboxPayout): Array<Record<string, unknown>> {
  const base = { Reference: p.Reference, Status: p.Status, Currency: p.Currency, PaymentType: p.PaymentType };
  if (p.Status === 'PARTIALLY_PAID')
    return p.Transfers.map((t) => ({
      ...base,
      Amount: t.Amount,
      TransferCompletionDate: t.TransferCompletionDate,
      TransferReference: t.TransferReference,
    }));
  return [{ ...base, Amount: p.Amount, TransferCompletionDate: p.TransferCompletionDate }];
}
