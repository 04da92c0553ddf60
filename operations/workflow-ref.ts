// What an operator may type to name a sync: a 2Checkout order reference (REFNO, digits), a
// subscription licence code, or the full workflow id (`order/<REFNO>`, `subscription/<CODE>`).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orderWorkflowId, subscriptionWorkflowId } from '../workflows/messages.js';

/** Workflow ids the reference may stand for, most likely first. */
export function candidateWorkflowIds(ref: string): string[] {
  const r = ref.trim();
  if (!r) throw new Error('give a REFNO, a licence code or a workflow id');
  if (r.includes('/')) return [r];
  // REFNOs are numeric; licence codes are alphanumeric. A numeric licence code is possible, so
  // the other reading is tried second rather than never.
  return /^\d+$/.test(r)
    ? [orderWorkflowId(r), subscriptionWorkflowId(r)]
    : [subscriptionWorkflowId(r), orderWorkflowId(r)];
}

export class UnknownWorkflowError extends Error {
  override readonly name = 'UnknownWorkflowError';
}

/** The first candidate that exists in Temporal (any run, open or closed). */
export async function resolveWorkflowId(client: Client, ref: string): Promise<string> {
  const candidates = candidateWorkflowIds(ref);
  for (const id of candidates) {
    try {
      await client.workflow.getHandle(id).describe();
      return id;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  throw new UnknownWorkflowError(`no workflow found for "${ref}" (looked for ${candidates.join(', ')})`);
}
