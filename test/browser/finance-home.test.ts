// Issue 28: the status page as finance's home, in Chromium, against the whole product on a Temporal
// server of its own (so every count is exact): orders in USD and EUR, a partial refund, a lost
// chargeback and an order that parks, sent through the gateway and recorded in 2Checkout's API
// sandbox; the day reconciled; a payout posted, one waiting for a document, one parked. The
// overview counts orders, refunds, chargebacks, subscriptions and payouts apart with their amounts
// per currency, shows the completeness ledger with the exception and its fix and the payouts with
// their amounts; every table downloads as CSV; an order's page lists its records by document
// number with amounts, linked into NetSuite (the sandbox's stand-in pages) and the Temporal Web UI.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { request } from 'undici';
import { createPayoutActivities } from '../../activities/payout-activities.js';
import { createPayoutsApi, type PayoutsApi } from '../../twocheckout/rest/index.js';
import {
  cardOrder,
  chargeback,
  eurOrder,
  partialRefund,
  threeLineOrder,
  unmappedProductOrder,
} from '../../sandbox/twocheckout/scenarios.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/ipn-fields.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { payoutWorkflowId } from '../../workflows/messages.js';
import { payoutStateQuery, type PayoutSyncState, type PayoutWorkflowInput } from '../../workflows/payout-messages.js';
import { startDevServer, type DevServer } from '../../scripts/lib/dev-server.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { startStatusPage, type StatusPage } from '../../status-page/server.js';
import { startCompletenessStack, type CompletenessStack } from '../support/completeness.js';
import { demoMappings } from '../support/stack.js';
import { eventually } from '../support/temporal.js';
import { browserCheck } from '../support/browser.js';

const browserTest = browserCheck('status page as finance’s home');
const artifacts = join(repoRoot, '.artifacts');
const today = new Date().toISOString().slice(0, 10);
const at = (hour: number) => new Date(`${today}T${String(hour).padStart(2, '0')}:00:00Z`);
const base = 93_000_000 + Math.floor(Math.random() * 90_000) * 10;
const ref = (n: number) => String(base + n);

describe.skipIf(browserTest.skip)(browserTest.title, () => {
  let server: DevServer;
  let s: CompletenessStack;
  let page: StatusPage;
  let browser: Browser;
  let payoutsApi: PayoutsApi | undefined;
  let paidOut = '';
  let waiting = '';
  const usd = cardOrder(ref(1), 'COMPLETE', { at: at(8) });
  const eur = eurOrder(ref(2), { at: at(8) });
  const three = threeLineOrder(ref(3), { at: at(8) });
  const lost = cardOrder(ref(4), 'COMPLETE', { at: at(8) });
  const gadget = unmappedProductOrder(ref(5), { at: at(8) });

  const startPayout = async (reference: string) => {
    const input: PayoutWorkflowInput = {
      reference,
      queues: { netsuite: s.queues.netsuite, netsuiteMoney: s.queues.netsuiteMoney },
    };
    return s.env.client.workflow.start('payoutWorkflow', {
      workflowId: payoutWorkflowId(reference),
      taskQueue: s.queues.workflows,
      args: [input],
    });
  };
  const payoutState = (reference: string, accept: (p: PayoutSyncState) => boolean) =>
    eventually(
      () =>
        s.env.client.workflow
          .getHandle(payoutWorkflowId(reference))
          .query(payoutStateQuery)
          .catch(() => undefined),
      (p) => p !== undefined && accept(p),
      120_000,
    );

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
    const mappings = demoMappings();
    mappings.payouts = { ...mappings.payouts, recheckEvery: '1s', waitForPayments: '1h' };
    // The payout activities read the same 2Checkout API sandbox, made after the stack.
    const payouts: PayoutsApi = {
      listPayouts: (search) => payoutsApi!.listPayouts(search),
      getPayout: (reference) => payoutsApi!.getPayout(reference),
    };
    s = await startCompletenessStack({
      temporalAddress: server.address,
      mappings,
      extraActivities: ({ netsuite, mappings: provider }) =>
        createPayoutActivities({ netsuite, mappings: provider, payouts, logger: pino({ level: 'silent' }) }),
    });
    payoutsApi = createPayoutsApi(s.twocheckout);

    const ipn = (input: IpnOrderInput) => ({ kind: 'ipn' as const, input });
    await s.send([usd, eur, three, lost, gadget].map(ipn));
    for (const o of [usd, eur, three, lost])
      await s.waitForOrder(o.refNo, (st) => st.completedSteps.includes('payment'), 120_000);
    await s.waitForOrder(gadget.refNo, (st) => st.syncStatus === 'NeedsAttention', 120_000);
    await s.send([
      ipn(partialRefund(three, { lines: [1], at: at(10) })),
      ipn(chargeback(lost, 'LOST', { at: at(11) })),
    ]);
    await s.waitForOrder(three.refNo, (st) => Object.keys(st.records.creditMemos ?? {}).length === 1, 120_000);
    await s.waitForOrder(lost.refNo, (st) => Object.keys(st.records.creditMemos ?? {}).length === 1, 120_000);
    await s.reconcile(today);

    paidOut = s.api.payouts.create({ reference: 'NS-HOME-1', orders: [usd.refNo] }).Amount;
    await (await startPayout('NS-HOME-1')).result();
    waiting = s.api.payouts.create({ reference: 'NS-HOME-2', orders: [gadget.refNo] }).Amount;
    await startPayout('NS-HOME-2');
    await payoutState('NS-HOME-2', (p) => p.waitingFor.length > 0);
    await startPayout('NOPE-HOME-3');
    await payoutState('NOPE-HOME-3', (p) => p.park !== undefined);
    await eventually(
      async () => (await s.env.client.workflow.count(`EntityKind = 'payout' AND SyncStatus = 'NeedsAttention'`)).count,
      (n) => n === 1,
    );

    page = await startStatusPage({
      client: s.env.client,
      namespace: 'default',
      uiBase: server.uiUrl,
      port: 0,
      netsuite: s.netsuite,
      netsuiteUiUrl: `${s.sandbox.url}/__sandbox/ui`,
    });
    browser = await browserTest.launch();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await page?.close();
    await s?.close();
    await server?.stop();
  });

  it('the overview: the books by day with amounts per currency, completeness with the fix, payouts; each table as CSV', async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    try {
      await tab.goto(page.url);
      const text = (selector: string) => tab.locator(selector).innerText();
      // The order that parked is not in the books: four orders, three of them in USD.
      expect(await text('#tile-orders')).toMatch(/^Orders today\s+4\s+EUR 105\.91\s+USD 472\.91$/);
      expect(await text('#tile-money-back')).toMatch(/^Refunds and lost chargebacks today\s+2\s+USD 243\.00$/);
      expect(await text('#tile-parked b')).toBe('2');

      // Today's row: orders, refunds, lost chargebacks and payouts counted apart, with their amounts.
      const row = (await text('#days-table tbody tr:first-child')).split('\t').map((c) => c.trim());
      expect(row).toEqual([
        today,
        '4\nEUR 105.91 (1)\nUSD 472.91 (3)',
        '1\nUSD 144.00',
        '1\nUSD 99.00',
        `1\nUSD ${paidOut}`,
        '0',
        '2',
      ]);

      const completeness = await text('#completeness');
      expect((await text('#completeness-table tbody tr:first-child')).split('\t').map((c) => c.trim())).toEqual([
        today,
        'incomplete',
        '5',
        '4',
        '4',
        '0',
        '1',
        '0',
        '1',
      ]);
      expect(completeness).toContain(`${gadget.refNo}\tMISSING_IN_NETSUITE`);
      expect(completeness).toContain(
        'The order is not (fully) in NetSuite yet: open its workflow; a parked sync says why; fix that and npm run ops -- retry <REFNO>.',
      );

      const payouts = await text('#payouts');
      expect(await text('#payouts-summary')).toMatch(
        new RegExp(`^1 posted \\(USD ${paidOut}\\) · 1 waiting \\(USD ${waiting}\\) · 1 parked ·`),
      );
      expect(payouts).toMatch(
        new RegExp(`NS-HOME-1\tposted\t\\d{4}-\\d{2}-\\d{2}\t${paidOut}\tUSD\tjournalEntry \\d+`),
      );
      // Not posted yet: its amount as 2Checkout reported it.
      expect(payouts).toMatch(
        new RegExp(
          `NS-HOME-2\twaiting / in progress\nwaits for 1 document to reach NetSuite\\s+\\d{4}-\\d{2}-\\d{2}\t${waiting}\tUSD`,
        ),
      );
      expect(payouts).toMatch(/NOPE-HOME-3\tparked \(PAYOUT_UNSUPPORTED\)/);
      // A parked payout has no page here: it links to its workflow in the Web UI.
      expect(
        await tab.locator('#parked-table').getByRole('link', { name: 'payout/NOPE-HOME-3' }).getAttribute('href'),
      ).toBe(`${server.uiUrl}/namespaces/default/workflows/payout%2FNOPE-HOME-3`);
      await tab.screenshot({ path: join(artifacts, 'finance-home-overview.png'), fullPage: true });

      // Each table downloads as what it shows.
      const csv = async (href: string) => {
        const res = await request(new URL(href, page.url));
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        return res.body.text();
      };
      expect(await tab.locator('#days a.csv').getAttribute('href')).toBe('/export/days.csv');
      const days = await csv('/export/days.csv');
      expect(days.split('\r\n').slice(0, 8)).toEqual([
        'day,kind,currency,count,amount',
        `${today},orders,EUR,1,105.91`,
        `${today},orders,USD,3,472.91`,
        `${today},refunds,USD,1,144.00`,
        `${today},chargebacks,USD,1,99.00`,
        `${today},payouts,USD,1,${paidOut}`,
        `${today},subscriptions,,0,`,
        `${today},parked,,2,`,
      ]);
      expect(await csv('/export/exceptions.csv')).toContain(`${today},${gadget.refNo},MISSING_IN_NETSUITE,`);
      expect(await csv('/export/payouts.csv')).toMatch(
        new RegExp(`NS-HOME-1,posted,\\d{4}-\\d{2}-\\d{2},${paidOut},USD,journalEntry \\d+`),
      );
      expect(await csv('/export/completeness.csv')).toContain(`${today},incomplete,5,4,4,0,1,0,1`);
    } finally {
      await tab.close();
    }
  });

  it('an order: its records by document number with amounts, linked into NetSuite and the Temporal Web UI', async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await tab.goto(new URL(`/syncs/${encodeURIComponent(`order/${three.refNo}`)}`, page.url).toString());
      const rows = (await tab.locator('#records-table tbody tr').allInnerTexts()).map((r) =>
        r.split('\t').map((c) => c.trim()),
      );
      expect(rows.map((r) => [r[0], r[1]?.replace(/\d+$/, 'n'), r[3], r[4]])).toEqual([
        ['Customer', '—', '', ''],
        ['Sales order', 'SOn', '274.91', 'USD'],
        ['Invoice', 'INVn', '274.91', 'USD'],
        ['Payment', 'PYMTn', '274.91', 'USD'],
        ['Credit memo', 'CMn', '144.00', 'USD'],
        ['Customer refund', 'RFNDn', '144.00', 'USD'],
      ]);
      const so = s.sandbox.records('salesOrder').find((r) => r.externalId === `2co-so-${three.refNo}`)!;
      await tab.screenshot({ path: join(artifacts, 'finance-home-order.png'), fullPage: true });
      // The document number opens the record in NetSuite (here the sandbox's stand-in page).
      await tab.getByRole('link', { name: String(so.tranId) }).click();
      await tab.waitForURL(/transaction\.nl\?id=/);
      expect(JSON.parse(await tab.locator('body').innerText())).toMatchObject({
        recordType: 'salesOrder',
        id: String(so.id),
        tranId: so.tranId,
      });
      await tab.goBack();
      const webUi = await tab.getByRole('link', { name: 'Open in the Temporal Web UI' }).getAttribute('href');
      expect(webUi).toBe(`${server.uiUrl}/namespaces/default/workflows/order%2F${three.refNo}`);
      await tab.goto(webUi!);
      await expect.poll(() => tab.locator('body').innerText(), { timeout: 30_000 }).toContain(`order/${three.refNo}`);
      const csv = await request(new URL(`/syncs/${encodeURIComponent(`order/${three.refNo}`)}/records.csv`, page.url));
      expect((await csv.body.text()).split('\r\n')[2]).toBe(
        `Sales order,${so.tranId},${today},274.91,USD,${so.id},${s.sandbox.url}/__sandbox/ui/app/accounting/transactions/transaction.nl?id=${so.id}`,
      );
    } finally {
      await tab.close();
    }
  });
});
