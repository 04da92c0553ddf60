// Issue 24, item 5: the MCP server's HTTP surface. It answers only the Host and Origin names it is
// told (also when it listens on every interface), authenticates before it reads the body, limits
// each client address before authentication, and every refusal is JSON that names the problem.
import { afterEach, describe, expect, it } from 'vitest';
import { startBareMcp, toolCall, type BareMcp } from '../mcp/bare-server.js';

const list = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
let servers: BareMcp[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function start(env: Record<string, string> = {}): Promise<BareMcp> {
  const s = await startBareMcp(env);
  servers.push(s);
  return s;
}
const port = (s: BareMcp) => new URL(s.http.url).port;
const errorOf = (text: string) =>
  JSON.parse(text) as { error?: { message?: string } | string; error_description?: string };

describe('MCP HTTP surface', () => {
  it('answers only the Host names it is told, also when listening on every interface (DNS rebinding)', async () => {
    const open = await start({ MCP_HOST: '0.0.0.0', MCP_ALLOWED_HOSTS: 'mcp.example.com' });
    expect((await open.post(list, { host: `mcp.example.com:${port(open)}` })).status).toBe(200);
    expect((await open.post(list, { host: `localhost:${port(open)}` })).status).toBe(200);
    for (const host of ['evil.example', `evil.example:${port(open)}`, 'mcp.example.com.evil.example']) {
      const res = await open.post(list, { host });
      expect(res.status, host).toBe(403);
      expect(JSON.stringify(errorOf(res.text))).toMatch(/Host/i);
    }
    // Without MCP_ALLOWED_HOSTS only loopback names pass on a wildcard address.
    const bare = await start({ MCP_HOST: '0.0.0.0' });
    expect((await bare.post(list, { host: 'attacker.example' })).status).toBe(403);
  });

  it('takes a browser Origin only from the origins it is told', async () => {
    const s = await start({ MCP_ALLOWED_ORIGINS: 'https://assistant.example.com' });
    expect((await s.post(list, { origin: 'https://assistant.example.com' })).status).toBe(200);
    expect((await s.post(list, { origin: `http://localhost:${port(s)}` })).status).toBe(200);
    const evil = await s.post(list, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(JSON.stringify(errorOf(evil.text))).toMatch(/Origin/i);
  });

  it('authenticates before it reads the body: no token gets 401 whatever the body', async () => {
    const s = await start();
    for (const body of ['{not json', Buffer.alloc(2_000_000, '['), JSON.stringify(list)]) {
      const res = await s.post(body, { authorization: '' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(errorOf(res.text)).toMatchObject({ error: 'invalid_token' });
    }
    expect((await s.post('{not json', { authorization: 'Bearer wrong-token-0123456789abcdef0123456789' })).status).toBe(
      401,
    );
  });

  it('limits each client address before authentication (MCP_ADDRESS_RATE_LIMIT)', async () => {
    const s = await start({ MCP_ADDRESS_RATE_LIMIT: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await s.post(list, { authorization: 'Bearer guessed-0123456789abcdef0123456789abcdef' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await s.post(list);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.stringify(errorOf(limited.text))).toMatch(/at most 5 requests a minute from one address/);
  });

  it('names the problem of every refusal once authenticated: bad JSON, too large, wrong path', async () => {
    const s = await start();
    const bad = await s.post('{not json');
    expect(bad.status).toBe(400);
    expect(errorOf(bad.text)).toMatchObject({ error: { message: expect.stringMatching(/not valid JSON/) } });
    const big = await s.post(toolCall('preview_order', { ipn: 'x'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
    expect(errorOf(big.text)).toMatchObject({ error: { message: expect.stringMatching(/larger than 1MB/) } });
    const elsewhere = await s.post(list, {}, '/other');
    expect(elsewhere.status).toBe(404);
    expect(errorOf(elsewhere.text)).toMatchObject({
      error: { message: expect.stringMatching(/the MCP endpoint is \/mcp/) },
    });
  });

  it('refuses configuration mistakes at start-up, all at once', async () => {
    const { loadMcpConfig } = await import('../../mcp/config.js');
    expect(() =>
      loadMcpConfig({
        MCP_ALLOWED_HOSTS: 'https://mcp.example.com',
        MCP_TRUST_PROXY: 'true',
        MCP_AUTH: 'magic',
        MCP_ADDRESS_RATE_LIMIT: '0',
      }),
    ).toThrow(
      /MCP_AUTH must be tokens, oidc or tokens,oidc[\s\S]*MCP_ALLOWED_HOSTS must be host names[\s\S]*MCP_ADDRESS_RATE_LIMIT[\s\S]*MCP_TRUST_PROXY must be false, a number/,
    );
  });
});
