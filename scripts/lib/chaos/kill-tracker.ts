// How soon the activities of a killed worker run again. Just before a kill the chaos run asks the
// worker which activities it is executing (worker/activity-liveness.ts); afterwards it watches each
// one in Temporal (describe → pending activities) until an attempt later than the killed one has
// started. Its `lastStartedTime` minus the kill time is the figure; when the retry finished between
// two looks, the look that found it gone bounds it from above. Two moments are kept apart: when
// Temporal declared the killed attempt dead (its `lastAttemptCompleteTime`: the heartbeat timeout
// at work) and when the next attempt started (that, plus back-off and the wait in the task queue
// behind whatever else is queued, which in a 2,000-order burst is most of the burst).
import type { Client } from '@temporalio/client';
import type { RunningActivity } from '../../../worker/activity-liveness.js';

export interface RetryObservation {
  workflowId: string;
  activityType: string;
  killedAttempt: number;
  /** ms from the kill to the start of the next attempt (undefined: not seen within the watch). */
  retryAfterMs?: number;
  /** True when the retry was only seen finished: retryAfterMs is an upper bound. */
  upperBound: boolean;
  /** ms from the kill to Temporal failing the killed attempt (undefined: not seen before the retry finished). */
  declaredDeadAfterMs?: number;
}

const tsMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number | undefined =>
  t?.seconds === undefined || t.seconds === null
    ? undefined
    : Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);

export function trackRetries(
  client: Client,
  killedAtMs: number,
  running: RunningActivity[],
  opts: { pollMs?: number; giveUpMs?: number } = {},
): Promise<RetryObservation[]> {
  const pollMs = opts.pollMs ?? 500;
  const giveUpMs = opts.giveUpMs ?? 600_000;
  return Promise.all(
    running.map(async (a): Promise<RetryObservation> => {
      const base: Omit<RetryObservation, 'upperBound'> = {
        workflowId: a.workflowId,
        activityType: a.activityType,
        killedAttempt: a.attempt,
      };
      for (;;) {
        const now = Date.now();
        if (now - killedAtMs > giveUpMs) return { ...base, upperBound: false };
        try {
          const d = await client.workflow.getHandle(a.workflowId).describe();
          const pending = d.raw.pendingActivities?.find((p) => p.activityId === a.activityId);
          if (!pending) return { ...base, retryAfterMs: now - killedAtMs, upperBound: true };
          const failedAt = tsMs(pending.lastAttemptCompleteTime);
          if (
            (pending.attempt ?? 0) > a.attempt &&
            base.declaredDeadAfterMs === undefined &&
            failedAt !== undefined &&
            failedAt >= killedAtMs
          )
            base.declaredDeadAfterMs = failedAt - killedAtMs;
          const started = tsMs(pending.lastStartedTime);
          if ((pending.attempt ?? 0) > a.attempt && started !== undefined && started > killedAtMs)
            return { ...base, retryAfterMs: started - killedAtMs, upperBound: false };
        } catch {
          // Temporal restarting: look again.
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    }),
  );
}
