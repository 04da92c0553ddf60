// Shadow mode on the status page (docs/cutover.md): the verdicts of the last days, totalled per
// verdict and currency, as `npm run shadow-report` prints them: a section on the overview when
// there are any, and their own page, `GET /shadow?from=YYYY-MM-DD&to=YYYY-MM-DD`. Read-only.
import type { Client } from '@temporalio/client';
import { readShadowReport, type ShadowReport } from '../operations/shadow-report.js';
import { SHADOW_VERDICT_TEXT, type ShadowVerdictKind } from '../mappings/shadow.js';
import { detailHref, esc, page, type StatusSection } from './render.js';

const KINDS: readonly ShadowVerdictKind[] = ['adoptedEqual', 'adoptedDifferent', 'wouldCreate', 'wouldPark'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The range a request asks for (default: the last 7 days up to today, UTC). */
export function shadowRange(url: URL, now: Date): { from: string; to: string } {
  const today = now.toISOString().slice(0, 10);
  const to = DAY.test(url.searchParams.get('to') ?? '') ? url.searchParams.get('to')! : today;
  const from = DAY.test(url.searchParams.get('from') ?? '')
    ? url.searchParams.get('from')!
    : new Date(Date.parse(to) - 6 * DAY_MS).toISOString().slice(0, 10);
  return from <= to ? { from, to } : { from: to, to: from };
}

function totalsTable(r: ShadowReport): string {
  const t = r.totals;
  const currencies = Object.keys(t.byCurrency);
  const head = `<tr><th>Verdict</th><th class="num">Orders</th>${currencies.map((c) => `<th class="num">${esc(c)}</th>`).join('')}</tr>`;
  const body = KINDS.map(
    (k) =>
      `<tr id="shadow-${k}"><td>${esc(SHADOW_VERDICT_TEXT[k])}</td><td class="num">${t.counts[k]}</td>${currencies.map((c) => `<td class="num">${esc(t.byCurrency[c]!.byVerdict[k].gross)}</td>`).join('')}</tr>`,
  ).join('\n');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The overview's section, or nothing when no order was judged in shadow mode in the range. */
export async function shadowSection(
  client: Client,
  opts: { uiBase: string; namespace: string; now: Date },
): Promise<StatusSection[]> {
  const range = shadowRange(new URL('http://x/'), opts.now);
  const r = await readShadowReport(client, { ...range, uiBase: opts.uiBase, namespace: opts.namespace, limit: 20_000 });
  if (r.totals.orders === 0) return [];
  return [
    {
      id: 'shadow',
      title: `Shadow mode: what the sync would do (orders sold ${range.from} to ${range.to})`,
      body: `${totalsTable(r)}<p><a href="/shadow?from=${range.from}&amp;to=${range.to}">Every order and its verdict</a></p>`,
    },
  ];
}

export async function renderShadowPage(
  client: Client,
  url: URL,
  opts: { uiBase: string; namespace: string; now: Date },
): Promise<string> {
  const range = shadowRange(url, opts.now);
  const r = await readShadowReport(client, { ...range, uiBase: opts.uiBase, namespace: opts.namespace });
  const look = r.orders.filter((o) => o.verdict.kind !== 'adoptedEqual');
  const rows = look.length
    ? `<table><thead><tr><th>Order</th><th>Sold</th><th>Verdict</th><th class="num">2Checkout</th><th class="num">NetSuite</th><th>Why</th></tr></thead><tbody>
${look
  .map(
    (o) =>
      `<tr><td><a href="${esc(detailHref(o.workflowId))}">${esc(o.refNo)}</a></td><td>${esc(o.verdict.day)}</td><td>${esc(SHADOW_VERDICT_TEXT[o.verdict.kind])}</td><td class="num">${esc(o.verdict.gross)} ${esc(o.verdict.currency)}</td><td class="num">${esc(o.verdict.netsuiteTotal ?? '')}</td><td>${esc(o.verdict.reason ?? '')}</td></tr>`,
  )
  .join('\n')}</tbody></table>`
    : '<p class="ok">Every order was booked by the previous tool exactly as 2Checkout says.</p>';
  const body = `<p><a href="/">← State of the books</a></p>
<section id="shadow-totals"><h2>Orders sold ${esc(range.from)} to ${esc(range.to)}: ${r.totals.orders}</h2>${totalsTable(r)}</section>
<section id="shadow-orders"><h2>Orders that would change something</h2>${rows}<p class="muted">Each order's page has the full verdict: the records it would write, both figures of each difference. The same report: <code>npm run shadow-report -- --from ${esc(range.from)} --to ${esc(range.to)}</code>.</p></section>`;
  return page('Shadow mode', body, opts.now);
}
