// `npm run backfill -- --from 2026-01-01 --to 2026-03-31 [--dry-run] [--detach] [--adopt-only | --post-missing]`: starts (or, when
// one for the same range is running, attaches to) the backfill workflow and shows its progress:
// orders seen / synced / parked / already there, rate and ETA. Stopping this command does not stop
// the backfill: it is a Temporal workflow; run the same command again to watch it.
import { parseArgs } from 'node:util';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { backfillWorkflowId, TASK_QUEUES } from '../../../workflows/messages.js';
import type { BackfillProgress } from '../../../workflows/backfill.js';
import { backfillProgressQuery } from '../../../workflows/backfill.js';
import { EXIT, errorMessage, type CliIo } from '../ops/cli-io.js';
import { textTable, wrapText } from '../../../operations/text-table.js';
import { workflowUrl } from '../../../operations/web-ui.js';
import { parseDay } from './dates.js';

const USAGE =
  'usage: npm run backfill -- --from YYYY-MM-DD --to YYYY-MM-DD [--dry-run] [--detach] [--adopt-only | --post-missing]';

/**
 * A range that starts before the cut-over says what to do with the orders the previous tool owns
 * (docs/cutover.md): adopt what it booked and report the rest, or also post what it did not book.
 */
export function cutoverProblem(
  from: string,
  cutoverAt: string | undefined,
  flag: 'adoptOnly' | 'postMissing' | undefined,
): string | undefined {
  if (flag || cutoverAt === undefined || Date.parse(`${from}T00:00:00Z`) >= Date.parse(cutoverAt)) return undefined;
  return (
    `--from ${from} is before the cut-over (cutover.at ${cutoverAt}): the previous tool owns those orders. Say what to do with them: ` +
    '--adopt-only (adopt what it booked, report the rest as BEFORE_CUTOVER, post nothing of them) or --post-missing (also post what it did not book)'
  );
}

export function progressLine(p: BackfillProgress, nowMs: number): string {
  const elapsed = Math.max(1, (nowMs - p.startedAt) / 1000);
  const handled = p.synced + p.parked + p.alreadyThere + p.pending;
  const rate = handled / elapsed;
  // Orders per day so far; before the first day is done, that day's count from the API.
  const perDay = p.daysDone > 0 ? p.seen / p.daysDone : p.dayOrders;
  const remaining = perDay === undefined ? undefined : Math.max(0, perDay * p.daysTotal - handled);
  const eta = remaining === undefined || rate === 0 ? '?' : formatDuration(remaining / rate);
  return `${p.done ? 'done' : `day ${p.day} page ${p.page}`} · ${p.daysDone}/${p.daysTotal} days · seen ${p.seen} · synced ${p.synced} · parked ${p.parked} · already there ${p.alreadyThere}${p.pending ? ` · pending ${p.pending}` : ''} · ${rate.toFixed(1)} orders/s · ETA ${p.done ? '0s' : eta}`;
}

function formatDuration(s: number): string {
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

export async function runBackfillCli(
  argv: string[],
  deps: {
    client: Client;
    namespace: string;
    uiBase: string;
    io: CliIo;
    pollMs?: number;
    cutoverAt?: () => string | undefined;
  },
): Promise<number> {
  const { io, client } = deps;
  let from: string;
  let to: string;
  let values;
  let cutover: 'adoptOnly' | 'postMissing' | undefined;
  try {
    values = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        detach: { type: 'boolean', default: false },
        'adopt-only': { type: 'boolean', default: false },
        'post-missing': { type: 'boolean', default: false },
      },
    }).values;
    from = parseDay('--from', values.from);
    to = parseDay('--to', values.to);
    if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
    if (values['adopt-only'] && values['post-missing'])
      throw new Error('--adopt-only and --post-missing exclude each other: choose one');
    cutover = values['adopt-only'] ? 'adoptOnly' : values['post-missing'] ? 'postMissing' : undefined;
    const problem = cutoverProblem(from, deps.cutoverAt?.(), cutover);
    if (problem) throw new Error(problem);
  } catch (e) {
    io.err(`${errorMessage(e)}\n${USAGE}`);
    return EXIT.usage;
  }
  const dryRun = values['dry-run'];
  const workflowId = `${backfillWorkflowId(from, to)}${dryRun ? '/dry-run' : ''}${cutover === 'adoptOnly' ? '/adopt-only' : cutover === 'postMissing' ? '/post-missing' : ''}`;
  try {
    await client.workflow.start('backfillWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId,
      args: [{ from, to, dryRun, ...(cutover ? { cutover } : {}) }],
    });
    io.err(
      `Backfill ${from}..${to}${dryRun ? ' (dry run)' : ''}${cutover ? ` (${cutover === 'adoptOnly' ? 'adopt only' : 'post missing'})` : ''} started: ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`,
    );
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    io.err(
      `Backfill ${from}..${to} is already running; watching it: ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`,
    );
  }
  if (values.detach) return EXIT.ok;
  const handle = client.workflow.getHandle(workflowId);
  for (;;) {
    const desc = await handle.describe();
    if (desc.status.name !== 'RUNNING') {
      const p = (await handle.result()) as BackfillProgress;
      io.out(progressLine(p, Date.now()));
      if (p.dryRun) {
        for (const line of wouldPostLines(p.wouldPost)) io.out(line);
      }
      return p.parked > 0 || p.pending > 0 ? EXIT.found : EXIT.ok;
    }
    const p = await handle.query(backfillProgressQuery).catch(() => undefined);
    if (p) io.err(progressLine(p, Date.now()));
    await new Promise((r) => setTimeout(r, deps.pollMs ?? 2_000));
  }
}

/** The dry run's orders as a table (amounts together), what each misses and the events it would post wrapped under it. */
export function wouldPostLines(wouldPost: BackfillProgress['wouldPost']): string[] {
  if (wouldPost.length === 0) return ['Would post nothing: NetSuite has every order 2Checkout lists for those days.'];
  const n = `${wouldPost.length}${wouldPost.length >= 500 ? '+' : ''}`;
  const table = textTable(
    [
      { header: 'REFNO' },
      { header: 'status', align: 'left' },
      { header: 'amount' },
      { header: 'currency', align: 'left' },
    ],
    wouldPost.map((w) => [w.refNo, w.status, w.gross, w.currency]),
  );
  const out = [`Would post ${n} order${wouldPost.length === 1 ? '' : 's'}:`, `  ${table[0]}`];
  wouldPost.forEach((w, i) => {
    out.push(
      `  ${table[i + 1]}`,
      ...wrapText(`missing: ${w.missing.join(', ')}; events: ${w.events.join(' | ')}`, 92).map((x) => `      ${x}`),
    );
  });
  return out;
}
