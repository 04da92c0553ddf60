// Making, deciding and reading action requests (a refund, a subscription action that another person
// approves before it is done in 2Checkout, docs/actions.md), through Temporal only. Shared by
// `npm run ops`, the MCP tools and the status page.
//
// A request is started with update-with-start: the caller waits until the workflow has checked it
// against 2Checkout and NetSuite and learns "awaiting approval" or the one-sentence refusal. One
// request per order (or subscription) may be open at a time, so a double click, a retried call or
// an over-eager assistant cannot line up two refunds of the same money.
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { z } from 'zod';
import { EntityKind, LicenseCode, OrderRef } from '../shared/search-attributes.js';
import {
  decideRequestUpdate,
  decisionUpdateId,
  OPEN_PHASES,
  REQUEST_ID_PATTERN,
  REQUEST_KINDS,
  refundRequestWorkflowId,
  requestStateQuery,
  submitRequestUpdate,
  subscriptionActionWorkflowId,
  type ActionRequestState,
  type RefundRequestInput,
  type RequestDecision,
  type RequestDecisionResult,
  type SubscriptionActionInput,
} from '../workflows/action-request-messages.js';
import { TASK_QUEUES } from '../workflows/messages.js';
import type { refundRequestWorkflow } from '../workflows/refund-request.js';
import type { subscriptionActionWorkflow } from '../workflows/subscription-action.js';
import { workflowListUrl, workflowUrl } from './web-ui.js';
import { UnknownWorkflowError } from './workflow-ref.js';

export interface RequestQueues {
  /** Task queue of the request workflows (default the sync's workflow queue). */
  taskQueue?: string;
  /** Task queue of their activities (default ACTION_TASK_QUEUE). */
  activityQueue?: string;
  /** How long to wait for the check before answering "still being checked" (default 60 s). */
  deadlineMs?: number;
}

export type SubmitOutcome =
  | { status: 'submitted'; id: string; state: ActionRequestState }
  /** The check said no; nothing will be done. */
  | { status: 'refused'; id: string; message: string }
  /** Another request for the same order or subscription is still open. */
  | { status: 'conflict'; id: string; message: string }
  /** The check did not finish within the deadline (2Checkout or a worker slow): the request exists. */
  | { status: 'pending'; id: string; message: string };

export type DecideOutcome =
  | { status: 'accepted'; id: string; result: RequestDecisionResult }
  | { status: 'rejected'; id: string; message: string }
  | { status: 'not-running'; id: string; message: string };

/** Checks what a person typed as a request id: `refund-request/<REFNO>/<n>` or `subscription-action/<CODE>/<n>`. */
export function parseRequestId(ref: string): string {
  const id = ref.trim();
  if (!REQUEST_ID_PATTERN.test(id))
    throw new UnknownWorkflowError(
      `"${ref}" is not a request id: give refund-request/<REFNO>/<n> or subscription-action/<LICENSE_CODE>/<n> (npm run ops -- requests lists the open ones)`,
    );
  return id;
}

/** The next free n for the target, or the open request that blocks a new one. */
async function nextNumber(client: Client, idOf: (n: number) => string): Promise<{ n: number; open?: string }> {
  for (let n = 1; ; n++) {
    try {
      const d = await client.workflow.getHandle(idOf(n)).describe();
      if (d.status.name === 'RUNNING') return { n, open: idOf(n) };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return { n };
      throw e;
    }
  }
}

async function openPhase(client: Client, id: string): Promise<string> {
  try {
    const s = await client.connection.withDeadline(Date.now() + 3_000, () =>
      client.workflow.getHandle(id).query(requestStateQuery),
    );
    return s.phase;
  } catch {
    return 'open';
  }
}

async function submit<W extends typeof refundRequestWorkflow | typeof subscriptionActionWorkflow>(
  client: Client,
  kind: keyof typeof REQUEST_KINDS,
  target: string,
  idOf: (n: number) => string,
  args: (n: number) => Parameters<W>,
  opts: RequestQueues,
): Promise<SubmitOutcome> {
  for (let tries = 0; ; tries++) {
    const { n, open } = await nextNumber(client, idOf);
    if (open) {
      const what = kind === 'refund' ? `order ${target}` : `subscription ${target}`;
      return {
        status: 'conflict',
        id: open,
        message: `${open} is still open (${await openPhase(client, open)}) for ${what}: approve or reject it (or let it expire) before making another, so the same money is never asked for twice`,
      };
    }
    const id = idOf(n);
    const start = new WithStartWorkflowOperation<W>(
      kind === 'refund' ? 'refundRequestWorkflow' : 'subscriptionActionWorkflow',
      {
        workflowId: id,
        taskQueue: opts.taskQueue ?? TASK_QUEUES.workflows,
        args: args(n),
        workflowIdConflictPolicy: 'FAIL',
        // The id of a finished request is never given to another one (within the namespace's retention).
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          kind === 'refund' ? { key: OrderRef, value: target } : { key: LicenseCode, value: target },
          { key: EntityKind, value: REQUEST_KINDS[kind] },
        ],
      },
    );
    try {
      const state = await client.connection.withDeadline(Date.now() + (opts.deadlineMs ?? 60_000), () =>
        client.workflow.executeUpdateWithStart(submitRequestUpdate, { startWorkflowOperation: start }),
      );
      return { status: 'submitted', id, state };
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError)
        return { status: 'refused', id, message: e.cause?.message ?? e.message };
      // Someone else took this n a moment ago: take the next one (or find theirs open).
      if (e instanceof WorkflowExecutionAlreadyStartedError && tries < 3) continue;
      if (/DEADLINE_EXCEEDED|deadline/i.test(e instanceof Error ? e.message : String(e))) {
        return {
          status: 'pending',
          id,
          message: `${id} was made but is still being checked against 2Checkout and NetSuite: look again with npm run ops -- requests ${id}`,
        };
      }
      throw e;
    }
  }
}

export function requestRefund(
  client: Client,
  input: Omit<RefundRequestInput, 'n'>,
  opts: RequestQueues = {},
): Promise<SubmitOutcome> {
  const refNo = input.refNo.trim();
  if (!/^\d+$/.test(refNo))
    throw new UnknownWorkflowError(`"${input.refNo}" is not a 2Checkout order reference (REFNO: digits only)`);
  return submit<typeof refundRequestWorkflow>(
    client,
    'refund',
    refNo,
    (n) => refundRequestWorkflowId(refNo, n),
    (n) => [{ ...input, refNo, n, ...(opts.activityQueue ? { activityQueue: opts.activityQueue } : {}) }],
    opts,
  );
}

export function requestSubscriptionAction(
  client: Client,
  input: Omit<SubscriptionActionInput, 'n'>,
  opts: RequestQueues = {},
): Promise<SubmitOutcome> {
  const code = input.licenseCode.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(code))
    throw new UnknownWorkflowError(
      `"${input.licenseCode}" is not a 2Checkout licence code (IPN_LICENSE_REF / LICENSE_CODE)`,
    );
  return submit<typeof subscriptionActionWorkflow>(
    client,
    'subscription',
    code,
    (n) => subscriptionActionWorkflowId(code, n),
    (n) => [{ ...input, licenseCode: code, n, ...(opts.activityQueue ? { activityQueue: opts.activityQueue } : {}) }],
    opts,
  );
}

/** The request's state: its query while open, its result once finished; undefined when there is no such request. */
export async function readRequest(client: Client, ref: string): Promise<ActionRequestState | undefined> {
  const id = parseRequestId(ref);
  const handle = client.workflow.getHandle(id);
  try {
    const d = await handle.describe();
    if (d.status.name === 'COMPLETED') return (await handle.result()) as ActionRequestState;
    if (d.status.name === 'RUNNING')
      return await client.connection.withDeadline(Date.now() + 5_000, () => handle.query(requestStateQuery));
    return undefined;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
}

/** Approve or reject; a decision sent twice by the same person is answered from the first (its update id). */
export async function decideRequest(client: Client, ref: string, decision: RequestDecision): Promise<DecideOutcome> {
  const id = parseRequestId(ref);
  const handle = client.workflow.getHandle(id);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError)
      throw new UnknownWorkflowError(`no request ${id} (npm run ops -- requests lists the open ones)`);
    throw e;
  }
  if (status !== 'RUNNING') {
    const done = status === 'COMPLETED' ? ((await handle.result()) as ActionRequestState) : undefined;
    const why = done
      ? `it ended ${done.phase}${done.decision ? ` (${done.decision.action}d by ${done.decision.by.name} at ${done.decision.at})` : done.phase === 'expired' ? ` at ${done.expiresAt ?? '?'}` : ''}`
      : `it is ${status.toLowerCase()}`;
    return {
      status: 'not-running',
      id,
      message: `${id} cannot be ${decision.action === 'approve' ? 'approved' : 'rejected'}: ${why}; nothing was done`,
    };
  }
  try {
    const result = await handle.executeUpdate(decideRequestUpdate, {
      args: [decision],
      updateId: decisionUpdateId(id, decision),
    });
    return { status: 'accepted', id, result };
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError)
      return { status: 'rejected', id, message: e.cause?.message ?? e.message };
    throw e;
  }
}

export interface OpenRequest {
  id: string;
  kind: string;
  target?: string;
  phase: string;
  summary: string;
  requester?: string;
  requestedAt?: string;
  expiresAt?: string;
  /** Set when a step is parked (a person must look). */
  park?: { step: string; reason: string; message: string };
  url: string;
}

export const OPEN_REQUESTS_QUERY = `(EntityKind = '${REQUEST_KINDS.refund}' OR EntityKind = '${REQUEST_KINDS.subscription}') AND ExecutionStatus = 'Running'`;

const MemoView = z.looseObject({
  phase: z.string(),
  summary: z.string(),
  requester: z.string().optional(),
  requestedAt: z.string().optional(),
  expiresAt: z.string().optional(),
});

/** Open requests, newest first (their query; the memo when no worker answers). */
export async function listOpenRequests(
  client: Client,
  ui: { uiBase: string; namespace: string },
  limit = 200,
): Promise<{ requests: OpenRequest[]; listUrl: string }> {
  const requests: OpenRequest[] = [];
  for await (const w of client.workflow.list({ query: OPEN_REQUESTS_QUERY })) {
    if (requests.length >= limit) break;
    const sa = w.typedSearchAttributes;
    const base = {
      id: w.workflowId,
      kind: sa.get(EntityKind) ?? w.type,
      ...((sa.get(OrderRef) ?? sa.get(LicenseCode)) ? { target: sa.get(OrderRef) ?? sa.get(LicenseCode) } : {}),
      url: workflowUrl(ui.uiBase, ui.namespace, w.workflowId),
    };
    try {
      const s = await client.connection.withDeadline(Date.now() + 3_000, () =>
        client.workflow.getHandle(w.workflowId, w.runId).query(requestStateQuery),
      );
      requests.push({
        ...base,
        phase: s.phase,
        summary: s.summary,
        requester: s.requester.name,
        requestedAt: s.requestedAt,
        ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
        ...(s.park ? { park: { step: s.park.step, reason: s.park.reason, message: s.park.message } } : {}),
      });
    } catch {
      let memo: z.infer<typeof MemoView> | undefined;
      try {
        const m = MemoView.safeParse((w.memo ?? {}).request);
        memo = m.success ? m.data : undefined;
      } catch {
        memo = undefined;
      }
      requests.push({
        ...base,
        phase: memo?.phase ?? 'open',
        summary: memo?.summary ?? '(no worker answered; see the Web UI)',
        ...(memo?.requester ? { requester: memo.requester } : {}),
        ...(memo?.requestedAt ? { requestedAt: memo.requestedAt } : {}),
        ...(memo?.expiresAt ? { expiresAt: memo.expiresAt } : {}),
      });
    }
  }
  requests.sort((a, b) => (b.requestedAt ?? '').localeCompare(a.requestedAt ?? ''));
  return { requests, listUrl: workflowListUrl(ui.uiBase, ui.namespace, OPEN_REQUESTS_QUERY) };
}

export const isOpen = (s: Pick<ActionRequestState, 'phase'>): boolean => OPEN_PHASES.includes(s.phase);

/** A request as `npm run ops -- requests <id>` prints it (and the MCP tools quote). */
export function requestLines(s: ActionRequestState): string[] {
  const out = [
    `${s.id}: ${s.phase}`,
    `  ${s.summary}`,
    `  requested by ${s.requester.name} (${s.requester.via}) at ${s.requestedAt}: ${s.reason}`,
  ];
  if (s.refusal) out.push(`  refused: ${s.refusal}`);
  if (s.expiresAt && s.phase === 'awaiting-approval')
    out.push(`  awaiting approval by another person until ${s.expiresAt}`);
  if (s.decision)
    out.push(
      `  ${s.decision.action}d by ${s.decision.by.name} (${s.decision.by.via}) at ${s.decision.at}${s.decision.reason ? `: ${s.decision.reason}` : ''}`,
    );
  const o = s.outcome;
  if (o.twoCheckout)
    out.push(
      `  2Checkout: ${o.twoCheckout.call} at ${o.twoCheckout.at}${o.twoCheckout.alreadyDone ? ' (already there: not done again)' : ''}`,
    );
  if (o.netsuite)
    out.push(
      `  NetSuite: credit memo ${o.netsuite.creditMemoId}${o.netsuite.customerRefundId ? `, customer refund ${o.netsuite.customerRefundId}` : ''} (${o.netsuite.amount})`,
    );
  if (o.subscription)
    out.push(
      `  subscription sync: ${o.subscription.status}${o.subscription.cancelAtPeriodEnd ? ', cancels at period end' : ''}${o.subscription.netsuiteRecords.length ? `; NetSuite ${o.subscription.netsuiteRecords.join(', ')}` : ''}`,
    );
  if (s.park)
    out.push(
      `  PARKED at ${s.park.step} (${s.park.reason}) since ${s.park.since}: ${s.park.message}`,
      `  then: npm run ops -- retry ${s.id}  (or skip ${s.id} --reason "…")`,
    );
  return out;
}
