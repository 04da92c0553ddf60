// retry, skip and resync: the same `operatorAction` update as `npm run ops`, so the workflow's
// validator decides (nothing parked, reason missing, resync while parked…), the NetSuite writes go
// through the worker's limiter and externalIds, and the journal records who did it. Every call is
// audited (who, what, result), refused ones included. They need sync:write.
import type { McpServer, ScopeChallengeHandler } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { previewOrder } from '../../mappings/preview.js';
import { sendOperatorAction, type OperatorActionOutcome } from '../../operations/operator-actions.js';
import { readSyncStatus } from '../../operations/sync-status.js';
import { workflowUrl } from '../../operations/web-ui.js';
import { UnknownWorkflowError } from '../../operations/workflow-ref.js';
import type { OperatorAction } from '../../workflows/messages.js';
import { principalOf } from '../auth.js';
import { digestOf } from '../confirmation.js';
import { AuthorizationError, requireScope, SCOPES, type Principal } from '../scopes.js';
import { answer, callerOf, forCaller, refusal, type PrincipalResolver, type ToolDeps } from './context.js';
import { SyncRef } from './sync-status-view.js';

const Reason = z
  .string()
  .trim()
  .min(3, 'must say why in a few words (it is recorded in the workflow journal)')
  .max(500);
const ActionOutput = z.object({
  action: z.enum(['retry', 'skip', 'resync']),
  outcome: z.enum(['accepted', 'rejected', 'not-running', 'preview']),
  workflowId: z.string(),
  step: z.string().optional(),
  message: z.string(),
  by: z.string(),
  url: z.string(),
});
const ResyncOutput = ActionOutput.extend({
  preview: z
    .object({
      runId: z.string(),
      existingRecords: z.array(
        z.object({ type: z.string(), id: z.string(), amount: z.string().optional(), currency: z.string().optional() }),
      ),
      wouldPost: z.array(z.object({ recordType: z.string(), externalId: z.string(), method: z.string() })),
      note: z.string(),
    })
    .optional(),
  confirmationToken: z.string().optional(),
  expiresAt: z.string().optional(),
});

/** Who acted, for the audit log: the name the journal records, how they signed in, and the identity provider's subject. */
const actor = (p: Principal) => ({ by: p.name, via: p.via, ...(p.subject ? { subject: p.subject } : {}) });

export function registerWriteTools(server: McpServer, deps: ToolDeps, principal: PrincipalResolver): void {
  const by = (p: Principal) => `${p.name} (via MCP)`;
  const url = (workflowId: string) => workflowUrl(deps.uiBase, deps.namespace, workflowId);

  /** Scope check + audit of refusals; returns the caller. */
  const writer = (ctx: Parameters<PrincipalResolver>[0], tool: string, ref: string): Principal => {
    const caller = callerOf(principal, ctx);
    try {
      requireScope(caller, SCOPES.write, tool);
    } catch (err) {
      if (err instanceof AuthorizationError)
        deps.audit.warn(
          { tool, ...actor(caller), ref, outcome: 'unauthorized' },
          `mcp ${tool} refused: no ${SCOPES.write} scope`,
        );
      throw err;
    }
    return caller;
  };

  /**
   * Over HTTP the SDK answers a call without sync:write with 403 insufficient_scope naming only that
   * scope (the client learns what to ask for) before the tool runs; the refusal is audited here.
   * Over stdio there is no token: the tool's own check (writer) refuses it.
   */
  const needsWrite =
    (tool: string): ScopeChallengeHandler =>
    ({ request, authInfo }) => {
      if (!authInfo || authInfo.scopes.includes(SCOPES.write)) return undefined;
      const args = (request.params as { arguments?: { ref?: unknown } } | undefined)?.arguments;
      deps.audit.warn(
        {
          tool,
          ...actor(principalOf(authInfo)!),
          ref: typeof args?.ref === 'string' ? args.ref : undefined,
          outcome: 'unauthorized',
        },
        `mcp ${tool} refused: no ${SCOPES.write} scope`,
      );
      return { scopes: [SCOPES.write], errorDescription: `${tool} needs the ${SCOPES.write} scope` };
    };

  const act = async (tool: OperatorAction['action'], caller: Principal, ref: string, reason: string | undefined) => {
    const action: OperatorAction = { action: tool, ...(reason ? { reason } : {}), by: by(caller) };
    const audit = { tool, ...actor(caller), ref, reason };
    let outcome: OperatorActionOutcome;
    try {
      outcome = await sendOperatorAction(deps.client, ref, action);
    } catch (err) {
      deps.audit.error({ ...audit, outcome: 'error', err: (err as Error).message }, `mcp ${tool} failed`);
      if (err instanceof UnknownWorkflowError) return refusal(err.message);
      throw err;
    }
    const step = outcome.status === 'accepted' ? outcome.result.step : undefined;
    deps.audit[outcome.status === 'accepted' ? 'info' : 'warn'](
      { ...audit, workflowId: outcome.workflowId, step, outcome: outcome.status },
      `mcp ${tool} ${outcome.status}`,
    );
    const message =
      outcome.status === 'accepted'
        ? `${tool} accepted by ${outcome.workflowId}${step ? ` at step ${step}` : ''}; recorded in its journal as by ${action.by}.`
        : outcome.status === 'rejected'
          ? `${tool} refused by ${outcome.workflowId}: ${outcome.message}`
          : outcome.message;
    const out = forCaller(caller, {
      action: tool,
      outcome: outcome.status,
      workflowId: outcome.workflowId,
      ...(step ? { step } : {}),
      message,
      by: action.by!,
      url: url(outcome.workflowId),
    });
    return outcome.status === 'accepted'
      ? answer(`${out.message}\nWeb UI: ${out.url}`, out)
      : { ...answer(`${out.message}\nWeb UI: ${out.url}`, out), isError: true };
  };

  server.registerTool(
    'retry',
    {
      title: 'Retry a parked sync',
      description:
        'Runs the parked step of a sync again, after its cause was fixed (e.g. the product added to the mapping file). Goes through the workflow, so records are found by externalId and never duplicated; refused when nothing is parked. Recorded in the journal with who asked.',
      inputSchema: z.object({
        ref: SyncRef,
        reason: Reason.optional().describe('What was fixed (recorded in the journal)'),
      }),
      outputSchema: ActionOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      scopeChallenge: needsWrite('retry'),
    },
    async ({ ref, reason }, ctx) => act('retry', writer(ctx, 'retry', ref), ref, reason),
  );

  server.registerTool(
    'skip',
    {
      title: 'Skip a parked step',
      description:
        'Gives up on the parked step of a sync (and the steps that need it), e.g. after doing it by hand in NetSuite. A reason is required and recorded in the journal with who asked. Refused when nothing is parked.',
      inputSchema: z.object({
        ref: SyncRef,
        reason: Reason.describe('Why the step is skipped, e.g. "invoiced by hand, FIN-1234"'),
      }),
      outputSchema: ActionOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      scopeChallenge: needsWrite('skip'),
    },
    async ({ ref, reason }, ctx) => act('skip', writer(ctx, 'skip', ref), ref, reason),
  );

  server.registerTool(
    'resync',
    {
      title: 'Resync an order (preview, then confirm)',
      description:
        'Posts an order again from its stored 2Checkout events, adopting what still exists in NetSuite by externalId (e.g. after records were deleted by hand). Call it first without confirmationToken: nothing happens, you get a preview and a token. Show the preview to the person; call again with the same ref and reason and the token to act. The token expires and is void if the sync changes meanwhile.',
      inputSchema: z.object({
        ref: SyncRef,
        reason: Reason.describe('Why, e.g. "sales order deleted in NetSuite by mistake"'),
        confirmationToken: z
          .string()
          .max(200)
          .optional()
          .describe('The token from this tool’s preview; without it nothing is done'),
      }),
      outputSchema: ResyncOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      scopeChallenge: needsWrite('resync'),
    },
    async ({ ref, reason, confirmationToken }, ctx) => {
      const caller = writer(ctx, 'resync', ref);
      let status;
      try {
        status = await readSyncStatus(deps.client, ref, { uiBase: deps.uiBase, namespace: deps.namespace });
      } catch (err) {
        if (err instanceof UnknownWorkflowError) return refusal(err.message);
        throw err;
      }
      const planned = status.lastOrderEvent
        ? previewOrder(status.lastOrderEvent, deps.mappings(), {
            postingMode: status.records.some((r) => r.type === 'cashSale') ? 'cashSale' : 'salesOrder',
          })
        : undefined;
      const preview = {
        runId: status.runId,
        existingRecords: status.records,
        wouldPost: (planned?.records ?? []).map((r) => ({
          recordType: r.recordType,
          externalId: r.externalId,
          method: r.method,
        })),
        note: status.park
          ? `the sync is parked at ${status.park.step ?? 'a step'} (${status.park.reason}): the workflow will refuse a resync; retry or skip that first`
          : 'each record is first looked up in NetSuite by its externalId and adopted if it exists; only missing ones are created',
      };
      // The journal is part of what the token confirms: the resync it confirms adds an entry, so a
      // used token matches no more, even on a server that restarted since (single use).
      const previewDigest = digestOf({ preview, bodies: planned?.records.map((r) => r.body), journal: status.journal });
      const subject = {
        workflowId: status.workflowId,
        runId: status.runId,
        previewDigest,
        reason,
        principal: caller.name,
      };
      const base = { action: 'resync' as const, workflowId: status.workflowId, by: by(caller), url: status.url };

      if (confirmationToken === undefined) {
        const issued =
          status.park || status.executionStatus !== 'RUNNING' ? undefined : deps.confirmations.issue(subject);
        deps.audit.info(
          { tool: 'resync', ...actor(caller), ref, reason, workflowId: status.workflowId, outcome: 'preview' },
          'mcp resync previewed',
        );
        const message = issued
          ? `Nothing was done yet. To resync ${status.workflowId}, call resync again with the same ref and reason and confirmationToken (valid until ${issued.expiresAt}).`
          : `Nothing was done: ${status.executionStatus !== 'RUNNING' ? `${status.workflowId} is ${status.executionStatus.toLowerCase()}, there is no open sync to resync` : preview.note}.`;
        // The token is added after masking: it is the server's own string, never personal data.
        const out = {
          ...forCaller(
            caller,
            { ...base, outcome: 'preview' as const, message, preview },
            undefined,
            status.lastOrderEvent,
          ),
          ...(issued ? { confirmationToken: issued.token, expiresAt: issued.expiresAt } : {}),
        };
        const lines = [
          message,
          `Records in NetSuite now: ${preview.existingRecords.map((r) => `${r.type} ${r.id}`).join(', ') || 'none'}`,
          `Would post (after lookup by externalId): ${preview.wouldPost.map((r) => `${r.recordType} ${r.externalId}`).join(', ') || 'nothing'}`,
          `Note: ${preview.note}`,
        ];
        return answer(lines.join('\n'), out);
      }
      const invalid = deps.confirmations.check(confirmationToken, subject);
      if (invalid) {
        deps.audit.warn(
          { tool: 'resync', ...actor(caller), ref, reason, workflowId: status.workflowId, outcome: 'bad-confirmation' },
          'mcp resync refused: confirmation token not valid',
        );
        return refusal(`resync refused, nothing was done: ${invalid}`);
      }
      return act('resync', caller, status.workflowId, reason);
    },
  );
}
