// The SuiteQL tables the sandbox answers (#ns-suiteql), and how stored records become their rows.
// Column names are lower-case; booleans are 'T'/'F'; references are the referenced id.
// TransactionAccountingLine (one row per GL posting: account, amount in the base currency, debit
// positive; joined to TransactionLine on transaction + transactionline) follows the columns public
// SuiteQL shows (Tim Dietrich's GL-impact queries); only accounts with an internal id appear (the
// sandbox's income side of a sale has none).
// The catalogue table for custom fields is called `customfield` here: its real name in
// SuiteQL is UNCONFIRMED.
import { baseCurrencyId, precisionOf } from './currencies.js';
import { ACCOUNT_SETUP_TABLES } from './account-setup.js';
import { glPostings } from './ledger-entries.js';
import { fromMinor, multiplyToMinor, toMinor } from './money.js';
import { CUSTOM_FIELD_TYPE, TRANSACTION_TYPES, isCustomRecordType, isTransactionType } from './record-types.js';
import type { RecordStore } from './store.js';
import { isObject, isSublist, linesOf, num, refId, str, type Fields, type Rec } from './values.js';

export type SqlCell = string | number | null;
export type SqlRow = Record<string, SqlCell>;
type Affinity = 'INTEGER' | 'REAL' | 'TEXT';

export interface TableDef {
  columns: Record<string, Affinity>;
  /** Column whose value identifies a record's rows (to replace them on change). */
  key: string;
  /** Custom-field prefix whose fields become extra columns. */
  customPrefix?: string;
}

const I: Affinity = 'INTEGER';
const R: Affinity = 'REAL';
const T: Affinity = 'TEXT';
const named = { id: I, name: T, isinactive: T, externalid: T };

export const TABLES: Record<string, TableDef> = {
  customer: {
    key: 'id',
    customPrefix: 'custentity_',
    columns: {
      id: I,
      entityid: T,
      companyname: T,
      firstname: T,
      lastname: T,
      email: T,
      phone: T,
      externalid: T,
      isperson: T,
      subsidiary: I,
      currency: I,
      isinactive: T,
      datecreated: T,
      lastmodifieddate: T,
    },
  },
  transaction: {
    key: 'id',
    customPrefix: 'custbody_',
    columns: {
      id: I,
      tranid: T,
      type: T,
      recordtype: T,
      status: T,
      entity: I,
      trandate: T,
      currency: I,
      exchangerate: R,
      foreigntotal: R,
      foreignamountremaining: R,
      foreignamountpaid: R,
      externalid: T,
      otherrefnum: T,
      memo: T,
      createdfrom: I,
      subsidiary: I,
      postingperiod: I,
      datecreated: T,
      lastmodifieddate: T,
    },
  },
  transactionline: {
    key: 'transaction',
    customPrefix: 'custcol_',
    columns: {
      transaction: I,
      id: I,
      line: I,
      linesequencenumber: I,
      item: I,
      quantity: R,
      rate: R,
      foreignamount: R,
      netamount: R,
      mainline: T,
      taxline: T,
      isclosed: T,
      memo: T,
      quantitybilled: R,
    },
  },
  transactionaccountingline: {
    key: 'transaction',
    columns: {
      transaction: I,
      transactionline: I,
      accountingbook: I,
      account: I,
      amount: R,
      netamount: R,
      debit: R,
      credit: R,
      posting: T,
    },
  },
  previoustransactionlink: { key: 'nextdoc', columns: { previousdoc: I, nextdoc: I, linktype: T, foreignamount: R } },
  item: {
    key: 'id',
    customPrefix: 'custitem_',
    columns: { id: I, itemid: T, displayname: T, itemtype: T, description: T, isinactive: T, externalid: T },
  },
  salestaxitem: { key: 'id', columns: { id: I, itemid: T, rate: T, isinactive: T, externalid: T } },
  currency: {
    key: 'id',
    columns: {
      id: I,
      symbol: T,
      name: T,
      displaysymbol: T,
      isbasecurrency: T,
      exchangerate: R,
      currencyprecision: I,
      isinactive: T,
      externalid: T,
    },
  },
  currencyrate: {
    key: 'id',
    columns: { id: I, basecurrency: I, transactioncurrency: I, exchangerate: R, effectivedate: T, externalid: T },
  },
  account: {
    key: 'id',
    columns: { id: I, acctnumber: T, acctname: T, accttype: T, currency: I, isinactive: T, externalid: T },
  },
  subsidiary: { key: 'id', columns: { ...named, country: T, currency: I, parent: I } },
  department: { key: 'id', columns: named },
  classification: { key: 'id', columns: named },
  location: { key: 'id', columns: named },
  paymentmethod: { key: 'id', columns: named },
  customfield: { key: 'scriptid', columns: { scriptid: T, name: T, fieldtype: T, appliesto: T } },
  // customrecordtype: the account set-up the doctor reads (account-setup.ts).
  ...ACCOUNT_SETUP_TABLES,
  accountingperiod: {
    key: 'id',
    columns: {
      id: I,
      periodname: T,
      startdate: T,
      enddate: T,
      closed: T,
      arlocked: T,
      aplocked: T,
      alllocked: T,
      allownonglchanges: T,
      isadjust: T,
      isquarter: T,
      isyear: T,
      isinactive: T,
      isposting: T,
    },
  },
  // Only the relationships added to a customer: NetSuite also lists the primary one (isprimarysub 'T').
  customersubsidiaryrelationship: {
    key: 'id',
    columns: { id: I, entity: I, subsidiary: I, isprimarysub: T, primarycurrency: I, externalid: T },
  },
};

/** Base columns of every custom record table; other fields are added as they appear. */
export const CUSTOM_RECORD_TABLE: TableDef = {
  key: 'id',
  columns: { id: I, name: T, externalid: T, isinactive: T, created: T, lastmodified: T },
};

/** A scalar as SuiteQL shows it: booleans 'T'/'F', references their id. */
export function cell(v: unknown): SqlCell | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (isObject(v) && !isSublist(v) && (typeof v.id === 'string' || typeof v.id === 'number')) return String(v.id);
  return undefined;
}

/** Row of a record whose columns are its fields lower-cased. */
function plainRow(rec: Fields, def: TableDef, allFields = false): SqlRow {
  const row: SqlRow = {};
  for (const [k, v] of Object.entries(rec)) {
    const col = k.toLowerCase();
    const keep =
      col in def.columns ||
      (def.customPrefix !== undefined && col.startsWith(def.customPrefix)) ||
      (allFields && /^[a-z][a-z0-9_]*$/.test(col));
    if (!keep) continue;
    const c = cell(v);
    if (c !== undefined) row[col] = c;
  }
  return row;
}

export interface RowSet {
  table: string;
  def: TableDef;
  keyValue: string;
  rows: SqlRow[];
}

/** The table a record type lives in (lower-case), or undefined when it has none. */
export function tableOf(type: string): string | undefined {
  if (isTransactionType(type)) return 'transaction';
  if (type === CUSTOM_FIELD_TYPE) return 'customfield';
  if (isCustomRecordType(type)) return type;
  const t = type.toLowerCase();
  return t in TABLES ? t : undefined;
}

/** Every row a record contributes (empty row lists when it was deleted). */
export function rowSetsFor(store: RecordStore, type: string, id: string): RowSet[] {
  const rec = store.get(type, id);
  if (isTransactionType(type)) {
    return [
      {
        table: 'transaction',
        def: TABLES.transaction!,
        keyValue: id,
        rows: rec ? [transactionRow(store, type, rec)] : [],
      },
      {
        table: 'transactionline',
        def: TABLES.transactionline!,
        keyValue: id,
        rows: rec ? transactionLineRows(store, rec, type) : [],
      },
      {
        table: 'transactionaccountingline',
        def: TABLES.transactionaccountingline!,
        keyValue: id,
        rows: rec ? accountingLineRows(store, type, rec) : [],
      },
      {
        table: 'previoustransactionlink',
        def: TABLES.previoustransactionlink!,
        keyValue: id,
        rows: rec ? linkRows(store, type, rec) : [],
      },
    ];
  }
  const table = tableOf(type);
  if (!table) return [];
  if (type === CUSTOM_FIELD_TYPE) {
    const row: SqlRow = rec
      ? {
          scriptid: rec.id,
          name: str(rec.label) ?? null,
          fieldtype: str(rec.fieldType) ?? null,
          appliesto: str(rec.appliesTo) ?? null,
        }
      : {};
    return [{ table, def: TABLES.customfield!, keyValue: id, rows: rec ? [row] : [] }];
  }
  const custom = isCustomRecordType(type);
  const def = custom ? CUSTOM_RECORD_TABLE : TABLES[table]!;
  return [{ table, def, keyValue: id, rows: rec ? [plainRow(rec, def, custom)] : [] }];
}

function transactionRow(store: RecordStore, type: string, rec: Rec): SqlRow {
  const kind = TRANSACTION_TYPES[type]!;
  const row = plainRow(rec, TABLES.transaction!);
  row.type = kind.code;
  row.recordtype = type.toLowerCase();
  row.entity = refId(rec[kind.entityField]) ?? null;
  row.status = isObject(rec.status) ? (str(rec.status.id) ?? null) : null;
  row.foreigntotal = typeof rec.total === 'number' ? rec.total : null;
  row.foreignamountremaining = typeof rec.amountRemaining === 'number' ? rec.amountRemaining : null;
  row.foreignamountpaid = typeof rec.amountPaid === 'number' ? rec.amountPaid : null;
  row.createdfrom = refId(rec.createdFrom) ?? null;
  return row;
}

/** One row per GL posting with a real account (base currency, debit > 0). */
function accountingLineRows(store: RecordStore, type: string, rec: Rec): SqlRow[] {
  const bp = precisionOf(store, baseCurrencyId(store));
  return glPostings(store, type, rec)
    .filter((g) => /^\d+$/.test(g.account))
    .map((g) => {
      const amount = fromMinor(g.base, bp);
      return {
        transaction: rec.id,
        transactionline: g.line,
        accountingbook: 1,
        account: g.account,
        amount,
        netamount: amount,
        debit: amount > 0 ? amount : null,
        credit: amount < 0 ? -amount : null,
        posting: 'T',
      };
    });
}

function transactionLineRows(store: RecordStore, rec: Rec, type: string): SqlRow[] {
  const p = precisionOf(store, refId(rec.currency));
  const rate = num(rec.exchangeRate, 1);
  // netamount is in the base currency (amount × exchange rate); base precision is 2 in the seed.
  const net = (amount: number): number => fromMinor(multiplyToMinor(amount, rate, 2), 2);
  const total = num(rec.total);
  const rows: SqlRow[] = [
    {
      transaction: rec.id,
      id: 0,
      line: 0,
      linesequencenumber: 0,
      mainline: 'T',
      taxline: 'F',
      isclosed: 'F',
      foreignamount: total,
      netamount: net(total),
      memo: str(rec.memo) ?? null,
    },
  ];
  // Lines of ledger entries and the other side of a payment: one row per GL posting line (memo kept).
  const seen = new Set<number>([0]);
  for (const g of glPostings(store, type, rec)) {
    if (seen.has(g.line) || linesOf(rec, 'item').length > 0) continue;
    seen.add(g.line);
    const foreign = fromMinor(g.amount, p);
    rows.push({
      transaction: rec.id,
      id: g.line,
      line: g.line,
      linesequencenumber: g.line,
      mainline: 'F',
      taxline: 'F',
      isclosed: 'F',
      foreignamount: foreign,
      netamount: net(foreign),
      memo: g.memo ?? null,
    });
  }
  linesOf(rec, 'item').forEach((line, i) => {
    const row = plainRow(line, TABLES.transactionline!);
    const amount = fromMinor(toMinor(num(line.amount), p), p);
    Object.assign(row, {
      transaction: rec.id,
      id: num(line.line),
      line: num(line.line),
      linesequencenumber: i + 1,
      item: refId(line.item) ?? null,
      foreignamount: amount,
      netamount: net(amount),
      mainline: 'F',
      taxline: 'F',
      isclosed: line.isClosed === true ? 'T' : 'F',
      memo: str(line.description) ?? null,
    });
    rows.push(row);
  });
  return rows;
}

/**
 * PreviousTransactionLink rows (#ns-suiteql, observed): one per transform (createdFrom) and one per
 * applied document. The `linktype` values are UNCONFIRMED.
 */
function linkRows(store: RecordStore, type: string, rec: Rec): SqlRow[] {
  const rows: SqlRow[] = [];
  const from = refId(rec.createdFrom);
  if (from) {
    const src = store.transaction(from);
    const linktype = src?.type === 'salesOrder' ? 'OrdBill' : type === 'cashRefund' ? 'SaleRet' : 'CreatedFrom';
    rows.push({ previousdoc: from, nextdoc: rec.id, linktype, foreignamount: num(rec.total) });
  }
  for (const line of linesOf(rec, 'apply')) {
    const doc = refId(line.doc);
    if (doc && line.apply !== false)
      rows.push({ previousdoc: doc, nextdoc: rec.id, linktype: 'Payment', foreignamount: num(line.amount) });
  }
  return rows;
}
