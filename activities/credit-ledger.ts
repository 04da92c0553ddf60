// Reads what a credit is made from: the invoice or cash sale as NetSuite shows it, and the credit
// memos / cash refunds already posted from it (SuiteQL by `createdfrom`, then their lines). The
// NetSuite JSON is checked with zod here, at the boundary, and turned into the plain ledger shapes
// the pure allocation (mappings/refund-records.ts) works on.
import { z } from 'zod';
import { MappingError } from '../mappings/errors.js';
import { abs, toMinor, type Minor } from '../mappings/money.js';
import type { LedgerLine, PriorCredit, SourceDocument } from '../mappings/credit-source.js';
import type { NetSuiteClient, RequestOptions, SuiteQlRow } from '../netsuite/types.js';
import { suiteql } from '../netsuite/suiteql.js';

const Id = z.union([z.string(), z.number()]).transform(String);
const Ref = z.object({ id: Id });
/** REST sends JSON numbers; tolerate decimal strings too (cheap, and safer than a park). */
const Amount = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

const ItemLine = z.object({
  line: z.number().optional(),
  item: Ref,
  amount: Amount.optional(),
  quantity: Amount.optional(),
  rate: Amount.optional(),
  description: z.string().optional(),
  department: Ref.optional(),
  class: Ref.optional(),
  location: Ref.optional(),
  taxCode: Ref.optional(),
  revRecStartDate: z.string().optional(),
  revRecEndDate: z.string().optional(),
  isClosed: z.boolean().optional(),
  quantityBilled: Amount.optional(),
});
export type NsItemLineRead = z.infer<typeof ItemLine>;

const SalesDocument = z.object({
  id: Id,
  tranId: z.string().optional(),
  total: Amount.optional(),
  amountRemaining: Amount.optional(),
  currency: Ref.optional(),
  item: z.object({ items: z.array(ItemLine) }).optional(),
});

/** A NetSuite amount (JSON number) in minor units; toFixed keeps 1e-7 out of exponent notation. */
const minor = (v: number, exponent: number): Minor => toMinor(v.toFixed(exponent + 4), exponent);

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new MappingError(
    'UNEXPECTED_ERROR',
    `NetSuite returned ${what} in a shape this service does not expect (${issue ? `${issue.path.join('.') || '(record)'}: ${issue.message}` : 'invalid'}). ` +
      `Nothing was posted. Check the record in NetSuite (and the integration role's access to its lines), then retry`,
  );
}

function ledgerLine(l: NsItemLineRead, exponent: number): LedgerLine {
  const out: LedgerLine = { item: l.item.id, amount: minor(l.amount ?? 0, exponent) };
  if (l.line !== undefined) out.line = l.line;
  if (l.quantity !== undefined) out.quantity = l.quantity;
  if (l.rate !== undefined) out.rate = l.rate;
  if (l.description !== undefined) out.description = l.description;
  if (l.department) out.department = l.department.id;
  if (l.class) out.class = l.class.id;
  if (l.location) out.location = l.location.id;
  if (l.taxCode) out.taxCode = l.taxCode.id;
  if (l.revRecStartDate) out.revRecStartDate = l.revRecStartDate;
  if (l.revRecEndDate) out.revRecEndDate = l.revRecEndDate;
  return out;
}

/** GET the record with its lines; the raw item lines are returned too (sales-order closing needs them). */
export async function readItemLines(
  ns: NetSuiteClient,
  type: string,
  id: string,
  opts: RequestOptions,
): Promise<NsItemLineRead[] | undefined> {
  const rec = await ns.get(type, id, { ...opts, expandSubResources: true });
  if (!rec) return undefined;
  return parse(SalesDocument, rec, `${type} ${id}`).item?.items ?? [];
}

/** The invoice or cash sale a credit is made from. Missing → a MissingRecord park by the caller. */
export async function readSourceDocument(
  ns: NetSuiteClient,
  type: 'invoice' | 'cashSale',
  id: string,
  exponent: number,
  opts: RequestOptions,
): Promise<SourceDocument | undefined> {
  const rec = await ns.get(type, id, { ...opts, expandSubResources: true });
  if (!rec) return undefined;
  const doc = parse(SalesDocument, rec, `${type} ${id}`);
  const lines = (doc.item?.items ?? []).map((l) => ledgerLine(l, exponent));
  const total = doc.total !== undefined ? minor(doc.total, exponent) : lines.reduce((s, l) => s + l.amount, 0n);
  return {
    type,
    id: doc.id,
    label: doc.tranId ?? doc.id,
    ...(doc.currency ? { currencyId: doc.currency.id } : {}),
    total,
    ...(doc.amountRemaining !== undefined ? { amountRemaining: minor(doc.amountRemaining, exponent) } : {}),
    lines,
  };
}

export interface CreditRow {
  id: string;
  label: string;
  externalId?: string;
  memo?: string;
  /** Magnitude: SuiteQL may sign a credit's total negative. */
  total: Minor;
}

const text = (v: SuiteQlRow[string]): string | undefined =>
  v === null || v === undefined || v === '' ? undefined : String(v);

/**
 * Credits posted from a document: `transaction` rows with `createdfrom = <id>` of the given type
 * code (CustCred: credit memo, CashRfnd: cash refund; docs/reference-notes.md#ns-suiteql).
 */
export async function listCredits(
  ns: NetSuiteClient,
  sourceId: string,
  typeCode: 'CustCred' | 'CashRfnd',
  exponent: number,
  opts: RequestOptions,
): Promise<CreditRow[]> {
  const rows = await ns.suiteqlAll(
    suiteql`SELECT id, tranid, externalid, memo, foreigntotal FROM transaction WHERE createdfrom = ${sourceId} AND type = ${typeCode} ORDER BY id`,
    opts,
  );
  return rows.map((r) => {
    const id = text(r.id) ?? '';
    const eid = text(r.externalid);
    const total = text(r.foreigntotal);
    const memo = text(r.memo);
    return {
      id,
      label: text(r.tranid) ?? id,
      ...(eid ? { externalId: eid } : {}),
      ...(memo ? { memo } : {}),
      total: total ? abs(toMinor(total, exponent)) : 0n,
    };
  });
}

/** The lines of each earlier credit (one GET each; an order has few). */
export async function readPriorCredits(
  ns: NetSuiteClient,
  rows: readonly CreditRow[],
  type: 'creditMemo' | 'cashRefund',
  exponent: number,
  opts: RequestOptions,
): Promise<PriorCredit[]> {
  const out: PriorCredit[] = [];
  for (const row of rows) {
    const rec = await ns.get(type, row.id, { ...opts, expandSubResources: true });
    // Deleted between the query and now: it no longer credits anything.
    if (!rec) continue;
    const doc = parse(SalesDocument, rec, `${type} ${row.id}`);
    out.push({
      id: row.id,
      label: row.label,
      ...(row.externalId ? { externalId: row.externalId } : {}),
      total: doc.total !== undefined ? abs(minor(doc.total, exponent)) : row.total,
      lines: (doc.item?.items ?? []).map((l) => ledgerLine(l, exponent)),
    });
  }
  return out;
}
