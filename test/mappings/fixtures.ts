// Hand-made canonical events and configs for mapping and activity tests.
import { OrderEvent, type OrderLine } from '../../mappings/canonical.js';
import { loadMappingConfig, parseMappingConfig } from '../../mappings/config-loader.js';
import type { MappingConfig } from '../../mappings/config-schema.js';

export const DEMO_MAPPINGS = 'config/mappings.yaml';
export const demoConfig = (): MappingConfig => loadMappingConfig(DEMO_MAPPINGS);

/** The demo config with some top-level sections replaced (YAML snippets keep tests readable). */
export function configWith(patch: Partial<MappingConfig>): MappingConfig {
  return { ...demoConfig(), ...patch };
}

export const configFromYaml = (yaml: string): MappingConfig => parseMappingConfig(yaml, 'test.yaml');

export function line(index: number, l: Partial<OrderLine> & { productCode: string; unitPrice: string }): OrderLine {
  return {
    index,
    productId: String(1000 + index),
    name: `Product ${l.productCode}`,
    quantity: '1',
    vat: '0',
    discount: '0',
    total: '0',
    ...l,
  };
}

/** A paid order; override anything. Amounts are the caller's to keep consistent. */
export function order(over: Partial<OrderEvent> = {}): OrderEvent {
  return OrderEvent.parse({
    kind: 'order',
    key: `${over.refNo ?? '900001'}|COMPLETE|1|20260110120000`,
    eventRef: '1',
    refNo: '900001',
    status: 'COMPLETE',
    ipnDate: '20260110120000',
    saleDate: '2026-01-10 11:58:00',
    paymentDate: '2026-01-10 11:59:00',
    testOrder: false,
    currency: 'USD',
    paymentMethod: 'CCVISAMC',
    customer: {
      twoCheckoutRef: '777001',
      billing: {
        firstName: 'Jane',
        lastName: 'Doe',
        email: 'Jane.Doe@Example.com',
        address1: '1 Main St',
        city: 'Springfield',
        zip: '12345',
        countryCode: 'US',
      },
    },
    lines: [line(0, { productCode: 'SOFT-BASIC', unitPrice: '100.00', total: '100.00' })],
    totals: { general: '100.00' },
    fx: { rate: '1', payoutCurrency: 'USD' },
    ...over,
  });
}
