// Shadow mode's verdict for one order (docs/cutover.md): the same look-up a live run makes first
// (own records, and a previous tool's by the adoption rules), then either what is already booked
// (adopted, equal or different), or that the order is before the cut-over (would park), or what a
// live run would write — found by running the real activities over a client that writes nothing
// (activities/shadow-client.ts), so the customer chosen and the bodies are exactly a live run's.
import { ApplicationFailure } from '@temporalio/common';
import { adoptionApplies, saleBeforeCutover } from '../mappings/adoption.js';
import { isParkReason } from '../mappings/park-reasons.js';
import { abs, currencyExponent, formatMinor, toMinor } from '../mappings/money.js';
import type { ShadowVerdict } from '../mappings/shadow.js';
import type { ParkDetails } from '../mappings/sync-types.js';
import { dayOf, normalizeDateTime } from '../mappings/time-values.js';
import type { OrderActivities, ShadowVerdictInput } from '../workflows/activity-contract.js';
import { adoptionQuery, readAdoptionRows, type ReadAdoption } from './adoption.js';
import { callOptions, type ActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import { orderRecordsFrom, orderRecordsQuery } from './order-records.js';
import { WriteRecorder } from './shadow-client.js';

type OrderWrites = Pick<
  OrderActivities,
  'syncCustomer' | 'upsertSalesOrder' | 'createInvoice' | 'applyPayment' | 'postCashSale'
>;

const quiet: ActivityLogger = { debug() {}, info() {}, warn() {}, error() {} };

export async function shadowVerdictOf(
  deps: NetSuiteActivityDeps,
  input: ShadowVerdictInput,
  activitiesOver: (deps: NetSuiteActivityDeps) => OrderWrites,
): Promise<ShadowVerdict> {
  const { order } = input;
  const config = deps.mappings.current();
  const iso = currencyExponent(order.currency);
  const base: ShadowVerdict = {
    kind: 'wouldCreate',
    refNo: order.refNo,
    day: dayOf(normalizeDateTime(order.saleDate) ?? normalizeDateTime(order.ipnDate) ?? '0000-00-00'),
    currency: order.currency,
    gross: formatMinor(abs(toMinor(order.totals.general, iso)), iso),
    ...(input.moneyBack.length > 0
      ? {
          moneyBack: input.moneyBack.map((e) => ({
            status: e.chargeback ? `CHARGEBACK ${e.chargeback.resolution}` : e.status,
            amount: formatMinor(abs(toMinor(e.totals.general, iso)), iso),
          })),
        }
      : {}),
  };

  const applies = adoptionApplies(order, config);
  const rows = await deps.netsuite.suiteqlAll(
    applies ? adoptionQuery(order.refNo, config) : orderRecordsQuery(order.refNo),
    callOptions('bulk'),
  );
  const read: ReadAdoption = applies
    ? readAdoptionRows(order.refNo, rows, config, order)
    : { records: orderRecordsFrom(order.refNo, rows), adopted: [], unkeyed: [], differences: [], paidElsewhere: false };
  const r = read.records;
  if (r.salesOrderId || r.invoiceId || r.cashSaleId) {
    const sale = ['invoice', 'cashSale', 'salesOrder']
      .map((role) => read.adopted.find((d) => d.role === role))
      .find((d) => d !== undefined);
    const ownSale = rows.find((row) => String(row.id ?? '') === (r.invoiceId ?? r.cashSaleId ?? r.salesOrderId));
    const total =
      sale?.total ??
      (ownSale?.foreigntotal !== undefined && ownSale.foreigntotal !== null
        ? String(ownSale.foreigntotal).replace(/^-/, '')
        : undefined);
    return {
      ...base,
      kind: read.differences.length > 0 ? 'adoptedDifferent' : 'adoptedEqual',
      ...(read.adopted.length > 0 ? { adopted: read.adopted.map(({ externalId: _theirs, ...d }) => d) } : {}),
      ...(total !== undefined ? { netsuiteTotal: formatMinor(toMinor(total, iso), iso) } : {}),
      ...(read.differences.length > 0 ? { differences: read.differences } : {}),
    };
  }
  if (saleBeforeCutover(order, config)) {
    return {
      ...base,
      kind: 'wouldPark',
      park: {
        reason: 'BEFORE_CUTOVER',
        message: `order ${order.refNo} was sold before the cut-over (${config.cutover.at}) and nothing of it is in NetSuite: the sync would report it and post nothing`,
      },
    };
  }

  const recorder = new WriteRecorder(deps.netsuite);
  const acts = activitiesOver({ ...deps, netsuite: recorder, logger: quiet });
  try {
    const customer = await acts.syncCustomer({ order });
    if (customer.action === 'linked' || customer.action === 'unchanged' || customer.action === 'updated') {
      if (!recorder.writes.some((w) => w.record === 'customer'))
        recorder.writes.unshift({ record: 'customer', action: 'link', id: customer.customerId });
    }
    if (input.postingMode === 'salesOrder') {
      const so = await acts.upsertSalesOrder({ order, customerId: customer.customerId });
      if (input.paid) {
        const inv = await acts.createInvoice({ order, salesOrderId: so.salesOrderId });
        await acts.applyPayment({ order, customerId: customer.customerId, invoiceId: inv.invoiceId });
      }
    } else if (input.paid) {
      await acts.postCashSale({ order, customerId: customer.customerId });
    }
  } catch (e) {
    const park = parkOf(e);
    if (!park) throw e;
    return { ...base, kind: 'wouldPark', park: { reason: park.reason, message: park.message } };
  }
  return { ...base, kind: 'wouldCreate', bodies: recorder.writes };
}

/** The park a live run would make of this failure; undefined for a failure a retry may fix. */
function parkOf(e: unknown): ParkDetails | undefined {
  if (!(e instanceof ApplicationFailure) || !e.nonRetryable) return undefined;
  const d = e.details?.[0] as Partial<ParkDetails> | undefined;
  if (d && isParkReason(d.reason) && typeof d.message === 'string') return { reason: d.reason, message: d.message };
  return { reason: 'UNEXPECTED_ERROR', message: e.message };
}
