// Adoption and the cut-over, the pure part: the `adoption:` and `cutover:` sections (defaults, and
// a message that says how to fix a bad value), how a REFNO pattern reads a field, when an order's
// first write looks for a previous tool's records, how an adopted record's figures compare, and
// the shadow report's totals.
import { describe, expect, it } from 'vitest';
import {
  adoptedDifferences,
  adoptionApplies,
  beforeCutover,
  fieldCarriesRefNo,
  saleBeforeCutover,
} from '../../mappings/adoption.js';
import { MappingConfigError } from '../../mappings/config-loader.js';
import { shadowTotals } from '../../mappings/shadow.js';
import { cutoverProblem } from '../../scripts/lib/completeness/backfill-cli.js';
import { configFromYaml, configWith, demoConfig, order } from './fixtures.js';

const BARE =
  'version: 1\nproducts: { rules: [] }\ncurrencies: { USD: 1 }\npaymentMethods: { default: { account: 1 } }\n';

function problems(yaml: string): string[] {
  try {
    configFromYaml(BARE + yaml);
  } catch (e) {
    if (e instanceof MappingConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('the adoption: and cutover: sections', () => {
  it('adopt by otherRefNum = REFNO by default, with no cut-over: a fresh install over an incumbent is safe unconfigured', () => {
    const c = configFromYaml(BARE);
    expect(c.adoption).toEqual({
      enabled: true,
      recordTypes: ['salesOrder', 'invoice', 'customerPayment', 'cashSale'],
      match: [{ field: 'otherRefNum', pattern: '{refNo}' }],
      customers: { match: [] },
      link: 'auto',
      foldIntoCustomerQuery: true,
      tolerance: 0,
    });
    expect(c.cutover).toEqual({ margin: '2d' });
  });

  it('reads a cut-over date as midnight UTC and a date-time with its offset as that instant', () => {
    expect(configFromYaml(`${BARE}cutover: { at: 2026-04-01 }\n`).cutover.at).toBe('2026-04-01T00:00:00.000Z');
    expect(configFromYaml(`${BARE}cutover: { at: "2026-04-01T00:00:00+02:00" }\n`).cutover.at).toBe(
      '2026-03-31T22:00:00.000Z',
    );
  });

  it('says what is wrong with each bad value, and how to fix it, all at once', () => {
    const found = problems(
      [
        'adoption:',
        '  match:',
        '    - { field: poNumber }',
        '    - { field: memo, pattern: "Order {orderNo}" }',
        '  recordTypes: [journalEntry]',
        '  customers: { match: [{ field: custbody_x, pattern: "tray-{twoCheckoutCustomerRef}" }, { field: externalId, pattern: "tray-cust" }] }',
        'cutover: { at: "2026-02-30", margin: soon }',
        '',
      ].join('\n'),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^adoption\.match\[0\]\.field: must be otherRefNum, tranId, memo or a custom body field .* Fix:/,
        ),
        expect.stringMatching(/^adoption\.match\[1\]\.pattern: must contain \{refNo\} exactly once/),
        expect.stringMatching(
          /^adoption\.recordTypes\[0\]: must be one of salesOrder, invoice, customerPayment, cashSale/,
        ),
        expect.stringMatching(/^adoption\.customers\.match\[0\]\.field: must be externalId or a custom entity field/),
        expect.stringMatching(
          /^adoption\.customers\.match\[1\]\.pattern: must contain \{twoCheckoutCustomerRef\} or \{externalCustomerRef\}/,
        ),
        expect.stringMatching(/^cutover\.at: is not a real date/),
        expect.stringMatching(/^cutover\.margin: must be a duration/),
      ]),
    );
  });
});

describe('a REFNO pattern', () => {
  const memo = { field: 'memo', pattern: 'tray.io 2Checkout order #{refNo}' } as const;
  const other = { field: 'otherRefNum', pattern: '{refNo}' } as const;
  const tranId = { field: 'tranId', pattern: '2CO-{refNo}' } as const;

  it('must equal the field for otherRefNum, tranId and custom fields', () => {
    expect(fieldCarriesRefNo(other, '1234', '1234')).toBe(true);
    expect(fieldCarriesRefNo(other, '12345', '1234')).toBe(false);
    expect(fieldCarriesRefNo(tranId, '2CO-1234', '1234')).toBe(true);
    expect(fieldCarriesRefNo(tranId, '2CO-12345', '1234')).toBe(false);
  });

  it('is found in a memo only where no letter or digit touches the REFNO', () => {
    expect(fieldCarriesRefNo(memo, 'tray.io 2Checkout order #1234', '1234')).toBe(true);
    expect(fieldCarriesRefNo(memo, 'Imported: tray.io 2Checkout order #1234 (EUR)', '1234')).toBe(true);
    // Order 12345's memo is not order 1234's, though SQL's LIKE '%…#1234%' returns it.
    expect(fieldCarriesRefNo(memo, 'tray.io 2Checkout order #12345', '1234')).toBe(false);
    expect(fieldCarriesRefNo({ field: 'memo', pattern: '{refNo}' }, 'A1234', '1234')).toBe(false);
    expect(fieldCarriesRefNo(memo, undefined, '1234')).toBe(false);
  });
});

describe("when the first write of an order looks for a previous tool's records", () => {
  const sale = order({ saleDate: '2026-04-01 10:00:00', timezoneOffset: 'GMT+02:00' }); // 08:00 UTC
  const withCutover = (at: string, margin = '2d') => configWith({ cutover: { at, margin } });

  it('always without a cut-over, never with adoption off', () => {
    expect(adoptionApplies(sale, demoConfig())).toBe(true);
    expect(adoptionApplies(sale, configWith({ adoption: { ...demoConfig().adoption, enabled: false } }))).toBe(false);
  });

  it('for orders sold before cutover.at + margin only: a new order after it costs no look-up', () => {
    expect(adoptionApplies(sale, withCutover('2026-03-31T00:00:00.000Z'))).toBe(true); // within the margin
    expect(adoptionApplies(sale, withCutover('2026-03-29T00:00:00.000Z'))).toBe(false); // 2d + 8h after
    expect(adoptionApplies(sale, withCutover('2026-03-29T00:00:00.000Z', '4d'))).toBe(true);
    // An unreadable sale date is looked up (the safe side).
    expect(
      adoptionApplies(order({ saleDate: 'soon', ipnDate: 'never' }), withCutover('2020-01-01T00:00:00.000Z')),
    ).toBe(true);
  });

  it('dates the sale in its own time zone against the cut-over', () => {
    expect(saleBeforeCutover(sale, withCutover('2026-04-01T08:00:01.000Z'))).toBe(true);
    expect(saleBeforeCutover(sale, withCutover('2026-04-01T08:00:00.000Z'))).toBe(false);
    expect(saleBeforeCutover(sale, demoConfig())).toBe(false);
    expect(beforeCutover(undefined, '2026-04-01T00:00:00.000Z')).toBe(true);
  });
});

describe('an adopted record against 2Checkout', () => {
  const sale = order({ totals: { general: '100.00', shipping: '0', shippingTax: '0' } });
  const doc = (total: string, currency = 'USD') => ({
    role: 'invoice' as const,
    id: '7',
    label: 'INV7',
    total,
    currency,
  });

  it('is equal at what the shopper paid, in NetSuite precision, within adoption.tolerance', () => {
    expect(adoptedDifferences(sale, [doc('100.00'), doc('100')], demoConfig())).toEqual([]);
    expect(adoptedDifferences(sale, [doc('100.01')], demoConfig())).toEqual([
      'invoice INV7: NetSuite 100.01 USD, 2Checkout 100.00 USD',
    ]);
    expect(
      adoptedDifferences(sale, [doc('100.01')], configWith({ adoption: { ...demoConfig().adoption, tolerance: 1 } })),
    ).toEqual([]);
  });

  it('differs in another currency', () => {
    expect(adoptedDifferences(sale, [doc('100.00', 'EUR')], demoConfig())).toEqual([
      'invoice INV7: NetSuite 100.00 EUR, 2Checkout 100.00 USD',
    ]);
  });
});

describe('the shadow report', () => {
  it('totals the verdicts of the days asked for, per verdict and currency', () => {
    const t = shadowTotals(
      [
        { kind: 'adoptedEqual', day: '2026-03-01', currency: 'USD', gross: '10.00', netsuiteTotal: '10.00' },
        { kind: 'adoptedDifferent', day: '2026-03-01', currency: 'USD', gross: '20.00', netsuiteTotal: '20.50' },
        { kind: 'wouldCreate', day: '2026-03-02', currency: 'EUR', gross: '5.00' },
        { kind: 'wouldPark', day: '2026-03-02', currency: 'JPY', gross: '1500', reason: 'UNMAPPED_PRODUCT' },
        { kind: 'wouldCreate', day: '2026-03-03', currency: 'EUR', gross: '7.00' },
      ],
      '2026-03-01',
      '2026-03-02',
    );
    expect(t.orders).toBe(4);
    expect(t.counts).toEqual({ adoptedEqual: 1, adoptedDifferent: 1, wouldCreate: 1, wouldPark: 1 });
    expect(t.byCurrency.USD).toMatchObject({ orders: 2, adoptedNetsuite: '30.50', adoptedTwoCheckout: '30.00' });
    expect(t.byCurrency.EUR?.byVerdict.wouldCreate).toEqual({ orders: 1, gross: '5.00' });
    expect(t.byCurrency.JPY?.byVerdict.wouldPark).toEqual({ orders: 1, gross: '1500' });
  });
});

describe('npm run backfill over days before the cut-over', () => {
  it('asks whether to adopt only or to post what is missing', () => {
    expect(cutoverProblem('2026-03-01', '2026-04-01T00:00:00.000Z', undefined)).toMatch(
      /--adopt-only .* or --post-missing/,
    );
    expect(cutoverProblem('2026-03-01', '2026-04-01T00:00:00.000Z', 'postMissing')).toBeUndefined();
    expect(cutoverProblem('2026-04-01', '2026-04-01T00:00:00.000Z', undefined)).toBeUndefined();
    expect(cutoverProblem('2026-03-01', undefined, undefined)).toBeUndefined();
  });
});
