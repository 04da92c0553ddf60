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
  'secretKey', 'TWOCHECKOUT_SECRET_KEY', 'consumerSecret', 'tokenSecret', 'NETSUITE_CONSUMER_SECRET', 'NETSUITE_TOKEN_SECRET',
  'authorization', 'Authorization', 'apiKey', 'TEMPORAL_API_KEY', 'password',
  'credentials', 'consumerKey', 'tokenId', 'NETSUITE_CONSUMER_KEY', 'NETSUITE_TOKEN_ID', 'cookie', 'Cookie', 'rawBody',
  'privateKeyPem', 'NETSUITE_PRIVATE_KEY', 'access_token', 'accessToken', 'client_assertion',
  // personal data (canonical and 2Checkout field names)
  'email', 'CUSTOMEREMAIL', 'EMAIL', 'EMAIL_D', 'firstName', 'lastName', 'FIRSTNAME', 'LASTNAME', 'FIRST_NAME', 'LAST_NAME',
  'phone', 'PHONE', 'address1', 'address2', 'ADDRESS1', 'ADDRESS2', 'ADDRESS', 'billing', 'delivery', 'addressBook',
  'IPADDRESS', 'CARD_LAST_DIGITS', 'companyName', 'company', 'COMPANY',
  'city', 'zip', 'CITY', 'ZIP', 'ZIPCODE', 'FAX', 'FISCALCODE', 'REGISTRATIONNUMBER', 'CARD_EXPIRATION_DATE',
  'FIRSTNAME_D', 'LASTNAME_D', 'COMPANY_D', 'ADDRESS1_D', 'ADDRESS2_D', 'CITY_D', 'ZIPCODE_D', 'PHONE_D',
];

export const redactPaths: string[] = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

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

export function createLogger(opts: { name: string; level?: string; destination?: DestinationStream | NodeJS.WritableStream }): Logger {
  const options = {
    name: opts.name,
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: '2checkout-netsuite-sync', component: opts.name },
    // The trace of the line, when tracing is on (shared/tracing.ts): a log line leads to its trace.
    mixin: (line: object) => ({ ...syncContextFields(line), ...activeTraceIds() }),
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export type { Logger };
