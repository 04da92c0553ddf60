// `npm run demo` (with `npm start` running): sends signed 2Checkout notifications through the
// gateway and prints what each one did in NetSuite, with Web UI links.
import { Client, Connection } from '@temporalio/client';
import { request } from 'undici';
import { DEMO_ENV } from '../shared/config.js';
import { dataConverterFromEnv } from '../shared/payload-codec.js';
import { orderWorkflowId, subscriptionWorkflowId } from '../workflows/messages.js';
import { orderStateQuery, type OrderSyncState } from '../workflows/messages.js';
import { SCENARIOS } from '../sandbox/twocheckout/scenarios.js';
import { sendNotification, type NotificationInput } from '../sandbox/twocheckout/sender.js';

const gatewayUrl = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 8080}`;
const sandboxUrl = process.env.NETSUITE_BASE_URL ?? `http://127.0.0.1:${process.env.NETSUITE_SANDBOX_PORT ?? 8088}`;
const uiUrl = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
const secretKey = process.env.TWOCHECKOUT_SECRET_KEY ?? DEMO_ENV.TWOCHECKOUT_SECRET_KEY;

/** What the demo shows, in order: [scenario name, what a finance person should see]. */
const STEPS: Array<[string, string]> = [
  ['new-order', 'a new customer: customer, sales order, invoice, payment'],
  ['returning-customer', 'the same shopper again: one customer, two orders'],
  ['eur-order', 'an order in EUR: currency and exchange rate on every transaction'],
  ['unmapped-product', 'a product code with no NetSuite item: the sync parks (NeedsAttention)'],
  ['partial-refund', 'a partial refund: credit memo + customer refund for one line'],
  ['full-refund', 'a full refund'],
  ['chargeback-lost', 'a lost chargeback: dispute recorded, then refunded to the chargeback account'],
  ['subscription', 'a subscription: first order'],
  ['renewal', 'a subscription renewal (new REFNO, same licence)'],
  ['upgrade', 'a subscription upgrade'],
];

const base = Date.now() % 1_000_000_000;
const ui = (workflowId: string) => `${uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;

async function main(): Promise<void> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const dataConverter = dataConverterFromEnv();
  const client = new Client({ connection, ...(dataConverter ? { dataConverter } : {}) });
  let n = 0;
  for (const [name, what] of STEPS) {
    const refNo = String(800_000_000 + base + n * 10);
    n++;
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name}`);
    console.log(`\n▶ ${name}: ${what}`);
    const notifications = scenario.build({ refNo });
    for (const notification of notifications) {
      const url = `${gatewayUrl}/webhooks/2checkout/${notification.kind}`;
      const res = await sendNotification(url, notification, { secretKey });
      console.log(`  ${label(notification)} → HTTP ${res.status}${res.receiptValid ? ', receipt OK' : `, NO receipt (${res.reason ?? res.body})`}`);
    }
    const refs = [...new Set(notifications.flatMap((x) => (x.kind === 'ipn' ? [x.input.refNo] : [])))];
    for (const ref of refs) await showOrder(client, ref);
    const licences = [...new Set(notifications.flatMap((x) => (x.kind === 'ipn' ? x.input.lines.flatMap((l) => (l.license?.ref ? [l.license.ref] : [])) : [x.input.licenseCode])))];
    for (const code of licences) console.log(`  subscription ${code}: ${ui(subscriptionWorkflowId(code))}`);
  }
  console.log(`\nParked syncs: ${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent("SyncStatus = 'NeedsAttention'")}`);
  console.log(`NetSuite sandbox ledger: ${sandboxUrl}/__sandbox/records/salesOrder (also invoice, customerPayment, creditMemo, customerRefund, customer)`);
  await connection.close();
}

function label(n: NotificationInput): string {
  return n.kind === 'ipn' ? `IPN ${n.input.refNo} ${n.input.status}${n.input.chargebackResolution ? ` chargeback ${n.input.chargebackResolution}` : ''}` : `LCN ${n.input.licenseCode} ${n.input.dispatchReason ?? ''}`;
}

async function showOrder(client: Client, refNo: string): Promise<void> {
  const handle = client.workflow.getHandle(orderWorkflowId(refNo));
  let state: OrderSyncState | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    state = await handle.query(orderStateQuery).catch(() => undefined);
    if (state && (state.syncStatus !== 'InProgress' || state.waiting.length > 0)) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  if (!state) {
    console.log(`  order ${refNo}: no workflow yet (${ui(orderWorkflowId(refNo))})`);
    return;
  }
  console.log(`  order ${refNo}: ${state.syncStatus}${state.park ? ` — parked at ${state.park.step}: ${state.park.reason}: ${state.park.message}` : ''}`);
  const r = state.records;
  const parts = [
    r.customerId && `customer ${r.customerId}`,
    r.salesOrderId && (await describe('salesOrder', r.salesOrderId)),
    r.invoiceId && (await describe('invoice', r.invoiceId)),
    r.paymentId && (await describe('customerPayment', r.paymentId)),
    r.cashSaleId && (await describe('cashSale', r.cashSaleId)),
    ...Object.values(r.creditMemos ?? {}).map((c) => `credit memo ${c.creditMemoId} + refund ${c.customerRefundId} (${c.amount})`),
  ].filter(Boolean);
  if (parts.length) console.log(`    NetSuite: ${parts.join('; ')}`);
  console.log(`    Web UI: ${ui(orderWorkflowId(refNo))}`);
}

async function describe(type: string, id: string): Promise<string> {
  const res = await request(`${sandboxUrl}/__sandbox/records/${type}`);
  if (res.statusCode !== 200) {
    await res.body.dump();
    return `${type} ${id}`;
  }
  const records = (await res.body.json()) as Array<Record<string, unknown>>;
  const rec = records.find((x) => String(x.id) === id);
  if (!rec) return `${type} ${id}`;
  const currency = (rec.currency as { refName?: string } | undefined)?.refName ?? '';
  const amount = rec.total ?? rec.payment ?? '';
  return `${type} ${rec.tranId ?? id} ${amount} ${currency}${rec.exchangeRate ? ` @${rec.exchangeRate}` : ''}`.trim();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error('Is the stack running? Start it with `npm start` in another terminal.');
  process.exit(1);
});
