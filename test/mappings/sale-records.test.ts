import { describe, expect, it } from 'vitest';
import { AmountMismatchError, MappingError } from '../../mappings/errors.js';
import {
  buildCashSale,
  buildCustomerPayment,
  buildInvoiceTransform,
  buildSalesOrder,
} from '../../mappings/sale-records.js';
import { resolveProduct } from '../../mappings/resolve.js';
import type { NsItemLine } from '../../mappings/sale-records.js';
import { configFromYaml, configWith, demoConfig, line, order } from './fixtures.js';

const linesOf = (body: Record<string, unknown>) => (body.item as { items: NsItemLine[] }).items;
const sumOf = (lines: NsItemLine[], exponent = 2) =>
  lines.reduce((s, l) => s + Math.round(l.amount * 10 ** exponent), 0) / 10 ** exponent;

function caught(fn: () => unknown): MappingError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MappingError) return e;
    throw e;
  }
  throw new Error('expected a MappingError');
}

describe('product mapping', () => {
  const config = configFromYaml(`
version: 1
products:
  rules:
    - { pattern: "^SUB-", item: 300 }
    - { group: SUBS, item: 200 }
    - { code: SUB-MONTHLY, item: 100 }
    - { pattern: ".*", item: 301 }
  default: { item: 999 }
currencies: { USD: 1 }
paymentMethods: { default: { account: 1 } }
`);
  const noDefault = { ...config, products: { rules: config.products.rules.slice(0, 3) } };
  const l = (productCode: string, productGroup?: string) =>
    line(0, { productCode, unitPrice: '1', ...(productGroup ? { productGroup } : {}) });

  it('prefers an exact code over a group over a pattern over the default, whatever the file order', () => {
    expect(resolveProduct(l('SUB-MONTHLY', 'SUBS'), config).target.item).toBe('100');
    expect(resolveProduct(l('SUB-OTHER', 'SUBS'), config).target.item).toBe('200');
    expect(resolveProduct(l('SUB-OTHER'), config).target.item).toBe('300');
    expect(resolveProduct(l('SUB-OTHER'), config).rulePath).toBe('products.rules[0]');
    expect(resolveProduct(l('X'), config).target.item).toBe('301');
    expect(resolveProduct(l('X'), { ...config, products: { rules: [], default: { item: '999' } } }).matchedBy).toBe(
      'default',
    );
    expect(() => resolveProduct(l('X'), noDefault)).toThrow(/product code X \(line 1\) has no NetSuite item/);
  });

  it('parks an unmapped product when there is no default, naming code, line and fix', () => {
    const o = order({
      lines: [
        line(0, { productCode: 'SOFT-BASIC', unitPrice: '10.00' }),
        line(1, { productCode: 'NEW-GADGET-X', unitPrice: '5.00' }),
      ],
      totals: { general: '15.00', shipping: '0', shippingTax: '0' },
    });
    const e = caught(() => buildSalesOrder(o, demoConfig(), '1'));
    expect(e.details.reason).toBe('UNMAPPED_PRODUCT');
    expect(e.details.path).toBe('lines[1].productCode');
    expect(e.message).toBe(
      'product code NEW-GADGET-X (line 2) has no NetSuite item: add it under products.rules in config/mappings.yaml (e.g. `- { code: NEW-GADGET-X, item: <internal id> }`), then retry the sync',
    );
  });

  it('parks unmapped currencies and payment methods with the key to add', () => {
    const chf = caught(() => buildSalesOrder(order({ currency: 'CHF' }), demoConfig(), '1'));
    expect(chf.details).toMatchObject({ reason: 'UNMAPPED_CURRENCY', path: 'currency' });
    expect(chf.message).toMatch(/CHF.*currencies in config\/mappings\.yaml/);
    const noDefaultPayment = configWith({ paymentMethods: { ...demoConfig().paymentMethods, default: undefined } });
    const pm = caught(() => buildCustomerPayment(order({ paymentMethod: 'BITCOIN' }), noDefaultPayment));
    expect(pm.details.reason).toBe('UNMAPPED_PAYMENT_METHOD');
    expect(pm.message).toMatch(/BITCOIN.*paymentMethods\.byCode/);
  });
});

describe('sales order body', () => {
  const threeLines = order({
    refNo: '12345678',
    currency: 'EUR',
    fx: { rate: '1.0843', payoutCurrency: 'USD' },
    lines: [
      line(0, {
        productCode: 'SOFT-PRO',
        unitPrice: '49.50',
        quantity: '2',
        discount: '9.90',
        vat: '17.82',
        vatRate: '20',
      }),
      line(1, { productCode: 'SUPPORT-1Y', unitPrice: '120.00', vat: '24.00', vatRate: '20' }),
      line(2, {
        productCode: 'SUB-ANNUAL',
        unitPrice: '19.99',
        vat: '4.00',
        vatRate: '20',
        license: { ref: 'LIC123ABC', start: '2026-01-10 11:59:00', expires: '2027-01-10 11:59:00', lifetime: false },
      }),
    ],
    totals: { general: '280.91', shipping: '5.00', shippingTax: '1.00' },
  });

  it('reconciles a multi-line order with tax, a discount and shipping to IPN_TOTALGENERAL', () => {
    const so = buildSalesOrder(threeLines, demoConfig(), '42');
    const items = linesOf(so.body);
    expect(items.map((l) => [l.item.id, l.amount])).toEqual([
      ['101', 99],
      ['110', -9.9],
      ['102', 120],
      ['105', 19.99],
      ['113', 46.82], // 17.82 + 24.00 + 4.00 VAT + 1.00 shipping tax
      ['111', 5],
    ]);
    expect(sumOf(items)).toBe(280.91);
    expect(so.total).toBe('280.91');
    expect(so.paid).toBe('280.91');
  });

  it('carries the identity, dates, currency, fx lineage and rev-rec dates NetSuite needs', () => {
    const so = buildSalesOrder(threeLines, demoConfig(), '42');
    expect(so.externalId).toBe('2co-so-12345678');
    expect(so.body).toMatchObject({
      entity: { id: '42' },
      otherRefNum: '12345678',
      tranDate: '2026-01-10',
      currency: { id: '2' },
      exchangeRate: 1.0843,
      subsidiary: { id: '1' },
      department: { id: '1' },
      location: { id: '1' },
      custbody_2co_refno: '12345678',
      custbody_2co_fx_rate: 1.0843,
    });
    const sub = linesOf(so.body).find((l) => l.item.id === '105')!;
    expect(sub).toMatchObject({ revRecStartDate: '2026-01-10', revRecEndDate: '2027-01-10', class: { id: '2' } });
    expect(linesOf(so.body).find((l) => l.item.id === '101')).not.toHaveProperty('revRecStartDate');
  });

  it("starts an upgrade's revenue on the upgrade date, not on the subscription's original start", () => {
    const sub = threeLines.lines.find((l) => l.license)!;
    const upgrade = {
      ...threeLines,
      saleDate: '2026-06-15 09:00:00',
      lines: [{ ...sub, license: { ...sub.license!, start: '2026-01-10 10:00:00', expires: '2027-01-10 10:00:00' } }],
    };
    const cfg = demoConfig();
    const lineOf = (o: typeof upgrade) => linesOf(buildSalesOrder(o, cfg, '42').body).find((l) => l.revRecStartDate)!;
    // buildSalesOrder reconciles with IPN_TOTALGENERAL: the one line is 19.99 + 4.00 VAT.
    upgrade.totals = { ...upgrade.totals, general: '23.99', shipping: '0', shippingTax: '0' };
    expect(lineOf(upgrade)).toMatchObject({ revRecStartDate: '2026-06-15', revRecEndDate: '2027-01-10' });
  });

  it('nets discounts into the line when configured', () => {
    const netted = configWith({ discounts: { mode: 'netted' } });
    const items = linesOf(buildSalesOrder(threeLines, netted, '42').body);
    expect(items.find((l) => l.item.id === '110')).toBeUndefined();
    expect(items[0]).toMatchObject({ item: { id: '101' }, quantity: 2, amount: 89.1, rate: 44.55 });
    expect(sumOf(items)).toBe(280.91);
  });

  it('posts no tax line under tax.mode none, while the payment stays what the shopper paid', () => {
    const suiteTax = configWith({ tax: { mode: 'none', description: 'x' } });
    const so = buildSalesOrder(threeLines, suiteTax, '42');
    expect(linesOf(so.body).find((l) => l.item.id === '113')).toBeUndefined();
    expect(so.total).toBe('234.09');
    expect(buildCustomerPayment(threeLines, suiteTax).amount).toBe('280.91');
  });

  it('books a JPY order in whole yen', () => {
    const jpy = order({
      currency: 'JPY',
      fx: { rate: '0.0067', payoutCurrency: 'USD' },
      lines: [line(0, { productCode: 'SOFT-BASIC', unitPrice: '1500', quantity: '3', vat: '450' })],
      totals: { general: '4950', shipping: '0', shippingTax: '0' },
    });
    const so = buildSalesOrder(jpy, demoConfig(), '7');
    expect(linesOf(so.body).map((l) => l.amount)).toEqual([4500, 450]);
    expect(so.total).toBe('4950');
    expect(so.body).toMatchObject({ currency: { id: '4' }, exchangeRate: 0.0067 });
  });

  it("books a KWD order in NetSuite's two decimals: each line rounded half-up, the difference to the rounded total on the rounding item", () => {
    const kwd = order({
      currency: 'KWD',
      fx: { rate: '3.2541', payoutCurrency: 'USD' },
      lines: [
        line(0, { productCode: 'SOFT-BASIC', unitPrice: '12.345', quantity: '2', vat: '1.235' }),
        line(1, { productCode: 'SUPPORT-1Y', unitPrice: '30.505', discount: '0.125' }),
      ],
      totals: { general: '56.305', shipping: '0', shippingTax: '0' },
    });
    const so = buildSalesOrder(kwd, demoConfig(), '7');
    // 24.690 → 24.69, 30.505 → 30.51, −0.125 → −0.13, 1.235 → 1.24: 56.31 against 56.305 → 56.31.
    expect(linesOf(so.body).map((l) => l.amount)).toEqual([24.69, 30.51, -0.13, 1.24]);
    expect(so.total).toBe('56.31');
    expect(buildCustomerPayment(kwd, demoConfig()).body.payment).toBe(56.31);

    const uneven = order({
      currency: 'KWD',
      fx: { rate: '3.2541', payoutCurrency: 'USD' },
      lines: [
        line(0, { productCode: 'SOFT-BASIC', unitPrice: '0.005', quantity: '1' }),
        line(1, { productCode: 'SUPPORT-1Y', unitPrice: '0.005' }),
      ],
      totals: { general: '0.010', shipping: '0', shippingTax: '0' },
    });
    const lines = linesOf(buildSalesOrder(uneven, demoConfig(), '7').body);
    expect(lines.map((l) => [l.item.id, l.amount])).toEqual([
      ['100', 0.01],
      ['102', 0.01],
      ['114', -0.01],
    ]);
    expect(sumOf(lines)).toBe(0.01);
    expect(buildCustomerPayment(uneven, demoConfig()).body.payment).toBe(0.01);
  });

  it('absorbs a rounding residue within tolerance on the tax line, and parks above it', () => {
    const offBy = (general: string) =>
      order({
        lines: [line(0, { productCode: 'SOFT-BASIC', unitPrice: '10.00', vat: '1.90' })],
        totals: { general, shipping: '0', shippingTax: '0' },
      });
    const so = buildSalesOrder(offBy('11.92'), demoConfig(), '1');
    expect(linesOf(so.body).map((l) => l.amount)).toEqual([10, 1.92]);
    expect(so.total).toBe('11.92');
    const e = caught(() => buildSalesOrder(offBy('11.95'), demoConfig(), '1'));
    expect(e).toBeInstanceOf(AmountMismatchError);
    expect(e.failureType).toBe('AmountMismatch');
    expect(e.details.reason).toBe('AMOUNT_MISMATCH');
    expect(e.message).toMatch(/add up to 11\.90 USD but the shopper paid 11\.95.*difference of 0\.05/);
  });
});

describe('exchange rate policy', () => {
  const eurFromUs = order({
    currency: 'EUR',
    fx: { rate: '1.0843', payoutCurrency: 'USD' },
    totals: { general: '100.00', shipping: '0', shippingTax: '0' },
  });

  it('uses 2Checkout FX_RATE when it converts into the subsidiary base currency', () => {
    const so = buildSalesOrder(eurFromUs, demoConfig(), '1');
    expect(so.fx).toEqual({ exchangeRate: '1.0843', source: 'twocheckout', baseCurrency: 'USD' });
    expect(so.body.exchangeRate).toBe(1.0843);
  });

  it('sends no rate when the order is in the base currency, or when NetSuite rates are configured', () => {
    expect(buildSalesOrder(order(), demoConfig(), '1').body).not.toHaveProperty('exchangeRate');
    const netsuiteRates = configWith({ fx: { ...demoConfig().fx, source: 'netsuite' } });
    expect(buildSalesOrder(eurFromUs, netsuiteRates, '1').body).not.toHaveProperty('exchangeRate');
  });

  it('parks when FX_RATE converts into another payout currency, unless told to fall back', () => {
    const eurPayout = order({ currency: 'GBP', fx: { rate: '1.17', payoutCurrency: 'EUR' } });
    const e = caught(() =>
      buildSalesOrder(eurPayout, configWith({ fx: { ...demoConfig().fx, onPayoutCurrencyMismatch: 'park' } }), '1'),
    );
    expect(e.details).toMatchObject({ reason: 'MAPPING_ERROR', path: 'fx.payoutCurrency' });
    expect(e.message).toMatch(/payout currency EUR, not into USD.*onPayoutCurrencyMismatch/);
    const fallback = configWith({ fx: { ...demoConfig().fx, onPayoutCurrencyMismatch: 'netsuite' } });
    expect(buildSalesOrder(eurPayout, fallback, '1').body).not.toHaveProperty('exchangeRate');
  });

  it("the shipped config books an EU shopper paying USD at NetSuite's rate and records 2Checkout's rate", () => {
    // Routed to the EUR subsidiary (billing country DE), paid in USD, paid out in USD: FX_RATE
    // converts USD into USD, not into EUR, so it cannot be the NetSuite exchange rate.
    const euShopperUsd = order({
      currency: 'USD',
      fx: { rate: '1', payoutCurrency: 'USD' },
      customer: {
        twoCheckoutRef: '777002',
        billing: { firstName: 'Jürgen', lastName: 'Groß', email: 'j@example.de', countryCode: 'DE' },
      },
    });
    const so = buildSalesOrder(euShopperUsd, demoConfig(), '1');
    expect(so.body.subsidiary).toEqual({ id: '2' });
    expect(so.body).not.toHaveProperty('exchangeRate');
    expect(so.fx).toMatchObject({ source: 'netsuite', baseCurrency: 'EUR' });
    expect(so.body.custbody_2co_fx_rate).toBe(1);
  });

  it("an order read from 2Checkout's API: its FX_RATE when it carries one, else NetSuite's rate (a webhook without FX_RATE still parks)", () => {
    const fromApi = { ...eurFromUs, source: 'reconcile' as const };
    expect(buildSalesOrder(fromApi, demoConfig(), '1').fx).toMatchObject({
      source: 'twocheckout',
      exchangeRate: '1.0843',
    });
    const bare = { ...fromApi, fx: {} };
    const so = buildSalesOrder(bare, demoConfig(), '1');
    expect(so.fx).toEqual({ source: 'netsuite', baseCurrency: 'USD' });
    expect(so.body).not.toHaveProperty('exchangeRate');
    expect(buildSalesOrder({ ...bare, fx: { rate: '1.0843' } }, demoConfig(), '1').fx.source).toBe('netsuite');
    expect(caught(() => buildSalesOrder({ ...eurFromUs, fx: {} }, demoConfig(), '1')).details).toMatchObject({
      reason: 'MAPPING_ERROR',
      path: 'fx.rate',
    });
  });

  it("fx.onPayoutCurrencyMismatch defaults to NetSuite's rate; park stays an option", () => {
    const minimal =
      'version: 1\nproducts: { default: { item: 100 } }\ncurrencies: { USD: { id: 1 } }\npaymentMethods: { default: { account: 201 } }\n';
    expect(configFromYaml(`${minimal}fx: { source: twocheckout }\n`).fx.onPayoutCurrencyMismatch).toBe('netsuite');
    expect(configFromYaml(minimal).fx.onPayoutCurrencyMismatch).toBe('netsuite');
    expect(
      configFromYaml(`${minimal}fx: { source: twocheckout, onPayoutCurrencyMismatch: park }\n`).fx
        .onPayoutCurrencyMismatch,
    ).toBe('park');
  });

  it('parks with FX_RESIDUE when line-by-line conversion drifts beyond the tolerance', () => {
    const many = order({
      currency: 'EUR',
      fx: { rate: '1.005', payoutCurrency: 'USD' },
      lines: Array.from({ length: 6 }, (_, i) => line(i, { productCode: 'SOFT-BASIC', unitPrice: '0.10' })),
      totals: { general: '0.60', shipping: '0', shippingTax: '0' },
    });
    // each 0.10 × 1.005 = 0.1005 → 0.10 per line (Σ 0.60), the whole 0.60 × 1.005 = 0.603 → 0.60: no residue
    expect(() => buildSalesOrder(many, demoConfig(), '1')).not.toThrow();
    const drifting = { ...many, fx: { rate: '1.015', payoutCurrency: 'USD' } };
    // per line 0.1015 → 0.10 (Σ 0.60); whole 0.609 → 0.61: residue 1 cent, within 2
    expect(() => buildSalesOrder(drifting, demoConfig(), '1')).not.toThrow();
    const strict = configWith({ fx: { ...demoConfig().fx, residueTolerance: 0 } });
    const e = caught(() => buildSalesOrder(drifting, strict, '1'));
    expect(e.failureType).toBe('AmountMismatch');
    expect(e.details.reason).toBe('FX_RESIDUE');
  });
});

describe('cash sale, invoice and payment bodies', () => {
  it('puts the deposit account and the configured payment field on the cash sale and payment', () => {
    const cs = buildCashSale(order(), demoConfig(), '9');
    expect(cs.externalId).toBe('2co-cs-900001');
    expect(cs.body).toMatchObject({
      entity: { id: '9' },
      account: { id: '201' },
      paymentOption: { id: '1' },
      otherRefNum: '900001',
    });
    const legacyField = configWith({ paymentMethods: { ...demoConfig().paymentMethods, field: 'paymentMethod' } });
    const pay = buildCustomerPayment(
      order({ currency: 'EUR', fx: { rate: '1.08', payoutCurrency: 'USD' } }),
      legacyField,
    );
    expect(pay.body).toMatchObject({
      externalId: '2co-pay-900001',
      account: { id: '202' },
      paymentMethod: { id: '1' },
      payment: 100,
    });
    expect(pay.body).not.toHaveProperty('paymentOption');
  });

  it('records the payment even when a product mapping changed after the invoice was posted', () => {
    const renamed = order({ lines: [line(0, { productCode: 'RENAMED-SKU', unitPrice: '100.00' })] });
    expect(() => buildSalesOrder(renamed, demoConfig(), '1')).toThrow(MappingError);
    expect(buildCustomerPayment(renamed, demoConfig()).amount).toBe('100.00');
  });

  it('gives the invoice its externalId in the transform body', () => {
    expect(buildInvoiceTransform(order(), demoConfig()).body).toMatchObject({
      externalId: '2co-inv-900001',
      tranDate: '2026-01-10',
      otherRefNum: '900001',
    });
  });
});
