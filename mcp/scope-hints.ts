// A caller without sync:write is not offered retry, skip and resync, nor the action requests
// without a money scope (they are absent from tools/list), but an assistant that knows of them from
// the server's instructions or an earlier session still calls them. The SDK answers such a call "Tool retry not found", a dead end; this
// transport answers it instead with what to set to get the tool.
import { isJSONRPCRequest, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { SCOPES, type Scope } from './scopes.js';

/** The tools a caller is offered only with a scope (tools/write-tools.ts, tools/action-tools.ts). */
const TOOL_SCOPES: Record<string, Scope> = {
  retry: SCOPES.write,
  skip: SCOPES.write,
  resync: SCOPES.write,
  request_refund: SCOPES.moneyRequest,
  request_subscription_action: SCOPES.moneyRequest,
  list_requests: SCOPES.moneyRequest,
  approve_request: SCOPES.moneyApprove,
  reject_request: SCOPES.moneyApprove,
};

/**
 * The answer to a call, over stdio, of a tool this server does not offer (undefined for the rest):
 * which scope it needs and the MCP_SCOPES setting that adds it.
 */
export function stdioScopeHint(
  tool: string,
  offered: { writeTools: boolean; moneyTools: boolean },
): string | undefined {
  const needs = TOOL_SCOPES[tool];
  if (!needs || (needs === SCOPES.write ? offered.writeTools : offered.moneyTools)) return undefined;
  return (
    `${tool} needs the ${needs} scope, which this MCP server was not given: set ` +
    `MCP_SCOPES=${SCOPES.read},${needs} in the environment the assistant starts it with (npm run -s mcp), then restart it.`
  );
}

/**
 * Wraps a transport so that `tools/call` of a tool `hintFor` knows is answered with its hint (a
 * tool error the assistant shows the person) and never reaches the server; everything else passes.
 */
export function withScopeHints(inner: Transport, hintFor: (tool: string) => string | undefined): Transport {
  const outer: Transport = {
    start: () => {
      inner.onclose = () => outer.onclose?.();
      inner.onerror = (err) => outer.onerror?.(err);
      inner.onmessage = (message, extra) => {
        const hint =
          isJSONRPCRequest(message) && message.method === 'tools/call'
            ? hintFor(String(message.params?.name ?? ''))
            : undefined;
        if (hint === undefined || !isJSONRPCRequest(message)) {
          outer.onmessage?.(message, extra);
          return;
        }
        const answer: JSONRPCMessage = {
          jsonrpc: '2.0',
          id: message.id,
          result: { content: [{ type: 'text', text: hint }], isError: true },
        };
        inner
          .send(answer)
          .catch((err: unknown) => outer.onerror?.(err instanceof Error ? err : new Error(String(err))));
      };
      return inner.start();
    },
    send: (message, options) => inner.send(message, options),
    close: () => inner.close(),
    setProtocolVersion: (version) => inner.setProtocolVersion?.(version),
    setSupportedProtocolVersions: (versions) => inner.setSupportedProtocolVersions?.(versions),
  };
  return outer;
}
