// Sign-on through a team's identity provider: the MCP server and the status page act as OAuth 2.1
// resource servers and accept access tokens that are JWTs signed by one configured issuer, for one
// configured audience. Keys come from the issuer's JWKS (its discovery document names it, or
// <PREFIX>_OIDC_JWKS_URL), fetched and cached by `jose`, which also checks the signature, `iss`,
// `aud`, `exp`/`nbf` and the algorithm. What a token may do comes from a configurable claim
// (`scope` by default: a space-separated string, or an array as in `scp` or `roles`); who it is,
// for the journal and the audit log, from another (`preferred_username`, else `sub`).
// Configuration is validated with every problem named at once (the caller collects them).
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

export interface OidcSettings {
  /** Which variables these came from (`MCP`, `STATUS_PAGE`), for messages. */
  prefix: string;
  issuer: string;
  audience: string;
  /** Unset: taken from the issuer's discovery document. */
  jwksUrl?: string;
  scopesClaim: string;
  nameClaim: string;
  algorithms: string[];
  clockToleranceSec: number;
}

/** What a verified token says. */
export interface VerifiedJwt {
  subject: string;
  /** For the journal and the audit log: the name claim, else the subject. */
  name: string;
  /** Every value of the scopes claim (the caller keeps the ones it knows). */
  scopes: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
  issuer: string;
}

/** A token refused, with the reason in words a person can act on. */
export class JwtRejected extends Error {
  override readonly name = 'JwtRejected';
  constructor(
    message: string,
    /** true when the issuer's keys could not be read (a server problem, not the token's). */
    readonly unavailable = false,
  ) {
    super(message);
  }
}

const ASYMMETRIC_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on loopback only (a local test issuer). */
const issuerUrl = z
  .string()
  .trim()
  .refine((s) => URL.canParse(s), 'must be a URL such as https://login.example.com/realms/finance')
  .refine(
    (s) =>
      !URL.canParse(s) ||
      new URL(s).protocol === 'https:' ||
      (new URL(s).protocol === 'http:' && LOOPBACK.has(new URL(s).hostname)),
    'must use https (http only on loopback, for a local test issuer)',
  )
  .refine((s) => !URL.canParse(s) || (!new URL(s).search && !new URL(s).hash), 'must have no query or fragment');

/** Reads `<prefix>_OIDC_*`; pushes every problem into `problems` and returns undefined if any. */
export function oidcSettingsFromEnv(
  env: NodeJS.ProcessEnv,
  prefix: string,
  problems: string[],
  defaults: { audience?: string } = {},
): OidcSettings | undefined {
  const v = (name: string) => env[`${prefix}_OIDC_${name}`]?.trim() || undefined;
  const schema = z.object({
    ISSUER: issuerUrl,
    AUDIENCE: z.string().min(1, `is required: the "aud" your identity provider puts in access tokens for this server`),
    JWKS_URL: issuerUrl.optional(),
    SCOPES_CLAIM: z
      .string()
      .regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'must be a claim name such as scope, scp or roles')
      .default('scope'),
    NAME_CLAIM: z
      .string()
      .regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'must be a claim name such as preferred_username, email or sub')
      .default('preferred_username'),
    ALGORITHMS: z
      .string()
      .transform((s) => s.split(/[\s,]+/).filter(Boolean))
      .refine(
        (a) => a.length > 0 && a.every((x) => (ASYMMETRIC_ALGS as readonly string[]).includes(x)),
        `must list signature algorithms among ${ASYMMETRIC_ALGS.join(', ')}`,
      )
      .optional(),
    CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300, 'must be at most 300 (five minutes)').default(30),
  });
  const raw = {
    ISSUER: v('ISSUER') ?? '',
    AUDIENCE: v('AUDIENCE') ?? defaults.audience ?? '',
    JWKS_URL: v('JWKS_URL'),
    SCOPES_CLAIM: v('SCOPES_CLAIM'),
    NAME_CLAIM: v('NAME_CLAIM'),
    ALGORITHMS: v('ALGORITHMS'),
    CLOCK_TOLERANCE_SECONDS: v('CLOCK_TOLERANCE_SECONDS'),
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const name = `${prefix}_OIDC_${String(i.path[0])}`;
      problems.push(
        i.path[0] === 'ISSUER' && !raw.ISSUER
          ? `${name} is required with ${prefix}_AUTH=oidc: the issuer URL of your identity provider (its "iss")`
          : `${name} ${i.message}`,
      );
    }
    return undefined;
  }
  const c = parsed.data;
  return {
    prefix,
    issuer: c.ISSUER,
    audience: c.AUDIENCE,
    ...(c.JWKS_URL ? { jwksUrl: c.JWKS_URL } : {}),
    scopesClaim: c.SCOPES_CLAIM,
    nameClaim: c.NAME_CLAIM,
    algorithms: c.ALGORITHMS ?? [...ASYMMETRIC_ALGS],
    clockToleranceSec: c.CLOCK_TOLERANCE_SECONDS,
  };
}

/** Three base64url parts: what a JWS compact serialization looks like (static tokens never do). */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.string() });

export interface JwtVerifier {
  verify(token: string): Promise<VerifiedJwt>;
}

export function createJwtVerifier(settings: OidcSettings, fetchImpl: typeof fetch = fetch): JwtVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const keySet = (): Promise<JWTVerifyGetKey> => {
    keys ??= (settings.jwksUrl ? Promise.resolve(settings.jwksUrl) : discoverJwksUrl(settings, fetchImpl))
      .then((url) =>
        createRemoteJWKSet(new URL(url), {
          timeoutDuration: 5_000,
          cooldownDuration: 30_000,
          cacheMaxAge: 10 * 60_000,
        }),
      )
      .catch((err: unknown) => {
        keys = undefined; // try again on the next token
        throw err;
      });
    return keys;
  };
  return {
    async verify(token) {
      if (!looksLikeJwt(token)) throw new JwtRejected('the bearer token is not a JWT (three base64url parts)');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keySet(), {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: settings.algorithms,
          clockTolerance: settings.clockToleranceSec,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw rejection(err, settings);
      }
      const subject = String(payload.sub);
      const named = payload[settings.nameClaim];
      return {
        subject,
        name: cleanName(typeof named === 'string' && named.trim() ? named : subject),
        scopes: scopesOf(payload[settings.scopesClaim]),
        expiresAt: payload.exp!,
        issuer: settings.issuer,
      };
    },
  };
}

async function discoverJwksUrl(settings: OidcSettings, fetchImpl: typeof fetch): Promise<string> {
  const base = settings.issuer.replace(/\/+$/, '');
  const tried: string[] = [];
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    try {
      const res = await fetchImpl(`${base}${path}`, {
        signal: AbortSignal.timeout(5_000),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) {
        tried.push(`${path}: HTTP ${res.status}`);
        continue;
      }
      const doc = Discovery.safeParse(await res.json());
      if (!doc.success) {
        tried.push(`${path}: no issuer and jwks_uri`);
        continue;
      }
      // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
      if (doc.data.issuer.replace(/\/+$/, '') !== base) {
        throw new JwtRejected(
          `${path} of ${settings.issuer} names another issuer (${doc.data.issuer}): check ${settings.prefix}_OIDC_ISSUER`,
          true,
        );
      }
      const jwks = issuerUrl.safeParse(doc.data.jwks_uri);
      if (!jwks.success)
        throw new JwtRejected(
          `${path} of ${settings.issuer} names a jwks_uri that ${jwks.error.issues[0]!.message}`,
          true,
        );
      return jwks.data;
    } catch (err) {
      if (err instanceof JwtRejected) throw err;
      tried.push(`${path}: ${(err as Error).message}`);
    }
  }
  throw new JwtRejected(
    `the keys of ${settings.issuer} could not be found (${tried.join('; ')}): set ${settings.prefix}_OIDC_JWKS_URL or check the issuer URL`,
    true,
  );
}

function rejection(err: unknown, s: OidcSettings): JwtRejected {
  if (err instanceof JwtRejected) return err;
  if (err instanceof errors.JWTExpired) return new JwtRejected('the token has expired: sign in again');
  if (err instanceof errors.JWTClaimValidationFailed) {
    const got = (err.payload as Record<string, unknown>)[err.claim];
    if (err.claim === 'aud')
      return new JwtRejected(`the token was issued for ${JSON.stringify(got)}, not for this server (${s.audience})`);
    if (err.claim === 'iss')
      return new JwtRejected(`the token was issued by ${JSON.stringify(got)}, not by ${s.issuer}`);
    if (err.claim === 'nbf') return new JwtRejected('the token is not valid yet (nbf is in the future)');
    return new JwtRejected(
      `the token's "${err.claim}" claim is ${err.reason === 'missing' ? 'missing' : 'not acceptable'}`,
    );
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return new JwtRejected(
      `the token is signed with an algorithm this server does not accept (allowed: ${s.algorithms.join(', ')})`,
    );
  if (err instanceof errors.JWKSNoMatchingKey)
    return new JwtRejected('the token is not signed by any current key of the issuer');
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return new JwtRejected('the token signature does not verify against the issuer keys');
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported)
    return new JwtRejected('the token is not a well-formed signed JWT');
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || err instanceof errors.JOSEError) {
    return new JwtRejected(`the keys of ${s.issuer} could not be read (${(err as Error).message})`, true);
  }
  return new JwtRejected(
    `the keys of ${s.issuer} could not be read (${err instanceof Error ? err.message : String(err)})`,
    true,
  );
}

function scopesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/\s+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((x): x is string => typeof x === 'string');
  return [];
}

/** A name fit for one journal line: no control characters, at most 120 characters. */
function cleanName(name: string): string {
  const clean = name
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}
