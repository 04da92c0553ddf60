// Liveness of NetSuite activities, independent of how long a NetSuite call takes.
//
// A NetSuite request may legitimately run for minutes (NetSuite allows up to 15), so a short
// start-to-close timeout cannot tell a slow call from a dead worker. Instead the workflows set a
// short heartbeat timeout (workflows/activity-options.ts), which Temporal counts from the attempt's
// start: an activity that has run for HEARTBEAT_EVERY_MS heartbeats, and again as often while it
// runs. When a worker dies (SIGKILL, crashed pod, rolling deploy), its in-flight activities miss
// their heartbeat and Temporal retries them within that timeout, not after the start-to-close one.
//
// A fast call never heartbeats: each heartbeat that reaches the server is a billable Temporal Action
// (4 per order when every activity heartbeated at its start), and one at the start detected nothing
// sooner, because the heartbeat timeout already runs from the start. A dead worker's activity is
// still retried the heartbeat timeout after its start or its last heartbeat, as before. What the
// late-write guard must carry to the next attempt (activities/late-writes.ts) it records itself when
// there is something to remember; a failed attempt's details ride on the failure it reports.
//
// The interceptor also keeps the list of activities running in this process, which the chaos run
// reads just before it kills a worker to measure how soon each is retried.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { attemptEnded, attemptHeartbeatDetails, heartbeatProgress } from '../activities/late-writes.js';

/**
 * How long an activity runs before its first heartbeat, and how often it heartbeats after that (well
 * inside the 15 s heartbeat timeout: five heartbeats, so a worker slowed by load is not taken for dead).
 */
export const HEARTBEAT_EVERY_MS = 3_000;

export interface RunningActivity {
  workflowId: string;
  activityId: string;
  activityType: string;
  attempt: number;
  startedAtMs: number;
}

const running = new Map<string, RunningActivity>();

/** Activities executing in this process now. */
export function runningActivities(): RunningActivity[] {
  return [...running.values()];
}

export const activityLiveness: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const { info } = ctx;
      const workflowId = info.workflowExecution?.workflowId ?? '';
      const key = `${workflowId}/${info.workflowExecution?.runId ?? ''}/${info.activityId}`;
      running.set(key, {
        workflowId,
        activityId: info.activityId,
        activityType: info.activityType,
        attempt: info.attempt,
        startedAtMs: Date.now(),
      });
      // Only a call still running after HEARTBEAT_EVERY_MS heartbeats. Every heartbeat carries the
      // attempt's progress (activities/late-writes.ts), never empty details, which would erase what
      // an earlier attempt left for the next one.
      const timer = setInterval(() => heartbeatProgress(ctx, attemptHeartbeatDetails(ctx)), HEARTBEAT_EVERY_MS);
      try {
        return await next(input);
      } catch (err) {
        // Recorded before the failure is reported, which carries them: the next attempt knows this
        // one ended and what it left uncertain. A success needs nothing: there is no next attempt.
        heartbeatProgress(ctx, attemptEnded(ctx));
        throw err;
      } finally {
        clearInterval(timer);
        running.delete(key);
      }
    },
  },
});
