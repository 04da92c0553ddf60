// `npm run ops -- retry|skip|resync <ref-or-workflow-id> [--reason "…"] [--by "…"]`
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { OperatorAction } from '../../../workflows/messages.js';
import { EXIT, errorMessage, type CliIo } from './cli-io.js';
import { sendOperatorAction } from './operator-actions.js';
import { UnknownWorkflowError } from './workflow-ref.js';
import { workflowUrl } from './web-ui.js';

export const OPS_USAGE = `usage: npm run ops -- <action> <ref> [--reason "…"] [--by "…"]

  retry  <ref>                 run the parked step again (after fixing its cause, e.g. the mapping file)
  skip   <ref> --reason "…"    give up on the parked step (and the steps that need it); reason required
  resync <ref> --reason "…"    post the order again from its stored events; what still exists in
                               NetSuite is found by externalId, so nothing is duplicated; reason required

  <ref>    a REFNO (order/<REFNO>), a licence code (subscription/<CODE>) or a full workflow id
  --by     who decides (default: $OPS_USER, else your login name); recorded with the reason`;

const ACTIONS = ['retry', 'skip', 'resync'] as const;

export interface OpsCliDeps {
  client: Client;
  namespace: string;
  uiBase: string;
  io: CliIo;
  /** Audit log of every action (JSON lines). */
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

export async function runOpsCli(argv: string[], deps: OpsCliDeps): Promise<number> {
  const { io, logger } = deps;
  let action: OperatorAction;
  let ref: string;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { reason: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(OPS_USAGE);
      return EXIT.ok;
    }
    const [name, target, ...rest] = positionals;
    if (!name || !(ACTIONS as readonly string[]).includes(name)) throw new Error(name ? `unknown action "${name}": use retry, skip or resync` : 'missing action');
    if (!target) throw new Error(`missing the REFNO, licence code or workflow id to ${name}`);
    if (rest.length > 0) throw new Error(`unexpected arguments: ${rest.join(' ')} (quote a reason with spaces: --reason "…")`);
    ref = target;
    const by = values.by?.trim() || defaultOperator(deps.env ?? process.env);
    action = { action: name as OperatorAction['action'], ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}), ...(by ? { by } : {}) };
  } catch (err) {
    io.err(errorMessage(err));
    io.err(OPS_USAGE);
    return EXIT.usage;
  }

  const audit = { ref, action: action.action, reason: action.reason, by: action.by };
  try {
    const outcome = await sendOperatorAction(deps.client, ref, action);
    const link = workflowUrl(deps.uiBase, deps.namespace, outcome.workflowId);
    switch (outcome.status) {
      case 'accepted': {
        logger.info({ ...audit, workflowId: outcome.workflowId, step: outcome.result.step, outcome: 'accepted' }, `operator ${action.action} accepted`);
        const at = outcome.result.step ? ` at step ${outcome.result.step}` : '';
        io.out(`${action.action} accepted by ${outcome.workflowId}${at}; recorded in its journal${action.by ? ` as by ${action.by}` : ''}.`);
        io.out(`  ${link}`);
        return EXIT.ok;
      }
      case 'rejected':
        logger.warn({ ...audit, workflowId: outcome.workflowId, outcome: 'rejected', why: outcome.message }, `operator ${action.action} rejected`);
        io.err(`${action.action} rejected by ${outcome.workflowId}: ${outcome.message}`);
        io.err(`  ${link}`);
        return EXIT.usage;
      case 'not-running':
        logger.warn({ ...audit, workflowId: outcome.workflowId, outcome: 'not-running' }, `operator ${action.action} not applicable`);
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
