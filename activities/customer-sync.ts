// Find-or-create of the NetSuite customer for an order, in as few calls as possible, never
// creating a twin of a customer we made and never handing a shopper someone else's customer:
//   1. ONE SuiteQL query: our externalIds for the order (every configured match key) OR the
//      e-mail, case-insensitive, each written into the query as a literal (netsuite/suiteql.ts);
//   2. a match on one of the order's references (2Checkout or merchant customer reference) →
//      that customer, ours: changed fields are refreshed per `updatePolicy`;
//   3. else a same-e-mail match (including our own e-mail-hash key). 2Checkout does not prove
//      that a shopper owns the address they type, so a customer found this way is NEVER rewritten
//      and NEVER re-keyed; only the order's currency may be added to its list. Per `emailMatch`:
//        linkWithoutUpdate — use it: customers we created first, then the lowest internal id;
//        createAndFlag     — use it only if we created it; otherwise create a new customer whose
//                            `comments` name the same-e-mail customers for a person to review;
//        off               — no e-mail matching;
//   4. else create it with PUT …/customer/eid:{externalId} (an upsert: a concurrent or earlier
//      attempt that created it meanwhile is updated, not duplicated).
// Every change to an existing customer (refresh, a new currency) goes into ONE PATCH.
//
// A customer belongs to one subsidiary, and NetSuite refuses a transaction in another one
// (docs/reference-notes.md#ns-record-shapes). When the customer found is in another subsidiary
// than the order routes to, `customers.otherSubsidiary` decides:
//   customerPerSubsidiary — the shopper's customer in that subsidiary (externalId
//     `2co-cust-s<subsidiary>-…`, looked up in the same query), created when missing;
//   addSubsidiary — the customer is given the subsidiary (customerSubsidiaryRelationship: one
//     look-up and one create, once per customer and subsidiary; needs Multi-Subsidiary Customers);
//   park — the order stops (CUSTOMER_SUBSIDIARY) for a person.
// An order in the customer's own subsidiary costs nothing more.
import type { OrderEvent } from '../mappings/canonical.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import { MappingError } from '../mappings/errors.js';
import { EXTERNAL_ID_PREFIX } from '../mappings/ids.js';
import {
  buildCustomerBody,
  customerIdentity,
  customerScalarFields,
  type CustomerScalarFields,
} from '../mappings/customer-record.js';
import { mappingFileOf, resolveCurrency, resolveRouting } from '../mappings/resolve.js';
import { NetSuiteError, type NetSuiteClient, type RequestOptions, type SuiteQlRow } from '../netsuite/types.js';
import { ident, joinSql, suiteql, type SuiteQl } from '../netsuite/suiteql.js';
import type { SyncCustomerResult } from '../workflows/activity-contract.js';
import type { ActivityLogger } from './activity-context.js';

const OUR_PREFIX = `${EXTERNAL_ID_PREFIX}-`;

/**
 * Process-local memory of what was already added to customers: currencies on their currency lists,
 * subsidiaries (`sub:<id>`). Only an optimisation: losing it (restart, eviction) costs one
 * idempotent PATCH or one look-up, never correctness.
 */
export class KnownCurrencies {
  private readonly pairs = new Set<string>();
  constructor(private readonly max = 50_000) {}
  has(customerId: string, currencyId: string): boolean {
    return this.pairs.has(`${customerId}:${currencyId}`);
  }
  add(customerId: string, currencyId: string): void {
    if (this.pairs.size >= this.max) this.pairs.clear();
    this.pairs.add(`${customerId}:${currencyId}`);
  }
}

const text = (v: SuiteQlRow[string]): string => (v === null || v === undefined ? '' : String(v));

/**
 * What adoption adds to the customer match (docs/cutover.md): the customers of sales another tool
 * booked with this order's REFNO (a subquery; the `previousbooking` column says which rows they
 * are), and the keys that tool gave its customers. It costs no call: the same query answers.
 */
export interface CustomerAdoption {
  /** `SELECT entity FROM transaction WHERE <the REFNO rules>` (activities/adoption.ts). */
  bookingCustomers: SuiteQl;
  /** false: the booking is read by a query of its own, not folded into the customer query (adoption.foldIntoCustomerQuery). */
  folded?: boolean;
  /** Unfolded: the customers of the booking, read by that query of their own. */
  bookingIds?: readonly string[];
  /** A customer column and the value the previous tool's key for this shopper has there. */
  keys: ReadonlyArray<{ column: string; value: string }>;
}

/** SuiteQL for the match (our externalIds OR the e-mail [OR adoption's]); columns are the fields we compare. */
export function customerMatchQuery(
  externalIds: readonly string[],
  email: string | undefined,
  adoption?: CustomerAdoption,
): SuiteQl {
  const conditions: SuiteQl[] = [];
  if (externalIds.length > 0) conditions.push(suiteql`externalid IN (${externalIds})`);
  if (email !== undefined) conditions.push(suiteql`LOWER(email) = LOWER(${email})`);
  if (!adoption) {
    return suiteql`SELECT id, externalid, email, isperson, companyname, firstname, lastname, phone, currency, subsidiary FROM customer WHERE ${joinSql(conditions, ' OR ')}`;
  }
  const folded = adoption.bookingIds === undefined;
  if (folded) conditions.push(suiteql`id IN (${adoption.bookingCustomers})`);
  else if (adoption.bookingIds!.length > 0) conditions.push(suiteql`id IN (${adoption.bookingIds!})`);
  for (const k of adoption.keys) conditions.push(suiteql`${ident(k.column)} = ${k.value}`);
  const keyColumns = [...new Set(adoption.keys.map((k) => k.column).filter((c) => c !== 'externalid'))];
  const extra =
    keyColumns.length > 0
      ? suiteql`, ${joinSql(
          keyColumns.map((c) => ident(c)),
          ', ',
        )}`
      : suiteql``;
  const flag = folded
    ? suiteql`, CASE WHEN id IN (${adoption.bookingCustomers}) THEN 'T' ELSE 'F' END AS previousbooking`
    : suiteql``;
  return suiteql`SELECT id, externalid, email, isperson, companyname, firstname, lastname, phone, currency, subsidiary${extra}${flag} FROM customer WHERE ${joinSql(conditions, ' OR ')}`;
}

/** The subsidiaries a customer has beside its primary one (NetSuite lists the primary one too). */
export const customerSubsidiariesQuery = (customerId: string): SuiteQl =>
  suiteql`SELECT subsidiary FROM customersubsidiaryrelationship WHERE entity = ${customerId}`;

/** Fields whose value differs between what the order says and what NetSuite has (refresh policy). */
function changedFields(desired: CustomerScalarFields, row: SuiteQlRow): Record<string, string> {
  const current: Record<string, string> = {
    companyName: text(row.companyname),
    firstName: text(row.firstname),
    lastName: text(row.lastname),
    email: text(row.email),
    phone: text(row.phone),
  };
  const isPerson = text(row.isperson).toUpperCase();
  const out: Record<string, string> = {};
  // E-mail addresses differ only when they differ case-insensitively (that is how they are matched).
  if (desired.email !== undefined && desired.email.toLowerCase() !== current.email!.trim().toLowerCase())
    out.email = desired.email;
  if (desired.phone !== undefined && desired.phone !== current.phone) out.phone = desired.phone;
  // Names only within the same kind: turning a company into a person (or back) is for a human.
  const samePersonKind = isPerson === '' || (isPerson === 'T') === desired.isPerson;
  if (samePersonKind) {
    for (const field of ['companyName', 'firstName', 'lastName'] as const) {
      const want = desired[field];
      if (want !== undefined && want !== current[field]) out[field] = want;
    }
  }
  return out;
}

export async function syncCustomerRecord(args: {
  ns: NetSuiteClient;
  order: OrderEvent;
  config: MappingConfig;
  logger: ActivityLogger;
  opts: RequestOptions;
  /** `customerId:currencyId` pairs this process already put on a currency list (saves repeat PATCHes). */
  knownCurrencies?: KnownCurrencies;
  /**
   * Adoption (the workflow asked for it and the order may predate the cut-over): the same query
   * finds a previous tool's booking; `hold` writes nothing when none is found (before the cut-over).
   */
  adoption?: CustomerAdoption & { hold: boolean };
}): Promise<SyncCustomerResult> {
  const { ns, order, config, logger, opts, knownCurrencies, adoption } = args;
  // Everything that can fail on mapping fails here, before any call.
  const identity = customerIdentity(order, config);
  const body = buildCustomerBody(order, config);
  const currency = resolveCurrency(order.currency, config);
  const desired = customerScalarFields(order, config);
  const subsidiary = resolveRouting(order, config).subsidiary;
  const otherSubsidiary = config.customers.otherSubsidiary;

  const policy = config.customers.linkByEmail ? config.customers.emailMatch : 'off';
  const emailLookup = policy !== 'off' ? identity.email : undefined;
  const externalIdsToFind = identity.candidates.flatMap((c) => [
    c.externalId,
    ...(c.inSubsidiary ? [c.inSubsidiary] : []),
  ]);
  let fold = adoption;
  if (adoption && adoption.folded === false) {
    // The booking in a query of its own; its customers join the match as a list of ids.
    const bookingIds = [
      ...new Set(
        (await ns.suiteqlAll(adoption.bookingCustomers, opts))
          .map((r) => text(r.entity))
          .filter((id) => /^\d+$/.test(id)),
      ),
    ];
    fold = { ...adoption, bookingIds };
  }
  const rows = await ns.suiteqlAll(customerMatchQuery(externalIdsToFind, emailLookup, fold), opts);
  if (fold?.bookingIds) for (const r of rows) r.previousbooking = fold.bookingIds.includes(text(r.id)) ? 'T' : 'F';
  const log = { refNo: order.refNo, matchKey: identity.key };
  if (adoption) {
    // Another tool booked this order: its sale's customer is the order's; nothing is written here
    // (the workflow adopts the sale next). Of several, the oldest.
    const booked = rows
      .filter((r) => text(r.previousbooking) === 'T')
      .sort((a, b) => Number(text(a.id)) - Number(text(b.id)));
    if (booked.length > 0) {
      logger.info({ ...log, customerId: text(booked[0]!.id) }, 'order booked by another tool: its customer is adopted');
      return { customerId: text(booked[0]!.id), action: 'adopted', previousBooking: true };
    }
    if (adoption.hold) {
      logger.info(log, 'order sold before the cut-over and not booked: nothing written');
      return { customerId: '', action: 'held' };
    }
  }
  // With a customer per subsidiary, only customers in the order's subsidiary are candidates.
  const perSubsidiary = identity.candidates.some((c) => c.inSubsidiary !== undefined);
  const usable = (r: SuiteQlRow) => !perSubsidiary || text(r.subsidiary) === '' || text(r.subsidiary) === subsidiary;

  // A reference match proves the same 2Checkout (or merchant) customer account; an e-mail-hash
  // key proves no more than the e-mail does, so it is treated as an e-mail match.
  const byReference = identity.candidates
    .filter((c) => c.key !== 'email')
    .map((c) =>
      rows.find((r) => (text(r.externalid) === c.externalId || text(r.externalid) === c.inSubsidiary) && usable(r)),
    )
    .find((r) => r !== undefined);

  let match: SuiteQlRow | undefined = byReference;
  let review: string[] = [];
  // A customer the previous tool keyed for this shopper (adoption.customers.match): made elsewhere,
  // so linked like an e-mail match, never rewritten or re-keyed; but it proves the same account.
  if (!match && adoption && adoption.keys.length > 0) {
    match = rows
      .filter((r) => adoption.keys.some((k) => text(r[k.column]) === k.value) && usable(r))
      .sort((a, b) => Number(text(a.id)) - Number(text(b.id)))[0];
  }
  if (!match) {
    const emailKeys = new Set(
      identity.candidates
        .filter((c) => c.key === 'email')
        .flatMap((c) => [c.externalId, ...(c.inSubsidiary ? [c.inSubsidiary] : [])]),
    );
    const sameEmail = rows
      .filter(
        (r) =>
          emailKeys.has(text(r.externalid)) ||
          (emailLookup !== undefined && text(r.email).trim().toLowerCase() === emailLookup),
      )
      .filter(usable)
      .sort((a, b) => Number(text(a.id)) - Number(text(b.id)));
    const ours = sameEmail.filter((r) => text(r.externalid).startsWith(OUR_PREFIX));
    const others = sameEmail.filter((r) => !text(r.externalid).startsWith(OUR_PREFIX));
    if (ours.length > 0) match = ours[0];
    else if (others.length > 0 && policy === 'createAndFlag') review = others.map((r) => text(r.id));
    else if (others.length > 0) match = others[0];
    if (match && sameEmail.length > 1) {
      logger.warn(
        { ...log, candidates: sameEmail.map((r) => text(r.id)), chosen: text(match.id) },
        'several NetSuite customers share the e-mail; using ours first, then the lowest id',
      );
    }
  }

  if (!match) {
    // The shopper's customer in another subsidiary holds the plain externalId: this one gets the
    // externalId of their customer in this subsidiary.
    const first = identity.candidates[0]!;
    const taken = perSubsidiary && rows.some((r) => text(r.externalid) === first.externalId);
    const externalId = taken ? first.inSubsidiary! : identity.externalId;
    const flagged =
      review.length > 0
        ? {
            ...body,
            comments: `2checkout-netsuite-sync: same e-mail as customer ${review.join(', customer ')}, which this sync did not create; review before merging.`,
          }
        : body;
    const { id } = await ns.upsert('customer', externalId, flagged, { ...opts, replace: ['addressBook'] });
    if (review.length > 0) {
      logger.warn(
        { ...log, customerId: id, sameEmailCustomerIds: review },
        'customer created beside a same-e-mail customer another system owns; flagged for review',
      );
      return { customerId: id, action: 'created', review: { sameEmailCustomerIds: review } };
    }
    logger.info(
      { ...log, customerId: id, ...(taken ? { subsidiary } : {}) },
      taken ? "customer created in the order's subsidiary" : 'customer created',
    );
    return { customerId: id, action: 'created' };
  }
  const link = match !== byReference;

  const customerId = text(match.id);
  const home = text(match.subsidiary);
  if (subsidiary !== undefined && home !== '' && home !== subsidiary) {
    if (otherSubsidiary === 'park') {
      throw new MappingError(
        'CUSTOMER_SUBSIDIARY',
        `order ${order.refNo}: its customer ${customerId} (found by ${link ? 'e-mail' : identity.key}) belongs to subsidiary ${home}, but the order routes to subsidiary ${subsidiary}, ` +
          `and customers.otherSubsidiary is park. Fix: set customers.otherSubsidiary in ${mappingFileOf(config)} to customerPerSubsidiary (a customer of its own ` +
          `in subsidiary ${subsidiary}) or addSubsidiary (needs Multi-Subsidiary Customers), or give the customer subsidiary ${subsidiary} in NetSuite; then retry`,
        'customer',
      );
    }
    await ensureSubsidiary({ ns, customerId, subsidiary, opts, known: knownCurrencies });
    logger.info({ ...log, customerId, subsidiary }, 'subsidiary added to the customer');
  }
  const patch: Record<string, unknown> = {};
  // Identity and contact fields only on a reference match; an e-mail match is never rewritten.
  const refresh = !link && config.customers.updatePolicy === 'refresh' ? changedFields(desired, match) : {};
  Object.assign(patch, refresh);
  const primaryCurrency = text(match.currency);
  if (primaryCurrency !== '' && primaryCurrency !== currency.id && !knownCurrencies?.has(customerId, currency.id)) {
    // currencyList is keyed by currency: adding one that is already there changes nothing. SuiteQL
    // cannot show the sublist, so this costs one PATCH instead of a GET + PATCH.
    patch.currencyList = { items: [{ currency: { id: currency.id } }] };
  }
  if (Object.keys(patch).length === 0) return { customerId, action: link ? 'linked' : 'unchanged' };

  await ns.update('customer', customerId, patch, opts);
  if (patch.currencyList) knownCurrencies?.add(customerId, currency.id);
  const changed = Object.keys(patch);
  logger.info({ ...log, customerId, changed }, link ? 'order linked by e-mail; currency added' : 'customer updated');
  return { customerId, action: link ? 'linked' : 'updated' };
}

/**
 * Gives the customer a subsidiary (a customerSubsidiaryRelationship, docs/reference-notes.md#ns-record-shapes)
 * unless it has it: one look-up, one create, then remembered. A concurrent order that added it
 * first makes the create fail; the second look-up then finds it.
 */
async function ensureSubsidiary(args: {
  ns: NetSuiteClient;
  customerId: string;
  subsidiary: string;
  opts: RequestOptions;
  known?: KnownCurrencies;
}): Promise<void> {
  const { ns, customerId, subsidiary, opts, known } = args;
  const key = `sub:${subsidiary}`;
  if (known?.has(customerId, key)) return;
  const has = async () =>
    (await ns.suiteqlAll(customerSubsidiariesQuery(customerId), opts)).some((r) => text(r.subsidiary) === subsidiary);
  if (!(await has())) {
    try {
      await ns.create(
        'customerSubsidiaryRelationship',
        { entity: { id: customerId }, subsidiary: { id: subsidiary } },
        opts,
      );
    } catch (e) {
      if (!(e instanceof NetSuiteError && e.kind === 'user') || !(await has())) throw e;
    }
  }
  known?.add(customerId, key);
}
