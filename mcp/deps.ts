// The tools' dependencies from the environment: the Temporal client (same variables as the worker
// and the ops scripts), the mapping file, the resync confirmation key and the audit log.
import type { Logger } from 'pino';
import { loadMappingConfig } from '../mappings/config-loader.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import type { OpsClient } from '../operations/temporal-client.js';
import { ConfirmationTokens } from './confirmation.js';
import type { McpConfig } from './config.js';
import { SCOPES } from './scopes.js';
import type { ToolDeps } from './tools/context.js';

export function toolDeps(
  config: McpConfig,
  ops: Pick<OpsClient, 'client' | 'namespace'>,
  audit: Logger,
): Omit<ToolDeps, 'writeTools'> {
  return {
    client: ops.client,
    namespace: ops.namespace,
    uiBase: config.uiBase,
    mappings: mappingReader(config.mappingsFile),
    confirmations: new ConfirmationTokens(config.confirmSecret, config.confirmTtlMs),
    audit,
    moneyTools: config.tokens.some(
      (t) => t.scopes.includes(SCOPES.moneyRequest) || t.scopes.includes(SCOPES.moneyApprove),
    ),
  };
}

/** Reads the mapping file when it changed (an operator fixing it is seen by the next call). */
function mappingReader(file: string): () => MappingConfig {
  let cached: MappingConfig | undefined;
  let at = 0;
  return () => {
    // The loader validates; a broken file is reported to the caller rather than half-used.
    const now = Date.now();
    if (!cached || now - at > 1_000) {
      cached = loadMappingConfig(file);
      at = now;
    }
    return cached;
  };
}
