// The chaos run's fault layer: an HTTP proxy between the workers and the NetSuite sandbox that, at
// configurable rates, answers a NetSuite REST request with
//   error5xxBeforeCommit  a 500 without forwarding it (nothing written),
//   commitThen5xx         the sandbox's answer replaced by a 502 (written, response lost),
//   status429             429 CONCURRENCY_LIMIT_EXCEEDED without forwarding it,
//   hang                  nothing for `hangMs` (past the client's timeout), then forwards it: the
//                         write lands after the client gave up,
//   drop                  a closed connection, before forwarding or after the write (half each).
// Why a proxy and not the sandbox's own fault switches: those arm "the next N matching requests"
// for a test that knows what comes next; a chaos run needs faults drawn at a rate from a seed,
// counted by kind, on the network path the worker really uses (a dropped connection is a socket
// event, not an HTTP answer), and switched on and off between phases without touching the sandbox.
// Only the NetSuite API (/services/rest/…) is faulted; the sandbox's /__sandbox admin is not.
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom, type Random } from './random.js';

export const PROXY_FAULT_KINDS = ['error5xxBeforeCommit', 'commitThen5xx', 'status429', 'hang', 'drop'] as const;
export type ProxyFaultKind = (typeof PROXY_FAULT_KINDS)[number];
export type FaultRates = Record<ProxyFaultKind, number>;

export const NO_FAULTS: FaultRates = { error5xxBeforeCommit: 0, commitThen5xx: 0, status429: 0, hang: 0, drop: 0 };

export interface FaultCounts {
  requests: number;
  faulted: number;
  byKind: Record<ProxyFaultKind, number>;
  /** drop: how many were dropped after the write reached the sandbox. */
  dropAfterCommit: number;
  /** Requests the proxy still holds or forwards (a hung one lands later): 0 before the ledger is read. */
  inFlight: number;
}

export interface FaultProxy {
  url: string;
  setRates(rates: FaultRates): void;
  counts(): FaultCounts;
  close(): Promise<void>;
}

const problem = (status: number, title: string, code: string, detail: string) =>
  JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html',
    title,
    status,
    'o:errorDetails': [{ detail, 'o:errorCode': code }],
  });

export async function startFaultProxy(opts: {
  target: string;
  rates: FaultRates;
  seed: number;
  hangMs: number;
  port?: number;
}): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const rnd: Random = seededRandom(opts.seed);
  let rates = { ...opts.rates };
  const counts: FaultCounts = { requests: 0, faulted: 0, byKind: { ...NO_FAULTS }, dropAfterCommit: 0, inFlight: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const draw = (): ProxyFaultKind | undefined => {
    let r = rnd();
    for (const kind of PROXY_FAULT_KINDS) {
      if (r < rates[kind]) return kind;
      r -= rates[kind];
    }
    return undefined;
  };

  /** Sends the request on to the sandbox, keeping the Host header the client signed (OAuth 1.0). */
  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const answer = (
    res: ServerResponse,
    status: number,
    headers: IncomingMessage['headers'],
    body: Buffer | string,
  ): void => {
    if (res.destroyed || res.writableEnded) return;
    const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...rest } = headers;
    res.writeHead(status, { ...rest, 'content-length': String(Buffer.byteLength(body)) }).end(body);
  };
  const json = { 'content-type': 'application/vnd.oracle.resource+json; type=error' };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const api = (req.url ?? '').startsWith('/services/rest/');
    const kind = api ? draw() : undefined;
    if (api) counts.requests += 1;
    if (kind) {
      counts.faulted += 1;
      counts.byKind[kind] += 1;
    }
    switch (kind) {
      case 'error5xxBeforeCommit':
        answer(
          res,
          500,
          json,
          problem(500, 'Internal Server Error', 'UNEXPECTED_ERROR', 'chaos: failed before the request was processed'),
        );
        return;
      case 'status429':
        answer(
          res,
          429,
          json,
          problem(429, 'Too Many Requests', 'CONCURRENCY_LIMIT_EXCEEDED', 'chaos: concurrency limit exceeded'),
        );
        return;
      case 'commitThen5xx': {
        await forward(req, body);
        answer(
          res,
          502,
          json,
          problem(
            502,
            'Bad Gateway',
            'UNEXPECTED_ERROR',
            'chaos: the response was lost after the request was processed',
          ),
        );
        return;
      }
      case 'hang': {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, opts.hangMs);
          timers.add(t);
        });
        const r = await forward(req, body);
        answer(res, r.status, r.headers, r.body);
        return;
      }
      case 'drop': {
        if (rnd() < 0.5) {
          await forward(req, body);
          counts.dropAfterCommit += 1;
        }
        req.socket.destroy();
        return;
      }
      default: {
        const r = await forward(req, body);
        answer(res, r.status, r.headers, r.body);
      }
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Counted until the request has been forwarded and answered, even when the client has gone:
      // a held request still lands, and the verdict waits for it.
      counts.inFlight += 1;
      handle(req, res, Buffer.concat(chunks))
        .catch((err: unknown) => {
          // The sandbox itself failed to answer: say so as a gateway error, like a load balancer would.
          answer(
            res,
            502,
            json,
            problem(
              502,
              'Bad Gateway',
              'UNEXPECTED_ERROR',
              `chaos proxy: ${err instanceof Error ? err.message : String(err)}`,
            ),
          );
        })
        .finally(() => {
          counts.inFlight -= 1;
        });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setRates(next) {
      rates = { ...next };
    },
    counts: () => ({ ...counts, byKind: { ...counts.byKind } }),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
