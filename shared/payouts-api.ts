// The worker's 2Checkout payouts API, when TWOCHECKOUT_VENDOR_CODE is set (shared/twocheckout-api-config.ts
// validates the rest and reports every problem at once). Without it, payouts park with a clear reason.
import type { Logger } from 'pino';
import { createPayoutsApi, type PayoutsApi } from '../twocheckout/rest/payouts.js';
import { loadTwoCheckoutApiConfig, twoCheckoutApiClientFor } from './twocheckout-api-config.js';

export function payoutsApiFromEnv(env: NodeJS.ProcessEnv, logger?: Logger): { payouts?: PayoutsApi } {
  if (!env.TWOCHECKOUT_VENDOR_CODE) {
    logger?.info('TWOCHECKOUT_VENDOR_CODE is not set: payouts cannot be read from 2Checkout (they park until it is)');
    return {};
  }
  const c = loadTwoCheckoutApiConfig(env);
  const client = twoCheckoutApiClientFor(c);
  return { payouts: createPayoutsApi(client) };
}
