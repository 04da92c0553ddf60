// `npm start`: the whole stack on one machine, from a fresh clone.
//  - Temporal dev server with the Web UI (SQLite under .data/, so a restart loses nothing),
//    unless TEMPORAL_ADDRESS points at a server you already run;
//  - the NetSuite sandbox, unless NETSUITE_BASE_URL points at a real account;
//  - the worker and the gateway.
// Ctrl-C stops everything in order.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ENV, ConfigError, loadNetSuiteConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { repoRoot } from '../shared/temporal-binaries.js';
import { sandboxOAuth2For, startNetSuiteSandbox, type NetSuiteSandbox } from '../sandbox/netsuite/index.js';
import { installWorkerRuntime } from '../worker/runtime.js';
import { workerMetricsPorts } from '../worker/metrics.js';
import { startWorkerProcess, type RunningWorkers } from '../worker/worker-process.js';
import { startGatewayProcess, type RunningGateway } from '../gateway/gateway-process.js';
import { startDevServer, type DevServer } from './lib/dev-server.js';
import { payloadCodecFromEnv } from '../shared/payload-codec.js';
import { createCodecServer } from '../shared/codec-server.js';

const logger = createLogger({ name: 'stack' });
const dataDir = join(repoRoot, '.data');

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  // One process that replaces its own code on restart: no old build stays up for pinned workflows
  // to finish on, so the embedded stack runs unversioned unless told otherwise (docs/operating.md).
  env.WORKER_VERSIONING ??= 'false';
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.warn({ err }, 'error while stopping');
      }
    }
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    // With payload encryption on, the Web UI decrypts through a local codec server.
    const codec = payloadCodecFromEnv(env);
    let codecUrl: string | undefined;
    if (codec) {
      const codecPort = Number(env.CODEC_SERVER_PORT ?? 8888);
      const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
      const server = createCodecServer({ codec, allowedOrigins: [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`] });
      await new Promise<void>((resolve) => server.listen(codecPort, '127.0.0.1', () => resolve()));
      stoppers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      codecUrl = `http://127.0.0.1:${codecPort}`;
    }

    let temporal: DevServer | undefined;
    if (!env.TEMPORAL_ADDRESS) {
      const port = Number(env.TEMPORAL_DEV_PORT ?? 7233);
      const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
      temporal = await startDevServer({
        port,
        uiPort,
        dbFile: join(dataDir, 'temporal.sqlite'),
        ...(codecUrl ? { extraArgs: ['--ui-codec-endpoint', codecUrl] } : {}),
      });
      stoppers.push(() => temporal!.stop());
      env.TEMPORAL_ADDRESS = temporal.address;
    }

    let sandbox: NetSuiteSandbox | undefined;
    if (!env.NETSUITE_BASE_URL) {
      for (const [k, v] of Object.entries(DEMO_ENV)) if (k.startsWith('NETSUITE_') && !env[k]) env[k] = v;
      // With NETSUITE_AUTH=oauth2 the sandbox trusts the public half of the worker's private key,
      // as NetSuite trusts the certificate uploaded for it (validated here, with the worker's messages).
      const { auth } = loadNetSuiteConfig({ ...env, NETSUITE_BASE_URL: 'http://127.0.0.1' });
      const oauth2 = auth.kind === 'oauth2' ? sandboxOAuth2For(auth) : undefined;
      sandbox = await startNetSuiteSandbox({
        port: Number(env.NETSUITE_SANDBOX_PORT ?? 8088),
        credentials: {
          accountId: env.NETSUITE_ACCOUNT_ID!,
          consumerKey: env.NETSUITE_CONSUMER_KEY!,
          consumerSecret: env.NETSUITE_CONSUMER_SECRET!,
          tokenId: env.NETSUITE_TOKEN_ID!,
          tokenSecret: env.NETSUITE_TOKEN_SECRET!,
        },
        persistPath: join(dataDir, 'netsuite-sandbox.json'),
        ...(oauth2 ? { oauth2 } : {}),
      });
      stoppers.push(() => sandbox!.close());
      env.NETSUITE_BASE_URL = sandbox.url;
    }
    if (!env.TWOCHECKOUT_SECRET_KEY) {
      env.TWOCHECKOUT_SECRET_KEY = DEMO_ENV.TWOCHECKOUT_SECRET_KEY;
      logger.warn('TWOCHECKOUT_SECRET_KEY is not set: using the demo key (fine for the sandbox and `npm run demo`, never for real 2Checkout traffic)');
    }

    installWorkerRuntime({ logger, metricsPort: workerMetricsPorts(env).sdk, handleSignals: false });
    const workers: RunningWorkers = await startWorkerProcess({ env, logger });
    stoppers.push(() => workers.shutdown());
    const gateway: RunningGateway = await startGatewayProcess({ env, logger });
    stoppers.push(() => gateway.close());

    const lines = [
      '',
      '2checkout-netsuite-sync is running:',
      `  2Checkout IPN URL   ${gateway.url}/webhooks/2checkout/ipn`,
      `  2Checkout LCN URL   ${gateway.url}/webhooks/2checkout/lcn`,
      `  Gateway metrics     ${gateway.url}/metrics`,
      `  Worker metrics      http://127.0.0.1:${workerMetricsPorts(env).public}/metrics`,
      temporal ? `  Temporal Web UI     ${temporal.uiUrl}/namespaces/default/workflows` : `  Temporal            ${env.TEMPORAL_ADDRESS}`,
      ...(codecUrl ? [`  Codec server        ${codecUrl}  (payloads are encrypted; the Web UI decrypts through it)`] : []),
      sandbox ? `  NetSuite sandbox    ${sandbox.url}  (ledger: ${sandbox.url}/__sandbox/records/salesOrder)` : `  NetSuite            ${env.NETSUITE_BASE_URL}`,
      '',
      'Try `npm run demo` in another terminal. Ctrl-C stops everything.',
      '',
    ];
    console.log(lines.join('\n'));
    await workers.done;
  } catch (err) {
    await stopAll();
    throw err;
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || (err instanceof Error && err.name === 'MappingConfigError')) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
