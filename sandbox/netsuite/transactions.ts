// Transaction rules: header defaults (customer's subsidiary and currency, exchange rate, tranDate,
// tranId), line amounts and totals in the currency's precision, applications of payments,
// credits and refunds with their over-apply checks, and the derived read-only fields
// (status, amountRemaining, amountPaid, quantityBilled) that follow from linked transactions.
import { currencySymbol, defaultExchangeRate, precisionOf, subsidiaryCurrencyId } from './currencies.js';
import { invalidFieldValue, missingValue, userError } from './errors.js';
import { fromMinor, minMinor, multiplyToMinor, divide, sumMinor, toMinor, type Minor } from './money.js';
import { TRANSACTION_TYPES } from './record-types.js';
import { depositOf, finalizeLedgerEntry, paymentLineTarget } from './ledger-entries.js';
import { checkPostingPeriod } from './periods.js';
import { checkAccountCurrency, checkCustomerSubsidiary, type AccountFeatures } from './posting-rules.js';
import type { RecordStore } from './store.js';
import { isObject, linesOf, num, ref, refId, type Fields, type Rec } from './values.js';

export type { WriteClock } from './values.js';
import type { WriteClock } from './values.js';

/** Which documents each applying transaction may apply to (#ns-record-shapes). */
const APPLY_TARGETS: Record<string, string[]> = {
  customerPayment: ['invoice'],
  creditMemo: ['invoice'],
  customerRefund: ['creditMemo', 'customerPayment'],
};

/**
 * Read-only `status` values (#ns-record-shapes: "A = Open, B = Paid In Full, UNCONFIRMED mapping"). The letters
 * follow NetSuite's saved-search status codes; how REST renders them is UNCONFIRMED.
 */
const STATUS = {
  pendingApproval: { id: 'A', refName: 'Pending Approval' },
  pendingBilling: { id: 'F', refName: 'Pending Billing' },
  billed: { id: 'G', refName: 'Billed' },
  closed: { id: 'H', refName: 'Closed' },
  open: { id: 'A', refName: 'Open' },
  paidInFull: { id: 'B', refName: 'Paid In Full' },
  fullyApplied: { id: 'B', refName: 'Fully Applied' },
  notDeposited: { id: 'B', refName: 'Not Deposited' },
  deposited: { id: 'C', refName: 'Deposited' },
} as const;

const entityFieldOf = (type: string): 'entity' | 'customer' | 'none' =>
  TRANSACTION_TYPES[type]?.entityField ?? 'entity';

/** Fills defaults, computes amounts and checks business rules. Mutates `rec` (a draft, not yet stored). */
export function finalizeTransaction(
  store: RecordStore,
  clock: WriteClock,
  type: string,
  rec: Fields,
  selfId: string | undefined,
  features: AccountFeatures,
): void {
  const kind = TRANSACTION_TYPES[type]!;
  const entityField = kind.entityField;
  if (entityField === 'none') return finalizeLedgerEntry(store, clock, type, rec, selfId);
  const customerId = refId(rec[entityField]);
  if (!customerId) throw missingValue('Customer', entityField);
  const customer = store.get('customer', customerId);
  if (!customer) throw invalidFieldValue(customerId, entityField, entityField);

  rec.subsidiary ??= customer.subsidiary ?? ref(store.all('subsidiary')[0]?.id ?? '1');
  checkCustomerSubsidiary(store, customer, refId(rec.subsidiary)!, features);
  const baseId = subsidiaryCurrencyId(store, refId(rec.subsidiary));
  rec.currency ??= customer.currency ?? ref(baseId);
  const currencyId = refId(rec.currency)!;
  checkCustomerCurrency(store, customer, currencyId);
  checkAccountCurrency(store, type, rec, currencyId, baseId);
  rec.tranDate ??= clock.today;
  checkPostingPeriod(store, type, rec);
  rec.exchangeRate ??= defaultExchangeRate(store, currencyId, baseId, String(rec.tranDate));
  if (selfId === undefined) {
    rec.tranId ??= store.nextTranId(type, kind.tranIdPrefix);
    rec.dateCreated = clock.now;
  }
  rec.lastModifiedDate = clock.now;

  const p = precisionOf(store, currencyId);
  if (kind.hasLines) computeLineTotals(store, rec, p);
  if (type in APPLY_TARGETS) applyDocuments(store, type, rec, customerId, currencyId, selfId, p);
  // A refund is paid from a bank account, or (undepFunds) out of Undeposited Funds, where a deposit nets it.
  if (type === 'customerRefund' && !refId(rec.account) && !undepositedFunds(rec))
    throw missingValue('Account', 'account');
  if (type === 'cashRefund') checkCashRefund(store, rec, selfId, p);
}

/**
 * A transaction must be in the customer's primary currency or one on its currency list (#ns-record-shapes).
 * NetSuite's exact error is UNCONFIRMED; this text mirrors its "Invalid … reference key" family.
 */
function checkCustomerCurrency(store: RecordStore, customer: Rec, currencyId: string): void {
  const allowed = new Set<string>();
  const primary = refId(customer.currency);
  if (primary) allowed.add(primary);
  for (const line of linesOf(customer, 'currencyList')) {
    const c = refId(line.currency);
    if (c) allowed.add(c);
  }
  if (allowed.size === 0 || allowed.has(currencyId)) return;
  throw userError(
    `Invalid currency reference key ${currencyId} for entity ${customer.id}: ${currencySymbol(store, currencyId)} is not one of the customer's currencies.`,
    'currency',
  );
}

/** Line ids, default quantity, `amount` = rate × quantity in the currency precision, header totals. */
function computeLineTotals(store: RecordStore, rec: Fields, p: number): void {
  const lines = linesOf(rec, 'item');
  if (lines.length === 0) throw userError('You must enter at least one line item for this transaction.', 'item');
  let nextLine = Math.max(0, ...lines.map((l) => num(l.line, 0))) + 1;
  const amounts: Minor[] = lines.map((line, i) => {
    const path = `item.items[${i}]`;
    const itemId = refId(line.item);
    if (!itemId) throw missingValue('Item', `${path}.item`);
    if (typeof line.line !== 'number') line.line = nextLine++;
    line.quantity ??= 1;
    line.isClosed ??= false;
    const item = store.get('item', itemId) ?? store.get('salesTaxItem', itemId);
    if (typeof item?.itemType === 'string') line.itemType = item.itemType;
    const quantity = num(line.quantity, 1);
    let amount: Minor;
    if (typeof line.amount === 'number') {
      amount = toMinor(line.amount, p);
      if (typeof line.rate !== 'number') line.rate = divide(fromMinor(amount, p), quantity);
    } else {
      if (typeof line.rate !== 'number') throw missingValue('Amount', `${path}.amount`);
      amount = multiplyToMinor(line.rate, quantity, p);
    }
    line.amount = fromMinor(amount, p);
    return amount;
  });
  const subtotal = sumMinor(amounts);
  const extras: Minor[] = [];
  for (const f of ['shippingCost', 'handlingCost']) {
    if (typeof rec[f] !== 'number') continue;
    const m = toMinor(rec[f], p);
    rec[f] = fromMinor(m, p);
    extras.push(m);
  }
  rec.subtotal = fromMinor(subtotal, p);
  rec.total = fromMinor(subtotal + sumMinor(extras), p);
}

/** Σ of what `applier` applies to `docId`, in minor units. */
function appliedTo(applier: Fields, docId: string, p: number): Minor {
  let total = 0n;
  for (const line of linesOf(applier, 'apply')) {
    if (refId(line.doc) === docId && line.apply !== false) total += toMinor(num(line.amount), p);
  }
  return total;
}

/** Σ of everything a transaction applies itself (its own `apply` lines). */
function ownApplied(rec: Fields, p: number): Minor {
  return sumMinor(
    linesOf(rec, 'apply')
      .filter((l) => l.apply !== false)
      .map((l) => toMinor(num(l.amount), p)),
  );
}

/** The amount of a document (the part others may apply against). */
function documentAmount(type: string, doc: Fields, p: number): Minor {
  return toMinor(num(type === 'customerPayment' ? doc.payment : doc.total), p);
}

/** What is still open on a document, ignoring what `excludeId` applies to it. */
export function remainingOn(
  store: RecordStore,
  type: string,
  doc: Rec,
  excludeId: string | undefined,
  p: number,
): Minor {
  let remaining = documentAmount(type, doc, p);
  if (type !== 'invoice') remaining -= ownApplied(doc, p);
  for (const a of store.appliersOf(doc.id)) if (a.record.id !== excludeId) remaining -= appliedTo(a.record, doc.id, p);
  return remaining;
}

function applyDocuments(
  store: RecordStore,
  type: string,
  rec: Fields,
  customerId: string,
  currencyId: string,
  selfId: string | undefined,
  p: number,
): void {
  const lines = linesOf(rec, 'apply');
  const format = (m: Minor) => fromMinor(m, p).toFixed(p);
  // How much this transaction can apply in total: the payment, or the credit memo's total less refunds.
  let capacity: Minor | undefined;
  if (type === 'customerPayment' && typeof rec.payment === 'number') capacity = toMinor(rec.payment, p);
  if (type === 'creditMemo') {
    capacity = toMinor(num(rec.total), p);
    if (selfId) for (const a of store.appliersOf(selfId)) capacity -= appliedTo(a.record, selfId, p);
  }
  const available = new Map<Fields, Minor>();
  lines.forEach((line, i) => {
    const path = `apply.items[${i}]`;
    const docId = refId(line.doc);
    if (!docId) throw missingValue('Document', `${path}.doc`);
    const doc = store.transaction(docId);
    const targets = APPLY_TARGETS[type] ?? [];
    if (!doc || !targets.includes(doc.type)) throw invalidFieldValue(docId, 'doc', `${path}.doc`);
    if (refId(doc.record[entityFieldOf(doc.type)]) !== customerId) throw invalidFieldValue(docId, 'doc', `${path}.doc`);
    if (refId(doc.record.currency) !== currencyId) {
      throw userError(
        `The document ${String(doc.record.tranId)} is in another currency than this transaction.`,
        `${path}.doc`,
      );
    }
    line.apply ??= true;
    if (line.apply === false) return;
    available.set(line, remainingOn(store, doc.type, doc.record, selfId, p));
  });
  // Explicit amounts first, then the lines that take "what remains" by default.
  let sum = 0n;
  const ordered = [...available.keys()].sort(
    (a, b) => Number(typeof b.amount === 'number') - Number(typeof a.amount === 'number'),
  );
  for (const line of ordered) {
    const i = lines.indexOf(line);
    const open = available.get(line)!;
    let amount: Minor;
    if (typeof line.amount === 'number') {
      amount = toMinor(line.amount, p);
      if (amount > open) {
        throw userError(
          `The total amount applied (${format(amount)}) exceeds the amount remaining (${format(open)}) on the document.`,
          `apply.items[${i}].amount`,
        );
      }
    } else {
      amount = capacity === undefined ? open : minMinor(open, capacity - sum);
      if (amount < 0n) amount = 0n;
    }
    line.amount = fromMinor(amount, p);
    sum += amount;
  }
  if (capacity !== undefined && sum > capacity) {
    throw userError(
      `The total amount applied (${format(sum)}) exceeds the amount available (${format(capacity)}) on this transaction.`,
      'apply',
    );
  }
  if (type === 'customerPayment') {
    if (typeof rec.payment !== 'number') rec.payment = fromMinor(sum, p);
    if (num(rec.payment) <= 0) throw missingValue('Payment Amount', 'payment');
    rec.payment = fromMinor(toMinor(num(rec.payment), p), p);
    rec.total = rec.payment;
  }
  if (type === 'customerRefund') {
    if (sum <= 0n)
      throw userError('The refund must be applied to a credit memo or payment that has an amount remaining.', 'apply');
    rec.total = fromMinor(sum, p);
  }
}

/** A cash refund created from a cash sale cannot give back more than the sale took. */
function checkCashRefund(store: RecordStore, rec: Fields, selfId: string | undefined, p: number): void {
  const saleId = refId(rec.createdFrom);
  const sale = saleId ? store.transaction(saleId) : undefined;
  if (!sale || sale.type !== 'cashSale') return;
  let open = toMinor(num(sale.record.total), p);
  for (const c of store.childrenOf(sale.record.id))
    if (c.type === 'cashRefund' && c.record.id !== selfId) open -= toMinor(num(c.record.total), p);
  const amount = toMinor(num(rec.total), p);
  if (amount > open) {
    throw userError(
      `The total amount refunded (${fromMinor(amount, p).toFixed(p)}) exceeds the amount remaining (${fromMinor(open, p).toFixed(p)}) on the cash sale.`,
      'item',
    );
  }
}

/** The ids whose derived fields may change when `rec` is written or deleted. */
export function linkedIds(rec: Fields | undefined): string[] {
  if (!rec) return [];
  const ids = new Set<string>();
  const from = refId(rec.createdFrom);
  if (from) ids.add(from);
  for (const line of linesOf(rec, 'apply')) {
    const d = refId(line.doc);
    if (d) ids.add(d);
  }
  for (const line of linesOf(rec, 'payment')) {
    const d = paymentLineTarget(line);
    if (d) ids.add(d);
  }
  return [...ids];
}

/** `undepFunds: true` (or `{id: 'T'}`): the money goes to Undeposited Funds (netsuite.md §5.5; the exact shape is UNCONFIRMED). */
function undepositedFunds(rec: Fields): boolean {
  const v = rec.undepFunds;
  return v === true || v === 'T' || (isObject(v) && (v.id === 'T' || v.id === 'true'));
}

/** Recomputes the read-only fields of a stored transaction from the transactions linked to it. */
export function refreshDerived(store: RecordStore, id: string): void {
  const t = store.transaction(id);
  if (!t) return;
  const { type, record: rec } = t;
  const p = precisionOf(store, refId(rec.currency));
  switch (type) {
    case 'salesOrder':
      refreshSalesOrder(store, rec);
      break;
    case 'invoice': {
      const remaining = remainingOn(store, 'invoice', rec, undefined, p);
      rec.amountRemaining = fromMinor(remaining, p);
      rec.amountPaid = fromMinor(toMinor(num(rec.total), p) - remaining, p);
      rec.status = remaining <= 0n ? STATUS.paidInFull : STATUS.open;
      break;
    }
    case 'creditMemo': {
      const remaining = remainingOn(store, 'creditMemo', rec, undefined, p);
      rec.amountRemaining = fromMinor(remaining, p);
      rec.applied = fromMinor(toMinor(num(rec.total), p) - remaining, p);
      rec.unapplied = rec.amountRemaining;
      rec.status = remaining <= 0n ? STATUS.fullyApplied : STATUS.open;
      break;
    }
    case 'customerPayment': {
      const remaining = remainingOn(store, 'customerPayment', rec, undefined, p);
      rec.applied = fromMinor(ownApplied(rec, p), p);
      rec.unapplied = fromMinor(remaining, p);
      rec.status = refId(rec.account) || depositOf(store, rec.id) ? STATUS.deposited : STATUS.notDeposited;
      break;
    }
    case 'cashSale':
    case 'customerRefund':
      rec.status = refId(rec.account) || depositOf(store, rec.id) ? STATUS.deposited : STATUS.notDeposited;
      break;
    default:
      break;
  }
  store.touch(type, id);
}

function refreshSalesOrder(store: RecordStore, so: Rec): void {
  const billed = new Map<number, number>();
  for (const child of store.childrenOf(so.id)) {
    if (child.type !== 'invoice' && child.type !== 'cashSale') continue;
    for (const line of linesOf(child.record, 'item')) {
      if (typeof line.orderLine === 'number')
        billed.set(line.orderLine, (billed.get(line.orderLine) ?? 0) + num(line.quantity));
    }
  }
  const lines = linesOf(so, 'item');
  for (const line of lines) line.quantityBilled = billed.get(num(line.line)) ?? 0;
  const open = lines.filter((l) => l.isClosed !== true);
  const anyBilled = lines.some((l) => num(l.quantityBilled) > 0);
  if (open.length === 0) so.status = STATUS.closed;
  else if (so.orderStatus === 'A' || (isObject(so.orderStatus) && so.orderStatus.id === 'A'))
    so.status = STATUS.pendingApproval;
  else if (anyBilled && open.every((l) => num(l.quantityBilled) >= num(l.quantity))) so.status = STATUS.billed;
  else so.status = STATUS.pendingBilling;
}

/** SO lines that can still be billed: open and not fully billed. */
export function unbilledLines(so: Rec): Array<{ line: Fields; quantity: number }> {
  return linesOf(so, 'item')
    .filter((l) => l.isClosed !== true)
    .map((line) => ({ line, quantity: num(line.quantity) - num(line.quantityBilled) }))
    .filter((l) => l.quantity > 0);
}
