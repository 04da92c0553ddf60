// npm run preview -- <file> [--cash-sale] [--sale <sale file>] [--json]
// Prints the NetSuite records an IPN would produce (bodies, lines, amounts, currency, exchange
// rate) without writing anything. <file>: a raw IPN body (form-urlencoded, as 2Checkout posts it)
// or a canonical OrderEvent as JSON. For a refund, --sale gives the sale it refunds.
import { readFileSync } from 'node:fs';
import { loadMappingConfig, MappingConfigError } from '../mappings/config-loader.js';
import { formatPreview } from './lib/preview-format.js';
import { previewOrder, readOrderEvent } from '../mappings/preview.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const valueOf = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const saleFile = valueOf('--sale');
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--sale');
if (!file) {
  console.error('usage: npm run preview -- <ipn-body-or-order.json> [--cash-sale] [--sale <sale file>] [--json]');
  process.exit(2);
}
const mappingsFile = process.env.MAPPINGS_FILE ?? 'config/mappings.yaml';
try {
  const config = loadMappingConfig(mappingsFile);
  const order = readOrderEvent(readFileSync(file));
  const sale = saleFile ? readOrderEvent(readFileSync(saleFile)) : undefined;
  const preview = previewOrder(order, config, { postingMode: flag('--cash-sale') ? 'cashSale' : 'salesOrder', ...(sale ? { sale } : {}) });
  if (flag('--json')) {
    console.log(JSON.stringify({ park: preview.park, records: preview.records, refund: preview.refund?.lines }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  } else console.log(formatPreview(preview));
  process.exitCode = preview.park ? 1 : 0;
} catch (e) {
  console.error(e instanceof MappingConfigError ? e.message : `Cannot preview ${file}: ${(e as Error).message}`);
  process.exitCode = 2;
}
