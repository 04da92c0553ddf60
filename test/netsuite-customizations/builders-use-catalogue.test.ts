// The record builders and the shipped mapping files write only custom fields the SDF project
// defines (mappings/custom-objects.ts → netsuite-customizations/): a field a builder starts to write
// without being added to the catalogue would fail on a freshly deployed account, one order at a time.
import { describe, expect, it } from 'vitest';
import { loadMappingConfig } from '../../mappings/config-loader.js';
import type { MappingConfig } from '../../mappings/config-schema.js';
import { catalogueEntry, type CatalogueEntry } from '../../mappings/custom-objects.js';
import { buildCashSale, buildCustomerPayment, buildInvoiceTransform, buildSalesOrder } from '../../mappings/sale-records.js';
import { buildCustomerBody } from '../../mappings/customer-record.js';
import { disputeFields } from '../../mappings/dispute-fields.js';
import { buildCashRefundTransform, buildCreditMemoTransform, buildCustomerRefundTransform } from '../../mappings/refund-records.js';
import { planCredit } from '../../mappings/credit-plan.js';
import { saleAsSourceDocument } from '../../mappings/credit-source.js';
import { buildSubscriptionRecord } from '../../mappings/subscription-records.js';
import type { SubscriptionRecordState } from '../../mappings/sync-types.js';
import { ledgerRecordBody } from '../../activities/completeness-ledger.js';
import type { CompletenessLedger } from '../../mappings/completeness.js';
import { configFromYaml, order } from '../mappings/fixtures.js';

const CUSTOM = /^(custbody|custentity|custcol|custitem|custrecord|customrecord)/i;

/** Every key of a record body (nested too) that names a custom field. */
function customKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) customKeys(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (CUSTOM.test(k)) out.add(k);
      customKeys(v, out);
    }
  }
  return out;
}

/** What a body writes that the catalogue lacks, or has with another kind. */
function notInCatalogue(keys: Iterable<string>, kind: CatalogueEntry['kind'], recordType?: string): string[] {
  return [...keys].filter((k) => {
    const e = catalogueEntry(k);
    return !e || e.kind !== kind || (recordType !== undefined && e.recordType !== recordType);
  });
}

const subscription: SubscriptionRecordState = {
  licenseCode: 'LIC0000001',
  status: 'ACTIVE',
  plan: { productCode: 'SUB-MONTHLY', productId: '5001', name: 'Monthly' },
  quantity: 2,
  startedOn: '2026-01-15',
  periodStart: '2026-02-15',
  periodEnd: '2026-03-15',
  nextRenewal: '2026-03-15',
  lastOrderRefNo: '1002',
  customer: { netsuiteId: '301', twoCheckoutRef: '900001' },
  currency: 'USD',
  autoRenew: true,
  lifetime: false,
  renewals: 1,
};

const ledger: CompletenessLedger = {
  date: '2026-03-14',
  state: 'complete',
  ordersIn2co: 3,
  ordersInNs: 3,
  counts: { matched: 3, healed: 0, mismatched: 0, pending: 0, void: 0 },
  byCurrency: {},
  exceptions: [],
  finishedAt: '2026-03-15T02:31:00.000Z',
} as unknown as CompletenessLedger;

function bodiesOf(config: MappingConfig): { transaction: object[]; customer: object[]; subscription: object[] } {
  const sale = order({ refNo: '555', fx: { rate: '1.08', payoutCurrency: 'USD' } });
  const refund = { ...sale, status: 'REFUND' as const, eventRef: 'r1', key: '555|REFUND|r1', totals: { general: '-100.00', shipping: '0', shippingTax: '0' } };
  const invoice = { ...saleAsSourceDocument(sale, config), id: '900', label: 'INV900', currencyId: '1' };
  const credit = planCredit({ event: refund, source: invoice, prior: [], config, exponent: 2, what: 'refund r1' });
  const code = config.products.rules.find((r) => r.code !== undefined)!.code!;
  const record = buildSubscriptionRecord(
    { ...subscription, plan: { productCode: code, productId: '5001', name: 'Plan' }, pendingPlan: { productCode: code, productId: '5001', quantity: 2 } },
    config,
  );
  return {
    transaction: [
      buildSalesOrder(sale, config, '301').body,
      buildCashSale(sale, config, '301').body,
      buildInvoiceTransform(sale, config).body,
      buildCustomerPayment(sale, config).body,
      buildCreditMemoTransform(refund, credit, config, 'refund').body,
      buildCustomerRefundTransform(refund, config, 'refund').body,
      buildCashRefundTransform(refund, credit, config, 'refund').body,
      disputeFields({ ...sale, chargeback: { resolution: 'WON', reasonCode: 'FRAUD' } }, config),
    ],
    customer: [buildCustomerBody(sale, config)],
    subscription: record.kind === 'upsert' ? [record.body] : [],
  };
}

describe.each(['config/mappings.yaml', 'config/mappings.example.yaml'])('the builders with %s', (file) => {
  const config = loadMappingConfig(file);

  it('write only transaction body fields, entity fields and subscription record fields the SDF project defines', () => {
    const bodies = bodiesOf(config);
    const tx = customKeys(bodies.transaction);
    expect(tx.size).toBeGreaterThan(0);
    expect(notInCatalogue(tx, 'transactionBodyField')).toEqual([]);
    expect(notInCatalogue(customKeys(bodies.customer), 'entityField')).toEqual([]);
    const sub = customKeys(bodies.subscription);
    expect(sub.size).toBe(14);
    expect(notInCatalogue(sub, 'customRecordField', config.subscriptions.customRecord.type)).toEqual([]);
    expect(catalogueEntry(config.subscriptions.customRecord.type)?.kind).toBe('customRecordType');
  });
});

describe('the completeness ledger body', () => {
  it('writes only fields of the completeness record type the project defines', () => {
    const keys = customKeys(ledgerRecordBody(ledger));
    expect(keys.size).toBe(12);
    expect(notInCatalogue(keys, 'customRecordField', 'customrecord_2co_completeness')).toEqual([]);
  });
});

describe('a field outside the catalogue', () => {
  it('is caught: a mapping that writes custbody_2co_channel names a field the project does not define', () => {
    const base = loadMappingConfig('config/mappings.yaml');
    const config = configFromYaml(
      `version: 1\nproducts: { rules: [{ code: SOFT-BASIC, item: 100 }] }\ncurrencies: { USD: 1 }\npaymentMethods: { default: { account: 203 } }\n` +
        'customFields: { transaction: { custbody_2co_channel: { value: "2Checkout" } } }\n',
    );
    const keys = customKeys([buildSalesOrder(order(), { ...base, customFields: config.customFields }, '301').body]);
    expect(notInCatalogue(keys, 'transactionBodyField')).toEqual(['custbody_2co_channel']);
  });
});
