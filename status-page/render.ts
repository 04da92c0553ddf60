// Server-rendered HTML of the status page: no scripts, no external assets, every value escaped.
// The overview is the page finance opens: the books day by day (orders, refunds, lost chargebacks,
// payouts with their amounts per currency; subscriptions; what parked), the completeness ledger of
// the same days with each exception and what to do, the payouts, and the parked syncs. Every table
// has its CSV (tables.ts). An order's page lists its records by document number with amounts, linked
// into NetSuite and the Temporal Web UI.
import type { SyncDetail } from './books-status.js';
import { sumMoney, type FinanceOverview, type Money } from './finance-overview.js';
import type { SyncPage } from './sync-detail.js';
import { reasonText } from '../mappings/park-reasons.js';
import {
  completenessTable,
  daysTable,
  detailHref,
  exceptionsTable,
  parkedByReasonTable,
  parkedTable,
  payoutsTable,
  recordsTable,
  UNKNOWN_REASON_FIX,
  type Cell,
  type Column,
  type Table,
} from './tables.js';

export { detailHref };

export interface StatusSection {
  id: string;
  title: string;
  /** Trusted HTML (build it with `html`/`esc`). */
  body: string;
}

export const esc = (v: unknown): string =>
  String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px}header p{margin:2px 0 0;opacity:.8;font-size:13px}
main{padding:8px 28px 40px;max-width:1280px}section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:18px 0;padding:6px 18px 14px}
h2{font-size:17px;margin:12px 0}h3{font-size:15px;margin:14px 0 6px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eceef1;vertical-align:top}
th{font-size:12px;text-transform:uppercase;color:#5b6470}.num{text-align:right;font-variant-numeric:tabular-nums}
td .more{display:block;color:#5b6470;font-size:13px}.nowrap{white-space:nowrap}.num .more{white-space:nowrap}
.ok{color:#1a7f37;font-weight:600}.warn{color:#b35900;font-weight:600}.tiles{display:flex;gap:14px;flex-wrap:wrap}
.tile{flex:1;min-width:170px;border:1px solid #dde1e6;border-radius:6px;padding:10px 14px}.tile b{display:block;font-size:26px}
.tile .more{display:block;color:#5b6470;font-size:13px;font-variant-numeric:tabular-nums}
.csv{float:right;font-size:13px;margin-top:-34px}code{background:#f0f2f5;padding:1px 4px;border-radius:3px}a{color:#0b5cad}.muted{color:#5b6470;font-size:13px}`;

export function page(title: string, body: string, generatedAt: Date): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head><body>
<header><h1>${esc(title)}</h1><p>2checkout-netsuite-sync · read-only · as of ${esc(generatedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC</p></header>
<main>${body}</main></body></html>`;
}

const section = (s: StatusSection) => `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>${s.body}</section>`;

/** Backticked commands in a catalogue text become code. */
const withCode = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function cellHtml(cell: Cell): string {
  let inner = cell.code ? `<code>${esc(cell.text)}</code>` : withCode(cell.text);
  if (cell.href) inner = `<a href="${esc(cell.href)}">${inner}</a>`;
  if (cell.tone) inner = `<span class="${cell.tone}">${inner}</span>`;
  return inner + (cell.more ?? []).map((m) => `<span class="more">${withCode(m)}</span>`).join('');
}

/** A table with its CSV link; `empty` when it has no rows. */
export function tableHtml(t: Table, opts: { csvHref?: string; empty?: string; caption?: string } = {}): string {
  if (t.rows.length === 0 && opts.empty) return opts.empty;
  const cls = (col: Column | undefined) => {
    const names = [col?.num ? 'num' : '', col?.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
    return names ? ` class="${names}"` : '';
  };
  const head = t.columns.map((col) => `<th${cls(col)}>${esc(col.label)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((cell, i) => `<td${cls(t.columns[i])}>${cellHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  const csv = opts.csvHref ? `<a class="csv" href="${esc(opts.csvHref)}" download>Download CSV</a>` : '';
  return `${csv}<table id="${esc(t.id)}-table"><thead><tr>${head}</tr></thead><tbody>\n${body}</tbody></table>${opts.caption ? `<p class="muted">${opts.caption}</p>` : ''}`;
}

const amountsLines = (m: Money) =>
  m.amounts.map((a) => `<span class="more">${esc(a.currency)} ${esc(a.amount)}</span>`).join('');

function tiles(o: FinanceOverview): string {
  const today = o.days[0];
  const money =
    today?.refunds && today.chargebacks
      ? sumMoney([...today.refunds.amounts, ...today.chargebacks.amounts])
      : undefined;
  return `<div class="tiles">
<div class="tile" id="tile-orders">Orders today<b>${today?.orders.count ?? 0}</b>${today ? amountsLines(today.orders) : ''}</div>
<div class="tile" id="tile-money-back">Refunds and lost chargebacks today<b>${money ? money.count : '—'}</b>${money ? amountsLines(money) : ''}</div>
<div class="tile" id="tile-parked">Parked now<b class="${o.status.parkedTotal ? 'warn' : 'ok'}">${o.status.parkedTotal}</b>${o.status.parkedTotal ? '<span class="more"><a href="#parked">see below</a></span>' : ''}</div>
<div class="tile" id="tile-in-progress">In progress now<b>${o.status.inProgress}</b></div></div>`;
}

function payoutsSummary(o: FinanceOverview): string {
  const part = (state: 'posted' | 'waiting' | 'parked', tone?: string) => {
    const list = o.payouts.filter((p) => p.state === state);
    const m = sumMoney(
      list.flatMap((p) => (p.amount && p.currency ? [{ currency: p.currency, amount: p.amount }] : [])),
    );
    const amounts = m.amounts.map((a) => `${esc(a.currency)} ${esc(a.amount)}`).join(', ');
    const label = `${list.length} ${state}${amounts ? ` (${amounts})` : ''}`;
    return tone && list.length ? `<span class="${tone}">${label}</span>` : label;
  };
  return `<p id="payouts-summary">${part('posted', 'ok')} · ${part('waiting')} · ${part('parked', 'warn')} · <a href="${esc(o.payoutsListUrl)}">all payouts in the Temporal Web UI</a></p>`;
}

export function renderOverview(
  o: FinanceOverview,
  opts: {
    extraSections?: StatusSection[];
    netsuiteLink?: (r: { type: string; id: string }) => string | undefined;
  } = {},
): string {
  const booksNote =
    o.books.source === 'netsuite'
      ? 'Orders, refunds and lost chargebacks: the documents the sync posted in NetSuite dated that day (sales orders or cash sales; credit memos), with their totals per currency. Payouts: posted with that date. Subscriptions: whose state changed that day.'
      : `Amounts are not shown: ${esc(o.books.why)}. Orders: order syncs completed that day (Temporal). Payouts: posted with that date. Subscriptions: whose state changed that day.`;
  const exceptions = exceptionsTable(o);
  const sections: StatusSection[] = [
    { id: 'today', title: 'Today', body: tiles(o) },
    {
      id: 'days',
      title: 'The books, day by day',
      body: tableHtml(daysTable(o), { csvHref: '/export/days.csv', caption: booksNote }),
    },
    {
      id: 'completeness',
      title: 'Completeness: 2Checkout against NetSuite',
      body:
        tableHtml(completenessTable(o), {
          csvHref: '/export/completeness.csv',
          caption:
            'A day is complete when every order 2Checkout lists for it is in NetSuite with the same amounts. The nightly reconciliation checks the last days; <code>npm run reconcile -- --date YYYY-MM-DD</code> checks one now.',
        }) +
        `<h3>Exceptions</h3>${tableHtml(exceptions, { csvHref: '/export/exceptions.csv', empty: '<p class="ok">No exceptions on these days.</p>' })}`,
    },
    {
      id: 'payouts',
      title: 'Payouts',
      body:
        payoutsSummary(o) +
        tableHtml(payoutsTable(o, opts.netsuiteLink ?? (() => undefined)), {
          csvHref: '/export/payouts.csv',
          empty: '<p class="muted">No payouts yet.</p>',
        }),
    },
    {
      id: 'parked-by-reason',
      title: 'Parked, by reason',
      body: tableHtml(parkedByReasonTable(o), {
        csvHref: '/export/parked-by-reason.csv',
        empty: '<p class="ok">Nothing is parked.</p>',
      }),
    },
    {
      id: 'parked',
      title: 'Parked syncs',
      body: tableHtml(parkedTable(o), { csvHref: '/export/parked.csv', empty: '<p class="ok">No parked syncs.</p>' }),
    },
    ...(opts.extraSections ?? []),
  ];
  return page('State of the books: 2Checkout → NetSuite', sections.map(section).join('\n'), o.generatedAt);
}

/** The tables of the overview by their CSV name. */
export function overviewTables(
  o: FinanceOverview,
  netsuiteLink: (r: { type: string; id: string }) => string | undefined = () => undefined,
): Record<string, Table> {
  const all = [
    daysTable(o),
    completenessTable(o),
    exceptionsTable(o),
    payoutsTable(o, netsuiteLink),
    parkedByReasonTable(o),
    parkedTable(o),
  ];
  return Object.fromEntries(all.map((t) => [t.id, t]));
}

function subscriptionSummary(detail: SyncDetail): string {
  const d = detail as SyncDetail & {
    plan?: { productCode?: string; quantity?: number };
    period?: { end?: string };
    renewals?: number;
    orders?: Array<{ refNo: string; kind: string; productCode: string; quantity: number }>;
  };
  if (!d.licenseCode) return '';
  const facts = [
    d.status ? `Status <b>${esc(d.status)}</b>` : '',
    d.plan?.productCode ? `plan ${esc(d.plan.productCode)} × ${esc(d.plan.quantity ?? 1)}` : '',
    d.period?.end ? `paid until ${esc(d.period.end.slice(0, 10))}` : '',
    d.renewals !== undefined
      ? d.renewals === 0
        ? 'not renewed yet'
        : `renewed ${esc(d.renewals)} time${d.renewals === 1 ? '' : 's'}`
      : '',
  ].filter(Boolean);
  const orders = (d.orders ?? [])
    .map(
      (o) =>
        `<li><a href="${esc(detailHref(`order/${o.refNo}`))}">order ${esc(o.refNo)}</a>: ${esc(o.kind === 'initial' ? 'first order' : o.kind)} (${esc(o.productCode)} × ${esc(o.quantity)})</li>`,
    )
    .join('');
  return `<p>${facts.join(', ')}</p>${orders ? `<ul>${orders}</ul>` : ''}`;
}

export function renderDetail(workflowId: string, p: SyncPage, opts: { webUiUrl?: string; now: Date }): string {
  const { detail } = p;
  const park = detail.park
    ? `<p class="warn">Parked: ${esc(detail.park.reason)} at step ${esc(detail.park.step)}${detail.park.since ? ` since ${esc(detail.park.since.slice(0, 16).replace('T', ' '))}` : ''}</p>
<p>${esc(detail.park.message)}</p><p><b>What fixes it:</b> ${esc(reasonText(detail.park.reason)?.fix ?? UNKNOWN_REASON_FIX)}</p>`
    : `<p class="${detail.syncStatus === 'Synced' ? 'ok' : ''}">${esc(detail.syncStatus)}${detail.orderStatus ? ` <span class="muted">(2Checkout: ${esc(detail.orderStatus)})</span>` : ''}</p>`;
  const journal = detail.journal.length
    ? `<table><thead><tr><th>When (UTC)</th><th>What</th><th>Detail</th></tr></thead><tbody>
${detail.journal.map((j) => `<tr><td>${esc(j.at.slice(0, 19).replace('T', ' '))}</td><td>${esc(j.what)}</td><td>${esc(j.detail ?? '')}</td></tr>`).join('\n')}</tbody></table>`
    : '<p class="muted">Empty.</p>';
  const source =
    p.recordsSource.from === 'history'
      ? `Internal ids and the amounts NetSuite reported when the sync wrote them; document numbers need NetSuite: ${esc(p.recordsSource.why)}.`
      : p.recordsSource.from === 'netsuite'
        ? 'From NetSuite: each record by its document number, linked to its page in NetSuite.'
        : '';
  const records = tableHtml(recordsTable(p.records), {
    csvHref: `${detailHref(workflowId)}/records.csv`,
    empty: '<p class="muted">No NetSuite records yet.</p>',
    caption: source,
  });
  const body = [
    `<p><a href="/">← State of the books</a>${opts.webUiUrl ? ` · <a href="${esc(opts.webUiUrl)}">Open in the Temporal Web UI</a>` : ''}</p>`,
    section({ id: 'status', title: 'Status', body: park + subscriptionSummary(detail) }),
    section({ id: 'records', title: 'Records in NetSuite', body: records }),
    section({ id: 'journal', title: 'Journal', body: journal }),
  ].join('\n');
  return page(workflowId, body, opts.now);
}
