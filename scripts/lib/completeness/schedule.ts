// The nightly reconciliation as a Temporal Schedule: created (or updated) by `npm start` and by
// `npm run reconcile -- --schedule` for deployments. Each night it runs
// nightlyReconciliationWorkflow, which reconciles yesterday and the days before it (overlap).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { z } from 'zod';
import { TASK_QUEUES } from '../../../workflows/messages.js';
import { ConfigError } from '../../../shared/config.js';

export const NIGHTLY_SCHEDULE_ID = 'nightly-reconciliation';

const schema = z.object({
  /** Cron in UTC; default 02:30 every day (after 2Checkout's day closed in most time zones). */
  RECONCILE_SCHEDULE_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, 'must be a 5-field cron expression such as "30 2 * * *"')
    .default('30 2 * * *'),
  /** Days reconciled each night, ending yesterday (UTC). */
  RECONCILE_DAYS: z.coerce.number().int().min(1).max(31).default(2),
});

export interface NightlySchedule {
  cron: string;
  days: number;
}

export function loadScheduleConfig(env: NodeJS.ProcessEnv = process.env): NightlySchedule {
  const r = schema.safeParse(env);
  if (!r.success)
    throw new ConfigError(
      `Invalid reconciliation schedule (environment variables):\n${r.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return { cron: r.data.RECONCILE_SCHEDULE_CRON, days: r.data.RECONCILE_DAYS };
}

export interface ScheduleTarget {
  scheduleId?: string;
  /** Task queue of the workflows (default TASK_QUEUES.workflows). */
  taskQueue?: string;
  /** Task queue of the completeness activities (default TASK_QUEUES.completeness). */
  activityQueue?: string;
}

/** Creates the schedule, or updates it to `s` when it exists. Returns what was done. */
export async function ensureNightlySchedule(
  client: Client,
  s: NightlySchedule,
  target: ScheduleTarget = {},
): Promise<'created' | 'updated'> {
  const scheduleId = target.scheduleId ?? NIGHTLY_SCHEDULE_ID;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'nightlyReconciliationWorkflow',
    workflowId: scheduleId,
    taskQueue: target.taskQueue ?? TASK_QUEUES.workflows,
    args: [{ days: s.days, ...(target.activityQueue ? { activityQueue: target.activityQueue } : {}) }],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec: { cronExpressions: [s.cron] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { what: 'Reconciles 2Checkout against NetSuite for the last days; see docs/reconciliation.md' },
    });
    return 'created';
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule
      .getHandle(scheduleId)
      .update((prev) => ({ ...prev, spec: { cronExpressions: [s.cron] }, action: { ...prev.action, ...action } }));
    return 'updated';
  }
}
