// IPN/LCN HMAC signatures (docs/reference-notes.md#2co-signature, #2co-lcn): one source string for all three
// algorithms, built from every field in received order (signature fields excluded), each value
// prefixed with its UTF-8 byte length.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FormEntry, NotificationForm } from './form.js';

/** The HMAC algorithms 2Checkout signs IPN/LCN bodies with. */
export const SIGNATURE_ALGORITHMS = ['sha3-256', 'sha256', 'md5'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** The field that carries each algorithm's signature, in the order 2Checkout appends them. */
export const SIGNATURE_FIELD_BY_ALGORITHM = {
  md5: 'HASH',
  sha256: 'SIGNATURE_SHA2_256',
  'sha3-256': 'SIGNATURE_SHA3_256',
} as const satisfies Record<SignatureAlgorithm, string>;

export type SignatureField = (typeof SIGNATURE_FIELD_BY_ALGORITHM)[SignatureAlgorithm];

const ALGORITHM_BY_FIELD: ReadonlyMap<string, SignatureAlgorithm> = new Map(
  (Object.entries(SIGNATURE_FIELD_BY_ALGORITHM) as Array<[SignatureAlgorithm, SignatureField]>).map(([a, f]) => [f, a]),
);

/** Strongest first; the receipt answers with the strongest algorithm that verified. */
const STRENGTH_ORDER: readonly SignatureAlgorithm[] = ['sha3-256', 'sha256', 'md5'];

/** MD5 is decommissioned for IPN/LCN (docs/reference-notes.md#2co-transport), so it is only accepted when configured explicitly. */
export const DEFAULT_ALLOWED_ALGORITHMS: readonly SignatureAlgorithm[] = ['sha3-256', 'sha256'];

const HMAC_NAME: Record<SignatureAlgorithm, string> = { md5: 'md5', sha256: 'sha256', 'sha3-256': 'sha3-256' };
const HEX_LENGTH: Record<SignatureAlgorithm, number> = { md5: 32, sha256: 64, 'sha3-256': 64 };

export function isSignatureField(name: string): boolean {
  return ALGORITHM_BY_FIELD.has(name);
}

/** `lp("Zoë") = "4Zoë"`: decimal UTF-8 byte length, then the value; `""` → `"0"`. */
export function lp(value: string): string {
  return `${Buffer.byteLength(value, 'utf8')}${value}`;
}

/** The HMAC source over logical fields (arrays element by element), skipping the signature fields. */
export function signatureSource(entries: Iterable<Pick<FormEntry, 'name' | 'values'>>): string {
  let source = '';
  for (const entry of entries) {
    if (isSignatureField(entry.name)) continue;
    for (const value of entry.values) source += lp(value);
  }
  return source;
}

export function notificationSignatureSource(form: NotificationForm): string {
  return signatureSource(form.entries);
}

/** Lower-case hex HMAC of `source` (UTF-8) under the merchant's secret key. */
export function ipnSignature(source: string, secretKey: string, algorithm: SignatureAlgorithm): string {
  return createHmac(HMAC_NAME[algorithm], Buffer.from(secretKey, 'utf8')).update(source, 'utf8').digest('hex');
}

/** Constant-time, case-insensitive comparison of two hex strings of the expected length. */
export function hexEquals(expectedLowerHex: string, received: string): boolean {
  const a = Buffer.from(expectedLowerHex, 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export type SignatureVerification =
  { ok: true; algorithm: SignatureAlgorithm; verified: SignatureAlgorithm[] } | { ok: false; reason: string };

/**
 * Every non-blank signature field present must verify (a wrong MD5 `HASH` next to a good SHA
 * signature still means the body is not what 2Checkout signed), a blank one is only tolerated for
 * an algorithm that is not configured, and at least one field of an allowed algorithm must verify. `algorithm` is the strongest allowed algorithm that verified: the
 * one the receipt must use.
 */
export function verifyNotificationSignature(
  form: NotificationForm,
  secretKey: string,
  allowed: readonly SignatureAlgorithm[] = DEFAULT_ALLOWED_ALGORITHMS,
): SignatureVerification {
  const present = form.entries.filter((e) => isSignatureField(e.name));
  const allowedList = STRENGTH_ORDER.filter((a) => allowed.includes(a));
  const presentAllowed = present.filter((e) =>
    allowedList.includes(ALGORITHM_BY_FIELD.get(e.name) as SignatureAlgorithm),
  );
  if (presentAllowed.length === 0) {
    const got = present.length === 0 ? 'no signature field at all' : present.map((e) => e.name).join(', ');
    const expected = allowedList.map((a) => `${SIGNATURE_FIELD_BY_ALGORITHM[a]}`).join(' or ');
    return {
      ok: false,
      reason:
        `no signature field of an allowed algorithm (${allowedList.join(', ')}); got ${got}. ` +
        `Expected ${expected}: set the IPN/LCN URL's hash algorithm in the 2Checkout Control Panel, ` +
        'or add the algorithm to TWOCHECKOUT_SIGNATURE_ALGORITHMS',
    };
  }

  const source = notificationSignatureSource(form);
  const verified: SignatureAlgorithm[] = [];
  for (const entry of present) {
    const algorithm = ALGORITHM_BY_FIELD.get(entry.name) as SignatureAlgorithm;
    if (entry.isArray || entry.values.length !== 1) {
      return { ok: false, reason: `${entry.name} must be a single value, got ${entry.values.length}` };
    }
    const received = entry.values[0] ?? '';
    // A blank field of an algorithm that is not configured (typically the legacy MD5 `HASH=` some
    // accounts still send beside the SHA signature) carries no claim to check: skip it. Whether
    // the body is authentic then rests on the configured fields, at least one of which must verify.
    if (received.length === 0 && !allowedList.includes(algorithm)) continue;
    if (received.length === 0) return { ok: false, reason: `${entry.name} is empty` };
    if (received.length !== HEX_LENGTH[algorithm] || !/^[0-9a-fA-F]+$/.test(received)) {
      return {
        ok: false,
        reason: `${entry.name} is not a ${HEX_LENGTH[algorithm]}-character hex ${algorithm} HMAC (got ${received.length} characters)`,
      };
    }
    if (!hexEquals(ipnSignature(source, secretKey, algorithm), received)) {
      return {
        ok: false,
        reason: `${entry.name} does not match (HMAC-${algorithm.toUpperCase()} over the fields in received order; check the secret key and that no proxy altered the body)`,
      };
    }
    verified.push(algorithm);
  }

  const strongest = allowedList.find((a) => verified.includes(a));
  // presentAllowed is non-empty and every present field verified, so an allowed one verified.
  if (!strongest) return { ok: false, reason: 'no signature of an allowed algorithm verified' };
  return { ok: true, algorithm: strongest, verified: STRENGTH_ORDER.filter((a) => verified.includes(a)) };
}
