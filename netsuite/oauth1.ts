// OAuth 1.0a token-based authentication (TBA) for SuiteTalk REST, HMAC-SHA256 (docs/reference-notes.md#ns-auth,
// RFC 5849 §3.4). Shared by the client (signing) and the sandbox (verification), so both follow
// one implementation that is checked against Oracle's published example.
import { createHmac, randomBytes } from 'node:crypto';

/** RFC 3986 percent-encoding: keep A–Z a–z 0–9 - . _ ~, everything else as %XX (upper-case hex). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The OAuth realm: the account id upper-cased, `-` → `_` (e.g. `1234567_SB1`). */
export function realmFor(accountId: string): string {
  return accountId.toUpperCase().replace(/-/g, '_');
}

/** Scheme and host lower-cased, default port dropped, path kept, query and fragment removed. */
export function baseUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const host = url.hostname.toLowerCase();
  const defaultPort = (scheme === 'https:' && url.port === '443') || (scheme === 'http:' && url.port === '80');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${host}${port}${url.pathname}`;
}

/** Query parameters decoded (`+` and `%20` both a space), as [name, value] pairs. */
export function queryParams(url: URL): Array<[string, string]> {
  return [...url.searchParams.entries()];
}

export function signatureBaseString(method: string, url: URL, oauthParams: Record<string, string>): string {
  const pairs: Array<[string, string]> = [...queryParams(url), ...Object.entries(oauthParams)]
    .filter(([k]) => k !== 'realm' && k !== 'oauth_signature')
    .map(([k, v]) => [percentEncode(k), percentEncode(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUri(url))}&${percentEncode(normalized)}`;
}

export function hmacSha256Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha256', key).update(baseString).digest('base64');
}

export interface TbaSigningInput {
  method: string;
  url: string;
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
  /** Fixed values for tests; random / current time otherwise. */
  nonce?: string;
  timestamp?: number;
}

/** Builds the `Authorization: OAuth realm="…", …` header value. */
export function tbaAuthorizationHeader(input: TbaSigningInput): string {
  const params: Record<string, string> = {
    oauth_consumer_key: input.consumerKey,
    oauth_token: input.tokenId,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_nonce: input.nonce ?? randomBytes(15).toString('base64url').slice(0, 20),
    oauth_version: '1.0',
  };
  const signature = hmacSha256Signature(
    signatureBaseString(input.method, new URL(input.url), params),
    input.consumerSecret,
    input.tokenSecret,
  );
  const fields = [
    `realm="${realmFor(input.accountId)}"`,
    ...Object.entries({ ...params, oauth_signature: signature }).map(([k, v]) => `${k}="${percentEncode(v)}"`),
  ];
  return `OAuth ${fields.join(', ')}`;
}

/** Parses an `OAuth k="v", …` header into decoded parameters; undefined when it is not OAuth. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  const re = /([A-Za-z_]+)="([^"]*)"/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    const [, k, v] = m;
    if (k !== undefined && v !== undefined) out[k] = decodeURIComponent(v);
  }
  return out;
}
