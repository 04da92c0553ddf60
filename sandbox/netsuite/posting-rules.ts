// Rules a production OneWorld account enforces on a transaction's subsidiary and accounts
// (sandbox/netsuite/README.md, "Strict account rules"):
//   • a customer belongs to one subsidiary; a transaction in another is refused, unless the account
//     uses Multi-Subsidiary Customers and the customer has that subsidiary (a
//     customerSubsidiaryRelationship record);
//   • a payment, refund or cash sale can post money only into an account kept in the transaction's
//     currency or in the subsidiary's base currency.
import { currencySymbol } from './currencies.js';
import { invalidFieldValue, missingValue, userError } from './errors.js';
import type { RecordStore } from './store.js';
import { isTransactionType, TRANSACTION_TYPES } from './record-types.js';
import { refId, str, type Fields } from './values.js';

export const RELATIONSHIP_TYPE = 'customerSubsidiaryRelationship';

/** The account settings the rules depend on (where real accounts differ). */
export interface AccountFeatures {
  /** Multi-Subsidiary Customer (Setup > Company > Enable Features): off by default, the stricter account. */
  multiSubsidiaryCustomers: boolean;
  /**
   * Whether an update may set or change a transaction's externalId (PATCH). Shown for records in
   * general (SuiteTalk REST: Tim Dietrich's external-id post; the SOAP platform guide: external ids
   * can be updated through web services); for transactions UNCONFIRMED, so a switch (default true).
   */
  transactionExternalIdEditable?: boolean;
}

/** Subsidiaries a customer may transact in: its own, plus those its relationships add. */
export function customerSubsidiaries(store: RecordStore, customer: Fields & { id: string }): Set<string> {
  const out = new Set<string>();
  const primary = refId(customer.subsidiary);
  if (primary) out.add(primary);
  for (const r of store.all(RELATIONSHIP_TYPE))
    if (refId(r.entity) === customer.id && refId(r.subsidiary)) out.add(refId(r.subsidiary)!);
  return out;
}

/** A transaction in a subsidiary the customer does not have. Wording from NetSuite's "Invalid … reference key … for subsidiary" family (observed in public clients). */
export function checkCustomerSubsidiary(
  store: RecordStore,
  customer: Fields & { id: string },
  subsidiaryId: string,
  features: AccountFeatures,
): void {
  const primary = refId(customer.subsidiary);
  if (primary === undefined || primary === subsidiaryId) return;
  if (features.multiSubsidiaryCustomers && customerSubsidiaries(store, customer).has(subsidiaryId)) return;
  throw userError(`Invalid entity reference key ${customer.id} for subsidiary ${subsidiaryId}.`, 'entity');
}

/** Transaction types that move money into or out of a bank / clearing account named in `account`. */
const MONEY_TYPES = new Set(['customerPayment', 'customerRefund', 'cashSale', 'cashRefund']);

/**
 * The account's currency must be the transaction's or the subsidiary's base currency (NetSuite:
 * a foreign-currency bank account takes only its own currency). The wording is the sandbox's own.
 */
export function checkAccountCurrency(
  store: RecordStore,
  type: string,
  rec: Fields,
  currencyId: string,
  baseId: string,
): void {
  if (!MONEY_TYPES.has(type)) return;
  const accountId = refId(rec.account);
  if (!accountId) return;
  const account = store.get('account', accountId);
  const accountCurrency = refId(account?.currency);
  if (!account || !accountCurrency || accountCurrency === currencyId || accountCurrency === baseId) return;
  const iso = (id: string) => currencySymbol(store, id);
  throw userError(
    `The account ${[str(account.acctNumber), str(account.acctName)].filter(Boolean).join(' ') || accountId} is kept in ${iso(accountCurrency)}; ` +
      `a ${iso(currencyId)} transaction of a subsidiary whose base currency is ${iso(baseId)} can use only an account in ${iso(currencyId)} or ${iso(baseId)}.`,
    'account',
  );
}

/** A new customer-subsidiary relationship: the feature must be on, the pair new (wording the sandbox's own). */
export function finalizeRelationship(
  store: RecordStore,
  rec: Fields,
  selfId: string | undefined,
  features: AccountFeatures,
): void {
  const customerId = refId(rec.entity);
  const subsidiaryId = refId(rec.subsidiary);
  if (!customerId) throw missingValue('Customer', 'entity');
  if (!subsidiaryId) throw missingValue('Subsidiary', 'subsidiary');
  if (!features.multiSubsidiaryCustomers) {
    throw userError(
      'A customer can have only one subsidiary in this account: enable the Multi-Subsidiary Customer feature to add another.',
      'subsidiary',
    );
  }
  const customer = store.get('customer', customerId);
  if (!customer) throw invalidFieldValue(customerId, 'entity', 'entity');
  const duplicate =
    refId(customer.subsidiary) === subsidiaryId ||
    store
      .all(RELATIONSHIP_TYPE)
      .some((r) => r.id !== selfId && refId(r.entity) === customerId && refId(r.subsidiary) === subsidiaryId);
  if (duplicate)
    throw userError(`The customer ${customerId} already has the subsidiary ${subsidiaryId}.`, 'subsidiary');
  rec.isPrimarySub = false;
}

/** Whether any transaction names this customer (its subsidiary can then no longer change). */
export function customerHasTransactions(store: RecordStore, customerId: string): boolean {
  return store.types().some((t) => {
    if (!isTransactionType(t)) return false;
    const field = TRANSACTION_TYPES[t]!.entityField;
    return field !== 'none' && store.all(t).some((r) => refId(r[field]) === customerId);
  });
}
