// `npm run status-page:screenshots -- [--order <REFNO>] [--out docs]`: screenshots of the
// running stack's status page (found through .data/stack.json, or STATUS_PAGE_URL) in headless
// Chromium, for docs/operating.md: the overview, and one order's page (by default the first order
// the overview links to). Run `npm run demo` (and `npm run reconcile -- --date today`) first.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { useStackEnv } from './lib/ops/temporal-client.js';

useStackEnv();
const { values } = parseArgs({ options: { order: { type: 'string' }, out: { type: 'string' } } });
const statusUrl = process.env.STATUS_PAGE_URL;
if (!statusUrl) {
  console.error('No status page: start the stack with npm start (or set STATUS_PAGE_URL).');
  process.exit(2);
}
const out = resolve(values.out ?? 'docs');
/** Debian's Chromium (apt-get install chromium), headless, as the browser tests run it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await tab.goto(statusUrl!);
    await tab.screenshot({ path: join(out, 'status-page-overview.png'), fullPage: true });
    const href = values.order
      ? `/syncs/${encodeURIComponent(`order/${values.order}`)}`
      : await tab.locator('a[href^="/syncs/order"]').first().getAttribute('href');
    if (!href) throw new Error('the overview links to no order: pass --order <REFNO>');
    await tab.goto(new URL(href, statusUrl).toString());
    await tab.screenshot({ path: join(out, 'status-page-order.png'), fullPage: true });
    console.log(`${join(out, 'status-page-overview.png')}\n${join(out, 'status-page-order.png')}`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
