// OAuth 2.0 client credentials (machine-to-machine) as NetSuite documents it (docs/reference-notes.md#ns-auth):
// the token endpoint verifies a client-assertion JWT signed with the key of the configured
// certificate and issues opaque bearer tokens; API requests may carry `Authorization: Bearer …`.
// The reason of every failure is kept for stats().authFailures; API requests see only the generic
// 401 INVALID_LOGIN.
import { constants, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

export interface SandboxOAuth2Options {
  /** The integration record's client id: the assertion's `iss`. */
  clientId: string;
  /** The id NetSuite shows for the uploaded certificate: the assertion's `kid`. */
  certificateId: string;
  /** The certificate (X.509 PEM) or its public key (SPKI PEM). */
  publicKeyPem: string;
  /** Lifetime of issued tokens (default 3600, like NetSuite). */
  tokenTtlSeconds?: number;
}

export type OAuth2FailureReason =
  | 'OAuth2NotConfigured'
  | 'InvalidGrantType'
  | 'InvalidAssertionType'
  | 'MalformedAssertion'
  | 'UnsupportedJwtAlgorithm'
  | 'UnknownCertificateId'
  | 'InvalidAssertionSignature'
  | 'InvalidIssuer'
  | 'InvalidAudience'
  | 'AssertionExpired'
  | 'AssertionNotYetValid'
  | 'AssertionLifetimeTooLong'
  | 'InvalidScope'
  | 'BearerTokenUnknown'
  | 'BearerTokenExpired';

export const TOKEN_ENDPOINT_PATH = '/services/rest/auth/oauth2/v1/token';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Oracle's list (#ns-auth). RS256 is left out: whether NetSuite still takes it is UNCONFIRMED (#ns-records q8). */
const ALGORITHMS: Record<string, { hash: string; family: 'rsa-pss' | 'ec' }> = {
  PS256: { hash: 'sha256', family: 'rsa-pss' },
  PS384: { hash: 'sha384', family: 'rsa-pss' },
  PS512: { hash: 'sha512', family: 'rsa-pss' },
  ES256: { hash: 'sha256', family: 'ec' },
  ES384: { hash: 'sha384', family: 'ec' },
  ES512: { hash: 'sha512', family: 'ec' },
};
/** Tolerated clock difference for `iat` in the future. */
const CLOCK_SKEW_S = 300;

export type TokenResult =
  | { ok: true; body: { access_token: string; expires_in: number; token_type: 'Bearer' } }
  | { ok: false; status: number; body: { error: string; error_description: string }; reason: OAuth2FailureReason };

export type BearerResult = { ok: true } | { ok: false; reason: OAuth2FailureReason };

export class OAuth2Authority {
  private readonly key: KeyObject;
  private readonly ttlSeconds: number;
  /** token → expiry (ms). */
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly opts: SandboxOAuth2Options,
    private readonly clock: () => Date,
  ) {
    this.key = createPublicKey(opts.publicKeyPem);
    this.ttlSeconds = opts.tokenTtlSeconds ?? 3600;
  }

  /** POST /services/rest/auth/oauth2/v1/token; `tokenUrl` is the URL as received (the expected `aud`). */
  issue(tokenUrl: string, contentType: string | undefined, body: string): TokenResult {
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? ''))
      return refuse('invalid_request', 'The request must be application/x-www-form-urlencoded.', 'MalformedAssertion');
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials')
      return refuse('unsupported_grant_type', 'grant_type must be client_credentials.', 'InvalidGrantType');
    if (form.get('client_assertion_type') !== ASSERTION_TYPE)
      return refuse('invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}.`, 'InvalidAssertionType');
    const jwt = decodeJwt(form.get('client_assertion') ?? '');
    if (!jwt) return refuse('invalid_request', 'client_assertion is not a JWT.', 'MalformedAssertion');
    const { header, claims } = jwt;
    const alg = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
    if (!alg) return refuse('invalid_grant', 'Unsupported JWT signature algorithm.', 'UnsupportedJwtAlgorithm');
    if (header.kid !== this.opts.certificateId)
      return refuse('invalid_grant', 'Invalid client assertion.', 'UnknownCertificateId');
    if (!this.signatureValid(jwt.signingInput, jwt.signature, alg))
      return refuse('invalid_grant', 'Invalid client assertion.', 'InvalidAssertionSignature');
    if (claims.iss !== this.opts.clientId) return refuse('invalid_grant', 'Invalid client assertion.', 'InvalidIssuer');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(tokenUrl)) return refuse('invalid_grant', 'Invalid client assertion.', 'InvalidAudience');
    const now = Math.floor(this.clock().getTime() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number')
      return refuse('invalid_request', 'client_assertion needs numeric iat and exp.', 'MalformedAssertion');
    if (exp - iat > 3600)
      return refuse('invalid_grant', 'The assertion must expire within 60 minutes of iat.', 'AssertionLifetimeTooLong');
    if (exp <= now) return refuse('invalid_grant', 'The assertion has expired.', 'AssertionExpired');
    if (iat > now + CLOCK_SKEW_S)
      return refuse('invalid_grant', 'The assertion is not valid yet (iat in the future).', 'AssertionNotYetValid');
    if (!scopes(claims.scope).includes('rest_webservices'))
      return refuse('invalid_scope', 'The scope must include rest_webservices.', 'InvalidScope');

    const token = randomBytes(32).toString('base64url');
    this.forgetExpired();
    this.tokens.set(token, this.clock().getTime() + this.ttlSeconds * 1000);
    return { ok: true, body: { access_token: token, expires_in: this.ttlSeconds, token_type: 'Bearer' } };
  }

  /** `Authorization: Bearer <token>` of an API request. */
  verifyBearer(authorization: string): BearerResult {
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    const expires = this.tokens.get(token);
    if (expires === undefined) return { ok: false, reason: 'BearerTokenUnknown' };
    if (this.clock().getTime() >= expires) {
      this.tokens.delete(token);
      return { ok: false, reason: 'BearerTokenExpired' };
    }
    return { ok: true };
  }

  /** Test hook: forget every issued token (as if NetSuite revoked them). */
  revokeAll(): void {
    this.tokens.clear();
  }

  private signatureValid(
    signingInput: string,
    signature: Buffer,
    alg: { hash: string; family: 'rsa-pss' | 'ec' },
  ): boolean {
    const type = this.key.asymmetricKeyType;
    try {
      if (alg.family === 'rsa-pss') {
        if (type !== 'rsa' && type !== 'rsa-pss') return false;
        return verify(
          alg.hash,
          Buffer.from(signingInput),
          { key: this.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        );
      }
      if (type !== 'ec') return false;
      return verify(alg.hash, Buffer.from(signingInput), { key: this.key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  }

  private forgetExpired(): void {
    if (this.tokens.size < 10_000) return;
    const now = this.clock().getTime();
    for (const [t, exp] of this.tokens) if (exp <= now) this.tokens.delete(t);
  }
}

/**
 * The sandbox's OAuth 2.0 setup for a client configured with `auth`: it trusts the public half of
 * the client's private key, as NetSuite trusts the certificate uploaded for it (`npm start`).
 */
export function sandboxOAuth2For(auth: {
  clientId: string;
  certificateId: string;
  privateKeyPem: string;
}): SandboxOAuth2Options {
  return {
    clientId: auth.clientId,
    certificateId: auth.certificateId,
    publicKeyPem: createPublicKey(auth.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function refuse(error: string, description: string, reason: OAuth2FailureReason): TokenResult {
  return { ok: false, status: 400, body: { error, error_description: description }, reason };
}

/** OAuth 2.0 is not configured: the token endpoint refuses every client. */
export function notConfigured(): TokenResult {
  return {
    ok: false,
    status: 401,
    body: {
      error: 'invalid_client',
      error_description: 'OAuth 2.0 client credentials are not set up for this account.',
    },
    reason: 'OAuth2NotConfigured',
  };
}

function scopes(scope: unknown): string[] {
  const parts = Array.isArray(scope) ? scope : [scope];
  return parts.flatMap((s) => (typeof s === 'string' ? s.split(/[\s,]+/).filter(Boolean) : []));
}

interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

function decodeJwt(jwt: string): DecodedJwt | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  const [h, c, s] = parts as [string, string, string];
  try {
    const header: unknown = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    const claims: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(claims)) return undefined;
    return { header, claims, signingInput: `${h}.${c}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
