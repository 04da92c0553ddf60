// Fuzzing the MCP server's HTTP surface (scripts/lib/fuzz/mcp.ts): malformed JSON-RPC, random tool
// calls and arguments, huge inputs, wrong tokens, foreign Host and Origin names. Every answer is an
// HTTP answer, never a 5xx, never a success without the token, and JSON that names what happened.
// `npm run fuzz -- --mcp N` sends more of the same against a server on a real Temporal.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfirmationTokens } from '../../mcp/confirmation.js';
import { loadMcpConfig, sha256Hex } from '../../mcp/config.js';
import { startMcpHttpServer, type RunningMcpHttp } from '../../mcp/http.js';
import { judgeMcp, mcpFuzzCase, sendMcpCase } from '../../scripts/lib/fuzz/mcp.js';
import { capturingLogger } from '../ops/support.js';
import { demoMappings } from '../support/stack.js';
import { connectTestEnv } from '../support/temporal.js';

const TOKEN = 'fuzz-writer-token-0123456789abcdef0123456789';
const seed = Number(process.env.FUZZ_SEED ?? 14);
let env: TestWorkflowEnvironment;
let mcp: RunningMcpHttp;
beforeAll(async () => {
  env = await connectTestEnv();
  const config = loadMcpConfig({
    MCP_PORT: '0',
    MCP_ADDRESS_RATE_LIMIT: '100000',
    MCP_TOKENS: JSON.stringify([
      { name: 'fuzz', sha256: sha256Hex(TOKEN), scopes: ['sync:read', 'sync:write'], ratePerMinute: 100_000 },
    ]),
  });
  const audit = capturingLogger('mcp');
  mcp = await startMcpHttpServer(
    config,
    {
      client: env.client,
      namespace: 'default',
      uiBase: config.uiBase,
      mappings: demoMappings,
      confirmations: new ConfirmationTokens(config.confirmSecret, 60_000),
      audit: audit.logger,
    },
    audit.logger,
  );
});
afterAll(async () => {
  await mcp?.close();
  await env?.teardown();
});

describe('fuzzing the MCP HTTP surface', () => {
  it('answers every case with a named problem or result: no crash, no 5xx, nothing without the token', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(mcpFuzzCase(), async (c) => {
        const problem = judgeMcp(c, await sendMcpCase(new URL(mcp.url).origin, c, TOKEN));
        if (problem) problems.push(problem);
        expect(problem).toBeUndefined();
      }),
      { numRuns: 300, seed },
    );
    expect(problems).toEqual([]);
  }, 180_000);
});

describe('the fuzz judge', () => {
  it('flags what must not happen: a 5xx, an HTML answer, a success without the token, a silent 202', () => {
    const c = fc.sample(mcpFuzzCase(), { numRuns: 1, seed: 1 })[0]!;
    const ok = {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [] } }),
    };
    expect(judgeMcp({ ...c, authenticated: true }, ok)).toBeUndefined();
    expect(judgeMcp({ ...c, authenticated: false }, ok)).toMatch(/without a valid token/);
    expect(judgeMcp(c, { status: 500, contentType: 'application/json', body: '{"error":"x"}' })).toMatch(/^500/);
    expect(judgeMcp(c, { status: 404, contentType: 'text/html', body: '<pre>Cannot POST /x</pre>' })).toMatch(
      /without a JSON answer/,
    );
    expect(
      judgeMcp(c, {
        status: 400,
        contentType: 'application/json',
        body: '{"jsonrpc":"2.0","error":{"code":-32600},"id":null}',
      }),
    ).toMatch(/names no problem/);
    expect(judgeMcp({ ...c, noReplyExpected: false }, { status: 202, contentType: '', body: '' })).toMatch(
      /202 with no body/,
    );
    expect(
      judgeMcp(c, {
        status: 401,
        contentType: 'application/json',
        body: '{"error":"invalid_token","error_description":"unknown bearer token"}',
      }),
    ).toBeUndefined();
  });
});
