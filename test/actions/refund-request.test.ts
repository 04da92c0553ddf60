// Refund requests end to end, against both sandboxes and a real Temporal server: a refund asked
// for by one person and approved by another is issued once in 2Checkout, comes back as 2Checkout's
// REFUND IPN and is booked once in NetSuite (credit memo + customer refund) by the order sync; the
// requester cannot approve; a second or redelivered approval, a lost answer and a retried activity
// still make one refund; an expired request does nothing; an over-refund is refused when asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOrder, threeLineOrder } from '../../sandbox/twocheckout/scenarios.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/sender.js';
import { decisionUpdateId, decideRequestUpdate } from '../../workflows/action-request-messages.js';
import { runOpsCli } from '../../scripts/lib/ops/ops-cli.js';
import { startStatusPage } from '../../status-page/server.js';
import { captureIo, capturingLogger } from '../ops/support.js';
import { ALICE, BOB, startActionStack, type ActionStack } from '../support/actions.js';

let s: ActionStack;
beforeAll(async () => {
  s = await startActionStack();
}, 120_000);
afterAll(async () => {
  await s?.close();
});

let next = 0;
const refNo = () => String(77_100_000 + (Date.now() % 100_000) * 10 + next++);

/** A paid order, synced to NetSuite (invoice + payment), known to 2Checkout's API. */
async function paidOrder(
  build: (ref: string) => IpnOrderInput = (ref) => cardOrder(ref, 'COMPLETE', { at: new Date(Date.now() - 60_000) }),
): Promise<string> {
  const ref = refNo();
  await s.send([{ kind: 'ipn', input: build(ref) }]);
  await s.waitForOrder(ref, (st) => st.syncStatus === 'Synced' && st.records.paymentId !== undefined, 60_000);
  return ref;
}

describe('refund requests', () => {
  it('request → approval by another person → one refund in 2Checkout → one credit memo and one customer refund in NetSuite', async () => {
    const order = await paidOrder();
    const asked = await s.requestRefund({
      refNo: order,
      amount: '40.00',
      reason: 'customer charged twice, ticket 881',
    });
    expect(asked).toMatchObject({ status: 'submitted', id: `refund-request/${order}/1` });
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    expect(asked.state).toMatchObject({
      phase: 'awaiting-approval',
      refund: { amount: '40.00', currency: 'USD', refundable: '99.00' },
    });
    expect(s.refundsIn2Checkout(order)).toBe(0);

    const approved = await s.decide(asked.id, { action: 'approve', by: BOB });
    expect(approved).toMatchObject({ status: 'accepted', result: { action: 'approve' } });

    const done = await s.waitForRequest(asked.id, (r) => r.phase === 'done', 90_000);
    expect(s.refundsIn2Checkout(order)).toBe(1);
    expect(s.creditMemos(order)).toBe(1);
    expect(s.customerRefunds(order)).toBe(1);
    expect(done.outcome.twoCheckout).toMatchObject({
      refNo: order,
      call: `POST /orders/${order}/refund/`,
      alreadyDone: false,
    });
    expect(done.outcome.netsuite).toMatchObject({ amount: '40.00' });
    expect(done.outcome.netsuite?.customerRefundId).toBeDefined();
    expect(done.requester).toEqual(ALICE);
    expect(done.decision).toMatchObject({ action: 'approve', by: BOB });
    const journal = done.journal.map((j) => j.what).join('\n');
    expect(journal).toMatch(/requested by alice@example.com/);
    expect(journal).toMatch(/approved by bob@example.com/);
    expect(journal).toMatch(/refund issued in 2Checkout/);
    expect(journal).toMatch(/booked in NetSuite/);
    // The order sync booked it as any REFUND notification: its state shows the credit.
    const orderState = await s.orderState(order);
    expect(Object.values(orderState.records.creditMemos ?? {})).toEqual([
      expect.objectContaining({ creditMemoId: done.outcome.netsuite!.creditMemoId, amount: '40.00' }),
    ]);
  }, 150_000);

  it("refuses the requester's own approval; the requester may withdraw it", async () => {
    const order = await paidOrder();
    const asked = await s.requestRefund({ refNo: order, amount: '10.00', reason: 'goodwill' });
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    const own = await s.decide(asked.id, { action: 'approve', by: { name: ' Alice@Example.com ', via: 'mcp-http' } });
    expect(own.status).toBe('rejected');
    if (own.status === 'rejected')
      expect(own.message).toMatch(/made this request and cannot approve it: another person must/);
    expect((await s.read(asked.id))?.phase).toBe('awaiting-approval');
    // Rejecting needs a reason; the requester may withdraw their own request.
    const bare = await s.decide(asked.id, { action: 'reject', by: ALICE });
    expect(bare).toMatchObject({ status: 'rejected', message: expect.stringMatching(/needs a reason/) });
    expect(await s.decide(asked.id, { action: 'reject', by: ALICE, reason: 'asked by mistake' })).toMatchObject({
      status: 'accepted',
    });
    const ended = await s.waitForRequest(asked.id, (r) => r.phase === 'rejected');
    expect(ended.journal.map((j) => j.what)).toContain('rejected by alice@example.com (cli)');
    expect(s.refundsIn2Checkout(order)).toBe(0);
    // Decided once: a later approval is refused, and the request stays rejected.
    expect(await s.decide(asked.id, { action: 'approve', by: BOB })).toMatchObject({
      status: 'not-running',
      message: expect.stringMatching(/ended rejected/),
    });
  }, 120_000);

  it('a second approval and a redelivered approval still make exactly one refund', async () => {
    const order = await paidOrder();
    const asked = await s.requestRefund({ refNo: order, amount: '25.50', reason: 'partial goodwill' });
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    const handle = s.env.client.workflow.getHandle(asked.id);
    const decision = { action: 'approve' as const, by: BOB };
    const updateId = decisionUpdateId(asked.id, decision);
    // The same approval delivered twice (a client retrying after a lost answer): one decision.
    const [first, again] = await Promise.all([
      handle.executeUpdate(decideRequestUpdate, { args: [decision], updateId }),
      handle.executeUpdate(decideRequestUpdate, { args: [decision], updateId }),
    ]);
    expect(first).toEqual(again);
    // A second person approving as well is refused: it changes nothing.
    const second = await s.decide(asked.id, { action: 'approve', by: { name: 'carol@example.com', via: 'mcp-http' } });
    expect(second.status === 'rejected' || second.status === 'not-running').toBe(true);
    if (second.status !== 'accepted') expect(second.message).toMatch(/already approved by bob@example.com|ended done/);
    await s.waitForRequest(asked.id, (r) => r.phase === 'done', 90_000);
    expect(s.refundsIn2Checkout(order)).toBe(1);
    expect(s.creditMemos(order)).toBe(1);
    expect(s.customerRefunds(order)).toBe(1);
    const done = await s.read(asked.id);
    expect(done?.journal.filter((j) => j.what.startsWith('approved by')).length).toBe(1);
  }, 150_000);

  it('an answer lost after 2Checkout made the refund: the retried activity reads the refund and does not refund again', async () => {
    const order = await paidOrder();
    const asked = await s.requestRefund({ refNo: order, amount: '99.00', reason: 'order cancelled by the customer' });
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    const refundsBefore = s.api.refunds.stats.refunds;
    s.api.faults.dropRefundAnswers = 1;
    await s.decide(asked.id, { action: 'approve', by: BOB });
    const done = await s.waitForRequest(asked.id, (r) => r.phase === 'done', 120_000);
    expect(s.api.refunds.stats.refunds - refundsBefore).toBe(1);
    expect(s.refundsIn2Checkout(order)).toBe(1);
    expect(s.creditMemos(order)).toBe(1);
    expect(s.customerRefunds(order)).toBe(1);
    expect(done.outcome.twoCheckout?.alreadyDone).toBe(true);
    expect(done.journal.map((j) => j.what)).toContain('2Checkout already shows this refund: not issued again');
    expect(done.outcome.netsuite?.amount).toBe('99.00');
  }, 150_000);

  it('an expired request does nothing', async () => {
    const order = await paidOrder();
    const before = s.mappings.config;
    s.mappings.config = { ...before, actions: { ...before.actions, approvalExpiry: '2s' } };
    let asked;
    try {
      asked = await s.requestRefund({ refNo: order, amount: '5.00', reason: 'will not be decided' });
    } finally {
      s.mappings.config = before;
    }
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    const ended = await s.waitForRequest(asked.id, (r) => r.phase === 'expired', 30_000);
    expect(ended.journal.map((j) => j.what)).toContain('expired without a decision: nothing was done');
    const late = await s.decide(asked.id, { action: 'approve', by: BOB });
    expect(late).toMatchObject({
      status: 'not-running',
      message: expect.stringMatching(/ended expired.*nothing was done/),
    });
    expect(s.refundsIn2Checkout(order)).toBe(0);
    expect(s.creditMemos(order)).toBe(0);
  }, 120_000);

  it('refuses an over-refund when it is asked for, in one sentence naming what is still refundable', async () => {
    const order = await paidOrder();
    const asked = await s.requestRefund({ refNo: order, amount: '150.00', reason: 'too much' });
    expect(asked.status).toBe('refused');
    if (asked.status !== 'refused') return;
    expect(asked.message).toBe(
      `a refund of 150.00 USD on order ${order} is more than is still refundable, 99.00 USD (2Checkout: 99.00 USD of 99.00 USD paid; NetSuite: 99.00 USD left to credit on invoice ${(await invoiceLabel(order)) ?? '?'})`,
    );
    expect(asked.message).not.toMatch(/\.\s/);
    const state = await s.read(asked.id);
    expect(state).toMatchObject({ phase: 'refused', refusal: asked.message });
    expect(s.refundsIn2Checkout(order)).toBe(0);
    // Refused requests are closed: the next request for the order is number 2.
    const ok = await s.requestRefund({ refNo: order, amount: '99.00', reason: 'the whole order' });
    expect(ok).toMatchObject({ status: 'submitted', id: `refund-request/${order}/2` });
    // One open request per order: a double click does not line up a second one.
    const twice = await s.requestRefund({ refNo: order, amount: '99.00', reason: 'the whole order' });
    expect(twice).toMatchObject({
      status: 'conflict',
      id: `refund-request/${order}/2`,
      message: expect.stringMatching(/is still open \(awaiting-approval\)/),
    });
    await s.decide(`refund-request/${order}/2`, { action: 'reject', by: BOB, reason: 'test done' });
  }, 120_000);

  it('refunds named lines of a three-line order, booked line by line', async () => {
    const order = await paidOrder((ref) => threeLineOrder(ref, { at: new Date(Date.now() - 60_000) }));
    const apiOrder = await s.twocheckout.getOrder(order);
    const support = apiOrder!.Items.find((i) => i.Code === 'SUPPORT-1Y')!;
    const asked = await s.requestRefund({
      refNo: order,
      lines: [{ lineItemReference: support.LineItemReference!, quantity: 1 }],
      reason: 'support not wanted',
    });
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    expect(asked.state.refund).toMatchObject({
      amount: '144.00',
      items: [
        { lineItemReference: support.LineItemReference, productCode: 'SUPPORT-1Y', quantity: 1, amount: '144.00' },
      ],
    });
    await s.decide(asked.id, { action: 'approve', by: BOB });
    const done = await s.waitForRequest(asked.id, (r) => r.phase === 'done', 90_000);
    expect(done.outcome.netsuite?.amount).toBe('144.00');
    expect(s.refundsIn2Checkout(order)).toBe(1);
    expect(s.creditMemos(order)).toBe(1);
  }, 150_000);
});

describe('npm run ops', () => {
  async function ops(argv: string[], user: string) {
    const io = captureIo();
    const audit = capturingLogger('ops');
    const code = await runOpsCli(argv, {
      client: s.env.client,
      namespace: 'default',
      uiBase: 'http://ui',
      io,
      logger: audit.logger,
      env: { OPS_USER: user },
      requestQueues: s.requestOpts,
    });
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n'), audit: audit.lines() };
  }

  it('refund, approve by the requester (refused), approve by another person, then the request with both references', async () => {
    const order = await paidOrder();
    const asked = await ops(
      ['refund', order, '--amount', '12.34', '--reason', 'late delivery', '--comment', 'Sorry for the delay'],
      'alice',
    );
    expect(asked.code).toBe(0);
    const id = `refund-request/${order}/1`;
    expect(asked.out).toContain(`${id}: awaiting-approval`);
    expect(asked.out).toContain(`npm run ops -- approve ${id}`);
    expect(asked.audit).toContainEqual(
      expect.objectContaining({ action: 'refund', ref: order, by: 'alice', outcome: 'submitted', requestId: id }),
    );

    const own = await ops(['approve', id], 'alice');
    expect(own.code).toBe(2);
    expect(own.err).toMatch(/alice made this request and cannot approve it/);
    expect(own.audit).toContainEqual(expect.objectContaining({ action: 'approve', by: 'alice', outcome: 'rejected' }));

    const ok = await ops(['approve', id], 'bob');
    expect(ok.code).toBe(0);
    expect(ok.audit).toContainEqual(
      expect.objectContaining({ action: 'approve', by: 'bob', outcome: 'accepted', requestId: id }),
    );
    await s.waitForRequest(id, (r) => r.phase === 'done', 90_000);
    const shown = await ops(['requests', id], 'carol');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(new RegExp(`2Checkout: POST /orders/${order}/refund/`));
    expect(shown.out).toMatch(/NetSuite: credit memo \d+, customer refund \d+ \(12\.34\)/);
    expect(shown.out).toMatch(/approved by bob \(cli\)/);
    // The shopper sees the comment; it carries the request id, by which the refund is recognised.
    const apiOrder = await s.twocheckout.getOrder(order);
    expect(apiOrder?.Refunds?.[0]?.Comment).toBe(`Sorry for the delay (ref ${id})`);

    const bad = await ops(['refund', order, '--reason', 'no amount'], 'alice');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--amount 19\.99, or --line/);
  }, 150_000);
});

describe('the status page', () => {
  it('lists open requests read-only, on the overview and on /requests', async () => {
    const order = await paidOrder();
    const asked = await s.requestRefund({ refNo: order, amount: '7.00', reason: 'status page check' });
    if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));
    const statusPage = await startStatusPage({ client: s.env.client, namespace: 'default', port: 0 });
    try {
      const overview = await (await fetch(statusPage.url)).text();
      expect(overview).toMatch(/Refund and subscription requests/);
      expect(overview).toMatch(/\d+ awaiting approval/);
      const list = await (await fetch(`${statusPage.url}requests`)).text();
      expect(list).toContain(asked.id);
      expect(list).toContain('refund 7.00 USD of order');
      expect(list).toContain('alice@example.com');
      expect(list).toMatch(/Read-only/);
      expect((await fetch(`${statusPage.url}requests`, { method: 'POST' })).status).toBe(405);
    } finally {
      await statusPage.close();
      await s.decide(asked.id, { action: 'reject', by: BOB, reason: 'test done' });
    }
    await s.waitForRequest(asked.id, (r) => r.phase === 'rejected');
  }, 120_000);
});

async function invoiceLabel(order: string): Promise<string | undefined> {
  const inv = s.sandbox.records('invoice').find((r) => r.externalId === `2co-inv-${order}`);
  return inv ? String(inv.tranId ?? inv.id) : undefined;
}
