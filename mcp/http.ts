// The MCP server over streamable HTTP, for a team. In the order a request meets them:
//  1. the Host header must name this server (MCP_ALLOWED_HOSTS; loopback names always), and a
//     browser's Origin one it is told to trust (MCP_ALLOWED_ORIGINS): a web page that rebinds its
//     own name to this address, or calls it from elsewhere, gets 403;
//  2. at most MCP_ADDRESS_RATE_LIMIT requests a minute per client address, authenticated or not;
//  3. a bearer token (mcp/auth.ts), checked before the body is read: 401 otherwise;
//  4. the caller's own rate limit (429), then the JSON body (at most 1 MB) and the tools, each of
//     which checks the caller's scopes itself.
// With an identity provider (MCP_AUTH=oidc) it publishes its protected resource metadata
// (RFC 9728) at /.well-known/oauth-protected-resource[/mcp] and names it in every challenge.
// Stateless: each request gets a fresh server, so nothing is kept between calls. Every answer,
// refusals included, is JSON that names the problem.
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { ConfigError } from '../shared/config.js';
import { anyWriter, type McpConfig } from './config.js';
import { callerVerifier, perAddressRateLimit, perCallerRateLimit, principalOf, requireCaller } from './auth.js';
import { ALL_SCOPES } from './scopes.js';
import { createSyncMcpServer, SERVER_INFO } from './server.js';
import type { ToolDeps } from './tools/context.js';

export const MCP_PATH = '/mcp';
const JSON_LIMIT = '1mb';

export interface RunningMcpHttp {
  url: string;
  /** The protected resource metadata document's URL, when an identity provider is configured. */
  resourceMetadataUrl?: string;
  close(): Promise<void>;
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });
const MAX_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max` (without recursing itself). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
  }
  return false;
}

export async function startMcpHttpServer(
  config: McpConfig,
  deps: Omit<ToolDeps, 'writeTools'>,
  logger: Logger,
  opts: { fetch?: typeof fetch } = {},
): Promise<RunningMcpHttp> {
  const writeTools = anyWriter(config);
  const handler = createMcpHandler(
    () => createSyncMcpServer({ ...deps, writeTools }, (ctx) => principalOf(ctx.http?.authInfo)),
    {
      onerror: (err) => logger.warn({ err: err.message }, 'mcp request failed'),
    },
  );
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(hostHeaderValidation(config.allowedHosts));
  app.use(originValidation(config.allowedOrigins));
  app.use(perAddressRateLimit(config.addressRatePerMinute));

  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 hands a listen error to the callback as well as emitting it.
    const failed = (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigError(`MCP_PORT ${config.port} on ${config.host} is in use: set MCP_PORT to a free port`)
          : err,
      );
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? failed(err) : resolve(s)));
  });
  // Requests Node refuses before Express sees them (headers too large, not HTTP): still JSON that says why.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, why] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are too large']
        : [400, 'the request is not valid HTTP'];
    const body = JSON.stringify(rpcError(-32600, why));
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}${MCP_PATH}`;
  const resource = config.publicUrl ?? url;

  // Static tokens only: no authorization server, so no metadata is advertised (a client could not
  // obtain a token from one anyway).
  let resourceMetadataUrl: string | undefined;
  if (config.auth.oidc) {
    resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(resource));
    // RFC 9728 §3: the document lives at the well-known path with the resource's path appended;
    // the bare path is served too, for clients that probe the origin. Written out here: the SDK's
    // builder wants the authorization server's full RFC 8414 metadata, and a resource server
    // needs only its issuer.
    const metadata = {
      resource,
      authorization_servers: [config.auth.oidc.issuer],
      scopes_supported: [...ALL_SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: `${SERVER_INFO.name} MCP server`,
    };
    const wellKnown = new URL(resourceMetadataUrl).pathname;
    app.get([...new Set([wellKnown, '/.well-known/oauth-protected-resource'])], (_req, res) => {
      res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'max-age=3600').json(metadata);
    });
  }

  const node = toNodeHandler(handler);
  app.all(
    MCP_PATH,
    requireCaller(callerVerifier(config, opts.fetch), {
      ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
      logger,
    }),
    perCallerRateLimit(config),
    express.json({ limit: JSON_LIMIT }),
    (req, res, next) => {
      // Validation downstream recurses: a body nested thousands deep would overflow the stack.
      if (nestedDeeperThan(req.body, MAX_DEPTH))
        return void res
          .status(400)
          .json(rpcError(-32600, `invalid request: the JSON nests deeper than ${MAX_DEPTH} levels`));
      next();
    },
    (req, res) => {
      void node(req, res, req.body).catch((err: unknown) => {
        logger.error({ err: (err as Error).message }, 'mcp request crashed');
        if (!res.headersSent)
          res.status(500).json(rpcError(-32603, 'internal error: the server could not answer this request (logged)'));
      });
    },
  );
  app.use((req, res) => {
    res
      .status(404)
      .json(
        rpcError(
          -32000,
          `not found: the MCP endpoint is ${MCP_PATH}${resourceMetadataUrl ? `, its metadata ${new URL(resourceMetadataUrl).pathname}` : ''}`,
        ),
      );
  });
  // The body parser's refusals (too large, not JSON, an unknown charset) as JSON-RPC errors.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large')
      return void res.status(413).json(rpcError(-32600, `the request body is larger than ${JSON_LIMIT.toUpperCase()}`));
    if (e.type === 'entity.parse.failed')
      return void res
        .status(400)
        .json(rpcError(-32700, `parse error: the body is not valid JSON (${e.message ?? 'unreadable'})`));
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      return void res
        .status(415)
        .json(rpcError(-32600, `unsupported body encoding: send UTF-8 JSON (${e.message ?? ''})`));
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
      return void res.status(e.status).json(rpcError(-32600, `bad request: ${e.message ?? 'unreadable body'}`));
    logger.error({ err: e.message }, 'mcp request failed before reaching a tool');
    res.status(500).json(rpcError(-32603, 'internal error: the server could not answer this request (logged)'));
  });
  return {
    url,
    ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
