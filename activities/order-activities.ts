// Order-to-cash NetSuite activities: customer, sales order, invoice, payment, cash sale, and the
// look-up of what already exists for an order. Built by a factory over injected clients (no
// globals), each one idempotent by a deterministic externalId (mappings/ids.ts).
//
// Calls for a new paid order in sales-order mode: customer query (+ one write for a new or changed
// customer), sales order PUT, invoice transform, payment transform: ≤ 5, and 4 for a returning
// customer with nothing to change. Mapping problems are found before the first call.
import type { OrderEvent } from '../mappings/canonical.js';
import { formatMinor } from '../mappings/money.js';
import { resolveCurrency } from '../mappings/resolve.js';
import { assertReconciles, computeOrderAmounts, postedTotalOf } from '../mappings/order-amounts.js';
import {
  buildCashSale,
  buildCustomerPayment,
  buildInvoiceTransform,
  buildSalesOrder,
} from '../mappings/sale-records.js';
import { callOptions, isRetryAttempt, temporalActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import type { OrderActivities, ShadowActivities } from '../workflows/activity-contract.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import { KnownCurrencies, syncCustomerRecord } from './customer-sync.js';
import { withActivityFailures } from './failures.js';
import { amountField, idempotentTransform, idempotentUpsert } from './idempotent-writes.js';
import { writeInOpenPeriod } from './posting-periods.js';
import {
  adoptionOutcome,
  adoptionQuery,
  bookingCustomers,
  linkAdopted,
  previousCustomerKeys,
  readAdoptionRows,
  type ReadAdoption,
} from './adoption.js';
import { orderRecordsFrom, orderRecordsQuery } from './order-records.js';
import { shadowVerdictOf } from './shadow-verdict.js';
import { adoptionApplies, saleBeforeCutover } from '../mappings/adoption.js';

export { orderRecordsFrom, orderRecordsQuery } from './order-records.js';

const emptyRead = (records: OrderRecords): ReadAdoption => ({
  records,
  adopted: [],
  unkeyed: [],
  differences: [],
  paidElsewhere: false,
});

export type OrderToCashActivities = Pick<
  OrderActivities,
  'syncCustomer' | 'upsertSalesOrder' | 'createInvoice' | 'applyPayment' | 'postCashSale' | 'findOrderRecords'
> &
  ShadowActivities;

export function createOrderActivities(deps: NetSuiteActivityDeps): OrderToCashActivities {
  const ns = deps.netsuite;
  const logger = deps.logger ?? temporalActivityLogger;
  const run = <T>(name: string, refNo: string, fn: () => Promise<T>) =>
    withActivityFailures(fn, logger, { activity: name, refNo });
  const exponentOf = (order: OrderEvent) => resolveCurrency(order.currency, deps.mappings.current()).exponent;
  const knownCurrencies = new KnownCurrencies();

  return {
    async syncCustomer({ order, adoption }) {
      return run('syncCustomer', order.refNo, async () => {
        const config = deps.mappings.current();
        // Only a workflow that took the adoption patch asks (an older run would not understand a held customer).
        if (!adoption)
          return syncCustomerRecord({ ns, order, config, logger, opts: callOptions('bulk'), knownCurrencies });
        const before = saleBeforeCutover(order, config);
        const cutover = { beforeCutover: before, ...(config.cutover.at ? { cutoverAt: config.cutover.at } : {}) };
        const fold = adoptionApplies(order, config)
          ? {
              bookingCustomers: bookingCustomers(order.refNo, config),
              folded: config.adoption.foldIntoCustomerQuery,
              keys: previousCustomerKeys(order, config),
              hold: before && !adoption.permitBeforeCutover,
            }
          : undefined;
        const res = await syncCustomerRecord({
          ns,
          order,
          config,
          logger,
          opts: callOptions('bulk'),
          knownCurrencies,
          ...(fold ? { adoption: fold } : {}),
        });
        return { ...res, ...cutover };
      });
    },

    async upsertSalesOrder({ order, customerId }) {
      return run('upsertSalesOrder', order.refNo, async () => {
        const config = deps.mappings.current();
        const doc = buildSalesOrder(order, config, customerId);
        const opts = { ...callOptions('bulk'), replace: ['item'] };
        const out = await writeInOpenPeriod(
          { ns, config, what: { refNo: order.refNo, record: 'sales order' }, opts },
          doc.body,
          (body) =>
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
        const out = await writeInOpenPeriod(
          { ns, config, what: { refNo: order.refNo, record: 'invoice' }, opts },
          invoiceBody,
          (body) =>
            idempotentTransform({
              ns,
              srcType: 'salesOrder',
              srcKey: salesOrderId,
              targetType: 'invoice',
              externalId,
              body,
              retryAttempt: isRetryAttempt(),
              lateWriteHorizonMs: deps.lateWriteHorizonMs,
              opts,
            }),
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
        const out = await writeInOpenPeriod(
          { ns, config, what: { refNo: order.refNo, record: 'customer payment' }, opts },
          payment.body,
          (body) =>
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
        const out = await writeInOpenPeriod(
          { ns, config, what: { refNo: order.refNo, record: 'cash sale' }, opts },
          doc.body,
          (body) =>
            idempotentUpsert({
              ns,
              type: 'cashSale',
              externalId: doc.externalId,
              body,
              retryAttempt: isRetryAttempt(),
              opts,
            }),
        );
        logger.info({ refNo: order.refNo, cashSaleId: out.id, reused: !!out.existing }, 'cash sale posted');
        return { cashSaleId: out.id, total: amountField(out.existing, 'total', exponentOf(order)) ?? doc.total };
      });
    },

    async findOrderRecords({ refNo, adoption }) {
      return run('findOrderRecords', refNo, async () => {
        const config = deps.mappings.current();
        const opts = callOptions('bulk');
        if (!adoption || (adoption.order && !adoptionApplies(adoption.order, config))) {
          const records = orderRecordsFrom(refNo, await ns.suiteqlAll(orderRecordsQuery(refNo), opts));
          logger.info({ refNo, found: Object.keys(records) }, 'looked up existing NetSuite records');
          return adoption
            ? { ...records, adoption: adoptionOutcome(emptyRead(records), config, adoption.order, []) }
            : records;
        }
        const read = readAdoptionRows(
          refNo,
          await ns.suiteqlAll(adoptionQuery(refNo, config), opts),
          config,
          adoption.order,
        );
        const links = adoption.link ? await linkAdopted({ ns, refNo, read, config, opts, logger }) : [];
        logger.info(
          {
            refNo,
            found: Object.keys(read.records),
            adopted: read.adopted.map((d) => `${d.role} ${d.id}`),
            differences: read.differences.length,
          },
          'looked up existing NetSuite records (with adoption)',
        );
        return { ...read.records, adoption: adoptionOutcome(read, config, adoption.order, links) };
      });
    },

    async shadowVerdict(input) {
      return run('shadowVerdict', input.order.refNo, () => shadowVerdictOf(deps, input, createOrderActivities));
    },
  };
}
