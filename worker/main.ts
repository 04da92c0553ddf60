// Worker process entry point (`npm run worker`, docker-compose `worker` service).
import { ConfigError } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { workerMetricsPorts } from './metrics.js';
import { installWorkerRuntime } from './runtime.js';
import { startWorkerProcess } from './worker-process.js';
import { startTracing } from '../shared/tracing.js';

const logger = createLogger({ name: 'worker' });

async function main(): Promise<void> {
  // The Runtime's Prometheus exporter binds the internal port; worker/metrics.ts serves it on WORKER_METRICS_PORT.
  installWorkerRuntime({ logger, metricsPort: workerMetricsPorts().sdk });
  // OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (shared/tracing.ts); nothing otherwise.
  const tracing = await startTracing({ serviceName: '2checkout-netsuite-sync-worker' });
  const running = await startWorkerProcess({ logger, tracing });
  await running.done;
  await tracing.shutdown();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || (err instanceof Error && err.name === 'MappingConfigError')) {
    // A person must fix configuration: print the actionable message, not a stack.
    console.error(err.message);
  } else {
    logger.fatal({ err }, 'worker failed');
  }
  process.exit(1);
});
