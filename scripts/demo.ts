// `npm run demo` (with `npm start` running): sends signed 2Checkout notifications through the
// gateway and prints what each one did in NetSuite, with Web UI links. It finds the stack through
// the file `npm start` writes (shared/stack-state.ts); GATEWAY_URL, TEMPORAL_ADDRESS,
// TEMPORAL_UI_URL, NETSUITE_BASE_URL and TWOCHECKOUT_SECRET_KEY override it.
// A notification the gateway refuses stops the demo with the gateway's reason (exit code 1).
import { Client, Connection } from '@temporalio/client';
import { request } from 'undici';
import { DEMO_ENV } from '../sandbox/demo-env.js';
import { dataConverterFromEnv } from '../shared/payload-codec.js';
import { orderWorkflowId, subscriptionWorkflowId } from '../workflows/messages.js';
import {
  orderStateQuery,
  subscriptionStateQuery,
  type OrderSyncState,
  type SubscriptionSyncState,
} from '../workflows/messages.js';
import { SCENARIOS } from '../sandbox/twocheckout/named-scenarios.js';
import type { NotificationInput } from '../sandbox/twocheckout/sender.js';
import { deliver } from '../sandbox/twocheckout/delivery.js';
import { merchantDayOf } from '../sandbox/twocheckout/ipn-fields.js';
import { parseArgs } from 'node:util';
import { explainTemporalError, useStackEnv } from './lib/ops/temporal-client.js';
import { uiBaseUrl, workflowUrl } from '../operations/web-ui.js';

useStackEnv();
const env = process.env;
const gatewayUrl = (env.GATEWAY_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT ?? 8080}`).replace(/\/+$/, '');
const sandboxUrl = env.NETSUITE_BASE_URL ?? `http://127.0.0.1:${env.NETSUITE_SANDBOX_PORT ?? 8088}`;
const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
const temporalAddress = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const uiUrl = uiBaseUrl(env);
const secretKey = env.TWOCHECKOUT_SECRET_KEY ?? DEMO_ENV.TWOCHECKOUT_SECRET_KEY;
const DAY = 24 * 3_600_000;
// Every IPN is also recorded in the 2Checkout API sandbox `npm start` runs, so reconciliation sees
// the same orders; `--drop-every N` loses every Nth IPN (recorded, never delivered), as a
// mistyped IPN URL would, for `npm run reconcile -- --date <day>` to find and heal (the demo prints the days).
// Only where an API sandbox runs (npm start's, or TWOCHECKOUT_API_SANDBOX_URL): a real account has no such store.
const apiSandboxUrl = env.TWOCHECKOUT_API_SANDBOX_URL;
const { values: args } = parseArgs({ options: { 'drop-every': { type: 'string' } } });
const dropEvery = args['drop-every'] === undefined ? 0 : Number(args['drop-every']);
if (!Number.isInteger(dropEvery) || dropEvery < 0 || (dropEvery > 0 && !apiSandboxUrl)) {
  console.error(
    dropEvery > 0 && !apiSandboxUrl
      ? '--drop-every needs the 2Checkout API sandbox that npm start runs (or TWOCHECKOUT_API_SANDBOX_URL)'
      : `--drop-every must be a whole number, got ${JSON.stringify(args['drop-every'])}`,
  );
  process.exit(2);
}
let ipnCount = 0;
/** REFNO → the merchant-local day of its order (its first IPN); days whose webhooks were dropped. */
const orderDays = new Map<string, string>();
const droppedDays = new Set<string>();

/**
 * What the demo shows, in order: the scenario, what a finance person should see, and how many
 * days ago its first notification happened — so follow-ups (a refund a day later, a chargeback
 * lost a month later, a renewal a month later) are dated in the past, not in the future.
 */
const STEPS: Array<{ name: string; what: string; daysAgo: number }> = [
  { name: 'new-order', what: 'a new customer: customer, sales order, invoice, payment', daysAgo: 0 },
  { name: 'returning-customer', what: 'the same shopper again: one customer, two orders', daysAgo: 2 },
  {
    name: 'eur-order',
    what: 'an order in EUR, booked by the EU subsidiary in its own currency (exchange rate 1)',
    daysAgo: 0,
  },
  {
    name: 'unmapped-product',
    what: 'a product code with no NetSuite item: the sync parks (NeedsAttention)',
    daysAgo: 0,
  },
  { name: 'partial-refund', what: 'a partial refund: credit memo + customer refund for one line', daysAgo: 2 },
  { name: 'full-refund', what: 'a full refund', daysAgo: 2 },
  {
    name: 'chargeback-lost',
    what: 'a lost chargeback: dispute recorded, then refunded to the chargeback account',
    daysAgo: 31,
  },
  { name: 'subscription', what: 'a subscription: first order', daysAgo: 0 },
  { name: 'renewal', what: 'a subscription renewed a month later (new REFNO, same licence)', daysAgo: 32 },
  { name: 'upgrade', what: 'a subscription upgrade', daysAgo: 11 },
];

class RefusedError extends Error {}

const base = Date.now() % 1_000_000_000;
const ui = (workflowId: string) => workflowUrl(uiUrl, namespace, workflowId);
let client: Client | undefined;
let connection: Connection | undefined;

async function temporal(): Promise<Client> {
  if (client) return client;
  try {
    connection = await Connection.connect({ address: temporalAddress });
  } catch (err) {
    throw new Error(explainTemporalError(err, temporalAddress));
  }
  const dataConverter = dataConverterFromEnv();
  client = new Client({ connection, namespace, ...(dataConverter ? { dataConverter } : {}) });
  return client;
}

async function main(): Promise<void> {
  await checkGateway();
  let n = 0;
  for (const { name, what, daysAgo } of STEPS) {
    const refNo = String(800_000_000 + base + n * 10);
    n++;
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name}`);
    console.log(`\n▶ ${name}: ${what}`);
    const notifications = scenario.build({ refNo, at: new Date(Date.now() - daysAgo * DAY) });
    const sent = new Map<string, number>();
    const licences = new Set<string>();
    for (const notification of notifications) {
      const delivered = await send(notification);
      if (!delivered) continue;
      if (notification.kind === 'ipn') {
        const ref = notification.input.refNo;
        sent.set(ref, (sent.get(ref) ?? 0) + 1);
        for (const l of notification.input.lines) if (l.license?.ref) licences.add(l.license.ref);
        // As in a real account, the next notification comes after this one was handled.
        await settledOrder(ref, sent.get(ref)!);
      } else licences.add(notification.input.licenseCode);
    }
    for (const ref of sent.keys()) await showOrder(ref, sent.get(ref)!);
    for (const code of licences) await showSubscription(code);
  }
  console.log(
    `\nParked syncs: ${uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent("SyncStatus = 'NeedsAttention'")}`,
  );
  if (env.STATUS_PAGE_URL) console.log(`Status page: ${env.STATUS_PAGE_URL}`);
  if (droppedDays.size > 0) {
    // Reconciliation files an order under its own date, so a dropped refund of an older order is found on that order's day.
    console.log('Some webhooks were dropped; reconciling the days of their orders finds and heals them:');
    for (const day of [...droppedDays].sort()) console.log(`  npm run reconcile -- --date ${day}`);
  }
  console.log(
    `NetSuite sandbox ledger: ${sandboxUrl}/__sandbox/records/salesOrder (also invoice, customerPayment, creditMemo, customerRefund, customer)`,
  );
}

async function checkGateway(): Promise<void> {
  try {
    const res = await request(`${gatewayUrl}/healthz`, { headersTimeout: 3_000, bodyTimeout: 3_000 });
    await res.body.dump();
  } catch (err) {
    throw new RefusedError(
      `Cannot reach the gateway at ${gatewayUrl} (${err instanceof Error ? err.message : String(err)}): is the stack running? Start it with npm start in another terminal, or set GATEWAY_URL.`,
    );
  }
}

/** Sends one notification (recorded in the 2Checkout API sandbox first); false when it was dropped on purpose. */
async function send(notification: NotificationInput): Promise<boolean> {
  const [delivery] = await deliver([notification], (x) => `${gatewayUrl}/webhooks/2checkout/${x.kind}`, {
    secretKey,
    ...(apiSandboxUrl ? { recordIn: apiSandboxUrl } : {}),
    drop: (x) => x.kind === 'ipn' && dropEvery > 0 && ++ipnCount % dropEvery === 0,
  });
  const res = delivery?.result;
  if (notification.kind === 'ipn' && !orderDays.has(notification.input.refNo))
    orderDays.set(notification.input.refNo, merchantDayOf(notification.input));
  if (!res) {
    if (notification.kind === 'ipn') droppedDays.add(orderDays.get(notification.input.refNo)!);
    console.log(`  ${label(notification)} → DROPPED (2Checkout has it; the webhook never arrived)`);
    return false;
  }
  if (res.receiptValid) {
    console.log(`  ${label(notification)} → HTTP ${res.status}, receipt OK`);
    return true;
  }
  const why = gatewayReason(res.body) ?? res.reason ?? res.body.slice(0, 200);
  const hint =
    res.status === 401
      ? ' The demo signs with TWOCHECKOUT_SECRET_KEY (the demo key unless set); it must be the key the gateway was started with.'
      : res.status === 503
        ? ' The gateway could not hand the event to Temporal: check the npm start terminal.'
        : '';
  throw new RefusedError(
    `The gateway refused ${label(notification)}: HTTP ${res.status}: ${why}.${hint} Stopping the demo.`,
  );
}

/** `{"error":"bad signature","reason":"…"}` → "bad signature: …" */
function gatewayReason(body: string): string | undefined {
  try {
    const j = JSON.parse(body) as { error?: unknown; reason?: unknown; detail?: unknown };
    const parts = [j.error, j.reason ?? j.detail].filter((x): x is string => typeof x === 'string');
    return parts.length ? parts.join(': ') : undefined;
  } catch {
    return undefined;
  }
}

function label(n: NotificationInput): string {
  return n.kind === 'ipn'
    ? `IPN ${n.input.refNo} ${n.input.status}${n.input.chargebackResolution ? ` chargeback ${n.input.chargebackResolution}` : ''}`
    : `LCN ${n.input.licenseCode} ${n.input.dispatchReason ?? ''}`.trim();
}

/** The order's state once it handled `events` notifications and is no longer busy (or after 20 s). */
async function settledOrder(refNo: string, events: number): Promise<OrderSyncState | undefined> {
  const handle = (await temporal()).workflow.getHandle(orderWorkflowId(refNo));
  let state: OrderSyncState | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    state = await handle.query(orderStateQuery).catch(() => undefined);
    if (
      state &&
      state.eventsReceived + state.duplicatesIgnored >= events &&
      (state.syncStatus !== 'InProgress' || state.waiting.length > 0)
    )
      break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return state;
}

async function showOrder(refNo: string, events: number): Promise<void> {
  const state = await settledOrder(refNo, events);
  if (!state) {
    console.log(
      `  order ${refNo}: no workflow answered within 20 s — is the worker running? (see the npm start terminal)`,
    );
    return;
  }
  console.log(
    `  order ${refNo}: ${state.syncStatus}${state.park ? ` — parked at ${state.park.step}: ${state.park.reason}: ${state.park.message}` : ''}`,
  );
  const r = state.records;
  const docs: Array<[string, string, string | undefined]> = [
    ['sales order', 'salesOrder', r.salesOrderId],
    ['invoice', 'invoice', r.invoiceId],
    ['payment', 'customerPayment', r.paymentId],
    ['cash sale', 'cashSale', r.cashSaleId],
    ...Object.values(r.creditMemos ?? {}).flatMap((c): Array<[string, string, string | undefined]> => [
      ['credit memo', 'creditMemo', c.creditMemoId],
      ['customer refund', 'customerRefund', c.customerRefundId],
    ]),
  ];
  const lines: string[] = [];
  for (const [label, type, id] of docs) if (id) lines.push(await describe(label, type, id));
  const customer = r.customerId ? await customerNumber(r.customerId) : undefined;
  if (customer || lines.length) console.log(`    NetSuite: ${customer ? `customer ${customer}` : 'no customer yet'}`);
  for (const line of lines) console.log(`      ${line}`);
  console.log(`    Web UI: ${ui(orderWorkflowId(refNo))}`);
}

async function showSubscription(code: string): Promise<void> {
  const handle = (await temporal()).workflow.getHandle(subscriptionWorkflowId(code));
  let state: SubscriptionSyncState | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    state = await handle.query(subscriptionStateQuery).catch(() => undefined);
    if (state && state.syncStatus !== 'InProgress' && state.eventsReceived >= 1) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!state) {
    console.log(`  subscription ${code}: no workflow answered within 20 s`);
    return;
  }
  console.log(`  ${subscriptionLine(code, state)}`);
  const orders = state.orders.map(
    (o) => `${o.kind === 'initial' ? 'first order' : o.kind} ${o.refNo} (${o.productCode} × ${o.quantity})`,
  );
  if (orders.length)
    console.log(
      `    orders: ${orders.join(', ')}${state.ordersTotal > orders.length ? ` and ${state.ordersTotal - orders.length} older` : ''}`,
    );
  const records = state.netsuiteRecords.map((r) => `${r.type} ${r.id}`);
  console.log(`    NetSuite: ${records.length ? records.join('; ') : 'no subscription record yet'}`);
  console.log(`    Web UI: ${ui(subscriptionWorkflowId(code))}`);
}

/** "subscription X: ACTIVE, SUB-MONTHLY-PRO × 1, paid until 2027-01-05, renewed once" */
function subscriptionLine(code: string, state: SubscriptionSyncState): string {
  const parts: string[] = [state.status];
  if (state.plan) parts.push(`${state.plan.productCode} × ${state.plan.quantity}`);
  if (state.period) parts.push(`paid until ${state.period.end.slice(0, 10)}`);
  if (state.pendingPlan)
    parts.push(`${state.pendingPlan.productCode} × ${state.pendingPlan.quantity} from the next renewal`);
  parts.push(
    state.renewals === 0
      ? 'not renewed yet'
      : state.renewals === 1
        ? 'renewed once'
        : `renewed ${state.renewals} times`,
  );
  return `subscription ${code}: ${parts.join(', ')}`;
}

async function sandboxRecords(type: string): Promise<Array<Record<string, unknown>>> {
  const res = await request(`${sandboxUrl}/__sandbox/records/${type}`);
  if (res.statusCode !== 200) {
    await res.body.dump();
    return [];
  }
  return (await res.body.json()) as Array<Record<string, unknown>>;
}

let currencies: Map<string, { code: string; decimals: number }> | undefined;
/** ISO code and decimals of a NetSuite currency id (the sandbox's currency records). */
async function currencyOf(ref: unknown): Promise<{ code: string; decimals: number } | undefined> {
  currencies ??= new Map(
    (await sandboxRecords('currency')).map((c) => [
      String(c.id),
      {
        code: String(c.symbol ?? c.name ?? ''),
        decimals: typeof c.currencyPrecision === 'number' ? c.currencyPrecision : 2,
      },
    ]),
  );
  const id = (ref as { id?: unknown } | undefined)?.id;
  return id === undefined ? undefined : currencies.get(String(id));
}

async function customerNumber(id: string): Promise<string> {
  const rec = (await sandboxRecords('customer')).find((x) => String(x.id) === id);
  return typeof rec?.entityId === 'string' ? rec.entityId : id;
}

/** "sales order SO1005      2026-12-04  274.91 USD" (and the exchange rate when it is not 1). */
async function describe(label: string, type: string, id: string): Promise<string> {
  const rec = (await sandboxRecords(type)).find((x) => String(x.id) === id);
  if (!rec) return `${label} ${id}`;
  const currency = await currencyOf(rec.currency);
  const raw = rec.total ?? rec.payment;
  const amount = typeof raw === 'number' ? raw.toFixed(currency?.decimals ?? 2) : String(raw ?? '');
  const rate =
    typeof rec.exchangeRate === 'number' && rec.exchangeRate !== 1
      ? `  at ${rec.exchangeRate} to the base currency`
      : '';
  const date = typeof rec.tranDate === 'string' ? rec.tranDate : '';
  return `${`${label} ${String(rec.tranId ?? id)}`.padEnd(26)}${date}  ${amount.padStart(9)} ${currency?.code ?? ''}${rate}`.trimEnd();
}

void main()
  .then(
    () => 0,
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      return 1;
    },
  )
  .then(async (code) => {
    await connection?.close();
    process.exit(code);
  });
