// Who may call the MCP server over HTTP, checked before the request body is even read:
//  - static bearer tokens: a presented token is hashed and compared (in constant time) with the
//    configured SHA-256s, so the configuration never needs the secret itself;
//  - with MCP_AUTH=oidc, access tokens (JWTs) of the team's identity provider, verified against
//    its keys (shared/oidc.ts); the scopes are the ones of this server the token's claim names.
// The verified caller becomes the call's principal: its name is what the workflow journal records
// as "by" and the audit log as the actor. A refusal is a 401 with a Bearer challenge that, with an
// identity provider, points at the protected resource metadata (RFC 9728) so a client can find
// where to sign in. Rate limits: per client address before authentication, per caller after it.
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import {
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
  verifyBearerToken,
  type AuthInfo,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { createJwtVerifier, JwtRejected, looksLikeJwt, type OidcSettings } from '../shared/oidc.js';
import { sha256Hex, type McpConfig, type TokenEntry } from './config.js';
import { ALL_SCOPES, isScope, type Principal } from './scopes.js';

/** Static tokens do not expire; the SDK still wants an expiry, so each verification grants an hour. */
const VERIFIED_FOR_S = 3_600;

interface CallerExtra extends Record<string, unknown> {
  via: Principal['via'];
  subject?: string;
}

export function tokenVerifier(tokens: readonly TokenEntry[]): OAuthTokenVerifier {
  const hashes = tokens.map((t) => ({ entry: t, hash: Buffer.from(t.sha256, 'hex') }));
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const presented = Buffer.from(sha256Hex(token), 'hex');
      // Compare with every entry (no early exit), so timing says nothing about which one matched.
      let match: TokenEntry | undefined;
      for (const h of hashes) if (timingSafeEqual(h.hash, presented)) match = h.entry;
      if (!match) throw new OAuthError(OAuthErrorCode.InvalidToken, 'unknown bearer token');
      const extra: CallerExtra = { via: 'http-token' };
      return {
        token,
        clientId: match.name,
        scopes: [...match.scopes],
        expiresAt: Math.floor(Date.now() / 1000) + VERIFIED_FOR_S,
        extra,
      };
    },
  };
}

/** Access tokens of the identity provider; scopes this server does not know are dropped. */
export function jwtVerifier(settings: OidcSettings, fetchImpl?: typeof fetch): OAuthTokenVerifier {
  const jwt = createJwtVerifier(settings, fetchImpl);
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      let v;
      try {
        v = await jwt.verify(token);
      } catch (err) {
        if (err instanceof JwtRejected)
          throw new OAuthError(
            err.unavailable ? OAuthErrorCode.TemporarilyUnavailable : OAuthErrorCode.InvalidToken,
            err.message,
          );
        throw err;
      }
      const scopes = v.scopes.filter(isScope);
      if (scopes.length === 0) {
        throw new OAuthError(
          OAuthErrorCode.InsufficientScope,
          `the token carries none of this server's scopes (${ALL_SCOPES.join(', ')}) in its "${settings.scopesClaim}" claim`,
        );
      }
      const extra: CallerExtra = { via: 'oidc', subject: v.subject };
      return {
        token,
        clientId: v.name,
        scopes,
        expiresAt: v.expiresAt,
        resource: new URL(settingsResource(settings)),
        extra,
      };
    },
  };
}

/** The audience as a URL when it is one (the SDK's AuthInfo wants a URL); otherwise a urn. */
function settingsResource(s: OidcSettings): string {
  return URL.canParse(s.audience) ? s.audience : `urn:audience:${encodeURIComponent(s.audience)}`;
}

/** The verifier for MCP_AUTH: a JWT goes to the identity provider, anything else to the static tokens. */
export function callerVerifier(
  config: Pick<McpConfig, 'auth' | 'tokens'>,
  fetchImpl?: typeof fetch,
): OAuthTokenVerifier {
  const statics = config.auth.tokens ? tokenVerifier(config.tokens) : undefined;
  const oidc = config.auth.oidc ? jwtVerifier(config.auth.oidc, fetchImpl) : undefined;
  return {
    verifyAccessToken(token) {
      if (oidc && (looksLikeJwt(token) || !statics)) return oidc.verifyAccessToken(token);
      return statics!.verifyAccessToken(token);
    },
  };
}

export function principalOf(auth: AuthInfo | undefined): Principal | undefined {
  if (!auth) return undefined;
  const extra = (auth.extra ?? {}) as Partial<CallerExtra>;
  return {
    name: auth.clientId,
    scopes: new Set(auth.scopes),
    via: extra.via ?? 'http-token',
    ...(extra.subject ? { subject: extra.subject } : {}),
  };
}

/**
 * Authentication as Express middleware, before the body is parsed: a refusal costs a hash or a
 * signature check, never a JSON parse. Refusals are 401 (403 for a token without any of this
 * server's scopes, 503 while the identity provider's keys cannot be read), each with the OAuth
 * error and a sentence, and logged without the token.
 */
export function requireCaller(
  verifier: OAuthTokenVerifier,
  opts: { resourceMetadataUrl?: string; logger: Logger },
): RequestHandler {
  const options = { verifier, ...(opts.resourceMetadataUrl ? { resourceMetadataUrl: opts.resourceMetadataUrl } : {}) };
  return (req, res, next) => {
    verifyBearerToken(req.headers.authorization, options).then(
      (auth) => {
        req.auth = auth;
        next();
      },
      (err: unknown) => {
        const refused =
          err instanceof OAuthError
            ? err
            : new OAuthError(OAuthErrorCode.ServerError, 'the token could not be checked');
        if (!(err instanceof OAuthError))
          opts.logger.error({ err: (err as Error).message }, 'mcp authentication failed');
        opts.logger.info(
          { address: req.ip, error: refused.code, reason: refused.message },
          'mcp request refused: not authenticated',
        );
        if (refused.code === OAuthErrorCode.TemporarilyUnavailable) {
          res.status(503).set('Retry-After', '30').json(refused.toResponseObject());
          return;
        }
        const challenge = bearerAuthChallengeResponse(refused, options);
        const header = challenge.headers.get('WWW-Authenticate');
        if (header) res.set('WWW-Authenticate', header);
        res.status(challenge.status).json(refused.toResponseObject());
      },
    );
  };
}

const rpcError = (message: string) => ({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });

/** Per client address, before authentication: bounds what unauthenticated callers can cost. */
export function perAddressRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    keyGenerator: (req) => `address:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res, _next, options) => {
      res
        .status(options.statusCode)
        .json(
          rpcError(
            `rate limit: at most ${perMinute} requests a minute from one address (MCP_ADDRESS_RATE_LIMIT); retry after the Retry-After header's seconds`,
          ),
        );
    },
  });
}

/** Per caller, after authentication: each static token's own `ratePerMinute`, MCP_RATE_LIMIT for a signed-in person. */
export function perCallerRateLimit(config: Pick<McpConfig, 'tokens' | 'ratePerMinute'>): RequestHandler {
  const byName = new Map(config.tokens.map((t) => [t.name, t.ratePerMinute]));
  const limitOf = (p: Principal | undefined) =>
    p?.via === 'oidc' ? config.ratePerMinute : (byName.get(p?.name ?? '') ?? 1);
  return rateLimit({
    windowMs: 60_000,
    limit: (req) => limitOf(principalOf(req.auth)),
    keyGenerator: (req) => {
      const p = principalOf(req.auth);
      return p?.via === 'oidc' ? `oidc:${p.subject ?? p.name}` : `token:${p?.name ?? ''}`;
    },
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, _next, options) => {
      const p = principalOf(req.auth);
      res
        .status(options.statusCode)
        .json(
          rpcError(
            `rate limit: ${p?.name ?? 'this token'} may make ${String(limitOf(p))} calls a minute; retry after the Retry-After header's seconds`,
          ),
        );
    },
  });
}
