// The MCP server over streamable HTTP, driven by the SDK's own client against the whole stack
// (real Temporal dev server, worker, NetSuite sandbox, gateway): an assistant finds a parked
// order, reads why, and retries it once the mapping is fixed; tokens and scopes are enforced by
// the server; resync acts only on its own preview's confirmation token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  encodeForm,
  buildIpnFields,
  postNotification,
  signedIpn,
  withField,
} from '../../sandbox/twocheckout/sender.js';
import { newCardOrder, unmappedProductOrder } from '../../sandbox/twocheckout/scenarios.js';
import { REDACTED } from '../../mcp/personal-data.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';
import { startMcpOver, TOKENS, type McpUnderTest } from './support.js';

const stack = useTestStack();
let mcp: McpUnderTest;
let reader: Client;
let writer: Client;
let piiReader: Client;
const refNo = (n: number) => String(76_000_000 + Math.floor(Math.random() * 900_000) * 10 + n);
const synced = refNo(1);
const parked = refNo(2);

const post = (order: Parameters<typeof signedIpn>[0]) =>
  postNotification(stack.ipnUrl, signedIpn(order, SECRET_KEY), { secretKey: SECRET_KEY });
const ledger = (ref: string, type: string) =>
  stack.sandbox.records(type).filter((r) => String(r.externalId ?? '').endsWith(`-${ref}`));
type Structured = Record<string, unknown> & { records?: Array<{ type: string; id: string; amount?: string }> };
const text = (r: { content?: unknown }) =>
  ((r.content as Array<{ type: string; text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');

beforeAll(async () => {
  mcp = await startMcpOver(stack);
  [reader, writer, piiReader] = await Promise.all([
    mcp.connect('reader'),
    mcp.connect('writer'),
    mcp.connect('piiReader'),
  ]);
  for (const ipn of newCardOrder(synced)) expect((await post(ipn)).receiptValid).toBe(true);
  expect((await post(unmappedProductOrder(parked))).receiptValid).toBe(true);
  await stack.waitForOrder(synced, (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'));
  await stack.waitForOrder(parked, (s) => s.syncStatus === 'NeedsAttention');
});
afterAll(async () => {
  await mcp?.close();
});

describe('MCP over streamable HTTP', () => {
  it('lists the eight tools with input and output schemas and honest annotations', async () => {
    const { tools } = await writer.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'list_stuck',
      'payout_report',
      'preview_order',
      'reconciliation_report',
      'resync',
      'retry',
      'skip',
      'sync_status',
    ]);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const t of tools) {
      expect(t.outputSchema, t.name).toBeDefined();
      expect(t.inputSchema.type).toBe('object');
    }
    for (const name of ['sync_status', 'list_stuck', 'preview_order', 'reconciliation_report', 'payout_report'])
      expect(byName[name]!.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      });
    expect(byName.retry!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(byName.skip!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.resync!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
    });
    expect(byName.skip!.inputSchema.required).toEqual(expect.arrayContaining(['ref', 'reason']));
  });

  it('sync_status of a synced order: state, NetSuite records with ids and amounts, journal, link; personal data only with pii:read', async () => {
    const res = await reader.callTool({ name: 'sync_status', arguments: { ref: synced } });
    expect(res.isError).toBeFalsy();
    const s = res.structuredContent as Structured;
    const so = ledger(synced, 'salesOrder');
    expect(so).toHaveLength(1);
    expect(s).toMatchObject({
      workflowId: `order/${synced}`,
      syncStatus: 'Synced',
      executionStatus: 'RUNNING',
      completedSteps: ['customer', 'salesOrder', 'invoice', 'payment'],
    });
    expect(s.records).toContainEqual(
      expect.objectContaining({ type: 'salesOrder', id: String(so[0]!.id), amount: expect.any(String) }),
    );
    expect(Number(s.records!.find((r) => r.type === 'salesOrder')!.amount)).toBe(Number(so[0]!.total));
    expect(s.records!.map((r) => r.type)).toEqual(['customer', 'salesOrder', 'invoice', 'customerPayment']);
    expect(s.url).toBe(`http://localhost:8233/namespaces/default/workflows/order%2F${synced}`);
    expect((s.journal as unknown[]).length).toBeGreaterThan(0);
    expect(text(res)).toContain(`salesOrder ${String(so[0]!.id)}`);

    const email = newCardOrder(synced)[0]!.customer.email!;
    expect(s.customer).toMatchObject({ email: REDACTED, fullName: REDACTED });
    expect(JSON.stringify(res)).not.toContain(email);
    const withPii = await piiReader.callTool({ name: 'sync_status', arguments: { ref: synced } });
    expect((withPii.structuredContent as { customer: { email: string } }).customer.email).toBe(email);
  });

  it('sync_status of a parked order says why and what to do; list_stuck lists it', async () => {
    const res = await reader.callTool({ name: 'sync_status', arguments: { ref: parked } });
    expect(res.structuredContent).toMatchObject({
      syncStatus: 'NeedsAttention',
      park: {
        step: 'salesOrder',
        reason: 'UNMAPPED_PRODUCT',
        path: 'lines[0].productCode',
        suggestedFix: expect.stringContaining('config/mappings.yaml'),
      },
    });
    expect(text(res)).toMatch(/PARKED at salesOrder: UNMAPPED_PRODUCT/);
    expect(text(res)).toContain('NEW-GADGET-X');

    const list = await reader.callTool({
      name: 'list_stuck',
      arguments: { reason: 'unmapped_product', kind: 'order' },
    });
    expect(list.isError).toBeFalsy();
    const out = list.structuredContent as { query: string; syncs: Array<{ ref: string }> };
    expect(out.query).toBe(
      `SyncStatus = 'NeedsAttention' AND ParkReason = 'UNMAPPED_PRODUCT' AND EntityKind = 'order'`,
    );
    // Visibility is eventually consistent.
    let syncs = out.syncs;
    for (let i = 0; i < 50 && !syncs.some((x) => x.ref === parked); i++) {
      await new Promise((r) => setTimeout(r, 200));
      syncs = (
        (await reader.callTool({ name: 'list_stuck', arguments: { reason: 'UNMAPPED_PRODUCT' } }))
          .structuredContent as typeof out
      ).syncs;
    }
    expect(syncs).toContainEqual(
      expect.objectContaining({ ref: parked, reason: 'UNMAPPED_PRODUCT', step: 'salesOrder' }),
    );
  });

  it('preview_order shows what an IPN would post and writes nothing', async () => {
    const ref = refNo(3);
    const res = await reader.callTool({
      name: 'preview_order',
      arguments: { ipn: encodeForm(buildIpnFields(unmappedProductOrder(ref))) },
    });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toMatchObject({
      refNo: ref,
      wouldPark: { reason: 'UNMAPPED_PRODUCT', path: 'lines[0].productCode' },
    });
    const ok = await reader.callTool({
      name: 'preview_order',
      arguments: { ipn: encodeForm(buildIpnFields(newCardOrder(ref)[2]!)) },
    });
    const records = (ok.structuredContent as { records: Array<{ recordType: string; body: Record<string, unknown> }> })
      .records;
    expect(records.map((r) => r.recordType)).toEqual(['customer', 'salesOrder', 'invoice', 'customerPayment']);
    expect(records[0]!.body.email).toBe(REDACTED);
    expect(ledger(ref, 'salesOrder')).toHaveLength(0);
    expect(ledger(ref, 'customer')).toHaveLength(0);
  });

  it('a read-only token calling retry gets an authorization error and nothing changes', async () => {
    const before = await stack.orderState(parked);
    // The SDK answers 403 insufficient_scope naming the one scope needed, before the tool runs.
    const err = await reader.callTool({ name: 'retry', arguments: { ref: parked } }).then(
      () => undefined,
      (e: unknown) => e as { name: string; requiredScope?: string },
    );
    expect(err).toMatchObject({ name: 'InsufficientScopeError', requiredScope: 'sync:write' });
    const raw = await fetch(mcp.http.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${TOKENS.reader}`,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'skip', arguments: { ref: parked, reason: 'no scope for this' } },
      }),
    });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="sync:write"/);
    const after = await stack.orderState(parked);
    expect(after.park).toEqual(before.park);
    expect(after.journal).toEqual(before.journal);
    expect(mcp.audit.lines()).toContainEqual(
      expect.objectContaining({ tool: 'retry', by: 'reader', outcome: 'unauthorized', ref: parked }),
    );
  });

  it('malformed input gets a clear validation error naming the field', async () => {
    const bad = await reader
      .callTool({ name: 'list_stuck', arguments: { kind: 'orders' } })
      .catch((err: unknown) => ({ thrown: err }));
    const message = 'thrown' in bad ? String((bad.thrown as Error).message) : text(bad);
    expect(message).toMatch(/kind/);
    expect(message).toMatch(/order|subscription/);
    const noReason = await writer
      .callTool({ name: 'skip', arguments: { ref: parked } })
      .catch((err: unknown) => ({ thrown: err }));
    expect('thrown' in noReason ? String((noReason.thrown as Error).message) : text(noReason)).toMatch(/reason/);
    // A body that is not a valid IPN: the answer names the IPN field.
    const ipn = encodeForm(withField(buildIpnFields(newCardOrder(refNo(4))[2]!), 'CURRENCY', 'dollars'));
    const badIpn = await reader.callTool({ name: 'preview_order', arguments: { ipn } });
    expect(badIpn.isError).toBe(true);
    expect(text(badIpn)).toMatch(/^The IPN cannot be read: .*CURRENCY/);
    expect((await stack.orderState(parked)).syncStatus).toBe('NeedsAttention');
  });

  it('retry after fixing the mapping syncs the parked order once, recorded in the journal as by the token', async () => {
    expect(ledger(parked, 'salesOrder')).toHaveLength(0);
    const config = structuredClone(stack.mappings.config);
    config.products.rules.push({ code: 'NEW-GADGET-X', item: '112' } as (typeof config.products.rules)[number]);
    stack.mappings.config = config;

    const res = await writer.callTool({
      name: 'retry',
      arguments: { ref: parked, reason: 'added NEW-GADGET-X to the mapping' },
    });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toMatchObject({
      action: 'retry',
      outcome: 'accepted',
      step: 'salesOrder',
      workflowId: `order/${parked}`,
      by: 'writer (via MCP)',
    });
    const done = await stack.waitForOrder(
      parked,
      (s) => s.syncStatus === 'Synced' && s.completedSteps.includes('payment'),
    );
    expect(ledger(parked, 'salesOrder')).toHaveLength(1);
    expect(ledger(parked, 'invoice')).toHaveLength(1);
    expect(ledger(parked, 'customerPayment')).toHaveLength(1);
    expect(done.journal).toContainEqual(
      expect.objectContaining({
        what: 'step salesOrder retried by operator',
        detail: 'added NEW-GADGET-X to the mapping by writer (via MCP)',
      }),
    );
    expect(mcp.audit.lines()).toContainEqual(
      expect.objectContaining({
        tool: 'retry',
        by: 'writer',
        outcome: 'accepted',
        workflowId: `order/${parked}`,
        step: 'salesOrder',
      }),
    );

    // Nothing is parked any more: a second retry is refused by the workflow, and changes nothing.
    const again = await writer.callTool({ name: 'retry', arguments: { ref: parked } });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/nothing is parked/);
    expect(ledger(parked, 'salesOrder')).toHaveLength(1);
  });

  it('resync acts only on the confirmation token of its own preview', async () => {
    const reason = 'sales order deleted in NetSuite by mistake';
    const journalBefore = (await stack.orderState(synced)).journal.length;
    const preview = await writer.callTool({ name: 'resync', arguments: { ref: synced, reason } });
    expect(preview.isError).toBeFalsy();
    const p = preview.structuredContent as {
      outcome: string;
      confirmationToken: string;
      preview: { wouldPost: Array<{ recordType: string }>; existingRecords: unknown[] };
    };
    expect(p.outcome).toBe('preview');
    expect(p.preview.wouldPost.map((r) => r.recordType)).toEqual([
      'customer',
      'salesOrder',
      'invoice',
      'customerPayment',
    ]);
    expect(p.preview.existingRecords).toHaveLength(4);
    expect(p.confirmationToken).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);

    // Without a valid token: refused, and nothing happens.
    for (const bad of ['not-a-token', `${p.confirmationToken.split('.')[0]!}.${'A'.repeat(43)}`]) {
      const refused = await writer.callTool({
        name: 'resync',
        arguments: { ref: synced, reason, confirmationToken: bad },
      });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/resync refused, nothing was done/);
    }
    // A token is bound to the reason it was previewed with.
    const otherReason = await writer.callTool({
      name: 'resync',
      arguments: { ref: synced, reason: 'something else entirely', confirmationToken: p.confirmationToken },
    });
    expect(otherReason.isError).toBe(true);
    expect((await stack.orderState(synced)).journal).toHaveLength(journalBefore);

    const done = await writer.callTool({
      name: 'resync',
      arguments: { ref: synced, reason, confirmationToken: p.confirmationToken },
    });
    expect(done.structuredContent).toMatchObject({ outcome: 'accepted', action: 'resync' });
    const state = await stack.waitForOrder(
      synced,
      (s) => s.journal.some((j) => j.what === 'resync requested by operator') && s.syncStatus === 'Synced',
    );
    expect(state.journal).toContainEqual(
      expect.objectContaining({ what: 'resync requested by operator', detail: `${reason} by writer (via MCP)` }),
    );
    // Found by externalId and adopted: still one of each.
    expect(ledger(synced, 'salesOrder')).toHaveLength(1);
    expect(ledger(synced, 'invoice')).toHaveLength(1);

    // Single use (issue 24, item 4): the same token again is refused and nothing happens…
    const journalAfter = (await stack.orderState(synced)).journal.length;
    const again = await writer.callTool({
      name: 'resync',
      arguments: { ref: synced, reason, confirmationToken: p.confirmationToken },
    });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(
      /resync refused, nothing was done: the confirmation token (was already used|does not match)/,
    );
    // …also by a server that knows nothing of the first use (a restart with the same key): the
    // journal now holds the resync the token confirmed, so the token matches the sync no more.
    const restarted = await startMcpOver(stack);
    try {
      const fresh = await restarted.connect('writer');
      const replayed = await fresh.callTool({
        name: 'resync',
        arguments: { ref: synced, reason, confirmationToken: p.confirmationToken },
      });
      expect(replayed.isError).toBe(true);
      expect(text(replayed)).toMatch(/does not match this sync as it is now/);
    } finally {
      await restarted.close();
    }
    expect((await stack.orderState(synced)).journal).toHaveLength(journalAfter);
  });

  it('refuses requests without a valid token with 401 and a Bearer challenge', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const none = await fetch(mcp.http.url, { method: 'POST', headers, body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const wrong = await fetch(mcp.http.url, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${TOKENS.reader}x` },
      body,
    });
    expect(wrong.status).toBe(401);
    // The SDK's client without a token cannot even connect.
    const anonymous = new Client({ name: 'anonymous', version: '1.0.0' });
    const refused = await anonymous.connect(new StreamableHTTPClientTransport(new URL(mcp.http.url))).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(refused).toMatchObject({ name: 'SdkHttpError', data: { status: 401 } });
    expect(refused!.message).toContain('invalid_token');
  });
});
