// The MCP server over streamable HTTP, for a team: every request needs a bearer token from the
// configuration (401 otherwise), is rate-limited per token (429), and each tool checks the token's
// scopes itself. Stateless: each request gets a fresh server, so nothing is kept between calls.
import type { Server } from 'node:http';
import { createMcpExpressApp, requireBearerAuth } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { ConfigError } from '../shared/config.js';
import { anyWriteToken, type McpConfig } from './config.js';
import { perTokenRateLimit, principalOf, tokenVerifier } from './auth.js';
import { createSyncMcpServer } from './server.js';
import type { ToolDeps } from './tools/context.js';

export interface RunningMcpHttp {
  url: string;
  close(): Promise<void>;
}

export async function startMcpHttpServer(config: McpConfig, deps: Omit<ToolDeps, 'writeTools'>, logger: Logger): Promise<RunningMcpHttp> {
  const writeTools = anyWriteToken(config.tokens);
  const handler = createMcpHandler(() => createSyncMcpServer({ ...deps, writeTools }, (ctx) => principalOf(ctx.http?.authInfo)), {
    onerror: (err) => logger.warn({ err: err.message }, 'mcp request failed'),
  });
  const app = createMcpExpressApp({ host: config.host, jsonLimit: '1mb' });
  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 hands a listen error to the callback as well as emitting it.
    const failed = (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`MCP_PORT ${config.port} on ${config.host} is in use: set MCP_PORT to a free port`) : err);
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? failed(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/mcp`;
  // Static tokens, no authorization server: so no Protected Resource Metadata URL is advertised in
  // the challenges (a client could not obtain a token from one anyway).
  const auth = requireBearerAuth({ verifier: tokenVerifier(config.tokens) });
  const node = toNodeHandler(handler);
  app.all('/mcp', auth, perTokenRateLimit(config.tokens), (req, res) => {
    void node(req, res, req.body).catch((err: unknown) => {
      logger.error({ err: (err as Error).message }, 'mcp request crashed');
      if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'internal error' }, id: null });
    });
  });
  return {
    url,
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
