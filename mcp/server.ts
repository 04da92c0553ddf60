// One MCP server with the sync tools. Built per HTTP request (stateless serving) or once for stdio;
// the caller of each request comes from `principal`.
import { McpServer } from '@modelcontextprotocol/server';
import type { PrincipalResolver, ToolDeps } from './tools/context.js';
import { registerReadTools } from './tools/read-tools.js';
import { registerReportTools } from './tools/report-tools.js';
import { registerWriteTools } from './tools/write-tools.js';
import { registerActionTools } from './tools/action-tools.js';

export const SERVER_INFO = { name: '2checkout-netsuite-sync', version: '0.1.0' } as const;

const INSTRUCTIONS = `Tools for the 2Checkout → NetSuite sync. Start with sync_status (one order by REFNO, or a
subscription by licence code) or list_stuck (what needs a person). preview_order shows what an IPN
would post, without writing. reconciliation_report (a day's completeness ledger) and payout_report
(one payout, or the list) read what reconciliation and the payout sync recorded; they start nothing. retry, skip and resync act through the sync's workflow and are recorded
in its journal with your name; skip and resync need a reason; resync needs the confirmation token
from its own preview. request_refund and request_subscription_action ask for an act in 2Checkout
that another person must approve (approve_request, a person's token only); list_requests shows them.
Show the person what you are about to do before calling a write tool.`;

/** Said when retry, skip and resync are not offered, so an assistant tells the person instead of trying them. */
const READ_ONLY_NOTE = `\nThis server is read-only for you: retry, skip and resync need the sync:write scope (over stdio,
MCP_SCOPES=sync:read,sync:write; over HTTP, a token with sync:write).`;

export function createSyncMcpServer(deps: ToolDeps, principal: PrincipalResolver): McpServer {
  const instructions = deps.writeTools ? INSTRUCTIONS : `${INSTRUCTIONS}${READ_ONLY_NOTE}`;
  const server = new McpServer(SERVER_INFO, { instructions, maxToolInputElements: 10_000 });
  registerReadTools(server, deps, principal);
  registerReportTools(server, deps, principal);
  if (deps.writeTools) registerWriteTools(server, deps, principal);
  if (deps.moneyTools) registerActionTools(server, deps, principal);
  return server;
}
