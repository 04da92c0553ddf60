// examples/: the IPN and LCN bodies the README's preview walkthrough uses are real notifications
// (signed with the demo key, parse as the gateway parses them); `preview --ref` reads an order's
// events back from its Temporal history.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { verifyNotificationSignature } from '../../twocheckout/webhooks/signature.js';
import { ipnToOrderEvent, lcnToLicenseEvent } from '../../mappings/from-2checkout.js';
import { loadMappingConfig } from '../../mappings/config-loader.js';
import { previewOrder, readOrderEvent } from '../../mappings/preview.js';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { orderEventsFromHistory } from '../../scripts/lib/ops/order-history-events.js';
import { orderEventSignal } from '../../workflows/messages.js';
import { connectTestEnv, eventually, workflowBundle } from '../support/temporal.js';
import { fakeNetSuite, startOrder } from '../ops/support.js';

const dir = join(repoRoot, 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
const body = (f: string) => readFileSync(join(dir, f), 'utf8');
const config = loadMappingConfig(join(repoRoot, 'config/mappings.yaml'));

describe('examples/', () => {
  it('has an order, a multi-currency order, refunds, a chargeback, a subscription and LCNs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'ipn-order-complete.txt',
        'ipn-order-eur.txt',
        'ipn-refund-partial.txt',
        'ipn-refund-full.txt',
        'ipn-chargeback-lost.txt',
        'ipn-subscription-first.txt',
        'ipn-subscription-renewal.txt',
        'lcn-licence-change.txt',
      ]),
    );
  });

  it.each(files)('%s is signed with the demo key and parses as the gateway parses it', (f) => {
    const form = parseForm(body(f));
    expect(verifyNotificationSignature(form, DEMO_ENV.TWOCHECKOUT_SECRET_KEY).ok).toBe(true);
    if (f.startsWith('ipn-')) expect(ipnToOrderEvent(form).refNo).toMatch(/^2500001\d\d$/);
    else expect(lcnToLicenseEvent(form).licenseCode).toBe('DEMOLIC001');
  });

  it('the README walkthrough: the EUR order previews with its exchange rate; the unmapped product parks; the partial refund credits the refunded line', () => {
    const eur = previewOrder(readOrderEvent(body('ipn-order-eur.txt')), config);
    expect(eur.park).toBeUndefined();
    expect(eur.order.currency).toBe('EUR');
    expect(previewOrder(readOrderEvent(body('ipn-unmapped-product.txt')), config).park?.reason).toBe(
      'UNMAPPED_PRODUCT',
    );
    const refund = previewOrder(readOrderEvent(body('ipn-refund-partial.txt')), config, {
      sale: readOrderEvent(body('ipn-order-three-lines.txt')),
    });
    expect(refund.refund?.lines[0]).toMatchObject({ item: { id: '102' } }); // Support, one year: the refunded line
  });
});

describe('npm run preview -- --ref', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await connectTestEnv();
    await workflowBundle();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('reads every event the order received back from its history', async () => {
    const ns = await fakeNetSuite(env.nativeConnection);
    try {
      const sale = readOrderEvent(body('ipn-order-three-lines.txt'));
      const refNo = `${sale.refNo}${Date.now() % 100_000}`;
      const handle = await startOrder(env.client, ns.queues, { ...sale, refNo });
      const refund = readOrderEvent(body('ipn-refund-partial.txt'));
      await handle.signal(orderEventSignal, { ...refund, refNo });
      const events = await eventually(
        () => orderEventsFromHistory(env.client, refNo),
        (e) => e.length === 2,
      );
      expect(events.map((e) => e.status)).toEqual(['COMPLETE', 'REFUND']);
      expect(events[1]?.eventRef).toBe(refund.eventRef);
    } finally {
      await ns.stop();
    }
  });
});
