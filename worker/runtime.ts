// Temporal Runtime for worker processes: SDK and core logs go through pino (one JSON log stream),
// and the SDK's own metrics are exported for Prometheus. Must run before any worker or native
// connection is created (docs/reference-notes.md#temporal-runtime).
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

type PinoMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * What the SDK says, at the level it deserves here. By design, three things it reports on every
 * start or park are not news: the bundler's statistics (a multi-line blob), "No workflows
 * registered" / "No Nexus services registered" for the activity-only workers (only the workflow
 * queue hosts workflows), and "Activity failed" for a failure our activities raised on purpose
 * (a non-retryable ApplicationFailure: the sync parks, and the workflow says so itself). The last
 * one loses its stack trace: it points into failures.ts, not at a defect.
 */
export function shapeSdkLog(
  level: LogLevel,
  message: string,
  meta: Record<string, unknown>,
): { level: PinoMethod; meta: Record<string, unknown> } {
  // pino serializes errors under `err` only: the SDK passes them as `error`/`failure`.
  const { error, failure, ...rest } = meta;
  const err = error ?? failure;
  let method = level.toLowerCase() as PinoMethod;
  let fields: Record<string, unknown> = err instanceof Error ? { ...rest, err } : meta;
  if (/^asset workflow-bundle-/.test(message) || /^No (workflows|Nexus services) registered/.test(message))
    method = 'debug';
  else if (message === 'Activity failed' && err instanceof ApplicationFailure && err.nonRetryable) {
    method = 'info';
    fields = { ...rest, failure: { type: err.type, message: err.message, nonRetryable: true } };
  }
  return { level: method, meta: fields };
}

export function installWorkerRuntime(opts: { logger: Logger; metricsPort?: number; handleSignals?: boolean }): void {
  const { logger } = opts;
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      const shaped = shapeSdkLog(level, message, (meta ?? {}) as Record<string, unknown>);
      logger[shaped.level](shaped.meta, message);
    }),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      // Internal port, loopback only: worker/metrics.ts serves it on the public /metrics with the NetSuite metrics.
      ...(opts.metricsPort ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${opts.metricsPort}` } } } : {}),
    },
    // The embedded stack handles signals itself to stop every part in order.
    shutdownSignals: opts.handleSignals === false ? [] : ['SIGINT', 'SIGTERM'],
  });
}
