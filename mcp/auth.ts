// Bearer tokens of the HTTP transport: a presented token is hashed and compared (in constant time)
// with the configured SHA-256s, so the configuration never needs the secret itself. The verified
// token becomes the call's principal: its name is what the workflow journal records as "by".
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { sha256Hex, type TokenEntry } from './config.js';
import type { Principal } from './scopes.js';

/** Static tokens do not expire; the SDK still wants an expiry, so each verification grants an hour. */
const VERIFIED_FOR_S = 3_600;

export function tokenVerifier(tokens: readonly TokenEntry[]): OAuthTokenVerifier {
  const hashes = tokens.map((t) => ({ entry: t, hash: Buffer.from(t.sha256, 'hex') }));
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const presented = Buffer.from(sha256Hex(token), 'hex');
      // Compare with every entry (no early exit), so timing says nothing about which one matched.
      let match: TokenEntry | undefined;
      for (const h of hashes) if (timingSafeEqual(h.hash, presented)) match = h.entry;
      if (!match) throw new OAuthError(OAuthErrorCode.InvalidToken, 'unknown bearer token');
      return { token, clientId: match.name, scopes: [...match.scopes], expiresAt: Math.floor(Date.now() / 1000) + VERIFIED_FOR_S };
    },
  };
}

export function principalOf(auth: AuthInfo | undefined): Principal | undefined {
  return auth ? { name: auth.clientId, scopes: new Set(auth.scopes), via: 'http-token' } : undefined;
}

/** Per-token rate limit (each token's own `ratePerMinute`), after authentication. */
export function perTokenRateLimit(tokens: readonly TokenEntry[]): RequestHandler {
  const byName = new Map(tokens.map((t) => [t.name, t.ratePerMinute]));
  return rateLimit({
    windowMs: 60_000,
    limit: (req) => byName.get(req.auth?.clientId ?? '') ?? 1,
    keyGenerator: (req) => `token:${req.auth?.clientId ?? ''}`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, _next, options) => {
      res.status(options.statusCode).json({
        jsonrpc: '2.0',
        error: { code: -32000, message: `rate limit: ${req.auth?.clientId ?? 'this token'} may make ${String(byName.get(req.auth?.clientId ?? '') ?? 1)} calls a minute; retry after the Retry-After header's seconds` },
        id: null,
      });
    },
  });
}
