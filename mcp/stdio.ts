// `npm run mcp`: the MCP server over stdio, for one person's local assistant. No token: the caller
// is the local user (MCP_USER, else OPS_USER, else the login name), with the scopes in MCP_SCOPES
// (default sync:read; add sync:write to retry/skip/resync, pii:read to see shoppers' details,
// money:request / money:approve for refund and subscription requests, docs/actions.md).
// stdout carries the protocol, so logs (the audit lines included) go to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { ConfigError } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { connectOpsClient } from '../operations/temporal-client.js';
import { loadMcpConfig, stdioPrincipal } from './config.js';
import { toolDeps } from './deps.js';
import { hasScope, SCOPES } from './scopes.js';
import { createSyncMcpServer } from './server.js';
import { stdioScopeHint, withScopeHints } from './scope-hints.js';

async function main(): Promise<void> {
  const logger = createLogger({ name: 'mcp', destination: process.stderr });
  const config = loadMcpConfig(process.env);
  const caller = stdioPrincipal(process.env);
  for (const w of config.warnings.filter((x) => !x.startsWith('MCP_CONFIRM_SECRET'))) logger.warn(w);
  const ops = connectOpsClient(process.env);
  const offered = {
    writeTools: hasScope(caller, SCOPES.write),
    moneyTools: hasScope(caller, SCOPES.moneyRequest) || hasScope(caller, SCOPES.moneyApprove),
  };
  const server = createSyncMcpServer({ ...toolDeps(config, ops, logger), ...offered }, () => caller);
  // A tool not offered for want of a scope answers with the MCP_SCOPES setting that adds it.
  const transport = withScopeHints(new StdioServerTransport(), (tool) => stdioScopeHint(tool, offered));
  const stop = async () => {
    await server.close();
    await ops.close();
    process.exit(0);
  };
  process.stdin.once('end', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await server.connect(transport);
  logger.info({ user: caller.name, scopes: [...caller.scopes], temporal: ops.address }, 'MCP server on stdio');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
