// Codec server: lets the Temporal Web UI and CLI show encrypted payloads.
// POST {base}/decode and /encode with `{ payloads: [{ metadata: {k: base64}, data: base64 }] }`.
// It decrypts on demand, so:
//   - it answers only requests whose Host header names it (loopback names by default, or the
//     configured hosts): a web page that rebinds its own domain to 127.0.0.1 gets nothing;
//   - with a token, every call must carry it (compared in constant time);
//   - /encode — an encryption oracle: whatever it encrypts, workers take as written by us — is
//     served only with a token;
//   - /decode decrypts only payloads in our encrypted envelope (authenticated, AES-GCM) and returns
//     every other payload byte for byte: the Web UI sends it whatever the history holds, and a
//     payload in clear is already readable by anyone who can read the history;
//   - the namespace the Web UI names (X-Namespace) must be the one a payload is bound to
//     (shared/payload-codec.ts); the Web UI does not say which workflow a payload is for, so
//     /encode binds what it encrypts to the namespace only, and /decode shows a payload with the
//     workflow its envelope names.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload } from '@temporalio/common';
import type { AesGcmPayloadCodec } from './payload-codec.js';
import { z } from 'zod';

const JsonPayloads = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
});

const b64 = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('base64') : undefined);

function fromJson(p: z.infer<typeof JsonPayloads>['payloads'][number]): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
  };
}
function toJson(p: Payload) {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v) ?? ''])),
    ...(p.data ? { data: b64(p.data) } : {}),
  };
}

async function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new Error('request too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface CodecServerOptions {
  codec: Pick<AesGcmPayloadCodec, 'encode' | 'decodeEncrypted'>;
  /** Origins of the Web UI allowed to call it (CORS). */
  allowedOrigins: string[];
  /** When set, every call must carry `Authorization: Bearer <token>`; without it /encode is refused. */
  token?: string;
  /** Host names (without port) the Host header may carry besides the loopback names. */
  allowedHosts?: string[];
}

export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a Host header (`[::1]:8888` → `[::1]`, `Example.com:80` → `example.com`). */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:]+)(?::\d+)?$/.exec(h);
  return m?.[1];
}

/** Constant-time: equal-length digests, so neither the content nor the length of the token leaks. */
function tokenMatches(authorization: string | undefined, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(authorization ?? ''), digest(`Bearer ${token}`));
}

const json = (res: ServerResponse, status: number, body: object) =>
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

export function createCodecServer(opts: CodecServerOptions): Server {
  const hosts = new Set([...LOOPBACK_HOSTS, ...(opts.allowedHosts ?? []).map((h) => h.trim().toLowerCase())]);
  return createServer((req, res) => {
    const host = hostName(req.headers.host);
    if (!host || !hosts.has(host)) {
      json(res, 403, {
        error:
          "Host header not allowed (add the name to CODEC_SERVER_ALLOWED_HOSTS if this is the codec server's own name)",
      });
      return;
    }
    const origin = req.headers.origin;
    if (origin && opts.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const op = req.url?.split('?')[0]?.endsWith('/decode')
      ? 'decode'
      : req.url?.split('?')[0]?.endsWith('/encode')
        ? 'encode'
        : undefined;
    if (req.method !== 'POST' || !op) {
      res.writeHead(404).end();
      return;
    }
    if (opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
      json(res, 401, { error: 'missing or wrong bearer token' });
      return;
    }
    if (op === 'encode' && !opts.token) {
      json(res, 403, {
        error: '/encode is only served with a token: set CODEC_SERVER_TOKEN (and pass it as the Authorization bearer)',
      });
      return;
    }
    void (async () => {
      try {
        const parsed = JsonPayloads.safeParse(JSON.parse(await readBody(req)));
        if (!parsed.success) {
          res
            .writeHead(400, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ error: 'expected { payloads: [...] }' }));
          return;
        }
        const payloads = parsed.data.payloads.map(fromJson);
        const ns = req.headers['x-namespace'];
        const reading = typeof ns === 'string' && ns.trim() ? { namespace: ns.trim() } : {};
        const out =
          op === 'encode'
            ? await opts.codec.encode(payloads, reading)
            : await opts.codec.decodeEncrypted(payloads, reading);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ payloads: out.map(toJson) }));
      } catch (err) {
        // Never echo payload contents; the message says which key is missing, nothing more.
        res
          .writeHead(400, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: err instanceof Error ? err.message : 'codec error' }));
      }
    })();
  });
}
