// One pino logger setup for every process. JSON lines; secrets and personal data are redacted
// by key wherever they appear (up to three levels deep), so a careless `log.info({ order })` cannot
// leak a shopper's e-mail or a NetSuite token secret. Every line logged from inside an activity
// carries the workflow id and the REFNO / licence code it works for (syncContextFields), and with
// tracing on every line logged inside a span carries its trace_id and span_id.
import { Context } from '@temporalio/activity';
import { pino, type DestinationStream, type Logger } from 'pino';
import { activeTraceIds } from './trace-spans.js';

const SENSITIVE_KEYS = [
  // secrets
  'secretKey',
  'TWOCHECKOUT_SECRET_KEY',
  'consumerSecret',
  'tokenSecret',
  'NETSUITE_CONSUMER_SECRET',
  'NETSUITE_TOKEN_SECRET',
  'authorization',
  'Authorization',
  'apiKey',
  'TEMPORAL_API_KEY',
  'password',
  'credentials',
  'consumerKey',
  'tokenId',
  'NETSUITE_CONSUMER_KEY',
  'NETSUITE_TOKEN_ID',
  'cookie',
  'Cookie',
  'rawBody',
  'privateKeyPem',
  'NETSUITE_PRIVATE_KEY',
  'access_token',
  'accessToken',
  'client_assertion',
  // personal data (canonical and 2Checkout field names)
  'email',
  'CUSTOMEREMAIL',
  'EMAIL',
  'EMAIL_D',
  'firstName',
  'lastName',
  'FIRSTNAME',
  'LASTNAME',
  'FIRST_NAME',
  'LAST_NAME',
  'phone',
  'PHONE',
  'address1',
  'address2',
  'ADDRESS1',
  'ADDRESS2',
  'ADDRESS',
  'billing',
  'delivery',
  'addressBook',
  'IPADDRESS',
  'CARD_LAST_DIGITS',
  'companyName',
  'company',
  'COMPANY',
  'city',
  'zip',
  'CITY',
  'ZIP',
  'ZIPCODE',
  'FAX',
  'FISCALCODE',
  'REGISTRATIONNUMBER',
  'CARD_EXPIRATION_DATE',
  'FIRSTNAME_D',
  'LASTNAME_D',
  'COMPANY_D',
  'ADDRESS1_D',
  'ADDRESS2_D',
  'CITY_D',
  'ZIPCODE_D',
  'PHONE_D',
];

/** The same rule as pino `redact` paths (what this logger used before; a test holds the two equal). */
export const redactPaths: string[] = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

const SENSITIVE = new Set(SENSITIVE_KEYS);
const CENSOR = '[redacted]';
/** Keys this many levels below the logged object are still censored (as the paths above). */
const REDACT_DEPTH = 3;

/**
 * `value` with every sensitive key at most REDACT_DEPTH levels down censored: a copy where one was
 * found, `value` itself otherwise (the common case: nothing copied). Replaces pino's `redact`, whose
 * 180 wildcard paths cost ≈ 115 µs per line (4 lines per order at info; docs/performance.md).
 * Class instances (errors) keep their prototype and every own property, so pino serializes them as before.
 */
export function redactSensitive<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > REDACT_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const next = redactSensitive(item, depth + 1);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    const next = SENSITIVE.has(key) && v !== undefined ? CENSOR : redactSensitive(v, depth + 1);
    if (next !== v) (out ??= copyOf(obj))[key] = next;
  }
  return (out ?? value) as T;
}

function copyOf(obj: Record<string, unknown>): Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto === Object.prototype || proto === null) return { ...obj };
  return Object.create(proto as object, Object.getOwnPropertyDescriptors(obj)) as Record<string, unknown>;
}

/**
 * pino mixin: `workflowId` and `refNo` / `licenseCode` of the sync a line belongs to. Inside an
 * activity they come from the activity context (so NetSuite client lines carry them too); lines
 * forwarded by the Temporal Runtime already carry `workflowId`, and get the reference from it.
 */
export function syncContextFields(line: object): Record<string, string> {
  const given = (line as { workflowId?: unknown }).workflowId;
  let workflowId = typeof given === 'string' ? given : undefined;
  const fields: Record<string, string> = {};
  if (!workflowId) {
    try {
      const info = Context.current().info;
      fields.activityType = info.activityType;
      workflowId = info.workflowExecution?.workflowId;
    } catch {
      return fields; // not inside an activity
    }
    if (!workflowId) return fields;
    fields.workflowId = workflowId;
  }
  const [kind, ref] = splitWorkflowId(workflowId);
  if (kind === 'order') fields.refNo = ref;
  else if (kind === 'subscription') fields.licenseCode = ref;
  return fields;
}

function splitWorkflowId(id: string): [string, string] {
  const slash = id.indexOf('/');
  return slash < 0 ? ['', id] : [id.slice(0, slash), id.slice(slash + 1)];
}

export function createLogger(opts: {
  name: string;
  level?: string;
  destination?: DestinationStream | NodeJS.WritableStream;
}): Logger {
  const options = {
    name: opts.name,
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    // Sensitive keys censored in the line and in a child logger's bindings (see redactSensitive).
    formatters: {
      log: (line: Record<string, unknown>) => redactSensitive(line),
      bindings: (bindings: Record<string, unknown>) => redactSensitive(bindings),
    },
    base: { service: '2checkout-netsuite-sync', component: opts.name },
    // The trace of the line, when tracing is on (shared/tracing.ts): a log line leads to its trace.
    mixin: (line: object) => ({ ...syncContextFields(line), ...activeTraceIds() }),
  };
  const logger = opts.destination ? pino(options, opts.destination) : pino(options);
  // A child's bindings bypass the formatters (pino resets them for children): censored here, for
  // the children of children too (they inherit this method).
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactSensitive(bindings), childOptions);
  } as Logger['child'];
  return logger;
}

export type { Logger };
