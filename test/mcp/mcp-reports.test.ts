// The report tools over streamable HTTP, driven by the SDK's own client against the whole stack
// (real Temporal, workers, NetSuite sandbox, gateway, 2Checkout API sandboxes): a reconciled day's
// report is the ledger the reconciliation produced; a day nobody reconciled says so and starts
// nothing; a posted payout's report is what `npm run payouts -- report|list` prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { pino } from 'pino';
import { createPayoutActivities } from '../../activities/payout-activities.js';
import type { CompletenessLedger } from '../../mappings/completeness.js';
import { payoutWorkflowId } from '../../workflows/messages.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import {
  postNotification,
  signedIpn,
  type IpnOrderInput,
  type NotificationInput,
} from '../../sandbox/twocheckout/sender.js';
import { cardOrder, eurOrder } from '../../sandbox/twocheckout/scenarios.js';
import { runPayoutsCli } from '../../scripts/lib/payouts/payouts-cli.js';
import {
  ApiRateLimiter,
  createPayoutsApi,
  createTwoCheckoutApiClient,
  type TwoCheckoutApiClient,
} from '../../twocheckout/rest/index.js';
import type { PayoutSyncState, PayoutWorkflowInput } from '../../workflows/payout-messages.js';
import { startCompletenessStack, type CompletenessStack } from '../support/completeness.js';
import { SECRET_KEY, demoMappings } from '../support/stack.js';
import { eventually } from '../support/temporal.js';
import { captureIo } from '../ops/support.js';
import { startMcpOver, type McpUnderTest } from './support.js';

const PAYOUT_VENDOR = 'MCPPAYOUTVENDOR';
const PAYOUT_KEY = 'mcp-payout-api-key';
let payoutApi: ApiSandbox;
let payoutClient: TwoCheckoutApiClient;
let s: CompletenessStack;
let mcp: McpUnderTest;
let reader: Client;

const text = (r: { content?: unknown }) =>
  ((r.content as Array<{ type: string; text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');
const ipn = (input: IpnOrderInput): NotificationInput => ({ kind: 'ipn', input });
const at = (day: string, hour = 9) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
const reconcileRuns = async (day: string, status?: string) => {
  const ids: string[] = [];
  for await (const w of s.env.client.workflow.list({ query: "WorkflowType = 'reconcileDayWorkflow'" })) {
    if (w.workflowId.startsWith(`reconcile/${day}/`) && (!status || w.status.name === status)) ids.push(w.workflowId);
  }
  return ids;
};
/** Waits until Temporal's visibility (eventually consistent) lists `n` finished runs of the day, so one tool call sees them. */
const finishedRunsVisible = (day: string, n: number) =>
  eventually(
    () => reconcileRuns(day, 'COMPLETED'),
    (ids) => ids.length >= n,
    30_000,
  );

beforeAll(async () => {
  payoutApi = await startTwoCheckoutApiSandbox({ vendorCode: PAYOUT_VENDOR, secretKey: PAYOUT_KEY });
  payoutClient = createTwoCheckoutApiClient({
    baseUrl: payoutApi.apiUrl,
    vendorCode: PAYOUT_VENDOR,
    secretKey: PAYOUT_KEY,
    algorithm: 'sha256',
    limiter: new ApiRateLimiter({ ratePerSecond: 500, concurrency: 4 }),
  });
  const mappings = demoMappings();
  mappings.payouts = { ...mappings.payouts, recheckEvery: '1s', waitForPayments: '10m' };
  s = await startCompletenessStack({
    mappings,
    extraActivities: ({ netsuite, mappings: provider }) =>
      createPayoutActivities({
        netsuite,
        mappings: provider,
        payouts: createPayoutsApi(payoutClient),
        logger: pino({ level: 'silent' }),
      }),
  });
  mcp = await startMcpOver(s);
  reader = await mcp.connect('reader');
}, 180_000);
afterAll(async () => {
  await mcp?.close();
  await s?.close();
  await payoutClient?.close();
  await payoutApi?.close();
});

describe('MCP report tools', () => {
  it('reconciliation_report of a reconciled day is the ledger that reconciliation produced (a later dry run does not replace it)', async () => {
    const day = '2025-09-15';
    const sent = await s.send(
      [ipn(cardOrder('8821001', 'COMPLETE', { at: at(day) })), ipn(eurOrder('8821002', { at: at(day, 10) }))],
      (n) => n.kind === 'ipn' && n.input.refNo === '8821002',
    );
    expect(sent.map((d) => d.dropped)).toEqual([false, true]);
    await s.waitForOrder('8821001', (st) => st.syncStatus === 'Synced', 60_000);
    const ledger: CompletenessLedger = await s.reconcile(day);
    expect(ledger.counts).toMatchObject({ matched: 1, healed: 1 });
    await s.reconcile(day, { dryRun: true });

    await finishedRunsVisible(day, 2);
    const res = await reader.callTool({ name: 'reconciliation_report', arguments: { date: day } });
    expect(res.isError, text(res)).toBeFalsy();
    const out = res.structuredContent as { ledger: CompletenessLedger; workflowId: string; runs: number; url: string };
    expect(out.ledger).toEqual({
      ...ledger,
      exceptions: ledger.exceptions.map((e) => ({
        ...e,
        url: expect.stringContaining(encodeURIComponent(e.workflowId)),
      })),
    });
    expect(out.workflowId).toMatch(new RegExp(`^reconcile/${day}/test-`));
    expect(out.runs).toBe(1);
    expect(text(res)).toContain(`${day}: complete\n`);
    expect(text(res)).toMatch(/^2Checkout\s+2\s+1\s+1\s+0\s+0\s+0$/m);
    expect(text(res)).toMatch(/^EUR\s+1\s+0\s+0\s+/m);
  }, 180_000);

  it('reconciliation_report of a day nobody reconciled says so and starts nothing; a day with only a dry run is not reconciled either', async () => {
    const res = await reader.callTool({ name: 'reconciliation_report', arguments: { date: '2025-09-16' } });
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toMatchObject({ date: '2025-09-16', reconciled: false });
    expect(res.structuredContent).not.toHaveProperty('ledger');
    expect(text(res)).toMatch(/2025-09-16 has not been reconciled yet/);
    expect(await reconcileRuns('2025-09-16')).toEqual([]);

    await s.reconcile('2025-09-17', { dryRun: true });
    await finishedRunsVisible('2025-09-17', 1);
    const dry = await reader.callTool({ name: 'reconciliation_report', arguments: { date: '2025-09-17' } });
    expect(dry.structuredContent).toMatchObject({ reconciled: false });
    expect(text(dry)).toMatch(/2025-09-17 has no finished reconciliation yet: 1 dry run/);
    expect(await reconcileRuns('2025-09-17')).toHaveLength(1);
  }, 120_000);

  it('reconciliation_report refuses a malformed date, naming the field', async () => {
    for (const date of ['2025-13-01', '15/09/2025', '2025-02-30']) {
      const res = await reader.callTool({ name: 'reconciliation_report', arguments: { date } });
      expect(res.isError, date).toBe(true);
      expect(text(res)).toMatch(/date/);
      expect(text(res)).toMatch(/YYYY-MM-DD/);
    }
  });

  it('payout_report of a posted payout shows the same figures as npm run payouts -- report, and the list shows it posted', async () => {
    const refs = ['8831001', '8831002', '8831003'];
    for (const r of refs) {
      const order = cardOrder(r, 'COMPLETE');
      payoutApi.store.recordIpn(order);
      expect((await postNotification(s.ipnUrl, signedIpn(order, SECRET_KEY), { secretKey: SECRET_KEY })).status).toBe(
        200,
      );
    }
    for (const r of refs)
      await s.waitForOrder(r, (st) => st.syncStatus === 'Synced' && st.completedSteps.includes('payment'), 120_000);
    const reference = 'NS-MCP-1';
    payoutApi.payouts.create({ reference, orders: refs });
    const input: PayoutWorkflowInput = {
      reference,
      queues: { netsuite: s.queues.netsuite, netsuiteMoney: s.queues.netsuiteMoney },
    };
    const posted = (await (
      await s.env.client.workflow.start('payoutWorkflow', {
        workflowId: payoutWorkflowId(reference),
        taskQueue: s.queues.workflows,
        args: [input],
      })
    ).result()) as PayoutSyncState;
    expect(posted.phase).toBe('posted');

    const res = await reader.callTool({ name: 'payout_report', arguments: { reference } });
    expect(res.isError).toBeFalsy();
    const out = res.structuredContent as { payout: PayoutSyncState & { url: string } };
    expect(out.payout.report).toEqual(posted.report);
    expect(out.payout).toMatchObject({ reference, phase: 'posted', syncStatus: 'Synced' });
    const cli = captureIo();
    expect(
      await runPayoutsCli(['report', reference], {
        client: s.env.client,
        namespace: 'default',
        uiBase: 'http://localhost:8233',
        io: cli,
      }),
    ).toBe(0);
    expect(text(res)).toBe(cli.stdout.join('\n'));
    const cliJson = captureIo();
    await runPayoutsCli(['report', reference, '--json'], {
      client: s.env.client,
      namespace: 'default',
      uiBase: 'http://localhost:8233',
      io: cliJson,
    });
    expect(out.payout.report).toEqual((JSON.parse(cliJson.stdout.join('\n')) as PayoutSyncState).report);

    await eventually(
      async () => {
        const states: string[] = [];
        for await (const w of s.env.client.workflow.list({ query: "EntityKind = 'payout'" }))
          if (w.workflowId === payoutWorkflowId(reference))
            states.push(String((w.searchAttributes as Record<string, unknown[]>).SyncStatus?.[0]));
        return states;
      },
      (states) => states.includes('Synced'),
      30_000,
    );
    const list = await reader.callTool({ name: 'payout_report', arguments: {} });
    expect(list.isError, text(list)).toBeFalsy();
    expect((list.structuredContent as { payouts: unknown[] }).payouts).toContainEqual(
      expect.objectContaining({ reference, state: 'posted', workflowId: payoutWorkflowId(reference) }),
    );
    const cliList = captureIo();
    await runPayoutsCli(['list'], {
      client: s.env.client,
      namespace: 'default',
      uiBase: 'http://localhost:8233',
      io: cliList,
    });
    expect(text(list)).toBe(cliList.stdout.join('\n'));

    const unknown = await reader.callTool({ name: 'payout_report', arguments: { reference: 'NS-NEVER' } });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/no payout workflow for NS-NEVER/);
  }, 240_000);
});
