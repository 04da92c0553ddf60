// Canonical order events for workflow tests (the gateway's parsing is tested separately).
import type { OrderEvent, OrderStatus } from '../../mappings/canonical.js';

let seq = 0;

export function orderEvent(refNo: string, status: OrderStatus, overrides: Partial<OrderEvent> = {}): OrderEvent {
  seq++;
  const ipnDate =
    overrides.ipnDate ?? `2026112410${String(seq % 60).padStart(2, '0')}${String(seq % 60).padStart(2, '0')}`;
  const messageId = overrides.messageId ?? String(1000 + seq);
  return {
    kind: 'order',
    key: `${refNo}|${status}|${messageId}|${ipnDate}`,
    eventRef: messageId,
    refNo,
    status,
    messageId,
    ipnDate,
    // Placed just now (UTC): a run started by it is the order's first (see mayFollowEarlierRun).
    saleDate: new Date().toISOString().slice(0, 19).replace('T', ' '),
    timezoneOffset: 'GMT+00:00',
    testOrder: false,
    currency: 'USD',
    paymentMethod: 'CCVISAMC',
    customer: { billing: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', countryCode: 'US' } },
    lines: [
      {
        index: 0,
        productId: '1',
        productCode: 'SOFT-BASIC',
        name: 'Basic',
        quantity: '1',
        unitPrice: '10.00',
        vat: '0',
        discount: '0',
        total: '10.00',
      },
    ],
    totals: { general: '10.00', shipping: '0', shippingTax: '0' },
    fx: {},
    originalRefNoExt: [],
    extra: {},
    ...overrides,
  };
}
