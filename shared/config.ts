// Process configuration from the environment, validated once at start-up. A bad value stops the
// process with a message that names the variable and says how to fix it; secrets are never echoed.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { privateKeyFor } from '../netsuite/oauth2.js';
import type { NetSuiteAuth } from '../netsuite/types.js';
import type { PostingMode } from '../mappings/sync-types.js';
import packageJson from '../package.json' with { type: 'json' };
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../twocheckout/webhooks/signature.js';

/** The mapping file a worker reads unless MAPPINGS_FILE names another. */
export const DEFAULT_MAPPINGS_FILE = 'config/mappings.yaml';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const required = (hint: string) => z.string({ error: `is required: ${hint}` }).min(1, `must not be empty: ${hint}`);

const signatureAlgorithms = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(SIGNATURE_ALGORITHMS)).min(1));

/** TBA variables: required with NETSUITE_AUTH=tba (the default), ignored with oauth2. */
const TBA_VARS = {
  NETSUITE_CONSUMER_KEY: 'consumer key of the integration record (Token-Based Authentication checked)',
  NETSUITE_CONSUMER_SECRET: 'consumer secret of the integration record',
  NETSUITE_TOKEN_ID: 'token id of the access token (Setup > Users/Roles > Access Tokens)',
  NETSUITE_TOKEN_SECRET: 'token secret of the access token',
} as const;
export const NETSUITE_TBA_ENV_VARS: readonly string[] = Object.keys(TBA_VARS);
export const NETSUITE_OAUTH2_ENV_VARS: readonly string[] = [
  'NETSUITE_CLIENT_ID',
  'NETSUITE_CERTIFICATE_ID',
  'NETSUITE_PRIVATE_KEY_FILE',
  'NETSUITE_PRIVATE_KEY',
  'NETSUITE_JWT_ALGORITHM',
];

const KEY_HOWTO =
  'make a key and certificate with `openssl req -x509 -newkey rsa:3072 -keyout key.pem -out cert.pem -days 730 -nodes -subj "/CN=2checkout-netsuite-sync"` ' +
  '(for ES256: `-newkey ec -pkeyopt ec_paramgen_curve:prime256v1`), upload cert.pem on Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup, and point NETSUITE_PRIVATE_KEY_FILE at key.pem';

const netsuiteSchema = z.object({
  NETSUITE_ACCOUNT_ID: required(
    'your NetSuite account id, e.g. 1234567 or 1234567_SB1 (Setup > Company > Company Information)',
  ),
  /** `tba` (OAuth 1.0 token-based authentication) or `oauth2` (client credentials with a certificate). */
  NETSUITE_AUTH: z
    .enum(['tba', 'oauth2'], {
      error: 'must be tba (token-based authentication) or oauth2 (OAuth 2.0 client credentials)',
    })
    .default('tba'),
  NETSUITE_CONSUMER_KEY: z.string().optional(),
  NETSUITE_CONSUMER_SECRET: z.string().optional(),
  NETSUITE_TOKEN_ID: z.string().optional(),
  NETSUITE_TOKEN_SECRET: z.string().optional(),
  NETSUITE_CLIENT_ID: z.string().optional(),
  NETSUITE_CERTIFICATE_ID: z.string().optional(),
  NETSUITE_PRIVATE_KEY_FILE: z.string().optional(),
  NETSUITE_PRIVATE_KEY: z.string().optional(),
  NETSUITE_JWT_ALGORITHM: z
    .enum(['PS256', 'ES256'], { error: 'must be PS256 (RSA key) or ES256 (EC P-256 key)' })
    .default('PS256'),
  NETSUITE_BASE_URL: z.url('must be a URL such as https://1234567-sb1.suitetalk.api.netsuite.com').optional(),
  /** Concurrent NetSuite requests this service may use, account-wide (docs/reference-notes.md#ns-errors). */
  NETSUITE_CONCURRENCY: positiveInt.default(4),
  /** How many worker processes share NETSUITE_CONCURRENCY. */
  NETSUITE_WORKER_COUNT: positiveInt.default(1),
  NETSUITE_TIMEOUT_MS: positiveInt.default(120_000),
  /**
   * How long a `!transform` that got no answer may still land in NetSuite (which ends a request after
   * 15 minutes): a retry waits that long for it before sending another (activities/late-writes.ts).
   */
  NETSUITE_LATE_WRITE_HORIZON_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int({ error: 'must be a whole number of milliseconds' })
    .min(0, {
      error: 'must be 0 or more milliseconds (0 only if your account keeps the externalId of a transform body)',
    })
    .default(960_000),
});

/** Shadow mode (docs/cutover.md): read NetSuite, write nothing, report what would happen; per workflow type. */
const syncMode = z.enum(['live', 'shadow'], {
  error: 'must be live or shadow (shadow: read NetSuite, write nothing; docs/cutover.md)',
});
const syncModeShape = {
  /** live (default) or shadow, for every workflow type a SYNC_MODE_<TYPE> does not set. */
  SYNC_MODE: syncMode.default('live'),
  SYNC_MODE_ORDERS: syncMode.optional(),
  SYNC_MODE_SUBSCRIPTIONS: syncMode.optional(),
  SYNC_MODE_PAYOUTS: syncMode.optional(),
  /** Shadow mode: how long after the sale an order is judged, so the previous tool had time to book it. */
  SHADOW_LOOK_AFTER: z
    .string()
    .regex(/^\d+\s*(ms|s|m|h|d)$/, 'must be a duration such as 30m, 2h or 1d')
    .default('30m'),
};

/** Live or shadow, per workflow type (SYNC_MODE, overridden by SYNC_MODE_ORDERS / _SUBSCRIPTIONS / _PAYOUTS). */
export interface SyncModes {
  orders: 'live' | 'shadow';
  subscriptions: 'live' | 'shadow';
  payouts: 'live' | 'shadow';
  shadowLookAfter: string;
}

export const SYNC_MODE_ENV_VARS: readonly string[] = Object.keys(syncModeShape);

/** The sync modes from the environment (every problem in one error). */
export function loadSyncModes(env: NodeJS.ProcessEnv = process.env): SyncModes {
  const c = parseOrThrow(z.object(syncModeShape), env, 'sync mode');
  return {
    orders: c.SYNC_MODE_ORDERS ?? c.SYNC_MODE,
    subscriptions: c.SYNC_MODE_SUBSCRIPTIONS ?? c.SYNC_MODE,
    payouts: c.SYNC_MODE_PAYOUTS ?? c.SYNC_MODE,
    shadowLookAfter: c.SHADOW_LOOK_AFTER,
  };
}

const workerSchema = netsuiteSchema.extend({
  ...syncModeShape,
  MAPPINGS_FILE: z.string().default(DEFAULT_MAPPINGS_FILE),
  /** Which workers this process runs: scale workflow hosts and NetSuite activity hosts separately. */
  WORKER_ROLES: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['workflows', 'activities'])).min(1, 'name at least one role: workflows, activities'))
    .default(['workflows', 'activities']),
  WORKER_METRICS_PORT: port.default(9464),
  /** Interface the metrics/status endpoint binds: loopback by default; 0.0.0.0 where Prometheus scrapes from elsewhere. */
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Loopback port of the Temporal SDK's own Prometheus exporter, merged into WORKER_METRICS_PORT (default that + 1). */
  WORKER_SDK_METRICS_PORT: port.optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /**
   * Workflows each workflow worker keeps in memory (its cache). A task of a workflow not in it replays
   * the workflow's history first: a burst larger than the cache replays nearly every order
   * (docs/performance.md, "CPU per order"). About 0.4 MB of the worker's memory each.
   */
  WORKFLOW_CACHE_SIZE: z.coerce
    .number({ error: 'must be a number of workflows' })
    .int({ error: 'must be a whole number of workflows' })
    .min(10, {
      error: 'must be at least 10 workflows (each costs about 0.4 MB of memory; 10000 holds a 10,000-order burst)',
    })
    .default(10_000),
  /** Prebuilt workflow bundle (`npm run build:workflows`): the worker polls within seconds of its start instead of bundling first. */
  WORKFLOW_BUNDLE: z
    .string()
    .min(1)
    .refine(
      (f) => existsSync(f),
      'no such file: build it with `npm run build:workflows` or unset WORKFLOW_BUNDLE to bundle at start',
    )
    .optional(),
  /** Worker Versioning (worker/deployment.ts): on by default; off runs unversioned workers. */
  WORKER_VERSIONING: bool.default(true),
  /** The Worker Deployment every worker of this service belongs to (no dots: Temporal joins name and build id with one). */
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be letters, digits, - or _ (no dots), e.g. 2checkout-netsuite-sync')
    .default('2checkout-netsuite-sync'),
  /** This build's id: set it per image (e.g. the git commit); default the package version. */
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9._+-]{1,200}$/, 'must be letters, digits, ., +, - or _, e.g. a git commit or 1.4.0')
    .default(packageJson.version),
  /** first: make this build current only on a fresh install; always: on every start (one worker at a time); never: the operator promotes it. */
  WORKER_PROMOTE: z.enum(['first', 'always', 'never'], { error: 'must be first, always or never' }).default('first'),
});

const gatewaySchema = z.object({
  ...syncModeShape,
  TWOCHECKOUT_SECRET_KEY: required('the Secret Key from 2Checkout Control Panel > Integrations > Webhooks & API'),
  TWOCHECKOUT_SIGNATURE_ALGORITHMS: signatureAlgorithms.default(['sha3-256', 'sha256']),
  SYNC_TEST_ORDERS: bool.default(false),
  POSTING_MODE: z.enum(['salesOrder', 'cashSale']).default('salesOrder'),
  GATEWAY_PORT: port.default(8080),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** How long an order workflow stays open after its last event, waiting for refunds/chargebacks. */
  ORDER_IDLE_CLOSE: z
    .string()
    .regex(/^\d+\s*(ms|s|m|h|d)$/, 'must be a duration such as 30d, 12h or 90m')
    .default('30d'),
});

/** Environment variables each process reads (besides the standard TEMPORAL_* ones). */
export const WORKER_ENV_VARS: readonly string[] = Object.keys(workerSchema.shape);
export const GATEWAY_ENV_VARS: readonly string[] = Object.keys(gatewaySchema.shape);
/** Standard Temporal client variables read through @temporalio/envconfig (docs/reference-notes.md#temporal-envconfig). */
export const TEMPORAL_ENV_VARS: readonly string[] = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
];
/** Variables without a default: a process does not start without them. */
export const REQUIRED_WORKER_ENV_VARS: readonly string[] = Object.entries(workerSchema.shape)
  .filter(([, v]) => !v.safeParse(undefined).success)
  .map(([k]) => k);
export const REQUIRED_GATEWAY_ENV_VARS: readonly string[] = Object.entries(gatewaySchema.shape)
  .filter(([, v]) => !v.safeParse(undefined).success)
  .map(([k]) => k);

export interface NetSuiteConfig {
  accountId: string;
  /** TBA or OAuth 2.0 client credentials, as NETSUITE_AUTH says; hand it to createNetSuiteClient({ auth }). */
  auth: NetSuiteAuth;
  baseUrl: string;
  accountConcurrency: number;
  /** This worker process's share of the account budget. */
  workerConcurrency: number;
  timeoutMs: number;
  /** activities/late-writes.ts */
  lateWriteHorizonMs: number;
}

/** Worker Versioning of a worker process (worker/deployment.ts). */
export interface WorkerDeployment {
  deploymentName: string;
  buildId: string;
  /**
   * When a worker makes its own version the deployment's Current Version once it polls: `first`
   * only when the deployment has none yet (a fresh install), `always` on every start (one worker
   * at a time), `never` (an operator or CI runs `temporal worker deployment set-current-version`).
   */
  promote: 'first' | 'always' | 'never';
}

export interface WorkerConfig {
  netsuite: NetSuiteConfig;
  syncModes: SyncModes;
  /** Worker Versioning: undefined when WORKER_VERSIONING=false. */
  deployment?: WorkerDeployment;
  mappingsFile: string;
  roles: Array<'workflows' | 'activities'>;
  /** WORKFLOW_CACHE_SIZE: workflows each workflow worker keeps in memory. */
  workflowCacheSize: number;
  metricsPort: number;
  metricsHost: string;
  logLevel: string;
  /** Path of a prebuilt workflow bundle; absent: bundle from source at start. */
  workflowBundle?: string;
}

export interface GatewayConfig {
  syncModes: SyncModes;
  secretKey: string;
  signatureAlgorithms: SignatureAlgorithm[];
  syncTestOrders: boolean;
  postingMode: PostingMode;
  port: number;
  logLevel: string;
  orderIdleClose: string;
}

/** `{accountId lower-cased, "_"→"-"}.suitetalk.api.netsuite.com` (docs/reference-notes.md#ns-hosts). */
export function netsuiteHostFor(accountId: string): string {
  return `https://${accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;
}

function problemsOf(schema: z.ZodType, env: NodeJS.ProcessEnv): string[] {
  const result = schema.safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
}

/**
 * Collects the problems of a process's configuration sources (environment, keys, files): each
 * loader runs even when an earlier one failed, so start-up reports every problem in one error.
 * `isProblem` says which errors are configuration problems (others are thrown at once).
 */
export class ConfigProblems {
  private readonly messages: string[] = [];
  constructor(private readonly isProblem: (e: unknown) => e is Error = (e): e is Error => e instanceof ConfigError) {}

  /** The loader's result, or undefined when it reported a problem (kept for throwIfAny). */
  check<T>(load: () => T): T | undefined {
    try {
      return load();
    } catch (e) {
      if (!this.isProblem(e)) throw e;
      this.messages.push(e.message);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.messages.length > 0) throw new ConfigError(this.messages.join('\n\n'));
  }
}

function configError(what: string, problems: string[]): ConfigError {
  const unique = [...new Set(problems)];
  const n = unique.filter((p) => !p.startsWith('(')).length; // "(or set …)" lines are hints, not problems
  return new ConfigError(
    `Invalid ${what} configuration (environment variables; ${n} problem${n === 1 ? '' : 's'}):\n${unique.map((p) => `  - ${p}`).join('\n')}`,
  );
}

function parseOrThrow<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, what: string): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw configError(what, problemsOf(schema, env));
}

/**
 * Every NetSuite problem at once: the variables' own checks and, as far as they can be judged
 * without the others, the credentials the chosen NETSUITE_AUTH needs (so a fresh setup learns all
 * missing variables from one attempt, not one per attempt).
 */
function netsuiteProblems(env: NodeJS.ProcessEnv): string[] {
  const problems = problemsOf(netsuiteSchema, env);
  const lenient = netsuiteSchema
    .pick({ NETSUITE_AUTH: true, NETSUITE_JWT_ALGORITHM: true })
    .safeParse({ NETSUITE_AUTH: env.NETSUITE_AUTH, NETSUITE_JWT_ALGORITHM: env.NETSUITE_JWT_ALGORITHM });
  if (!lenient.success) return problems;
  const c = {
    ...(env as Record<string, string | undefined>),
    ...lenient.data,
    NETSUITE_ACCOUNT_ID: env.NETSUITE_ACCOUNT_ID ?? '',
  } as NetSuiteEnv;
  const auth = authFrom(c);
  return Array.isArray(auth) ? [...problems, ...auth] : problems;
}

type NetSuiteEnv = z.infer<typeof netsuiteSchema>;

/** The configured authentication, or the problems with it (variable: message; never a secret). */
function authFrom(c: NetSuiteEnv): NetSuiteAuth | string[] {
  const problems: string[] = [];
  const value = (name: keyof NetSuiteEnv, hint: string): string => {
    const v = c[name];
    if (typeof v === 'string' && v !== '') return v;
    problems.push(`${name}: is required with NETSUITE_AUTH=${c.NETSUITE_AUTH}: ${hint}`);
    return '';
  };
  if (c.NETSUITE_AUTH === 'tba') {
    const credentials = {
      accountId: c.NETSUITE_ACCOUNT_ID,
      consumerKey: value('NETSUITE_CONSUMER_KEY', TBA_VARS.NETSUITE_CONSUMER_KEY),
      consumerSecret: value('NETSUITE_CONSUMER_SECRET', TBA_VARS.NETSUITE_CONSUMER_SECRET),
      tokenId: value('NETSUITE_TOKEN_ID', TBA_VARS.NETSUITE_TOKEN_ID),
      tokenSecret: value('NETSUITE_TOKEN_SECRET', TBA_VARS.NETSUITE_TOKEN_SECRET),
    };
    if (problems.length > 0)
      problems.push(
        '(or set NETSUITE_AUTH=oauth2 to use OAuth 2.0 client credentials, which new integrations need from NetSuite 2027.1)',
      );
    return problems.length > 0 ? problems : { kind: 'tba', credentials };
  }
  const clientId = value(
    'NETSUITE_CLIENT_ID',
    'the client id shown once when the integration record (with "Client Credentials (machine to machine) grant" checked) is saved',
  );
  const certificateId = value(
    'NETSUITE_CERTIFICATE_ID',
    'the certificate id on Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup after uploading your certificate',
  );
  const privateKeyPem = privateKeyPemFrom(c, problems);
  if (privateKeyPem !== undefined) {
    try {
      privateKeyFor(privateKeyPem, c.NETSUITE_JWT_ALGORITHM);
    } catch (e) {
      const source = c.NETSUITE_PRIVATE_KEY ? 'NETSUITE_PRIVATE_KEY' : 'NETSUITE_PRIVATE_KEY_FILE';
      problems.push(`${source}: ${(e as Error).message}; ${KEY_HOWTO}`);
    }
  }
  if (problems.length > 0 || privateKeyPem === undefined) return problems;
  return {
    kind: 'oauth2',
    accountId: c.NETSUITE_ACCOUNT_ID,
    clientId,
    certificateId,
    privateKeyPem,
    algorithm: c.NETSUITE_JWT_ALGORITHM,
    scope: ['rest_webservices'],
  };
}

/** The PEM from NETSUITE_PRIVATE_KEY, else read from NETSUITE_PRIVATE_KEY_FILE. */
function privateKeyPemFrom(c: NetSuiteEnv, problems: string[]): string | undefined {
  if (c.NETSUITE_PRIVATE_KEY) return c.NETSUITE_PRIVATE_KEY;
  const file = c.NETSUITE_PRIVATE_KEY_FILE;
  if (!file) {
    problems.push(
      `NETSUITE_PRIVATE_KEY_FILE: is required with NETSUITE_AUTH=oauth2 (or NETSUITE_PRIVATE_KEY with the PEM itself): ${KEY_HOWTO}`,
    );
    return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    problems.push(
      `NETSUITE_PRIVATE_KEY_FILE: cannot read ${file} (${code}): give the path of the PEM private key, readable by this process`,
    );
    return undefined;
  }
}

export function loadNetSuiteConfig(env: NodeJS.ProcessEnv = process.env): NetSuiteConfig {
  const problems = netsuiteProblems(env);
  if (problems.length > 0) throw configError('NetSuite', problems);
  const c = netsuiteSchema.parse(env);
  const auth = authFrom(c);
  if (Array.isArray(auth)) throw configError('NetSuite', auth);
  return {
    accountId: c.NETSUITE_ACCOUNT_ID,
    auth,
    baseUrl: (c.NETSUITE_BASE_URL ?? netsuiteHostFor(c.NETSUITE_ACCOUNT_ID)).replace(/\/+$/, ''),
    accountConcurrency: c.NETSUITE_CONCURRENCY,
    workerConcurrency: Math.max(1, Math.floor(c.NETSUITE_CONCURRENCY / c.NETSUITE_WORKER_COUNT)),
    timeoutMs: c.NETSUITE_TIMEOUT_MS,
    lateWriteHorizonMs: c.NETSUITE_LATE_WRITE_HORIZON_MS,
  };
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const problems = [...problemsOf(workerSchema, env), ...netsuiteProblems(env)];
  if (problems.length > 0) throw configError('worker', problems);
  const c = parseOrThrow(workerSchema, env, 'worker');
  return {
    netsuite: loadNetSuiteConfig(env),
    syncModes: loadSyncModes(env),
    ...(c.WORKER_VERSIONING
      ? {
          deployment: {
            deploymentName: c.WORKER_DEPLOYMENT_NAME,
            buildId: c.WORKER_BUILD_ID,
            promote: c.WORKER_PROMOTE,
          },
        }
      : {}),
    mappingsFile: c.MAPPINGS_FILE,
    roles: c.WORKER_ROLES,
    workflowCacheSize: c.WORKFLOW_CACHE_SIZE,
    metricsPort: c.WORKER_METRICS_PORT,
    metricsHost: c.WORKER_METRICS_HOST,
    logLevel: c.LOG_LEVEL,
    ...(c.WORKFLOW_BUNDLE ? { workflowBundle: c.WORKFLOW_BUNDLE } : {}),
  };
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const c = parseOrThrow(gatewaySchema, env, 'gateway');
  return {
    syncModes: loadSyncModes(env),
    secretKey: c.TWOCHECKOUT_SECRET_KEY,
    signatureAlgorithms: c.TWOCHECKOUT_SIGNATURE_ALGORITHMS,
    syncTestOrders: c.SYNC_TEST_ORDERS,
    postingMode: c.POSTING_MODE,
    port: c.GATEWAY_PORT,
    logLevel: c.LOG_LEVEL,
    orderIdleClose: c.ORDER_IDLE_CLOSE,
  };
}
