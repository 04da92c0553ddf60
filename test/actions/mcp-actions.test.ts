// Action requests over MCP (HTTP, bearer tokens): an assistant's token with money:request asks for
// a refund; it cannot approve it (no money:approve), nor can a token with sync:write (no scope
// implies another); a person's token with money:approve approves it, and exactly one refund is
// made in 2Checkout and booked in NetSuite. Every call, refusals included, is in the audit log.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmationTokens } from '../../mcp/confirmation.js';
import { loadMcpConfig, sha256Hex } from '../../mcp/config.js';
import { toolDeps } from '../../mcp/deps.js';
import { startMcpHttpServer, type RunningMcpHttp } from '../../mcp/http.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { capturingLogger } from '../ops/support.js';
import { startActionStack, type ActionStack } from '../support/actions.js';

const TOKENS = {
  assistant: 'assistant-token-0123456789abcdef0123456789abcdef',
  person: 'person-token-0123456789abcdef0123456789abcdef0',
  writer: 'writer-token-0123456789abcdef0123456789abcdef0',
} as const;

let s: ActionStack;
let http: RunningMcpHttp;
const audit = capturingLogger('mcp');
const clients: Client[] = [];

beforeAll(async () => {
  s = await startActionStack();
  const config = loadMcpConfig({
    MCP_PORT: '0',
    MCP_CONFIRM_SECRET: 'test-confirmation-secret-0123456789abcdef',
    MCP_TOKENS: JSON.stringify([
      { name: 'claude-assistant', sha256: sha256Hex(TOKENS.assistant), scopes: ['sync:read', 'money:request'] },
      { name: 'bob@example.com', sha256: sha256Hex(TOKENS.person), scopes: ['sync:read', 'money:approve'] },
      { name: 'ops-writer', sha256: sha256Hex(TOKENS.writer), scopes: ['sync:read', 'sync:write'] },
    ]),
  });
  const deps = toolDeps(config, { client: s.env.client, namespace: 'default' }, audit.logger);
  expect(deps.moneyTools).toBe(true);
  http = await startMcpHttpServer(
    config,
    {
      ...deps,
      mappings: () => s.mappings.config,
      confirmations: new ConfirmationTokens(config.confirmSecret, config.confirmTtlMs),
      requestQueues: s.requestOpts,
    },
    audit.logger,
  );
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await http?.close();
  await s?.close();
});

async function connect(token: keyof typeof TOKENS): Promise<Client> {
  const client = new Client({ name: 'mcp-actions-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { Authorization: `Bearer ${TOKENS[token]}` } },
    }),
  );
  clients.push(client);
  return client;
}

const refused = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { name: string; requiredScope?: string },
  );

describe('action requests over MCP', () => {
  it('an assistant asks, cannot approve; sync:write cannot ask or approve; a person approves; one refund', async () => {
    const order = String(77_500_000 + (Date.now() % 100_000));
    await s.send([{ kind: 'ipn', input: cardOrder(order, 'COMPLETE', { at: new Date(Date.now() - 60_000) }) }]);
    await s.waitForOrder(order, (st) => st.syncStatus === 'Synced' && st.records.paymentId !== undefined, 60_000);
    const assistant = await connect('assistant');
    const person = await connect('person');
    const writer = await connect('writer');

    // Offered to every caller (the server checks scopes on each call, not by listing).
    const { tools } = await assistant.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'request_refund',
        'request_subscription_action',
        'list_requests',
        'approve_request',
        'reject_request',
      ]),
    );

    // sync:write does not imply money:request.
    expect(
      await refused(
        writer.callTool({ name: 'request_refund', arguments: { ref: order, amount: '10.00', reason: 'writer tries' } }),
      ),
    ).toMatchObject({ name: 'InsufficientScopeError', requiredScope: 'money:request' });

    const asked = await assistant.callTool({
      name: 'request_refund',
      arguments: { ref: order, amount: '30.00', reason: 'customer was charged twice' },
    });
    expect(asked.isError).toBeFalsy();
    expect(asked.structuredContent).toMatchObject({
      outcome: 'submitted',
      id: `refund-request/${order}/1`,
      by: 'claude-assistant',
    });
    const id = `refund-request/${order}/1`;

    // The assistant's token has no money:approve: refused before the tool runs; nothing changes.
    expect(await refused(assistant.callTool({ name: 'approve_request', arguments: { id } }))).toMatchObject({
      name: 'InsufficientScopeError',
      requiredScope: 'money:approve',
    });
    expect(await refused(writer.callTool({ name: 'approve_request', arguments: { id } }))).toMatchObject({
      name: 'InsufficientScopeError',
      requiredScope: 'money:approve',
    });
    expect((await s.read(id))?.phase).toBe('awaiting-approval');
    expect(s.refundsIn2Checkout(order)).toBe(0);

    const listed = await person.callTool({ name: 'list_requests', arguments: {} });
    expect(
      (listed.structuredContent as { requests: Array<{ id: string; phase: string; requester: string }> }).requests,
    ).toContainEqual(expect.objectContaining({ id, phase: 'awaiting-approval', requester: 'claude-assistant' }));

    const approved = await person.callTool({
      name: 'approve_request',
      arguments: { id, reason: 'checked the duplicate charge' },
    });
    expect(approved.structuredContent).toMatchObject({ outcome: 'accepted', id, by: 'bob@example.com' });
    const done = await s.waitForRequest(id, (r) => r.phase === 'done', 90_000);
    expect(done.requester).toEqual({ name: 'claude-assistant', via: 'mcp-http' });
    expect(done.decision).toMatchObject({
      action: 'approve',
      by: { name: 'bob@example.com', via: 'mcp-http' },
      reason: 'checked the duplicate charge',
    });
    expect(s.refundsIn2Checkout(order)).toBe(1);
    expect(s.creditMemos(order)).toBe(1);
    expect(s.customerRefunds(order)).toBe(1);

    const lines = audit.lines();
    expect(lines).toContainEqual(
      expect.objectContaining({ tool: 'request_refund', by: 'ops-writer', outcome: 'unauthorized' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ tool: 'request_refund', by: 'claude-assistant', outcome: 'submitted', requestId: id }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ tool: 'approve_request', by: 'claude-assistant', outcome: 'unauthorized', ref: id }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ tool: 'approve_request', by: 'bob@example.com', outcome: 'accepted', ref: id }),
    );
  }, 150_000);
});
