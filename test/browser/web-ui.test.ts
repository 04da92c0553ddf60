// The operator's path in a real browser: the Temporal Web UI lists a parked order with the
// "parked" query from docs/operating.md, its page shows why it is parked (memo and search
// attributes), and the retry signal sent from the UI's "Send a Signal" dialog resumes it.
// Needs Debian's Chromium (`apt-get install -y chromium`); without it the check is skipped, saying so,
// except in CI (CI=true), where it fails.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { startDevServer, type DevServer } from '../../scripts/lib/dev-server.js';
import { freePort } from '../../scripts/lib/free-port.js';
import {
  recordingOrderActivities,
  startFakeWorkers,
  type RunningFakeWorkers,
} from '../../scripts/lib/ops/recording-activities.js';
import { stuckQuery } from '../../operations/stuck-syncs.js';
import { workflowListUrl } from '../../operations/web-ui.js';
import { eventually, uniqueQueues, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';
import { browserCheck } from '../support/browser.js';
import { startOrder, uniqueRefNo } from '../ops/support.js';

const browserTest = browserCheck('Temporal Web UI');

const artifacts = join(repoRoot, '.artifacts');

describe.skipIf(browserTest.skip)(browserTest.title, () => {
  let server: DevServer;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    // Its own dev server: the shared test server runs without the UI.
    server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
    connection = await Connection.connect({ address: server.address });
    nativeConnection = await NativeConnection.connect({ address: server.address });
    client = new Client({ connection });
    browser = await browserTest.launch();
  });
  afterAll(async () => {
    await browser?.close();
    await connection?.close();
    await nativeConnection?.close();
    await server?.stop();
  });

  it('lists the parked order for the "parked" query, shows its park reason, and resumes it on a retry signal sent from the UI', async () => {
    const refNo = uniqueRefNo();
    const queues = uniqueQueues();
    const { activities, calls } = recordingOrderActivities({
      upsertSalesOrder: [
        {
          reason: 'UNMAPPED_PRODUCT',
          message: `product code GADGET-${refNo} has no NetSuite item`,
          path: 'lines[0].productCode',
        },
      ],
    });
    const workers: RunningFakeWorkers = await startFakeWorkers({
      connection: nativeConnection,
      queues,
      workflowBundle: await workflowBundle(),
      activities,
    });
    const page: Page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const handle = await startOrder(client, queues, orderEvent(refNo, 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'NeedsAttention',
      );
      await eventually(
        async () => (await client.workflow.count(stuckQuery({ mode: 'parked' }))).count,
        (n) => n > 0,
      );

      // The list, filtered by the documented "parked" query link.
      await page.goto(workflowListUrl(server.uiUrl, 'default', stuckQuery({ mode: 'parked' })));
      const row = page.getByRole('link', { name: `order/${refNo}`, exact: true });
      await row.waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByText('SyncStatus = "NeedsAttention"').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(artifacts, 'web-ui-parked-list.png') });

      // Its page: why it is parked, in the workflow's current details (user metadata) first.
      await row.click();
      const body = () => page.locator('body').innerText();
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      // The UI renders the markdown of "Current Details" in a sandboxed frame.
      const details = () => page.frameLocator('iframe').first().locator('body').innerText();
      await expect.poll(details, { timeout: 30_000 }).toContain('Parked: UNMAPPED_PRODUCT at step salesOrder');
      expect(await details()).toContain(`product code GADGET-${refNo} has no NetSuite item`);
      expect(await details()).toContain(`npm run ops -- retry ${refNo}`);
      await page.screenshot({ path: join(artifacts, 'web-ui-parked-details.png'), fullPage: true });
      await page.getByRole('tab', { name: 'Memo' }).click();
      await expect.poll(body, { timeout: 30_000 }).toContain('"parkReason": "UNMAPPED_PRODUCT"');
      expect(await body()).toContain(`"parkMessage": "product code GADGET-${refNo} has no NetSuite item"`);
      expect(await body()).toContain('"parkStep": "salesOrder"');
      await page.screenshot({ path: join(artifacts, 'web-ui-parked-memo.png') });
      await page.getByRole('tab', { name: 'Search Attributes' }).click();
      await expect.poll(body, { timeout: 30_000 }).toContain('"ParkReason": "UNMAPPED_PRODUCT"');
      expect(await body()).toContain('"SyncStatus": "NeedsAttention"');

      // Resume it the way docs/operating.md describes: More Actions → Send a Signal.
      await page.getByRole('button', { name: 'More Actions' }).click();
      await page.getByRole('menu').getByText('Send a Signal').click();
      await page.locator('#signal-select').locator('..').locator('visible=true').last().click();
      await page.getByRole('option', { name: 'operatorDecision' }).click();
      const editor = page.locator('.cm-content').locator('visible=true').first();
      await editor.click();
      await page.keyboard.type('{"action": "retry", "by": "browser-test"}');
      // The editor reformats the JSON when it loses focus, which moves the Submit button.
      await editor.evaluate((el) => (el as unknown as { blur(): void }).blur());
      await page.screenshot({ path: join(artifacts, 'web-ui-retry-signal.png') });
      await page.getByRole('button', { name: 'Submit' }).click();

      const state = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'Synced',
      );
      expect(
        state.journal.some((j) => j.what === 'step salesOrder retried by operator' && j.detail === 'by browser-test'),
      ).toBe(true);
      expect(calls.filter((c) => c === 'upsertSalesOrder')).toHaveLength(2);
      // …and its current details now say it is synced.
      const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      expect(metadata.currentDetails).toMatch(/^\*\*Synced\*\*/);
      await handle.terminate('test done');
    } finally {
      await page.close();
      await workers.stop();
    }
  });
});
