// Wires the gateway: validated config, Temporal client (standard TEMPORAL_* env), HTTP server.
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Logger } from 'pino';
import { ConfigProblems, loadGatewayConfig, type GatewayConfig } from '../shared/config.js';
import { createGatewayApp } from './app.js';
import { createSyncHandover } from '../workflows/handover.js';
import { createGatewayMetrics } from './metrics.js';
import { dataConverterFromEnv } from '../shared/payload-codec.js';

export interface RunningGateway {
  config: GatewayConfig;
  url: string;
  close(): Promise<void>;
}

/** The environment and the payload encryption keys, checked together: every problem in one error. */
function checkGatewayConfig(env: NodeJS.ProcessEnv): { config: GatewayConfig; dataConverter: ReturnType<typeof dataConverterFromEnv> } {
  const problems = new ConfigProblems();
  const config = problems.check(() => loadGatewayConfig(env));
  const dataConverter = problems.check(() => dataConverterFromEnv(env));
  problems.throwIfAny();
  return { config: config!, dataConverter };
}

export async function startGatewayProcess(opts: { env?: NodeJS.ProcessEnv; logger: Logger; port?: number }): Promise<RunningGateway> {
  const env = opts.env ?? process.env;
  const { config, dataConverter } = checkGatewayConfig(env);
  const { connectionOptions, namespace } = loadClientConnectConfig({
    overrideEnvVars: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
  });
  // Lazy: the gateway starts even while Temporal is down, and answers 503 until it is back.
  const connection = Connection.lazy(connectionOptions);
  const client = new Client({ connection, ...(namespace ? { namespace } : {}), ...(dataConverter ? { dataConverter } : {}) });
  const handover = createSyncHandover({
    client,
    policy: { postingMode: config.postingMode, idleClose: config.orderIdleClose },
  });
  const app = createGatewayApp({ config, handover, logger: opts.logger, metrics: createGatewayMetrics() });
  const port = opts.port ?? config.port;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, () => resolve(s));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://127.0.0.1:${actualPort}`;
  opts.logger.info({ url, postingMode: config.postingMode, syncTestOrders: config.syncTestOrders }, 'gateway listening');
  return {
    config,
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}
