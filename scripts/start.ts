// `npm start`: the whole stack on one machine, from a fresh clone.
//  - Temporal dev server with the Web UI (SQLite under .data/, so a restart loses nothing),
//    unless TEMPORAL_ADDRESS points at a server you already run;
//  - the NetSuite sandbox, unless NETSUITE_BASE_URL points at a real account;
//  - the worker and the gateway;
//  - the finance status page (status-page/), read-only, on loopback unless STATUS_PAGE_TOKEN is set;
//  - the MCP server over HTTP (mcp/for-stack.ts).
// What it started is recorded in .data/stack.json for the other commands (shared/stack-state.ts).
// The terminal shows the banner and what needs attention; the logs are in .data/logs/ (scripts/lib/stack-log.ts).
// Ctrl-C stops everything in order.
import { join, relative, resolve } from 'node:path';
import { ConfigError, ConfigProblems, loadNetSuiteConfig } from '../shared/config.js';
import { DEMO_ENV } from '../sandbox/demo-env.js';
import { createLogger } from '../shared/logger.js';
import { ensurePrivateDir } from '../shared/private-files.js';
import { repoRoot } from '../shared/temporal-binaries.js';
import { sandboxOAuth2For, startNetSuiteSandbox, type NetSuiteSandbox } from '../sandbox/netsuite/index.js';
import { installWorkerRuntime } from '../worker/runtime.js';
import { workerMetricsPorts } from '../worker/metrics.js';
import { startWorkerProcess, type RunningWorkers } from '../worker/worker-process.js';
import { startGatewayProcess, type RunningGateway } from '../gateway/gateway-process.js';
import { startDevServer, type DevServer } from './lib/dev-server.js';
import { openStackLog } from './lib/stack-log.js';
import { bannerRow } from './lib/banner-row.js';
import { payloadCodecFromEnv } from '../shared/payload-codec.js';
import { createCodecServer } from '../shared/codec-server.js';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '../shared/payload-codec.js';
import { startStatusPage } from '../status-page/server.js';
import { netsuiteUiUrlFromEnv } from '../status-page/netsuite-ui.js';
import { startTracing } from '../shared/tracing.js';
import { loadStatusPageConfig } from '../status-page/config.js';
import { clearStackState, stackStateFile, writeStackState, type StackState } from '../shared/stack-state.js';
import { prepareMcpForStack } from '../mcp/for-stack.js';
import {
  API_SANDBOX_SERVICE,
  scheduleNightlyReconciliation,
  startEmbeddedApiSandbox,
} from './lib/completeness/embedded.js';

// STACK_DATA_DIR: another place for the stack's state (tests, a second stack beside the first).
const dataDir = process.env.STACK_DATA_DIR?.trim()
  ? resolve(process.env.STACK_DATA_DIR.trim())
  : join(repoRoot, '.data');
// The terminal gets the banner and what needs attention; the rest goes to .data/logs/.
const stackLog = openStackLog({ dataDir, terminal: process.stdout });
const logger = createLogger({ name: 'stack', destination: stackLog.stream });

async function main(): Promise<void> {
  // Workflow histories, the sandbox ledger, the audit log and tokens live here: owner-only.
  if (ensurePrivateDir(dataDir)) logger.info(`${dataDir} was readable by other users: it is now 0700 (owner only)`);
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
    // The configuration of what this script starts itself, every problem at once, before anything
    // starts (the worker and the gateway check theirs the same way when they start).
    const problems = new ConfigProblems();
    const startMcp = problems.check(() => prepareMcpForStack({ env, logger, dataDir, repoRoot }));
    const codec = problems.check(() => payloadCodecFromEnv(env));
    const statusSettings = problems.check(() => loadStatusPageConfig(env));
    // Links to records in NetSuite's UI (a stand-in NetSuite gets its own below).
    const configuredNetSuiteUi = problems.check(() => netsuiteUiUrlFromEnv(env));
    problems.throwIfAny();
    // With payload encryption on, the Web UI decrypts through a local codec server.
    let codecUrl: string | undefined;
    if (codec) {
      const codecPort = Number(env.CODEC_SERVER_PORT ?? 8888);
      const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
      const server = createCodecServer({
        codec,
        allowedOrigins: [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`],
      });
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
        stderrFile: join(dataDir, 'logs', 'temporal.log'),
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
      // The banner says so, beside the webhook URLs.
      logger.info(
        'TWOCHECKOUT_SECRET_KEY is not set: using the demo key (fine for the sandbox and `npm run demo`, never for real 2Checkout traffic)',
      );
    }

    // 2Checkout's REST API (sandbox unless TWOCHECKOUT_API_BASE_URL is set) for backfill and reconciliation.
    const twocheckoutApi = await startEmbeddedApiSandbox(env, { dataDir });
    stoppers.push(() => twocheckoutApi.stop());

    installWorkerRuntime({ logger, metricsPort: workerMetricsPorts(env).sdk, handleSignals: false });
    // One process, one trace exporter (when OTEL_EXPORTER_OTLP_ENDPOINT is set).
    const tracing = await startTracing({ serviceName: '2checkout-netsuite-sync', env });
    stoppers.push(() => tracing.shutdown());
    const workers: RunningWorkers = await startWorkerProcess({ env, logger, tracing });
    stoppers.push(() => workers.shutdown());
    const gateway: RunningGateway = await startGatewayProcess({ env, logger, tracing });
    stoppers.push(() => gateway.close());
    // A refund or subscription action approved in the sync comes back from the sandbox as 2Checkout's notification.
    twocheckoutApi.notifyTo({
      ipnUrl: `${gateway.url}/webhooks/2checkout/ipn`,
      lcnUrl: `${gateway.url}/webhooks/2checkout/lcn`,
      secretKey: env.TWOCHECKOUT_SECRET_KEY,
    });
    const mcp = await startMcp!(temporal && !env.TEMPORAL_UI_URL ? { ...env, TEMPORAL_UI_URL: temporal.uiUrl } : env);
    stoppers.push(() => mcp.close());

    const scheduleLine = await scheduleNightlyReconciliation(env, logger);
    const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
    const uiUrl = temporal?.uiUrl ?? env.TEMPORAL_UI_URL?.replace(/\/+$/, '');

    const statusConnection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
    stoppers.push(() => statusConnection.close());
    const statusDataConverter = dataConverterFromEnv(env);
    // The sandbox stands in for NetSuite's record pages too (`/__sandbox/ui/app/…`).
    const netsuiteUiUrl =
      sandbox && !env.NETSUITE_UI_URL?.trim() ? `${sandbox.url}/__sandbox/ui` : configuredNetSuiteUi;
    const statusPage = await startStatusPage({
      client: new Client({
        connection: statusConnection,
        namespace,
        ...(statusDataConverter ? { dataConverter: statusDataConverter } : {}),
      }),
      namespace,
      ...(uiUrl ? { uiBase: uiUrl } : {}),
      ...statusSettings!,
      // The books in NetSuite, read through the worker's client (and its limiter), below live orders.
      netsuite: { suiteqlAll: (query) => workers.netsuite.suiteqlAll(query, { priority: 'bulk', priorityKey: 5 }) },
      ...(netsuiteUiUrl ? { netsuiteUiUrl } : {}),
    });
    stoppers.push(() => statusPage.close());
    const demoKey = env.TWOCHECKOUT_SECRET_KEY === DEMO_ENV.TWOCHECKOUT_SECRET_KEY;
    const state: StackState = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      temporal: { address: env.TEMPORAL_ADDRESS, namespace, ...(uiUrl ? { uiUrl } : {}), devServer: Boolean(temporal) },
      gateway: {
        url: gateway.url,
        ipnUrl: `${gateway.url}/webhooks/2checkout/ipn`,
        lcnUrl: `${gateway.url}/webhooks/2checkout/lcn`,
        metricsUrl: `${gateway.url}/metrics`,
      },
      worker: { metricsUrl: workers.metricsUrl, statusUrl: workers.statusUrl },
      netsuite: {
        baseUrl: env.NETSUITE_BASE_URL,
        sandbox: Boolean(sandbox),
        ...(sandbox ? { sandboxEnv: sandboxEnvOf(env) } : {}),
      },
      twocheckout: {
        ...(demoKey ? { demoSecretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY } : {}),
        ...(env.TWOCHECKOUT_API_BASE_URL ? { apiBaseUrl: env.TWOCHECKOUT_API_BASE_URL } : {}),
        ...(twocheckoutApi.sandboxUrl ? { apiSandboxUrl: twocheckoutApi.sandboxUrl } : {}),
        ...(twocheckoutApi.sandboxUrl && env.TWOCHECKOUT_VENDOR_CODE
          ? { demoVendorCode: env.TWOCHECKOUT_VENDOR_CODE }
          : {}),
      },
      ...(codecUrl ? { codecServer: { url: codecUrl } } : {}),
      statusPage: { url: statusPage.url },
      services: {
        'MCP server (HTTP)': { url: mcp.url, note: mcp.note },
        ...(twocheckoutApi.sandboxUrl ? { [API_SANDBOX_SERVICE]: { url: twocheckoutApi.sandboxUrl } } : {}),
      },
    };
    const stateFile = stackStateFile(env);
    writeStackState(state, stateFile);
    stoppers.unshift(async () => clearStackState(stateFile));
    const shown = (path: string) => (path.startsWith(`${repoRoot}/`) ? relative(repoRoot, path) : path);
    const logFile = `${shown(stackLog.file)}${stackLog.format === 'json' ? ' (JSON lines)' : ''}`;
    console.log(
      banner(
        state,
        stateFile,
        twocheckoutApi.sandboxUrl ? [scheduleLine] : [...twocheckoutApi.lines, scheduleLine],
        logFile,
        `${shown(dataDir)}/`,
      ),
    );
    await workers.done;
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The sandbox's demo account and credentials, so other commands can open the sandbox too. */
function sandboxEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(DEMO_ENV)) if (k.startsWith('NETSUITE_') && env[k]) out[k] = env[k];
  if (env.NETSUITE_AUTH) out.NETSUITE_AUTH = env.NETSUITE_AUTH;
  return out;
}

/** Everything a user needs to reach the stack, and where the other commands read it from. */
export function banner(
  s: StackState,
  stateFile: string,
  extra: readonly string[] = [],
  logFile?: string,
  dataDirShown = '.data/',
): string {
  const ui = s.temporal.uiUrl
    ? `${s.temporal.uiUrl}/namespaces/${encodeURIComponent(s.temporal.namespace)}/workflows`
    : undefined;
  return [
    '',
    '2checkout-netsuite-sync is running:',
    bannerRow('2Checkout IPN URL', s.gateway.ipnUrl),
    bannerRow('2Checkout LCN URL', s.gateway.lcnUrl),
    ...(s.twocheckout.demoSecretKey
      ? [
          bannerRow(
            '2Checkout secret',
            `the demo key "${s.twocheckout.demoSecretKey}" (set TWOCHECKOUT_SECRET_KEY for real traffic)`,
          ),
        ]
      : []),
    ...(s.statusPage ? [bannerRow('Status page', s.statusPage.url)] : []),
    bannerRow(
      'Temporal',
      `${s.temporal.address}  namespace ${s.temporal.namespace}${s.temporal.devServer ? ` (dev server, data in ${dataDirShown})` : ''}`,
    ),
    ...(ui ? [bannerRow('Temporal Web UI', ui)] : []),
    ...(s.codecServer
      ? [bannerRow('Codec server', `${s.codecServer.url}  (payloads are encrypted; the Web UI decrypts through it)`)]
      : []),
    s.netsuite.sandbox
      ? bannerRow(
          'NetSuite sandbox',
          `${s.netsuite.baseUrl}  (ledger: ${s.netsuite.baseUrl}/__sandbox/records/salesOrder; account ${s.netsuite.sandboxEnv?.NETSUITE_ACCOUNT_ID ?? ''})`,
        )
      : bannerRow('NetSuite', s.netsuite.baseUrl),
    ...Object.entries(s.services).map(([name, svc]) =>
      bannerRow(name, `${svc.url}${svc.note ? `  (${svc.note})` : ''}`),
    ),
    ...extra,
    bannerRow('Gateway metrics', s.gateway.metricsUrl),
    bannerRow('Worker metrics', `${s.worker.metricsUrl}  (status: ${s.worker.statusUrl})`),
    ...(logFile ? [bannerRow('Logs', `${logFile}  (warnings and errors also show here)`)] : []),
    '',
    `Other commands (demo, stuck, ops, preview, mappings:check, replay) find this stack through ${stateFile}.`,
    'Try `npm run demo` in another terminal. Ctrl-C stops everything.',
    '',
  ].join('\n');
}

main().catch((err: unknown) => {
  if (
    err instanceof ConfigError ||
    (err instanceof Error && (err.name === 'MappingConfigError' || err.name === 'ConfigError'))
  )
    console.error(err.message);
  else {
    // The terminal gets the sentence (an attention line); the stack trace goes to the log file.
    logger.error({ err }, 'npm start failed');
    console.error(`(the details are in ${relative(process.cwd(), stackLog.file) || stackLog.file})`);
  }
  process.exit(1);
});
