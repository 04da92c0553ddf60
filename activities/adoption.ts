// Adoption, the NetSuite side: the conditions that find a previous tool's records of an order (the
// `adoption:` section of the mapping), the ONE look-up query that reads them together with the
// sync's own records and the links it keeps, how the rows are told apart, and how an adopted record
// is linked (its externalId set where it has none and NetSuite accepts it, else a
// customrecord_2co_adoption record keyed by the externalId the sync would have given it).
// Adopted records are never rewritten otherwise: the link is the only write, and only in live mode.
import type { OrderEvent } from '../mappings/canonical.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import { ADOPTION_RECORD } from '../mappings/custom-objects.js';
import type { AdoptableType, AdoptionMatch } from '../mappings/adoption-config.js';
import {
  adoptedDifferences,
  fieldCarriesRefNo,
  refNoValue,
  saleBeforeCutover,
  type AdoptedDocument,
} from '../mappings/adoption.js';
import { EXTERNAL_ID_PREFIX, externalIds } from '../mappings/ids.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import { ident, joinSql, suiteql, type SuiteQl } from '../netsuite/suiteql.js';
import { NetSuiteError, type NetSuiteClient, type RequestOptions, type SuiteQlRow } from '../netsuite/types.js';
import type { AdoptionLink, AdoptionOutcome } from '../workflows/activity-contract.js';
import type { ActivityLogger } from './activity-context.js';
import { orderRecordsFrom } from './order-records.js';

/** NetSuite's SuiteQL type codes of the adoptable record types (docs/reference-notes.md#ns-suiteql). */
export const TYPE_CODE: Record<AdoptableType, string> = {
  salesOrder: 'SalesOrd',
  invoice: 'CustInvc',
  customerPayment: 'CustPymt',
  cashSale: 'CashSale',
};
const ROLE_OF: Record<string, AdoptableType> = Object.fromEntries(
  Object.entries(TYPE_CODE).map(([role, code]) => [code, role as AdoptableType]),
);

/** The externalId this sync gives each record of an order. */
export function ownExternalId(role: AdoptableType, refNo: string): string {
  switch (role) {
    case 'salesOrder':
      return externalIds.salesOrder(refNo);
    case 'invoice':
      return externalIds.invoice(refNo);
    case 'customerPayment':
      return externalIds.customerPayment(refNo);
    case 'cashSale':
      return externalIds.cashSale(refNo);
  }
}

const FIELD_COLUMN: Record<string, string> = { otherRefNum: 'otherrefnum', tranId: 'tranid', memo: 'memo' };
/** The SuiteQL column of a REFNO field (custom body fields are their lower-case script id; the schema checked the name). */
export const columnOf = (field: string): string => FIELD_COLUMN[field] ?? field.toLowerCase();

/** `alias.column` for a column the code or the validated mapping names. */
const col = (alias: string, column: string): SuiteQl => suiteql`${ident(alias)}.${ident(column)}`;

/**
 * The record carries this REFNO under one of the rules: exact for otherRefNum, tranId and custom
 * fields; LIKE for a memo (a superset: the rows are checked exactly by fieldCarriesRefNo).
 */
export function refNoCondition(alias: string, refNo: string, rules: readonly AdoptionMatch[]): SuiteQl {
  const parts = rules.map((rule) => {
    const value = refNoValue(rule.pattern, refNo);
    return rule.field === 'memo'
      ? suiteql`${col(alias, 'memo')} LIKE ${`%${value}%`}`
      : suiteql`${col(alias, columnOf(rule.field))} = ${value}`;
  });
  return suiteql`(${joinSql(parts, ' OR ')})`;
}

const typeCodes = (types: readonly AdoptableType[]): string[] => types.map((t) => TYPE_CODE[t]);

/** Customers of transactions another tool made for this order (a subquery for the customer match). */
export function bookingCustomers(refNo: string, config: MappingConfig): SuiteQl {
  const types = typeCodes(config.adoption.recordTypes.filter((t) => t !== 'customerPayment'));
  const sale = types.length > 0 ? types : typeCodes(config.adoption.recordTypes);
  return suiteql`SELECT b.entity FROM transaction b WHERE b.type IN (${sale}) AND ${refNoCondition('b', refNo, config.adoption.match)}`;
}

/** The customer keys `adoption.customers.match` gives this order: a column of `customer` and the value it holds. */
export function previousCustomerKeys(
  order: OrderEvent,
  config: MappingConfig,
): Array<{ column: string; value: string }> {
  const out: Array<{ column: string; value: string }> = [];
  for (const m of config.adoption.customers.match) {
    const refs: Record<string, string | undefined> = {
      '{twoCheckoutCustomerRef}': order.customer.twoCheckoutRef?.trim() || undefined,
      '{externalCustomerRef}': order.customer.externalRef?.trim() || undefined,
    };
    const placeholder = Object.keys(refs).find((p) => m.pattern.includes(p))!;
    const ref = refs[placeholder];
    if (ref === undefined) continue;
    out.push({
      column: m.field === 'externalId' ? 'externalid' : m.field.toLowerCase(),
      value: m.pattern.split(placeholder).join(ref),
    });
  }
  return out;
}

/** The exact externalIds of an order's sale records (what the link records are keyed by). */
const exactIds = (refNo: string) => [
  externalIds.salesOrder(refNo),
  externalIds.invoice(refNo),
  externalIds.customerPayment(refNo),
  externalIds.cashSale(refNo),
];

/**
 * ONE query for everything of an order: the sync's own records (their externalIds, the credit memo
 * and refund prefixes), the records it adopted earlier (linked by a customrecord_2co_adoption
 * record), and the records a previous tool made (the REFNO rules; an invoice made from such a sales
 * order; a payment applied to such an invoice).
 */
export function adoptionQuery(refNo: string, config: MappingConfig): SuiteQl {
  const exact = exactIds(refNo);
  const creditMemos = `${externalIds.creditMemo(refNo, 'x').slice(0, -1)}%`;
  const refunds = `${externalIds.customerRefund(refNo, 'x').slice(0, -1)}%`;
  const rules = config.adoption.match;
  const types = config.adoption.recordTypes;
  const custom = [...new Set(rules.map((r) => columnOf(r.field)).filter((c) => c.startsWith('custbody')))];
  const extra =
    custom.length > 0
      ? suiteql`, ${joinSql(
          custom.map((c) => col('t', c)),
          ', ',
        )}`
      : suiteql``;
  const link = ADOPTION_RECORD.fields;
  const conditions: SuiteQl[] = [
    suiteql`t.externalid IN (${exact})`,
    suiteql`t.externalid LIKE ${creditMemos}`,
    suiteql`t.externalid LIKE ${refunds}`,
    suiteql`a.externalid IN (${exact})`,
    suiteql`(t.type IN (${typeCodes(types)}) AND ${refNoCondition('t', refNo, rules)})`,
  ];
  if (types.includes('invoice') && types.includes('salesOrder')) {
    conditions.push(
      suiteql`(t.type = 'CustInvc' AND t.createdfrom IN (SELECT s.id FROM transaction s WHERE s.type = 'SalesOrd' AND ${refNoCondition('s', refNo, rules)}))`,
    );
  }
  if (types.includes('customerPayment') && types.includes('invoice')) {
    conditions.push(
      suiteql`(t.type = 'CustPymt' AND t.id IN (SELECT l.nextdoc FROM previoustransactionlink l INNER JOIN transaction s ON s.id = l.previousdoc WHERE s.type = 'CustInvc' AND ${refNoCondition('s', refNo, rules)}))`,
    );
  }
  return suiteql`SELECT t.id, t.externalid, t.type, t.entity, t.foreigntotal, t.foreignamountremaining, t.tranid, t.otherrefnum, t.memo, t.createdfrom, c.symbol AS currency, a.externalid AS linkedas${extra} FROM transaction t LEFT JOIN currency c ON c.id = t.currency LEFT JOIN ${ident(ADOPTION_RECORD.scriptId)} a ON a.${ident(link.transaction.scriptId)} = t.id WHERE ${joinSql(conditions, ' OR ')}`;
}

const text = (v: SuiteQlRow[string]): string => (v === null || v === undefined ? '' : String(v));
const OWN = new RegExp(`^${EXTERNAL_ID_PREFIX}-`);
/** The second key the sync writes into a transform's memo (`[2co-inv-123]`). */
const OWN_MARKER = new RegExp(`\\[(${EXTERNAL_ID_PREFIX}-[A-Za-z0-9_-]+)\\]`);

/** What the look-up found: the order's records (own and adopted) and what adoption made of the rest. */
export interface ReadAdoption {
  records: OrderRecords;
  /** Previous tool's records: id, role, and the externalId they carry (theirs), to link. */
  adopted: Array<AdoptedDocument & { externalId?: string }>;
  /** Own records found only by the second key in their memo (a transform body's externalId NetSuite dropped). */
  unkeyed: Array<{ role: AdoptableType; id: string; externalId: string }>;
  differences: string[];
  paidElsewhere: boolean;
}

/**
 * Tells the rows apart: the sync's own (by externalId, by a link record, by the memo's second key)
 * and a previous tool's (a record of an adoptable type carrying the REFNO exactly; an invoice made
 * from such a sales order; a payment applied to such an invoice). Of several previous records of
 * one role the oldest is adopted and the others are named as differences.
 */
export function readAdoptionRows(
  refNo: string,
  rows: readonly SuiteQlRow[],
  config: MappingConfig,
  order?: OrderEvent,
): ReadAdoption {
  const exact = new Set(exactIds(refNo));
  // A row linked to one of our externalIds counts as carrying it.
  const keyed = rows.map((r) =>
    text(r.linkedas) && exact.has(text(r.linkedas)) && !OWN.test(text(r.externalid))
      ? { ...r, externalid: text(r.linkedas) }
      : r,
  );
  const records = orderRecordsFrom(refNo, keyed);
  const unkeyed: ReadAdoption['unkeyed'] = [];
  const candidates: SuiteQlRow[] = [];
  for (const r of keyed) {
    if (OWN.test(text(r.externalid))) continue;
    const role = ROLE_OF[text(r.type)];
    if (!role) continue;
    const marker = OWN_MARKER.exec(text(r.memo))?.[1];
    if (marker && marker === ownExternalId(role, refNo)) {
      unkeyed.push({ role, id: text(r.id), externalId: marker });
      continue;
    }
    if (marker) continue; // another record of ours (a credit, another order's)
    candidates.push(r);
  }
  for (const u of unkeyed) assignRole(records, u.role, u.id);

  const rules = config.adoption.match;
  const carries = (r: SuiteQlRow) =>
    rules.some((rule) => fieldCarriesRefNo(rule, text(r[columnOf(rule.field)]), refNo));
  const byId = (a: SuiteQlRow, b: SuiteQlRow) => Number(text(a.id)) - Number(text(b.id));
  const of = (role: AdoptableType) => candidates.filter((r) => ROLE_OF[text(r.type)] === role).sort(byId);
  const saleOrders = of('salesOrder').filter(carries);
  const orderIds = new Set(saleOrders.map((r) => text(r.id)));
  const invoices = of('invoice').filter((r) => carries(r) || orderIds.has(text(r.createdfrom)));
  const cashSales = of('cashSale').filter(carries);
  // A payment that does not carry the REFNO came back as applied to an invoice that does.
  const payments = of('customerPayment').filter((r) => carries(r) || invoices.some(carries));

  const adopted: ReadAdoption['adopted'] = [];
  const differences: string[] = [];
  const take = (role: AdoptableType, list: SuiteQlRow[], already: string | undefined) => {
    if (list.length === 0 || already !== undefined) return;
    const [first, ...more] = list as [SuiteQlRow, ...SuiteQlRow[]];
    const doc = documentOf(role, first);
    adopted.push({ ...doc, ...(text(first.externalid) ? { externalId: text(first.externalid) } : {}) });
    assignRole(records, role, doc.id);
    if (!records.customerId && text(first.entity) && role !== 'customerPayment')
      records.customerId = text(first.entity);
    if (more.length > 0)
      differences.push(
        `${more.length + 1} ${role} records carry REFNO ${refNo} (${list.map((r) => text(r.tranid) || text(r.id)).join(', ')}): ${doc.label} was adopted; the others look like duplicates the previous tool made`,
      );
  };
  take('salesOrder', saleOrders, records.salesOrderId);
  take('invoice', invoices, records.invoiceId);
  take('customerPayment', payments, records.paymentId);
  take('cashSale', cashSales, records.cashSaleId);
  if (!records.customerId) {
    const withEntity = adopted.find((d) => d.role === 'customerPayment');
    const row = withEntity && candidates.find((r) => text(r.id) === withEntity.id);
    if (row && text(row.entity)) records.customerId = text(row.entity);
  }
  // An invoice paid in full whose payment was not found was paid in the other tool's way (a
  // deposit, a journal, a payment without the REFNO): nothing is owed there.
  const invoiceRow = records.invoiceId ? keyed.find((r) => text(r.id) === records.invoiceId) : undefined;
  const paidElsewhere =
    !records.paymentId &&
    invoiceRow !== undefined &&
    text(invoiceRow.foreignamountremaining) !== '' &&
    Number(text(invoiceRow.foreignamountremaining)) === 0;
  if (order) differences.push(...adoptedDifferences(order, adopted, config));
  // Linked earlier (a link record, not the sync's own externalId): still another tool's record.
  const linkedEarlier = rows
    .filter((r) => text(r.linkedas) && exact.has(text(r.linkedas)) && !OWN.test(text(r.externalid)))
    .map((r) => text(r.id));
  const adoptedIds = [...new Set([...linkedEarlier, ...adopted.map((d) => d.id)])];
  if (adoptedIds.length > 0) records.adopted = adoptedIds;
  return { records, adopted, unkeyed, differences, paidElsewhere };
}

function documentOf(role: AdoptableType, r: SuiteQlRow): AdoptedDocument {
  const id = text(r.id);
  return {
    role,
    id,
    label: text(r.tranid) || id,
    ...(text(r.foreigntotal) ? { total: text(r.foreigntotal).replace(/^-/, '') } : {}),
    ...(text(r.currency) ? { currency: text(r.currency) } : {}),
  };
}

function assignRole(records: OrderRecords, role: AdoptableType, id: string): void {
  if (role === 'salesOrder') records.salesOrderId ??= id;
  else if (role === 'invoice') records.invoiceId ??= id;
  else if (role === 'customerPayment') records.paymentId ??= id;
  else records.cashSaleId ??= id;
}

/**
 * Records the link of each adopted record so that every later look-up (this order's, a
 * reconciliation's, a refund's) finds it with the sync's own: its externalId set where it has none
 * and NetSuite takes the update (link: auto), else a customrecord_2co_adoption record keyed by that
 * externalId. The adopted record is never changed otherwise.
 */
export async function linkAdopted(args: {
  ns: NetSuiteClient;
  refNo: string;
  read: ReadAdoption;
  config: MappingConfig;
  opts: RequestOptions;
  logger: ActivityLogger;
}): Promise<AdoptionLink[]> {
  const { ns, refNo, read, config, opts } = args;
  const links: AdoptionLink[] = [];
  for (const u of read.unkeyed) {
    // One of the sync's own transforms whose externalId NetSuite dropped: give it that externalId.
    if (await setExternalId(ns, u.role, u.id, u.externalId, opts))
      links.push({ role: u.role, id: u.id, how: 'externalId' });
  }
  for (const d of read.adopted) {
    const ours = ownExternalId(d.role, refNo);
    if (config.adoption.link === 'auto' && !d.externalId && (await setExternalId(ns, d.role, d.id, ours, opts))) {
      links.push({ role: d.role, id: d.id, how: 'externalId' });
      continue;
    }
    const f = ADOPTION_RECORD.fields;
    await ns.upsert(
      ADOPTION_RECORD.scriptId,
      ours,
      {
        name: ours,
        [f.refNo.scriptId]: refNo,
        [f.recordType.scriptId]: d.role,
        [f.transaction.scriptId]: Number(d.id),
      },
      opts,
    );
    links.push({ role: d.role, id: d.id, how: 'mapping' });
  }
  if (links.length > 0)
    args.logger.info({ refNo, links: links.map((l) => `${l.role} ${l.id} by ${l.how}`) }, 'adopted records linked');
  return links;
}

/** PATCH externalId; false when NetSuite refuses it (a closed period, an account that does not allow it). */
async function setExternalId(
  ns: NetSuiteClient,
  type: string,
  id: string,
  externalId: string,
  opts: RequestOptions,
): Promise<boolean> {
  try {
    await ns.update(type, id, { externalId }, opts);
    return true;
  } catch (e) {
    if (e instanceof NetSuiteError && e.kind === 'user') return false;
    throw e;
  }
}

/** The look-up result the workflow gets: own and adopted records, and what adoption found. */
export function adoptionOutcome(
  read: ReadAdoption,
  config: MappingConfig,
  order: OrderEvent | undefined,
  links: AdoptionLink[],
): AdoptionOutcome {
  return {
    adopted: read.adopted.map(({ externalId: _theirs, ...d }) => d),
    differences: read.differences,
    ...(read.paidElsewhere ? { paidElsewhere: true } : {}),
    beforeCutover: order ? saleBeforeCutover(order, config) : false,
    ...(config.cutover.at ? { cutoverAt: config.cutover.at } : {}),
    ...(links.length > 0 ? { links } : {}),
  };
}
