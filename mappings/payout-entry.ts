// The NetSuite entry for one payout: lines (debits positive, credits negative, payout-currency minor
// units) that relieve each covered NetSuite document in the account it sits in (a payment leaves
// its clearing account, a refund or lost chargeback is taken back out of the account it was paid
// from), put what reached the bank on the bank account, and every difference on its own account:
// commission, VAT withheld, chargeback fees, reserve and dispute holds, a balance carried between
// payouts, FX per order currency and a small variance. Then the same lines as a journalEntry or a
// deposit body. Pure. See docs/payouts.md for the entries and worked examples.
import { MappingError } from './errors.js';
import { externalIds } from './ids.js';
import { abs, formatMinor, minorToNumber, multiply, sum, type Minor } from './money.js';
import type { PayoutsConfig } from './payout-config.js';
import type { PayoutFigures } from './payout-amounts.js';
import { documentsNet, type CoveredDocument } from './payout-ledger.js';

export type PayoutLineRole =
  | 'bank'
  | 'receivable'
  | 'clearing'
  | 'commission'
  | 'vatWithheld'
  | 'chargebackFees'
  | 'reserveHeld'
  | 'reserveReleased'
  | 'disputeHeld'
  | 'disputeReleased'
  | 'balanceForward'
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
  /** The covered NetSuite document a clearing line relieves. */
  document?: {
    refNo: string;
    kind: 'sale' | 'refund';
    externalId: string;
    id: string;
    tranId?: string;
    undeposited?: boolean;
  };
}

export interface PayoutEntry {
  externalId: string;
  lines: PayoutLine[];
  /** The balancing residue posted to the variance account (debit > 0). */
  variance: Minor;
  tolerance: Minor;
}

/** What the ledger holds for the payout (payout-ledger.ts): the documents it relieves, valued as booked. */
export interface PayoutLedgerView {
  documents: readonly CoveredDocument[];
  /** Every covered document was relieved by an earlier transfer of this reference: this entry moves money only. */
  relievedEarlier?: boolean;
  /** Per order currency, the payout-currency value the released reserve was booked at when it was held. */
  reserveReleasedBook?: Readonly<Record<string, Minor>>;
}

export interface PayoutEntryOptions {
  file?: string;
  /** A transfer of a PARTIALLY_PAID payout: its own entry, its own amount (payout-currency minor units). */
  transfer?: { id: string; amount: Minor };
}

/** The payout does not tie out within the tolerance: posting would hide a real difference. */
export class PayoutVarianceError extends MappingError {
  override readonly name = 'PayoutVarianceError';
  override readonly failureType = 'AmountMismatch' as const;
  constructor(message: string) {
    super('PAYOUT_VARIANCE', message, 'payouts.varianceTolerance');
  }
}

/** The memo of a line relieving a document starts with its externalId: how later payouts see it was relieved. */
export function documentMemo(
  d: Pick<CoveredDocument, 'externalId' | 'kind' | 'refNo' | 'tranId'>,
  reference: string,
  suffix = '',
): string {
  return `${d.externalId} ${d.kind === 'sale' ? 'payment' : 'refund'} of order ${d.refNo}${d.tranId ? ` (${d.tranId})` : ''}, payout ${reference}${suffix}`;
}

/** The externalId of the document a payout line relieves, read back from its memo. */
export function documentOfMemo(memo: string | undefined): string | undefined {
  const m = /^(2co-(?:pay|cs|rf|cm)-[A-Za-z0-9_-]+) (?:payment|refund) of order /.exec(memo ?? '');
  return m?.[1];
}

export function buildPayoutEntry(
  fig: PayoutFigures,
  ledger: PayoutLedgerView,
  cfg: PayoutsConfig,
  opts: PayoutEntryOptions | string = {},
): PayoutEntry {
  const o: PayoutEntryOptions = typeof opts === 'string' ? { file: opts } : opts;
  const file = o.file ?? 'the mapping file';
  const e = fig.exponent;
  const f = (m: Minor) => `${formatMinor(m, e)} ${fig.currency}`;
  const account = (id: string | undefined, key: string, why: string): string => {
    if (id !== undefined) return id;
    throw new MappingError(
      'MAPPING_ERROR',
      `payout ${fig.reference} needs ${key} (${why}): set it under payouts in ${file}, then retry`,
      `payouts.${key}`,
    );
  };
  const keyed = (key: keyof PayoutsConfig['accounts'], why: string) =>
    account(cfg.accounts[key], `accounts.${key}`, why);
  const externalId = o.transfer
    ? externalIds.payoutTransfer(fig.reference, o.transfer.id)
    : externalIds.payout(fig.reference);
  const tolerance = BigInt(cfg.varianceToleranceByCurrency[fig.currency] ?? cfg.varianceTolerance);
  const lines: PayoutLine[] = [];
  const push = (line: PayoutLine) => {
    if (line.amount !== 0n) lines.push(line);
  };
  const bankOf = () =>
    account(
      cfg.bankAccounts[fig.currency],
      `bankAccounts.${fig.currency}`,
      `the bank account ${fig.currency} payouts arrive in`,
    );
  const receivable = (why: string) => keyed('receivable', why);
  const amount = o.transfer ? o.transfer.amount : fig.amount;

  if (o.transfer && ledger.relievedEarlier) {
    // A later transfer of a partially paid payout: the documents were relieved by the first one,
    // whose entry left the unpaid rest on the 2Checkout balance; this one moves that into the bank.
    push({
      role: 'bank',
      account: bankOf(),
      amount,
      memo: `2Checkout payout ${fig.reference}, transfer ${o.transfer.id}`,
    });
    push({
      role: 'receivable',
      account: receivable('what 2Checkout still owed on a partially paid payout'),
      amount: -amount,
      memo: `payout ${fig.reference} transfer ${o.transfer.id}: part of what 2Checkout owed`,
    });
    return { externalId, lines, variance: 0n, tolerance };
  }

  if (amount > 0n)
    push({
      role: 'bank',
      account: bankOf(),
      amount,
      memo: `2Checkout payout ${fig.reference}${o.transfer ? `, transfer ${o.transfer.id}` : ''}`,
    });
  else if (amount < 0n) {
    // Refunds, chargebacks and fees above sales: 2Checkout withdraws nothing, it carries the negative
    // balance into a later payout. Never a bank credit: what we owe 2Checkout sits on its balance.
    push({
      role: 'receivable',
      account: receivable('a negative payout: what we owe 2Checkout until a later payout deducts it'),
      amount,
      memo: `payout ${fig.reference} was negative: 2Checkout carries ${f(-amount)} into a later payout`,
    });
  }

  for (const d of ledger.documents) {
    push({
      role: 'clearing',
      account: d.account,
      amount: d.kind === 'sale' ? -d.book : d.book,
      currency: d.currency,
      memo: documentMemo(d, fig.reference),
      document: {
        refNo: d.refNo,
        kind: d.kind,
        externalId: d.externalId,
        id: d.id,
        ...(d.tranId ? { tranId: d.tranId } : {}),
        ...(d.undeposited ? { undeposited: true } : {}),
      },
    });
  }
  const held = documentsNet(ledger.documents);
  const differences: string[] = [];
  for (const b of fig.buckets) {
    const c = b.converted;
    const C = b.currency;
    const ec = fig.exponentOf(C);
    const start = lines.length;
    const docLines = lines.filter((l) => l.role === 'clearing' && l.currency === C);
    const adjust = (role: PayoutLineRole, amount: Minor, accountOf: () => string, memo: string) => {
      if (amount !== 0n) lines.push({ role, account: accountOf(), amount, currency: C, memo });
    };
    adjust(
      'commission',
      c.commission,
      () => keyed('commission', '2Checkout commission'),
      `2Checkout commission on ${C} orders`,
    );
    adjust(
      'vatWithheld',
      c.vat,
      () => keyed('vatWithheld', 'VAT 2Checkout withheld as merchant of record'),
      `VAT withheld on ${C} orders`,
    );
    adjust(
      'chargebackFees',
      c.chargebackFees,
      () => keyed('chargebackFees', 'chargeback fees'),
      `chargeback fees (${C})`,
    );
    adjust(
      'reserveHeld',
      c.reserveHeld,
      () => keyed('reserve', 'the rolling reserve 2Checkout holds back'),
      `reserve held (${formatMinor(b.reserveHeld, ec)} ${C})`,
    );
    // A reserve is relieved at the value it was booked at when held; the rate moved since is FX.
    const released = C === fig.currency ? c.reserveReleased : (ledger.reserveReleasedBook?.[C] ?? c.reserveReleased);
    const releasedKey = cfg.accounts.reserveReleased ? 'reserveReleased' : 'reserve';
    adjust(
      'reserveReleased',
      -released,
      () => keyed(releasedKey, 'the reserve 2Checkout released'),
      `reserve released (${formatMinor(b.reserveReleased, ec)} ${C})`,
    );
    adjust(
      'disputeHeld',
      c.disputeHeld,
      () => keyed('disputeHold', 'the amount 2Checkout holds while a dispute is open'),
      `disputed amount held (${C})`,
    );
    adjust(
      'disputeReleased',
      -c.disputeReleased,
      () => keyed('disputeHold', 'the disputed amount 2Checkout released'),
      `disputed amount released (${C})`,
    );
    adjust(
      'balanceForward',
      -c.balanceForward,
      () => receivable('a balance 2Checkout carried from an earlier payout'),
      `balance carried from an earlier payout (${C})`,
    );
    // 2Checkout's gross less refunds against what NetSuite's documents hold, in the order currency:
    // a difference is never FX; it goes to the variance (and parks above the tolerance).
    const docDiff = b.gross - b.refunds - (held.get(C) ?? 0n);
    if (docDiff !== 0n) {
      differences.push(
        `2Checkout's ${C} gross less refunds is ${formatMinor(b.gross - b.refunds, ec)} ${C} but NetSuite's documents hold ${formatMinor(held.get(C) ?? 0n, ec)} ${C} (${formatMinor(docDiff, ec)} ${C} apart)`,
      );
    }
    if (C !== fig.currency) {
      // Only across currencies: NetSuite's book value against 2Checkout's conversion, plus the
      // rounding of converting component by component, is the exchange difference.
      const explained = docDiff === 0n ? 0n : multiply(docDiff, ec, b.rate, e);
      const bucketLines = sum([...docLines, ...lines.slice(start)].map((l) => l.amount));
      adjust(
        'fxDifference',
        -c.net + explained - bucketLines,
        () => keyed('fxDifference', 'FX difference between NetSuite and 2Checkout rates'),
        `FX ${C}→${fig.currency} at 2Checkout rate ${b.rate}`,
      );
    }
  }
  if (o.transfer) {
    // The first transfer of a partially paid payout: what 2Checkout has not paid yet stays on its balance.
    const owed = fig.expected - amount;
    if (owed !== 0n)
      push({
        role: 'receivable',
        account: receivable('what 2Checkout still owes on a partially paid payout'),
        amount: owed,
        memo: `payout ${fig.reference}: ${f(owed)} still to be transferred`,
      });
  }
  const variance = -sum(lines.map((l) => l.amount));
  if (abs(variance) > tolerance) {
    const explained = fig.buckets.map((b) => `${b.currency} net ${formatMinor(b.converted.net, e)}`).join(', ');
    const book = sum(ledger.documents.map((d) => (d.kind === 'sale' ? d.book : -d.book)));
    throw new PayoutVarianceError(
      `payout ${fig.reference} does not tie out: the bank received ${f(amount)}, its documents explain ${f(o.transfer ? amount : fig.expected)} (${explained}), ` +
        `NetSuite's documents hold ${f(book)} for them${differences.length ? `; ${differences.join('; ')}` : ''}; the difference of ${f(variance)} is above the tolerance of ${f(tolerance)}. ` +
        `Fix: find the missing document (a fee, refund or reserve line, an order booked with another amount) or raise payouts.varianceTolerance in ${file}, then retry`,
    );
  }
  if (variance !== 0n)
    push({
      role: 'variance',
      account: account(cfg.accounts.variance, 'accounts.variance', 'residue within tolerance'),
      amount: variance,
      memo: `payout ${fig.reference} rounding / variance`,
    });
  return { externalId, lines, variance, tolerance };
}

/**
 * The record a payout entry is posted as. A deposit needs money reaching the bank, or payments in
 * Undeposited Funds to select (a negative payout of such payments: a deposit of total zero whose
 * Other Deposits line puts the balance on the 2Checkout balance; a journal could not take them
 * out of Undeposited Funds). Otherwise a journal entry, whatever `posting` says.
 */
export function payoutRecordType(entry: PayoutEntry, posting: PayoutsConfig['posting']): 'journalEntry' | 'deposit' {
  if (posting !== 'deposit') return 'journalEntry';
  const bank = entry.lines.find((l) => l.role === 'bank');
  if (bank !== undefined && bank.amount > 0n) return 'deposit';
  return entry.lines.some((l) => l.document?.undeposited) ? 'deposit' : 'journalEntry';
}

export interface PayoutRecordContext {
  currencyId: string;
  /** The bank account of the payout currency (a deposit's account when no money reaches the bank). */
  bankAccount?: string;
  subsidiary?: string;
  memo?: string;
}

/** One journal entry: a line per account, debit or credit. */
export function journalEntryBody(
  fig: PayoutFigures,
  entry: PayoutEntry,
  date: string,
  ctx: PayoutRecordContext,
): Record<string, unknown> {
  const n = (m: Minor) => minorToNumber(m, fig.exponent);
  return {
    externalId: entry.externalId,
    tranDate: date,
    currency: { id: ctx.currencyId },
    ...(ctx.subsidiary ? { subsidiary: { id: ctx.subsidiary } } : {}),
    memo: ctx.memo ?? `2Checkout payout ${fig.reference}`,
    line: {
      items: entry.lines.map((l) => ({
        account: { id: l.account },
        ...(l.amount > 0n ? { debit: n(l.amount) } : { credit: n(-l.amount) }),
        memo: l.memo,
      })),
    },
  };
}

/**
 * One bank deposit into the bank account: the covered payments sitting in Undeposited Funds as
 * payment lines (selected by internal id), the other credits as Other Deposits, the debits (fees,
 * commission, refunds paid from another account, an FX loss) as Cash Back; its total is the bank
 * amount. The JSON that selects a payment line is our reading of the REST schema (UNCONFIRMED).
 */
export function depositBody(
  fig: PayoutFigures,
  entry: PayoutEntry,
  date: string,
  ctx: PayoutRecordContext,
): Record<string, unknown> {
  const n = (m: Minor) => minorToNumber(m, fig.exponent);
  const bank = entry.lines.find((l) => l.role === 'bank');
  const rest = entry.lines.filter((l) => l.role !== 'bank');
  const selected = rest.filter((l) => l.document?.undeposited);
  const other = rest.filter((l) => !l.document?.undeposited);
  return {
    externalId: entry.externalId,
    tranDate: date,
    account: { id: bank?.account ?? ctx.bankAccount },
    currency: { id: ctx.currencyId },
    ...(ctx.subsidiary ? { subsidiary: { id: ctx.subsidiary } } : {}),
    memo: ctx.memo ?? `2Checkout payout ${fig.reference}`,
    ...(selected.length
      ? {
          payment: { items: selected.map((l) => ({ id: l.document!.id, deposit: true, paymentAmount: n(-l.amount) })) },
        }
      : {}),
    other: {
      items: other
        .filter((l) => l.amount < 0n)
        .map((l) => ({ account: { id: l.account }, amount: n(-l.amount), memo: l.memo })),
    },
    cashback: {
      items: other
        .filter((l) => l.amount > 0n)
        .map((l) => ({ account: { id: l.account }, amount: n(l.amount), memo: l.memo })),
    },
  };
}
