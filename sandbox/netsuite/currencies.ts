// Currency facts a transaction needs: precision (#ns-record-shapes `currencyPrecision`), the base currency
// of a subsidiary, and the default exchange rate for a date (currencyRate table, else the
// currency's own rate; #ns-record-shapes "A transaction's exchangeRate defaults from this table for tranDate").
import type { RecordStore } from './store.js';
import { num, refId, str } from './values.js';

/** The base currency of the account (the one flagged isBaseCurrency), id "1" in the seed. */
export function baseCurrencyId(store: RecordStore): string {
  return store.all('currency').find((c) => c.isBaseCurrency === true)?.id ?? '1';
}

export function precisionOf(store: RecordStore, currencyId: string | undefined): number {
  const c = currencyId === undefined ? undefined : store.get('currency', currencyId);
  const p = c?.currencyPrecision;
  return typeof p === 'number' && Number.isInteger(p) && p >= 0 ? p : 2;
}

export function subsidiaryCurrencyId(store: RecordStore, subsidiaryId: string | undefined): string {
  const s = subsidiaryId === undefined ? undefined : store.get('subsidiary', subsidiaryId);
  return refId(s?.currency) ?? baseCurrencyId(store);
}

export function currencySymbol(store: RecordStore, currencyId: string): string {
  return str(store.get('currency', currencyId)?.symbol) ?? currencyId;
}

/** Base-currency units per one unit of `currencyId` on `date` (YYYY-MM-DD). */
export function defaultExchangeRate(store: RecordStore, currencyId: string, baseId: string, date: string): number {
  if (currencyId === baseId) return 1;
  let best: { date: string; rate: number } | undefined;
  for (const r of store.all('currencyRate')) {
    const effective = str(r.effectiveDate);
    if (
      refId(r.baseCurrency) !== baseId ||
      refId(r.transactionCurrency) !== currencyId ||
      !effective ||
      effective > date
    )
      continue;
    if (!best || effective > best.date) best = { date: effective, rate: num(r.exchangeRate, 1) };
  }
  if (best) return best.rate;
  // No rate row: cross the currencies' own rates against the account's base currency.
  const own = num(store.get('currency', currencyId)?.exchangeRate, 1);
  const base = num(store.get('currency', baseId)?.exchangeRate, 1);
  return Number((own / base).toPrecision(10));
}
