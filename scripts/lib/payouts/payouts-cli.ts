// `npm run payouts -- sync|report|list|schedule|demo`: operate the payout workflows
// (workflows/payout.ts). Retry and skip of a parked payout are the same as for orders:
// `npm run ops -- retry payout/<reference>`.
import { parseArgs } from 'node:util';
import { ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { request } from 'undici';
import { TASK_QUEUES, payoutWorkflowId } from '../../../workflows/messages.js';
import { type PayoutPollInput, type PayoutSyncState, type PayoutWorkflowInput } from '../../../workflows/payout-messages.js';
import { EXIT, errorMessage, type CliIo } from '../ops/cli-io.js';
import { listPayouts, noPayoutMessage, payoutListLines, payoutStateLines, readPayoutState } from '../../../operations/payouts.js';
import { workflowUrl } from '../../../operations/web-ui.js';

export const PAYOUTS_USAGE = `usage: npm run payouts -- <command> [options]

  sync <reference> [--wait]        start (or re-run) the payout's workflow payout/<reference>; a payout
                                   already in NetSuite is found by externalId and posts nothing
  report <reference> [--json]      the payout explained: bank amount, documents per currency,
                                   adjustment lines, FX, variance and the NetSuite record
  list                             every payout workflow with its state (posted / waiting / parked)
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
  const needRef = ['sync', 'report'].includes(command);
  if (needRef && !reference) {
    io.err(`${command} needs a payout reference, e.g. npm run payouts -- ${command} NS000001`);
    return EXIT.usage;
  }
  const taskQueue = deps.taskQueue ?? TASK_QUEUES.workflows;
  switch (command) {
    case 'sync':
      return sync(deps, reference!, taskQueue, values.wait === true ? 'result' : false);
    case 'report':
      return report(deps, reference!, values.json === true);
    case 'list':
      return list(deps);
    case 'schedule':
      return schedule(deps, taskQueue, values.every ?? '1h', Number(values['lookback-days'] ?? 35));
    case 'demo':
      return demo(deps, env, taskQueue, values.currency?.toUpperCase());
    default:
      io.err(`unknown command "${command}"\n${PAYOUTS_USAGE}`);
      return EXIT.usage;
  }
}

/** wait: false returns once started; 'result' waits for the workflow to end; 'settled' until it posted, parked or waits for documents. */
async function sync(deps: PayoutsCliDeps, reference: string, taskQueue: string, wait: false | 'result' | 'settled'): Promise<number> {
  const workflowId = payoutWorkflowId(reference);
  const input: PayoutWorkflowInput = { reference, ...(deps.queues ? { queues: deps.queues } : {}) };
  try {
    await deps.client.workflow.start('payoutWorkflow', { workflowId, taskQueue, args: [input] });
    deps.io.out(`started ${workflowId}: ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`);
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    deps.io.out(`${workflowId} is already running: ${workflowUrl(deps.uiBase, deps.namespace, workflowId)}`);
  }
  if (!wait) return EXIT.ok;
  if (wait === 'result') {
    printState(deps.io, (await deps.client.workflow.getHandle(workflowId).result()) as PayoutSyncState, false);
    return EXIT.ok;
  }
  // Settled: posted, parked, or waiting for documents that are not in NetSuite yet (which may take
  // days: say so and return, rather than hold the terminal until payouts.waitForPayments ends).
  for (const deadline = Date.now() + 120_000; ; ) {
    const state = await readPayoutState(deps.client, reference);
    if (!state && Date.now() > deadline) {
      // Not running and no result: it failed or was terminated; the Web UI has its history.
      deps.io.err(`${noPayoutMessage(reference)} (${workflowUrl(deps.uiBase, deps.namespace, workflowId)})`);
      return EXIT.failed;
    }
    const settled = state && (state.report !== undefined || state.park !== undefined || state.waitingFor.length > 0);
    if (state && (settled || Date.now() > deadline)) {
      printState(deps.io, state, false);
      if (!state.report && !state.park) deps.io.out(`  still running: npm run payouts -- report ${reference} shows where it is`);
      return EXIT.ok;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
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

async function list(deps: PayoutsCliDeps): Promise<number> {
  for (const line of payoutListLines(await listPayouts(deps.client, deps, Number.POSITIVE_INFINITY))) deps.io.out(line);
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
    await deps.client.schedule.create({ scheduleId: PAYOUT_SCHEDULE_ID, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
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
async function demo(deps: PayoutsCliDeps, env: NodeJS.ProcessEnv, taskQueue: string, currency: string | undefined): Promise<number> {
  const apiBase = env.TWOCHECKOUT_API_BASE_URL ?? 'http://127.0.0.1:8089/rest/6.0/';
  const admin = new URL('/__sandbox/payouts', apiBase);
  const requests = currency
    ? [{ currency }]
    : [{ currency: 'EUR', orderCurrencies: ['EUR'] }, { currency: 'USD', orderCurrencies: ['USD', 'GBP', 'JPY', 'CAD', 'KWD'] }];
  let made = 0;
  for (const body of requests) {
    const res = await request(admin, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const out = (await res.body.json()) as { Reference?: string; Amount?: string; Currency?: string; Orders?: unknown[]; message?: string };
    if (res.statusCode !== 201 || !out.Reference) {
      deps.io.out(`no ${body.currency} payout: ${out.message ?? res.statusCode}`);
      continue;
    }
    made++;
    deps.io.out(`2Checkout sandbox paid out ${out.Orders?.length ?? 0} orders as payout ${out.Reference}: ${out.Amount} ${out.Currency}`);
    await sync(deps, out.Reference, taskQueue, 'settled');
  }
  if (made === 0) {
    deps.io.err(`the 2Checkout API sandbox at ${admin.origin} had nothing to pay out: run npm run demo first (its orders are recorded in the API sandbox)`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
