// The NetSuite entry for one payout: lines (debits positive, credits negative, payout-currency minor
// units) that move the synced payments out of the clearing account into the bank, with commission,
// VAT withheld, chargeback fees, reserve, FX difference and variance on their own accounts; then
// the same lines as a journalEntry or a deposit body. Pure. See docs/payouts.md for the entries.
import { MappingError } from './errors.js';
import { externalIds } from './ids.js';
import { abs, formatMinor, minorToNumber, sum, type Minor } from './money.js';
import type { PayoutsConfig } from './payout-config.js';
import type { PayoutFigures } from './payout-amounts.js';

export type PayoutLineRole =
  | 'bank'
  | 'clearing'
  | 'commission'
  | 'vatWithheld'
  | 'chargebackFees'
  | 'reserveHeld'
  | 'reserveReleased'
  | 'fxDifference'
  | 'variance';

export interface PayoutLine {
  role: PayoutLineRole;
  account: string;
  /** Debit > 0, credit < 0, payout-currency minor units. */
  amount: Minor;
  /** Order currency the line comes from (clearing, FX, adjustments). */
  currency?: string;
  memo: string;
}

export interface PayoutEntry {
  externalId: string;
  lines: PayoutLine[];
  /** The balancing residue posted to the variance account (debit > 0). */
  variance: Minor;
  tolerance: Minor;
}

/** The payout does not tie out within the tolerance: posting would hide a real difference. */
export class PayoutVarianceError extends MappingError {
  override readonly name = 'PayoutVarianceError';
  override readonly failureType = 'AmountMismatch' as const;
  constructor(message: string) {
    super('PAYOUT_VARIANCE', message, 'payouts.varianceTolerance');
  }
}

/**
 * `book`: per order currency, what the clearing account holds for the covered documents (the
 * NetSuite payments less refunds), already in payout-currency minor units.
 */
export function buildPayoutEntry(fig: PayoutFigures, book: Readonly<Record<string, Minor>>, cfg: PayoutsConfig, file = 'the mapping file'): PayoutEntry {
  const e = fig.exponent;
  const f = (m: Minor) => `${formatMinor(m, e)} ${fig.currency}`;
  const account = (id: string | undefined, key: string, why: string): string => {
    if (id !== undefined) return id;
    throw new MappingError('MAPPING_ERROR', `payout ${fig.reference} needs ${key} (${why}): set it under payouts in ${file}, then retry`, `payouts.${key}`);
  };
  const lines: PayoutLine[] = [];
  const add = (role: PayoutLineRole, amount: Minor, key: string, why: string, memo: string, currency?: string, id?: string) => {
    if (amount === 0n) return;
    const acc = id ?? account((cfg.accounts as Record<string, string | undefined>)[key], `accounts.${key}`, why);
    lines.push({ role, account: acc, amount, memo, ...(currency ? { currency } : {}) });
  };
  const bank = account(cfg.bankAccounts[fig.currency], `bankAccounts.${fig.currency}`, `the bank account ${fig.currency} payouts arrive in`);
  add('bank', fig.amount, '', '', `2Checkout payout ${fig.reference}`, undefined, bank);
  for (const b of fig.buckets) {
    const c = b.converted;
    const clearing = account(cfg.clearingAccounts[b.currency] ?? cfg.clearingAccountDefault, `clearingAccounts.${b.currency}`, `where ${b.currency} payments wait for the payout`);
    const held = book[b.currency] ?? 0n;
    add('clearing', -held, '', '', `${b.orders} ${b.currency} payments less refunds, payout ${fig.reference}`, b.currency, clearing);
    add('commission', c.commission, 'commission', '2Checkout commission', `2Checkout commission on ${b.currency} orders`, b.currency);
    add('vatWithheld', c.vat, 'vatWithheld', 'VAT 2Checkout withheld as merchant of record', `VAT withheld on ${b.currency} orders`, b.currency);
    add('chargebackFees', c.chargebackFees, 'chargebackFees', 'chargeback fees', `chargeback fees (${b.currency})`, b.currency);
    add('reserveHeld', c.reserveHeld, 'reserve', 'the rolling reserve 2Checkout holds back', `reserve held (${b.currency})`, b.currency);
    add('reserveReleased', -c.reserveReleased, cfg.accounts.reserveReleased ? 'reserveReleased' : 'reserve', 'the reserve 2Checkout released', `reserve released (${b.currency})`, b.currency);
    // Only across currencies is the difference between the book value and 2Checkout's conversion
    // an exchange difference; within one currency it is unexplained and goes to the variance.
    if (b.currency !== fig.currency) {
      add('fxDifference', held - c.grossLessRefunds, 'fxDifference', 'FX difference between NetSuite and 2Checkout rates', `FX ${b.currency}→${fig.currency} at 2Checkout rate ${b.rate}`, b.currency);
    }
  }
  const variance = -sum(lines.map((l) => l.amount));
  const tolerance = BigInt(cfg.varianceToleranceByCurrency[fig.currency] ?? cfg.varianceTolerance);
  if (abs(variance) > tolerance) {
    const explained = fig.buckets.map((b) => `${b.currency} net ${formatMinor(b.converted.net, e)}`).join(', ');
    throw new PayoutVarianceError(
      `payout ${fig.reference} does not tie out: the bank received ${f(fig.amount)}, its documents explain ${f(fig.expected)} (${explained}), ` +
        `NetSuite's clearing holds ${f(sum(Object.values(book)))} for them; the difference of ${f(variance)} is above the tolerance of ${f(tolerance)}. ` +
        `Fix: find the missing document (a fee, refund or reserve line) or raise payouts.varianceTolerance in ${file}, then retry`,
    );
  }
  if (variance !== 0n) lines.push({ role: 'variance', account: account(cfg.accounts.variance, 'accounts.variance', 'residue within tolerance'), amount: variance, memo: `payout ${fig.reference} rounding / variance` });
  return { externalId: externalIds.payout(fig.reference), lines, variance, tolerance };
}

export interface PayoutRecordContext {
  currencyId: string;
  subsidiary?: string;
  memo?: string;
}

/** One journal entry: a line per account, debit or credit. */
export function journalEntryBody(fig: PayoutFigures, entry: PayoutEntry, date: string, ctx: PayoutRecordContext): Record<string, unknown> {
  const n = (m: Minor) => minorToNumber(m, fig.exponent);
  return {
    externalId: entry.externalId,
    tranDate: date,
    currency: { id: ctx.currencyId },
    ...(ctx.subsidiary ? { subsidiary: { id: ctx.subsidiary } } : {}),
    memo: ctx.memo ?? `2Checkout payout ${fig.reference}`,
    line: {
      items: entry.lines.map((l) => ({ account: { id: l.account }, ...(l.amount > 0n ? { debit: n(l.amount) } : { credit: n(-l.amount) }), memo: l.memo })),
    },
  };
}

/** One bank deposit into the bank account: credits as Other Deposits, debits as Cash Back. */
export function depositBody(fig: PayoutFigures, entry: PayoutEntry, date: string, ctx: PayoutRecordContext): Record<string, unknown> {
  const n = (m: Minor) => minorToNumber(m, fig.exponent);
  const bank = entry.lines.find((l) => l.role === 'bank');
  const rest = entry.lines.filter((l) => l.role !== 'bank');
  return {
    externalId: entry.externalId,
    tranDate: date,
    account: { id: bank?.account },
    currency: { id: ctx.currencyId },
    ...(ctx.subsidiary ? { subsidiary: { id: ctx.subsidiary } } : {}),
    memo: ctx.memo ?? `2Checkout payout ${fig.reference}`,
    other: { items: rest.filter((l) => l.amount < 0n).map((l) => ({ account: { id: l.account }, amount: n(-l.amount), memo: l.memo })) },
    cashback: { items: rest.filter((l) => l.amount > 0n).map((l) => ({ account: { id: l.account }, amount: n(l.amount), memo: l.memo })) },
  };
}
