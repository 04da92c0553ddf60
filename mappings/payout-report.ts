// A payout explained to the cent, JSON-safe (decimal strings) for Temporal payloads, the CLI and
// `--json`: the bank amount, what the covered documents add up to per currency, every adjustment
// line, the FX effect, the variance and the NetSuite record.
import { formatMinor } from './money.js';
import type { PayoutFigures } from './payout-amounts.js';
import type { PayoutEntry, PayoutLineRole } from './payout-entry.js';
import type { CoveredDocument } from './payout-ledger.js';

/** One NetSuite record this payout posted (or found posted): the entry, a transfer, a revision. */
export interface PayoutRecordRef {
  type: 'journalEntry' | 'deposit';
  id: string;
  externalId: string;
  created: boolean;
  /** payout: the entry; transfer: one transfer of a partially paid payout; revision: a correction after 2Checkout revised or cancelled it. */
  kind?: 'payout' | 'transfer' | 'revision';
  /** For a revision: what changed. */
  note?: string;
}

export interface PayoutReport {
  reference: string;
  currency: string;
  date: string;
  /** What reached the bank. */
  amount: string;
  /** Σ of the converted nets of the covered documents. */
  expected: string;
  /** amount − expected. */
  residue: string;
  byCurrency: Array<{
    currency: string;
    rate: string;
    orders: number;
    gross: string;
    refunds: string;
    commission: string;
    vatWithheld: string;
    chargebackFees: string;
    reserveHeld: string;
    reserveReleased: string;
    disputeHeld?: string;
    disputeReleased?: string;
    balanceForward?: string;
    net: string;
    /** net converted into the payout currency once, as 2Checkout converts it. */
    netConverted: string;
  }>;
  /** Each covered NetSuite document and where the ledger shows it (its account), valued as booked. */
  documents?: Array<{
    refNo: string;
    kind: 'sale' | 'refund';
    externalId: string;
    id: string;
    tranId?: string;
    account: string;
    currency: string;
    amount: string;
    /** Value in the payout currency as NetSuite booked it. */
    book: string;
    undeposited?: boolean;
  }>;
  lines: Array<{
    role: PayoutLineRole;
    account: string;
    debit?: string;
    credit?: string;
    currency?: string;
    memo: string;
  }>;
  fx: string;
  variance: string;
  record?: PayoutRecordRef;
  /** Every record of this payout in NetSuite, oldest first (the entry, transfers, revisions). */
  records?: PayoutRecordRef[];
  /** The documents were relieved by an earlier transfer of this reference. */
  relievedEarlier?: boolean;
  /** Why the figures are missing (a payout posted earlier that today's mapping cannot explain). */
  note?: string;
}

export function payoutReport(
  fig: PayoutFigures,
  entry: PayoutEntry,
  date: string,
  exponentOf: (c: string) => number,
  documents: readonly CoveredDocument[] = [],
): PayoutReport {
  const p = (m: bigint) => formatMinor(m, fig.exponent);
  return {
    reference: fig.reference,
    currency: fig.currency,
    date,
    amount: p(fig.amount),
    expected: p(fig.expected),
    residue: p(fig.residue),
    byCurrency: fig.buckets.map((b) => {
      const c = (m: bigint) => formatMinor(m, exponentOf(b.currency));
      return {
        currency: b.currency,
        rate: b.rate,
        orders: b.orders,
        gross: c(b.gross),
        refunds: c(b.refunds),
        commission: c(b.commission),
        vatWithheld: c(b.vat),
        chargebackFees: c(b.chargebackFees),
        reserveHeld: c(b.reserveHeld),
        reserveReleased: c(b.reserveReleased),
        ...(b.disputeHeld ? { disputeHeld: c(b.disputeHeld) } : {}),
        ...(b.disputeReleased ? { disputeReleased: c(b.disputeReleased) } : {}),
        ...(b.balanceForward ? { balanceForward: c(b.balanceForward) } : {}),
        net: c(b.net),
        netConverted: p(b.converted.net),
      };
    }),
    documents: documents.map((d) => ({
      refNo: d.refNo,
      kind: d.kind,
      externalId: d.externalId,
      id: d.id,
      ...(d.tranId ? { tranId: d.tranId } : {}),
      account: d.account,
      currency: d.currency,
      amount: formatMinor(d.foreign, exponentOf(d.currency)),
      book: p(d.book),
      ...(d.undeposited ? { undeposited: true } : {}),
    })),
    lines: entry.lines.map((l) => ({
      role: l.role,
      account: l.account,
      ...(l.amount > 0n ? { debit: p(l.amount) } : { credit: p(-l.amount) }),
      ...(l.currency ? { currency: l.currency } : {}),
      memo: l.memo,
    })),
    fx: p(entry.lines.filter((l) => l.role === 'fxDifference').reduce((a, l) => a + l.amount, 0n)),
    variance: p(entry.variance),
  };
}

/** The report as text for a terminal. */
export function renderPayoutReport(r: PayoutReport, state?: string): string {
  const out: string[] = [];
  out.push(`Payout ${r.reference}  ${r.date}  ${r.amount} ${r.currency}${state ? `  [${state}]` : ''}`);
  for (const b of r.byCurrency) {
    out.push(`  ${b.currency} (${b.orders} orders${b.currency === r.currency ? '' : `, 2Checkout rate ${b.rate}`}):`);
    const row = (label: string, v: string, sign = '') => {
      if (/^-?0(\.0+)?$/.test(v)) return;
      out.push(`    ${label.padEnd(22)} ${sign}${v}`);
    };
    row('gross', b.gross);
    row('refunds', b.refunds, '-');
    row('commission', b.commission, '-');
    row('VAT withheld', b.vatWithheld, '-');
    row('chargeback fees', b.chargebackFees, '-');
    row('reserve held', b.reserveHeld, '-');
    row('reserve released', b.reserveReleased, '+');
    if (b.disputeHeld) row('dispute held', b.disputeHeld, '-');
    if (b.disputeReleased) row('dispute released', b.disputeReleased, '+');
    if (b.balanceForward) row('balance carried', b.balanceForward);
    out.push(
      `    ${'net'.padEnd(22)} ${b.net} ${b.currency}${b.currency === r.currency ? '' : ` = ${b.netConverted} ${r.currency}`}`,
    );
  }
  const paid = r.amount.startsWith('-')
    ? `2Checkout carries ${r.amount.slice(1)} into a later payout`
    : `bank received ${r.amount}`;
  out.push(`  documents explain      ${r.expected} ${r.currency}; ${paid}; residue ${r.residue}`);
  out.push(`  FX difference          ${r.fx}   variance ${r.variance}`);
  out.push('  NetSuite lines (account  debit  credit  memo):');
  for (const l of r.lines)
    out.push(
      `    ${l.account.padEnd(6)} ${(l.debit ?? '').padStart(12)} ${(l.credit ?? '').padStart(12)}  ${l.memo.slice(0, 60)}`,
    );
  if (r.documents?.length) {
    out.push(`  Covered documents, as found in NetSuite's ledger (${r.documents.length}):`);
    out.push(
      `    ${'document'.padEnd(24)} ${'number'.padEnd(10)} ${'order'.padEnd(10)} ${'amount'.padStart(12)} cur ${'book'.padStart(12)}  account`,
    );
    for (const d of r.documents) {
      const sign = d.kind === 'refund' ? '-' : '';
      out.push(
        `    ${d.externalId.slice(0, 24).padEnd(24)} ${(d.tranId ?? d.id).slice(0, 10).padEnd(10)} ${d.refNo.slice(0, 10).padEnd(10)} ${(sign + d.amount).padStart(12)} ${d.currency} ${(sign + d.book).padStart(12)}  ${d.account.slice(0, 6)}${d.undeposited ? ' (undeposited)' : ''}`,
      );
    }
  } else if (r.relievedEarlier) out.push('  Covered documents: relieved by an earlier transfer of this payout');
  if (r.note) out.push(`  ${r.note}`);
  const records = r.records ?? (r.record ? [r.record] : []);
  for (const rec of records) {
    const what = rec.kind === 'revision' ? `revision ${rec.type}` : `${rec.type}`;
    out.push(
      `  NetSuite ${what} ${rec.id} (externalId ${rec.externalId})${rec.created ? '' : ', found already posted'}${rec.note ? `: ${rec.note}` : ''}`,
    );
  }
  return out.join('\n');
}
