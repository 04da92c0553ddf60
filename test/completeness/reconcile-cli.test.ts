// `npm run reconcile` over a range of days (a month-end close): each day is reconciled in turn by its
// own reconcileDayWorkflow, the summary names the days that are not complete, and a range that
// cannot be meant starts nothing. Temporal is replaced by a recorder of the workflows started; the
// day workflow itself is covered against both sandboxes in reconcile.test.ts.
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CompletenessLedger } from '../../mappings/completeness.js';
import { runReconcileCli } from '../../scripts/lib/completeness/reconcile-cli.js';

function ledger(date: string, state: CompletenessLedger['state']): CompletenessLedger {
  return {
    date,
    state,
    ordersIn2co: 2,
    ordersInNs: state === 'complete' ? 2 : 1,
    counts: { matched: state === 'complete' ? 2 : 1, healed: 0, mismatched: 0, pending: state === 'complete' ? 0 : 1, void: 0 },
    byCurrency: {},
    exceptions: [],
    calls: { netsuite: 1, twocheckout: 1 },
    finishedAt: `${date}T03:00:00.000Z`,
  };
}

function run(argv: string[], incompleteDays: string[] = []) {
  const started: Array<{ workflowType: string; date: string; workflowId: string }> = [];
  const client = {
    workflow: {
      async execute(workflowType: string, opts: { workflowId: string; args: [{ date: string }] }) {
        started.push({ workflowType, date: opts.args[0].date, workflowId: opts.workflowId });
        return ledger(opts.args[0].date, incompleteDays.includes(opts.args[0].date) ? 'incomplete' : 'complete');
      },
    },
  } as unknown as Client;
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  return { started, out, err, code: runReconcileCli(argv, { client, namespace: 'default', uiBase: 'http://ui', io }) };
}

describe('npm run reconcile -- --from … --to …', () => {
  it('reconciles every day of the range in order and says which are not complete (exit 3)', async () => {
    const r = run(['--from', '2026-02-27', '--to', '2026-03-02'], ['2026-03-01']);
    expect(await r.code).toBe(3);
    expect(r.started.map((s) => [s.workflowType, s.date])).toEqual([
      ['reconcileDayWorkflow', '2026-02-27'],
      ['reconcileDayWorkflow', '2026-02-28'],
      ['reconcileDayWorkflow', '2026-03-01'],
      ['reconcileDayWorkflow', '2026-03-02'],
    ]);
    expect(r.out.at(-1)).toBe('2026-02-27 … 2026-03-02: 4 days, 3 complete, incomplete: 2026-03-01');
  });

  it('exits 0 when every day is complete, and --json gives one ledger per day', async () => {
    const r = run(['--from', '2026-03-01', '--to', '2026-03-03', '--json']);
    expect(await r.code).toBe(0);
    const days = JSON.parse(r.out.join('\n')) as Array<CompletenessLedger & { workflowId: string }>;
    expect(days.map((d) => [d.date, d.state])).toEqual([['2026-03-01', 'complete'], ['2026-03-02', 'complete'], ['2026-03-03', 'complete']]);
    expect(days[0]!.workflowId).toBe(r.started[0]!.workflowId);
  });

  it.each([
    [['--from', '2026-03-05', '--to', '2026-03-01'], '--from 2026-03-05 is after --to 2026-03-01'],
    [['--from', '2026-01-01', '--to', '2026-12-31'], 'reconcile at most 62 days at a time'],
    [['--from', '2026-03-01'], '--to is required'],
    [['--date', '2026-03-01', '--to', '2026-03-02'], 'not both'],
    [['--from', '2026-02-30', '--to', '2026-03-02'], '--from "2026-02-30" is not a date'],
  ])('refuses %j with a sentence and starts nothing', async (argv, message) => {
    const r = run(argv);
    expect(await r.code).toBe(2);
    expect(r.err.join('\n')).toContain(message);
    expect(r.started).toEqual([]);
  });
});
