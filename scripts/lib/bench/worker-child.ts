// Benchmark role: one worker process exactly as `npm run worker` runs it (startWorkerProcess),
// configured by the environment the benchmark sets (TEMPORAL_ADDRESS, NETSUITE_*, including
// NETSUITE_CONCURRENCY and NETSUITE_WORKER_COUNT). Reports its limiter and NetSuite client figures.
import { createLogger } from '../../../shared/logger.js';
import { installWorkerRuntime } from '../../../worker/runtime.js';
import { workerMetricsPorts } from '../../../worker/metrics.js';
import { startWorkerProcess } from '../../../worker/worker-process.js';
import { runningActivities } from '../../../worker/activity-liveness.js';
import { runChild } from './child-main.js';
import type { WorkerDetails } from './ipc.js';

runChild('worker', async () => {
  const logger = createLogger({ name: 'worker' });
  installWorkerRuntime({ logger, metricsPort: workerMetricsPorts().sdk, handleSignals: false });
  const running = await startWorkerProcess({ logger });
  return {
    info: { concurrency: running.config.netsuite.workerConcurrency },
    details: (): WorkerDetails => ({
      limiter: running.netsuite.limiter.snapshot(),
      limiterMax: running.netsuite.limiter.max,
      client: running.netsuite.stats(),
      running: runningActivities(),
    }),
    stop: () => running.shutdown(),
  };
});
