// `npm run ops -- retry|skip|resync <ref-or-workflow-id> [--reason "…"] [--by "…"]`, or one action
// for every sync parked for a reason (`--parked-for UNMAPPED_PRODUCT`, after fixing the mapping).
// The action-request commands (refund, cancel-subscription, auto-renew-off, approve, reject,
// requests) are in request-cli.ts.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { OperatorAction } from '../../../workflows/messages.js';
import type { WorkerStatus } from '../../../worker/metrics.js';
import { EXIT, errorMessage, type CliIo } from './cli-io.js';
import { sendOperatorAction } from '../../../operations/operator-actions.js';
import { findStuckSyncs, stuckQuery } from '../../../operations/stuck-syncs.js';
import { UnknownWorkflowError } from '../../../operations/workflow-ref.js';
import { workflowUrl } from '../../../operations/web-ui.js';
import type { RequestQueues } from '../../../operations/action-requests.js';
import { REQUEST_ACTIONS, REQUEST_USAGE, runRequestCli } from './request-cli.js';

export const OPS_USAGE = `usage: npm run ops -- <action> <ref> [--reason "…"] [--by "…"]
       npm run ops -- <retry|skip> --parked-for <REASON_CODE> [--reason "…"] [--by "…"]
${REQUEST_USAGE}

  retry  <ref>                 run the parked step again (after fixing its cause, e.g. the mapping)
  skip   <ref> --reason "…"    give up on the parked step (and the steps that need it)
  resync <ref> --reason "…"    post the order again from its stored events; what still exists in
                               NetSuite is found by externalId, so nothing is duplicated; steps you
                               skipped stay skipped unless named: --steps invoice,payment

  <ref>          a REFNO (order/<REFNO>), a licence code (subscription/<CODE>) or a workflow id
  --parked-for   instead of <ref>: every sync parked for this reason code, e.g. UNMAPPED_PRODUCT
  --by           who decides (default: $OPS_USER, else your login name); recorded with the reason

A JSON audit line per action goes to OPS_AUDIT_LOG (default .data/ops-audit.log; stderr for the
terminal). Exit code 0: accepted; 2: refused by the workflow (the message says why) or bad
arguments; 1: not found / not running.`;

const ACTIONS = ['retry', 'skip', 'resync'] as const;

export interface OpsCliDeps {
  client: Client;
  namespace: string;
  uiBase: string;
  io: CliIo;
  /** Audit log of every action (JSON lines). */
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** The worker's status (WORKER_STATUS_URL): a retry carries its mapping state, so the workflow can refuse it while the file does not load. */
  workerStatus?: () => Promise<WorkerStatus | undefined>;
  /** Task queues of action requests (tests use their own). */
  requestQueues?: RequestQueues;
}

type Targets = { ref: string } | { parkedFor: string };

export async function runOpsCli(argv: string[], deps: OpsCliDeps): Promise<number> {
  const { io } = deps;
  const requestAction = REQUEST_ACTIONS.find((a) => a === argv[0]);
  if (requestAction) {
    return runRequestCli(requestAction, argv.slice(1), { ...deps, operator: defaultOperator(deps.env ?? process.env) });
  }
  let action: OperatorAction;
  let targets: Targets;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        reason: { type: 'string' },
        by: { type: 'string' },
        steps: { type: 'string' },
        'parked-for': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(OPS_USAGE);
      return EXIT.ok;
    }
    const [name, target, ...rest] = positionals;
    if (!name || !(ACTIONS as readonly string[]).includes(name))
      throw new Error(
        name
          ? `unknown action "${name}": use retry, skip or resync (requests: ${REQUEST_ACTIONS.join(', ')})`
          : 'missing action',
      );
    if (rest.length > 0)
      throw new Error(`unexpected arguments: ${rest.join(' ')} (quote a reason with spaces: --reason "…")`);
    const parkedFor = values['parked-for']?.trim().toUpperCase();
    if (parkedFor) {
      if (target) throw new Error('give a <ref> or --parked-for, not both');
      if (name === 'resync') throw new Error('resync applies to syncs that are not parked: give a <ref>');
      stuckQuery({ mode: 'parked', reason: parkedFor }); // validates the code
      targets = { parkedFor };
    } else {
      if (!target) throw new Error(`missing the REFNO, licence code or workflow id to ${name}`);
      targets = { ref: target };
    }
    const by = values.by?.trim() || defaultOperator(deps.env ?? process.env);
    const steps = values.steps
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    action = {
      action: name as OperatorAction['action'],
      ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}),
      ...(by ? { by } : {}),
      ...(steps?.length ? { steps } : {}),
    };
  } catch (err) {
    io.err(errorMessage(err));
    io.err(OPS_USAGE);
    return EXIT.usage;
  }

  if (action.action === 'retry') {
    const m = (await deps.workerStatus?.())?.mappings;
    if (m)
      action = {
        ...action,
        mappings: { file: m.file, version: m.version, ...(m.loadError ? { loadError: m.loadError.message } : {}) },
      };
  }

  if ('ref' in targets) return actOn(targets.ref, action, deps);

  const parked = await findStuckSyncs(
    deps.client,
    { mode: 'parked', reason: targets.parkedFor },
    { uiBase: deps.uiBase, namespace: deps.namespace, limit: 10_000 },
  );
  const refs = parked.map((s) => s.workflowId);
  if (refs.length === 0) {
    io.out(`Nothing is parked for ${targets.parkedFor}.`);
    return EXIT.ok;
  }
  io.out(
    `${action.action} for ${refs.length} ${refs.length === 1 ? 'sync' : 'syncs'} parked for ${targets.parkedFor}:`,
  );
  const codes: number[] = [];
  for (const ref of refs) codes.push(await actOn(ref, action, deps));
  const accepted = codes.filter((c) => c === EXIT.ok).length;
  io.out(`${accepted} of ${refs.length} accepted.`);
  if (codes.includes(EXIT.usage)) return EXIT.usage;
  return codes.includes(EXIT.failed) ? EXIT.failed : EXIT.ok;
}

/** Sends one action, prints and audits the outcome; returns the exit code for it. */
async function actOn(ref: string, action: OperatorAction, deps: OpsCliDeps): Promise<number> {
  const { io, logger } = deps;
  const audit = { ref, action: action.action, reason: action.reason, by: action.by };
  try {
    const outcome = await sendOperatorAction(deps.client, ref, action);
    const link = workflowUrl(deps.uiBase, deps.namespace, outcome.workflowId);
    switch (outcome.status) {
      case 'accepted': {
        logger.info(
          { ...audit, workflowId: outcome.workflowId, step: outcome.result.step, outcome: 'accepted' },
          `operator ${action.action} accepted`,
        );
        const at = outcome.result.step ? ` at step ${outcome.result.step}` : '';
        io.out(
          `${action.action} accepted by ${outcome.workflowId}${at}; recorded in its journal${action.by ? ` (by ${action.by})` : ''}.`,
        );
        io.out(`  ${link}`);
        return EXIT.ok;
      }
      case 'rejected':
        logger.warn(
          { ...audit, workflowId: outcome.workflowId, outcome: 'rejected', why: outcome.message },
          `operator ${action.action} rejected`,
        );
        io.err(`${action.action} rejected by ${outcome.workflowId}: ${outcome.message}`);
        io.err(`  ${link}`);
        return EXIT.usage;
      case 'not-running':
        logger.warn(
          { ...audit, workflowId: outcome.workflowId, outcome: 'not-running' },
          `operator ${action.action} not applicable`,
        );
        io.err(outcome.message);
        io.err(`  ${link}`);
        return EXIT.failed;
    }
  } catch (err) {
    logger.error({ ...audit, outcome: 'error', err: errorMessage(err) }, `operator ${action.action} failed`);
    if (err instanceof UnknownWorkflowError) {
      io.err(err.message);
      return EXIT.failed;
    }
    throw err;
  }
}

function defaultOperator(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OPS_USER?.trim()) return env.OPS_USER.trim();
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
