// `npm run preview -- <file>`: what NetSuite records an IPN would produce, without writing
// anything. The file holds a raw IPN body (form-urlencoded, as 2Checkout posts it) or a canonical
// OrderEvent as JSON. A mapping problem is shown as the park the sync would make, not a crash.
import { parseForm } from '../twocheckout/webhooks/form.js';
import type { ParkDetails, PostingMode } from './sync-types.js';
import { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { buildCustomerBody, customerIdentity } from './customer-record.js';
import { MappingError } from './errors.js';
import { ipnToOrderEvent } from './from-2checkout.js';
import { formatMinor } from './money.js';
import { resolveCurrency } from './resolve.js';
import { planCredit, saleAsSourceDocument, type CreditPlan } from './refund-records.js';
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

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** A readable report: the lines and totals first, then the exact JSON bodies. */
export function formatPreview(p: OrderPreview): string {
  const o = p.order;
  const out: string[] = [];
  out.push(`2Checkout order ${o.refNo} (${o.status}${o.testOrder ? ', TEST order' : ''}), ${o.currency}, paid with ${o.paymentMethod}`);
  out.push(`Posting mode: ${p.postingMode}. Nothing is written to NetSuite.`);
  if (p.park) {
    out.push('', `WOULD PARK (${p.park.failureType}, reason ${p.park.reason}${p.park.path ? ` at ${p.park.path}` : ''}):`, `  ${p.park.message}`);
    return out.join('\n');
  }
  if (p.refund) {
    const r = p.refund;
    out.push('', `Credit memo for ${r.amount} ${r.currency} (allocated ${r.method === 'byLine' ? 'by refunded line' : 'pro rata'}):`);
    for (const l of r.lines) out.push(`  item ${pad(l.item.id, 6)} ${pad(l.description ?? '', 40)} ${padLeft(l.amount.toFixed(r.exponent), 14)}`);
    out.push(`  ${pad('total', 55)} ${padLeft(r.postedTotal, 14)}`);
    return out.join('\n');
  }
  if (o.status === 'REFUND') {
    out.push('', 'A refund is allocated against its sale: pass the sale IPN with --sale <file> to see the credit memo.');
    return out.join('\n');
  }
  const s = p.sale!;
  const e = s.sale.exponent;
  out.push(
    `Exchange rate: ${s.fx.exchangeRate ? `${s.fx.exchangeRate} (2Checkout FX_RATE, ${o.currency}→${s.fx.baseCurrency})` : s.fx.source === 'same-currency' ? `none (${o.currency} is the subsidiary's base currency)` : "NetSuite's rate for the transaction date"}`,
  );
  out.push('', `${s.recordType} ${s.externalId} lines:`);
  out.push(`  ${pad('item', 6)} ${pad('description', 40)} ${padLeft('qty', 5)} ${padLeft('rate', 12)} ${padLeft('amount', 14)}`);
  for (const l of s.sale.lines) {
    out.push(
      `  ${pad(l.item.id, 6)} ${pad((l.description ?? '').slice(0, 40), 40)} ${padLeft(l.quantity !== undefined ? String(l.quantity) : '', 5)} ${padLeft(l.rate !== undefined ? String(l.rate) : '', 12)} ${padLeft(l.amount.toFixed(e), 14)}`,
    );
  }
  out.push(`  ${pad('total', 65)} ${padLeft(formatMinor(s.sale.postedTotal, e), 14)} ${o.currency}`);
  out.push(`  ${pad('paid by the shopper (IPN_TOTALGENERAL)', 65)} ${padLeft(s.paid, 14)} ${o.currency}`);
  const residue = s.sale.amounts.residue;
  if (residue !== 0n) out.push(`  rounding residue ${formatMinor(residue, e)} absorbed (within fx.residueTolerance)`);
  const matched = s.sale.products.map((m, i) => `line ${i + 1}: ${o.lines[i]!.productCode} → item ${m.target.item} (${m.matchedBy}, ${m.rulePath})`);
  out.push('', 'Product mapping:', ...matched.map((x) => `  ${x}`));
  out.push('', 'Requests:');
  for (const r of p.records) out.push(`  ${r.method}`, indent(JSON.stringify(r.body, null, 2), 4));
  return out.join('\n');
}

const indent = (text: string, n: number) =>
  text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
