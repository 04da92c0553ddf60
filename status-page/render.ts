// Server-rendered HTML of the status page: no scripts, no external assets, every value escaped.
// The overview is a list of sections; completeness (2Checkout REST API vs NetSuite) and payouts
// are further sections appended by the server when those features exist (StatusSection).
import type { BooksStatus, SyncDetail } from './books-status.js';
import { reasonText } from '../mappings/park-reasons.js';

export interface StatusSection {
  id: string;
  title: string;
  /** Trusted HTML (build it with `html`/`esc`). */
  body: string;
}

export const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px}header p{margin:2px 0 0;opacity:.8;font-size:13px}
main{padding:8px 28px 40px;max-width:1200px}section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:18px 0;padding:6px 18px 14px}
h2{font-size:17px;margin:12px 0}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eceef1;vertical-align:top}
th{font-size:12px;text-transform:uppercase;color:#5b6470}.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37;font-weight:600}.warn{color:#b35900;font-weight:600}.tiles{display:flex;gap:14px;flex-wrap:wrap}
.tile{flex:1;min-width:160px;border:1px solid #dde1e6;border-radius:6px;padding:10px 14px}.tile b{display:block;font-size:26px}
code{background:#f0f2f5;padding:1px 4px;border-radius:3px}a{color:#0b5cad}.muted{color:#5b6470;font-size:13px}`;

export function page(title: string, body: string, generatedAt: Date): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head><body>
<header><h1>${esc(title)}</h1><p>2checkout-netsuite-sync · read-only · as of ${esc(generatedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC</p></header>
<main>${body}</main></body></html>`;
}

/** A code from a newer build than this page's. */
const UNKNOWN_REASON_FIX = 'see docs/operating.md, Park reasons';

const section = (s: StatusSection) => `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>${s.body}</section>`;
export const detailHref = (workflowId: string) => `/syncs/${encodeURIComponent(workflowId)}`;

export function renderOverview(status: BooksStatus, opts: { extraSections?: StatusSection[] } = {}): string {
  const today = status.days[0];
  const tiles = `<div class="tiles">
<div class="tile" id="tile-synced">Synced today<b class="ok">${today?.synced ?? 0}</b></div>
<div class="tile" id="tile-parked">Parked now<b class="${status.parkedTotal ? 'warn' : 'ok'}">${status.parkedTotal}</b></div>
<div class="tile" id="tile-in-progress">In progress now<b>${status.inProgress}</b></div></div>`;
  const days = `<table><thead><tr><th>Day (UTC)</th><th class="num">Synced</th><th class="num">Parked (still)</th></tr></thead><tbody>
${status.days.map((d) => `<tr><td>${esc(d.day)}</td><td class="num">${d.synced}</td><td class="num">${d.parked}</td></tr>`).join('\n')}</tbody></table>
<p class="muted">A sync counts on the day of its last change: an order synced on Monday and refunded on Wednesday counts on Wednesday.</p>`;
  const reasons = status.parkedByReason.length
    ? `<table><thead><tr><th>Reason</th><th class="num">Parked</th><th>What happened</th><th>What fixes it</th></tr></thead><tbody>
${status.parkedByReason.map((r) => `<tr><td><code>${esc(r.reason)}</code></td><td class="num">${r.count}</td><td>${esc(reasonText(r.reason)?.what ?? r.reason)}</td><td>${esc(reasonText(r.reason)?.fix ?? UNKNOWN_REASON_FIX)}</td></tr>`).join('\n')}</tbody></table>`
    : '<p class="ok">Nothing is parked.</p>';
  const parked = status.parked.length
    ? `<table><thead><tr><th>Sync</th><th>Reason</th><th>Since</th><th>Why</th></tr></thead><tbody>
${status.parked
  .map(
    (s) =>
      `<tr><td><a href="${esc(detailHref(s.workflowId))}">${esc(s.workflowId)}</a></td><td><code>${esc(s.reason ?? '')}</code>${s.step ? `<br><span class="muted">at ${esc(s.step)}</span>` : ''}</td><td>${esc(s.lastSyncAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '')}</td><td>${esc(s.message ?? '')}</td></tr>`,
  )
  .join('\n')}</tbody></table>`
    : '<p class="ok">No parked syncs.</p>';
  const sections: StatusSection[] = [
    { id: 'today', title: 'Today', body: tiles },
    { id: 'days', title: 'The last days', body: days },
    { id: 'parked-by-reason', title: 'Parked, by reason', body: reasons },
    { id: 'parked', title: 'Parked syncs', body: parked },
    ...(opts.extraSections ?? []),
  ];
  return page('State of the books: 2Checkout → NetSuite', sections.map(section).join('\n'), status.generatedAt);
}

function recordRows(detail: SyncDetail): string {
  const rows: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(detail.records ?? {})) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object') {
      for (const [ref, memo] of Object.entries(v as Record<string, unknown>)) rows.push([`${k} ${ref}`, JSON.stringify(memo)]);
    } else rows.push([k.replace(/Id$/, ''), String(v)]);
  }
  for (const r of detail.netsuiteRecords ?? []) rows.push([String((r as { type?: unknown }).type ?? 'record'), JSON.stringify(r)]);
  if (!rows.length) return '<p class="muted">No NetSuite records yet.</p>';
  return `<table><thead><tr><th>NetSuite record</th><th>Internal id / details</th></tr></thead><tbody>
${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td><code>${esc(v)}</code></td></tr>`).join('\n')}</tbody></table>`;
}

export function renderDetail(workflowId: string, detail: SyncDetail, opts: { webUiUrl?: string; now: Date }): string {
  const park = detail.park
    ? `<p class="warn">Parked: ${esc(detail.park.reason)} at step ${esc(detail.park.step)}${detail.park.since ? ` since ${esc(detail.park.since.slice(0, 16).replace('T', ' '))}` : ''}</p>
<p>${esc(detail.park.message)}</p><p><b>What fixes it:</b> ${esc(reasonText(detail.park.reason)?.fix ?? UNKNOWN_REASON_FIX)}</p>`
    : `<p class="${detail.syncStatus === 'Synced' ? 'ok' : ''}">${esc(detail.syncStatus)}</p>`;
  const journal = detail.journal.length
    ? `<table><thead><tr><th>When (UTC)</th><th>What</th><th>Detail</th></tr></thead><tbody>
${detail.journal.map((j) => `<tr><td>${esc(j.at.slice(0, 19).replace('T', ' '))}</td><td>${esc(j.what)}</td><td>${esc(j.detail ?? '')}</td></tr>`).join('\n')}</tbody></table>`
    : '<p class="muted">Empty.</p>';
  const body = [
    `<p><a href="/">← All syncs</a>${opts.webUiUrl ? ` · <a href="${esc(opts.webUiUrl)}">Open in the Temporal Web UI</a>` : ''}</p>`,
    section({ id: 'status', title: 'Status', body: park }),
    section({ id: 'records', title: 'Records in NetSuite', body: recordRows(detail) }),
    section({ id: 'journal', title: 'Journal', body: journal }),
  ].join('\n');
  return page(workflowId, body, opts.now);
}
