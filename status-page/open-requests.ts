// Open action requests (refunds and subscription actions awaiting approval or being done,
// docs/actions.md) on the status page: a short section on the overview and their own page,
// `GET /requests`. Read-only: deciding is for `npm run ops -- approve|reject` or an MCP token with
// money:approve (a signed-in approver here is for the status page's sign-on, not built yet).
import type { OpenRequest } from '../operations/action-requests.js';
import { esc, page, type StatusSection } from './render.js';

function rows(requests: readonly OpenRequest[]): string {
  if (requests.length === 0) return '<p class="ok">No open requests.</p>';
  return `<table><thead><tr><th>Request</th><th>Phase</th><th>What</th><th>Asked by</th><th>Expires (UTC)</th></tr></thead><tbody>
${requests
  .map(
    (r) =>
      `<tr><td><a href="${esc(r.url)}">${esc(r.id)}</a></td><td>${r.park ? `<span class="warn">parked: ${esc(r.park.reason)}</span><br><span class="muted">${esc(r.park.message)}</span>` : esc(r.phase)}</td><td>${esc(r.summary)}</td><td>${esc(r.requester ?? '')}<br><span class="muted">${esc(r.requestedAt?.slice(0, 16).replace('T', ' ') ?? '')}</span></td><td>${esc(r.phase === 'awaiting-approval' ? (r.expiresAt?.slice(0, 16).replace('T', ' ') ?? '') : '')}</td></tr>`,
  )
  .join('\n')}</tbody></table>`;
}

const HOW =
  '<p class="muted">Read-only. Another person than the requester decides: <code>npm run ops -- approve &lt;request&gt;</code> or <code>reject &lt;request&gt; --reason "…"</code>, or an MCP token with <code>money:approve</code>.</p>';

/** The overview's section: how many are open and awaiting approval, with a link to the list. */
export function openRequestsSection(requests: readonly OpenRequest[]): StatusSection {
  const awaiting = requests.filter((r) => r.phase === 'awaiting-approval').length;
  const body = requests.length
    ? `<p><span class="${awaiting ? 'warn' : ''}">${awaiting} awaiting approval</span>, ${requests.length} open in all. <a href="/requests">See them</a>.</p>`
    : '<p class="ok">No open refund or subscription requests.</p>';
  return { id: 'requests', title: 'Refund and subscription requests', body };
}

export function renderRequestsPage(requests: readonly OpenRequest[], now: Date): string {
  return page(
    'Open refund and subscription requests',
    `<p><a href="/">← State of the books</a></p><section id="open-requests"><h2>Open requests</h2>${rows(requests)}${HOW}</section>`,
    now,
  );
}
