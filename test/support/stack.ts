// The whole product in one test process, against the run's real Temporal dev server:
// NetSuite sandbox (real HTTP) ← NetSuite client ← activities ← workers ← Temporal ← gateway (real HTTP).
// Each stack has its own task queues, so test files can share the dev server.
import type { Server } from 'node:http';
import { pino } from 'pino';
import type { Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import type { SignatureAlgorithm } from '../../twocheckout/webhooks/signature.js';
import type { NetSuiteRestClient, TbaCredentials } from '../../netsuite/types.js';
import { startNetSuiteSandbox, type NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { createNetSuiteClient } from '../../netsuite/client.js';
import { AdaptiveLimiter } from '../../netsuite/limiter.js';
import { loadMappingConfig, type MappingConfig, type MappingProvider } from '../../mappings/config-loader.js';
import { createNetSuiteActivities } from '../../activities/index.js';
import { createSubscriptionLinkActivities } from '../../activities/subscription-links.js';
import { createWorkers } from '../../worker/create-workers.js';
import { createGatewayApp } from '../../gateway/app.js';
import { createSyncHandover, type EventHandover } from '../../workflows/handover.js';
import { createGatewayMetrics, type GatewayMetrics } from '../../gateway/metrics.js';
import type { OrderSyncPolicy } from '../../workflows/order-state.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { orderStateQuery, type OrderSyncState } from '../../workflows/messages.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { connectTestEnv, eventually, uniqueQueues, workflowBundle, type TestQueues } from './temporal.js';
import { useFixture } from './fixture.js';

export const demoCredentials: TbaCredentials = {
  accountId: DEMO_ENV.NETSUITE_ACCOUNT_ID,
  consumerKey: DEMO_ENV.NETSUITE_CONSUMER_KEY,
  consumerSecret: DEMO_ENV.NETSUITE_CONSUMER_SECRET,
  tokenId: DEMO_ENV.NETSUITE_TOKEN_ID,
  tokenSecret: DEMO_ENV.NETSUITE_TOKEN_SECRET,
};
export const SECRET_KEY = DEMO_ENV.TWOCHECKOUT_SECRET_KEY;

/** A mapping provider tests can change while workflows run (as an operator edits the file). */
export class MutableMappings implements MappingProvider {
  constructor(public config: MappingConfig) {}
  current(): MappingConfig {
    return this.config;
  }
}

export interface TestStack {
  env: TestWorkflowEnvironment;
  sandbox: NetSuiteSandbox;
  netsuite: NetSuiteRestClient;
  limiter: AdaptiveLimiter;
  mappings: MutableMappings;
  queues: TestQueues;
  gatewayUrl: string;
  metrics: GatewayMetrics;
  ipnUrl: string;
  lcnUrl: string;
  /** The order workflow's state (query). */
  orderState(refNo: string): Promise<OrderSyncState>;
  /** Waits until the order workflow's state satisfies `accept`. */
  waitForOrder(refNo: string, accept: (s: OrderSyncState) => boolean, timeoutMs?: number): Promise<OrderSyncState>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  policy?: Partial<OrderSyncPolicy>;
  concurrencyLimit?: number;
  workerConcurrency?: number;
  signatureAlgorithms?: SignatureAlgorithm[];
  syncTestOrders?: boolean;
  /** Replace the gateway's Temporal hand-over (e.g. one that fails). */
  handover?: EventHandover;
  mappings?: MappingConfig;
  /** A Temporal server of the test's own (exact visibility counts) instead of the run's shared one. */
  temporalAddress?: string;
  /** The NetSuite client's per-request timeout (default the client's, 120 s). */
  netsuiteTimeoutMs?: number;
  /** How long a transform that got no answer may still land (activities/late-writes.ts; default the product's 16 minutes). */
  lateWriteHorizonMs?: number;
  /** Whether the sandbox keeps an `externalId` sent in a `!transform` body (default true). */
  transformKeepsExternalId?: boolean;
  /** Whether the sandbox lets a PATCH set a transaction's externalId (default true). */
  transactionExternalIdEditable?: boolean;
  /** More activities for the NetSuite workers, built over the stack's own client and mappings (e.g. payouts). */
  extraActivities?: (deps: { netsuite: NetSuiteRestClient; mappings: MappingProvider }) => object;
}

export function demoMappings(): MappingConfig {
  return loadMappingConfig(`${repoRoot}/config/mappings.yaml`);
}

export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const env = opts.temporalAddress
    ? await TestWorkflowEnvironment.createFromExistingServer({ address: opts.temporalAddress })
    : await connectTestEnv();
  const sandbox = await startNetSuiteSandbox({
    port: 0,
    credentials: demoCredentials,
    concurrencyLimit: opts.concurrencyLimit ?? 5,
    ...(opts.transformKeepsExternalId !== undefined ? { transformKeepsExternalId: opts.transformKeepsExternalId } : {}),
    ...(opts.transactionExternalIdEditable !== undefined
      ? { transactionExternalIdEditable: opts.transactionExternalIdEditable }
      : {}),
  });
  const limiter = new AdaptiveLimiter({ max: opts.workerConcurrency ?? 4 });
  const netsuite = createNetSuiteClient({
    baseUrl: sandbox.url,
    credentials: demoCredentials,
    limiter,
    ...(opts.netsuiteTimeoutMs ? { timeoutMs: opts.netsuiteTimeoutMs } : {}),
  });
  const mappings = new MutableMappings(opts.mappings ?? demoMappings());
  const queues = uniqueQueues();
  const logger = pino({ level: 'silent' });
  const workers: Worker[] = await createWorkers({
    connection: env.nativeConnection,
    activities: {
      ...createNetSuiteActivities({
        netsuite,
        mappings,
        logger,
        ...(opts.lateWriteHorizonMs !== undefined ? { lateWriteHorizonMs: opts.lateWriteHorizonMs } : {}),
      }),
      ...opts.extraActivities?.({ netsuite, mappings }),
    },
    workflowActivities: createSubscriptionLinkActivities(),
    activitySlots: opts.workerConcurrency ?? 4,
    workflowBundle: await workflowBundle(),
    taskQueues: queues,
  });
  const running = workers.map((w) => w.run());
  const handover =
    opts.handover ??
    createSyncHandover({
      client: env.client,
      policy: { idleClose: '1h', ...opts.policy },
      taskQueue: queues.workflows,
      activityQueues: { netsuite: queues.netsuite, netsuiteMoney: queues.netsuiteMoney },
    });
  const metrics = createGatewayMetrics();
  const app = createGatewayApp({
    config: {
      secretKey: SECRET_KEY,
      signatureAlgorithms: opts.signatureAlgorithms ?? ['sha3-256', 'sha256'],
      syncTestOrders: opts.syncTestOrders ?? false,
    },
    handover,
    logger,
    metrics,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const gatewayUrl = `http://127.0.0.1:${port}`;

  const orderState = (refNo: string) => env.client.workflow.getHandle(orderWorkflowId(refNo)).query(orderStateQuery);
  return {
    env,
    sandbox,
    netsuite,
    limiter,
    mappings,
    queues,
    gatewayUrl,
    metrics,
    ipnUrl: `${gatewayUrl}/webhooks/2checkout/ipn`,
    lcnUrl: `${gatewayUrl}/webhooks/2checkout/lcn`,
    orderState,
    waitForOrder: (refNo, accept, timeoutMs = 30_000) =>
      eventually(
        () => orderState(refNo).catch(() => undefined),
        (s): boolean => s !== undefined && accept(s),
        timeoutMs,
      ) as Promise<OrderSyncState>,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      await netsuite.close?.();
      await sandbox.close();
      await env.teardown();
    },
  };
}

/**
 * The file's stack: started before its tests, closed after them. `opts` may be a function, read when
 * the stack starts (after the hooks registered before this call, e.g. another sandbox it needs).
 */
export function useTestStack(opts: TestStackOptions | (() => TestStackOptions) = {}): TestStack {
  return useFixture(
    'the test stack',
    () => startTestStack(typeof opts === 'function' ? opts() : opts),
    (s) => s.close(),
  );
}
