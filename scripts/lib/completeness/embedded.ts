// `npm start`'s part for completeness: the 2Checkout API sandbox beside NetSuite's (unless
// TWOCHECKOUT_API_BASE_URL points at the real API), the worker's API settings, and the nightly
// reconciliation Schedule once Temporal is up.
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import { DEMO_VENDOR_CODE } from '../../../shared/twocheckout-api-config.js';
import { startTwoCheckoutApiSandbox, type NotifyTarget } from '../../../sandbox/twocheckout/api/index.js';
import { bannerRow } from '../banner-row.js';
import { TwoCheckoutStore } from '../../../sandbox/twocheckout/store.js';
import { join } from 'node:path';
import { ensureNightlySchedule, loadScheduleConfig, NIGHTLY_SCHEDULE_ID } from './schedule.js';

/** The name `npm start` records the 2Checkout API sandbox under in the stack file (`services`). */
export const API_SANDBOX_SERVICE = '2Checkout API sandbox';

export interface EmbeddedCompleteness {
  /** Banner lines. */
  lines: string[];
  /** The sandbox's base URL (admin routes, `__sandbox/ipn`), when this process started one. */
  sandboxUrl?: string;
  /** Points the sandbox's notifications (the REFUND IPN after a refund, the LCN after a subscription action) at the gateway. */
  notifyTo(target: NotifyTarget): void;
  stop(): Promise<void>;
}

/** Mutates `env` so the worker reads the sandbox (as it does for NetSuite's). */
export async function startEmbeddedApiSandbox(
  env: NodeJS.ProcessEnv,
  opts: { dataDir?: string } = {},
): Promise<EmbeddedCompleteness> {
  if (env.TWOCHECKOUT_API_BASE_URL) {
    return {
      lines: [bannerRow('2Checkout API', env.TWOCHECKOUT_API_BASE_URL)],
      notifyTo: () => undefined,
      stop: async () => undefined,
    };
  }
  env.TWOCHECKOUT_VENDOR_CODE ||= DEMO_VENDOR_CODE;
  const sandbox = await startTwoCheckoutApiSandbox({
    port: Number(env.TWOCHECKOUT_SANDBOX_PORT ?? 8089),
    vendorCode: env.TWOCHECKOUT_VENDOR_CODE,
    secretKey: env.TWOCHECKOUT_API_SECRET_KEY || env.TWOCHECKOUT_SECRET_KEY || DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
    // Kept beside NetSuite's sandbox ledger, so a restart keeps what 2Checkout knows.
    ...(opts.dataDir ? { store: TwoCheckoutStore.persisted(join(opts.dataDir, 'twocheckout-sandbox.json')) } : {}),
  });
  env.TWOCHECKOUT_API_BASE_URL = sandbox.apiUrl;
  return {
    lines: [bannerRow(API_SANDBOX_SERVICE, `${sandbox.apiUrl}  (orders: ${sandbox.url}/__sandbox/orders)`)],
    sandboxUrl: sandbox.url,
    notifyTo: (target) => sandbox.notifyTo(target),
    stop: () => sandbox.close(),
  };
}

/** Creates or updates the nightly reconciliation Schedule; a banner line. */
export async function scheduleNightlyReconciliation(env: NodeJS.ProcessEnv, logger: Logger): Promise<string> {
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  try {
    const s = loadScheduleConfig(env);
    const what = await ensureNightlySchedule(
      new Client({ connection, namespace: env.TEMPORAL_NAMESPACE ?? 'default' }),
      s,
    );
    logger.info(
      { schedule: NIGHTLY_SCHEDULE_ID, cron: s.cron, days: s.days, what },
      'nightly reconciliation scheduled',
    );
    return bannerRow(
      'Reconciliation',
      `Schedule ${NIGHTLY_SCHEDULE_ID} (cron "${s.cron}" UTC); now: npm run reconcile -- --date today`,
    );
  } finally {
    await connection.close();
  }
}
