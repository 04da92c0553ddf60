// The one adapter from 2Checkout's payout detail (twocheckout/rest/payouts.ts, shapes UNCONFIRMED)
// to the sync's PayoutContent. Rates are kept only when they convert into the payout currency.
import type { ApiPayoutDetail } from '../twocheckout/rest/payouts.js';
import type { PayoutContent } from './payout-amounts.js';

/** The one adapter from 2Checkout's payout detail to the sync's PayoutContent. */
export function payoutContentFrom(d: ApiPayoutDetail): PayoutContent {
  const rates: Record<string, string> = {};
  for (const r of d.ExchangeRates) if (r.To === d.Currency) rates[r.From] = r.Rate;
  return {
    reference: d.Reference,
    status: d.Status,
    currency: d.Currency,
    amount: d.Amount,
    date: d.TransferCompletionDate.slice(0, 10),
    orders: d.Orders.map((o) => ({ refNo: o.RefNo, currency: o.Currency, gross: o.GrossPrice, commission: o.AvangateCommission, vatWithheld: o.VATWithheld ?? '0' })),
    refunds: d.Refunds.map((r) => ({ refNo: r.RefNo, currency: r.Currency, amount: r.Amount })),
    chargebackFees: d.ChargebackFees.map((f) => ({ ...(f.RefNo ? { refNo: f.RefNo } : {}), currency: f.Currency, amount: f.Amount })),
    reserve: d.Reserve.map((r) => ({ kind: r.Type === 'HELD' ? ('held' as const) : ('released' as const), currency: r.Currency, amount: r.Amount })),
    rates,
  };
}
