// Action requests over MCP (docs/actions.md): request_refund and request_subscription_action ask
// for an act in 2Checkout (money:request: an assistant's token may hold it), approve_request and
// reject_request decide one (money:approve: a person's token; the requester can never approve their
// own request, the workflow refuses it), list_requests shows them (sync:read). No scope implies
// another: sync:write gives none of these. Every call is audited (who, what, outcome).
import type { McpServer, ScopeChallengeHandler, ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { SUBSCRIPTION_ACTIONS } from '../../mappings/subscription-actions.js';
import {
  decideRequest,
  listOpenRequests,
  readRequest,
  requestLines,
  requestRefund,
  requestSubscriptionAction,
  type SubmitOutcome,
} from '../../operations/action-requests.js';
import { workflowUrl } from '../../operations/web-ui.js';
import { UnknownWorkflowError } from '../../operations/workflow-ref.js';
import type { RequestActor } from '../../workflows/action-request-messages.js';
import { AuthorizationError, hasScope, SCOPES, type Principal, type Scope } from '../scopes.js';
import { answer, callerOf, forCaller, refusal, type PrincipalResolver, type ToolDeps } from './context.js';

const Reason = z.string().trim().min(3, 'must say why in a few words (it is recorded with your name)').max(500);
const RequestId = z
  .string()
  .trim()
  .regex(
    /^(refund-request|subscription-action)\/[^/]+\/\d+$/,
    'a request id: refund-request/<REFNO>/<n> or subscription-action/<LICENSE_CODE>/<n>',
  )
  .describe('The request id, e.g. refund-request/123456789/1');
const SubmitOutput = z.object({
  outcome: z.enum(['submitted', 'refused', 'conflict', 'pending']),
  id: z.string(),
  message: z.string(),
  by: z.string(),
  url: z.string(),
});
const DecideOutput = z.object({
  outcome: z.enum(['accepted', 'rejected', 'not-running']),
  id: z.string(),
  message: z.string(),
  by: z.string(),
  url: z.string(),
});
const RequestSummary = z.object({
  id: z.string(),
  kind: z.string(),
  target: z.string().optional(),
  phase: z.string(),
  summary: z.string(),
  requester: z.string().optional(),
  requestedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  park: z.object({ step: z.string(), reason: z.string(), message: z.string() }).optional(),
  url: z.string(),
});
const ListOutput = z.object({
  requests: z.array(RequestSummary),
  listUrl: z.string(),
  detail: z.array(z.string()).optional(),
});

const actorOf = (p: Principal): RequestActor => ({
  name: p.name,
  via: p.via === 'http-token' ? 'mcp-http' : 'mcp-stdio',
});

export function registerActionTools(server: McpServer, deps: ToolDeps, principal: PrincipalResolver): void {
  const url = (id: string) => workflowUrl(deps.uiBase, deps.namespace, id);

  /** The caller, when they hold one of `scopes` (audited refusal otherwise). */
  const allowed = (ctx: ServerContext, tool: string, ref: string | undefined, scopes: Scope[]): Principal => {
    const caller = callerOf(principal, ctx);
    if (!scopes.some((sc) => hasScope(caller, sc))) {
      deps.audit.warn(
        { tool, by: caller.name, via: caller.via, ref, outcome: 'unauthorized' },
        `mcp ${tool} refused: needs ${scopes.join(' or ')}`,
      );
      throw new AuthorizationError(caller.name, scopes[0]!, tool);
    }
    return caller;
  };
  /** Over HTTP the SDK answers 403 insufficient_scope naming the scope before the tool runs (audited here). */
  const needs =
    (tool: string, scopes: Scope[]): ScopeChallengeHandler =>
    ({ request, authInfo }) => {
      if (!authInfo || scopes.some((sc) => authInfo.scopes.includes(sc))) return undefined;
      const args = (request.params as { arguments?: Record<string, unknown> } | undefined)?.arguments;
      const ref =
        typeof args?.id === 'string'
          ? args.id
          : typeof args?.ref === 'string'
            ? args.ref
            : typeof args?.licenseCode === 'string'
              ? args.licenseCode
              : undefined;
      deps.audit.warn(
        { tool, by: authInfo.clientId, via: 'http-token', ref, outcome: 'unauthorized' },
        `mcp ${tool} refused: needs ${scopes.join(' or ')}`,
      );
      return { scopes: [scopes[0]!], errorDescription: `${tool} needs the ${scopes.join(' or ')} scope` };
    };

  const submitted = (tool: string, caller: Principal, ref: string, reason: string, outcome: SubmitOutcome) => {
    const by = caller.name;
    deps.audit[outcome.status === 'submitted' || outcome.status === 'pending' ? 'info' : 'warn'](
      {
        tool,
        by,
        via: caller.via,
        ref,
        reason,
        requestId: outcome.id,
        outcome: outcome.status,
        ...(outcome.status !== 'submitted' ? { why: outcome.message } : {}),
      },
      `mcp ${tool} ${outcome.status}`,
    );
    const message =
      outcome.status === 'submitted'
        ? `${outcome.id} awaits approval by another person (npm run ops -- approve ${outcome.id}, or approve_request with a money:approve token) until ${outcome.state.expiresAt ?? '?'}: ${outcome.state.summary}. Nothing has been done in 2Checkout yet.`
        : outcome.status === 'refused'
          ? `refused, nothing will be done: ${outcome.message}`
          : outcome.message;
    const out = forCaller(caller, { outcome: outcome.status, id: outcome.id, message, by, url: url(outcome.id) });
    const text = [
      message,
      ...(outcome.status === 'submitted' ? requestLines(outcome.state).slice(1) : []),
      `Web UI: ${out.url}`,
    ].join('\n');
    return outcome.status === 'submitted' || outcome.status === 'pending'
      ? answer(text, out)
      : { ...answer(text, out), isError: true };
  };

  const failed = (tool: string, caller: Principal, ref: string, err: unknown) => {
    deps.audit.error(
      { tool, by: caller.name, via: caller.via, ref, outcome: 'error', err: (err as Error).message },
      `mcp ${tool} failed`,
    );
    if (err instanceof UnknownWorkflowError) return refusal(err.message);
    throw err;
  };

  server.registerTool(
    'request_refund',
    {
      title: 'Ask for a refund (another person approves)',
      description:
        'Asks for a refund of a 2Checkout order: an amount in the order currency and/or lines (LineItemReference and quantity, from the order in 2Checkout). It is checked at once against what 2Checkout and NetSuite say is still refundable; a refusal says what is. Nothing moves until ANOTHER person approves it (approve_request); then the refund is issued once in 2Checkout and booked in NetSuite through the order sync. Tell the person what you are asking for before calling.',
      inputSchema: z.object({
        ref: z
          .string()
          .trim()
          .regex(/^\d+$/, 'the 2Checkout order reference (REFNO), digits')
          .describe('The order (REFNO)'),
        amount: z
          .string()
          .trim()
          .regex(/^\d+(\.\d+)?$/, 'a decimal amount such as 19.99')
          .optional()
          .describe('Amount to refund, in the order currency'),
        currency: z
          .string()
          .trim()
          .regex(/^[A-Za-z]{3}$/)
          .optional()
          .describe('The order currency, as a check (e.g. USD)'),
        lines: z
          .array(
            z.object({ lineItemReference: z.string().trim().min(1), quantity: z.number().int().min(1).default(1) }),
          )
          .max(50)
          .optional()
          .describe('Lines to refund'),
        reason: Reason.describe('Why (internal; recorded with your name)'),
        comment: z
          .string()
          .trim()
          .max(500)
          .optional()
          .describe('What 2Checkout shows the shopper in its refund confirmation'),
      }),
      outputSchema: SubmitOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      scopeChallenge: needs('request_refund', [SCOPES.moneyRequest]),
    },
    async ({ ref, amount, currency, lines, reason, comment }, ctx) => {
      const caller = allowed(ctx, 'request_refund', ref, [SCOPES.moneyRequest]);
      try {
        const outcome = await requestRefund(
          deps.client,
          {
            refNo: ref,
            ...(amount ? { amount } : {}),
            ...(currency ? { currency } : {}),
            ...(lines?.length ? { lines } : {}),
            reason,
            ...(comment ? { comment } : {}),
            requester: actorOf(caller),
          },
          deps.requestQueues,
        );
        return submitted('request_refund', caller, ref, reason, outcome);
      } catch (err) {
        return failed('request_refund', caller, ref, err);
      }
    },
  );

  server.registerTool(
    'request_subscription_action',
    {
      title: 'Ask for a subscription action (another person approves)',
      description:
        'Asks to cancel a 2Checkout subscription now (cancelNow), at the end of its period (cancelAtPeriodEnd) or to turn auto-renew off (autoRenewOff; in 2Checkout the same as the period-end cancellation: recurring billing off). Checked at once against 2Checkout; nothing is done until ANOTHER person approves it; then done once in 2Checkout and confirmed by its licence notification.',
      inputSchema: z.object({
        licenseCode: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_-]+$/, 'the subscription reference (licence code)')
          .describe('The subscription (licence code)'),
        action: z.enum(SUBSCRIPTION_ACTIONS),
        reason: Reason.describe('Why (recorded with your name)'),
      }),
      outputSchema: SubmitOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      scopeChallenge: needs('request_subscription_action', [SCOPES.moneyRequest]),
    },
    async ({ licenseCode, action, reason }, ctx) => {
      const caller = allowed(ctx, 'request_subscription_action', licenseCode, [SCOPES.moneyRequest]);
      try {
        const outcome = await requestSubscriptionAction(
          deps.client,
          { licenseCode, action, reason, requester: actorOf(caller) },
          deps.requestQueues,
        );
        return submitted('request_subscription_action', caller, licenseCode, reason, outcome);
      } catch (err) {
        return failed('request_subscription_action', caller, licenseCode, err);
      }
    },
  );

  const decide =
    (tool: 'approve_request' | 'reject_request', scopes: Scope[]) =>
    async ({ id, reason }: { id: string; reason?: string | undefined }, ctx: ServerContext) => {
      const caller = allowed(ctx, tool, id, scopes);
      const action = tool === 'approve_request' ? 'approve' : 'reject';
      try {
        const outcome = await decideRequest(deps.client, id, {
          action,
          by: actorOf(caller),
          ...(reason ? { reason } : {}),
        });
        deps.audit[outcome.status === 'accepted' ? 'info' : 'warn'](
          {
            tool,
            by: caller.name,
            via: caller.via,
            ref: id,
            reason,
            outcome: outcome.status,
            ...(outcome.status !== 'accepted' ? { why: outcome.message } : {}),
          },
          `mcp ${tool} ${outcome.status}`,
        );
        const message =
          outcome.status === 'accepted'
            ? `${action === 'approve' ? 'approved' : 'rejected'} ${outcome.id}; recorded in its journal as by ${caller.name}.${action === 'approve' ? ' It is being done in 2Checkout now; list_requests shows how it goes.' : ''}`
            : outcome.status === 'rejected'
              ? `${action} refused by ${outcome.id}: ${outcome.message}`
              : outcome.message;
        const out = { outcome: outcome.status, id: outcome.id, message, by: caller.name, url: url(outcome.id) };
        return outcome.status === 'accepted'
          ? answer(`${message}\nWeb UI: ${out.url}`, out)
          : { ...answer(`${message}\nWeb UI: ${out.url}`, out), isError: true };
      } catch (err) {
        return failed(tool, caller, id, err);
      }
    };

  server.registerTool(
    'approve_request',
    {
      title: 'Approve a refund or subscription request',
      description:
        "Approves someone else's request (never your own: it is refused). Once approved, the act is done in 2Checkout exactly once. Needs money:approve, which belongs to a person's token, not an assistant's.",
      inputSchema: z.object({
        id: RequestId,
        reason: z.string().trim().max(500).optional().describe('A note recorded with the approval'),
      }),
      outputSchema: DecideOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      scopeChallenge: needs('approve_request', [SCOPES.moneyApprove]),
    },
    decide('approve_request', [SCOPES.moneyApprove]),
  );

  server.registerTool(
    'reject_request',
    {
      title: 'Reject a refund or subscription request',
      description:
        'Rejects a request that awaits approval (the requester may withdraw their own). Nothing is done in 2Checkout. A reason is required and recorded.',
      inputSchema: z.object({ id: RequestId, reason: Reason.describe('Why it is rejected') }),
      outputSchema: DecideOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      scopeChallenge: needs('reject_request', [SCOPES.moneyApprove, SCOPES.moneyRequest]),
    },
    decide('reject_request', [SCOPES.moneyApprove, SCOPES.moneyRequest]),
  );

  server.registerTool(
    'list_requests',
    {
      title: 'Open refund and subscription requests',
      description:
        'Lists the requests still open (being checked, awaiting approval, being done or confirmed), or, with an id, one request with its journal: who asked, who decided, what 2Checkout and NetSuite show.',
      inputSchema: z.object({ id: RequestId.optional() }),
      outputSchema: ListOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ id }, ctx) => {
      const caller = allowed(ctx, 'list_requests', id, [SCOPES.read]);
      if (id) {
        let s;
        try {
          s = await readRequest(deps.client, id);
        } catch (err) {
          return failed('list_requests', caller, id, err);
        }
        if (!s) return refusal(`no request ${id} (or it failed / was terminated)`);
        const detail = [
          ...requestLines(s),
          ...s.journal.map((j) => `${j.at}  ${j.what}${j.detail ? `: ${j.detail}` : ''}`),
        ];
        const one = {
          id: s.id,
          kind: s.kind,
          target: s.target,
          phase: s.phase,
          summary: s.summary,
          requester: s.requester.name,
          requestedAt: s.requestedAt,
          ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
          url: url(s.id),
        };
        return answer(detail.join('\n'), forCaller(caller, { requests: [one], listUrl: url(s.id), detail }));
      }
      const list = await listOpenRequests(deps.client, { uiBase: deps.uiBase, namespace: deps.namespace });
      const text =
        list.requests.length === 0
          ? 'No open requests.'
          : list.requests.map((r) => `${r.id}  ${r.phase}  ${r.summary}  (by ${r.requester ?? '?'})`).join('\n');
      return answer(`${text}\nWeb UI: ${list.listUrl}`, forCaller(caller, list));
    },
  );
}
