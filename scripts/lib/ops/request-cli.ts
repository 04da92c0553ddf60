// The action-request commands of `npm run ops` (docs/actions.md): ask for a refund or a
// subscription action, approve or reject one, list or show them. Who acts is --by, else OPS_USER,
// else the login name: the CLI trusts whoever can reach Temporal, so a deployment that needs
// approvals by signed-in people gives approvers the MCP server's money:approve tokens instead.
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { isSubscriptionAction, type SubscriptionAction } from '../../../mappings/subscription-actions.js';
import {
  decideRequest,
  listOpenRequests,
  readRequest,
  requestLines,
  requestRefund,
  requestSubscriptionAction,
  type RequestQueues,
  type SubmitOutcome,
} from '../../../operations/action-requests.js';
import { workflowUrl } from '../../../operations/web-ui.js';
import { UnknownWorkflowError } from '../../../operations/workflow-ref.js';
import type { RefundLineAsk } from '../../../mappings/refundable.js';
import type { RequestActor } from '../../../workflows/action-request-messages.js';
import { EXIT, errorMessage, type CliIo } from './cli-io.js';

export const REQUEST_ACTIONS = [
  'refund',
  'cancel-subscription',
  'auto-renew-off',
  'approve',
  'reject',
  'requests',
] as const;

export const REQUEST_USAGE = `       npm run ops -- refund <REFNO> (--amount 19.99 | --line <LineItemReference>[:qty] …) --reason "…" [--comment "…"] [--currency USD]
       npm run ops -- cancel-subscription <LICENSE_CODE> --when now|period-end --reason "…"
       npm run ops -- auto-renew-off <LICENSE_CODE> --reason "…"
       npm run ops -- approve <request-id> [--reason "note"]
       npm run ops -- reject  <request-id> --reason "…"
       npm run ops -- requests [<request-id>]

  refund, cancel-subscription, auto-renew-off   ask for an act in 2Checkout; it is checked at once against
                               2Checkout and NetSuite, then waits for ANOTHER person's approval
                               (actions.approvalExpiry in the mapping file); --comment is what 2Checkout
                               shows the shopper; --line takes 2Checkout's LineItemReference (see the order)
  approve / reject <id>        decide a request (refund-request/<REFNO>/<n>, subscription-action/<CODE>/<n>);
                               you cannot approve your own request; reject needs a reason
  requests [<id>]              the open requests, or one request with its journal`;

export interface RequestCliDeps {
  client: Client;
  namespace: string;
  uiBase: string;
  io: CliIo;
  logger: Logger;
  /** Task queues of the request workflows and their activities (tests use their own). */
  requestQueues?: RequestQueues;
  operator: string | undefined;
}

function parseLines(values: string[] | undefined): RefundLineAsk[] | undefined {
  if (!values?.length) return undefined;
  return values.map((v) => {
    const m = /^([^:\s]+)(?::(\d+))?$/.exec(v.trim());
    if (!m) throw new Error(`--line ${JSON.stringify(v)}: give <LineItemReference> or <LineItemReference>:<quantity>`);
    return { lineItemReference: m[1]!, quantity: m[2] === undefined ? 1 : Number(m[2]) };
  });
}

export async function runRequestCli(
  name: (typeof REQUEST_ACTIONS)[number],
  argv: string[],
  deps: RequestCliDeps,
): Promise<number> {
  const { io, logger } = deps;
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        reason: { type: 'string' },
        by: { type: 'string' },
        amount: { type: 'string' },
        currency: { type: 'string' },
        line: { type: 'string', multiple: true },
        comment: { type: 'string' },
        when: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    io.err(errorMessage(err));
    return EXIT.usage;
  }
  const [target, ...rest] = positionals;
  const by: RequestActor = { name: values.by?.trim() || deps.operator || 'unknown', via: 'cli' };
  const reason = values.reason?.trim();
  const audit = { action: name, ref: target, by: by.name, via: by.via, reason };
  try {
    if (rest.length > 0)
      throw new Error(`unexpected arguments: ${rest.join(' ')} (quote a reason with spaces: --reason "…")`);
    if (name === 'requests') return await show(target, deps);
    if (!target)
      throw new Error(
        `missing the ${name === 'approve' || name === 'reject' ? 'request id' : name === 'refund' ? 'REFNO' : 'licence code'} to ${name}`,
      );
    if (!by.name || by.name === 'unknown')
      throw new Error('who are you? give --by or set OPS_USER (it is recorded, and the requester cannot approve)');

    if (name === 'approve' || name === 'reject') {
      if (name === 'reject' && !reason) throw new Error('reject needs --reason "…" (it is recorded)');
      const outcome = await decideRequest(deps.client, target, { action: name, by, ...(reason ? { reason } : {}) });
      const link = workflowUrl(deps.uiBase, deps.namespace, outcome.id);
      logger[outcome.status === 'accepted' ? 'info' : 'warn'](
        {
          ...audit,
          requestId: outcome.id,
          outcome: outcome.status,
          ...(outcome.status !== 'accepted' ? { why: outcome.message } : {}),
        },
        `request ${name} ${outcome.status}`,
      );
      if (outcome.status === 'accepted') {
        io.out(
          `${name === 'approve' ? 'Approved' : 'Rejected'} ${outcome.id}; recorded in its journal as by ${by.name}.${name === 'approve' ? ' It is being done in 2Checkout now: npm run ops -- requests ' + outcome.id : ''}`,
        );
        io.out(`  ${link}`);
        return EXIT.ok;
      }
      io.err(outcome.status === 'rejected' ? `${name} refused by ${outcome.id}: ${outcome.message}` : outcome.message);
      io.err(`  ${link}`);
      return outcome.status === 'rejected' ? EXIT.usage : EXIT.failed;
    }

    if (!reason) throw new Error(`${name} needs --reason "…" (why; it is recorded with your name)`);
    let outcome: SubmitOutcome;
    if (name === 'refund') {
      const lines = parseLines(values.line);
      if (values.amount === undefined && !lines)
        throw new Error('say what to refund: --amount 19.99, or --line <LineItemReference>[:qty] (one per line)');
      outcome = await requestRefund(
        deps.client,
        {
          refNo: target,
          ...(values.amount !== undefined ? { amount: values.amount } : {}),
          ...(values.currency ? { currency: values.currency } : {}),
          ...(lines ? { lines } : {}),
          reason,
          ...(values.comment ? { comment: values.comment } : {}),
          requester: by,
        },
        deps.requestQueues,
      );
    } else {
      let action: SubscriptionAction;
      if (name === 'auto-renew-off') action = 'autoRenewOff';
      else if (values.when === 'now') action = 'cancelNow';
      else if (values.when === 'period-end') action = 'cancelAtPeriodEnd';
      else throw new Error('cancel-subscription needs --when now or --when period-end');
      if (!isSubscriptionAction(action)) throw new Error(`unknown subscription action ${action}`);
      outcome = await requestSubscriptionAction(
        deps.client,
        { licenseCode: target, action, reason, requester: by },
        deps.requestQueues,
      );
    }
    const link = workflowUrl(deps.uiBase, deps.namespace, outcome.id);
    logger[outcome.status === 'submitted' || outcome.status === 'pending' ? 'info' : 'warn'](
      {
        ...audit,
        requestId: outcome.id,
        outcome: outcome.status,
        ...('message' in outcome ? { why: outcome.message } : {}),
      },
      `request ${name} ${outcome.status}`,
    );
    switch (outcome.status) {
      case 'submitted':
        for (const l of requestLines(outcome.state)) io.out(l);
        io.out(`Another person approves it with: npm run ops -- approve ${outcome.id}`);
        io.out(`  ${link}`);
        return EXIT.ok;
      case 'pending':
        io.out(outcome.message);
        return EXIT.ok;
      case 'refused':
        io.err(`${name} refused: ${outcome.message}. Nothing was done.`);
        return EXIT.usage;
      case 'conflict':
        io.err(outcome.message);
        io.err(`  ${link}`);
        return EXIT.usage;
    }
  } catch (err) {
    logger.error({ ...audit, outcome: 'error', err: errorMessage(err) }, `request ${name} failed`);
    if (err instanceof UnknownWorkflowError) {
      io.err(err.message);
      return EXIT.failed;
    }
    if (err instanceof Error && !/UNAVAILABLE|ECONNREFUSED|DEADLINE/i.test(err.message)) {
      io.err(err.message);
      io.err(REQUEST_USAGE);
      return EXIT.usage;
    }
    throw err;
  }
}

async function show(target: string | undefined, deps: RequestCliDeps): Promise<number> {
  if (target) {
    const s = await readRequest(deps.client, target);
    if (!s) {
      deps.io.err(`no request ${target} (or it failed / was terminated)`);
      return EXIT.failed;
    }
    for (const l of requestLines(s)) deps.io.out(l);
    for (const j of s.journal) deps.io.out(`  ${j.at}  ${j.what}${j.detail ? `: ${j.detail}` : ''}`);
    deps.io.out(`  ${workflowUrl(deps.uiBase, deps.namespace, s.id)}`);
    return EXIT.ok;
  }
  const { requests, listUrl } = await listOpenRequests(deps.client, { uiBase: deps.uiBase, namespace: deps.namespace });
  if (requests.length === 0) deps.io.out('No open requests.');
  for (const r of requests) {
    deps.io.out(`${r.id.padEnd(36)} ${r.phase.padEnd(18)} ${r.summary}`);
    deps.io.out(
      `  by ${r.requester ?? '?'} at ${r.requestedAt ?? '?'}${r.expiresAt && r.phase === 'awaiting-approval' ? `, expires ${r.expiresAt}` : ''}${r.park ? `; PARKED ${r.park.reason}: ${r.park.message}` : ''}`,
    );
  }
  deps.io.out(`Web UI: ${listUrl}`);
  return EXIT.ok;
}
