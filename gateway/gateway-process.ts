// Wires the gateway: validated config, Temporal client (standard TEMPORAL_* env), HTTP server.
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Logger } from 'pino';
import { ConfigError, ConfigProblems, loadGatewayConfig, type GatewayConfig } from '../shared/config.js';
import { createGatewayApp } from './app.js';
import { createSyncHandover, shadowPolicy } from '../workflows/handover.js';
import { createGatewayMetrics } from './metrics.js';
import { dataConverterFromEnv } from '../shared/payload-codec.js';
import { checkSearchAttributes, searchAttributeProblem } from '../shared/search-attribute-check.js';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '../shared/tracing.js';

export interface RunningGateway {
  config: GatewayConfig;
  url: string;
  close(): Promise<void>;
}

/** The environment and the payload encryption keys, checked together: every problem in one error. */
function checkGatewayConfig(env: NodeJS.ProcessEnv): {
  config: GatewayConfig;
  dataConverter: ReturnType<typeof dataConverterFromEnv>;
} {
  const problems = new ConfigProblems();
  const config = problems.check(() => loadGatewayConfig(env));
  const dataConverter = problems.check(() => dataConverterFromEnv(env));
  problems.throwIfAny();
  return { config: config!, dataConverter };
}

/** How long the start-up check waits for Temporal before starting anyway (and checking again later). */
const START_CHECK_MS = 5_000;
const RECHECK_EVERY_MS = 15_000;

/**
 * The namespace's search attributes, checked before the gateway listens: missing ones stop it with
 * the commands that create them. While Temporal cannot be reached the gateway starts anyway (it
 * answers 503 until Temporal is back) and checks again in the background until it gets an answer;
 * a namespace found lacking then is logged as a configuration problem (every IPN is also answered
 * `temporal_configuration`, see app.ts).
 */
async function checkNamespaceAtStart(
  connection: Connection,
  namespace: string,
  address: string,
  logger: Logger,
): Promise<{ stop(): void }> {
  const check = () =>
    connection.withDeadline(Date.now() + START_CHECK_MS, () => checkSearchAttributes(connection, namespace));
  const first = await check();
  if (first.kind === 'missing') {
    await connection.close();
    throw new ConfigError(searchAttributeProblem(first, namespace, address));
  }
  if (first.kind === 'ok') return { stop: () => undefined };
  logger.warn(
    { temporal: address, namespace, reason: first.reason },
    "could not check the Temporal namespace's search attributes at start-up; checking again in the background",
  );
  let timer: NodeJS.Timeout | undefined;
  const again = () => {
    timer = setTimeout(() => {
      void check().then((r) => {
        if (r.kind === 'unknown') return again();
        if (r.kind === 'missing')
          logger.error(
            { problem: 'configuration', namespace, fix: searchAttributeProblem(r, namespace, address) },
            'configuration problem: the Temporal namespace lacks search attributes; every event will be refused until they are created',
          );
        else logger.info({ namespace }, 'Temporal namespace has the search attributes');
      });
    }, RECHECK_EVERY_MS);
    timer.unref();
  };
  again();
  return { stop: () => clearTimeout(timer) };
}

export async function startGatewayProcess(opts: {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  port?: number;
  tracing?: Tracing;
}): Promise<RunningGateway> {
  const env = opts.env ?? process.env;
  const { config, dataConverter } = checkGatewayConfig(env);
  const { connectionOptions, namespace } = loadClientConnectConfig({
    overrideEnvVars: Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
  });
  // Lazy: the gateway starts even while Temporal is down, and answers 503 until it is back.
  const connection = Connection.lazy(connectionOptions);
  const client = new Client({
    connection,
    ...(namespace ? { namespace } : {}),
    ...(dataConverter ? { dataConverter } : {}),
    // Tracing on: the hand-over carries the trace into the workflow's headers.
    ...(opts.tracing?.enabled ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}),
  });
  const searchAttributes = await checkNamespaceAtStart(
    connection,
    namespace ?? 'default',
    connectionOptions.address ?? 'localhost:7233',
    opts.logger,
  );
  const handover = createSyncHandover({
    client,
    policy: { postingMode: config.postingMode, idleClose: config.orderIdleClose, ...shadowPolicy(config.syncModes) },
  });
  const app = createGatewayApp({
    config,
    handover,
    logger: opts.logger,
    metrics: createGatewayMetrics({ countWorkflows: async (query) => (await client.workflow.count(query)).count }),
    temporalNamespace: namespace ?? 'default',
  });
  const port = opts.port ?? config.port;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, () => resolve(s));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://127.0.0.1:${actualPort}`;
  opts.logger.info(
    { url, postingMode: config.postingMode, syncTestOrders: config.syncTestOrders, orders: config.syncModes.orders },
    'gateway listening',
  );
  if (config.syncModes.orders === 'shadow')
    opts.logger.warn(
      'SYNC_MODE (orders) is shadow: order syncs read NetSuite and write nothing; `npm run shadow-report` shows what they would do',
    );
  return {
    config,
    url,
    async close() {
      searchAttributes.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}
