// Payouts end to end: orders synced through the gateway into the NetSuite sandbox, a payout made by
// the 2Checkout API sandbox from the same orders, the payout workflow on the real Temporal dev
// server posting one journal entry / deposit. Assertions are GL balances a controller would check:
// the clearing account emptied for the paid-out payments, the bank holding exactly the payout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardOrder, chargeback, eurOrder, fullRefund } from '../../sandbox/twocheckout/scenarios.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/ipn-fields.js';
import {
  ApiRateLimiter,
  createPayoutsApi,
  createTwoCheckoutApiClient,
  type TwoCheckoutApiClient,
} from '../../twocheckout/rest/index.js';
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
  client = createTwoCheckoutApiClient({
    baseUrl: api.apiUrl,
    vendorCode: VENDOR,
    secretKey: API_KEY,
    algorithm: 'sha256',
    limiter: new ApiRateLimiter({ ratePerSecond: 500, concurrency: 4 }),
  });
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
      createPayoutActivities({
        netsuite,
        mappings: provider,
        payouts: createPayoutsApi(client),
        logger: pino({ level: 'silent' }),
      }),
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
const synced = (r: string) =>
  stack.waitForOrder(
    r,
    (s) => s.syncStatus === 'Synced' && (s.completedSteps.includes('payment') || s.completedSteps.includes('cashSale')),
    120_000,
  );

function startPayout(reference: string) {
  const input: PayoutWorkflowInput = {
    reference,
    queues: { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney },
  };
  return stack.env.client.workflow.start('payoutWorkflow', {
    workflowId: payoutWorkflowId(reference),
    taskQueue: stack.queues.workflows,
    args: [input],
  });
}
const payoutState = (reference: string) =>
  stack.env.client.workflow.getHandle(payoutWorkflowId(reference)).query(payoutStateQuery);
const waitPayout = (reference: string, accept: (s: PayoutSyncState) => boolean) =>
  eventually(
    () => payoutState(reference).catch(() => undefined),
    (s): boolean => s !== undefined && accept(s),
    120_000,
  ) as Promise<PayoutSyncState>;
const records = (type: string, externalId: string) =>
  stack.sandbox.records(type).filter((r) => r.externalId === externalId);
const gl = (account: string) => stack.sandbox.accountBalance(account);
/** USD balances (in cents) of some accounts now, to compare with later: the sandbox is shared by every test of the file. */
const snapshot = (accounts: string[]) =>
  Object.fromEntries(accounts.map((a) => [a, Math.round((gl(a).byCurrency.USD ?? 0) * 100)]));
const moved = (before: Record<string, number>) =>
  Object.fromEntries(Object.entries(before).map(([a, v]) => [a, Math.round((gl(a).byCurrency.USD ?? 0) * 100) - v]));
const cents = (amount: string) => Math.round(Number(amount) * 100);
const cliIo = () => {
  const out: string[] = [];
  return { out, io: { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) } };
};
const cliDeps = (io: { out(l: string): void; err(l: string): void }) => ({
  client: stack.env.client,
  namespace: 'default',
  uiBase: 'http://ui',
  io,
  taskQueue: stack.queues.workflows,
  queues: { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney },
  mappings: stack.mappings.config,
  settleTimeoutMs: 60_000,
});
/** The Schedule's poll, looking back two days; returns what it started (again). */
const poll = () =>
  stack.env.client.workflow.execute('payoutPollWorkflow', {
    workflowId: `payout-poll-test-${Date.now()}-${Math.random()}`,
    taskQueue: stack.queues.workflows,
    args: [{ lookbackDays: 2, queues: { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney } }],
  }) as Promise<{ started: string[]; revised?: Array<{ reference: string; why: string }>; known: number }>;
/** The latest run's result (a revised payout runs again under the same workflow id). */
const latest = (reference: string) =>
  eventually(
    () =>
      stack.env.client.workflow
        .getHandle(payoutWorkflowId(reference))
        .result()
        .catch(() => undefined) as Promise<PayoutSyncState | undefined>,
    (s): boolean => s !== undefined,
    60_000,
  ) as Promise<PayoutSyncState>;
const withConfig = (change: (c: typeof stack.mappings.config) => void) => {
  const next = structuredClone(stack.mappings.config);
  change(next);
  stack.mappings.config = next;
};

describe('payouts, end to end', () => {
  it('a payout of 30 synced orders posts one journal entry that empties the clearing account and equals the bank amount; seen again, it posts nothing', async () => {
    const refs = Array.from({ length: 30 }, (_, i) => ref(i));
    for (let i = 0; i < refs.length; i += 6)
      await Promise.all(refs.slice(i, i + 6).map((r) => sell(cardOrder(r, 'COMPLETE'))));
    for (const r of refs) await synced(r);
    const clearingBefore = gl('201').byCurrency.USD!;
    expect(clearingBefore).toBeGreaterThan(0);

    const payout = api.payouts.create({ reference: 'NS-E2E-1', orders: refs });
    const result = (await (await startPayout('NS-E2E-1')).result()) as PayoutSyncState;
    expect(result.phase).toBe('posted');
    expect(result.report?.record).toMatchObject({
      type: 'journalEntry',
      externalId: '2co-payout-NS-E2E-1',
      created: true,
    });

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
    stack.mappings.config = {
      ...stack.mappings.config,
      payouts: { ...stack.mappings.config.payouts, posting: 'deposit' },
    };
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
    expect(gl('230').byCurrency.USD).toBeCloseTo(
      Number(api.payouts.get('NS-E2E-1')!.Amount) + Number(payout.Amount),
      2,
    );
  });

  it('a variance above tolerance parks PAYOUT_VARIANCE with the figures; retry after raising the tolerance posts it', async () => {
    stack.mappings.config = {
      ...stack.mappings.config,
      payouts: { ...stack.mappings.config.payouts, posting: 'journal' },
    };
    const refs = [ref(200), ref(201)];
    for (const r of refs) await sell(cardOrder(r, 'COMPLETE'));
    for (const r of refs) await synced(r);
    api.payouts.create({ reference: 'NS-E2E-3', orders: refs, adjust: '5.00' });
    const handle = await startPayout('NS-E2E-3');

    const parked = await waitPayout('NS-E2E-3', (s) => s.park !== undefined);
    expect(parked.park).toMatchObject({ reason: 'PAYOUT_VARIANCE', step: 'post' });
    expect(parked.park!.message).toMatch(
      /bank received [\d.]+ USD, its documents explain [\d.]+ USD .*difference of -5\.00 USD is above the tolerance of 0\.02 USD/,
    );
    expect(records('journalEntry', '2co-payout-NS-E2E-3')).toHaveLength(0);
    const desc = await handle.describe();
    expect(desc.searchAttributes.ParkReason).toEqual(['PAYOUT_VARIANCE']);

    stack.mappings.config = {
      ...stack.mappings.config,
      payouts: { ...stack.mappings.config.payouts, varianceTolerance: 500 },
    };
    await handle.executeUpdate(operatorActionUpdate, { args: [{ action: 'retry', by: 'controller@example.com' }] });
    const done = (await handle.result()) as PayoutSyncState;
    expect(done.phase).toBe('posted');
    expect(done.report!.variance).toBe('-5.00');
    expect(records('journalEntry', '2co-payout-NS-E2E-3')).toHaveLength(1);
    expect(gl('245').byCurrency.USD).toBe(-5);
    expect(gl('201').byCurrency.USD).toBe(0);
    // The history (park, operator update, retry, post) replays deterministically against today's workflow code.
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle() },
      await handle.fetchHistory(),
      payoutWorkflowId('NS-E2E-3'),
    );
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

  it("the Schedule's poll starts a workflow for each new payout only; the CLI reports it to the cent and lists states", async () => {
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
    const done = (await stack.env.client.workflow.getHandle(payoutWorkflowId('NS-E2E-5')).result()) as PayoutSyncState;
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
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      reference: 'NS-E2E-5',
      phase: 'posted',
      report: { amount: payout.Amount },
    });
    out.length = 0;
    expect(await runPayoutsCli(['schedule', '--every', '1h'], deps)).toBe(0);
    const desc = await stack.env.client.schedule.getHandle(PAYOUT_SCHEDULE_ID).describe();
    expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'payoutPollWorkflow' });
    await stack.env.client.schedule.getHandle(PAYOUT_SCHEDULE_ID).delete();
    expect(await runPayoutsCli(['sync'], deps)).toBe(2);
  });

  it("payouts -- demo: a EUR payout of the EU subsidiary's orders into the EUR bank, a USD payout of the rest", async () => {
    const eu = [ref(500), ref(501)];
    const us = ref(502);
    for (const r of eu) await sell(eurOrder(r)); // German shoppers: subsidiary 2, base EUR
    await sell(cardOrder(us, 'COMPLETE'));
    for (const r of [...eu, us]) await synced(r);
    const eurClearingBefore = gl('202').byCurrency.EUR!;
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    const queues = { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney };
    const code = await runPayoutsCli(['demo'], {
      client: stack.env.client,
      namespace: 'default',
      uiBase: 'http://ui',
      io,
      env: { TWOCHECKOUT_API_BASE_URL: api.apiUrl },
      taskQueue: stack.queues.workflows,
      queues,
    });
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

describe('payouts in every case 2Checkout produces (issue 23), against the NetSuite sandbox ledger', () => {
  it('case 1: a lost chargeback is relieved out of the chargeback account, the payment out of clearing; the negative rest goes to the 2Checkout balance, not the bank', async () => {
    const a = ref(600);
    const sale = cardOrder(a, 'COMPLETE');
    await sell(sale);
    await synced(a);
    await sell(chargeback(sale, 'LOST'));
    await stack.waitForOrder(
      a,
      (s) => Object.keys(s.records.creditMemos ?? {}).length === 1 && s.syncStatus === 'Synced',
      60_000,
    );
    const before = snapshot(['201', '210', '230', '241', '246']);
    const payout = api.payouts.create({ reference: 'NS-CB-1', orders: [a] });
    expect(payout.Refunds).toEqual([{ RefNo: a, Currency: 'USD', Amount: payout.Orders[0]!.GrossPrice }]);
    const gross = cents(payout.Orders[0]!.GrossPrice);
    const done = (await (await startPayout('NS-CB-1')).result()) as PayoutSyncState;
    expect(done.phase).toBe('posted');
    // Cr 201 (the payment leaves clearing), Dr 210 (the chargeback paid from it is relieved), the fee, no bank line.
    expect(moved(before)).toEqual({ '201': -gross, '210': gross, '230': 0, '241': 1500, '246': cents(payout.Amount) });
    expect(cents(payout.Amount)).toBeLessThan(0);
    expect(done.report!.documents!.map((d) => [d.kind, d.account])).toEqual([
      ['sale', '201'],
      ['refund', '210'],
    ]);
  });

  it('case 6: 2Checkout revises a posted payout (a 5.00 fee), then cancels it: the poll looks back and posts a revision, then a reversal; both stay visible', async () => {
    const b = ref(610);
    await sell(cardOrder(b, 'COMPLETE'));
    await synced(b);
    const before = snapshot(['201', '230', '241']);
    const payout = api.payouts.create({ reference: 'NS-REV-1', orders: [b] });
    const first = (await (await startPayout('NS-REV-1')).result()) as PayoutSyncState;
    expect(first.report?.record).toMatchObject({ type: 'journalEntry', created: true });
    const paid = cents(payout.Amount);
    expect(moved(before)['230']).toBe(paid);

    api.payouts.revise('NS-REV-1', { chargebackFee: '5.00' });
    const polled = await poll();
    expect(polled.revised).toEqual([
      { reference: 'NS-REV-1', why: expect.stringMatching(/now lists [\d.]+ USD; NetSuite holds [\d.]+/) },
    ]);
    const revised = await eventually(
      () => latest('NS-REV-1'),
      (s): boolean => (s.report?.records?.length ?? 0) === 2,
      60_000,
    );
    expect(revised.report!.records![1]).toMatchObject({
      kind: 'revision',
      externalId: '2co-payout-NS-REV-1-rev-1',
      created: true,
    });
    expect(revised.revision).toMatch(/now lists/);
    expect(moved(before)).toMatchObject({ '230': paid - 500, '241': 500, '201': -cents(payout.Orders[0]!.GrossPrice) });
    // Seen again unchanged: nothing more is posted.
    const again = await poll();
    expect(again.revised ?? [], JSON.stringify(again)).not.toContainEqual(
      expect.objectContaining({ reference: 'NS-REV-1' }),
    );

    api.payouts.revise('NS-REV-1', { status: 'CANCELED' });
    expect((await poll()).revised).toEqual([{ reference: 'NS-REV-1', why: '2Checkout cancelled it' }]);
    const cancelled = await eventually(
      () => latest('NS-REV-1'),
      (s): boolean => (s.report?.records?.length ?? 0) === 3,
      60_000,
    );
    expect(cancelled.phase).toBe('canceled');
    expect(moved(before)).toEqual({ '201': 0, '230': 0, '241': 0 });
    const out = cliIo();
    expect(await runPayoutsCli(['report', 'NS-REV-1'], cliDeps(out.io))).toBe(0);
    expect(out.out.join('\n')).toMatch(
      /NetSuite journalEntry \d+ \(externalId 2co-payout-NS-REV-1\)[\s\S]*revision journalEntry \d+ \(externalId 2co-payout-NS-REV-1-rev-1\)[\s\S]*revision journalEntry \d+ \(externalId 2co-payout-NS-REV-1-rev-2\): 2Checkout cancelled it/,
    );
  });

  it('case 7: refunds above sales make a negative payout: a journal on the 2Checkout balance (even in deposit mode), deducted by the next payout', async () => {
    const [c1, c2, c3] = [ref(620), ref(621), ref(622)];
    const first = cardOrder(c1, 'COMPLETE');
    await sell(first);
    await synced(c1);
    api.payouts.create({ reference: 'NS-NEG-0', orders: [c1] });
    expect(((await (await startPayout('NS-NEG-0')).result()) as PayoutSyncState).phase).toBe('posted');
    withConfig((c) => (c.payouts.posting = 'deposit'));
    try {
      await sell(fullRefund(first));
      await stack.waitForOrder(
        c1,
        (s) => Object.keys(s.records.creditMemos ?? {}).length === 1 && s.syncStatus === 'Synced',
        60_000,
      );
      await sell(cardOrder(c2, 'COMPLETE'));
      await synced(c2);
      const before = snapshot(['201', '230', '246']);
      const negative = api.payouts.create({ reference: 'NS-NEG-1', orders: [c2] });
      expect(cents(negative.Amount)).toBeLessThan(0);
      const done = (await (await startPayout('NS-NEG-1')).result()) as PayoutSyncState;
      expect(done.report?.record).toMatchObject({ type: 'journalEntry', created: true });
      expect(moved(before)).toMatchObject({ '230': 0, '246': cents(negative.Amount) });
      await sell(cardOrder(c3, 'COMPLETE'));
      await synced(c3);
      const next = api.payouts.create({ reference: 'NS-NEG-2', orders: [c3] });
      expect(next.BalanceForward).toEqual([{ Currency: 'USD', Amount: negative.Amount }]);
      const paid = (await (await startPayout('NS-NEG-2')).result()) as PayoutSyncState;
      expect(paid.report?.record?.type).toBe('deposit');
      expect(moved(before)).toMatchObject({ '230': cents(next.Amount), '246': 0 });
    } finally {
      withConfig((c) => (c.payouts.posting = 'journal'));
    }
  });

  it('case 8: a PARTIALLY_PAID payout books one entry per transfer; the later transfer is found by the poll', async () => {
    const d = ref(630);
    await sell(cardOrder(d, 'COMPLETE'));
    await synced(d);
    const before = snapshot(['201', '230', '246']);
    const payout = api.payouts.create({ reference: 'NS-PART-1', orders: [d], transfers: [{ amount: '50.00' }] });
    const first = (await (await startPayout('NS-PART-1')).result()) as PayoutSyncState;
    expect(first.report?.records).toMatchObject([
      { externalId: '2co-payout-NS-PART-1-t-NS-PART-1-T1', kind: 'transfer', created: true },
    ]);
    expect(moved(before)).toMatchObject({ '230': 5000, '246': cents(payout.Amount) - 5000 });
    const rest = ((cents(payout.Amount) - 5000) / 100).toFixed(2);
    api.payouts.addTransfer('NS-PART-1', rest, payout.TransferCompletionDate);
    expect((await poll()).revised).toContainEqual({
      reference: 'NS-PART-1',
      why: 'transfer NS-PART-1-T2 not booked yet',
    });
    const second = await eventually(
      () => latest('NS-PART-1'),
      (s): boolean => (s.report?.records?.length ?? 0) === 2,
      60_000,
    );
    expect(second.report!.records!.map((r) => [r.externalId, r.created])).toEqual([
      ['2co-payout-NS-PART-1-t-NS-PART-1-T1', false],
      ['2co-payout-NS-PART-1-t-NS-PART-1-T2', true],
    ]);
    expect(moved(before)).toEqual({
      '201': -cents(payout.Orders[0]!.GrossPrice),
      '230': cents(payout.Amount),
      '246': 0,
    });
  });

  it('case 9: a payment another payout relieved, or deposited to another account, parks PAYOUT_LEDGER_MISMATCH naming it; nothing is posted', async () => {
    const [e, f] = [ref(640), ref(641)];
    await sell(cardOrder(e, 'COMPLETE'));
    await synced(e);
    api.payouts.create({ reference: 'NS-L-1', orders: [e] });
    expect(((await (await startPayout('NS-L-1')).result()) as PayoutSyncState).phase).toBe('posted');
    // The same order in a payout read from a CSV export: already relieved by NS-L-1.
    const dir = mkdtempSync(join(tmpdir(), 'payout-csv-'));
    const file = join(dir, 'export.csv');
    writeFileSync(
      file,
      [
        'Payout reference,Payout currency,Payout amount,Transfer date,Type,Order reference,Currency,Amount,Commission',
        `NS-L-2,USD,96.15,2026-11-30,ORDER,${e},USD,100.00,3.85`,
      ].join('\n'),
    );
    const out = cliIo();
    expect(await runPayoutsCli(['import', file, '--wait'], cliDeps(out.io))).toBe(3);
    expect(out.out.join('\n')).toMatch(
      /PARKED at post \(PAYOUT_LEDGER_MISMATCH\)[^\n]*2co-pay-\d+ \(PYMT\d+\) \(order \d+\) was already relieved by 2co-payout-NS-L-1/,
    );
    expect(records('journalEntry', '2co-payout-NS-L-2')).toHaveLength(0);

    // A payment deposited straight to the operating bank (230) is not in a clearing account.
    withConfig(
      (c) =>
        (c.paymentMethods.byCode.CCVISAMC = {
          ...c.paymentMethods.byCode.CCVISAMC!,
          accountByCurrency: { USD: '230', EUR: '202' },
        }),
    );
    try {
      await sell(cardOrder(f, 'COMPLETE'));
      await synced(f);
    } finally {
      withConfig(
        (c) =>
          (c.paymentMethods.byCode.CCVISAMC = {
            ...c.paymentMethods.byCode.CCVISAMC!,
            accountByCurrency: { USD: '201', EUR: '202' },
          }),
      );
    }
    api.payouts.create({ reference: 'NS-L-3', orders: [f] });
    await startPayout('NS-L-3');
    const parked = await waitPayout('NS-L-3', (s) => s.park !== undefined);
    expect(parked.park).toMatchObject({ reason: 'PAYOUT_LEDGER_MISMATCH', step: 'post' });
    expect(parked.park!.message).toMatch(/sits in account 230, which is not a clearing account/);
    expect(records('journalEntry', '2co-payout-NS-L-3')).toHaveLength(0);
    await stack.env.client.workflow.getHandle(payoutWorkflowId('NS-L-3')).terminate('test done');
  });

  it('deposit mode: payments posted to Undeposited Funds, the payout one bank deposit selecting exactly those payments, fees as Cash Back', async () => {
    const [g1, g2] = [ref(650), ref(651)];
    withConfig((c) => {
      c.payouts.posting = 'deposit';
      c.paymentMethods.byCode.CCVISAMC = { undepositedFunds: true, paymentOption: '1' };
    });
    try {
      for (const r of [g1, g2]) await sell(cardOrder(r, 'COMPLETE'));
      for (const r of [g1, g2]) await synced(r);
      const payments = [g1, g2].map((r) =>
        stack.sandbox.records('customerPayment').find((p) => p.externalId === `2co-pay-${r}`)!,
      );
      expect(payments.map((p) => p.account)).toEqual([undefined, undefined]);
      const before = snapshot(['200', '230', '240']);
      const payout = api.payouts.create({ reference: 'NS-DEP-1', orders: [g1, g2] });
      const done = (await (await startPayout('NS-DEP-1')).result()) as PayoutSyncState;
      expect(done.report?.record?.type).toBe('deposit');
      const [deposit] = records('deposit', '2co-payout-NS-DEP-1');
      const lines = (deposit!.payment as { items: Array<{ id: string; deposit: boolean; paymentAmount: number }> })
        .items;
      expect(lines.map((l) => l.id).sort()).toEqual(payments.map((p) => p.id).sort());
      expect(Number(deposit!.total)).toBe(Number(payout.Amount));
      expect(
        (deposit!.cashback as { items: Array<{ account: { id: string } }> }).items.map((l) => l.account.id),
      ).toEqual(['240']);
      const gross = payout.Orders.reduce((a, o) => a + cents(o.GrossPrice), 0);
      expect(moved(before)).toEqual({
        '200': -gross,
        '230': cents(payout.Amount),
        '240': gross - cents(payout.Amount),
      });
      // NetSuite shows the payments deposited: another deposit cannot take them again.
      expect(
        stack.sandbox
          .records('customerPayment')
          .filter((p) => [g1, g2].some((r) => p.externalId === `2co-pay-${r}`))
          .map((p) => (p.status as { refName: string }).refName),
      ).toEqual(['Deposited', 'Deposited']);
    } finally {
      withConfig((c) => {
        c.payouts.posting = 'journal';
        c.paymentMethods.byCode.CCVISAMC = {
          account: '203',
          accountByCurrency: { USD: '201', EUR: '202' },
          paymentOption: '1',
        };
      });
    }
  });

  it('case 4: a EUR payout posted in the USD subsidiary for EUR payments booked there parks PAYOUT_UNSUPPORTED instead of leaving their USD value in clearing', async () => {
    const h = ref(660);
    await sell({ ...eurOrder(h), customer: cardOrder(h).customer });
    await synced(h);
    withConfig((c) => (c.payouts.subsidiaryByCurrency = {}));
    try {
      api.payouts.create({ reference: 'NS-EUR-1', currency: 'EUR', orders: [h] });
      await startPayout('NS-EUR-1');
      const parked = await waitPayout('NS-EUR-1', (s) => s.park !== undefined);
      expect(parked.park).toMatchObject({ reason: 'PAYOUT_UNSUPPORTED' });
      expect(parked.park!.message).toMatch(/paid in EUR and posts in subsidiary 1, whose base currency is USD/);
      expect(records('journalEntry', '2co-payout-NS-EUR-1')).toHaveLength(0);
    } finally {
      withConfig((c) => (c.payouts.subsidiaryByCurrency = { EUR: '2' }));
      await stack.env.client.workflow.getHandle(payoutWorkflowId('NS-EUR-1')).terminate('test done');
    }
  });

  it('a payout from a CSV export posts like one from the API; history syncs payouts older than the look-back; list shows dates and amounts in 100 columns', async () => {
    const k = ref(670);
    await sell(cardOrder(k, 'COMPLETE'));
    await synced(k);
    const gross = stack.sandbox.records('customerPayment').find((p) => p.externalId === `2co-pay-${k}`)!
      .payment as number;
    const dir = mkdtempSync(join(tmpdir(), 'payout-csv-'));
    const file = join(dir, 'export.csv');
    const net = (gross - 3.85 - 15).toFixed(2);
    writeFileSync(
      file,
      [
        'Payout reference,Payout currency,Payout amount,Transfer date,Type,Order reference,Currency,Amount,Commission',
        `NS-CSV-1,USD,${net},2026-11-30,ORDER,${k},USD,${gross.toFixed(2)},3.85`,
        `NS-CSV-1,USD,${net},2026-11-30,CHARGEBACK FEE,,USD,15.00,`,
      ].join('\n'),
    );
    const out = cliIo();
    expect(await runPayoutsCli(['import', file, '--wait'], cliDeps(out.io)), out.out.join('\n')).toBe(0);
    const state = await latest('NS-CSV-1');
    expect(state).toMatchObject({ phase: 'posted', source: 'csv', amount: net });
    expect(records('journalEntry', '2co-payout-NS-CSV-1')).toHaveLength(1);

    const old = ref(671);
    await sell(cardOrder(old, 'COMPLETE'));
    await synced(old);
    api.payouts.create({ reference: 'NS-OLD-1', orders: [old], date: '2026-01-15' });
    expect((await poll()).started).not.toContain('NS-OLD-1');
    const hist = cliIo();
    expect(
      await runPayoutsCli(['sync', '--from', '2026-01-01', '--to', '2026-01-31', '--wait'], cliDeps(hist.io)),
    ).toBe(0);
    expect(hist.out.join('\n')).toMatch(/payouts 2026-01-01\.\.2026-01-31: 1 listed by 2Checkout, 1 started: NS-OLD-1/);
    expect(records('journalEntry', '2co-payout-NS-OLD-1')).toHaveLength(1);

    const list = cliIo();
    expect(await runPayoutsCli(['list'], cliDeps(list.io))).toBe(0);
    expect(list.out[0]).toMatch(/^payout\s+date\s+amount cur\s+docs\s+state$/);
    expect(list.out.find((l) => l.startsWith('payout/NS-OLD-1') || l.startsWith('NS-OLD-1'))).toMatch(
      /^NS-OLD-1\s+2026-01-15\s+[\d.]+ USD\s+1\s+posted$/,
    );
    for (const l of list.out) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('issue 28: sync --wait on a payout that parks returns with the park and exit code 3 instead of waiting for ever', async () => {
    const out = cliIo();
    const started = Date.now();
    expect(await runPayoutsCli(['sync', 'NOPE1', '--wait'], cliDeps(out.io))).toBe(3);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(out.out.join('\n')).toMatch(
      /PARKED at fetch \(PAYOUT_UNSUPPORTED\)[^\n]*2Checkout does not know payout NOPE1/,
    );
    await stack.env.client.workflow.getHandle(payoutWorkflowId('NOPE1')).terminate('test done');
  });
});
