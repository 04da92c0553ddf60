// The worker's 2Checkout payouts API, when TWOCHECKOUT_VENDOR_CODE is set (shared/twocheckout-api-config.ts
// validates the rest and reports every problem at once). Without it, payouts park with a clear reason.
import type { Logger } from 'pino';
import { createTwoCheckoutApiClient } from '../twocheckout/rest/client.js';
import { ApiRateLimiter } from '../twocheckout/rest/limiter.js';
import { createPayoutsApi, type PayoutsApi } from '../twocheckout/rest/payouts.js';
import { loadTwoCheckoutApiConfig } from './twocheckout-api-config.js';

export function payoutsApiFromEnv(env: NodeJS.ProcessEnv, logger?: Logger): { payouts?: PayoutsApi } {
  if (!env.TWOCHECKOUT_VENDOR_CODE) {
    logger?.info('TWOCHECKOUT_VENDOR_CODE is not set: payouts cannot be read from 2Checkout (they park until it is)');
    return {};
  }
  const c = loadTwoCheckoutApiConfig(env);
  const client = createTwoCheckoutApiClient({
    baseUrl: c.baseUrl,
    vendorCode: c.vendorCode,
    secretKey: c.secretKey,
    algorithm: c.algorithm,
    timeoutMs: c.timeoutMs,
    limiter: new ApiRateLimiter({ ratePerSecond: c.ratePerSecond, concurrency: c.concurrency }),
  });
  return { payouts: createPayoutsApi(client) };
}
