// Everything the status page's overview shows, read at once: per day the orders, refunds, lost
// chargebacks and payouts in the books with their amounts per currency (NetSuite, when the page can
// read it) and the subscriptions and parked syncs (Temporal); the completeness ledger of the same
// days; the payouts posted, waiting and parked. Read-only.
import type { Client } from '@temporalio/client';
import { currencyExponent, formatMinor, toMinor } from '../mappings/money.js';
import { readBooksByDay, type BookKind, type SuiteQlReader } from '../operations/netsuite-books.js';
import { readPayoutSummaries, type PayoutSummary } from '../operations/payout-summaries.js';
import { readRecentReconciliations, type RecentReconciliation } from '../operations/reconciliation-report.js';
import { readBooksStatus, type BooksStatus } from './books-status.js';

export interface StatusSources {
  client: Client;
  namespace: string;
  /** Temporal Web UI base, for links. */
  uiBase: string;
  /** NetSuite, for the documents and amounts in the books; without it the page shows Temporal's counts. */
  netsuite?: SuiteQlReader;
  /** The NetSuite UI base, for links to records (status-page/netsuite-ui.ts). */
  netsuiteUiUrl?: string;
  days?: number;
}

/** How many documents, and per currency how many and their total. */
export interface Money {
  count: number;
  amounts: Array<{ currency: string; count: number; amount: string }>;
}

export interface DayRow {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Sales dated that day (NetSuite), or orders synced that day (Temporal, without amounts). */
  orders: Money;
  refunds?: Money;
  chargebacks?: Money;
  /** Payouts posted with that date. */
  payouts: Money;
  /** Subscriptions whose state changed that day. */
  subscriptions: number;
  /** Syncs that parked that day and still are. */
  parked: number;
}

export interface FinanceOverview {
  generatedAt: Date;
  status: BooksStatus;
  days: DayRow[];
  /** Where the day's documents and amounts come from; `temporal` says why NetSuite was not read. */
  books: { source: 'netsuite' } | { source: 'temporal'; why: string };
  completeness: RecentReconciliation[];
  payouts: PayoutSummary[];
  payoutsListUrl: string;
}

/** Σ of decimal amounts per currency, to the currency's minor unit. */
export function sumMoney(items: ReadonlyArray<{ currency: string; amount: string; count?: number }>): Money {
  const by = new Map<string, { minor: bigint; count: number }>();
  let count = 0;
  for (const i of items) {
    const e = currencyExponent(i.currency);
    const cur = by.get(i.currency) ?? { minor: 0n, count: 0 };
    cur.minor += toMinor(i.amount, e);
    cur.count += i.count ?? 1;
    by.set(i.currency, cur);
    count += i.count ?? 1;
  }
  const amounts = [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, v]) => ({ currency, count: v.count, amount: formatMinor(v.minor, currencyExponent(currency)) }));
  return { count, amounts };
}

export async function readFinanceOverview(src: StatusSources, now = new Date()): Promise<FinanceOverview> {
  const ui = { uiBase: src.uiBase, namespace: src.namespace };
  const status = await readBooksStatus(src.client, { ...ui, now, ...(src.days ? { days: src.days } : {}) });
  const dayList = status.days.map((d) => d.day);
  const [books, completeness, payouts] = await Promise.all([
    src.netsuite
      ? readBooksByDay(src.netsuite, dayList).then(
          (days) => ({ ok: true as const, days }),
          (err: unknown) => ({
            ok: false as const,
            why: `NetSuite could not be read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
          }),
        )
      : Promise.resolve({ ok: false as const, why: 'the status page has no NetSuite access' }),
    readRecentReconciliations(src.client, dayList, ui),
    readPayoutSummaries(src.client, ui),
  ]);
  const days = status.days.map((d): DayRow => {
    const posted = payouts.payouts.filter((p) => p.state === 'posted' && p.date === d.day && p.amount && p.currency);
    const row: DayRow = {
      day: d.day,
      orders: { count: d.syncedByKind.order, amounts: [] },
      payouts: sumMoney(posted.map((p) => ({ currency: p.currency!, amount: p.amount! }))),
      subscriptions: d.syncedByKind.subscription,
      parked: d.parked,
    };
    if (books.ok) {
      const entries = books.days.find((b) => b.day === d.day)?.entries ?? [];
      const of = (kind: BookKind) => sumMoney(entries.filter((e) => e.kind === kind));
      row.orders = of('orders');
      row.refunds = of('refunds');
      row.chargebacks = of('chargebacks');
    }
    return row;
  });
  return {
    generatedAt: now,
    status,
    days,
    books: books.ok ? { source: 'netsuite' } : { source: 'temporal', why: books.why },
    completeness,
    payouts: payouts.payouts,
    payoutsListUrl: payouts.listUrl,
  };
}
