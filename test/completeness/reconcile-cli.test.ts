// `npm run reconcile` over a range of days (a month-end close): each day is reconciled in turn by its
// own reconcileDayWorkflow, the summary names the days that are not complete, and a range that
// cannot be meant starts nothing. Temporal is replaced by a recorder of the workflows started; the
// day workflow itself is covered against both sandboxes in reconcile.test.ts.
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CompletenessLedger } from '../../mappings/completeness.js';
import { runReconcileCli } from '../../scripts/lib/completeness/reconcile-cli.js';
import { wouldPostLines } from '../../scripts/lib/completeness/backfill-cli.js';

function ledger(date: string, state: CompletenessLedger['state']): CompletenessLedger {
  return {
    date,
    state,
    ordersIn2co: 2,
    ordersInNs: state === 'complete' ? 2 : 1,
    counts: {
      matched: state === 'complete' ? 2 : 1,
      healed: 0,
      mismatched: 0,
      pending: state === 'complete' ? 0 : 1,
      void: 0,
    },
    byCurrency: {},
    exceptions: [],
    calls: { netsuite: 1, twocheckout: 1 },
    finishedAt: `${date}T03:00:00.000Z`,
  };
}

/** A day a controller checks at month end: two currencies, refunds, a lost chargeback, exceptions. */
function busyDay(date: string): CompletenessLedger {
  return {
    date,
    state: 'incomplete',
    ordersIn2co: 212,
    ordersInNs: 211,
    counts: { matched: 207, healed: 2, mismatched: 1, pending: 1, void: 1 },
    byCurrency: {
      EUR: {
        orders: 12,
        sales2co: '1290.40',
        salesNs: '1290.40',
        refunds: 1,
        refunded2co: '19.99',
        creditedNs: '19.99',
        chargebacksLost: 0,
      },
      USD: {
        orders: 200,
        sales2co: '1234567.89',
        salesNs: '1234468.89',
        refunds: 4,
        refunded2co: '497.00',
        creditedNs: '398.00',
        chargebacksLost: 2,
      },
    },
    exceptions: [
      {
        refNo: '70000123',
        reason: 'AMOUNT_MISMATCH',
        detail:
          'amount: NetSuite 0.00, 2Checkout 99.00 USD; the order is parked with RECONCILIATION_MISMATCH until someone decides',
        workflowId: 'order/70000123',
      },
      {
        refNo: '70000124',
        reason: 'MISSING_IN_NETSUITE',
        detail: 'invoice, customer payment',
        workflowId: 'order/70000124',
      },
    ],
    calls: { netsuite: 9, twocheckout: 3 },
    finishedAt: `${date}T03:00:00.000Z`,
  };
}

function run(
  argv: string[],
  incompleteDays: string[] = [],
  dayLedger: (date: string, state: CompletenessLedger['state']) => CompletenessLedger = ledger,
) {
  const started: Array<{ workflowType: string; date: string; workflowId: string }> = [];
  const client = {
    workflow: {
      async execute(workflowType: string, opts: { workflowId: string; args: [{ date: string }] }) {
        started.push({ workflowType, date: opts.args[0].date, workflowId: opts.workflowId });
        return dayLedger(opts.args[0].date, incompleteDays.includes(opts.args[0].date) ? 'incomplete' : 'complete');
      },
    },
  } as unknown as Client;
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  return { started, out, err, code: runReconcileCli(argv, { client, namespace: 'default', uiBase: 'http://ui', io }) };
}

// Issue 28: the table was ~150 characters wide with counts between the amount columns.
describe('npm run reconcile -- --date …: the report a controller reads', () => {
  it('counts together, amounts together, within 100 columns; exceptions wrapped, each reason with its fix', async () => {
    const r = run(['--date', '2026-03-14'], [], busyDay);
    expect(await r.code).toBe(3);
    expect(r.out.join('\n')).toBe(
      [
        '2026-03-14: incomplete, 2 exceptions',
        '',
        'Orders     in total  matched  healed  mismatched  pending  void',
        '2Checkout       212      207       2           1        1     1',
        'NetSuite        211',
        '',
        '                           count                            sales                 money back',
        'currency    orders  money back  chargebacks lost     2Checkout    NetSuite    2Checkout  NetSuite',
        'EUR             12           1                 0       1290.40     1290.40        19.99     19.99',
        'USD            200           4                 2    1234567.89  1234468.89       497.00    398.00',
        'Money back: refunds and lost chargebacks in 2Checkout, and what NetSuite credited for them.',
        '',
        'Exceptions:',
        '  70000123  AMOUNT_MISMATCH',
        '      amount: NetSuite 0.00, 2Checkout 99.00 USD; the order is parked with RECONCILIATION_MISMATCH',
        '      until someone decides',
        '      http://ui/namespaces/default/workflows/order%2F70000123',
        '  70000124  MISSING_IN_NETSUITE',
        '      invoice, customer payment',
        '      http://ui/namespaces/default/workflows/order%2F70000124',
        '',
        'What to do:',
        '  AMOUNT_MISMATCH      NetSuite differs from 2Checkout: find who changed the record (system notes),',
        '                       correct it and `npm run ops -- retry <REFNO>`, or accept it with',
        '                       `npm run ops -- skip <REFNO> --reason "…"`; the sync never overwrites it.',
        '  MISSING_IN_NETSUITE  The order is not (fully) in NetSuite yet: open its workflow; a parked sync',
        '                       says why; fix that and `npm run ops -- retry <REFNO>`.',
        '',
        'Calls: NetSuite 9, 2Checkout 3',
      ].join('\n'),
    );
    for (const line of r.out) if (!line.includes('://')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('--json is the ledger as recorded, unchanged', async () => {
    const r = run(['--date', '2026-03-14', '--json'], [], busyDay);
    expect(await r.code).toBe(3);
    const { workflowId, ...printed } = JSON.parse(r.out.join('\n')) as CompletenessLedger & { workflowId: string };
    expect(workflowId).toBe(r.started[0]!.workflowId);
    expect(printed).toEqual(busyDay('2026-03-14'));
  });
});

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
    expect(days.map((d) => [d.date, d.state])).toEqual([
      ['2026-03-01', 'complete'],
      ['2026-03-02', 'complete'],
      ['2026-03-03', 'complete'],
    ]);
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

describe('npm run backfill -- --dry-run: what it would post', () => {
  it('a table of the orders (amounts in one column), what each misses wrapped under it; nothing said as such', () => {
    expect(wouldPostLines([])).toEqual([
      'Would post nothing: NetSuite has every order 2Checkout lists for those days.',
    ]);
    expect(
      wouldPostLines([
        {
          refNo: '70000123',
          status: 'COMPLETE',
          currency: 'USD',
          gross: '1099.00',
          missing: ['sales order', 'invoice', 'customer payment'],
          events: ['COMPLETE'],
        },
        {
          refNo: '70000124',
          status: 'REFUND',
          currency: 'EUR',
          gross: '19.99',
          missing: ['credits 0.00 of 19.99'],
          events: ['COMPLETE', 'REFUND 19.99'],
        },
      ]),
    ).toEqual([
      'Would post 2 orders:',
      '  REFNO     status     amount  currency',
      '  70000123  COMPLETE  1099.00  USD',
      '      missing: sales order, invoice, customer payment; events: COMPLETE',
      '  70000124  REFUND      19.99  EUR',
      '      missing: credits 0.00 of 19.99; events: COMPLETE | REFUND 19.99',
    ]);
  });
});
