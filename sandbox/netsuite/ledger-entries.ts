// Transactions without a customer: `journalEntry` (line.items with debit/credit) and `deposit`
// (a bank account, Other Deposits `other.items` and Cash Back `cashback.items`), plus the general
// ledger the sandbox derives from every stored transaction so tests can check a GL effect.
// The deposit's Payment sublist (choosing payments out of Undeposited Funds) is refused: the JSON
// that selects a payment line is UNCONFIRMED, and this service never posts payments there.
// NetSuite's exact wording for an unbalanced journal is UNCONFIRMED.
import { baseCurrencyId, defaultExchangeRate, precisionOf, subsidiaryCurrencyId } from './currencies.js';
import { missingValue, userError } from './errors.js';
import { checkPostingPeriod } from './periods.js';
import { fromMinor, multiplyToMinor, sumMinor, toMinor, type Minor } from './money.js';
import type { RecordStore } from './store.js';
import { linesOf, num, ref, refId, type Fields, type WriteClock } from './values.js';

export function finalizeLedgerEntry(store: RecordStore, clock: WriteClock, type: string, rec: Fields, selfId: string | undefined): void {
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
  else finalizeDeposit(rec, p);
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
    if (d < 0n || c < 0n || (d > 0n) === (c > 0n)) throw userError('Each journal line needs either a debit or a credit amount above zero.', `line.items[${i}]`);
    if (d > 0n) l.debit = fromMinor(d, p);
    else delete l.debit;
    if (c > 0n) l.credit = fromMinor(c, p);
    else delete l.credit;
    l.line = i + 1;
    debits += d;
    credits += c;
  });
  if (debits !== credits) {
    throw userError(`The transaction is not in balance: debits ${fromMinor(debits, p).toFixed(p)}, credits ${fromMinor(credits, p).toFixed(p)}.`, 'line');
  }
  rec.total = fromMinor(debits, p);
}

function finalizeDeposit(rec: Fields, p: number): void {
  if (!refId(rec.account)) throw missingValue('Account', 'account');
  if (linesOf(rec, 'payment').length > 0) {
    throw userError('The sandbox does not model choosing payments on a deposit (payment.items); post payments to a clearing account and use Other Deposits lines.', 'payment');
  }
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
  if (other.length === 0) throw userError('You must enter at least one line item for this transaction.', 'other');
  const total = sumMinor(other) - sumMinor(cashback);
  if (total < 0n) throw userError('The total of a deposit cannot be negative: Cash Back exceeds the deposits.', 'cashback');
  rec.total = fromMinor(total, p);
}

// ---- general ledger ----

export interface GlPosting {
  transaction: string;
  type: string;
  account: string;
  /** Debit > 0, in the transaction currency's minor units. */
  amount: Minor;
  currency: string;
  /** Debit > 0 in base-currency minor units (amount × exchange rate). */
  base: Minor;
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
  const post = (account: string | undefined, amount: Minor) => {
    if (!account || amount === 0n) return;
    const base = multiplyToMinor(fromMinor(amount, p), rate, basePrecision);
    out.push({ transaction: rec.id, type, account, amount, currency, base });
  };
  const total = toMinor(num(type === 'customerPayment' ? rec.payment : rec.total), p);
  const ar = refId(rec.arAcct) ?? AR_ACCOUNT;
  switch (type) {
    case 'customerPayment':
      post(refId(rec.account) ?? 'undeposited', total);
      post(ar, -total);
      break;
    case 'customerRefund':
      post(refId(rec.account), -total);
      post(ar, total);
      break;
    case 'cashSale':
      post(refId(rec.account) ?? 'undeposited', total);
      post('income', -total);
      break;
    case 'cashRefund':
      post(refId(rec.account), -total);
      post('income', total);
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
      for (const l of linesOf(rec, 'line')) post(refId(l.account), toMinor(num(l.debit), p) - toMinor(num(l.credit), p));
      break;
    case 'deposit':
      post(refId(rec.account), total);
      for (const l of linesOf(rec, 'other')) post(refId(l.account), -toMinor(num(l.amount), p));
      for (const l of linesOf(rec, 'cashback')) post(refId(l.account), toMinor(num(l.amount), p));
      break;
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
export function accountBalance(store: RecordStore, transactionTypes: readonly string[], account: string): AccountBalance {
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
