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
import {
  buildCashSale,
  buildCustomerPayment,
  buildInvoiceTransform,
  buildSalesOrder,
  type SaleDocument,
} from './sale-records.js';

const PLACEHOLDER_CUSTOMER = '<customer id>';

/**
 * What a preview reads at most. A preview is run by people and assistants on input they paste, in
 * a process that may also run the gateway and the worker (`npm start`): an order of 60,000 empty
 * lines once cost seconds of CPU and a 100 MB validation message. Real 2Checkout orders are far
 * below these (an IPN of 100 products is about 30 KB).
 */
export const PREVIEW_LIMITS = {
  /** UTF-8 bytes of one IPN body or order-event JSON. */
  bytes: 100_000,
  /** Order lines (IPN_PID[] entries, or `lines` of the JSON). */
  lines: 500,
  /** Validation problems named in a refusal; the rest are counted. */
  problems: 5,
  /** Characters of one named problem. */
  problemChars: 200,
} as const;

/** The input of a preview is beyond PREVIEW_LIMITS or not an order event; the message says which. */
export class PreviewInputError extends Error {
  override readonly name = 'PreviewInputError';
}

/** A raw IPN body or a JSON OrderEvent → the canonical event (throws with the field that is wrong). */
export function readOrderEvent(content: string | Buffer): OrderEvent {
  const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  if (bytes > PREVIEW_LIMITS.bytes) {
    throw new PreviewInputError(
      `the input is ${Math.ceil(bytes / 1000)} KB; a preview reads at most ${PREVIEW_LIMITS.bytes / 1000} KB (one order's IPN body or event JSON)`,
    );
  }
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (text.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new PreviewInputError(
        `the input starts with "{" but is not valid JSON: ${shorten((err as Error).message)}`,
      );
    }
    const lines = (json as { lines?: unknown } | null)?.lines;
    if (Array.isArray(lines)) refuseTooManyLines(lines.length);
    const parsed = OrderEvent.safeParse(json);
    if (parsed.success) return parsed.data;
    throw new PreviewInputError(`not an order event: ${summarizeIssues(parsed.error.issues)}`);
  }
  const form = parseForm(text.trim());
  refuseTooManyLines(form.getAll('IPN_PID').length);
  return ipnToOrderEvent(form);
}

function refuseTooManyLines(n: number): void {
  if (n > PREVIEW_LIMITS.lines)
    throw new PreviewInputError(`the order has ${n} lines; a preview reads at most ${PREVIEW_LIMITS.lines} lines`);
}

function summarizeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const shown = issues
    .slice(0, PREVIEW_LIMITS.problems)
    .map((i) => shorten(`${i.path.map(String).join('.') || '(event)'}: ${i.message}`));
  const more = issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}`;
}

function shorten(s: string): string {
  const max = PREVIEW_LIMITS.problemChars;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
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
export function previewOrder(
  order: OrderEvent,
  config: MappingConfig,
  opts: { postingMode?: PostingMode; sale?: OrderEvent } = {},
): OrderPreview {
  const postingMode = opts.postingMode ?? 'salesOrder';
  const preview: OrderPreview = { order, postingMode, records: [] };
  try {
    if (order.status === 'REFUND' || order.chargeback) {
      if (opts.sale) {
        const source = saleAsSourceDocument(opts.sale, config);
        const plan = planCredit({
          event: order,
          source,
          prior: [],
          config,
          exponent: resolveCurrency(opts.sale.currency, config).exponent,
          what: `refund ${order.eventRef}`,
        });
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
      preview.records.push({
        recordType: 'cashSale',
        method: `PUT cashSale/eid:${cs.externalId}?replace=item`,
        externalId: cs.externalId,
        body: cs.body,
      });
      return preview;
    }
    const so = buildSalesOrder(order, config, PLACEHOLDER_CUSTOMER);
    preview.sale = so;
    preview.records.push({
      recordType: 'salesOrder',
      method: `PUT salesOrder/eid:${so.externalId}?replace=item`,
      externalId: so.externalId,
      body: so.body,
    });
    const inv = buildInvoiceTransform(order, config);
    preview.records.push({
      recordType: 'invoice',
      method: 'POST salesOrder/<id>/!transform/invoice',
      externalId: inv.externalId,
      body: inv.body,
    });
    const pay = buildCustomerPayment(order, config);
    preview.records.push({
      recordType: 'customerPayment',
      method: 'POST invoice/<id>/!transform/customerPayment',
      externalId: pay.externalId,
      body: pay.body,
    });
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    preview.park = { ...e.details, failureType: e.failureType };
  }
  return preview;
}
