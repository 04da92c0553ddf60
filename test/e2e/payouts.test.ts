// Payouts end to end: orders synced through the gateway into the NetSuite sandbox, a payout made by
// the 2Checkout API sandbox from the same orders, the payout workflow on the real Temporal dev
// server posting one journal entry / deposit. Assertions are GL balances a controller would check:
// the clearing account emptied for the paid-out payments, the bank holding exactly the payout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder, eurOrder } from '../../sandbox/twocheckout/scenarios.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/ipn-fields.js';
import { ApiRateLimiter, createPayoutsApi, createTwoCheckoutApiClient, type TwoCheckoutApiClient } from '../../twocheckout/rest/index.js';
import { createPayoutActivities } from '../../activities/payout-activities.js';
import { payoutWorkflowId } from '../../workflows/messages.js';
import { operatorActionUpdate } from '../../workflows/messages.js';
import { payoutStateQuery, type PayoutSyncState, type PayoutWorkflowInput } from '../../workflows/payout-messages.js';
import { Worker } from '@temporalio/worker';
import { eventually, workflowBundle } from '../support/temporal.js';
import { PAYOUT_SCHEDULE_ID, runPayoutsCli } from '../../scripts/lib/payouts/payouts-cli.js';
import { SECRET_KEY, demoMappings, useTestStack } from '../support/stack.js';

const VENDOR = 'PAYOUTVENDOR';
const API_KEY = 'payout-api-key';
let api: ApiSandbox;
let client: TwoCheckoutApiClient;

beforeAll(async () => {
  api = await startTwoCheckoutApiSandbox({ vendorCode: VENDOR, secretKey: API_KEY });
  client = createTwoCheckoutApiClient({ baseUrl: api.apiUrl, vendorCode: VENDOR, secretKey: API_KEY, algorithm: 'sha256', limiter: new ApiRateLimiter({ ratePerSecond: 500, concurrency: 4 }) });
});
afterAll(async () => {
  await client?.close();
  await api?.close();
});
// Started after the 2Checkout API sandbox above (and closed before it).
const stack = useTestStack(() => {
  const mappings = demoMappings();
  mappings.payouts = { ...mappings.payouts, recheckEvery: '1s', waitForPayments: '10m' };
  return {
    mappings,
    extraActivities: ({ netsuite, mappings: provider }) =>
      createPayoutActivities({ netsuite, mappings: provider, payouts: createPayoutsApi(client), logger: pino({ level: 'silent' }) }),
  };
});

const ref = (n: number) => String(91_000_000 + n);
/** What 2Checkout knows (API store) and what it tells us (signed IPN through the gateway). */
async function sell(order: IpnOrderInput, deliver = true): Promise<void> {
  api.store.recordIpn(order);
  if (!deliver) return;
  const res = await postNotification(stack.ipnUrl, signedIpn(order, SECRET_KEY), { secretKey: SECRET_KEY });
  expect(res.status).toBe(200);
}
const synced = (r: string) => stack.waitForOrder(r, (s) => s.syncStatus === 'Synced' && (s.completedSteps.includes('payment') || s.completedSteps.includes('cashSale')), 120_000);

function startPayout(reference: string) {
  const input: PayoutWorkflowInput = { reference, queues: { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney } };
  return stack.env.client.workflow.start('payoutWorkflow', { workflowId: payoutWorkflowId(reference), taskQueue: stack.queues.workflows, args: [input] });
}
const payoutState = (reference: string) => stack.env.client.workflow.getHandle(payoutWorkflowId(reference)).query(payoutStateQuery);
const waitPayout = (reference: string, accept: (s: PayoutSyncState) => boolean) =>
  eventually(() => payoutState(reference).catch(() => undefined), (s): boolean => s !== undefined && accept(s), 120_000) as Promise<PayoutSyncState>;
const records = (type: string, externalId: string) => stack.sandbox.records(type).filter((r) => r.externalId === externalId);
const gl = (account: string) => stack.sandbox.accountBalance(account);

describe('payouts, end to end', () => {
  it('a payout of 30 synced orders posts one journal entry that empties the clearing account and equals the bank amount; seen again, it posts nothing', async () => {
    const refs = Array.from({ length: 30 }, (_, i) => ref(i));
    for (let i = 0; i < refs.length; i += 6) await Promise.all(refs.slice(i, i + 6).map((r) => sell(cardOrder(r, 'COMPLETE'))));
    for (const r of refs) await synced(r);
    const clearingBefore = gl('201').byCurrency.USD!;
    expect(clearingBefore).toBeGreaterThan(0);

    const payout = api.payouts.create({ reference: 'NS-E2E-1', orders: refs });
    const result = (await (await startPayout('NS-E2E-1')).result()) as PayoutSyncState;
    expect(result.phase).toBe('posted');
    expect(result.report?.record).toMatchObject({ type: 'journalEntry', externalId: '2co-payout-NS-E2E-1', created: true });

    expect(records('journalEntry', '2co-payout-NS-E2E-1')).toHaveLength(1);
    expect(gl('201').byCurrency.USD).toBe(0);
    expect(gl('230').byCurrency.USD).toBe(Number(payout.Amount));
    const commission = payout.Orders.reduce((a, o) => a + Math.round(Number(o.AvangateCommission) * 100), 0) / 100;
    expect(gl('240').byCurrency.USD).toBe(commission);
    expect(Number(result.report!.amount)).toBe(Number(payout.Amount));
    expect(result.report!.variance).toBe('0.00');

    // The same payout seen again (the Schedule, an operator): a new run finds the record and writes nothing.
    const again = (await (await startPayout('NS-E2E-1')).result()) as PayoutSyncState;
    expect(again.report?.record).toMatchObject({ id: result.report!.record!.id, created: false });
    expect(records('journalEntry', '2co-payout-NS-E2E-1')).toHaveLength(1);
    expect(gl('230').byCurrency.USD).toBe(Number(payout.Amount));
  });

  it('a payout covering an order not synced yet waits (visibly), then posts as a deposit once the order is in NetSuite', async () => {
    stack.mappings.config = { ...stack.mappings.config, payouts: { ...stack.mappings.config.payouts, posting: 'deposit' } };
    const early = ref(100);
    const late = ref(101);
    await sell(cardOrder(early, 'COMPLETE'));
    await synced(early);
    await sell(cardOrder(late, 'COMPLETE'), false); // 2Checkout knows it; the webhook has not reached us
    const payout = api.payouts.create({ reference: 'NS-E2E-2', orders: [early, late] });
    const handle = await startPayout('NS-E2E-2');

    const waiting = await waitPayout('NS-E2E-2', (s) => s.phase === 'waiting' && s.waitingFor.includes(late));
    expect(waiting.waitingFor).toEqual([late]);
    expect(waiting.waitUntil).toBeDefined();
    expect(records('deposit', '2co-payout-NS-E2E-2')).toHaveLength(0);

    await postNotification(stack.ipnUrl, signedIpn(cardOrder(late, 'COMPLETE'), SECRET_KEY), { secretKey: SECRET_KEY });
    const done = (await handle.result()) as PayoutSyncState;
    expect(done.report?.record).toMatchObject({ type: 'deposit', created: true });
    const [deposit] = records('deposit', '2co-payout-NS-E2E-2');
    expect(Number(deposit!.total)).toBe(Number(payout.Amount));
    expect(gl('201').byCurrency.USD).toBe(0);
    expect(gl('230').byCurrency.USD).toBeCloseTo(Number(api.payouts.get('NS-E2E-1')!.Amount) + Number(payout.Amount), 2);
  });

  it('a variance above tolerance parks PAYOUT_VARIANCE with the figures; retry after raising the tolerance posts it', async () => {
    stack.mappings.config = { ...stack.mappings.config, payouts: { ...stack.mappings.config.payouts, posting: 'journal' } };
    const refs = [ref(200), ref(201)];
    for (const r of refs) await sell(cardOrder(r, 'COMPLETE'));
    for (const r of refs) await synced(r);
    api.payouts.create({ reference: 'NS-E2E-3', orders: refs, adjust: '5.00' });
    const handle = await startPayout('NS-E2E-3');

    const parked = await waitPayout('NS-E2E-3', (s) => s.park !== undefined);
    expect(parked.park).toMatchObject({ reason: 'PAYOUT_VARIANCE', step: 'post' });
    expect(parked.park!.message).toMatch(/bank received [\d.]+ USD, its documents explain [\d.]+ USD .*difference of -5\.00 USD is above the tolerance of 0\.02 USD/);
    expect(records('journalEntry', '2co-payout-NS-E2E-3')).toHaveLength(0);
    const desc = await handle.describe();
    expect(desc.searchAttributes.ParkReason).toEqual(['PAYOUT_VARIANCE']);

    stack.mappings.config = { ...stack.mappings.config, payouts: { ...stack.mappings.config.payouts, varianceTolerance: 500 } };
    await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry', by: 'controller@example.com' }] });
    const done = (await handle.result()) as PayoutSyncState;
    expect(done.phase).toBe('posted');
    expect(done.report!.variance).toBe('-5.00');
    expect(records('journalEntry', '2co-payout-NS-E2E-3')).toHaveLength(1);
    expect(gl('245').byCurrency.USD).toBe(-5);
    expect(gl('201').byCurrency.USD).toBe(0);
    // The history (park, operator update, retry, post) replays deterministically against today's workflow code.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), payoutWorkflowId('NS-E2E-3'));
  });

  it('EUR orders of the USD subsidiary in a USD payout: the EUR clearing is emptied at its NetSuite book value, the rate difference goes to FX', async () => {
    const refs = [ref(300), ref(301), ref(302)];
    // Shoppers billed in the US (subsidiary 1, base USD) paying in EUR.
    for (const r of refs) await sell({ ...eurOrder(r), customer: cardOrder(r).customer });
    for (const r of refs) await synced(r);
    expect(gl('202').base).toBeGreaterThan(0);
    const payout = api.payouts.create({ reference: 'NS-E2E-4', orders: refs, rates: { EUR: '1.0825' } });
    const done = (await (await startPayout('NS-E2E-4')).result()) as PayoutSyncState;
    expect(done.phase).toBe('posted');
    expect(gl('202').base).toBe(0);
    // NetSuite booked the euros at 2Checkout's order-time rate 1.0845, the payout converted at 1.0825: a loss.
    expect(Number(done.report!.fx)).toBeGreaterThan(0);
    expect(done.report!.byCurrency.map((b) => b.currency)).toEqual(['EUR']);
    const je = records('journalEntry', '2co-payout-NS-E2E-4')[0]!;
    expect(je).toBeDefined();
    expect(Math.abs(Number(done.report!.variance))).toBeLessThanOrEqual(0.02);
    expect(Number(done.report!.amount)).toBe(Number(payout.Amount));
  });

  it('the Schedule\'s poll starts a workflow for each new payout only; the CLI reports it to the cent and lists states', async () => {
    const refs = [ref(400), ref(401)];
    for (const r of refs) await sell(cardOrder(r, 'COMPLETE'));
    for (const r of refs) await synced(r);
    const payout = api.payouts.create({ reference: 'NS-E2E-5', orders: refs });
    const queues = { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney };
    const poll = await stack.env.client.workflow.execute('payoutPollWorkflow', {
      workflowId: `payout-poll-test-${Date.now()}`,
      taskQueue: stack.queues.workflows,
      args: [{ lookbackDays: 2, queues }],
    });
    expect(poll).toMatchObject({ started: ['NS-E2E-5'] });
    const done = await stack.env.client.workflow.getHandle(payoutWorkflowId('NS-E2E-5')).result() as PayoutSyncState;
    expect(done.phase).toBe('posted');

    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    const deps = { client: stack.env.client, namespace: 'default', uiBase: 'http://ui', io };
    expect(await runPayoutsCli(['report', 'NS-E2E-5'], deps)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(`Payout NS-E2E-5`);
    expect(text).toContain(`bank received ${payout.Amount}`);
    expect(text).toMatch(/NetSuite journalEntry \d+ \(externalId 2co-payout-NS-E2E-5\)/);
    out.length = 0;
    expect(await runPayoutsCli(['report', 'NS-E2E-5', '--json'], deps)).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ reference: 'NS-E2E-5', phase: 'posted', report: { amount: payout.Amount } });
    out.length = 0;
    expect(await runPayoutsCli(['schedule', '--every', '1h'], deps)).toBe(0);
    const desc = await stack.env.client.schedule.getHandle(PAYOUT_SCHEDULE_ID).describe();
    expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'payoutPollWorkflow' });
    await stack.env.client.schedule.getHandle(PAYOUT_SCHEDULE_ID).delete();
    expect(await runPayoutsCli(['report'], deps)).toBe(2);
  });

  it('payouts -- demo: a EUR payout of the EU subsidiary\'s orders into the EUR bank, a USD payout of the rest', async () => {
    const eu = [ref(500), ref(501)];
    const us = ref(502);
    for (const r of eu) await sell(eurOrder(r)); // German shoppers: subsidiary 2, base EUR
    await sell(cardOrder(us, 'COMPLETE'));
    for (const r of [...eu, us]) await synced(r);
    const eurClearingBefore = gl('202').byCurrency.EUR!;
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    const queues = { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney };
    const code = await runPayoutsCli(['demo'], { client: stack.env.client, namespace: 'default', uiBase: 'http://ui', io, env: { TWOCHECKOUT_API_BASE_URL: api.apiUrl }, taskQueue: stack.queues.workflows, queues });
    expect(code).toBe(0);
    const eurPayout = api.payouts.all().find((p) => p.Currency === 'EUR' && p.Orders.some((o) => o.RefNo === eu[0]))!;
    const [je] = records('journalEntry', `2co-payout-${eurPayout.Reference}`);
    expect(je).toMatchObject({ subsidiary: { id: '2' }, currency: { id: '2' } });
    expect(gl('231').byCurrency.EUR).toBe(Number(eurPayout.Amount));
    // The EUR clearing gives up exactly the EUR it held for these two payments.
    const paid = eurPayout.Orders.reduce((a, o) => a + Math.round(Number(o.GrossPrice) * 100), 0) / 100;
    expect(gl('202').byCurrency.EUR).toBeCloseTo(eurClearingBefore - paid, 2);
    expect(out.join('\n')).toContain(`bank received ${eurPayout.Amount}`);
    const usdPayout = api.payouts.all().find((p) => p.Currency === 'USD' && p.Orders.some((o) => o.RefNo === us))!;
    expect(records('journalEntry', `2co-payout-${usdPayout.Reference}`)).toHaveLength(1);
  });
});
