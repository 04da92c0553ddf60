// The value a released reserve was booked at when it was held. 2Checkout holds a rolling reserve in
// the order currency and releases it in a later payout, converted at that payout's rate; the entry
// that held it booked it at the earlier rate. Relieving the reserve account at the new rate would
// leave the rate difference on it for ever: it is relieved at the booked value and the difference
// is FX (payout-entry.ts). Pure.
import { multiply, toMinor, type Minor } from './money.js';
import type { Exponents, PayoutContent } from './payout-amounts.js';

/**
 * Per order currency (other than the payout currency), the payout-currency value at which the
 * reserve this payout releases was booked: the release converted at the rate of the payout that
 * held it (`heldRate`). Releases without that rate are left out: they are valued at this payout's
 * rate, and the report notes it.
 */
export function reserveReleasedBook(p: PayoutContent, exponents: Exponents): Record<string, Minor> {
  const out: Record<string, Minor> = {};
  const eP = exponents(p.currency);
  const unknown = new Set<string>();
  for (const r of p.reserve) {
    if (r.kind !== 'released' || r.currency === p.currency) continue;
    if (r.heldRate === undefined) {
      unknown.add(r.currency);
      continue;
    }
    out[r.currency] =
      (out[r.currency] ?? 0n) +
      multiply(toMinor(r.amount, exponents(r.currency)), exponents(r.currency), r.heldRate, eP);
  }
  // One release of a currency without its rate makes that currency's booked value unknown.
  for (const c of unknown) delete out[c];
  return out;
}

/** Currencies whose released reserve is valued at this payout's rate (the held rate is unknown). */
export function reserveReleasesAtCurrentRate(p: PayoutContent): string[] {
  return [
    ...new Set(
      p.reserve
        .filter((r) => r.kind === 'released' && r.currency !== p.currency && r.heldRate === undefined)
        .map((r) => r.currency),
    ),
  ];
}
