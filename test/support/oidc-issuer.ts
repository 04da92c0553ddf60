// A small identity provider for tests: keys generated in the test, the OpenID discovery document
// and the JWKS served over HTTP on loopback, and access tokens signed on demand (valid, expired,
// for another audience, from another issuer, signed by a key it never published…).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface TestIssuer {
  issuer: string;
  /** How often the JWKS was fetched. */
  jwksFetches(): number;
  /** A signed access token; `exp` in seconds from now (negative: expired), `key: 'rogue'` signs with an unpublished key. */
  token(
    claims: JWTPayload & { exp?: number },
    opts?: { audience?: string; issuer?: string; expiresIn?: number; key?: 'published' | 'rogue'; alg?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(defaultAudience: string): Promise<TestIssuer> {
  const published = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
      });
    }
    if (req.url === '/jwks') {
      fetches += 1;
      return json(200, { keys: [jwk] });
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keyOf = (which: 'published' | 'rogue'): CryptoKey =>
    which === 'rogue' ? rogue.privateKey : published.privateKey;
  return {
    issuer,
    jwksFetches: () => fetches,
    async token(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: 'test-key-1', typ: 'at+jwt' })
        .setIssuer(opts.issuer ?? issuer)
        .setAudience(opts.audience ?? defaultAudience)
        .setIssuedAt(now - 60)
        .setExpirationTime(now + (opts.expiresIn ?? 600))
        .sign(keyOf(opts.key ?? 'published'));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
