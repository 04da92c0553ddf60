// The codec server decrypts on demand for the Web UI and CLI, so it must only answer the callers
// it is meant for: no encryption oracle without a token, no answer to a page that rebinds its
// own domain to 127.0.0.1, no plaintext turned into ciphertext or back without the key.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { request } from 'undici';
import { payloadCodecFromEnv } from '../../shared/payload-codec.js';
import { createCodecServer, type CodecServerOptions } from '../../shared/codec-server.js';

const codec = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64') })!;
let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function start(opts: Partial<CodecServerOptions> = {}): Promise<string> {
  server = createCodecServer({ codec, allowedOrigins: ['http://localhost:8233'], ...opts });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const bodyOf = (...ps: Payload[]) => JSON.stringify({ payloads: ps.map(toJson) });

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

describe('codec server', () => {
  it('refuses /encode when no token is set (no encryption oracle), while /decode serves the local Web UI', async () => {
    const url = await start();
    const plain = defaultPayloadConverter.toPayload({ refNo: '1', email: 'zoe@example.com' });
    const enc = await post(`${url}/encode`, bodyOf(plain));
    expect(enc.status).toBe(403);
    expect(enc.text).toMatch(/CODEC_SERVER_TOKEN/);
    expect(enc.text).not.toContain('binary/encrypted');
    const [encrypted] = await codec.encode([plain]);
    const dec = await post(`${url}/decode`, bodyOf(encrypted!));
    expect(dec.status).toBe(200);
  });

  it('serves /encode with the right token and refuses a wrong one of any length', async () => {
    const url = await start({ token: 'the-right-token' });
    const plain = defaultPayloadConverter.toPayload({ refNo: '2' });
    for (const wrong of ['x', 'the-right-tokeN', 'the-right-token-and-more', '']) {
      expect((await post(`${url}/encode`, bodyOf(plain), { authorization: `Bearer ${wrong}` })).status).toBe(401);
    }
    const ok = await post(`${url}/encode`, bodyOf(plain), { authorization: 'Bearer the-right-token' });
    expect(ok.status).toBe(200);
  });

  it('answers no request whose Host header names another site (DNS rebinding)', async () => {
    const url = await start();
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ email: 'zoe@example.com' })]);
    for (const host of ['evil.example', 'evil.example:8888', '127.0.0.1.evil.example']) {
      const res = await post(`${url}/decode`, bodyOf(encrypted!), { host });
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('zoe');
    }
    const port = new URL(url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await post(`${url}/decode`, bodyOf(encrypted!), { host })).status).toBe(200);
    }
    const configured = await start({ allowedHosts: ['codec.internal.example'] });
    expect(
      (await post(`${configured}/decode`, bodyOf(encrypted!), { host: 'codec.internal.example:443' })).status,
    ).toBe(200);
  });

  it('returns a payload that is not encrypted byte for byte, and refuses one that only claims to be', async () => {
    const url = await start();
    const plain = defaultPayloadConverter.toPayload({ refNo: '3' });
    const res = await post(`${url}/decode`, bodyOf(plain));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ payloads: [toJson(plain)] });
    const forged: Payload = { metadata: { ...encryptedMetadata() }, data: randomBytes(64) };
    expect((await post(`${url}/decode`, bodyOf(forged))).status).toBe(400);
  });
});

function encryptedMetadata(): Record<string, Uint8Array> {
  return {
    encoding: new TextEncoder().encode('binary/encrypted'),
    'encryption-key-id': new TextEncoder().encode('k1'),
  };
}
