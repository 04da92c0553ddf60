// Verifies OAuth 1.0 token-based authentication the way NetSuite does (#ns-auth). The reason of a
// failure is kept (like the Login Audit Trail) while the wire always shows INVALID_LOGIN.
import { timingSafeEqual } from 'node:crypto';
import { hmacSha256Signature, parseOAuthHeader, realmFor, signatureBaseString } from '../../netsuite/oauth1.js';
import type { TbaCredentials } from '../../netsuite/types.js';

/**
 * Audit-trail reasons. Most are Oracle's names (#ns-auth); `InvalidAccount` (realm ≠ account id),
 * `InvalidVersion`, `InvalidNonce` (shorter than 6) and `UnsupportedAuthScheme` (not OAuth 1.0:
 * this sandbox has no OAuth 2.0) are the sandbox's own.
 */
export type AuthFailureReason =
  | 'MissingTokenPassportRequiredFields'
  | 'UnsupportedAuthScheme'
  | 'InvalidAccount'
  | 'consumer_key_unknown'
  | 'token_rejected'
  | 'UnknownAlgorithm'
  | 'InvalidVersion'
  | 'InvalidTimestamp'
  | 'InvalidNonce'
  | 'NonceUsed'
  | 'InvalidSignature';

export type AuthResult = { ok: true } | { ok: false; reason: AuthFailureReason };

/** ±5 minutes (#ns-auth). */
const TIMESTAMP_TOLERANCE_S = 300;
const REQUIRED = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_signature',
];

export class TbaVerifier {
  /** token|timestamp|nonce → timestamp, to refuse a nonce used twice for the same token and timestamp. */
  private readonly seenNonces = new Map<string, number>();

  constructor(
    private readonly credentials: TbaCredentials,
    private readonly clock: () => Date,
  ) {}

  /** `url` is the request as received: `http://<Host header><path and query>`. */
  verify(method: string, url: URL, authorization: string | undefined): AuthResult {
    if (authorization && !/^OAuth\s/i.test(authorization)) return fail('UnsupportedAuthScheme');
    const params = parseOAuthHeader(authorization);
    if (!params || REQUIRED.some((k) => !params[k])) return fail('MissingTokenPassportRequiredFields');
    // The realm must be the account id exactly: upper case, underscore form (#ns-auth).
    if (params.realm !== realmFor(this.credentials.accountId)) return fail('InvalidAccount');
    if (params.oauth_consumer_key !== this.credentials.consumerKey) return fail('consumer_key_unknown');
    if (params.oauth_token !== this.credentials.tokenId) return fail('token_rejected');
    if (params.oauth_signature_method !== 'HMAC-SHA256') return fail('UnknownAlgorithm');
    if (params.oauth_version !== undefined && params.oauth_version !== '1.0') return fail('InvalidVersion');
    const timestamp = Number(params.oauth_timestamp);
    const now = Math.floor(this.clock().getTime() / 1000);
    if (!/^\d+$/.test(params.oauth_timestamp ?? '') || Math.abs(now - timestamp) > TIMESTAMP_TOLERANCE_S)
      return fail('InvalidTimestamp');
    const nonce = params.oauth_nonce ?? '';
    if (nonce.length < 6) return fail('InvalidNonce');

    const signed: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (k.startsWith('oauth_') && k !== 'oauth_signature') signed[k] = v;
    const expected = hmacSha256Signature(
      signatureBaseString(method, url, signed),
      this.credentials.consumerSecret,
      this.credentials.tokenSecret,
    );
    if (!sameString(expected, params.oauth_signature ?? '')) return fail('InvalidSignature');

    const key = `${params.oauth_token}|${timestamp}|${nonce}`;
    if (this.seenNonces.has(key)) return fail('NonceUsed');
    this.seenNonces.set(key, timestamp);
    this.forgetOldNonces(now);
    return { ok: true };
  }

  /** A nonce only has to be remembered while its timestamp is still acceptable. */
  private forgetOldNonces(now: number): void {
    if (this.seenNonces.size < 10_000) return;
    for (const [k, ts] of this.seenNonces) if (Math.abs(now - ts) > TIMESTAMP_TOLERANCE_S) this.seenNonces.delete(k);
  }
}

const fail = (reason: AuthFailureReason): AuthResult => ({ ok: false, reason });

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
