// Find-or-create of the NetSuite customer for an order, in as few calls as possible and never
// creating a twin:
//   1. ONE SuiteQL query: our externalIds for the order (every configured match key) OR the
//      e-mail, case-insensitive;
//   2. externalId match (in match-key order) → that customer; refresh changed fields per policy;
//   3. else a customer with the same e-mail and no externalId → link it (set our externalId);
//      several → the lowest internal id, deterministically, and a log line;
//      a same-e-mail customer keyed by ANOTHER system is used as it is (its key is not ours to change);
//   4. else create it with PUT …/customer/eid:{externalId} (an upsert: a concurrent or earlier
//      attempt that created it meanwhile is updated, not duplicated).
// Every change to an existing customer (link, refresh, a new currency) goes into ONE PATCH.
import type { OrderEvent } from '../mappings/canonical.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import { EXTERNAL_ID_PREFIX } from '../mappings/ids.js';
import { buildCustomerBody, customerIdentity, customerScalarFields, type CustomerScalarFields } from '../mappings/customer-record.js';
import { resolveCurrency } from '../mappings/resolve.js';
import type { NetSuiteClient, RequestOptions, SuiteQlRow } from '../netsuite/types.js';
import type { SyncCustomerResult } from './contract.js';
import type { ActivityLogger } from './activity-context.js';

const OUR_PREFIX = `${EXTERNAL_ID_PREFIX}-`;

/**
 * Process-local memory of currencies already added to customers' currency lists. Only an
 * optimisation: losing it (restart, eviction) costs one idempotent PATCH, never correctness.
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

/** SuiteQL for the match; columns are the fields we compare. */
export function customerMatchQuery(externalIdCount: number, withEmail: boolean): string {
  const conditions = Array.from({ length: externalIdCount }, () => 'externalid = ?');
  if (withEmail) conditions.push('LOWER(email) = LOWER(?)');
  return `SELECT id, externalid, email, isperson, companyname, firstname, lastname, phone, currency FROM customer WHERE ${conditions.join(' OR ')}`;
}

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
  if (desired.email !== undefined && desired.email.toLowerCase() !== current.email!.trim().toLowerCase()) out.email = desired.email;
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
}): Promise<SyncCustomerResult> {
  const { ns, order, config, logger, opts, knownCurrencies } = args;
  // Everything that can fail on mapping fails here, before any call.
  const identity = customerIdentity(order, config);
  const body = buildCustomerBody(order, config);
  const currency = resolveCurrency(order.currency, config);
  const desired = customerScalarFields(order, config);

  const emailLookup = config.customers.linkByEmail ? identity.email : undefined;
  const params: string[] = [...identity.candidates.map((c) => c.externalId), ...(emailLookup ? [emailLookup] : [])];
  const rows = await ns.suiteqlAll(customerMatchQuery(identity.candidates.length, emailLookup !== undefined), params, opts);

  const byExternalId = identity.candidates.map((c) => rows.find((r) => text(r.externalid) === c.externalId)).find((r) => r !== undefined);
  const log = { refNo: order.refNo, matchKey: identity.key };

  let match: SuiteQlRow | undefined = byExternalId;
  let link = false;
  if (!match && emailLookup) {
    const sameEmail = rows
      .filter((r) => text(r.email).trim().toLowerCase() === emailLookup)
      .sort((a, b) => Number(text(a.id)) - Number(text(b.id)));
    const unlinked = sameEmail.filter((r) => text(r.externalid) === '');
    const foreign = sameEmail.filter((r) => text(r.externalid) !== '' && !text(r.externalid).startsWith(OUR_PREFIX));
    if (unlinked.length > 0) {
      match = unlinked[0];
      link = true;
      if (unlinked.length > 1) {
        logger.warn({ ...log, candidates: unlinked.map((r) => text(r.id)), chosen: text(match!.id) }, 'several unlinked NetSuite customers share the e-mail; linking the lowest id');
      }
    } else if (foreign.length > 0) {
      match = foreign[0];
      logger.info({ ...log, customerId: text(match!.id) }, 'customer matched by e-mail carries another system’s externalId; using it without re-keying');
    }
  }

  if (!match) {
    const { id } = await ns.upsert('customer', identity.externalId, body, { ...opts, replace: ['addressBook'] });
    logger.info({ ...log, customerId: id }, 'customer created');
    return { customerId: id, action: 'created' };
  }

  const customerId = text(match.id);
  const patch: Record<string, unknown> = {};
  if (link) patch.externalId = identity.externalId;
  const refresh = config.customers.updatePolicy === 'refresh' ? changedFields(desired, match) : {};
  Object.assign(patch, refresh);
  const primaryCurrency = text(match.currency);
  if (primaryCurrency !== '' && primaryCurrency !== currency.id && !knownCurrencies?.has(customerId, currency.id)) {
    // currencyList is keyed by currency: adding one that is already there changes nothing. SuiteQL
    // cannot show the sublist, so this costs one PATCH instead of a GET + PATCH.
    patch.currencyList = { items: [{ currency: { id: currency.id } }] };
  }
  if (Object.keys(patch).length === 0) return { customerId, action: 'unchanged' };

  await ns.update('customer', customerId, patch, opts);
  if (patch.currencyList) knownCurrencies?.add(customerId, currency.id);
  const changed = Object.keys(patch);
  logger.info({ ...log, customerId, changed }, link ? 'customer linked by e-mail' : 'customer updated');
  return { customerId, action: link ? 'linked' : 'updated' };
}
