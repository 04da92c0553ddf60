// The status page's tables, each defined once and shown two ways: as HTML on the page and as the
// CSV a controller downloads (`/export/<table>.csv`), so the export holds exactly what the table
// shows. A money cell (a count and an amount per currency) becomes numbers in the CSV: one row per
// currency, so a spreadsheet can add them up.
import { LEDGER_EXCEPTION_FIXES } from '../mappings/completeness.js';
import { reasonText } from '../mappings/park-reasons.js';
import type { FinanceOverview, Money } from './finance-overview.js';
import type { RecordRow } from './sync-detail.js';

export interface Cell {
  text: string;
  href?: string;
  /** More lines under the text (the amounts per currency of a money cell, a step…). */
  more?: string[];
  code?: boolean;
  tone?: 'ok' | 'warn';
}

export interface Column {
  label: string;
  num?: boolean;
  /** Dates and document names stay on one line. */
  nowrap?: boolean;
}

export interface Table {
  /** Its id on the page and its name in `/export/<id>.csv`. */
  id: string;
  columns: Column[];
  rows: Cell[][];
  /** The CSV's rows, when they differ from the cells' text (money as numbers). */
  csv?: { header: string[]; rows: string[][] };
}

/** A code from a newer build than this page's. */
export const UNKNOWN_REASON_FIX = 'see docs/operating.md, Park reasons';
export const detailHref = (workflowId: string) => `/syncs/${encodeURIComponent(workflowId)}`;
const c = (text: string | number | undefined, more: Partial<Cell> = {}): Cell => ({
  text: text === undefined ? '' : String(text),
  ...more,
});
const moneyCell = (m: Money | undefined): Cell =>
  m === undefined
    ? c('—')
    : c(m.count, {
        more: m.amounts.map((a) =>
          m.amounts.length > 1 ? `${a.currency} ${a.amount} (${a.count})` : `${a.currency} ${a.amount}`,
        ),
      });
const when = (iso: string | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

export function daysTable(o: FinanceOverview): Table {
  const kinds = [
    ['orders', 'Orders'],
    ['refunds', 'Refunds'],
    ['chargebacks', 'Chargebacks lost'],
    ['payouts', 'Payouts'],
  ] as const;
  const csvRows: string[][] = [];
  for (const d of o.days) {
    for (const [key] of kinds) {
      const m = d[key];
      if (!m) continue;
      if (m.amounts.length === 0) csvRows.push([d.day, key, '', String(m.count), '']);
      for (const a of m.amounts) csvRows.push([d.day, key, a.currency, String(a.count), a.amount]);
    }
    csvRows.push([d.day, 'subscriptions', '', String(d.subscriptions), '']);
    csvRows.push([d.day, 'parked', '', String(d.parked), '']);
  }
  return {
    id: 'days',
    columns: [
      { label: 'Day (UTC)', nowrap: true },
      ...kinds.map(([, label]) => ({ label, num: true })),
      { label: 'Subscriptions changed', num: true },
      { label: 'Parked (still)', num: true },
    ],
    rows: o.days.map((d) => [
      c(d.day),
      ...kinds.map(([key]) => moneyCell(d[key])),
      c(d.subscriptions),
      c(d.parked, d.parked ? { tone: 'warn' } : {}),
    ]),
    csv: { header: ['day', 'kind', 'currency', 'count', 'amount'], rows: csvRows },
  };
}

export function completenessTable(o: FinanceOverview): Table {
  const rows = o.completeness.map((r) => {
    if (!r.found) return [c(r.date), c(r.why, { href: r.listUrl }), c(''), c(''), c(''), c(''), c(''), c(''), c('')];
    const l = r.ledger;
    return [
      c(r.date),
      c(l.state, { href: r.url, tone: l.state === 'complete' ? 'ok' : 'warn' }),
      c(l.ordersIn2co),
      c(l.ordersInNs),
      c(l.counts.matched),
      c(l.counts.healed),
      c(l.counts.pending, l.counts.pending ? { tone: 'warn' } : {}),
      c(l.counts.mismatched, l.counts.mismatched ? { tone: 'warn' } : {}),
      c(l.exceptions.length, l.exceptions.length ? { tone: 'warn' } : {}),
    ];
  });
  return {
    id: 'completeness',
    columns: [
      { label: 'Day (UTC)', nowrap: true },
      { label: 'State' },
      { label: 'Orders in 2Checkout', num: true },
      { label: 'in NetSuite', num: true },
      { label: 'Matched', num: true },
      { label: 'Healed', num: true },
      { label: 'Pending', num: true },
      { label: 'Mismatched', num: true },
      { label: 'Exceptions', num: true },
    ],
    rows,
  };
}

export function exceptionsTable(o: FinanceOverview): Table {
  const rows: Cell[][] = [];
  for (const r of o.completeness) {
    if (!r.found) continue;
    for (const e of r.ledger.exceptions) {
      rows.push([
        c(r.date),
        c(e.refNo, { href: detailHref(e.workflowId) }),
        c(e.reason, { code: true }),
        c(e.detail),
        c(LEDGER_EXCEPTION_FIXES[e.reason] ?? ''),
      ]);
    }
  }
  return {
    id: 'exceptions',
    columns: [
      { label: 'Day (UTC)', nowrap: true },
      { label: 'Order' },
      { label: 'Reason' },
      { label: 'What happened' },
      { label: 'What to do' },
    ],
    rows,
  };
}

export function payoutsTable(
  o: FinanceOverview,
  netsuiteLink: (r: { type: string; id: string }) => string | undefined,
): Table {
  return {
    id: 'payouts',
    columns: [
      { label: 'Payout' },
      { label: 'State' },
      { label: 'Date', nowrap: true },
      { label: 'Amount', num: true },
      { label: 'Currency' },
      { label: 'In NetSuite', nowrap: true },
    ],
    rows: o.payouts.map((p) => {
      const ns = p.record ? netsuiteLink(p.record) : undefined;
      const state =
        p.state === 'parked'
          ? c(p.label, { tone: 'warn', ...(p.parkMessage ? { more: [p.parkMessage] } : {}) })
          : p.state === 'waiting'
            ? c(
                p.label,
                p.waitingFor
                  ? { more: [`waits for ${p.waitingFor} document${p.waitingFor === 1 ? '' : 's'} to reach NetSuite`] }
                  : {},
              )
            : c(p.label, p.state === 'posted' ? { tone: 'ok' } : {});
      return [
        c(p.reference, { href: p.url }),
        state,
        c(p.date),
        c(p.amount ?? '—'),
        c(p.currency),
        p.record ? c(`${p.record.type} ${p.record.id}`, ns ? { href: ns } : {}) : c(''),
      ];
    }),
  };
}

export function parkedByReasonTable(o: FinanceOverview): Table {
  return {
    id: 'parked-by-reason',
    columns: [
      { label: 'Reason' },
      { label: 'Parked', num: true },
      { label: 'What happened' },
      { label: 'What fixes it' },
    ],
    rows: o.status.parkedByReason.map((r) => [
      c(r.reason, { code: true }),
      c(r.count),
      c(reasonText(r.reason)?.what ?? r.reason),
      c(reasonText(r.reason)?.fix ?? UNKNOWN_REASON_FIX),
    ]),
  };
}

export function parkedTable(o: FinanceOverview): Table {
  return {
    id: 'parked',
    columns: [{ label: 'Sync' }, { label: 'Reason' }, { label: 'Since (UTC)', nowrap: true }, { label: 'Why' }],
    rows: o.status.parked.map((s) => [
      // Orders and subscriptions have a page here; a payout's is its workflow in the Web UI.
      c(s.workflowId, { href: /^(order|subscription)\//.test(s.workflowId) ? detailHref(s.workflowId) : s.url }),
      c(s.reason ?? '', { code: true, ...(s.step ? { more: [`at ${s.step}`] } : {}) }),
      c(when(s.lastSyncAt?.toISOString())),
      c(s.message ?? ''),
    ]),
  };
}

/** RFC 4180, with cells a spreadsheet would run as a formula made text (a leading '). */
export function toCsv(t: Table): string {
  const header = t.csv?.header ?? t.columns.map((col) => col.label);
  // A dash says "unknown" on the page; in a spreadsheet that is an empty cell.
  const rows =
    t.csv?.rows ??
    t.rows.map((r) => r.map((cell) => (cell.text === '—' ? '' : [cell.text, ...(cell.more ?? [])].join('; '))));
  const field = (v: string) => {
    const safe = /^[=+@\t\r]/.test(v) || (/^-/.test(v) && !/^-\d+(\.\d+)?$/.test(v)) ? `'${v}` : v;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function recordsTable(rows: readonly RecordRow[]): Table {
  return {
    id: 'records',
    columns: [
      { label: 'Record' },
      { label: 'Number', nowrap: true },
      { label: 'Date', nowrap: true },
      { label: 'Amount', num: true },
      { label: 'Currency' },
      { label: 'Internal id' },
    ],
    rows: rows.map((r) => [
      // The document number opens the record in NetSuite; a record without one, its name does.
      c(r.label, r.href && !r.number ? { href: r.href } : {}),
      c(r.number ?? '—', r.href && r.number ? { href: r.href } : {}),
      c(r.date),
      c(r.amount),
      c(r.currency),
      c(r.id),
    ]),
    csv: {
      header: ['record', 'number', 'date', 'amount', 'currency', 'internal_id', 'netsuite_url'],
      rows: rows.map((r) => [
        r.label,
        r.number ?? '',
        r.date ?? '',
        r.amount ?? '',
        r.currency ?? '',
        r.id,
        r.href ?? '',
      ]),
    },
  };
}
