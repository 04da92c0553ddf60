// A caller without sync:write is not offered retry, skip and resync (they are absent from
// tools/list), but an assistant that knows of them from the server's instructions or an earlier
// session still calls them. The SDK answers such a call "Tool retry not found", a dead end; this
// transport answers it instead with what to set to get the tool.
import { isJSONRPCRequest, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { SCOPES } from './scopes.js';

/** The tools that need sync:write (registered by tools/write-tools.ts). */
export const WRITE_TOOLS: readonly string[] = ['retry', 'skip', 'resync'];

/** The answer to a call of a write tool over stdio without sync:write. */
export function stdioWriteScopeHint(tool: string): string {
  return (
    `${tool} needs the ${SCOPES.write} scope, which this MCP server was not given: set ` +
    `MCP_SCOPES=${SCOPES.read},${SCOPES.write} in the environment the assistant starts it with (npm run -s mcp), then restart it.`
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
        const hint = isJSONRPCRequest(message) && message.method === 'tools/call' ? hintFor(String(message.params?.name ?? '')) : undefined;
        if (hint === undefined || !isJSONRPCRequest(message)) {
          outer.onmessage?.(message, extra);
          return;
        }
        const answer: JSONRPCMessage = { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: hint }], isError: true } };
        inner.send(answer).catch((err: unknown) => outer.onerror?.(err instanceof Error ? err : new Error(String(err))));
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
