// Everything a worker process needs, wired once: validated config, mapping file (watched), the
// NetSuite client with its adaptive limiter, the Temporal connection (standard TEMPORAL_* env,
// so Temporal Cloud works by env alone), and the workers. Used by worker/main.ts and by the
// embedded stack (scripts/start.ts).
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Logger } from 'pino';
import {
  ConfigError,
  ConfigProblems,
  DEFAULT_MAPPINGS_FILE,
  loadWorkerConfig,
  type WorkerConfig,
} from '../shared/config.js';
import { netsuiteLimiter } from '../netsuite/limiter.js';
import { createNetSuiteClient } from '../netsuite/client.js';
import type { NetSuiteRestClient } from '../netsuite/types.js';
import { loadMappingConfig, MappingConfigError, watchMappingConfig } from '../mappings/config-loader.js';
import { createNetSuiteActivities } from '../activities/index.js';
import { createSubscriptionLinkActivities } from '../activities/subscription-links.js';
import { payoutsApiFromEnv } from '../shared/payouts-api.js';
import { createWorkers } from './create-workers.js';
import { TASK_QUEUES } from '../workflows/messages.js';
import { promoteIfWanted } from './deployment.js';
import { dataConverterFromEnv } from '../shared/payload-codec.js';
import { startWorkerMetricsServer, workerMetricsPorts } from './metrics.js';
import { checkCompletenessConfig, wireCompleteness } from './completeness.js';
import { wireActions } from './actions.js';
import { checkSearchAttributes, searchAttributeProblem } from '../shared/search-attribute-check.js';
import type { Tracing } from '../shared/tracing.js';
import { tracedBundlePath } from './workflow-bundle.js';
import { existsSync } from 'node:fs';

export interface RunningWorkers {
  config: WorkerConfig;
  workers: Worker[];
  /** The process's NetSuite client; `netsuite.limiter` is its share of the account's concurrency budget. */
  netsuite: NetSuiteRestClient;
  /** GET /metrics and GET /status (mapping version, last load error) of this process. */
  metricsUrl: string;
  statusUrl: string;
  /** Resolves when every worker stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Every configuration the worker reads (environment, payload encryption, the 2Checkout API when
 * on, the mapping file), checked before anything connects, all problems reported in one error:
 * a first start should not fail once per mistake.
 */
export function checkWorkerConfig(env: NodeJS.ProcessEnv): {
  config: WorkerConfig;
  dataConverter: ReturnType<typeof dataConverterFromEnv>;
} {
  const problems = new ConfigProblems((e): e is Error => e instanceof ConfigError || e instanceof MappingConfigError);
  const config = problems.check(() => loadWorkerConfig(env));
  // The worker acts on what it decodes: with encryption on, a payload in clear is refused.
  const dataConverter = problems.check(() => dataConverterFromEnv(env, { consumer: true }));
  problems.check(() => checkCompletenessConfig(env));
  // The file, the path in it and the fix when the mapping is invalid (its default path when the environment is wrong too).
  problems.check(() => loadMappingConfig(config?.mappingsFile ?? env.MAPPINGS_FILE ?? DEFAULT_MAPPINGS_FILE));
  problems.throwIfAny();
  return { config: config!, dataConverter };
}

export async function startWorkerProcess(opts: {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  tracing?: Tracing;
}): Promise<RunningWorkers> {
  const env = opts.env ?? process.env;
  const { logger } = opts;
  const { config, dataConverter } = checkWorkerConfig(env);
  const tracing =
    opts.tracing?.spanProcessor && opts.tracing.resource
      ? { spanProcessor: opts.tracing.spanProcessor, resource: opts.tracing.resource }
      : undefined;
  // A traced worker runs the bundle that carries the workflow interceptors (npm run build:workflows writes both).
  const workflowBundle =
    config.workflowBundle && tracing ? tracedBundlePath(config.workflowBundle) : config.workflowBundle;
  if (workflowBundle && tracing && !existsSync(workflowBundle)) {
    throw new ConfigError(
      `Tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT) but ${workflowBundle} does not exist: rebuild the bundle with npm run build:workflows (it writes the traced bundle beside WORKFLOW_BUNDLE), or unset WORKFLOW_BUNDLE to bundle at start`,
    );
  }
  // The file was checked above; the watcher re-reads it when it changes.
  const mappings = watchMappingConfig(config.mappingsFile, logger);
  // Floor, recovery by time and slow-call release: one slow account must not starve the worker.
  const limiter = netsuiteLimiter(config.netsuite.workerConcurrency);
  const netsuite = createNetSuiteClient({
    baseUrl: config.netsuite.baseUrl,
    auth: config.netsuite.auth,
    timeoutMs: config.netsuite.timeoutMs,
    limiter,
    logger,
  });
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: envRecord(env) });
  const address = connectionOptions.address ?? 'localhost:7233';
  const connection = await NativeConnection.connect(connectionOptions).catch((err: unknown) => {
    const raw = err instanceof Error ? err.message : String(err);
    const why = /refused/i.test(raw)
      ? 'connection refused'
      : /timed? ?out|deadline/i.test(raw)
        ? 'timed out'
        : /dns|resolve|not known/i.test(raw)
          ? 'unknown host'
          : raw.split('\n')[0]!.slice(0, 160);
    throw new ConfigError(
      `Cannot reach Temporal at ${address} (${why}): start it (npm start runs one) or set TEMPORAL_ADDRESS (with TEMPORAL_NAMESPACE / TEMPORAL_API_KEY for Temporal Cloud).`,
    );
  });
  // Without the search attributes every workflow start is refused: stop here with the commands that create them.
  const searchAttributes = await checkSearchAttributes(connection, namespace ?? 'default');
  if (searchAttributes.kind === 'missing') {
    await connection.close();
    throw new ConfigError(searchAttributeProblem(searchAttributes, namespace ?? 'default', address));
  }
  if (searchAttributes.kind === 'unknown')
    logger.warn(
      { namespace: namespace ?? 'default', reason: searchAttributes.reason },
      "could not check the Temporal namespace's search attributes (npm run doctor checks them too)",
    );
  const completeness = config.roles.includes('activities')
    ? await wireCompleteness({
        env,
        netsuite,
        mappings,
        connectionOptions,
        ...(namespace ? { namespace } : {}),
        ...(dataConverter ? { dataConverter } : {}),
        logger,
      })
    : undefined;
  const actions = config.roles.includes('activities') ? wireActions({ env, netsuite, mappings, logger }) : undefined;
  const workers = await createWorkers({
    ...(completeness ? { completenessActivities: completeness.activities } : {}),
    ...(actions ? { actionActivities: actions.activities } : {}),
    connection,
    ...(namespace ? { namespace } : {}),
    // Orders, refunds, subscriptions and payouts; payouts read 2Checkout's API when it is configured.
    activities: createNetSuiteActivities({
      netsuite,
      mappings,
      logger,
      lateWriteHorizonMs: config.netsuite.lateWriteHorizonMs,
      shadow: {
        subscriptions: config.syncModes.subscriptions === 'shadow',
        payouts: config.syncModes.payouts === 'shadow',
      },
      ...payoutsApiFromEnv(env, logger),
    }),
    // Subscription workflows live on the live workflow queue, also when a bulk order starts one.
    workflowActivities: createSubscriptionLinkActivities({ taskQueue: TASK_QUEUES.workflows }),
    activitySlots: config.netsuite.workerConcurrency,
    roles: config.roles,
    workflowCacheSize: config.workflowCacheSize,
    ...(workflowBundle ? { workflowBundle: { codePath: workflowBundle } } : {}),
    ...(tracing ? { tracing } : {}),
    ...(dataConverter ? { dataConverter } : {}),
    ...(config.deployment ? { deployment: config.deployment } : {}),
    logger,
  });
  // GET /metrics: the Runtime's SDK metrics (internal port, see worker/metrics.ts) + NetSuite client and limiter.
  const metrics = await startWorkerMetricsServer({
    port: config.metricsPort,
    host: config.metricsHost,
    ...(mappings.state ? { mappings: mappings.state.bind(mappings) } : {}),
    sdkMetricsUrl: `http://127.0.0.1:${workerMetricsPorts(env).sdk}/metrics`,
    netsuite: { client: netsuite, limiter },
    ...(completeness ? { completeness: completeness.lastLedger } : {}),
    logger,
  });
  logger.info(
    {
      netsuite: config.netsuite.baseUrl,
      auth: config.netsuite.auth.kind,
      concurrency: config.netsuite.workerConcurrency,
      mappings: config.mappingsFile,
      namespace: namespace ?? 'default',
      tracing: Boolean(tracing),
    },
    'worker started',
  );
  const done = Promise.all(workers.map((w) => w.run())).then(async () => {
    await connection.close();
    await completeness?.close();
    await actions?.close();
    await metrics.close();
  });
  if (config.deployment) {
    // Once the workers poll, the server knows this version; on a fresh install it becomes current.
    const outcome = await promoteIfWanted({
      connection,
      namespace: namespace ?? 'default',
      deployment: config.deployment,
      logger,
    });
    logger.info(
      { deployment: config.deployment.deploymentName, buildId: config.deployment.buildId, promotion: outcome },
      'worker versioning',
    );
  }
  return {
    config,
    workers,
    netsuite,
    metricsUrl: metrics.url,
    statusUrl: metrics.url.replace(/\/metrics$/, '/status'),
    done,
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}

function envRecord(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
