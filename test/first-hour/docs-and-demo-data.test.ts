// Small stumbles a test can pin: the README names every port variable the code reads, and a
// follow-up notification of an order keeps the order's sale and payment dates (so invoices and
// payments are dated with the sale, not weeks later).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildIpnFields } from '../../sandbox/twocheckout/ipn-fields.js';
import { TwoCheckoutStore } from '../../sandbox/twocheckout/store.js';
import {
  chargeback,
  fullRefund,
  newCardOrder,
  partialRefund,
  threeLineOrder,
} from '../../sandbox/twocheckout/scenarios.js';

const read = (p: string) => readFileSync(join(repoRoot, p), 'utf8');

describe('README', () => {
  it('lists every *_PORT variable that npm start, the worker, the gateway and the sandbox read', () => {
    const sources = [
      'scripts/start.ts',
      'shared/config.ts',
      'worker/metrics.ts',
      'sandbox/netsuite/main.ts',
      'scripts/demo.ts',
      'status-page/config.ts',
      'mcp/config.ts',
    ]
      .map(read)
      .join('\n');
    const ports = [
      ...new Set(
        [...sources.matchAll(/\b([A-Z][A-Z0-9_]*_PORT)\b/g)].map((m) => m[1]!).filter((n) => !n.startsWith('DEFAULT_')),
      ),
    ];
    expect(ports).toEqual(
      expect.arrayContaining([
        'TEMPORAL_DEV_PORT',
        'TEMPORAL_UI_PORT',
        'CODEC_SERVER_PORT',
        'WORKER_METRICS_PORT',
        'STATUS_PAGE_PORT',
        'GATEWAY_PORT',
      ]),
    );
    const readme = read('README.md');
    expect(ports.filter((p) => !readme.includes(`\`${p}\``))).toEqual([]);
  });
});

describe('demo notifications', () => {
  const field = (fields: ReturnType<typeof buildIpnFields>, name: string) => fields.find(([k]) => k === name)?.[1];
  const at = new Date('2026-10-01T10:00:00Z');

  it('a refund or chargeback weeks later keeps the order’s SALEDATE and PAYMENTDATE; only IPN_DATE moves', () => {
    const sale = threeLineOrder('70000001', { at });
    const saleFields = buildIpnFields(sale);
    for (const later of [
      partialRefund(sale, { lines: [1] }),
      fullRefund(sale),
      chargeback(sale, 'OPEN'),
      chargeback(sale, 'LOST'),
    ]) {
      const f = buildIpnFields(later);
      expect(field(f, 'SALEDATE')).toBe(field(saleFields, 'SALEDATE'));
      expect(field(f, 'PAYMENTDATE')).toBe(field(saleFields, 'PAYMENTDATE'));
      expect(field(f, 'IPN_DATE')).not.toBe(field(saleFields, 'IPN_DATE'));
    }
  });

  it('an order paid after PENDING gets its payment date when it is paid', () => {
    const [pending, , complete] = newCardOrder('70000002', { at }).map(buildIpnFields);
    expect(field(pending!, 'PAYMENTDATE')).toBe('');
    expect(field(complete!, 'PAYMENTDATE')).toMatch(/^2026-10-01 /);
  });
});

// Issue 28: after a restart of npm start, reconciling the demo's days said NOT_IN_2CHECKOUT for
// every demo order: the 2Checkout API sandbox forgot them while NetSuite's kept its ledger.
describe("npm start's 2Checkout API sandbox", () => {
  it('keeps what 2Checkout knows across a restart, as the NetSuite sandbox keeps its ledger', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'twocheckout-store-')), 'twocheckout-sandbox.json');
    const before = TwoCheckoutStore.persisted(file);
    const sale = threeLineOrder('70000003', { at: new Date('2026-10-01T10:00:00Z') });
    before.recordIpn(sale);
    before.recordIpn(partialRefund(sale, { lines: [1] }));
    const after = TwoCheckoutStore.persisted(file);
    expect(after.get('70000003')?.events.map((e) => e.status)).toEqual(['COMPLETE', 'REFUND']);
    expect(after.size).toBe(1);
  });
});
