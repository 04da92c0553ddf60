// Codec server: lets the Temporal Web UI and CLI show encrypted payloads (temporal.md §5.3).
// POST {base}/decode and /encode with `{ payloads: [{ metadata: {k: base64}, data: base64 }] }`.
// It decrypts on demand, so it is bound to localhost by default and can require a bearer token.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
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
  codec: PayloadCodec;
  /** Origins of the Web UI allowed to call it (CORS). */
  allowedOrigins: string[];
  /** When set, every call must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export function createCodecServer(opts: CodecServerOptions): Server {
  return createServer((req, res) => {
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
    const op = req.url?.split('?')[0]?.endsWith('/decode') ? 'decode' : req.url?.split('?')[0]?.endsWith('/encode') ? 'encode' : undefined;
    if (req.method !== 'POST' || !op) {
      res.writeHead(404).end();
      return;
    }
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'missing or wrong bearer token' }));
      return;
    }
    void (async () => {
      try {
        const parsed = JsonPayloads.safeParse(JSON.parse(await readBody(req)));
        if (!parsed.success) {
          res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'expected { payloads: [...] }' }));
          return;
        }
        const out = await opts.codec[op](parsed.data.payloads.map(fromJson));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ payloads: out.map(toJson) }));
      } catch (err) {
        // Never echo payload contents; the message says which key is missing, nothing more.
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: err instanceof Error ? err.message : 'codec error' }));
      }
    })();
  });
}
