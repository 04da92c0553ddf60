// What the status page answers for each of its read-only addresses (server.ts checks access first):
//   GET /                          the overview (render.ts)
//   GET /export/<table>.csv        one overview table as CSV: days, completeness, exceptions, payouts,
//                                  parked-by-reason, parked
//   GET /syncs/<id>                one order's or subscription's page
//   GET /syncs/<id>/records.csv    its records as CSV
import { esc, overviewTables, renderDetail, renderOverview, type StatusSection } from './render.js';
import { readFinanceOverview, type StatusSources } from './finance-overview.js';
import { netsuiteRecordUrl } from './netsuite-ui.js';
import { readSyncPage } from './sync-detail.js';
import { recordsTable, toCsv } from './tables.js';
import { workflowUrl } from '../operations/web-ui.js';

export interface PageAnswer {
  status: number;
  body: string;
  type?: string;
  headers?: Record<string, string>;
}

const CSV = 'text/csv; charset=utf-8';
const download = (name: string) => ({ 'content-disposition': `attachment; filename="${name}"` });
const SYNC_ID = /^(order|subscription)\/[^/]+$/;

/** The answer for `pathname`, or undefined when it is not one of these pages. */
export async function answerPage(
  src: StatusSources,
  pathname: string,
  now: Date,
  opts: { extraSections?: () => Promise<StatusSection[]> } = {},
): Promise<PageAnswer | undefined> {
  const link = (r: { type: string; id: string }) =>
    src.netsuiteUiUrl ? netsuiteRecordUrl(src.netsuiteUiUrl, r) : undefined;
  if (pathname === '/') {
    const overview = await readFinanceOverview(src, now);
    return {
      status: 200,
      body: renderOverview(overview, { extraSections: (await opts.extraSections?.()) ?? [], netsuiteLink: link }),
    };
  }
  const exported = /^\/export\/([a-z-]+)\.csv$/.exec(pathname);
  if (exported) {
    const table = overviewTables(await readFinanceOverview(src, now), link)[exported[1]!];
    if (!table) return { status: 404, body: '<p>No such table. <a href="/">Status</a></p>' };
    return {
      status: 200,
      body: toCsv(table),
      type: CSV,
      headers: download(`${table.id}-${now.toISOString().slice(0, 10)}.csv`),
    };
  }
  const m = /^\/syncs\/([^/]+)(\/records\.csv)?$/.exec(pathname);
  if (!m) return undefined;
  let workflowId = '';
  try {
    workflowId = decodeURIComponent(m[1]!);
  } catch {
    // a malformed %-escape is not a sync id
  }
  if (!SYNC_ID.test(workflowId))
    return { status: 404, body: '<p>Not a sync: expected order/&lt;REFNO&gt; or subscription/&lt;code&gt;.</p>' };
  let syncPage;
  try {
    syncPage = await readSyncPage(src, workflowId);
  } catch (err) {
    if (err instanceof Error && /not found/i.test(err.message))
      return { status: 404, body: `<p>No sync ${esc(workflowId)}.</p>` };
    throw err;
  }
  if (m[2])
    return {
      status: 200,
      body: toCsv(recordsTable(syncPage.records)),
      type: CSV,
      headers: download(`${workflowId.replace('/', '-')}-records.csv`),
    };
  const webUiUrl = src.uiBase ? workflowUrl(src.uiBase, src.namespace, workflowId) : undefined;
  return { status: 200, body: renderDetail(workflowId, syncPage, { now, ...(webUiUrl ? { webUiUrl } : {}) }) };
}
