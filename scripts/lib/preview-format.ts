// Terminal layout of `npm run preview`: the records an IPN would produce, as a person reads them.
import type { OrderPreview } from '../../mappings/preview.js';
import { formatMinor } from '../../mappings/money.js';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** A readable report: the lines and totals first, then the exact JSON bodies. */
export function formatPreview(p: OrderPreview): string {
  const o = p.order;
  const out: string[] = [];
  out.push(
    `2Checkout order ${o.refNo} (${o.status}${o.testOrder ? ', TEST order' : ''}), ${o.currency}, paid with ${o.paymentMethod}`,
  );
  out.push(`Posting mode: ${p.postingMode}. Nothing is written to NetSuite.`);
  if (p.park) {
    out.push(
      '',
      `WOULD PARK (${p.park.failureType}, reason ${p.park.reason}${p.park.path ? ` at ${p.park.path}` : ''}):`,
      `  ${p.park.message}`,
    );
    return out.join('\n');
  }
  if (p.refund) {
    const r = p.refund;
    out.push(
      '',
      `Credit memo for ${r.amount} ${r.currency} (allocated ${r.method === 'byLine' ? 'by refunded line' : 'pro rata'}):`,
    );
    for (const l of r.lines)
      out.push(
        `  item ${pad(l.item.id, 6)} ${pad(l.description ?? '', 40)} ${padLeft(l.amount.toFixed(r.exponent), 14)}`,
      );
    out.push(`  ${pad('total', 55)} ${padLeft(r.postedTotal, 14)}`);
    return out.join('\n');
  }
  if (o.status === 'REFUND') {
    out.push(
      '',
      'A refund is allocated against its sale: pass the sale IPN with --sale <file> to see the credit memo.',
    );
    return out.join('\n');
  }
  const s = p.sale!;
  const e = s.sale.exponent;
  out.push(
    `Exchange rate: ${s.fx.exchangeRate ? `${s.fx.exchangeRate} (2Checkout FX_RATE, ${o.currency}→${s.fx.baseCurrency})` : s.fx.source === 'same-currency' ? `none (${o.currency} is the subsidiary's base currency)` : "NetSuite's rate for the transaction date"}`,
  );
  out.push('', `${s.recordType} ${s.externalId} lines:`);
  out.push(
    `  ${pad('item', 6)} ${pad('description', 40)} ${padLeft('qty', 5)} ${padLeft('rate', 12)} ${padLeft('amount', 14)}`,
  );
  for (const l of s.sale.lines) {
    out.push(
      `  ${pad(l.item.id, 6)} ${pad((l.description ?? '').slice(0, 40), 40)} ${padLeft(l.quantity !== undefined ? String(l.quantity) : '', 5)} ${padLeft(l.rate !== undefined ? rateText(l.rate, e) : '', 12)} ${padLeft(l.amount.toFixed(e), 14)}`,
    );
  }
  out.push(`  ${pad('total', 65)} ${padLeft(formatMinor(s.sale.postedTotal, e), 14)} ${o.currency}`);
  out.push(`  ${pad('paid by the shopper (IPN_TOTALGENERAL)', 65)} ${padLeft(s.paid, 14)} ${o.currency}`);
  const residue = s.sale.amounts.residue;
  if (residue !== 0n) out.push(`  rounding residue ${formatMinor(residue, e)} absorbed (within fx.residueTolerance)`);
  const rounding = s.sale.amounts.rounding;
  if (rounding !== 0n) {
    out.push(
      `  2Checkout's ${s.sale.amounts.sourceExponent} decimals rounded to NetSuite's ${e}: ${formatMinor(rounding, e)} on the rounding line (rounding.item) or absorbed`,
    );
  }
  const matched = s.sale.products.map(
    (m, i) => `line ${i + 1}: ${o.lines[i]!.productCode} → item ${m.target.item} (${m.matchedBy}, ${m.rulePath})`,
  );
  out.push('', 'Product mapping:', ...matched.map((x) => `  ${x}`));
  out.push('', 'Requests:');
  for (const r of p.records) out.push(`  ${r.method}`, indent(JSON.stringify(r.body, null, 2), 4));
  return out.join('\n');
}

/** A unit rate with at least the currency's decimals (49.50 beside 99.00), and any finer ones it has. */
function rateText(rate: number, exponent: number): string {
  const decimals = String(rate).split('.')[1]?.length ?? 0;
  return rate.toFixed(Math.min(20, Math.max(exponent, decimals)));
}

const indent = (text: string, n: number) =>
  text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
