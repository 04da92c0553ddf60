// `npm run shadow-report -- --from 2026-03-01 --to 2026-03-07 [--json]`: what the sync in shadow mode
// (SYNC_MODE=shadow) would have done with the orders sold on those days: adopted and equal,
// adopted but different, would create, would park; with totals per currency (docs/cutover.md).
// Exit code 3 when anything would change (a difference, a park, a record to create).
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { formatShadowReport, readShadowReport } from '../../../operations/shadow-report.js';
import { EXIT, errorMessage, type CliIo } from '../ops/cli-io.js';
import { parseDay } from '../completeness/dates.js';

const USAGE = 'usage: npm run shadow-report -- --from YYYY-MM-DD --to YYYY-MM-DD [--json]';

export async function runShadowReportCli(
  argv: string[],
  deps: { client: Client; namespace: string; uiBase: string; io: CliIo; now?: Date },
): Promise<number> {
  const { io } = deps;
  let from: string;
  let to: string;
  let json: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    from = parseDay('--from', values.from, deps.now);
    to = parseDay('--to', values.to ?? values.from, deps.now);
    if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
    json = values.json;
  } catch (e) {
    io.err(`${errorMessage(e)}\n${USAGE}`);
    return EXIT.usage;
  }
  const report = await readShadowReport(deps.client, { from, to, uiBase: deps.uiBase, namespace: deps.namespace });
  if (json) io.out(JSON.stringify(report, null, 2));
  else for (const line of formatShadowReport(report)) io.out(line);
  if (report.totals.orders === 0)
    io.err(
      `No shadow verdicts for orders sold ${from} to ${to}: is SYNC_MODE=shadow set on the gateway and the worker, and did their webhooks arrive?`,
    );
  const c = report.totals.counts;
  return c.adoptedDifferent + c.wouldCreate + c.wouldPark > 0 ? EXIT.found : EXIT.ok;
}
