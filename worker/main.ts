// Worker process entry point (`npm run worker`, docker-compose `worker` service).
import { ConfigError } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { installWorkerRuntime } from './runtime.js';
import { startWorkerProcess } from './worker-process.js';

const logger = createLogger({ name: 'worker' });

async function main(): Promise<void> {
  installWorkerRuntime({ logger, metricsPort: Number(process.env.WORKER_METRICS_PORT ?? 9464) });
  const running = await startWorkerProcess({ logger });
  await running.done;
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
