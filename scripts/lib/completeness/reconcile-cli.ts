// `npm run reconcile -- --date 2026-03-14 [--json] [--dry-run]`: reconciles one day now (a
// reconcileDayWorkflow) and prints its completeness ledger; exit code 0 when complete, 3 when not.
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
       npm run reconcile -- --schedule      create or update the nightly Schedule`;

export async function runReconcileCli(argv: string[], deps: { client: Client; namespace: string; uiBase: string; io: CliIo; env?: NodeJS.ProcessEnv }): Promise<number> {
  const { io } = deps;
  let values;
  try {
    values = parseArgs({ args: argv, options: { date: { type: 'string' }, json: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false }, schedule: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } }).values;
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
    io.out(`Schedule ${NIGHTLY_SCHEDULE_ID} ${what}: cron "${s.cron}" (UTC), reconciling the last ${s.days} day(s) each run.`);
    io.out(`${deps.uiBase}/namespaces/${encodeURIComponent(deps.namespace)}/schedules/${NIGHTLY_SCHEDULE_ID}`);
    return EXIT.ok;
  }
  let date: string;
  try {
    date = parseDay('--date', values.date);
  } catch (e) {
    io.err(`${errorMessage(e)}\n${USAGE}`);
    return EXIT.usage;
  }
  const workflowId = reconcileWorkflowId(date, `cli-${new Date().toISOString().replace(/[:.]/g, '')}`);
  if (!values.json) io.err(`Reconciling ${date}${values['dry-run'] ? ' (dry run: nothing is healed or parked)' : ''}… ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`);
  const ledger = (await deps.client.workflow.execute('reconcileDayWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId,
    args: [{ date, dryRun: values['dry-run'] }],
  })) as CompletenessLedger;
  if (values.json) io.out(JSON.stringify({ ...ledger, workflowId }, null, 2));
  else for (const line of formatLedger(ledger, { base: deps.uiBase, namespace: deps.namespace })) io.out(line);
  return ledger.state === 'complete' ? EXIT.ok : EXIT.found;
}
