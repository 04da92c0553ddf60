// What the books in NetSuite hold of the sync's work, read with SuiteQL for the finance status page:
// per day, the sales, refunds and lost chargebacks the sync posted (counted apart, amounts per
// currency), and one order's documents by number (tranId: SO…, INV…) with their amounts. Read-only,
// over the one-call SuiteQL port of mappings-check.ts (the edge's NetSuite client provides it).
// Which record is which comes from the externalIds the sync writes (mappings/ids.ts); a credit memo
// of a lost chargeback says so in its memo (mappings/refund-records.ts).
import { EXTERNAL_ID_PREFIX, externalIds } from '../mappings/ids.js';
import { currencyExponent } from '../mappings/money.js';
import { day, suiteql } from '../netsuite/suiteql.js';
import type { SuiteQlReader } from './mappings-check.js';

export type { SuiteQlReader };

export type BookKind = 'orders' | 'refunds' | 'chargebacks';

/** One kind of document on one day, in one currency: how many and their total. */
export interface BookEntry {
  kind: BookKind;
  currency: string;
  count: number;
  amount: string;
}

export interface BooksDay {
  /** The documents' transaction date, YYYY-MM-DD. */
  day: string;
  entries: BookEntry[];
}

/** The memo the sync gives the credit memo (or cash refund) of a lost chargeback. */
const CHARGEBACK_MEMO = '2Checkout chargeback lost%';
/** externalId patterns of a sale (sales order or cash sale) and of money back (credit memo, or cash refund in cash-sale mode). */
const SALE = [`${EXTERNAL_ID_PREFIX}-so-%`, `${EXTERNAL_ID_PREFIX}-cs-%`];
const MONEY_BACK = `${EXTERNAL_ID_PREFIX}-cm-%`;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const amountIn = (v: unknown, currency: string): string => (Number(text(v)) || 0).toFixed(currencyExponent(currency));

/**
 * The sales, refunds and lost chargebacks dated each of `days`: one grouped query per day. A sale is
 * a sales order (or cash sale); money back is a credit memo (or cash refund), a lost chargeback when
 * its memo says so. Invoices, payments and customer refunds follow their sale or credit and are not
 * counted again.
 */
export async function readBooksByDay(ns: SuiteQlReader, days: readonly string[]): Promise<BooksDay[]> {
  const kind = suiteql`CASE WHEN t.externalid LIKE ${SALE[0]!} OR t.externalid LIKE ${SALE[1]!} THEN 'orders' WHEN t.memo LIKE ${CHARGEBACK_MEMO} THEN 'chargebacks' ELSE 'refunds' END`;
  return Promise.all(
    days.map(async (d): Promise<BooksDay> => {
      const rows = await ns.suiteqlAll(
        suiteql`SELECT c.symbol AS currency, ${kind} AS kind, COUNT(*) AS n, SUM(t.foreigntotal) AS total FROM transaction t LEFT JOIN currency c ON c.id = t.currency WHERE (t.externalid LIKE ${SALE[0]!} OR t.externalid LIKE ${SALE[1]!} OR t.externalid LIKE ${MONEY_BACK}) AND t.trandate = ${day(d)} GROUP BY c.symbol, ${kind}`,
      );
      const entries = rows
        .map((r): BookEntry => {
          const currency = text(r.currency) || '?';
          return {
            kind: text(r.kind) as BookKind,
            currency,
            count: Number(text(r.n)) || 0,
            amount: amountIn(r.total, currency),
          };
        })
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.currency.localeCompare(b.currency));
      return { day: d, entries };
    }),
  );
}

/** One of an order's documents in NetSuite. */
export interface NetSuiteDocument {
  /** salesOrder, invoice, customerPayment, cashSale, creditMemo, customerRefund, cashRefund. */
  type: string;
  id: string;
  /** The document number finance knows (SO1005, INV1005…); absent when NetSuite has none. */
  tranId?: string;
  date?: string;
  amount?: string;
  currency?: string;
  externalId: string;
}

const RECORD_TYPES: Record<string, string> = {
  salesorder: 'salesOrder',
  invoice: 'invoice',
  customerpayment: 'customerPayment',
  cashsale: 'cashSale',
  creditmemo: 'creditMemo',
  customerrefund: 'customerRefund',
  cashrefund: 'cashRefund',
};
/** The order of an order's life: sale, invoice, payment, then money back. */
const LIFE = ['salesOrder', 'cashSale', 'invoice', 'customerPayment', 'creditMemo', 'cashRefund', 'customerRefund'];

/** Every transaction the sync wrote for one order, found by the externalIds it writes. */
export async function readOrderDocuments(ns: SuiteQlReader, refNo: string): Promise<NetSuiteDocument[]> {
  const exact = [
    externalIds.salesOrder(refNo),
    externalIds.invoice(refNo),
    externalIds.customerPayment(refNo),
    externalIds.cashSale(refNo),
  ];
  const prefixes = [
    `${externalIds.creditMemo(refNo, 'x').slice(0, -1)}%`,
    `${externalIds.customerRefund(refNo, 'x').slice(0, -1)}%`,
  ];
  // LIKE matches by prefix (a `_` in a reference is a wildcard too): rows are checked exactly below.
  const rows = (
    await ns.suiteqlAll(
      suiteql`SELECT t.id, t.tranid, t.recordtype, t.trandate, t.foreigntotal, t.externalid, c.symbol AS currency FROM transaction t LEFT JOIN currency c ON c.id = t.currency WHERE t.externalid IN (${exact}) OR t.externalid LIKE ${prefixes[0]!} OR t.externalid LIKE ${prefixes[1]!}`,
    )
  ).filter(
    (r) => exact.includes(text(r.externalid)) || prefixes.some((p) => text(r.externalid).startsWith(p.slice(0, -1))),
  );
  const docs = rows.map((r): NetSuiteDocument => {
    const currency = text(r.currency);
    const total = text(r.foreigntotal);
    return {
      type: RECORD_TYPES[text(r.recordtype).toLowerCase()] ?? text(r.recordtype),
      id: text(r.id),
      ...(text(r.tranid) ? { tranId: text(r.tranid) } : {}),
      ...(text(r.trandate) ? { date: text(r.trandate) } : {}),
      ...(total ? { amount: currency ? amountIn(total, currency) : total } : {}),
      ...(currency ? { currency } : {}),
      externalId: text(r.externalid),
    };
  });
  const rank = (d: NetSuiteDocument) => (LIFE.indexOf(d.type) + 1 || LIFE.length + 1) * 10;
  return docs.sort((a, b) => rank(a) - rank(b) || a.externalId.localeCompare(b.externalId));
}
