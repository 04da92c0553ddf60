// A payout explained to the cent, JSON-safe (decimal strings) for Temporal payloads, the CLI and
// `--json`: the bank amount, what the covered documents add up to per currency, every adjustment
// line, the FX effect, the variance and the NetSuite record.
import { formatMinor } from './money.js';
import type { PayoutFigures } from './payout-amounts.js';
import type { PayoutEntry, PayoutLineRole } from './payout-entry.js';

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
    net: string;
    /** net converted into the payout currency (component by component). */
    netConverted: string;
  }>;
  lines: Array<{ role: PayoutLineRole; account: string; debit?: string; credit?: string; currency?: string; memo: string }>;
  fx: string;
  variance: string;
  record?: { type: 'journalEntry' | 'deposit'; id: string; externalId: string; created: boolean };
  /** Why the figures are missing (a payout posted earlier that today's mapping cannot explain). */
  note?: string;
}

export function payoutReport(fig: PayoutFigures, entry: PayoutEntry, date: string, exponentOf: (c: string) => number): PayoutReport {
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
        currency: b.currency, rate: b.rate, orders: b.orders, gross: c(b.gross), refunds: c(b.refunds), commission: c(b.commission),
        vatWithheld: c(b.vat), chargebackFees: c(b.chargebackFees), reserveHeld: c(b.reserveHeld), reserveReleased: c(b.reserveReleased),
        net: c(b.net), netConverted: p(b.converted.net),
      };
    }),
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
    out.push(`    ${'net'.padEnd(22)} ${b.net} ${b.currency}${b.currency === r.currency ? '' : ` = ${b.netConverted} ${r.currency}`}`);
  }
  out.push(`  documents explain      ${r.expected} ${r.currency}; bank received ${r.amount}; residue ${r.residue}`);
  out.push(`  FX difference          ${r.fx}   variance ${r.variance}`);
  out.push('  NetSuite lines (account  debit  credit  memo):');
  for (const l of r.lines) out.push(`    ${l.account.padEnd(6)} ${(l.debit ?? '').padStart(12)} ${(l.credit ?? '').padStart(12)}  ${l.memo}`);
  if (r.note) out.push(`  ${r.note}`);
  if (r.record) out.push(`  NetSuite ${r.record.type} ${r.record.id} (externalId ${r.record.externalId})${r.record.created ? '' : ', found already posted'}`);
  return out.join('\n');
}
