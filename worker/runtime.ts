// Temporal Runtime for worker processes: SDK and core logs go through pino (one JSON log stream),
// and the SDK's own metrics are exported for Prometheus. Must run before any worker or native
// connection is created (docs/reference-notes.md#temporal-runtime).
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

export function installWorkerRuntime(opts: { logger: Logger; metricsPort?: number; handleSignals?: boolean }): void {
  const { logger } = opts;
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      const method = level.toLowerCase() as Lowercase<LogLevel>;
      // pino serializes errors under `err` only: the SDK passes them as `error`/`failure`.
      const { error, failure, ...rest } = (meta ?? {}) as Record<string, unknown>;
      const err = error ?? failure;
      logger[method](err instanceof Error ? { ...rest, err } : (meta ?? {}), message);
    }),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      // Internal port, loopback only: worker/metrics.ts serves it on the public /metrics with the NetSuite metrics.
      ...(opts.metricsPort
        ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${opts.metricsPort}` } } }
        : {}),
    },
    // The embedded stack handles signals itself to stop every part in order.
    shutdownSignals: opts.handleSignals === false ? [] : ['SIGINT', 'SIGTERM'],
  });
}
