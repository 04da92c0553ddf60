// The completeness ledger as a report a controller reads in a terminal (100 columns): the orders by
// outcome, per currency the counts together and the amounts together, then each exception wrapped
// under its order with the link to its workflow, and what to do about each kind.
import { LEDGER_EXCEPTION_FIXES, type CompletenessLedger } from '../mappings/completeness.js';
import { textTable, wrapText } from './text-table.js';
import { workflowUrl } from './web-ui.js';

const WIDTH = 100;

export function formatLedger(l: CompletenessLedger, ui: { base: string; namespace: string }): string[] {
  // The counts are in the table below: the first line says what the controller looks for.
  const exceptions = l.exceptions.length
    ? `, ${l.exceptions.length} exception${l.exceptions.length === 1 ? '' : 's'}`
    : '';
  const out = [`${l.date}: ${l.state}${exceptions}`, ''];
  const c = l.counts;
  out.push(
    ...textTable(
      ['Orders', 'in total', 'matched', 'healed', 'mismatched', 'pending', 'void'].map((header) => ({ header })),
      [
        [
          '2Checkout',
          String(l.ordersIn2co),
          String(c.matched),
          String(c.healed),
          String(c.mismatched),
          String(c.pending),
          String(c.void),
        ],
        ['NetSuite', String(l.ordersInNs)],
      ],
    ),
  );
  const currencies = Object.entries(l.byCurrency);
  if (currencies.length > 0) {
    out.push('');
    out.push(
      ...textTable(
        [
          { header: 'currency' },
          { header: 'orders', group: 'count' },
          { header: 'money back', group: 'count' },
          { header: 'chargebacks lost', group: 'count' },
          { header: '2Checkout', group: 'sales' },
          { header: 'NetSuite', group: 'sales' },
          { header: '2Checkout', group: 'money back' },
          { header: 'NetSuite', group: 'money back' },
        ],
        currencies.map(([cur, t]) => [
          cur,
          String(t.orders),
          String(t.refunds),
          String(t.chargebacksLost),
          t.sales2co,
          t.salesNs,
          t.refunded2co,
          t.creditedNs,
        ]),
      ),
      'Money back: refunds and lost chargebacks in 2Checkout, and what NetSuite credited for them.',
    );
  }
  if (l.exceptions.length > 0) {
    out.push('', 'Exceptions:');
    for (const e of l.exceptions) {
      out.push(
        `  ${e.refNo}  ${e.reason}`,
        ...wrapText(e.detail, WIDTH - 6).map((x) => `      ${x}`),
        `      ${workflowUrl(ui.base, ui.namespace, e.workflowId)}`,
      );
    }
    const reasons = [...new Set(l.exceptions.map((e) => e.reason))];
    const pad = Math.max(...reasons.map((r) => r.length));
    out.push('', 'What to do:');
    for (const reason of reasons) {
      const [first, ...rest] = wrapText(LEDGER_EXCEPTION_FIXES[reason], WIDTH - pad - 4);
      out.push(`  ${reason.padEnd(pad)}  ${first ?? ''}`, ...rest.map((x) => `${' '.repeat(pad + 4)}${x}`));
    }
  }
  out.push('', `Calls: NetSuite ${l.calls.netsuite}, 2Checkout ${l.calls.twocheckout}`);
  return out;
}
