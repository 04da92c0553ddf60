// Liveness of NetSuite activities, independent of how long a NetSuite call takes.
//
// A NetSuite request may legitimately run for minutes (NetSuite allows up to 15), so a short
// start-to-close timeout cannot tell a slow call from a dead worker. Instead every activity on the
// NetSuite task queues heartbeats while it runs, and the workflows set a short heartbeat timeout
// (workflows/activity-options.ts): when a worker dies (SIGKILL, crashed pod, rolling deploy), its
// in-flight activities miss their heartbeat and Temporal retries them within that timeout, not after
// the start-to-close timeout.
//
// The interceptor also keeps the list of activities running in this process, which the chaos run
// reads just before it kills a worker to measure how soon each is retried.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { attemptEnded, attemptHeartbeatDetails } from '../activities/late-writes.js';

/** How often a running activity heartbeats (well inside ACTIVITY_HEARTBEAT_TIMEOUT_MS). */
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
      // The first heartbeat at once: a worker killed right after the start is detected as early.
      // Every heartbeat carries the attempt's progress (activities/late-writes.ts), never empty
      // details, which would erase what an earlier attempt left for the next one.
      ctx.heartbeat(attemptHeartbeatDetails(ctx));
      const timer = setInterval(() => ctx.heartbeat(attemptHeartbeatDetails(ctx)), HEARTBEAT_EVERY_MS);
      try {
        return await next(input);
      } finally {
        clearInterval(timer);
        running.delete(key);
        // Sent with the attempt's result: the next attempt knows this one ended and what it left uncertain.
        ctx.heartbeat(attemptEnded(ctx));
      }
    },
  },
});
