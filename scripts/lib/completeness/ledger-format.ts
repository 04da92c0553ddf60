// The completeness ledger as a table a controller can read in a terminal.
import { ledgerHeadline, type CompletenessLedger } from '../../../mappings/completeness.js';
import { workflowUrl } from '../../../operations/web-ui.js';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

export function formatLedger(l: CompletenessLedger, ui: { base: string; namespace: string }): string[] {
  const out = [ledgerHeadline(l), ''];
  out.push(
    ...table([
      ['', 'orders', 'matched', 'healed', 'mismatched', 'pending', 'void'],
      ['2Checkout', String(l.ordersIn2co), String(l.counts.matched), String(l.counts.healed), String(l.counts.mismatched), String(l.counts.pending), String(l.counts.void)],
      ['NetSuite', String(l.ordersInNs), '', '', '', '', ''],
    ]),
  );
  const currencies = Object.entries(l.byCurrency);
  if (currencies.length > 0) {
    out.push('');
    out.push(
      ...table([
        ['currency', 'orders', 'sales 2Checkout', 'sales NetSuite', 'money back', 'refunds+lost cb 2Checkout', 'credited NetSuite', 'chargebacks lost'],
        ...currencies.map(([cur, t]) => [cur, String(t.orders), t.sales2co, t.salesNs, String(t.refunds), t.refunded2co, t.creditedNs, String(t.chargebacksLost)]),
      ]),
    );
  }
  if (l.exceptions.length > 0) {
    out.push('', 'Exceptions:');
    for (const e of l.exceptions) out.push(`  ${e.refNo}  ${e.reason}: ${e.detail}`, `    ${workflowUrl(ui.base, ui.namespace, e.workflowId)}`);
  }
  out.push('', `Calls: NetSuite ${l.calls.netsuite}, 2Checkout ${l.calls.twocheckout}`);
  return out;
}
