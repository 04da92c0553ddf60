// The `X-Avangate-Authentication` header of 2Checkout's REST API 6.0:
//   code="{VENDOR_CODE}" date="{YYYY-MM-DD HH:MM:SS UTC}" hash="{hex HMAC}" algo="{sha256|sha3-256}"
// where the HMAC (keyed with the account's secret key) covers byte-length-prefixed vendor code and
// date. MD5 without `algo` is the retired legacy form and is not offered. Used by the client to sign
// and by the sandbox to verify, so both sides agree by construction.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const API_HASH_ALGORITHMS = ['sha256', 'sha3-256'] as const;
export type ApiHashAlgorithm = (typeof API_HASH_ALGORITHMS)[number];

export const AUTH_HEADER = 'x-avangate-authentication';

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function authDate(now: Date): string {
  return now.toISOString().slice(0, 19).replace('T', ' ');
}

const prefixed = (value: string): string => `${Buffer.byteLength(value, 'utf8')}${value}`;

export function authHash(vendorCode: string, secretKey: string, date: string, algorithm: ApiHashAlgorithm): string {
  return createHmac(algorithm, secretKey)
    .update(prefixed(vendorCode) + prefixed(date), 'utf8')
    .digest('hex');
}

export interface ApiCredentials {
  vendorCode: string;
  secretKey: string;
  algorithm: ApiHashAlgorithm;
}

export function authenticationHeader(creds: ApiCredentials, now: Date = new Date()): string {
  const date = authDate(now);
  return `code="${creds.vendorCode}" date="${date}" hash="${authHash(creds.vendorCode, creds.secretKey, date, creds.algorithm)}" algo="${creds.algorithm}"`;
}

export interface ParsedAuthHeader {
  code: string;
  date: string;
  hash: string;
  /** Absent in the legacy MD5 form. */
  algo?: string;
}

/** Reads the header's attributes; double or (older docs) single quotes. Undefined when unreadable. */
export function parseAuthenticationHeader(value: string | undefined): ParsedAuthHeader | undefined {
  if (!value) return undefined;
  const attrs = new Map<string, string>();
  for (const m of value.matchAll(/(\w+)=(?:"([^"]*)"|'([^']*)')/g)) attrs.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '');
  const code = attrs.get('code');
  const date = attrs.get('date');
  const hash = attrs.get('hash');
  if (!code || !date || !hash) return undefined;
  const algo = attrs.get('algo');
  return { code, date, hash, ...(algo ? { algo } : {}) };
}

/** Constant-time comparison of two hex digests (case-insensitive). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
