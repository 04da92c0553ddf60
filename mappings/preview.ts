// What NetSuite records an IPN would produce, without writing anything (`npm run preview`; its
// terminal layout is scripts/lib/preview-format.ts). The file holds a raw IPN body (form-urlencoded, as 2Checkout posts it) or a canonical
// OrderEvent as JSON. A mapping problem is shown as the park the sync would make, not a crash.
import { parseForm } from '../twocheckout/webhooks/form.js';
import type { ParkDetails, PostingMode } from './sync-types.js';
import { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { buildCustomerBody, customerIdentity } from './customer-record.js';
import { MappingError } from './errors.js';
import { ipnToOrderEvent } from './from-2checkout.js';
import { resolveCurrency } from './resolve.js';
import { planCredit, type CreditPlan } from './credit-plan.js';
import { saleAsSourceDocument } from './credit-source.js';
import { buildCashSale, buildCustomerPayment, buildInvoiceTransform, buildSalesOrder, type SaleDocument } from './sale-records.js';

const PLACEHOLDER_CUSTOMER = '<customer id>';

/** A raw IPN body or a JSON OrderEvent → the canonical event (throws with the field that is wrong). */
export function readOrderEvent(content: string | Buffer): OrderEvent {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (text.trimStart().startsWith('{')) return OrderEvent.parse(JSON.parse(text));
  return ipnToOrderEvent(parseForm(text.trim()));
}

export interface RecordPreview {
  recordType: string;
  method: string;
  externalId: string;
  body: Record<string, unknown>;
}

export interface OrderPreview {
  order: OrderEvent;
  postingMode: PostingMode;
  records: RecordPreview[];
  sale?: SaleDocument;
  /** The credit memo a refund would post, planned exactly as the refund activity plans it. */
  refund?: CreditPlan & { currency: string };
  /** Set when the sync would park instead of posting. */
  park?: ParkDetails & { failureType: string };
}

/** Builds every body the activities would send for this event; never calls NetSuite. */
export function previewOrder(order: OrderEvent, config: MappingConfig, opts: { postingMode?: PostingMode; sale?: OrderEvent } = {}): OrderPreview {
  const postingMode = opts.postingMode ?? 'salesOrder';
  const preview: OrderPreview = { order, postingMode, records: [] };
  try {
    if (order.status === 'REFUND' || order.chargeback) {
      if (opts.sale) {
        const source = saleAsSourceDocument(opts.sale, config);
        const plan = planCredit({ event: order, source, prior: [], config, exponent: resolveCurrency(opts.sale.currency, config).exponent, what: `refund ${order.eventRef}` });
        preview.refund = { ...plan, currency: order.currency };
        return preview;
      }
      if (order.status === 'REFUND') return preview;
    }
    const identity = customerIdentity(order, config);
    preview.records.push({
      recordType: 'customer',
      method: `SuiteQL by externalId (${identity.candidates.map((c) => c.key).join(', ')}) or e-mail; if none: PUT customer/eid:${identity.externalId}`,
      externalId: identity.externalId,
      body: buildCustomerBody(order, config),
    });
    if (postingMode === 'cashSale') {
      const cs = buildCashSale(order, config, PLACEHOLDER_CUSTOMER);
      preview.sale = cs;
      preview.records.push({ recordType: 'cashSale', method: `PUT cashSale/eid:${cs.externalId}?replace=item`, externalId: cs.externalId, body: cs.body });
      return preview;
    }
    const so = buildSalesOrder(order, config, PLACEHOLDER_CUSTOMER);
    preview.sale = so;
    preview.records.push({ recordType: 'salesOrder', method: `PUT salesOrder/eid:${so.externalId}?replace=item`, externalId: so.externalId, body: so.body });
    const inv = buildInvoiceTransform(order, config);
    preview.records.push({ recordType: 'invoice', method: 'POST salesOrder/<id>/!transform/invoice', externalId: inv.externalId, body: inv.body });
    const pay = buildCustomerPayment(order, config);
    preview.records.push({ recordType: 'customerPayment', method: 'POST invoice/<id>/!transform/customerPayment', externalId: pay.externalId, body: pay.body });
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    preview.park = { ...e.details, failureType: e.failureType };
  }
  return preview;
}
