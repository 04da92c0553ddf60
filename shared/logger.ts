// One pino logger setup for every process. JSON lines; secrets and personal data are redacted
// by key wherever they appear (up to two levels deep), so a careless `log.info({ order })` cannot
// leak a shopper's e-mail or a NetSuite token secret.
import { pino, type Logger } from 'pino';

const SENSITIVE_KEYS = [
  // secrets
  'secretKey', 'TWOCHECKOUT_SECRET_KEY', 'consumerSecret', 'tokenSecret', 'NETSUITE_CONSUMER_SECRET', 'NETSUITE_TOKEN_SECRET',
  'authorization', 'Authorization', 'apiKey', 'TEMPORAL_API_KEY', 'password',
  // personal data (canonical and 2Checkout field names)
  'email', 'CUSTOMEREMAIL', 'EMAIL', 'EMAIL_D', 'firstName', 'lastName', 'FIRSTNAME', 'LASTNAME', 'FIRST_NAME', 'LAST_NAME',
  'phone', 'PHONE', 'address1', 'address2', 'ADDRESS1', 'ADDRESS2', 'ADDRESS', 'billing', 'delivery', 'addressBook',
  'IPADDRESS', 'CARD_LAST_DIGITS', 'companyName', 'company', 'COMPANY',
];

export const redactPaths: string[] = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(opts: { name: string; level?: string; destination?: NodeJS.WritableStream }): Logger {
  const options = {
    name: opts.name,
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: '2checkout-netsuite-sync', component: opts.name },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export type { Logger };
