// Builds the worker set of one process:
//  - `twocheckout-sync`: order and subscription workflows (bundled, deterministic, no I/O);
//  - `netsuite`: NetSuite activities for new orders (customers, sales orders, invoices);
//  - `netsuite-money`: the same activities for payments and refunds (the priority lane);
//  - `twocheckout-sync-bulk`, `netsuite-bulk`, `netsuite-money-bulk`: the same three for bulk work
//    (backfill, reconciliation healing, resyncs), with slots of their own, so a live order never
//    waits for a slot bulk work holds (workflows/lanes.ts).
// Every activity worker shares one NetSuite client and one adaptive limiter, so this process never
// has more requests in flight than its share of the account's concurrency budget, and live before
// bulk, money before the rest, is the order in which queued requests start (netsuite/limiter.ts).
//
// Each activity worker runs up to ACTIVITIES_PER_NETSUITE_SLOT × that share activities at once:
// the limiter, not the slot count, caps NetSuite calls. With exactly `share` slots a NetSuite slot
// sits idle whenever its activity is between two calls or waiting for Temporal to hand over the
// next task (a completion and a poll round trip per activity); with a few more, the next call is
// already queued in the limiter and starts the moment a call ends.
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Resource } from '@opentelemetry/resources';
import type { DataConverter } from '@temporalio/common';
import type { Logger } from 'pino';
import { TASK_QUEUES } from '../workflows/messages.js';
import { ACTION_TASK_QUEUE } from '../workflows/action-request-messages.js';
import { activityLiveness, HEARTBEAT_EVERY_MS } from './activity-liveness.js';
import { workerDeploymentOptions, type WorkerDeployment } from './deployment.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * The OpenTelemetry workflow interceptors (@temporalio/interceptors-opentelemetry): bundled into the
 * workflow code only when tracing is on. They add no command to a history (spans leave the sandbox
 * through the `exporter` sink, never during replay), so histories recorded without them replay with
 * them and the other way round (test/ops/traces.test.ts replays every recorded history with them).
 */
export const otelWorkflowInterceptorsPath = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/** What a traced worker needs (shared/tracing.ts). */
export interface WorkerTracing {
  spanProcessor: SpanProcessor;
  resource: Resource;
}

/** Activities each activity worker may run per NetSuite slot of this process (see above). */
export const ACTIVITIES_PER_NETSUITE_SLOT = 2;

/**
 * Workflow tasks the workflow worker takes at once (the SDK's default is 40). Temporal hands out
 * workflow tasks by priority (workflows/priority.ts), but only while they wait in its queue: a task
 * the worker has taken waits behind the others it holds, because one thread runs them one at a time.
 * With 40, each of a live order's workflow tasks waited behind up to 40 of a backfill's and took
 * 0.2–1 s from being taken to being done (`npm run bench -- --bulk`, docs/performance.md). A few are
 * enough to hide the poll round trip: 300-order bursts drained as fast with 4 as with 40.
 */
export const WORKFLOW_TASK_SLOTS = 4;

/**
 * Workflows a workflow worker keeps in memory. Every order of a burst gets its first workflow task
 * when it arrives and its next one when its first step is done, minutes later in a big burst; with
 * 2,000 cached, every order of a 10,000-order burst was evicted in between and replayed its history
 * (the worker's CPU per order grew from 61 to 95 ms). About 0.4 MB each (worker RSS) since the workflow bundle
 * no longer carries zod (each workflow holds its own instance of every module the bundle imports).
 */
export const DEFAULT_WORKFLOW_CACHE_SIZE = 10_000;

export interface WorkerSetOptions {
  connection: NativeConnection;
  namespace?: string;
  /** The activities of both NetSuite queues: createNetSuiteActivities (activities/index.ts). */
  activities: object;
  /** Backfill/reconciliation activities (2Checkout API + NetSuite reads), served on their own queue by the activities role. */
  completenessActivities?: object;
  /** Activities served on the workflow task queue (Temporal-only, e.g. linking orders to subscriptions). */
  workflowActivities?: object;
  /** Action-request activities (refunds, subscription actions: 2Checkout API, NetSuite reads), served by the activities role on their own queue. */
  actionActivities?: object;
  /** Their task queue (default ACTION_TASK_QUEUE; tests use unique ones). */
  actionTaskQueue?: string;
  /** This process's share of NETSUITE_CONCURRENCY; each activity worker gets ACTIVITIES_PER_NETSUITE_SLOT × it activity slots. */
  activitySlots: number;
  /** Which parts to run (default all). */
  roles?: Array<'workflows' | 'activities'>;
  /** Workflows each workflow worker keeps in memory (default DEFAULT_WORKFLOW_CACHE_SIZE; WORKFLOW_CACHE_SIZE). */
  workflowCacheSize?: number;
  /** Prebuilt bundle (production / tests); otherwise workflows are bundled from source at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Task queue names (tests use unique ones). */
  taskQueues?: Partial<Record<keyof typeof TASK_QUEUES, string>>;
  logger?: Logger;
  identity?: string;
  /** Payload encryption (shared/payload-codec.ts); must be the same for every client and worker. */
  dataConverter?: DataConverter;
  /** Worker Versioning: every worker of the set polls as this deployment version (unversioned when absent). */
  deployment?: Pick<WorkerDeployment, 'deploymentName' | 'buildId'>;
  /**
   * OpenTelemetry: workflow spans through the exporter sink, a span per activity. A prebuilt
   * `workflowBundle` must then include the workflow interceptors (`npm run build:workflows` writes a
   * traced bundle beside the plain one). Absent: no interceptor at all.
   */
  tracing?: WorkerTracing;
}

type WorkerActivityInterceptorFactory = NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>[number];

/**
 * The queues this set serves. A caller that names its own live queues (tests) and no bulk ones gets
 * its bulk work on those same queues: never the production bulk queues, which another process on the
 * same Temporal namespace may serve with other activities.
 */
export function resolveTaskQueues(
  custom: WorkerSetOptions['taskQueues'] = {},
): Record<keyof typeof TASK_QUEUES, string> {
  const q = { ...TASK_QUEUES, ...custom };
  return {
    ...q,
    workflowsBulk: custom.workflowsBulk ?? (custom.workflows !== undefined ? q.workflows : TASK_QUEUES.workflowsBulk),
    netsuiteBulk: custom.netsuiteBulk ?? (custom.netsuite !== undefined ? q.netsuite : TASK_QUEUES.netsuiteBulk),
    netsuiteMoneyBulk:
      custom.netsuiteMoneyBulk ??
      (custom.netsuiteMoney !== undefined ? q.netsuiteMoney : TASK_QUEUES.netsuiteMoneyBulk),
  };
}

export async function createWorkers(opts: WorkerSetOptions): Promise<Worker[]> {
  const queues = resolveTaskQueues(opts.taskQueues);
  const roles = opts.roles ?? ['workflows', 'activities'];
  const common = {
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
    // Activity workers too: a pinned workflow's activities then run on the build that started it.
    ...(opts.deployment ? { workerDeploymentOptions: workerDeploymentOptions(opts.deployment) } : {}),
  };
  const workers: Worker[] = [];
  const tracing = opts.tracing;
  const activityTracing = tracing
    ? [
        (ctx: Parameters<WorkerActivityInterceptorFactory>[0]) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ]
    : [];
  // Each lane's queue once (a set without separate bulk queues serves both lanes on the live ones).
  const lanes = <T extends string>(live: T[], bulk: T[]): T[] => [...new Set([...live, ...bulk])];
  if (roles.includes('workflows')) {
    for (const taskQueue of lanes([queues.workflows], [queues.workflowsBulk])) {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue,
          ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
          ...(opts.workflowActivities ? { activities: opts.workflowActivities } : {}),
          ...(tracing
            ? {
                interceptors: {
                  ...(opts.workflowBundle ? {} : { workflowModules: [otelWorkflowInterceptorsPath] }),
                  activity: activityTracing,
                },
                sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
              }
            : {}),
          maxCachedWorkflows: opts.workflowCacheSize ?? DEFAULT_WORKFLOW_CACHE_SIZE,
          maxConcurrentWorkflowTaskExecutions: WORKFLOW_TASK_SLOTS,
        }),
      );
    }
  }
  if (roles.includes('activities')) {
    for (const taskQueue of lanes(
      [queues.netsuite, queues.netsuiteMoney],
      [queues.netsuiteBulk, queues.netsuiteMoneyBulk],
    )) {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue,
          activities: opts.activities,
          maxConcurrentActivityTaskExecutions: opts.activitySlots * ACTIVITIES_PER_NETSUITE_SLOT,
          // Heartbeats while each activity runs: a dead worker's activities are retried within the
          // heartbeat timeout (workflows/activity-options.ts).
          interceptors: { activity: [activityLiveness, ...activityTracing] },
          // The SDK sends at most one heartbeat per 0.8 × heartbeat timeout (16 s of 20) by default:
          // a busy event loop could then miss the timeout and start a needless second attempt.
          // Every 3 s leaves 17 s of slack.
          maxHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
          defaultHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
          // SIGTERM: activities already running get this long to finish before they are cancelled.
          shutdownGraceTime: '30s',
        }),
      );
    }
    if (opts.actionActivities) {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: opts.actionTaskQueue ?? ACTION_TASK_QUEUE,
          activities: opts.actionActivities,
          // Few and short: a person waits for each; their NetSuite reads share the process's limiter.
          maxConcurrentActivityTaskExecutions: 4,
          // Heartbeats, so a refund whose worker died is retried (reading 2Checkout first) within the heartbeat timeout.
          interceptors: { activity: [activityLiveness] },
          maxHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
          defaultHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
          shutdownGraceTime: '10s',
        }),
      );
    }
    if (opts.completenessActivities) {
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: queues.completeness,
          activities: opts.completenessActivities,
          ...(tracing ? { interceptors: { activity: activityTracing } } : {}),
          // Sweeps are few and long; their NetSuite reads share the process's limiter.
          maxConcurrentActivityTaskExecutions: 4,
          shutdownGraceTime: '10s',
        }),
      );
    }
  }
  return workers;
}
