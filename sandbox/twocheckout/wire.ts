// Signing and form encoding of outgoing notifications, the way 2Checkout does it: signatures over
// the same length-prefixed source the gateway checks (docs/reference-notes.md#2co-signature), appended last; arrays as
// repeated `NAME[]` keys; `+` for spaces; UTF-8 percent-encoding.
import type { SignatureAlgorithm } from '../../twocheckout/webhooks/signature.js';
import {
  ipnSignature,
  isSignatureField,
  signatureSource,
  SIGNATURE_FIELD_BY_ALGORITHM,
} from '../../twocheckout/webhooks/signature.js';
import type { NotificationFields } from './fields.js';

/** What a migrated IPN/LCN URL sends by default: both SHA signatures, no MD5. */
export const DEFAULT_SEND_ALGORITHMS: readonly SignatureAlgorithm[] = ['sha256', 'sha3-256'];

/** In the order 2Checkout appends them (docs/reference-notes.md#2co-signature). */
const APPEND_ORDER: readonly SignatureAlgorithm[] = ['md5', 'sha256', 'sha3-256'];

function entriesOf(fields: NotificationFields) {
  return fields.map(([name, value]) => ({ name, values: Array.isArray(value) ? value : [value] }));
}

/**
 * Returns `fields` with any old signature fields removed and `HASH` / `SIGNATURE_SHA2_256` /
 * `SIGNATURE_SHA3_256` (for the requested algorithms) appended last.
 */
export function signNotification(
  fields: NotificationFields,
  secretKey: string,
  algorithms: readonly SignatureAlgorithm[] = DEFAULT_SEND_ALGORITHMS,
): NotificationFields {
  const unsigned = fields.filter(([name]) => !isSignatureField(name));
  const source = signatureSource(entriesOf(unsigned));
  const signatures: NotificationFields = APPEND_ORDER.filter((a) => algorithms.includes(a)).map((a) => [
    SIGNATURE_FIELD_BY_ALGORITHM[a],
    ipnSignature(source, secretKey, a),
  ]);
  return [...unsigned, ...signatures];
}

/** `application/x-www-form-urlencoded` with `+` for spaces; array keys as `NAME%5B%5D`, one per value. */
export function encodeForm(fields: NotificationFields): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  const pairs: string[] = [];
  for (const [name, value] of fields) {
    if (Array.isArray(value)) for (const v of value) pairs.push(`${enc(`${name}[]`)}=${enc(v)}`);
    else pairs.push(`${enc(name)}=${enc(value)}`);
  }
  return pairs.join('&');
}

/** Replaces (or appends) one field's value: for tests that tamper with a signed notification. */
export function withField(fields: NotificationFields, name: string, value: string | string[]): NotificationFields {
  const found = fields.some(([n]) => n === name);
  return found ? fields.map(([n, v]) => [n, n === name ? value : v]) : [...fields, [name, value]];
}
