// `npm run mcp` (stdio) as a local assistant runs it: a child process, credentials and scopes from
// the environment, driven by the SDK's own stdio client against the whole stack.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import {
  licenseRefFor,
  newCardOrder,
  subscriptionOrder,
  unmappedProductOrder,
} from '../../sandbox/twocheckout/scenarios.js';
import { subscriptionStateQuery, subscriptionWorkflowId } from '../../workflows/messages.js';
import { eventually } from '../support/temporal.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';

const stack = useTestStack();
const clients: Client[] = [];
const refNo = (n: number) => String(75_000_000 + Math.floor(Math.random() * 900_000) * 10 + n);
const synced = refNo(1);
const parked = refNo(2);
const subscribed = refNo(3);
const licence = licenseRefFor(subscribed);
const post = (order: Parameters<typeof signedIpn>[0]) =>
  postNotification(stack.ipnUrl, signedIpn(order, SECRET_KEY), { secretKey: SECRET_KEY });
const ledger = (ref: string, type: string) =>
  stack.sandbox.records(type).filter((r) => String(r.externalId ?? '').endsWith(`-${ref}`));
const text = (r: { content?: unknown }) =>
  ((r.content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');

async function stdioClient(env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'mcp-stdio-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'mcp/stdio.ts'],
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: 'default',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stderr: 'pipe',
    }),
  );
  clients.push(client);
  return client;
}

beforeAll(async () => {
  for (const ipn of newCardOrder(synced)) expect((await post(ipn)).receiptValid).toBe(true);
  expect((await post(unmappedProductOrder(parked))).receiptValid).toBe(true);
  expect((await post(subscriptionOrder(subscribed))).receiptValid).toBe(true);
  await stack.waitForOrder(synced, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
  await stack.waitForOrder(parked, (s) => s.syncStatus === 'NeedsAttention');
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
});

describe('MCP over stdio (npm run mcp)', () => {
  it('read-only by default: lists only the read tools and answers sync_status of a synced and a parked order', async () => {
    const client = await stdioClient({ MCP_USER: 'bob' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'list_stuck',
      'payout_report',
      'preview_order',
      'reconciliation_report',
      'sync_status',
    ]);

    const ok = await client.callTool({ name: 'sync_status', arguments: { ref: synced } });
    expect(ok.structuredContent).toMatchObject({ syncStatus: 'Synced', workflowId: `order/${synced}` });
    expect(text(ok)).toMatch(new RegExp(`salesOrder ${String(ledger(synced, 'salesOrder')[0]!.id)}`));
    const bad = await client.callTool({ name: 'sync_status', arguments: { ref: parked } });
    expect(bad.structuredContent).toMatchObject({
      syncStatus: 'NeedsAttention',
      park: { reason: 'UNMAPPED_PRODUCT', step: 'salesOrder' },
    });

    const missing = await client.callTool({ name: 'sync_status', arguments: {} });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/ref/);
    const retry = await client.callTool({ name: 'retry', arguments: { ref: parked } }).then(
      (r) => text(r),
      (e: unknown) => String(e),
    );
    // Issue 28: a hint that names the setting, not "Tool retry not found".
    expect(retry).toBe(
      'retry needs the sync:write scope, which this MCP server was not given: set MCP_SCOPES=sync:read,sync:write in the environment the assistant starts it with (npm run -s mcp), then restart it.',
    );
    const refund = await client.callTool({ name: 'request_refund', arguments: { ref: synced } });
    expect(refund.isError).toBe(true);
    expect(text(refund)).toMatch(
      /^request_refund needs the money:request scope, which this MCP server was not given: set MCP_SCOPES=sync:read,money:request/,
    );
    expect((await stack.orderState(parked)).syncStatus).toBe('NeedsAttention');
  });

  // Issue 28: sync_status said "NetSuite records: none yet." while the worker had upserted the record.
  it('sync_status of a subscription lists the NetSuite record its workflow wrote', async () => {
    const subscription = stack.env.client.workflow.getHandle(subscriptionWorkflowId(licence));
    const state = await eventually(
      () => subscription.query(subscriptionStateQuery).catch(() => undefined),
      (s) => (s?.netsuiteRecords.length ?? 0) > 0,
      30_000,
    );
    const written = state!.netsuiteRecords[0]!;
    const client = await stdioClient({ MCP_USER: 'bob' });
    const res = await client.callTool({ name: 'sync_status', arguments: { ref: licence } });
    expect(res.structuredContent).toMatchObject({
      workflowId: `subscription/${licence}`,
      records: [{ type: written.type, id: written.id }],
    });
    expect(text(res)).toContain(`NetSuite records:\n  ${written.type} ${written.id}`);
    expect(text(res)).not.toMatch(/none yet/);
  });

  it('with MCP_SCOPES including sync:write, retry after fixing the mapping syncs the order once, journalled as the local user', async () => {
    const client = await stdioClient({ MCP_USER: 'alice', MCP_SCOPES: 'sync:read,sync:write' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['retry', 'skip', 'resync']));

    const config = structuredClone(stack.mappings.config);
    config.products.rules.push({ code: 'NEW-GADGET-X', item: '112' } as (typeof config.products.rules)[number]);
    stack.mappings.config = config;
    const res = await client.callTool({ name: 'retry', arguments: { ref: parked, reason: 'mapped the gadget' } });
    expect(res.structuredContent).toMatchObject({ outcome: 'accepted', step: 'salesOrder', by: 'alice (via MCP)' });
    const done = await stack.waitForOrder(
      parked,
      (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'),
    );
    expect(ledger(parked, 'salesOrder')).toHaveLength(1);
    expect(done.journal).toContainEqual(
      expect.objectContaining({
        what: 'step salesOrder retried by operator',
        detail: 'mapped the gadget by alice (via MCP)',
      }),
    );

    const refused = await client.callTool({
      name: 'resync',
      arguments: { ref: synced, reason: 'checking', confirmationToken: 'made-up' },
    });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/resync refused, nothing was done: the confirmation token is malformed/);
  });
});
