// Transactions without a customer: `journalEntry` (line.items with debit/credit) and `deposit`
// (a bank account, payments chosen out of Undeposited Funds `payment.items`, Other Deposits
// `other.items` and Cash Back `cashback.items`), plus the general ledger the sandbox derives from
// every stored transaction so tests can check a GL effect and SuiteQL can read accounting lines.
// A payment line selects a transaction by internal id (`{id, deposit: true, paymentAmount}`: our
// reading of the REST schema, UNCONFIRMED); Oracle's rules are enforced (wave2-research C2): only
// transactions in Undeposited Funds that no deposit took yet, in the deposit's currency.
// NetSuite's exact wording for an unbalanced journal or a refused payment line is UNCONFIRMED.
import { baseCurrencyId, defaultExchangeRate, precisionOf, subsidiaryCurrencyId } from './currencies.js';
import { missingValue, userError } from './errors.js';
import { checkPostingPeriod } from './periods.js';
import { fromMinor, multiplyToMinor, sumMinor, toMinor, type Minor } from './money.js';
import type { RecordStore } from './store.js';
import { linesOf, num, ref, refId, type Fields, type WriteClock } from './values.js';

export function finalizeLedgerEntry(
  store: RecordStore,
  clock: WriteClock,
  type: string,
  rec: Fields,
  selfId: string | undefined,
): void {
  rec.subsidiary ??= ref(store.all('subsidiary')[0]?.id ?? '1');
  const baseId = subsidiaryCurrencyId(store, refId(rec.subsidiary));
  rec.currency ??= ref(baseId);
  const currencyId = refId(rec.currency)!;
  rec.tranDate ??= clock.today;
  checkPostingPeriod(store, type, rec);
  rec.exchangeRate ??= defaultExchangeRate(store, currencyId, baseId, String(rec.tranDate));
  if (selfId === undefined) {
    rec.tranId ??= store.nextTranId(type, type === 'deposit' ? 'DEP' : 'JE');
    rec.dateCreated = clock.now;
  }
  rec.lastModifiedDate = clock.now;
  const p = precisionOf(store, currencyId);
  if (type === 'journalEntry') finalizeJournal(rec, p);
  else finalizeDeposit(store, rec, p, selfId);
}

function finalizeJournal(rec: Fields, p: number): void {
  const lines = linesOf(rec, 'line');
  if (lines.length < 2) throw userError('You must enter at least two lines for a journal entry.', 'line');
  let debits = 0n;
  let credits = 0n;
  lines.forEach((l, i) => {
    if (!refId(l.account)) throw missingValue('Account', `line.items[${i}].account`);
    const d = typeof l.debit === 'number' ? toMinor(l.debit, p) : 0n;
    const c = typeof l.credit === 'number' ? toMinor(l.credit, p) : 0n;
    if (d < 0n || c < 0n || d > 0n === c > 0n)
      throw userError('Each journal line needs either a debit or a credit amount above zero.', `line.items[${i}]`);
    if (d > 0n) l.debit = fromMinor(d, p);
    else delete l.debit;
    if (c > 0n) l.credit = fromMinor(c, p);
    else delete l.credit;
    l.line = i + 1;
    debits += d;
    credits += c;
  });
  if (debits !== credits) {
    throw userError(
      `The transaction is not in balance: debits ${fromMinor(debits, p).toFixed(p)}, credits ${fromMinor(credits, p).toFixed(p)}.`,
      'line',
    );
  }
  rec.total = fromMinor(debits, p);
}

/** Undeposited Funds in the seed: where a payment posted without an account lands. */
export const UNDEPOSITED_FUNDS = '200';
const SELECTABLE_ON_DEPOSIT: Record<string, 1 | -1> = {
  customerPayment: 1,
  cashSale: 1,
  customerRefund: -1,
  cashRefund: -1,
};

/** Whether a payment-like transaction posted its money to Undeposited Funds. */
export function inUndepositedFunds(rec: Fields): boolean {
  return !refId(rec.account);
}

/** The deposit (other than `exceptId`) whose payment lines select transaction `id`, if any. */
export function depositOf(store: RecordStore, id: string, exceptId?: string): (Fields & { id: string }) | undefined {
  return store
    .all('deposit')
    .find(
      (d) => d.id !== exceptId && linesOf(d, 'payment').some((l) => paymentLineTarget(l) === id && l.deposit !== false),
    );
}

export const paymentLineTarget = (l: Fields): string | undefined =>
  (typeof l.id === 'string' || typeof l.id === 'number' ? String(l.id) : undefined) ?? refId(l.id) ?? refId(l.doc);

function paymentLines(store: RecordStore, rec: Fields, p: number, selfId: string | undefined): Minor[] {
  return linesOf(rec, 'payment').flatMap((l, i) => {
    if (l.deposit === false) return [];
    const path = `payment.items[${i}]`;
    const id = paymentLineTarget(l);
    const t = id ? store.transaction(id) : undefined;
    if (!t || !(t.type in SELECTABLE_ON_DEPOSIT))
      throw userError(`Invalid payment line: ${id ?? '(no id)'} is not a payment, cash sale or refund.`, `${path}.id`);
    if (!inUndepositedFunds(t.record))
      throw userError(
        `Transaction ${t.record.tranId ?? id} was not posted to Undeposited Funds and cannot be deposited.`,
        `${path}.id`,
      );
    if (refId(t.record.currency) !== refId(rec.currency))
      throw userError(`Transaction ${t.record.tranId ?? id} is in another currency than the deposit.`, `${path}.id`);
    const other = depositOf(store, t.record.id, selfId);
    if (other)
      throw userError(
        `Transaction ${t.record.tranId ?? id} has already been deposited (${String(other.tranId ?? other.id)}).`,
        `${path}.id`,
      );
    const amount = toMinor(num(t.type === 'customerPayment' ? t.record.payment : t.record.total), p);
    if (typeof l.paymentAmount === 'number' && toMinor(Math.abs(l.paymentAmount), p) !== amount) {
      throw userError(
        `The payment amount of ${t.record.tranId ?? id} must be its full amount (${fromMinor(amount, p).toFixed(p)}).`,
        `${path}.paymentAmount`,
      );
    }
    l.id = t.record.id;
    l.deposit = true;
    l.paymentAmount = fromMinor(amount * BigInt(SELECTABLE_ON_DEPOSIT[t.type]!), p);
    return [amount * BigInt(SELECTABLE_ON_DEPOSIT[t.type]!)];
  });
}

function finalizeDeposit(store: RecordStore, rec: Fields, p: number, selfId: string | undefined): void {
  if (!refId(rec.account)) throw missingValue('Account', 'account');
  const payments = paymentLines(store, rec, p, selfId);
  const amounts = (name: string): Minor[] =>
    linesOf(rec, name).map((l, i) => {
      if (!refId(l.account)) throw missingValue('Account', `${name}.items[${i}].account`);
      const a = toMinor(num(l.amount), p);
      if (a <= 0n) throw userError('Amounts on a deposit must be above zero.', `${name}.items[${i}].amount`);
      l.amount = fromMinor(a, p);
      return a;
    });
  const other = amounts('other');
  const cashback = amounts('cashback');
  if (other.length === 0 && payments.length === 0)
    throw userError('You must enter at least one line item for this transaction.', 'other');
  const total = sumMinor(payments) + sumMinor(other) - sumMinor(cashback);
  if (total < 0n)
    throw userError('The total of a deposit cannot be negative: Cash Back exceeds the deposits.', 'cashback');
  rec.total = fromMinor(total, p);
}

// ---- general ledger ----

export interface GlPosting {
  transaction: string;
  type: string;
  /** The transaction line it belongs to (0: the main line). */
  line: number;
  account: string;
  /** Debit > 0, in the transaction currency's minor units. */
  amount: Minor;
  currency: string;
  /** Debit > 0 in base-currency minor units (amount × exchange rate). */
  base: Minor;
  memo?: string;
}

/** Account the sandbox books receivables to when a record names none (seed 220). */
const AR_ACCOUNT = '220';

/** The GL lines of one stored transaction (only the accounts a payout cares about are exact). */
export function glPostings(store: RecordStore, type: string, rec: Fields & { id: string }): GlPosting[] {
  const currency = refId(rec.currency) ?? baseCurrencyId(store);
  const p = precisionOf(store, currency);
  const basePrecision = precisionOf(store, baseCurrencyId(store));
  const rate = num(rec.exchangeRate, 1);
  const out: GlPosting[] = [];
  const post = (account: string | undefined, amount: Minor, line = 0, memo?: string) => {
    if (!account || amount === 0n) return;
    const base = multiplyToMinor(fromMinor(amount, p), rate, basePrecision);
    out.push({
      transaction: rec.id,
      type,
      line,
      account,
      amount,
      currency,
      base,
      ...(memo !== undefined ? { memo } : {}),
    });
  };
  const total = toMinor(num(type === 'customerPayment' ? rec.payment : rec.total), p);
  const ar = refId(rec.arAcct) ?? AR_ACCOUNT;
  // The main line (0) carries the account the money sits in; the other side is line 1.
  switch (type) {
    case 'customerPayment':
      post(refId(rec.account) ?? UNDEPOSITED_FUNDS, total);
      post(ar, -total, 1);
      break;
    case 'customerRefund':
      post(refId(rec.account) ?? UNDEPOSITED_FUNDS, -total);
      post(ar, total, 1);
      break;
    case 'cashSale':
      post(refId(rec.account) ?? UNDEPOSITED_FUNDS, total);
      post('income', -total, 1);
      break;
    case 'cashRefund':
      post(refId(rec.account) ?? UNDEPOSITED_FUNDS, -total);
      post('income', total, 1);
      break;
    case 'invoice':
      post(ar, total);
      post('income', -total);
      break;
    case 'creditMemo':
      post(ar, -total);
      post('income', total);
      break;
    case 'journalEntry':
      linesOf(rec, 'line').forEach((l, i) =>
        post(
          refId(l.account),
          toMinor(num(l.debit), p) - toMinor(num(l.credit), p),
          i + 1,
          typeof l.memo === 'string' ? l.memo : undefined,
        ),
      );
      break;
    case 'deposit': {
      post(refId(rec.account), total);
      let line = 1;
      // A selected payment leaves Undeposited Funds (a refund comes back into it).
      for (const l of linesOf(rec, 'payment'))
        if (l.deposit !== false) post(UNDEPOSITED_FUNDS, -toMinor(num(l.paymentAmount), p), line++);
      for (const l of linesOf(rec, 'other'))
        post(refId(l.account), -toMinor(num(l.amount), p), line++, typeof l.memo === 'string' ? l.memo : undefined);
      for (const l of linesOf(rec, 'cashback'))
        post(refId(l.account), toMinor(num(l.amount), p), line++, typeof l.memo === 'string' ? l.memo : undefined);
      break;
    }
    default:
      break;
  }
  return out;
}

export interface AccountBalance {
  account: string;
  /** Balance (debit > 0) per transaction currency, as decimal numbers. */
  byCurrency: Record<string, number>;
  /** Balance in the base currency. */
  base: number;
  postings: number;
}

/** The balance of one account over every stored transaction. */
export function accountBalance(
  store: RecordStore,
  transactionTypes: readonly string[],
  account: string,
): AccountBalance {
  const byCurrency = new Map<string, Minor>();
  let base = 0n;
  let postings = 0;
  for (const type of transactionTypes) {
    for (const rec of store.all(type)) {
      for (const g of glPostings(store, type, rec)) {
        if (g.account !== account) continue;
        postings++;
        byCurrency.set(g.currency, (byCurrency.get(g.currency) ?? 0n) + g.amount);
        base += g.base;
      }
    }
  }
  const symbol = (id: string) => String(store.get('currency', id)?.symbol ?? id);
  return {
    account,
    byCurrency: Object.fromEntries([...byCurrency].map(([c, m]) => [symbol(c), fromMinor(m, precisionOf(store, c))])),
    base: fromMinor(base, precisionOf(store, baseCurrencyId(store))),
    postings,
  };
}
