// npm run preview -- <file> [--cash-sale] [--sale <sale file>] [--json]
// npm run preview -- --ref <REFNO> [--cash-sale] [--json]
// Prints the NetSuite records an IPN would produce (bodies, lines, amounts, currency, exchange
// rate) without writing anything. <file>: a raw IPN body (form-urlencoded, as 2Checkout posts it;
// examples/ has some) or a canonical OrderEvent as JSON. For a refund, --sale gives the sale it
// refunds. --ref previews every event the order's workflow received (from its Temporal history,
// found through the running stack) against today's mapping file.
import { readFileSync } from 'node:fs';
import { loadMappingConfig, MappingConfigError } from '../mappings/config-loader.js';
import { formatPreview } from './lib/preview-format.js';
import { previewOrder, readOrderEvent, type OrderPreview } from '../mappings/preview.js';
import type { OrderEvent } from '../mappings/canonical.js';
import { dataConverterFromEnv } from '../shared/payload-codec.js';
import { orderEventsFromHistory } from './lib/ops/order-history-events.js';
import { connectOpsClient, explainTemporalError, useStackEnv } from './lib/ops/temporal-client.js';

const USAGE = `usage: npm run preview -- <ipn-body-or-order.json> [--cash-sale] [--sale <sale file>] [--json]
       npm run preview -- --ref <REFNO> [--cash-sale] [--json]
  e.g. npm run preview -- examples/ipn-order-eur.txt`;

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const valueOf = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const saleFile = valueOf('--sale');
const ref = valueOf('--ref');
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--sale' && args[i - 1] !== '--ref');
const postingMode = flag('--cash-sale') ? 'cashSale' : 'salesOrder';

function print(preview: OrderPreview): void {
  if (flag('--json')) {
    console.log(
      JSON.stringify(
        { park: preview.park, records: preview.records, refund: preview.refund?.lines },
        (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
        2,
      ),
    );
  } else console.log(formatPreview(preview));
}

async function fromHistory(refNo: string): Promise<number> {
  useStackEnv();
  const config = loadMappingConfig(process.env.MAPPINGS_FILE ?? 'config/mappings.yaml');
  const ops = connectOpsClient();
  let events: OrderEvent[];
  try {
    events = await orderEventsFromHistory(ops.client, refNo, dataConverterFromEnv());
  } catch (err) {
    const msg = explainTemporalError(err, ops.address);
    console.error(
      /not found/i.test(msg)
        ? `No order workflow order/${refNo} in Temporal at ${ops.address}: check the REFNO (npm run stuck lists parked ones).`
        : msg,
    );
    return 2;
  } finally {
    await ops.close();
  }
  if (events.length === 0) {
    console.error(`order/${refNo} holds no 2Checkout event to preview.`);
    return 2;
  }
  let sale: OrderEvent | undefined;
  let parked = false;
  for (const event of events) {
    const moneyBack = event.status === 'REFUND' || event.chargeback !== undefined;
    console.log(
      `\n── ${event.status}${event.chargeback ? ` (chargeback ${event.chargeback.resolution})` : ''} ${event.eventRef}`,
    );
    const preview = previewOrder(event, config, { postingMode, ...(moneyBack && sale ? { sale } : {}) });
    print(preview);
    if (preview.park) parked = true;
    if (!moneyBack) sale = event;
  }
  return parked ? 1 : 0;
}

function fromFile(path: string): number {
  const config = loadMappingConfig(process.env.MAPPINGS_FILE ?? 'config/mappings.yaml');
  const order = readOrderEvent(readFileSync(path));
  const sale = saleFile ? readOrderEvent(readFileSync(saleFile)) : undefined;
  const preview = previewOrder(order, config, { postingMode, ...(sale ? { sale } : {}) });
  print(preview);
  return preview.park ? 1 : 0;
}

async function main(): Promise<number> {
  if (!file && !ref) {
    console.error(USAGE);
    return 2;
  }
  try {
    return ref ? await fromHistory(ref) : fromFile(file!);
  } catch (e) {
    if (e instanceof MappingConfigError) console.error(e.message);
    else if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      console.error(
        `Cannot preview ${file}: no such file. The examples/ folder has IPN bodies to start from, e.g. npm run preview -- examples/ipn-order-complete.txt`,
      );
    else console.error(`Cannot preview ${file ?? ref}: ${(e as Error).message}`);
    return 2;
  }
}

process.exitCode = await main();
