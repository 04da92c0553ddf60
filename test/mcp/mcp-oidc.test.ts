// Sign-on through the team's identity provider (MCP_AUTH=oidc): the MCP server as an OAuth 2.1
// resource server, against a small issuer started here (keys generated in the test, JWKS served
// on loopback). It publishes its protected resource metadata (RFC 9728) and names it in every
// challenge; it accepts only unexpired tokens of that issuer, for its audience, signed by a
// published key, and takes the scopes from the configured claim; the signed-in person's name is
// what the workflow journal and the audit log record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client as McpClient, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { request } from 'undici';
import { ConfirmationTokens } from '../../mcp/confirmation.js';
import { loadMcpConfig, sha256Hex } from '../../mcp/config.js';
import { startMcpHttpServer, type RunningMcpHttp } from '../../mcp/http.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { capturingLogger, fakeNetSuite, startOrder, uniqueRefNo, type FakeNetSuite } from '../ops/support.js';
import { orderEvent } from '../support/events.js';
import { startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { connectTestEnv, eventually } from '../support/temporal.js';
import { demoMappings } from '../support/stack.js';

const AUDIENCE = 'https://mcp.test.example/mcp';
const STATIC = 'static-bot-token-0123456789abcdef0123456789';
let issuer: TestIssuer;
let env: TestWorkflowEnvironment;
let netsuite: FakeNetSuite;
let mcp: RunningMcpHttp;
const audit = capturingLogger('mcp');

async function startMcp(client: Client, extra: Record<string, string> = {}): Promise<RunningMcpHttp> {
  const config = loadMcpConfig({
    MCP_PORT: '0',
    MCP_AUTH: 'tokens,oidc',
    MCP_TOKENS: JSON.stringify([{ name: 'ops-bot', sha256: sha256Hex(STATIC), scopes: ['sync:read'] }]),
    MCP_PUBLIC_URL: AUDIENCE,
    MCP_OIDC_ISSUER: issuer.issuer,
    MCP_OIDC_AUDIENCE: AUDIENCE,
    MCP_OIDC_SCOPES_CLAIM: 'scp',
    MCP_CONFIRM_SECRET: 'oidc-test-confirmation-secret-0123456789',
    ...extra,
  });
  return startMcpHttpServer(
    config,
    {
      client,
      namespace: 'default',
      uiBase: config.uiBase,
      mappings: demoMappings,
      confirmations: new ConfirmationTokens(config.confirmSecret, 60_000),
      audit: audit.logger,
    },
    audit.logger,
  );
}

const rpc = (body: unknown, authorization?: string, url = mcp.url) =>
  request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify(body),
  }).then(async (r) => {
    const text = await r.body.text();
    // A success may come as one server-sent event.
    const data = text.startsWith('event:')
      ? text
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5))
          .join('')
      : text;
    return {
      status: r.statusCode,
      challenge: String(r.headers['www-authenticate'] ?? ''),
      json: JSON.parse(data) as Record<string, unknown>,
    };
  });
const toolsList = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

async function connect(token: string): Promise<McpClient> {
  const client = new McpClient({ name: 'oidc-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

beforeAll(async () => {
  issuer = await startTestIssuer(AUDIENCE);
  env = await connectTestEnv();
  netsuite = await fakeNetSuite(env.nativeConnection, {
    upsertSalesOrder: [
      {
        reason: 'UNMAPPED_PRODUCT',
        message: 'product code NEW-GADGET-X has no NetSuite item',
        path: 'lines[0].productCode',
      },
    ],
  });
  mcp = await startMcp(env.client);
});
afterAll(async () => {
  await mcp?.close();
  await netsuite?.stop();
  await env?.teardown();
  await issuer?.close();
});

describe('MCP sign-on through an identity provider', () => {
  it('publishes its protected resource metadata and names it in the 401 challenge', async () => {
    const wellKnown = new URL('/.well-known/oauth-protected-resource/mcp', mcp.url);
    expect(mcp.resourceMetadataUrl).toBe('https://mcp.test.example/.well-known/oauth-protected-resource/mcp');
    for (const path of [wellKnown.pathname, '/.well-known/oauth-protected-resource']) {
      const res = await request(new URL(path, mcp.url));
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toMatchObject({
        resource: AUDIENCE,
        authorization_servers: [issuer.issuer],
        scopes_supported: expect.arrayContaining(['sync:read', 'sync:write', 'pii:read']),
        bearer_methods_supported: ['header'],
      });
    }
    const none = await rpc(toolsList);
    expect(none.status).toBe(401);
    expect(none.challenge).toMatch(/^Bearer error="invalid_token"/);
    expect(none.challenge).toContain(`resource_metadata="${mcp.resourceMetadataUrl}"`);
  });

  it('accepts a valid token with the scopes of its claim; the static token still works beside it', async () => {
    const token = await issuer.token({ sub: 'u-123', preferred_username: 'dana', scp: ['sync:read', 'openid'] });
    const client = await connect(token);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('sync_status');
    } finally {
      await client.close();
    }
    expect((await rpc(toolsList, `Bearer ${STATIC}`)).status).toBe(200);
  });

  it('refuses expired, wrong-audience, wrong-issuer and unpublished-key tokens with 401 and the reason', async () => {
    const claims = { sub: 'u-123', preferred_username: 'dana', scp: 'sync:read sync:write' };
    const cases: Array<[string, Promise<string>, RegExp]> = [
      ['expired', issuer.token(claims, { expiresIn: -3_600 }), /expired/],
      [
        'wrong audience',
        issuer.token(claims, { audience: 'https://other.example/mcp' }),
        /issued for "https:\/\/other.example\/mcp", not for this server/,
      ],
      ['wrong issuer', issuer.token(claims, { issuer: 'https://evil.example' }), /issued by "https:\/\/evil.example"/],
      ['unpublished key', issuer.token(claims, { key: 'rogue' }), /signature does not verify/],
      ['not a JWT at all', Promise.resolve('a.b.c'), /not a well-formed signed JWT/],
    ];
    for (const [what, token, reason] of cases) {
      const res = await rpc(toolsList, `Bearer ${await token}`);
      expect(res.status, what).toBe(401);
      expect(res.json, what).toMatchObject({
        error: 'invalid_token',
        error_description: expect.stringMatching(reason),
      });
      expect(res.challenge, what).toContain('resource_metadata=');
    }
  });

  it('refuses a token without any of its scopes (403), and a write without sync:write naming the scope', async () => {
    const none = await rpc(toolsList, `Bearer ${await issuer.token({ sub: 'u-9', scp: ['openid', 'profile'] })}`);
    expect(none.status).toBe(403);
    expect(none.json).toMatchObject({
      error: 'insufficient_scope',
      error_description: expect.stringContaining('none of this server'),
    });
    const reader = await issuer.token({ sub: 'u-7', preferred_username: 'eve', scp: 'sync:read' });
    const write = await rpc(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'retry', arguments: { ref: '12345678' } } },
      `Bearer ${reader}`,
    );
    expect(write.status).toBe(403);
    expect(write.challenge).toMatch(/error="insufficient_scope".*scope="sync:write".*resource_metadata=/);
  });

  it('records the signed-in person as the actor in the journal and the audit log', async () => {
    const ref = uniqueRefNo();
    const handle = await startOrder(env.client, netsuite.queues, orderEvent(ref, 'COMPLETE'));
    await eventually(
      () => handle.query(orderStateQuery),
      (s) => s.syncStatus === 'NeedsAttention',
    );
    const token = await issuer.token({ sub: 'u-42', preferred_username: 'dana@finance', scp: 'sync:read sync:write' });
    const client = await connect(token);
    try {
      const res = await client.callTool({ name: 'retry', arguments: { ref, reason: 'product added to the mapping' } });
      expect(res.isError).toBeFalsy();
      expect(res.structuredContent).toMatchObject({ outcome: 'accepted', by: 'dana@finance (via MCP)' });
    } finally {
      await client.close();
    }
    const state = await eventually(
      () => handle.query(orderStateQuery),
      (s) => s.journal.some((j) => j.what.includes('retried by operator')),
    );
    expect(state.journal).toContainEqual(
      expect.objectContaining({
        what: 'step salesOrder retried by operator',
        detail: 'product added to the mapping by dana@finance (via MCP)',
      }),
    );
    expect(audit.lines()).toContainEqual(
      expect.objectContaining({ tool: 'retry', by: 'dana@finance', via: 'oidc', subject: 'u-42', outcome: 'accepted' }),
    );
    await handle.terminate('test done');
  });

  it('answers 503 while the issuer cannot be reached, and validates its configuration at start-up', async () => {
    const gone = await startMcp(env.client, { MCP_OIDC_ISSUER: 'http://127.0.0.1:9' });
    try {
      const res = await rpc(toolsList, `Bearer ${await issuer.token({ sub: 'u-1', scp: 'sync:read' })}`, gone.url);
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({
        error: 'temporarily_unavailable',
        error_description: expect.stringContaining('could not be found'),
      });
    } finally {
      await gone.close();
    }
    expect(() =>
      loadMcpConfig({
        MCP_AUTH: 'oidc',
        MCP_OIDC_ISSUER: 'http://login.example.com',
        MCP_OIDC_SCOPES_CLAIM: 'no spaces allowed',
      }),
    ).toThrow(
      /MCP_OIDC_ISSUER must use https[\s\S]*MCP_OIDC_AUDIENCE is required[\s\S]*MCP_OIDC_SCOPES_CLAIM must be a claim name/,
    );
    expect(() => loadMcpConfig({ MCP_AUTH: 'oidc' })).toThrow(/MCP_OIDC_ISSUER is required with MCP_AUTH=oidc/);
  });
});
