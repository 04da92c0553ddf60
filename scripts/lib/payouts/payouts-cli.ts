// `npm run payouts -- sync|import|report|list|schedule|demo`: operate the payout workflows
// (workflows/payout.ts). Retry and skip of a parked payout are the same as for orders:
// `npm run ops -- retry payout/<reference>`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { request } from 'undici';
import { TASK_QUEUES, payoutWorkflowId } from '../../../workflows/messages.js';
import {
  type PayoutPollInput,
  type PayoutPollResult,
  type PayoutSyncState,
  type PayoutWorkflowInput,
} from '../../../workflows/payout-messages.js';
import { loadMappingConfig, type MappingConfig } from '../../../mappings/config-loader.js';
import { parsePayoutCsv } from '../../../mappings/payout-csv.js';
import { resolveCurrency } from '../../../mappings/resolve.js';
import type { PayoutContent } from '../../../mappings/payout-amounts.js';
import { parseDay } from '../completeness/dates.js';
import { EXIT, errorMessage, type CliIo } from '../ops/cli-io.js';
import {
  listPayouts,
  noPayoutMessage,
  payoutListLines,
  payoutStateLines,
  readPayoutState,
} from '../../../operations/payouts.js';
import { workflowUrl } from '../../../operations/web-ui.js';

export const PAYOUTS_USAGE = `usage: npm run payouts -- <command> [options]

  sync <reference> [--wait]        start (or re-run) the payout's workflow payout/<reference>; a payout
                                   already in NetSuite is found by externalId and posts nothing (a
                                   revised one posts the correction). --wait returns once it posted,
                                   parked (exit 3) or waits for documents
  sync --from D1 --to D2 [--wait]  history: every payout 2Checkout lists between those days (YYYY-MM-DD),
                                   also before the poll's look-back
  import <file.csv> [--dry-run] [--wait]
                                   a settlement export of the control panel, read through
                                   payouts.csvImport of the mapping file (MAPPINGS_FILE), into the
                                   same payout workflow; every problem of the file is listed at once
  report [<reference>] [--json]    the payout explained: bank amount, documents per currency, each
                                   covered payment and refund where the ledger shows it, adjustment
                                   lines, FX, variance and the NetSuite records (revisions too);
                                   without a reference: every payout
  list [--json]                    every payout workflow: date, amount, documents, state
  schedule [--every 1h] [--lookback-days 35]
                                   create or update the Temporal Schedule that polls 2Checkout for payouts
  demo [--currency USD]            sandbox only: pay out the orders the 2Checkout API sandbox holds
                                   (TWOCHECKOUT_API_BASE_URL): a EUR payout of the EUR orders and a USD
                                   payout of the others (or one payout in --currency), sync and report

A parked payout resumes like an order: npm run ops -- retry payout/<reference>`;

export const PAYOUT_SCHEDULE_ID = 'payout-poll';

export interface PayoutsCliDeps {
  client: Client;
  namespace: string;
  uiBase: string;
  io: CliIo;
  env?: NodeJS.ProcessEnv;
  /** Tests: the workflow task queue and the activity queues of their own workers. */
  taskQueue?: string;
  queues?: PayoutWorkflowInput['queues'];
  /** Tests: the mapping config `import` reads (default: MAPPINGS_FILE or config/mappings.yaml). */
  mappings?: MappingConfig;
  /** How long `--wait` waits for a payout to settle before printing where it is (default 2 minutes). */
  settleTimeoutMs?: number;
}

export async function runPayoutsCli(argv: string[], deps: PayoutsCliDeps): Promise<number> {
  const { io } = deps;
  const env = deps.env ?? process.env;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        wait: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean' },
        every: { type: 'string' },
        'lookback-days': { type: 'string' },
        currency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    io.err(`${errorMessage(e)}\n${PAYOUTS_USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, reference] = positionals;
  if (values.help || !command) {
    io.out(PAYOUTS_USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const range = values.from !== undefined || values.to !== undefined;
  if (command === 'sync' && !reference && !range) {
    io.err(
      'sync needs a payout reference (npm run payouts -- sync NS000001) or a range of days (sync --from 2026-01-01 --to 2026-03-31)',
    );
    return EXIT.usage;
  }
  if (command === 'import' && !reference) {
    io.err('import needs the CSV file, e.g. npm run payouts -- import settlement-2026-11.csv');
    return EXIT.usage;
  }
  const taskQueue = deps.taskQueue ?? TASK_QUEUES.workflows;
  switch (command) {
    case 'sync':
      if (range) {
        if (reference) {
          io.err('use either a reference or --from/--to, not both');
          return EXIT.usage;
        }
        return history(deps, taskQueue, values.from, values.to, values.wait === true);
      }
      return sync(deps, reference!, taskQueue, values.wait === true ? 'settled' : false);
    case 'import':
      return importCsv(deps, env, taskQueue, reference!, values['dry-run'] === true, values.wait === true);
    case 'report':
      return reference ? report(deps, reference, values.json === true) : reportAll(deps, values.json === true);
    case 'list':
      return list(deps, values.json === true);
    case 'schedule':
      return schedule(deps, taskQueue, values.every ?? '1h', Number(values['lookback-days'] ?? 35));
    case 'demo':
      return demo(deps, env, taskQueue, values.currency?.toUpperCase());
    default:
      io.err(`unknown command "${command}"\n${PAYOUTS_USAGE}`);
      return EXIT.usage;
  }
}

/**
 * wait: false returns once started; 'settled' returns once it posted, parked or waits for documents
 * (which may take days: it says so and returns rather than hold the terminal until
 * payouts.waitForPayments ends). Exit: 0 posted or waiting, 3 parked, 1 no workflow to read.
 */
async function sync(
  deps: PayoutsCliDeps,
  reference: string,
  taskQueue: string,
  wait: false | 'settled',
  input: Partial<PayoutWorkflowInput> = {},
): Promise<number> {
  const workflowId = payoutWorkflowId(reference);
  const args: PayoutWorkflowInput = { reference, ...input, ...(deps.queues ? { queues: deps.queues } : {}) };
  try {
    // A finished payout may be run again (sync twice, a revised payout): its entry is found, not posted twice.
    await deps.client.workflow.start('payoutWorkflow', {
      workflowId,
      taskQueue,
      args: [args],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    deps.io.out(`started ${workflowId}: ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`);
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    deps.io.out(`${workflowId} is already running: ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`);
  }
  if (!wait) return EXIT.ok;
  return waitSettled(deps, reference, Date.now() + (deps.settleTimeoutMs ?? 120_000));
}

/** Waits until the payout posted, parked or waits for documents; prints its state. */
async function waitSettled(deps: PayoutsCliDeps, reference: string, deadline: number): Promise<number> {
  const workflowId = payoutWorkflowId(reference);
  for (;;) {
    const state = await readPayoutState(deps.client, reference);
    if (!state && Date.now() > deadline) {
      // Not running and no result: it failed or was terminated; the Web UI has its history.
      deps.io.err(`${noPayoutMessage(reference)} (${workflowUrl(deps.uiBase, deps.namespace, workflowId)})`);
      return EXIT.failed;
    }
    const settled =
      state &&
      (state.report !== undefined ||
        state.park !== undefined ||
        state.waitingFor.length > 0 ||
        ['posted', 'canceled', 'skipped'].includes(state.phase));
    if (state && (settled || Date.now() > deadline)) {
      printState(deps.io, state, false);
      if (state.park) return EXIT.found;
      if (!state.report && state.waitingFor.length === 0 && !['posted', 'canceled', 'skipped'].includes(state.phase))
        deps.io.out(`  still running: npm run payouts -- report ${reference} shows where it is`);
      return EXIT.ok;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** History: the poll over a range of days; new payouts start, revised ones start again. */
async function history(
  deps: PayoutsCliDeps,
  taskQueue: string,
  fromText: string | undefined,
  toText: string | undefined,
  wait: boolean,
): Promise<number> {
  let from: string;
  let to: string;
  try {
    from = parseDay('--from', fromText);
    to = parseDay('--to', toText);
    if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
  } catch (e) {
    deps.io.err(`${errorMessage(e)}\n${PAYOUTS_USAGE}`);
    return EXIT.usage;
  }
  const workflowId = `payout-history/${from}..${to}/${new Date().toISOString().replace(/[:.]/g, '')}`;
  const input: PayoutPollInput = {
    from,
    to,
    ...(deps.queues ? { queues: deps.queues } : {}),
    ...(deps.taskQueue ? { taskQueue: deps.taskQueue } : {}),
  };
  const r = (await deps.client.workflow.execute('payoutPollWorkflow', {
    workflowId,
    taskQueue,
    args: [input],
  })) as PayoutPollResult;
  deps.io.out(
    `payouts ${from}..${to}: ${r.known} listed by 2Checkout, ${r.started.length} started${r.started.length ? `: ${r.started.join(', ')}` : ''}`,
  );
  for (const x of r.revised ?? []) deps.io.out(`  started again ${x.reference}: ${x.why}`);
  if (!wait) return EXIT.ok;
  let code: number = EXIT.ok;
  for (const reference of [...r.started, ...(r.revised ?? []).map((x) => x.reference)]) {
    const c = await waitSettled(deps, reference, Date.now() + (deps.settleTimeoutMs ?? 120_000));
    if (c !== EXIT.ok) code = c;
  }
  return code;
}

/** A control-panel CSV export into the payout workflow: nothing starts while the file has a problem. */
async function importCsv(
  deps: PayoutsCliDeps,
  env: NodeJS.ProcessEnv,
  taskQueue: string,
  file: string,
  dryRun: boolean,
  wait: boolean,
): Promise<number> {
  let config: MappingConfig;
  let text: string;
  try {
    config = deps.mappings ?? loadMappingConfig(env.MAPPINGS_FILE ?? 'config/mappings.yaml');
    text = readFileSync(file, 'utf8');
  } catch (e) {
    deps.io.err(errorMessage(e));
    return EXIT.usage;
  }
  const { payouts, problems } = parsePayoutCsv(text, config.payouts.csvImport, (c) =>
    config.currencies[c] ? resolveCurrency(c, config).exponent : 2,
  );
  if (problems.length > 0) {
    deps.io.err(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported. Fix the file or payouts.csvImport in the mapping file:`,
    );
    for (const p of problems) deps.io.err(`  ${p}`);
    return EXIT.usage;
  }
  for (const p of payouts)
    deps.io.out(`${p.reference}  ${p.date}  ${p.amount} ${p.currency}  ${p.status}  ${describeContent(p)}`);
  if (dryRun) {
    deps.io.out(`dry run: ${payouts.length} payout(s) read from ${file}; nothing started`);
    return EXIT.ok;
  }
  let code: number = EXIT.ok;
  for (const p of payouts) {
    const c = await sync(deps, p.reference, taskQueue, wait ? 'settled' : false, { content: p });
    if (c !== EXIT.ok) code = c;
  }
  return code;
}

function describeContent(p: PayoutContent): string {
  const parts = [`${p.orders.length} orders`, `${p.refunds.length} refunds`];
  if (p.chargebackFees.length) parts.push(`${p.chargebackFees.length} fees`);
  if (p.reserve.length) parts.push(`${p.reserve.length} reserve lines`);
  if (p.transfers?.length) parts.push(`${p.transfers.length} transfers`);
  return parts.join(', ');
}

async function report(deps: PayoutsCliDeps, reference: string, json: boolean): Promise<number> {
  const state = await readPayoutState(deps.client, reference);
  if (!state) {
    deps.io.err(noPayoutMessage(reference));
    return EXIT.failed;
  }
  printState(deps.io, state, json);
  return EXIT.ok;
}

function printState(io: CliIo, s: PayoutSyncState, json: boolean): void {
  if (json) io.out(JSON.stringify(s, null, 2));
  else for (const line of payoutStateLines(s)) io.out(line);
}

async function reportAll(deps: PayoutsCliDeps, json: boolean): Promise<number> {
  const { payouts } = await listPayouts(deps.client, deps, Number.POSITIVE_INFINITY);
  const states: PayoutSyncState[] = [];
  for (const p of payouts) {
    const s = await readPayoutState(deps.client, p.reference);
    if (s) states.push(s);
  }
  if (json) deps.io.out(JSON.stringify(states, null, 2));
  else if (states.length === 0) deps.io.out('no payout workflows yet');
  else
    states.forEach((s, i) => {
      if (i > 0) deps.io.out('');
      for (const line of payoutStateLines(s)) deps.io.out(line);
    });
  return EXIT.ok;
}

async function list(deps: PayoutsCliDeps, json: boolean): Promise<number> {
  const l = await listPayouts(deps.client, deps, Number.POSITIVE_INFINITY);
  if (json) deps.io.out(JSON.stringify(l, null, 2));
  else for (const line of payoutListLines(l)) deps.io.out(line);
  return EXIT.ok;
}

async function schedule(deps: PayoutsCliDeps, taskQueue: string, every: string, lookbackDays: number): Promise<number> {
  if (!/^\d+\s*(m|h|d)$/.test(every) || !Number.isInteger(lookbackDays) || lookbackDays < 1) {
    deps.io.err('--every must be a duration such as 30m, 1h or 1d, and --lookback-days a positive integer');
    return EXIT.usage;
  }
  const args: [PayoutPollInput] = [{ lookbackDays }];
  const spec = { intervals: [{ every: every as `${number}${'m' | 'h' | 'd'}` }] };
  const action = { type: 'startWorkflow' as const, workflowType: 'payoutPollWorkflow', taskQueue, args };
  try {
    await deps.client.schedule.create({
      scheduleId: PAYOUT_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    deps.io.out(`created Schedule ${PAYOUT_SCHEDULE_ID}: every ${every}, payouts of the last ${lookbackDays} days`);
  } catch (e) {
    if (!/already (exists|running)/i.test(errorMessage(e))) throw e;
    await deps.client.schedule.getHandle(PAYOUT_SCHEDULE_ID).update((prev) => ({ ...prev, spec, action }));
    deps.io.out(`updated Schedule ${PAYOUT_SCHEDULE_ID}: every ${every}, payouts of the last ${lookbackDays} days`);
  }
  return EXIT.ok;
}

/**
 * Sandbox only. Without --currency: one EUR payout of the EUR orders (the EU subsidiary's) and one
 * USD payout of every other order, like a merchant paid per currency; with it, one payout of all.
 */
async function demo(
  deps: PayoutsCliDeps,
  env: NodeJS.ProcessEnv,
  taskQueue: string,
  currency: string | undefined,
): Promise<number> {
  const apiBase = env.TWOCHECKOUT_API_BASE_URL ?? 'http://127.0.0.1:8089/rest/6.0/';
  const admin = new URL('/__sandbox/payouts', apiBase);
  const requests = currency
    ? [{ currency }]
    : [
        { currency: 'EUR', orderCurrencies: ['EUR'] },
        { currency: 'USD', orderCurrencies: ['USD', 'GBP', 'JPY', 'CAD', 'KWD'] },
      ];
  let made = 0;
  for (const body of requests) {
    const res = await request(admin, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const out = (await res.body.json()) as {
      Reference?: string;
      Amount?: string;
      Currency?: string;
      Orders?: unknown[];
      message?: string;
    };
    if (res.statusCode !== 201 || !out.Reference) {
      deps.io.out(`no ${body.currency} payout: ${out.message ?? res.statusCode}`);
      continue;
    }
    made++;
    deps.io.out(
      `2Checkout sandbox paid out ${out.Orders?.length ?? 0} orders as payout ${out.Reference}: ${out.Amount} ${out.Currency}`,
    );
    await sync(deps, out.Reference, taskQueue, 'settled');
  }
  if (made === 0) {
    deps.io.err(
      `the 2Checkout API sandbox at ${admin.origin} had nothing to pay out: run npm run demo first (its orders are recorded in the API sandbox)`,
    );
    return EXIT.failed;
  }
  return EXIT.ok;
}
