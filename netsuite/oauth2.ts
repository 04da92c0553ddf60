// OAuth 2.0 client credentials (machine-to-machine) for SuiteTalk REST (docs/reference-notes.md#ns-auth): a client
// assertion JWT signed with the private key of the certificate uploaded to NetSuite, exchanged at
// the token endpoint for a bearer token that is cached until shortly before it expires.
//
// Nothing here logs or puts into an error message the private key, the assertion or a token.
import { constants, createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { networkError } from './errors.js';
import { NetSuiteError, type OAuth2ClientCredentials, type OAuth2JwtAlgorithm } from './types.js';

/** Below `/services/rest`. */
export const TOKEN_PATH = '/auth/oauth2/v1/token';
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const DEFAULT_SCOPE: readonly string[] = ['rest_webservices'];
/** NetSuite refuses an assertion whose `exp` is 60 minutes or more after `iat`; ours is short-lived. */
export const ASSERTION_LIFETIME_SECONDS = 300;

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Parses the PEM and checks it fits the algorithm (PS256: RSA; ES256: EC P-256). Throws a TypeError
 * that says what is wrong with the key, never the key itself.
 */
export function privateKeyFor(pem: string, algorithm: OAuth2JwtAlgorithm): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new TypeError(
      'the private key is not a readable PEM private key (expected -----BEGIN PRIVATE KEY----- or an RSA/EC private key, unencrypted)',
    );
  }
  const type = key.asymmetricKeyType;
  if (algorithm === 'PS256' && type !== 'rsa' && type !== 'rsa-pss')
    throw new TypeError(
      `PS256 needs an RSA private key, but this one is ${type ?? 'unknown'} (use ES256 for an EC key)`,
    );
  if (algorithm === 'ES256') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (type !== 'ec' || (curve !== 'prime256v1' && curve !== 'P-256'))
      throw new TypeError(
        `ES256 needs an EC P-256 (prime256v1) private key, but this one is ${type === 'ec' ? `EC ${curve ?? '?'}` : (type ?? 'unknown')}`,
      );
  }
  return key;
}

export interface ClientAssertionInput {
  clientId: string;
  certificateId: string;
  key: KeyObject | string;
  algorithm: OAuth2JwtAlgorithm;
  scope: readonly string[];
  /** The token endpoint URL (the `aud` claim). */
  audience: string;
  /** Milliseconds since the epoch (default Date.now()). */
  now?: number;
  lifetimeSeconds?: number;
}

/** The signed client-assertion JWT: header `{typ, alg, kid}`, claims `{iss, scope, aud, iat, exp, jti}`. */
export function clientAssertion(input: ClientAssertionInput): string {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  const lifetime = Math.min(input.lifetimeSeconds ?? ASSERTION_LIFETIME_SECONDS, 3599);
  const header = { typ: 'JWT', alg: input.algorithm, kid: input.certificateId };
  const claims = {
    iss: input.clientId,
    scope: [...input.scope],
    aud: input.audience,
    iat,
    exp: iat + lifetime,
    jti: randomUUID(),
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const key = typeof input.key === 'string' ? privateKeyFor(input.key, input.algorithm) : input.key;
  const signature =
    input.algorithm === 'PS256'
      ? sign('sha256', Buffer.from(signingInput), {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        })
      : sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${base64url(signature)}`;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().regex(/^bearer$/i, 'must be Bearer'),
});

const tokenErrorSchema = z.object({ error: z.string().optional(), error_description: z.string().optional() });

const CHECK_HINT =
  'check NETSUITE_CLIENT_ID (the client id of the integration record, which must have "Client Credentials (machine to machine) grant" and the rest_webservices scope), ' +
  'NETSUITE_CERTIFICATE_ID (the certificate id on Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup), ' +
  'that the certificate of this private key is uploaded there and mapped to this integration and an entity/role with REST Web Services, ' +
  "and that this machine's clock is right";

export interface TokenSourceOptions {
  /** Full token endpoint URL (also the assertion's `aud`). */
  tokenUrl: string;
  credentials: OAuth2ClientCredentials;
  dispatcher: Dispatcher;
  timeoutMs: number;
  now: () => number;
  /** Counts token requests (for stats). */
  onRequest?: () => void;
}

/**
 * One cached bearer token per client. Concurrent callers share one refresh; a token is used until
 * shortly before `expires_in` (a tenth of it, at most a minute, early).
 */
export class OAuth2TokenSource {
  private readonly key: KeyObject;
  private readonly algorithm: OAuth2JwtAlgorithm;
  private readonly scope: readonly string[];
  private cached: { value: string; refreshAt: number } | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(private readonly opts: TokenSourceOptions) {
    this.algorithm = opts.credentials.algorithm ?? 'PS256';
    this.scope = opts.credentials.scope?.length ? opts.credentials.scope : DEFAULT_SCOPE;
    try {
      this.key = privateKeyFor(opts.credentials.privateKeyPem, this.algorithm);
    } catch (e) {
      throw new TypeError(`NetSuite OAuth 2.0: ${(e as Error).message}`);
    }
  }

  /** A valid access token, from the cache or a (shared) token request. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const c = this.cached;
    if (c && this.opts.now() < c.refreshAt) return c.value;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = undefined;
    });
    if (!signal) return this.refreshing;
    // The caller may give up waiting; the shared refresh carries on for the others.
    signal.throwIfAborted();
    const refreshing = this.refreshing;
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      refreshing.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Forgets `token` when it is still the cached one (NetSuite refused it with a 401). */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const call = { method: 'POST', call: 'oauth2:token' };
    const now = this.opts.now();
    const assertion = clientAssertion({
      clientId: this.opts.credentials.clientId,
      certificateId: this.opts.credentials.certificateId,
      key: this.key,
      algorithm: this.algorithm,
      scope: this.scope,
      audience: this.opts.tokenUrl,
      now,
    });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
    this.opts.onRequest?.();
    let status: number;
    let bodyText: string;
    try {
      const res = await request(this.opts.tokenUrl, {
        dispatcher: this.opts.dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      status = res.statusCode;
      bodyText = await res.body.text();
    } catch (err) {
      throw networkError(call, err);
    }
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      json = undefined;
    }
    if (status < 200 || status >= 300) {
      const e = tokenErrorSchema.safeParse(json);
      const what =
        e.success && (e.data.error || e.data.error_description)
          ? [e.data.error, e.data.error_description].filter(Boolean).join(': ').slice(0, 300)
          : 'no OAuth error in the response';
      throw new NetSuiteError(
        `NetSuite OAuth 2.0 token request failed with HTTP ${status} (auth): ${what} — ${CHECK_HINT}`,
        'auth',
        status,
        [{ code: e.success ? (e.data.error ?? 'UNKNOWN') : 'UNKNOWN', detail: what }],
      );
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new NetSuiteError(
        `NetSuite OAuth 2.0 token endpoint returned HTTP ${status} but not a usable token (${issues}) — ${CHECK_HINT}`,
        'auth',
        status,
      );
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    const earlyMs = Math.min(60_000, lifetimeMs / 10);
    this.cached = { value: parsed.data.access_token, refreshAt: now + lifetimeMs - earlyMs };
    return parsed.data.access_token;
  }
}
