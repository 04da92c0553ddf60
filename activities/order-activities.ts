// Order-to-cash NetSuite activities: customer, sales order, invoice, payment, cash sale, and the
// look-up of what already exists for an order. Built by a factory over injected clients (no
// globals), each one idempotent by a deterministic externalId (mappings/ids.ts).
//
// Calls for a new paid order in sales-order mode: customer query (+ one write for a new or changed
// customer), sales order PUT, invoice transform, payment transform: ≤ 5, and 4 for a returning
// customer with nothing to change. Mapping problems are found before the first call.
import type { OrderEvent } from '../mappings/canonical.js';
import { externalIds } from '../mappings/ids.js';
import { formatMinor } from '../mappings/money.js';
import { resolveCurrency } from '../mappings/resolve.js';
import { assertReconciles, computeOrderAmounts, postedTotalOf } from '../mappings/order-amounts.js';
import { buildCashSale, buildCustomerPayment, buildInvoiceTransform, buildSalesOrder } from '../mappings/sale-records.js';
import type { SuiteQlRow } from '../netsuite/types.js';
import { suiteql, type SuiteQl } from '../netsuite/suiteql.js';
import { callOptions, isRetryAttempt, temporalActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import type { OrderActivities } from '../workflows/activity-contract.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import { KnownCurrencies, syncCustomerRecord } from './customer-sync.js';
import { withActivityFailures } from './failures.js';
import { amountField, idempotentTransform, idempotentUpsert } from './idempotent-writes.js';
import { writeInOpenPeriod } from './posting-periods.js';

export type OrderToCashActivities = Pick<
  OrderActivities,
  'syncCustomer' | 'upsertSalesOrder' | 'createInvoice' | 'applyPayment' | 'postCashSale' | 'findOrderRecords'
>;

export function createOrderActivities(deps: NetSuiteActivityDeps): OrderToCashActivities {
  const ns = deps.netsuite;
  const logger = deps.logger ?? temporalActivityLogger;
  const run = <T>(name: string, refNo: string, fn: () => Promise<T>) => withActivityFailures(fn, logger, { activity: name, refNo });
  const exponentOf = (order: OrderEvent) => resolveCurrency(order.currency, deps.mappings.current()).exponent;
  const knownCurrencies = new KnownCurrencies();

  return {
    async syncCustomer({ order }) {
      return run('syncCustomer', order.refNo, () =>
        syncCustomerRecord({ ns, order, config: deps.mappings.current(), logger, opts: callOptions('bulk'), knownCurrencies }),
      );
    },

    async upsertSalesOrder({ order, customerId }) {
      return run('upsertSalesOrder', order.refNo, async () => {
        const config = deps.mappings.current();
        const doc = buildSalesOrder(order, config, customerId);
        const opts = { ...callOptions('bulk'), replace: ['item'] };
        const out = await writeInOpenPeriod({ ns, config, what: { refNo: order.refNo, record: 'sales order' }, opts }, doc.body, (body) =>
          idempotentUpsert({
            ns,
            type: 'salesOrder',
            externalId: doc.externalId,
            body,
            retryAttempt: isRetryAttempt(),
            // Replace, never append, the item lines if the order is already there (docs/reference-notes.md#ns-records).
            opts,
          }),
        );
        logger.info({ refNo: order.refNo, salesOrderId: out.id, reused: !!out.existing }, 'sales order upserted');
        return { salesOrderId: out.id, total: amountField(out.existing, 'total', exponentOf(order)) ?? doc.total };
      });
    },

    async createInvoice({ order, salesOrderId }) {
      return run('createInvoice', order.refNo, async () => {
        const config = deps.mappings.current();
        // The lines come from the sales order; only the expected total is computed here.
        const amounts = computeOrderAmounts(order, config);
        assertReconciles(order, amounts, config);
        const { externalId, body: invoiceBody } = buildInvoiceTransform(order, config);
        const opts = callOptions('bulk');
        const out = await writeInOpenPeriod({ ns, config, what: { refNo: order.refNo, record: 'invoice' }, opts }, invoiceBody, (body) =>
          idempotentTransform({ ns, srcType: 'salesOrder', srcKey: salesOrderId, targetType: 'invoice', externalId, body, retryAttempt: isRetryAttempt(), lateWriteHorizonMs: deps.lateWriteHorizonMs, opts }),
        );
        logger.info({ refNo: order.refNo, salesOrderId, invoiceId: out.id, reused: !!out.existing }, 'invoice created');
        const e = amounts.exponent;
        const total = amountField(out.existing, 'total', e) ?? formatMinor(postedTotalOf(amounts, config), e);
        return { invoiceId: out.id, total, amountRemaining: amountField(out.existing, 'amountRemaining', e) ?? total };
      });
    },

    async applyPayment({ order, invoiceId }) {
      return run('applyPayment', order.refNo, async () => {
        const config = deps.mappings.current();
        const payment = buildCustomerPayment(order, config);
        const opts = callOptions('money');
        const out = await writeInOpenPeriod({ ns, config, what: { refNo: order.refNo, record: 'customer payment' }, opts }, payment.body, (body) =>
          idempotentTransform({
            ns,
            srcType: 'invoice',
            srcKey: invoiceId,
            targetType: 'customerPayment',
            externalId: payment.externalId,
            body,
            retryAttempt: isRetryAttempt(),
            lateWriteHorizonMs: deps.lateWriteHorizonMs,
            opts,
          }),
        );
        logger.info({ refNo: order.refNo, invoiceId, paymentId: out.id, reused: !!out.existing }, 'payment applied');
        return { paymentId: out.id, amount: amountField(out.existing, 'payment', exponentOf(order)) ?? payment.amount };
      });
    },

    async postCashSale({ order, customerId }) {
      return run('postCashSale', order.refNo, async () => {
        const config = deps.mappings.current();
        const doc = buildCashSale(order, config, customerId);
        const opts = { ...callOptions('money'), replace: ['item'] };
        const out = await writeInOpenPeriod({ ns, config, what: { refNo: order.refNo, record: 'cash sale' }, opts }, doc.body, (body) =>
          idempotentUpsert({ ns, type: 'cashSale', externalId: doc.externalId, body, retryAttempt: isRetryAttempt(), opts }),
        );
        logger.info({ refNo: order.refNo, cashSaleId: out.id, reused: !!out.existing }, 'cash sale posted');
        return { cashSaleId: out.id, total: amountField(out.existing, 'total', exponentOf(order)) ?? doc.total };
      });
    },

    async findOrderRecords({ refNo }) {
      return run('findOrderRecords', refNo, async () => {
        const rows = await ns.suiteqlAll(orderRecordsQuery(refNo), callOptions('bulk'));
        const records = orderRecordsFrom(refNo, rows);
        logger.info({ refNo, found: Object.keys(records) }, 'looked up existing NetSuite records');
        return records;
      });
    },
  };
}

/** One query for everything this service may have written for an order (its externalIds). */
export function orderRecordsQuery(refNo: string): SuiteQl {
  const exact = [externalIds.salesOrder(refNo), externalIds.invoice(refNo), externalIds.customerPayment(refNo), externalIds.cashSale(refNo)];
  // Prefix matches: `_` in a REFNO would widen them, so orderRecordsFrom checks every row exactly.
  const creditMemos = `${externalIds.creditMemo(refNo, 'x').slice(0, -1)}%`;
  const refunds = `${externalIds.customerRefund(refNo, 'x').slice(0, -1)}%`;
  return suiteql`SELECT id, externalid, type, entity, foreigntotal FROM transaction WHERE externalid IN (${exact}) OR externalid LIKE ${creditMemos} OR externalid LIKE ${refunds}`;
}

const text = (v: SuiteQlRow[string]): string => (v === null || v === undefined ? '' : String(v));

/** Classifies the rows by externalId (the only thing we control), not by NetSuite's type codes. */
export function orderRecordsFrom(refNo: string, rows: SuiteQlRow[]): OrderRecords {
  const out: OrderRecords = {};
  const cmPrefix = externalIds.creditMemo(refNo, 'x').slice(0, -1);
  const rfPrefix = externalIds.customerRefund(refNo, 'x').slice(0, -1);
  const refunds = new Map<string, string>();
  for (const row of rows) {
    const eid = text(row.externalid);
    const id = text(row.id);
    if (eid === externalIds.salesOrder(refNo)) {
      out.salesOrderId = id;
      if (text(row.entity)) out.customerId = text(row.entity);
    } else if (eid === externalIds.cashSale(refNo)) {
      out.cashSaleId = id;
      if (text(row.entity)) out.customerId = text(row.entity);
    } else if (eid === externalIds.invoice(refNo)) out.invoiceId = id;
    else if (eid === externalIds.customerPayment(refNo)) out.paymentId = id;
    else if (eid.startsWith(cmPrefix)) {
      const eventRef = eid.slice(cmPrefix.length);
      const total = text(row.foreigntotal).replace(/^-/, '');
      out.creditMemos = { ...out.creditMemos, [eventRef]: { creditMemoId: id, amount: total } };
    } else if (eid.startsWith(rfPrefix)) refunds.set(eid.slice(rfPrefix.length), id);
  }
  for (const [eventRef, refundId] of refunds) {
    const cm = out.creditMemos?.[eventRef];
    if (cm) cm.customerRefundId = refundId;
  }
  return out;
}
