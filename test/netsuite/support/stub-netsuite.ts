// A tiny scripted NetSuite for client tests: node:http on 127.0.0.1, port 0. Each test scripts the
// responses; the stub records every request and re-verifies its TBA signature with the same
// helpers NetSuite's algorithm is pinned to (netsuite/oauth1.ts, checked against Oracle's vector).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hmacSha256Signature, parseOAuthHeader, realmFor, signatureBaseString } from '../../../netsuite/oauth1.js';
import type { TbaCredentials } from '../../../netsuite/types.js';

export interface StubRequest {
  method: string;
  /** Path below the host, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The signature, realm, consumer key and token all match the stub's credentials. */
  signatureValid: boolean;
}

export type StubHandler = (req: StubRequest, res: ServerResponse) => void | Promise<void>;

export interface NetSuiteStub {
  /** Base URL to give the client, e.g. http://127.0.0.1:53412 */
  url: string;
  requests: StubRequest[];
  /** Replaces the responder for the next requests. */
  respond(handler: StubHandler): void;
  /** Resolves when the stub has received `n` requests in total. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export const stubCredentials: TbaCredentials = {
  accountId: '1234567_SB1',
  consumerKey: 'stub-consumer-key',
  consumerSecret: 'stub-consumer-secret-never-logged',
  tokenId: 'stub-token-id',
  tokenSecret: 'stub-token-secret-never-logged',
};

export function verifySignature(
  method: string,
  fullUrl: string,
  authorization: string | undefined,
  creds: TbaCredentials,
): boolean {
  const oauth = parseOAuthHeader(authorization);
  if (!oauth?.oauth_signature) return false;
  if (
    oauth.realm !== realmFor(creds.accountId) ||
    oauth.oauth_consumer_key !== creds.consumerKey ||
    oauth.oauth_token !== creds.tokenId
  )
    return false;
  if (oauth.oauth_signature_method !== 'HMAC-SHA256') return false;
  const params = Object.fromEntries(
    Object.entries(oauth).filter(([k]) => k.startsWith('oauth_') && k !== 'oauth_signature'),
  );
  const expected = hmacSha256Signature(
    signatureBaseString(method, new URL(fullUrl), params),
    creds.consumerSecret,
    creds.tokenSecret,
  );
  return expected === oauth.oauth_signature;
}

export async function startNetSuiteStub(
  handler: StubHandler,
  creds: TbaCredentials = stubCredentials,
): Promise<NetSuiteStub> {
  let current = handler;
  const requests: StubRequest[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const full = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const recorded: StubRequest = {
        method: req.method ?? '',
        path: full.pathname,
        query: full.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        signatureValid: verifySignature(req.method ?? '', full.toString(), req.headers.authorization, creds),
      };
      requests.push(recorded);
      for (const w of waiters.filter((x) => requests.length >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      Promise.resolve(current(recorded, res)).catch((err: unknown) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(h) {
      current = h;
    },
    received(n) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** 204 with the Location NetSuite sends for a new record. */
export function created(res: ServerResponse, stubUrl: string, type: string, id: string): void {
  res.writeHead(204, { location: `${stubUrl}/services/rest/record/v1/${type}/${id}` });
  res.end();
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/vnd.oracle.resource+json; type=singular', ...headers });
  res.end(JSON.stringify(body));
}

/** A problem-details error body as NetSuite sends it (docs/reference-notes.md#ns-errors). */
export function problem(
  res: ServerResponse,
  status: number,
  code: string,
  detail: string,
  opts: { path?: string; headers?: Record<string, string> } = {},
): void {
  res.writeHead(status, { 'content-type': 'application/vnd.oracle.resource+json; type=error', ...opts.headers });
  res.end(
    JSON.stringify({
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
      title: status === 429 ? 'Bad Request' : 'Error',
      status,
      'o:errorDetails': [{ detail, 'o:errorCode': code, ...(opts.path ? { 'o:errorPath': opts.path } : {}) }],
    }),
  );
}
