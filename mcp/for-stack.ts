// The MCP HTTP server as `npm start` runs it. With no tokens configured (a fresh clone), it makes
// one local token with sync:read, sync:write and money:request and keeps it in .data/mcp-token
// (owner-only file), so an assistant on this machine can find, explain and retry the demo's parked
// order and ask for a refund (a person approves it with npm run ops); the token itself is never
// printed or logged. An existing token file that other users could read (or that is a link, or
// someone else's) is refused: the token in it must be taken as known. Configure
// MCP_TOKENS / MCP_TOKENS_FILE or MCP_AUTH=oidc for anything shared.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../shared/config.js';
import { ensurePrivateDir, weakSecretFile } from '../shared/private-files.js';
import { connectOpsClient } from '../operations/temporal-client.js';
import { uiBaseUrl } from '../operations/web-ui.js';
import { loadMcpConfig, sha256Hex } from './config.js';
import { toolDeps } from './deps.js';
import { startMcpHttpServer } from './http.js';
import { SCOPES } from './scopes.js';

export interface StackMcp {
  url: string;
  /** One line for the banner: where the token is and what it may do. */
  note: string;
  close(): Promise<void>;
}

/**
 * Validates the MCP configuration now (so `npm start` fails before starting anything else) and
 * returns the starter to call once Temporal's address is known.
 */
export function prepareMcpForStack(opts: {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  dataDir: string;
  repoRoot: string;
}): (env: NodeJS.ProcessEnv) => Promise<StackMcp> {
  const env = { ...opts.env };
  let note = 'tokens from MCP_TOKENS';
  const staticTokens = (env.MCP_AUTH ?? 'tokens').toLowerCase().includes('tokens');
  if (!staticTokens) note = `sign-on through ${env.MCP_OIDC_ISSUER ?? 'the identity provider'} (MCP_AUTH=oidc)`;
  else if (!env.MCP_TOKENS?.trim() && !env.MCP_TOKENS_FILE?.trim()) {
    const file = join(opts.dataDir, 'mcp-token');
    ensurePrivateDir(opts.dataDir);
    // `wx`: never through a file (or link) someone put there meanwhile.
    if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    const weak = weakSecretFile(file, relative(opts.repoRoot, file) || file);
    if (weak) throw new ConfigError(weak);
    const token = readFileSync(file, 'utf8').trim();
    // An assistant on this machine may ask for refunds (money:request) but never approve them:
    // approvals come from a person (npm run ops -- approve, or a token with money:approve).
    env.MCP_TOKENS = JSON.stringify([
      {
        name: env.MCP_USER?.trim() || 'local-assistant',
        sha256: sha256Hex(token),
        scopes: [SCOPES.read, SCOPES.write, SCOPES.moneyRequest],
      },
    ]);
    note = `bearer token in ${file.startsWith(`${opts.repoRoot}/`) ? relative(opts.repoRoot, file) : file}; scopes ${SCOPES.read} ${SCOPES.write} ${SCOPES.moneyRequest}`;
  } else if (env.MCP_TOKENS_FILE?.trim()) note = `tokens from ${env.MCP_TOKENS_FILE}`;
  const config = loadMcpConfig(env);
  // One process serves the local stack: confirmations signed with its own key are what it needs.
  for (const w of config.warnings) {
    if (w.startsWith('MCP_CONFIRM_SECRET')) opts.logger.info(w);
    else opts.logger.warn(w);
  }
  return async (stackEnv) => {
    const ops = connectOpsClient(stackEnv);
    const audit = opts.logger.child({ component: 'mcp' });
    // The Web UI links follow the stack's own UI (npm start may have chosen its port).
    const http = await startMcpHttpServer(
      config,
      toolDeps({ ...config, uiBase: uiBaseUrl(stackEnv) }, ops, audit),
      audit,
    );
    return {
      url: http.url,
      note,
      async close() {
        await http.close();
        await ops.close();
      },
    };
  };
}
