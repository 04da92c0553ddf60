// Wires backfill and reconciliation into a worker process when a 2Checkout API merchant code is
// configured: the REST API client (its own limiter), a Temporal client for the hand-over to order
// workflows, and the ledger's keepers (NetSuite custom record, metrics). Without
// TWOCHECKOUT_VENDOR_CODE the worker runs without them and says so.
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createCompletenessActivities } from '../activities/completeness-activities.js';
import { DEFAULT_LEDGER_RECORD_TYPE, LastLedger } from '../activities/completeness-ledger.js';
import type { NetSuiteClient } from '../netsuite/types.js';
import { ConfigError, loadSyncModes } from '../shared/config.js';
import { createSyncHandover, shadowPolicy } from '../workflows/handover.js';
import type { MappingProvider } from '../mappings/config-schema.js';
import { loadTwoCheckoutApiConfig, twoCheckoutApiClientFor } from '../shared/twocheckout-api-config.js';

const policySchema = z.object({
  POSTING_MODE: z.enum(['salesOrder', 'cashSale']).default('salesOrder'),
  ORDER_IDLE_CLOSE: z
    .string()
    .regex(/^\d+\s*(ms|s|m|h|d)$/, 'must be a duration such as 30d')
    .default('30d'),
  SYNC_TEST_ORDERS: z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'])
    .default('false')
    .transform((v) => v === '1' || v === 'true' || v === 'yes'),
  /** NetSuite custom record type for the daily ledger; `none` keeps it in Temporal and metrics only. */
  COMPLETENESS_LEDGER_RECORD: z
    .string()
    .regex(
      /^(none|customrecord_?[a-z0-9_]+)$/,
      'must be a custom record type such as customrecord_2co_completeness, or none',
    )
    .default(DEFAULT_LEDGER_RECORD_TYPE),
});

export const COMPLETENESS_ENV_VARS = ['COMPLETENESS_LEDGER_RECORD'] as const;

/**
 * Checks the completeness settings without connecting anywhere, so the worker can report them
 * together with every other configuration problem at start-up (nothing to check when off).
 */
export function checkCompletenessConfig(env: NodeJS.ProcessEnv): void {
  if (!env.TWOCHECKOUT_VENDOR_CODE) return;
  const problems: string[] = [];
  try {
    loadTwoCheckoutApiConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(e.message);
  }
  const p = policySchema.safeParse(env);
  if (!p.success) problems.push(reconciliationProblems(p.error.issues));
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}

function reconciliationProblems(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return `Invalid reconciliation configuration (environment variables):\n${issues.map((i) => `  - ${i.path.map(String).join('.')}: ${i.message}`).join('\n')}`;
}

export interface CompletenessWiring {
  activities: object;
  lastLedger: LastLedger;
  close(): Promise<void>;
}

export async function wireCompleteness(opts: {
  env: NodeJS.ProcessEnv;
  netsuite: NetSuiteClient;
  mappings?: MappingProvider;
  connectionOptions: ConnectionOptions;
  namespace?: string;
  dataConverter?: DataConverter;
  logger: Logger;
}): Promise<CompletenessWiring | undefined> {
  const { env, logger } = opts;
  if (!env.TWOCHECKOUT_VENDOR_CODE) {
    logger.info('TWOCHECKOUT_VENDOR_CODE is not set: backfill and reconciliation are off in this worker');
    return undefined;
  }
  const api = loadTwoCheckoutApiConfig(env);
  const p = policySchema.safeParse(env);
  if (!p.success) throw new ConfigError(reconciliationProblems(p.error.issues));
  const twocheckout = twoCheckoutApiClientFor(api);
  const connection = await Connection.connect(opts.connectionOptions);
  const client = new Client({
    connection,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  });
  const lastLedger = new LastLedger();
  const modes = loadSyncModes(env);
  const ledgerRecordType = p.data.COMPLETENESS_LEDGER_RECORD === 'none' ? undefined : p.data.COMPLETENESS_LEDGER_RECORD;
  const activities = createCompletenessActivities({
    twocheckout,
    netsuite: opts.netsuite,
    handover: createSyncHandover({
      client,
      policy: { postingMode: p.data.POSTING_MODE, idleClose: p.data.ORDER_IDLE_CLOSE, ...shadowPolicy(modes) },
    }),
    ...(opts.mappings ? { mappings: opts.mappings } : {}),
    shadow: modes.orders === 'shadow',
    postingMode: p.data.POSTING_MODE,
    pageLimit: api.pageLimit,
    includeTestOrders: p.data.SYNC_TEST_ORDERS,
    ...(ledgerRecordType ? { ledgerRecordType } : {}),
    ledgerSink: lastLedger,
  });
  logger.info(
    { api: api.baseUrl, rate: api.ratePerSecond, ledgerRecord: ledgerRecordType ?? 'none' },
    'backfill and reconciliation activities ready',
  );
  return {
    activities,
    lastLedger,
    async close() {
      await twocheckout.close();
      await connection.close();
    },
  };
}
