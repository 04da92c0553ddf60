// The finance status page in a real browser (Chromium), on its own dev server so the counts are
// exact: one order synced, one parked for an unmapped product. The overview shows today's counts,
// the park reason with its fix and a link to the parked order, whose page shows its records and
// journal. Outside loopback the page needs its token. Without Chromium it is skipped, saying so,
// except in CI (CI=true), where it fails.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { request } from 'undici';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { startDevServer, type DevServer } from '../../scripts/lib/dev-server.js';
import { freePort } from '../../scripts/lib/free-port.js';
import {
  recordingOrderActivities,
  startFakeWorkers,
  type RunningFakeWorkers,
} from '../../scripts/lib/ops/recording-activities.js';
import { startStatusPage, type StatusPage } from '../../status-page/server.js';
import { eventually, uniqueQueues, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';
import { browserCheck } from '../support/browser.js';
import { startOrder, uniqueRefNo } from '../ops/support.js';

const browserTest = browserCheck('finance status page');
const artifacts = join(repoRoot, '.artifacts');

describe.skipIf(browserTest.skip)(browserTest.title, () => {
  let server: DevServer;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let browser: Browser;
  let workers: RunningFakeWorkers;
  let page: StatusPage;
  const parkedRef = uniqueRefNo();
  const syncedRef = uniqueRefNo();

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
    connection = await Connection.connect({ address: server.address });
    nativeConnection = await NativeConnection.connect({ address: server.address });
    client = new Client({ connection });
    const queues = uniqueQueues();
    const { activities } = recordingOrderActivities({
      upsertSalesOrder: [
        {
          reason: 'UNMAPPED_PRODUCT',
          message: `product code NEW-GADGET-X has no NetSuite item (order ${parkedRef})`,
          path: 'lines[0].productCode',
        },
      ],
    });
    workers = await startFakeWorkers({
      connection: nativeConnection,
      queues,
      workflowBundle: await workflowBundle(),
      activities,
    });
    const parked = await startOrder(client, queues, orderEvent(parkedRef, 'COMPLETE'));
    await eventually(
      () => parked.query(orderStateQuery),
      (s) => s.syncStatus === 'NeedsAttention',
    );
    const synced = await startOrder(client, queues, orderEvent(syncedRef, 'COMPLETE'));
    await eventually(
      () => synced.query(orderStateQuery),
      (s) => s.syncStatus === 'Synced',
    );
    await eventually(
      async () =>
        (await client.workflow.count(`SyncStatus = 'Synced'`)).count +
        (await client.workflow.count(`ParkReason = 'UNMAPPED_PRODUCT'`)).count,
      (n) => n === 2,
    );
    page = await startStatusPage({ client, namespace: 'default', uiBase: server.uiUrl, port: 0 });
    browser = await browserTest.launch();
  });
  afterAll(async () => {
    await browser?.close();
    await page?.close();
    await workers?.stop();
    await connection?.close();
    await nativeConnection?.close();
    await server?.stop();
  });

  it('shows today’s counts, the park reason with its fix, and the parked order’s records and journal', async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      await tab.goto(page.url);
      // Without NetSuite access the page counts the order syncs (Temporal) and says why it shows no amounts.
      await expect.poll(() => tab.locator('#tile-orders b').innerText()).toBe('1');
      expect(await tab.locator('#tile-money-back b').innerText()).toBe('—');
      expect(await tab.locator('#days').innerText()).toContain(
        'Amounts are not shown: the status page has no NetSuite access.',
      );
      expect(await tab.locator('#tile-parked b').innerText()).toBe('1');
      expect(await tab.locator('#tile-in-progress b').innerText()).toBe('0');
      const reasons = await tab.locator('#parked-by-reason').innerText();
      expect(reasons).toContain('UNMAPPED_PRODUCT');
      expect(reasons).toContain(
        'add the product code under products in config/mappings.yaml (it reloads by itself), then retry',
      );
      const today = new Date().toISOString().slice(0, 10);
      expect((await tab.locator('#days tbody tr').first().innerText()).split('\t').map((c) => c.trim())).toEqual([
        today,
        '1',
        '—',
        '—',
        '0',
        '0',
        '1',
      ]);
      // The key content is on screen, not just in the DOM: screenshot of the first view.
      const shot = await tab.screenshot({ path: join(artifacts, 'status-page-overview.png') });
      expect(shot.length).toBeGreaterThan(10_000);
      for (const id of ['#today', '#parked-by-reason']) expect(await tab.locator(id).isVisible()).toBe(true);

      await tab.getByRole('link', { name: `order/${parkedRef}` }).click();
      await tab.waitForURL(/\/syncs\/order%2F/);
      const body = await tab.locator('main').innerText();
      expect(body).toContain('Parked: UNMAPPED_PRODUCT at step salesOrder');
      expect(body).toContain(`product code NEW-GADGET-X has no NetSuite item (order ${parkedRef})`);
      expect(await tab.locator('#records').innerText()).toContain('Customer');
      expect(await tab.locator('#journal').innerText()).toContain('parked at salesOrder: UNMAPPED_PRODUCT');
      expect(await tab.getByRole('link', { name: 'Open in the Temporal Web UI' }).getAttribute('href')).toBe(
        `${server.uiUrl}/namespaces/default/workflows/order%2F${parkedRef}`,
      );
      await tab.screenshot({ path: join(artifacts, 'status-page-parked-order.png'), fullPage: true });
    } finally {
      await tab.close();
    }
  });

  it('outside loopback it needs its token', async () => {
    await expect(startStatusPage({ client, namespace: 'default', port: 0, host: '0.0.0.0' })).rejects.toThrow(
      'STATUS_PAGE_TOKEN (or STATUS_PAGE_AUTH=oidc) is required',
    );
    const guarded = await startStatusPage({
      client,
      namespace: 'default',
      port: 0,
      host: '0.0.0.0',
      token: 'finance-secret-token',
    });
    try {
      const denied = await request(guarded.url);
      expect(denied.statusCode).toBe(401);
      await denied.body.dump();
      // The token given once in the URL becomes a cookie, and the address loses it.
      const signIn = await request(`${guarded.url}?token=finance-secret-token`);
      expect(signIn.statusCode).toBe(303);
      await signIn.body.dump();
      const allowed = await request(new URL(String(signIn.headers.location), guarded.url), {
        headers: { cookie: String(signIn.headers['set-cookie']).split(';')[0]! },
      });
      expect(allowed.statusCode).toBe(200);
      expect(await allowed.body.text()).toContain('Parked syncs');
      // The CSV exports go through the same token check.
      const csvDenied = await request(`${guarded.url}export/days.csv`);
      expect(csvDenied.statusCode).toBe(401);
      await csvDenied.body.dump();
      const csvAllowed = await request(`${guarded.url}export/days.csv`, {
        headers: { authorization: 'Bearer finance-secret-token' },
      });
      expect(csvAllowed.statusCode).toBe(200);
      expect(await csvAllowed.body.text()).toMatch(/^day,kind,currency,count,amount\r\n/);
      const write = await request(guarded.url, {
        method: 'POST',
        headers: { authorization: 'Bearer finance-secret-token' },
      });
      expect(write.statusCode).toBe(405);
      await write.body.dump();
    } finally {
      await guarded.close();
    }
  });
});
