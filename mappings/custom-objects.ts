// Every NetSuite custom object the sync reads or writes, in one place: the custom transaction body
// and entity fields, and the two custom record types with their fields. It is the single source of
// truth for
//  - the record builders (the ledger body, the subscription record's default field ids, the shipped
//    mapping's custom fields) — they take their field ids from here;
//  - the SDF account-customization project in netsuite-customizations/, generated from it
//    (`npm run sdf:generate`, scripts/lib/sdf/); a test fails when the generated XML on disk differs;
//  - `npm run doctor`, which checks that each object exists in the account with the type named here.
// A builder writing a `cust…` field that is not in this catalogue fails test/mappings/custom-objects.test.ts.
// Field types are SDF's (generic_customfield_fieldtype); no custom list is needed: the sync writes
// statuses as text, so a status the sync learns later never needs a deployment first.
// Pure data: no I/O.

/** SDF field types the catalogue uses (a subset of generic_customfield_fieldtype). */
export type CustomFieldType = 'TEXT' | 'TEXTAREA' | 'CLOBTEXT' | 'INTEGER' | 'FLOAT' | 'DATE' | 'CHECKBOX' | 'SELECT';

/** Standard records a List/Record field of ours points at. */
export type SelectTarget = 'item' | 'customer';

export interface CustomFieldDef {
  scriptId: string;
  label: string;
  type: CustomFieldType;
  /** For SELECT fields: the standard record type the field lists. */
  selectRecordType?: SelectTarget;
  /** What the sync writes there (shown in NetSuite as the field's help and in docs/netsuite-setup.md). */
  description: string;
}

/** Which transactions a body field is shown on (SDF `bodysale`, `bodycustomerpayment`, …). */
export type BodyFieldAppliesTo = 'sale' | 'customerPayment' | 'journal' | 'deposit';

export interface TransactionBodyFieldDef extends CustomFieldDef {
  appliesTo: readonly BodyFieldAppliesTo[];
}

export interface EntityFieldDef extends CustomFieldDef {
  appliesTo: readonly ['customer'];
}

export interface CustomRecordTypeDef<K extends string = string> {
  scriptId: string;
  /** The record type's name in NetSuite (at most 40 characters). */
  name: string;
  description: string;
  fields: Readonly<Record<K, CustomFieldDef>>;
}

const def = <T extends CustomFieldDef>(d: T): T => d;

/** Transaction body fields the shipped mapping writes (customFields.transaction, refunds.disputeField). */
export const TRANSACTION_BODY_FIELDS = {
  refNo: def<TransactionBodyFieldDef>({
    scriptId: 'custbody_2co_refno',
    label: '2Checkout order reference',
    type: 'TEXT',
    appliesTo: ['sale', 'customerPayment'],
    description: "2Checkout's order reference (REFNO) of the order this transaction books",
  }),
  fxRate: def<TransactionBodyFieldDef>({
    scriptId: 'custbody_2co_fx_rate',
    label: '2Checkout FX rate',
    type: 'FLOAT',
    appliesTo: ['sale', 'customerPayment'],
    description: "2Checkout's FX_RATE for the order, kept beside NetSuite's own exchange rate so both are visible",
  }),
  dispute: def<TransactionBodyFieldDef>({
    scriptId: 'custbody_2co_dispute',
    label: '2Checkout dispute',
    type: 'TEXT',
    appliesTo: ['sale', 'customerPayment'],
    description: 'Chargeback state of the order: resolution, reason code and date of the notice',
  }),
} as const;

/** Entity fields the shipped mapping writes (customFields.customer). */
export const ENTITY_FIELDS = {
  customerRef: def<EntityFieldDef>({
    scriptId: 'custentity_2co_customer_ref',
    label: '2Checkout customer reference',
    type: 'TEXT',
    appliesTo: ['customer'],
    description: "2Checkout's customer reference (AVANGATE_CUSTOMER_REFERENCE) of the shopper",
  }),
} as const;

/** One record per 2Checkout subscription (subscriptions.model: customRecord; docs/subscriptions.md). */
export const SUBSCRIPTION_RECORD = {
  scriptId: 'customrecord_2co_subscription',
  name: '2Checkout subscription',
  description: 'One record per 2Checkout subscription (licence), kept up to date by 2checkout-netsuite-sync',
  fields: {
    licenseCode: def({
      scriptId: 'custrecord_2co_sub_license',
      label: 'Licence code',
      type: 'TEXT',
      description: "2Checkout's licence code of the subscription",
    }),
    status: def({
      scriptId: 'custrecord_2co_sub_status',
      label: 'Status',
      type: 'TEXT',
      description:
        'ACTIVE, PAST_DUE, GRACE, CANCEL_AT_PERIOD_END, CANCELED, EXPIRED, RENEWAL_MISSED or PENDING_ACTIVATION',
    }),
    item: def({
      scriptId: 'custrecord_2co_sub_item',
      label: 'Item',
      type: 'SELECT',
      selectRecordType: 'item',
      description: 'NetSuite item of the current plan',
    }),
    productCode: def({
      scriptId: 'custrecord_2co_sub_product_code',
      label: 'Product code',
      type: 'TEXT',
      description: '2Checkout product code of the current plan',
    }),
    quantity: def({
      scriptId: 'custrecord_2co_sub_quantity',
      label: 'Quantity',
      type: 'INTEGER',
      description: 'Quantity of the subscription',
    }),
    startedOn: def({
      scriptId: 'custrecord_2co_sub_started_on',
      label: 'Started on',
      type: 'DATE',
      description: 'First day of the subscription',
    }),
    periodStart: def({
      scriptId: 'custrecord_2co_sub_period_start',
      label: 'Period start',
      type: 'DATE',
      description: 'First day of the current period',
    }),
    periodEnd: def({
      scriptId: 'custrecord_2co_sub_period_end',
      label: 'Period end',
      type: 'DATE',
      description: 'Last day of the current period',
    }),
    nextRenewal: def({
      scriptId: 'custrecord_2co_sub_next_renewal',
      label: 'Next renewal',
      type: 'DATE',
      description: 'Expected renewal date; empty when none is expected',
    }),
    autoRenew: def({
      scriptId: 'custrecord_2co_sub_auto_renew',
      label: 'Renews automatically',
      type: 'CHECKBOX',
      description: 'Whether a renewal is expected',
    }),
    lastOrder: def({
      scriptId: 'custrecord_2co_sub_last_order',
      label: 'Last order',
      type: 'TEXT',
      description: 'REFNO of the newest order of the subscription',
    }),
    customer: def({
      scriptId: 'custrecord_2co_sub_customer',
      label: 'Customer',
      type: 'SELECT',
      selectRecordType: 'customer',
      description: 'The customer (from the first posted order)',
    }),
    renewals: def({
      scriptId: 'custrecord_2co_sub_renewals',
      label: 'Renewals',
      type: 'INTEGER',
      description: 'Renewals so far',
    }),
    pendingItem: def({
      scriptId: 'custrecord_2co_sub_pending_item',
      label: 'Item from next renewal',
      type: 'SELECT',
      selectRecordType: 'item',
      description: 'Plan announced for the next renewal (a downgrade), until the renewal applies it',
    }),
  },
} as const satisfies CustomRecordTypeDef;

/** One record per reconciled day (the completeness ledger; docs/reconciliation.md). */
export const COMPLETENESS_RECORD = {
  scriptId: 'customrecord_2co_completeness',
  name: '2Checkout completeness ledger',
  description:
    'One record per reconciled day: 2Checkout orders against NetSuite transactions, written by 2checkout-netsuite-sync',
  fields: {
    date: def({
      scriptId: 'custrecord_2co_ledger_date',
      label: 'Day',
      type: 'DATE',
      description: 'The day reconciled (UTC)',
    }),
    state: def({
      scriptId: 'custrecord_2co_ledger_state',
      label: 'State',
      type: 'TEXT',
      description: 'complete, or why not',
    }),
    ordersIn2co: def({
      scriptId: 'custrecord_2co_ledger_orders_2co',
      label: 'Orders in 2Checkout',
      type: 'INTEGER',
      description: 'Orders 2Checkout lists for the day',
    }),
    ordersInNs: def({
      scriptId: 'custrecord_2co_ledger_orders_ns',
      label: 'Orders in NetSuite',
      type: 'INTEGER',
      description: 'Of those, orders found in NetSuite',
    }),
    matched: def({
      scriptId: 'custrecord_2co_ledger_matched',
      label: 'Matched',
      type: 'INTEGER',
      description: 'Orders whose NetSuite records match 2Checkout',
    }),
    healed: def({
      scriptId: 'custrecord_2co_ledger_healed',
      label: 'Healed',
      type: 'INTEGER',
      description: 'Orders the reconciliation handed to the sync and that synced',
    }),
    mismatched: def({
      scriptId: 'custrecord_2co_ledger_mismatched',
      label: 'Mismatched',
      type: 'INTEGER',
      description: 'Orders whose NetSuite records differ from 2Checkout',
    }),
    pending: def({
      scriptId: 'custrecord_2co_ledger_pending',
      label: 'Pending',
      type: 'INTEGER',
      description: 'Orders not (yet) in NetSuite',
    }),
    exceptions: def({
      scriptId: 'custrecord_2co_ledger_exceptions',
      label: 'Exceptions',
      type: 'INTEGER',
      description: 'Exceptions listed for the day',
    }),
    totals: def({
      scriptId: 'custrecord_2co_ledger_totals',
      label: 'Totals by currency',
      type: 'CLOBTEXT',
      description: 'Totals per currency on both sides (JSON)',
    }),
    exceptionList: def({
      scriptId: 'custrecord_2co_ledger_exception_list',
      label: 'Exception list',
      type: 'CLOBTEXT',
      description: 'Every exception with its reason and workflow link (JSON)',
    }),
    finishedAt: def({
      scriptId: 'custrecord_2co_ledger_finished',
      label: 'Finished at',
      type: 'TEXT',
      description: 'When the reconciliation finished (ISO 8601, UTC)',
    }),
  },
} as const satisfies CustomRecordTypeDef;

/**
 * The link of an adopted record (adoption.link; docs/cutover.md): a record another tool made for an
 * order, which could not be given this sync's externalId (it has the tool's own, or NetSuite refused
 * the update). Keyed by the externalId this sync would have given it (`2co-so-<REFNO>`, …), so a
 * look-up by externalId reads it in the same query as the sync's own records.
 */
export const ADOPTION_RECORD = {
  scriptId: 'customrecord_2co_adoption',
  name: '2Checkout adopted record',
  description:
    'Links a transaction another integration made for a 2Checkout order to 2checkout-netsuite-sync, which adopted it instead of posting a second one',
  fields: {
    refNo: def({
      scriptId: 'custrecord_2co_adopt_refno',
      label: 'Order reference',
      type: 'TEXT',
      description: "2Checkout's order reference (REFNO) the adopted transaction books",
    }),
    recordType: def({
      scriptId: 'custrecord_2co_adopt_type',
      label: 'Record type',
      type: 'TEXT',
      description: 'salesOrder, invoice, customerPayment or cashSale',
    }),
    transaction: def({
      scriptId: 'custrecord_2co_adopt_id',
      label: 'Transaction',
      type: 'INTEGER',
      description: 'Internal id of the adopted transaction',
    }),
  },
} as const satisfies CustomRecordTypeDef;

export const CUSTOM_RECORD_TYPES: readonly CustomRecordTypeDef[] = [
  SUBSCRIPTION_RECORD,
  COMPLETENESS_RECORD,
  ADOPTION_RECORD,
];

/** Every custom object, flat: what the SDF project defines and the doctor checks. */
export interface CatalogueEntry {
  scriptId: string;
  kind: 'transactionBodyField' | 'entityField' | 'customRecordType' | 'customRecordField';
  type?: CustomFieldType;
  /** For custom record fields: the record type they belong to. */
  recordType?: string;
  def: CustomFieldDef | CustomRecordTypeDef;
}

export function catalogue(): CatalogueEntry[] {
  return [
    ...Object.values(TRANSACTION_BODY_FIELDS).map((d): CatalogueEntry => ({
      scriptId: d.scriptId,
      kind: 'transactionBodyField',
      type: d.type,
      def: d,
    })),
    ...Object.values(ENTITY_FIELDS).map((d): CatalogueEntry => ({
      scriptId: d.scriptId,
      kind: 'entityField',
      type: d.type,
      def: d,
    })),
    ...CUSTOM_RECORD_TYPES.flatMap((r): CatalogueEntry[] => [
      { scriptId: r.scriptId, kind: 'customRecordType', def: r },
      ...Object.values<CustomFieldDef>(r.fields).map((d): CatalogueEntry => ({
        scriptId: d.scriptId,
        kind: 'customRecordField',
        type: d.type,
        recordType: r.scriptId,
        def: d,
      })),
    ]),
  ];
}

/** The catalogue entry of a script id (case-insensitive, as NetSuite treats them), if any. */
export function catalogueEntry(scriptId: string): CatalogueEntry | undefined {
  const id = scriptId.toLowerCase();
  return catalogue().find((e) => e.scriptId === id);
}
