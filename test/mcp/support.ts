// An MCP HTTP server over a test stack, and SDK clients for it.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ConfirmationTokens } from '../../mcp/confirmation.js';
import { loadMcpConfig, sha256Hex } from '../../mcp/config.js';
import { startMcpHttpServer, type RunningMcpHttp } from '../../mcp/http.js';
import type { TestStack } from '../support/stack.js';
import { capturingLogger } from '../ops/support.js';

export const TOKENS = {
  reader: 'reader-token-0123456789abcdef0123456789abcdef',
  writer: 'writer-token-0123456789abcdef0123456789abcdef',
  piiReader: 'pii-token-0123456789abcdef0123456789abcdef',
} as const;

export interface McpUnderTest {
  http: RunningMcpHttp;
  audit: ReturnType<typeof capturingLogger>;
  connect(token: keyof typeof TOKENS): Promise<Client>;
  close(): Promise<void>;
}

export async function startMcpOver(stack: TestStack, opts: { ratePerMinute?: number } = {}): Promise<McpUnderTest> {
  const config = loadMcpConfig({
    MCP_PORT: '0',
    MCP_CONFIRM_SECRET: 'test-confirmation-secret-0123456789abcdef',
    MCP_TOKENS: JSON.stringify([
      { name: 'reader', sha256: sha256Hex(TOKENS.reader), scopes: ['sync:read'] },
      { name: 'writer', sha256: sha256Hex(TOKENS.writer), scopes: ['sync:read', 'sync:write'] },
      {
        name: 'pii-reader',
        sha256: sha256Hex(TOKENS.piiReader),
        scopes: ['sync:read', 'pii:read'],
        ...(opts.ratePerMinute ? { ratePerMinute: opts.ratePerMinute } : {}),
      },
    ]),
  });
  const audit = capturingLogger('mcp');
  const http = await startMcpHttpServer(
    config,
    {
      client: stack.env.client,
      namespace: 'default',
      uiBase: config.uiBase,
      mappings: () => stack.mappings.config,
      confirmations: new ConfirmationTokens(config.confirmSecret, config.confirmTtlMs),
      audit: audit.logger,
    },
    audit.logger,
  );
  const clients: Client[] = [];
  return {
    http,
    audit,
    async connect(token) {
      const client = new Client({ name: 'mcp-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(http.url), {
          requestInit: { headers: { Authorization: `Bearer ${TOKENS[token]}` } },
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await http.close();
    },
  };
}
