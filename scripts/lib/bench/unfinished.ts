// What became of the orders a run did not see synced: the workflow's status, where its sync stands
// (its query), the activities Temporal still has pending for it (attempt, last failure) and whether
// a workflow task is waiting. The bench prints this instead of a bare "not synced", so an order
// that is still retrying, waiting, or was never handed over can be told apart.
import type { Client } from '@temporalio/client';
import { orderStateQuery, orderWorkflowId } from '../../../workflows/messages.js';

export interface UnfinishedOrder {
  refNo: string;
  kind: 'live' | 'bulk';
  /** The live IPN's delivery: attempts and whether a valid receipt came back (bulk: undefined). */
  delivery?: { attempts: number; receipt: boolean; lastError?: string };
  /** RUNNING, COMPLETED, …; `not found` when Temporal has no such workflow. */
  workflowStatus: string;
  historyLength?: number;
  syncStatus?: string;
  completedSteps?: string[];
  waiting?: string[];
  journalTail?: string[];
  pendingActivities: Array<{
    type: string;
    state: string;
    attempt: number;
    lastFailure?: string;
    scheduledAt?: string;
    lastStartedAt?: string;
    lastHeartbeatAt?: string;
  }>;
  pendingWorkflowTask?: { state: string; attempt: number; scheduledAt?: string };
  /** Why a part could not be read (query timed out, …). */
  errors: string[];
}

type TimestampLike = { seconds?: unknown; nanos?: number | null } | null | undefined;

function iso(ts: TimestampLike): string | undefined {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return undefined;
  const seconds = Number(ts.seconds);
  return Number.isFinite(seconds)
    ? new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString()
    : undefined;
}

const enumName = (value: unknown, prefix: string): string => String(value ?? 'unknown').replace(prefix, '');

export async function describeUnfinished(
  client: Client,
  orders: Array<Omit<UnfinishedOrder, 'workflowStatus' | 'pendingActivities' | 'errors'>>,
  max = 10,
): Promise<UnfinishedOrder[]> {
  const out: UnfinishedOrder[] = [];
  for (const order of orders.slice(0, max)) {
    const u: UnfinishedOrder = { ...order, workflowStatus: 'unknown', pendingActivities: [], errors: [] };
    const handle = client.workflow.getHandle(orderWorkflowId(order.refNo));
    try {
      const d = await handle.describe();
      u.workflowStatus = d.status.name;
      u.historyLength = d.historyLength;
      u.pendingActivities = (d.raw.pendingActivities ?? []).map((a) => ({
        type: a.activityType?.name ?? '?',
        state: enumName(a.state, 'PENDING_ACTIVITY_STATE_'),
        attempt: a.attempt ?? 0,
        ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
        ...(iso(a.scheduledTime) ? { scheduledAt: iso(a.scheduledTime) } : {}),
        ...(iso(a.lastStartedTime) ? { lastStartedAt: iso(a.lastStartedTime) } : {}),
        ...(iso(a.lastHeartbeatTime) ? { lastHeartbeatAt: iso(a.lastHeartbeatTime) } : {}),
      }));
      const wt = d.raw.pendingWorkflowTask;
      if (wt)
        u.pendingWorkflowTask = {
          state: enumName(wt.state, 'PENDING_WORKFLOW_TASK_STATE_'),
          attempt: wt.attempt ?? 0,
          ...(iso(wt.scheduledTime) ? { scheduledAt: iso(wt.scheduledTime) } : {}),
        };
    } catch (err) {
      u.workflowStatus = /not found/i.test(String(err)) ? 'not found' : 'unknown';
      u.errors.push(`describe: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (u.workflowStatus === 'RUNNING' || u.workflowStatus === 'COMPLETED') {
      try {
        const state = await client.connection.withDeadline(Date.now() + 5_000, () => handle.query(orderStateQuery));
        u.syncStatus = state.syncStatus;
        u.completedSteps = state.completedSteps;
        u.waiting = state.waiting;
        u.journalTail = state.journal.slice(-5).map((j) => `${j.at} ${j.what}${j.detail ? `: ${j.detail}` : ''}`);
      } catch (err) {
        u.errors.push(`query: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    out.push(u);
  }
  return out;
}

/** One line per order for the printed report. */
export function formatUnfinished(u: UnfinishedOrder): string {
  const acts = u.pendingActivities
    .map((a) => `${a.type} ${a.state} attempt ${a.attempt}${a.lastFailure ? ` (last failure: ${a.lastFailure})` : ''}`)
    .join('; ');
  const delivery = u.delivery
    ? `, IPN ${u.delivery.receipt ? 'receipted' : `NOT receipted after ${u.delivery.attempts} attempt(s): ${u.delivery.lastError ?? '?'}`}`
    : '';
  return `  ${u.kind} ${u.refNo}: workflow ${u.workflowStatus}${u.syncStatus ? `, sync ${u.syncStatus}` : ''}${u.completedSteps ? `, done [${u.completedSteps.join(', ')}]` : ''}${delivery}${acts ? `; pending: ${acts}` : ''}${u.pendingWorkflowTask ? `; workflow task ${u.pendingWorkflowTask.state} attempt ${u.pendingWorkflowTask.attempt}` : ''}${u.errors.length ? `; ${u.errors.join('; ')}` : ''}`;
}
