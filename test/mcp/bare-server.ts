// An MCP HTTP server without Temporal, for what needs no workflow: the HTTP surface itself
// (hosts, origins, authentication, limits), tools/list and preview_order. The Temporal client is
// never dialled by these paths.
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import { ConfirmationTokens } from '../../mcp/confirmation.js';
import { loadMcpConfig, sha256Hex } from '../../mcp/config.js';
import { startMcpHttpServer, type RunningMcpHttp } from '../../mcp/http.js';
import { demoMappings } from '../support/stack.js';
import { capturingLogger } from '../ops/support.js';

export const BARE_TOKEN = 'bare-reader-token-0123456789abcdef0123456789';

export interface BareMcp {
  http: RunningMcpHttp;
  audit: ReturnType<typeof capturingLogger>;
  /**
   * POSTs a JSON-RPC body (a string or bytes are sent as they are) to /mcp with the token, unless
   * `headers` say otherwise (an `authorization` of '' sends none). undici, so Host can be set.
   */
  post(
    body: unknown,
    headers?: Record<string, string>,
    path?: string,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>;
  close(): Promise<void>;
}

export async function startBareMcp(env: Record<string, string> = {}): Promise<BareMcp> {
  const config = loadMcpConfig({
    MCP_PORT: '0',
    MCP_TOKENS: JSON.stringify([{ name: 'bare-reader', sha256: sha256Hex(BARE_TOKEN), scopes: ['sync:read'] }]),
    ...env,
  });
  const audit = capturingLogger('mcp');
  const http = await startMcpHttpServer(
    config,
    {
      client: {} as Client,
      namespace: 'default',
      uiBase: config.uiBase,
      mappings: demoMappings,
      confirmations: new ConfirmationTokens(config.confirmSecret, 60_000),
      audit: audit.logger,
    },
    audit.logger,
  );
  return {
    http,
    audit,
    async post(body, headers = {}, path = '/mcp') {
      const all: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
        authorization: `Bearer ${BARE_TOKEN}`,
        ...headers,
      };
      if (all.authorization === '') delete all.authorization;
      const res = await request(new URL(path, http.url), {
        method: 'POST',
        headers: all,
        body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });
      return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
    },
    close: () => http.close(),
  };
}

/** A tools/call request. */
export const toolCall = (name: string, args: Record<string, unknown>, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

/** The JSON-RPC message of an answer, whether sent as JSON or as one server-sent event. */
export function rpcOf(text: string): {
  result?: { isError?: boolean; content?: Array<{ text?: string }>; structuredContent?: unknown };
  error?: { code: number; message: string };
} {
  const data =
    text.startsWith('event:') || text.startsWith('data:')
      ? text
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5))
          .join('\n')
      : text;
  return JSON.parse(data) as ReturnType<typeof rpcOf>;
}

/** The text content of a tool's answer. */
export const resultText = (text: string): string =>
  (rpcOf(text).result?.content ?? []).map((c) => c.text ?? '').join('\n');
