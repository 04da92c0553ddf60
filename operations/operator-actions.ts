// Sends an operator's decision to a sync as the `operatorAction` update. Unlike the signal, the
// update is checked by the workflow's validator first (nothing parked, reason missing, resync
// while parked…), so a wrong request is refused with a reason and leaves no trace in history,
// and an accepted one tells the operator which step it applied to.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { operatorActionUpdate, type OperatorAction, type OperatorActionResult } from '../workflows/messages.js';
import { resolveWorkflowId } from './workflow-ref.js';

export type OperatorActionOutcome =
  | { status: 'accepted'; workflowId: string; result: OperatorActionResult }
  /** The workflow's validator said no; `message` says why. */
  | { status: 'rejected'; workflowId: string; message: string }
  /** No open sync to act on. */
  | { status: 'not-running'; workflowId: string; message: string };

export async function sendOperatorAction(
  client: Client,
  ref: string,
  action: OperatorAction,
): Promise<OperatorActionOutcome> {
  const workflowId = await resolveWorkflowId(client, ref);
  const handle = client.workflow.getHandle(workflowId);
  const desc = await handle.describe();
  if (desc.status.name !== 'RUNNING') {
    return {
      status: 'not-running',
      workflowId,
      message: `${workflowId} is ${desc.status.name.toLowerCase()}: there is no open sync to ${action.action}. A new 2Checkout notification for it starts a new run.`,
    };
  }
  try {
    const result = await handle.executeUpdate(operatorActionUpdate, { args: [action] });
    return { status: 'accepted', workflowId, result };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      return { status: 'rejected', workflowId, message: err.cause?.message ?? err.message };
    }
    throw err;
  }
}
