// What the sandbox knows about NetSuite record types: their REST names, which fields are
// references to which records, which sublists exist and how their lines are keyed
// (docs/reference-notes.md#ns-records, #ns-record-shapes).

export interface TransactionKind {
  /** SuiteQL `transaction.type` code (#ns-suiteql). */
  code: string;
  /** Prefix of the auto-assigned document number (`tranId`). */
  tranIdPrefix: string;
  /** The customer reference: `entity` on sales documents, `customer` on payments/refunds (§5.5, §5.7); none on ledger entries (journal, deposit). */
  entityField: 'entity' | 'customer' | 'none';
  /** Label used in `refName` ("Sales Order #SO1001"). */
  label: string;
  /** Whether the record carries an `item` sublist whose lines make its total. */
  hasLines: boolean;
}

export const TRANSACTION_TYPES: Record<string, TransactionKind> = {
  salesOrder: { code: 'SalesOrd', tranIdPrefix: 'SO', entityField: 'entity', label: 'Sales Order', hasLines: true },
  invoice: { code: 'CustInvc', tranIdPrefix: 'INV', entityField: 'entity', label: 'Invoice', hasLines: true },
  customerPayment: {
    code: 'CustPymt',
    tranIdPrefix: 'PYMT',
    entityField: 'customer',
    label: 'Payment',
    hasLines: false,
  },
  creditMemo: { code: 'CustCred', tranIdPrefix: 'CM', entityField: 'entity', label: 'Credit Memo', hasLines: true },
  customerRefund: {
    code: 'CustRfnd',
    tranIdPrefix: 'RFND',
    entityField: 'customer',
    label: 'Customer Refund',
    hasLines: false,
  },
  cashSale: { code: 'CashSale', tranIdPrefix: 'CS', entityField: 'entity', label: 'Cash Sale', hasLines: true },
  cashRefund: { code: 'CashRfnd', tranIdPrefix: 'CR', entityField: 'entity', label: 'Cash Refund', hasLines: true },
  // Ledger entries without a customer (sandbox/netsuite/ledger-entries.ts).
  journalEntry: { code: 'Journal', tranIdPrefix: 'JE', entityField: 'none', label: 'Journal', hasLines: false },
  deposit: { code: 'Deposit', tranIdPrefix: 'DEP', entityField: 'none', label: 'Deposit', hasLines: false },
};

/** Non-transaction record types reachable over REST (seed types plus customer). */
export const ENTITY_AND_LIST_TYPES = [
  'customer',
  'subsidiary',
  'currency',
  'currencyRate',
  'item',
  'account',
  'salesTaxItem',
  'department',
  'classification',
  'location',
  'paymentMethod',
  'accountingPeriod',
  'customerSubsidiaryRelationship',
] as const;

/** Seed-only catalogue of custom fields: queryable in SuiteQL, not a REST record. */
export const CUSTOM_FIELD_TYPE = 'customField';

const CANONICAL_BY_LOWER = new Map<string, string>(
  [...Object.keys(TRANSACTION_TYPES), ...ENTITY_AND_LIST_TYPES].map((t) => [t.toLowerCase(), t]),
);

export const isTransactionType = (type: string): boolean => type in TRANSACTION_TYPES;
export const isCustomRecordType = (type: string): boolean => /^customrecord_?[a-z0-9_]+$/.test(type);

/** The REST type for a URL segment; the segment is case-insensitive (#ns-hosts). */
export function canonicalType(segment: string): string | undefined {
  const lower = segment.toLowerCase();
  if (isCustomRecordType(lower)) return lower;
  return CANONICAL_BY_LOWER.get(lower);
}

/**
 * Internal ids are unique per id space: all transactions share one (they are rows of one
 * `transaction` table), entities share another; list records have their own.
 */
export function idSpace(type: string): string {
  if (isTransactionType(type)) return 'transaction';
  if (type === 'customer') return 'entity';
  return type;
}

/** First id handed out in a space when nothing bigger exists (keeps seed ids and new ids apart). */
export function idSpaceBase(space: string): number {
  if (space === 'transaction') return 10000;
  if (space === 'entity') return 1000;
  return 500;
}

// ---- sublists (#ns-records) ----

/** How lines of a sublist are matched on update: by `line` (items), by `doc` (apply), or appended. */
export interface SublistSpec {
  key?: 'line' | 'doc' | 'currency';
}

const TRANSACTION_SUBLISTS: Record<string, SublistSpec> = {
  item: { key: 'line' },
  apply: { key: 'doc' },
  credit: { key: 'doc' },
  deposit: { key: 'doc' },
};

/** journalEntry `line` and deposit `other` / `cashback` lines are not keyed: an update appends unless `?replace=` names them. */
const LEDGER_SUBLISTS: Record<string, Record<string, SublistSpec>> = {
  journalEntry: { line: {} },
  deposit: { other: {}, cashback: {}, payment: {} },
};

export function sublistsOf(type: string): Record<string, SublistSpec> {
  const ledger = LEDGER_SUBLISTS[type];
  if (ledger) return ledger;
  if (isTransactionType(type)) return TRANSACTION_SUBLISTS;
  if (type === 'customer') return { currencyList: { key: 'currency' }, addressBook: {} };
  return {};
}

// ---- references (#ns-record-shapes) ----

/** Target of a reference field: record types it may point at, or any transaction. */
export type RefTarget = { types: string[] } | { transaction: true };

const HEADER_REFS: Record<string, RefTarget> = {
  entity: { types: ['customer'] },
  customer: { types: ['customer'] },
  currency: { types: ['currency'] },
  baseCurrency: { types: ['currency'] },
  transactionCurrency: { types: ['currency'] },
  subsidiary: { types: ['subsidiary'] },
  account: { types: ['account'] },
  arAcct: { types: ['account'] },
  location: { types: ['location'] },
  department: { types: ['department'] },
  class: { types: ['classification'] },
  paymentOption: { types: ['paymentMethod'] },
  paymentMethod: { types: ['paymentMethod'] },
  discountItem: { types: ['item'] },
  shipMethod: { types: ['item'] },
  createdFrom: { transaction: true },
  postingPeriod: { types: ['accountingPeriod'] },
  primaryCurrency: { types: ['currency'] },
};

const LINE_REFS: Record<string, Record<string, RefTarget>> = {
  item: {
    item: { types: ['item', 'salesTaxItem'] },
    taxCode: { types: ['salesTaxItem'] },
    location: { types: ['location'] },
    department: { types: ['department'] },
    class: { types: ['classification'] },
  },
  apply: { doc: { transaction: true } },
  credit: { doc: { transaction: true } },
  deposit: { doc: { transaction: true } },
  currencyList: { currency: { types: ['currency'] } },
  line: {
    account: { types: ['account'] },
    department: { types: ['department'] },
    class: { types: ['classification'] },
    location: { types: ['location'] },
  },
  other: {
    account: { types: ['account'] },
    department: { types: ['department'] },
    class: { types: ['classification'] },
    location: { types: ['location'] },
  },
  cashback: {
    account: { types: ['account'] },
    department: { types: ['department'] },
    class: { types: ['classification'] },
    location: { types: ['location'] },
  },
};

/** The record a field points at, or undefined when the field is not a (checked) reference. */
export function referenceTarget(type: string, sublist: string | undefined, field: string): RefTarget | undefined {
  if (sublist !== undefined) return LINE_REFS[sublist]?.[field];
  if (field === 'parent')
    return type === 'subsidiary'
      ? { types: ['subsidiary'] }
      : type === 'customer'
        ? { types: ['customer'] }
        : undefined;
  if (field in sublistsOf(type)) return undefined;
  return HEADER_REFS[field];
}

// ---- field names: input is case-insensitive, output camelCase (#ns-records) ----

const KNOWN_FIELDS = [
  'entityId',
  'companyName',
  'firstName',
  'lastName',
  'email',
  'phone',
  'externalId',
  'isPerson',
  'subsidiary',
  'currency',
  'currencyList',
  'addressBook',
  'addressBookAddress',
  'isInactive',
  'dateCreated',
  'lastModifiedDate',
  'entity',
  'tranDate',
  'tranId',
  'otherRefNum',
  'memo',
  'exchangeRate',
  'location',
  'department',
  'class',
  'terms',
  'salesRep',
  'shipDate',
  'shipMethod',
  'shippingCost',
  'handlingCost',
  'shippingAddress',
  'billingAddress',
  'shipAddressList',
  'billAddressList',
  'discountItem',
  'discountRate',
  'orderStatus',
  'status',
  'startDate',
  'endDate',
  'subtotal',
  'taxTotal',
  'total',
  'item',
  'items',
  'quantity',
  'rate',
  'amount',
  'description',
  'taxCode',
  'isTaxable',
  'revRecStartDate',
  'revRecEndDate',
  'revRecTermInMonths',
  'revRecSchedule',
  'line',
  'itemType',
  'isClosed',
  'quantityBilled',
  'quantityFulfilled',
  'createdFrom',
  'amountRemaining',
  'amountPaid',
  'dueDate',
  'customer',
  'payment',
  'account',
  'undepFunds',
  'arAcct',
  'paymentOption',
  'paymentMethod',
  'autoApply',
  'apply',
  'doc',
  'applied',
  'unapplied',
  'credit',
  'deposit',
  'symbol',
  'displaySymbol',
  'name',
  'isBaseCurrency',
  'currencyPrecision',
  'baseCurrency',
  'transactionCurrency',
  'effectiveDate',
  'currencyRateType',
  'itemId',
  'displayName',
  'acctNumber',
  'acctName',
  'acctType',
  'country',
  'orderLine',
  'addressee',
  'attention',
  'addr1',
  'addr2',
  'addr3',
  'city',
  'state',
  'zip',
  'addrPhone',
  'addrText',
  'defaultBilling',
  'defaultShipping',
  'isResidential',
  'label',
  'balance',
  'postingPeriod',
  'refNum',
  'applyDate',
  'grossAmt',
  'price',
  'parent',
  'priceLevel',
  'entityStatus',
  'taxable',
  'creditLimit',
  'due',
  'checkNum',
  'toBePrinted',
  'toBeEmailed',
  'subscription',
  'subscriptionLine',
  'lastModified',
  'created',
  'custForm',
  'source',
  'taxDetailsOverride',
  'debit',
  'credit',
  'other',
  'cashback',
  'cleared',
  'periodName',
  'closed',
  'arLocked',
  'apLocked',
  'allLocked',
  'isAdjust',
  'isQuarter',
  'isYear',
  'allowNonGLChanges',
  'isPrimarySub',
  'primaryCurrency',
];
const FIELD_BY_LOWER = new Map(KNOWN_FIELDS.map((f) => [f.toLowerCase(), f]));

export function canonicalField(name: string): string {
  return FIELD_BY_LOWER.get(name.toLowerCase()) ?? name;
}

/** Fields NetSuite computes; values sent for them are ignored (#ns-record-shapes "never accepts as input"). */
export const READ_ONLY_FIELDS = new Set([
  'id',
  'links',
  'refName',
  'subtotal',
  'taxTotal',
  'total',
  'status',
  'amountRemaining',
  'amountPaid',
  'applied',
  'unapplied',
  'quantityBilled',
  'quantityFulfilled',
  'itemType',
  'dateCreated',
  'lastModifiedDate',
  'createdFrom',
]);

export const NUMBER_FIELDS = new Set([
  'quantity',
  'rate',
  'amount',
  'payment',
  'shippingCost',
  'handlingCost',
  'exchangeRate',
  'debit',
  'credit',
]);
export const BOOLEAN_FIELDS = new Set([
  'isClosed',
  'apply',
  'isPerson',
  'isInactive',
  'isBaseCurrency',
  'autoApply',
  'isTaxable',
  'defaultBilling',
  'defaultShipping',
  'isResidential',
  'taxable',
  'closed',
  'arLocked',
  'apLocked',
  'allLocked',
  'isAdjust',
  'isQuarter',
  'isYear',
  'allowNonGLChanges',
  'isPrimarySub',
]);
export const DATE_FIELDS = new Set([
  'tranDate',
  'dueDate',
  'shipDate',
  'startDate',
  'endDate',
  'revRecStartDate',
  'revRecEndDate',
  'effectiveDate',
  'applyDate',
]);

/** Prefixes of account-defined custom fields; they exist only when the account defines them. */
export const CUSTOM_FIELD_PREFIXES = ['custbody', 'custentity', 'custcol', 'custitem'] as const;
export const isCustomFieldName = (name: string): boolean => CUSTOM_FIELD_PREFIXES.some((p) => name.startsWith(`${p}_`));
