// Configuration of the 2Checkout REST API client (backfill and reconciliation), validated at
// start-up with every problem reported at once. 2Checkout publishes no rate limit, so the pace is
// ours to choose; the defaults are gentle.
import { z } from 'zod';
import { API_HASH_ALGORITHMS, type ApiHashAlgorithm } from '../twocheckout/rest/auth.js';
import {
  createTwoCheckoutApiClient,
  DEFAULT_API_BASE_URL,
  type TwoCheckoutApiClient,
} from '../twocheckout/rest/client.js';
import { ApiRateLimiter } from '../twocheckout/rest/limiter.js';
import { ConfigError } from './config.js';

const positiveInt = z.coerce.number().int().min(1);

const schema = z.object({
  TWOCHECKOUT_VENDOR_CODE: z
    .string({
      error:
        'is required for backfill and reconciliation: your Merchant Code (Control Panel > Integrations > Webhooks & API)',
    })
    .min(1, 'must not be empty: your Merchant Code'),
  /** The API secret key; 2Checkout shows one Secret Key for webhooks and the API, so it defaults to TWOCHECKOUT_SECRET_KEY. */
  TWOCHECKOUT_API_SECRET_KEY: z.string().optional(),
  TWOCHECKOUT_SECRET_KEY: z.string().optional(),
  TWOCHECKOUT_API_BASE_URL: z
    .url('must be a URL such as https://api.2checkout.com/rest/6.0/')
    .default(DEFAULT_API_BASE_URL),
  TWOCHECKOUT_API_HASH_ALGORITHM: z
    .enum(API_HASH_ALGORITHMS, { error: 'must be sha256 or sha3-256 (MD5 API authentication is retired)' })
    .default('sha256'),
  /** API calls started per second by one process. */
  TWOCHECKOUT_API_RATE: z.coerce.number().positive('must be a positive number of calls per second').default(5),
  TWOCHECKOUT_API_CONCURRENCY: positiveInt.default(2),
  /** Orders per page of GET /orders/ (2Checkout's maximum is not published). */
  TWOCHECKOUT_API_PAGE_LIMIT: positiveInt.max(200).default(100),
  TWOCHECKOUT_API_TIMEOUT_MS: positiveInt.default(30_000),
});

export const TWOCHECKOUT_API_ENV_VARS: readonly string[] = Object.keys(schema.shape).filter(
  (k) => k !== 'TWOCHECKOUT_SECRET_KEY',
);

export interface TwoCheckoutApiConfig {
  baseUrl: string;
  vendorCode: string;
  secretKey: string;
  algorithm: ApiHashAlgorithm;
  ratePerSecond: number;
  concurrency: number;
  pageLimit: number;
  timeoutMs: number;
}

/** The demo merchant code `npm start` gives the 2Checkout API sandbox and the worker. */
export const DEMO_VENDOR_CODE = 'DEMOVENDOR';

export function loadTwoCheckoutApiConfig(env: NodeJS.ProcessEnv = process.env): TwoCheckoutApiConfig {
  const r = schema.safeParse(env);
  const problems = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const secretKey = env.TWOCHECKOUT_API_SECRET_KEY || env.TWOCHECKOUT_SECRET_KEY;
  if (!secretKey)
    problems.push(
      'TWOCHECKOUT_API_SECRET_KEY: is required (or TWOCHECKOUT_SECRET_KEY, which it defaults to): the Secret Key from Control Panel > Integrations > Webhooks & API',
    );
  if (!r.success || !secretKey)
    throw new ConfigError(
      `Invalid 2Checkout API configuration (environment variables):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  const c = r.data;
  return {
    baseUrl: c.TWOCHECKOUT_API_BASE_URL,
    vendorCode: c.TWOCHECKOUT_VENDOR_CODE,
    secretKey,
    algorithm: c.TWOCHECKOUT_API_HASH_ALGORITHM,
    ratePerSecond: c.TWOCHECKOUT_API_RATE,
    concurrency: c.TWOCHECKOUT_API_CONCURRENCY,
    pageLimit: c.TWOCHECKOUT_API_PAGE_LIMIT,
    timeoutMs: c.TWOCHECKOUT_API_TIMEOUT_MS,
  };
}

/** The API client a process uses, paced by its own limiter (every caller of the API builds it here). */
export function twoCheckoutApiClientFor(c: TwoCheckoutApiConfig): TwoCheckoutApiClient {
  return createTwoCheckoutApiClient({
    baseUrl: c.baseUrl,
    vendorCode: c.vendorCode,
    secretKey: c.secretKey,
    algorithm: c.algorithm,
    timeoutMs: c.timeoutMs,
    limiter: new ApiRateLimiter({ ratePerSecond: c.ratePerSecond, concurrency: c.concurrency }),
  });
}
