// Shadow mode's verdicts (SYNC_MODE=shadow; docs/cutover.md): what the sync would have done with an
// order, had it owned it, while another tool still books it. An order workflow in shadow reads
// NetSuite, writes nothing, and ends with one verdict; `npm run shadow-report` and the status page
// total them per day and currency. Pure: types and the arithmetic of the totals.
import type { AdoptedDocument } from './adoption.js';
import { currencyExponent, formatMinor, toMinor, type Minor } from './money.js';

export const SHADOW_VERDICTS = ['adoptedEqual', 'adoptedDifferent', 'wouldCreate', 'wouldPark'] as const;
export type ShadowVerdictKind = (typeof SHADOW_VERDICTS)[number];

/** How a verdict reads in reports. */
export const SHADOW_VERDICT_TEXT: Record<ShadowVerdictKind, string> = {
  adoptedEqual: 'already booked by the previous tool (adopted, equal)',
  adoptedDifferent: 'already booked by the previous tool, but different',
  wouldCreate: 'would create',
  wouldPark: 'would park',
};

/** A record the sync would write, as it would send it. */
export interface ShadowBody {
  record: 'customer' | 'salesOrder' | 'invoice' | 'customerPayment' | 'cashSale';
  /** create / upsert by externalId / transform from another record / link an existing customer. */
  action: 'create' | 'upsert' | 'transform' | 'link';
  externalId?: string;
  /** The existing record it would use or update (customers found by the match). */
  id?: string;
  body?: Record<string, unknown>;
}

export interface ShadowVerdict {
  kind: ShadowVerdictKind;
  refNo: string;
  /** The sale's day (YYYY-MM-DD, 2Checkout's local date). */
  day: string;
  currency: string;
  /** What the shopper paid (IPN_TOTALGENERAL, magnitude). */
  gross: string;
  /** adopted*: the previous tool's records, and their sale total. */
  adopted?: AdoptedDocument[];
  netsuiteTotal?: string;
  /** adoptedDifferent: one sentence per record, with both figures. */
  differences?: string[];
  /** wouldCreate: what would be written, in order. */
  bodies?: ShadowBody[];
  /** wouldPark: the park reason and its explanation. */
  park?: { reason: string; message: string };
  /** Money-back events the order has, which the sync would credit after the sale. */
  moneyBack?: Array<{ status: string; amount: string }>;
}

/** What the order workflow keeps in its memo: the verdict without bodies or any personal data. */
export interface ShadowMemo {
  kind: ShadowVerdictKind;
  day: string;
  currency: string;
  gross: string;
  netsuiteTotal?: string;
  reason?: string;
}

export const shadowMemoOf = (v: ShadowVerdict): ShadowMemo => ({
  kind: v.kind,
  day: v.day,
  currency: v.currency,
  gross: v.gross,
  ...(v.netsuiteTotal !== undefined ? { netsuiteTotal: v.netsuiteTotal } : {}),
  ...(v.park ? { reason: v.park.reason } : {}),
});

export interface ShadowCurrencyTotals {
  orders: number;
  /** Σ what shoppers paid, per verdict. */
  byVerdict: Record<ShadowVerdictKind, { orders: number; gross: string }>;
  /** Σ of the previous tool's totals over adopted orders, against Σ 2Checkout's for them. */
  adoptedNetsuite: string;
  adoptedTwoCheckout: string;
}

export interface ShadowTotals {
  from: string;
  to: string;
  orders: number;
  counts: Record<ShadowVerdictKind, number>;
  byCurrency: Record<string, ShadowCurrencyTotals>;
}

const zeroCounts = (): Record<ShadowVerdictKind, number> => ({
  adoptedEqual: 0,
  adoptedDifferent: 0,
  wouldCreate: 0,
  wouldPark: 0,
});

/** Totals of the verdicts of orders sold from `from` to `to` (days, inclusive), per verdict and currency. */
export function shadowTotals(memos: readonly ShadowMemo[], from: string, to: string): ShadowTotals {
  const counts = zeroCounts();
  const acc = new Map<
    string,
    {
      orders: number;
      byVerdict: Record<ShadowVerdictKind, { orders: number; gross: Minor }>;
      ns: Minor;
      twoco: Minor;
      exp: number;
    }
  >();
  let orders = 0;
  for (const m of memos) {
    if (m.day < from || m.day > to) continue;
    orders++;
    counts[m.kind]++;
    const exp = currencyExponent(m.currency);
    let a = acc.get(m.currency);
    if (!a) {
      const byVerdict = Object.fromEntries(
        Object.keys(zeroCounts()).map((k) => [k, { orders: 0, gross: 0n }]),
      ) as Record<ShadowVerdictKind, { orders: number; gross: Minor }>;
      acc.set(m.currency, (a = { orders: 0, byVerdict, ns: 0n, twoco: 0n, exp }));
    }
    const gross = toMinor(m.gross, exp);
    a.orders++;
    a.byVerdict[m.kind].orders++;
    a.byVerdict[m.kind].gross += gross;
    if (m.netsuiteTotal !== undefined) {
      a.ns += toMinor(m.netsuiteTotal, exp);
      a.twoco += gross;
    }
  }
  const byCurrency: Record<string, ShadowCurrencyTotals> = {};
  for (const [cur, a] of [...acc].sort(([x], [y]) => x.localeCompare(y))) {
    byCurrency[cur] = {
      orders: a.orders,
      byVerdict: Object.fromEntries(
        Object.entries(a.byVerdict).map(([k, v]) => [k, { orders: v.orders, gross: formatMinor(v.gross, a.exp) }]),
      ) as ShadowCurrencyTotals['byVerdict'],
      adoptedNetsuite: formatMinor(a.ns, a.exp),
      adoptedTwoCheckout: formatMinor(a.twoco, a.exp),
    };
  }
  return { from, to, orders, counts, byCurrency };
}
