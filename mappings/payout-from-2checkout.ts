// The one adapter from 2Checkout's payout detail (twocheckout/rest/payouts.ts, shapes UNCONFIRMED)
// to the sync's PayoutContent. Rates are kept only when they convert into the payout currency.
import type { ApiPayoutDetail, ApiPayoutSummary } from '../twocheckout/rest/payouts.js';
import type { PayoutContent, PayoutTransfer } from './payout-amounts.js';

/** A transfer's id: 2Checkout's reference when it gives one, else its completion day (YYYYMMDD). */
export function transferIdOf(t: { TransferReference?: string | undefined; TransferCompletionDate: string }): string {
  return t.TransferReference ?? t.TransferCompletionDate.slice(0, 10).replace(/-/g, '');
}

/** The transfers of a PARTIALLY_PAID payout, from its detail or (when the detail has none) from the list. */
export function payoutTransfersFrom(d: ApiPayoutDetail, listed: readonly ApiPayoutSummary[] = []): PayoutTransfer[] {
  const source = d.Transfers.length > 0 ? d.Transfers : listed.filter((s) => s.Reference === d.Reference);
  const byId = new Map<string, PayoutTransfer>();
  for (const t of source)
    byId.set(transferIdOf(t), { id: transferIdOf(t), amount: t.Amount, date: t.TransferCompletionDate.slice(0, 10) });
  return [...byId.values()].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

/** The one adapter from 2Checkout's payout detail to the sync's PayoutContent. */
export function payoutContentFrom(d: ApiPayoutDetail, listed: readonly ApiPayoutSummary[] = []): PayoutContent {
  const rates: Record<string, string> = {};
  for (const r of d.ExchangeRates) if (r.To === d.Currency) rates[r.From] = r.Rate;
  const transfers = d.Status === 'PARTIALLY_PAID' ? payoutTransfersFrom(d, listed) : [];
  return {
    reference: d.Reference,
    status: d.Status,
    currency: d.Currency,
    amount: d.Amount,
    date: d.TransferCompletionDate.slice(0, 10),
    orders: d.Orders.map((o) => ({
      refNo: o.RefNo,
      currency: o.Currency,
      gross: o.GrossPrice,
      commission: o.AvangateCommission,
      vatWithheld: o.VATWithheld ?? '0',
    })),
    refunds: d.Refunds.map((r) => ({ refNo: r.RefNo, currency: r.Currency, amount: r.Amount })),
    chargebackFees: d.ChargebackFees.map((f) => ({
      ...(f.RefNo ? { refNo: f.RefNo } : {}),
      currency: f.Currency,
      amount: f.Amount,
    })),
    reserve: d.Reserve.map((r) => ({
      kind: r.Type === 'HELD' ? ('held' as const) : ('released' as const),
      currency: r.Currency,
      amount: r.Amount,
      ...(r.HeldIn ? { heldIn: r.HeldIn } : {}),
      ...(r.HeldRate ? { heldRate: r.HeldRate } : {}),
    })),
    ...(d.Disputes.length
      ? {
          disputes: d.Disputes.map((x) => ({
            kind: x.Type === 'HELD' ? ('held' as const) : ('released' as const),
            currency: x.Currency,
            amount: x.Amount,
            ...(x.RefNo ? { refNo: x.RefNo } : {}),
          })),
        }
      : {}),
    ...(d.BalanceForward.length
      ? { balanceForward: d.BalanceForward.map((b) => ({ currency: b.Currency, amount: b.Amount })) }
      : {}),
    ...(transfers.length ? { transfers } : {}),
    rates,
  };
}
