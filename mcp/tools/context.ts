// What every tool gets: the Temporal client, where the Web UI is, the mapping file, the audit
// log and who is calling. Tools are thin: the work is done by operations/ (shared with the CLI)
// and mappings/preview.ts.
import type { Client } from '@temporalio/client';
import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { MappingConfig } from '../../mappings/config-schema.js';
import type { RequestQueues } from '../../operations/action-requests.js';
import { redactPersonalData } from '../personal-data.js';
import type { ConfirmationTokens } from '../confirmation.js';
import { AuthorizationError, hasScope, SCOPES, type Principal } from '../scopes.js';

export interface ToolDeps {
  client: Client;
  namespace: string;
  uiBase: string;
  /** The current mapping configuration (read when called, so a fixed file is seen at once). */
  mappings: () => MappingConfig;
  confirmations: ConfirmationTokens;
  /** Audit log: one line per write call (who, what, result). */
  audit: Logger;
  /** Offer retry/skip/resync at all (false when no caller could ever be allowed to write). */
  writeTools: boolean;
  /** Offer the action-request tools (when some caller holds money:request or money:approve). */
  moneyTools?: boolean;
  /** Task queues of action requests (tests use their own). */
  requestQueues?: RequestQueues;
}

/** Finds the caller of one request (HTTP: the verified token; stdio: the local user). */
export type PrincipalResolver = (ctx: ServerContext) => Principal | undefined;

/** An answer: a few lines a person reads, and the same facts as structured content. */
export function answer<T extends Record<string, unknown>>(text: string, structured: T): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** A refusal or failure the assistant should show the person as it is. */
export function refusal(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * Personal data stays out of answers unless the caller holds pii:read. `about`: what the answer
 * describes (e.g. the order event), whose personal values are hidden in its free text too.
 */
export function forCaller<T>(p: Principal, value: T, extraKeys?: ReadonlySet<string>, ...about: unknown[]): T {
  return hasScope(p, SCOPES.pii) ? value : redactPersonalData(value, extraKeys, ...about);
}

export function callerOf(resolve: PrincipalResolver, ctx: ServerContext): Principal {
  const p = resolve(ctx);
  // The HTTP entry refuses unauthenticated requests before they reach a tool; this is the backstop.
  if (!p) throw new AuthorizationError('an anonymous caller', SCOPES.read, 'every tool');
  return p;
}
