// Wires the action-request activities (refunds and subscription actions a second person approves,
// docs/actions.md) into a worker process: 2Checkout's REST API client when TWOCHECKOUT_VENDOR_CODE
// is set (its own limiter: acts are few), the process's NetSuite client and mapping provider.
// Without the API the activities still run, and refuse every request with the settings to add.
import type { Logger } from 'pino';
import { createActionActivities } from '../activities/action-activities.js';
import type { MappingProvider } from '../mappings/config-schema.js';
import type { NetSuiteClient } from '../netsuite/types.js';
import { loadTwoCheckoutApiConfig, twoCheckoutApiClientFor } from '../shared/twocheckout-api-config.js';

export function wireActions(opts: {
  env: NodeJS.ProcessEnv;
  netsuite: NetSuiteClient;
  mappings: MappingProvider;
  logger: Logger;
}): { activities: object; close(): Promise<void> } {
  const { env, logger } = opts;
  if (!env.TWOCHECKOUT_VENDOR_CODE) {
    logger.info('TWOCHECKOUT_VENDOR_CODE is not set: refund requests and subscription actions are refused until it is');
    return {
      activities: createActionActivities({ netsuite: opts.netsuite, mappings: opts.mappings, logger }),
      close: async () => undefined,
    };
  }
  const c = loadTwoCheckoutApiConfig(env);
  const twocheckout = twoCheckoutApiClientFor(c);
  return {
    activities: createActionActivities({ twocheckout, netsuite: opts.netsuite, mappings: opts.mappings, logger }),
    close: () => twocheckout.close(),
  };
}
