// `npm run reconcile -- --date 2026-03-14 [--json] [--dry-run]`: reconciles one day now (a
// reconcileDayWorkflow) and prints its completeness ledger; exit code 0 when complete, 3 when not.
// `--from D1 --to D2`: every day of the range in turn (a month-end close), and a summary.
// `npm run reconcile -- --schedule`: creates or updates the nightly Schedule (RECONCILE_SCHEDULE_CRON, RECONCILE_DAYS).
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { reconcileWorkflowId, TASK_QUEUES } from '../../../workflows/messages.js';
import type { CompletenessLedger } from '../../../mappings/completeness.js';
import { EXIT, errorMessage, type CliIo } from '../ops/cli-io.js';
import { workflowUrl } from '../../../operations/web-ui.js';
import { parseDay } from './dates.js';
import { formatLedger } from '../../../operations/ledger-format.js';
import { ensureNightlySchedule, loadScheduleConfig, NIGHTLY_SCHEDULE_ID } from './schedule.js';

const USAGE = `usage: npm run reconcile -- --date YYYY-MM-DD [--json] [--dry-run]
       npm run reconcile -- --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--dry-run]
                 every day of a range, one after another (a month's close: refunds and
                 chargebacks whose webhooks were lost after the nightly window are found
                 on their order's day)
       npm run reconcile -- --schedule      create or update the nightly Schedule`;

/** A month and a few days: a longer range is more likely a typo than a close. */
const MAX_RANGE_DAYS = 62;

export async function runReconcileCli(
  argv: string[],
  deps: { client: Client; namespace: string; uiBase: string; io: CliIo; env?: NodeJS.ProcessEnv },
): Promise<number> {
  const { io } = deps;
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        date: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        schedule: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    io.err(`${errorMessage(e)}\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (values.schedule) {
    const s = loadScheduleConfig(deps.env);
    const what = await ensureNightlySchedule(deps.client, s);
    io.out(
      `Schedule ${NIGHTLY_SCHEDULE_ID} ${what}: cron "${s.cron}" (UTC), reconciling the last ${s.days} day(s) each run.`,
    );
    io.out(`${deps.uiBase}/namespaces/${encodeURIComponent(deps.namespace)}/schedules/${NIGHTLY_SCHEDULE_ID}`);
    return EXIT.ok;
  }
  let days: string[];
  try {
    days = daysToReconcile(values);
  } catch (e) {
    io.err(`${errorMessage(e)}\n${USAGE}`);
    return EXIT.usage;
  }
  const dryRun = values['dry-run'];
  const ledgers: Array<CompletenessLedger & { workflowId: string }> = [];
  for (const date of days) {
    const workflowId = reconcileWorkflowId(date, `cli-${new Date().toISOString().replace(/[:.]/g, '')}`);
    if (!values.json)
      io.err(
        `Reconciling ${date}${dryRun ? ' (dry run: nothing is healed or parked)' : ''}… ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`,
      );
    const ledger = (await deps.client.workflow.execute('reconcileDayWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId,
      args: [{ date, dryRun }],
    })) as CompletenessLedger;
    ledgers.push({ ...ledger, workflowId });
    if (!values.json) {
      if (ledgers.length > 1) io.out('');
      for (const line of formatLedger(ledger, { base: deps.uiBase, namespace: deps.namespace })) io.out(line);
    }
  }
  const incomplete = ledgers.filter((l) => l.state !== 'complete');
  if (values.json) io.out(JSON.stringify(values.date !== undefined ? ledgers[0] : ledgers, null, 2));
  else if (ledgers.length > 1) {
    io.out('');
    io.out(
      `${days[0]} … ${days.at(-1)}: ${ledgers.length} days, ${ledgers.length - incomplete.length} complete${incomplete.length ? `, incomplete: ${incomplete.map((l) => l.date).join(', ')}` : ''}`,
    );
  }
  return incomplete.length === 0 ? EXIT.ok : EXIT.found;
}

/** `--date D`, or every day from `--from` to `--to` inclusive. */
function daysToReconcile(values: {
  date?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): string[] {
  if (values.date !== undefined) {
    if (values.from !== undefined || values.to !== undefined)
      throw new Error('use --date for one day or --from and --to for a range, not both');
    return [parseDay('--date', values.date)];
  }
  if (values.from === undefined && values.to === undefined)
    throw new Error('--date is required (YYYY-MM-DD, or "today" / "yesterday"), or --from and --to for a range');
  const from = parseDay('--from', values.from);
  const to = parseDay('--to', values.to);
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (span < 1) throw new Error(`--from ${from} is after --to ${to}`);
  if (span > MAX_RANGE_DAYS)
    throw new Error(`--from ${from} --to ${to} is ${span} days; reconcile at most ${MAX_RANGE_DAYS} days at a time`);
  return Array.from({ length: span }, (_, k) => new Date(Date.parse(from) + k * 86_400_000).toISOString().slice(0, 10));
}
