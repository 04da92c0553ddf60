// Subscription actions end to end: asked for by one person, approved by another, done once in
// 2Checkout (the API sandbox's subscription calls), and confirmed when the LCN 2Checkout sends for
// it has been folded by the subscription workflow (and written to NetSuite's subscription record).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseRefFor, subscriptionOrder } from '../../sandbox/twocheckout/scenarios.js';
import { subscriptionStateQuery, subscriptionWorkflowId } from '../../workflows/messages.js';
import { BOB, startActionStack, type ActionStack } from '../support/actions.js';
import { eventually } from '../support/temporal.js';

let s: ActionStack;
beforeAll(async () => {
  s = await startActionStack();
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('subscription actions', () => {
  it('cancel at period end, then cancel now: each approved by another person, done once, confirmed by the LCN', async () => {
    const order = String(77_700_000 + (Date.now() % 100_000));
    const code = licenseRefFor(order);
    await s.send([{ kind: 'ipn', input: subscriptionOrder(order, { at: new Date(Date.now() - 60_000) }) }]);
    const subscription = () =>
      s.env.client.workflow.getHandle(subscriptionWorkflowId(code)).query(subscriptionStateQuery);
    await eventually(
      () => subscription().catch(() => undefined),
      (st) => st?.status === 'ACTIVE',
      60_000,
    );

    const atEnd = await s.requestSubscriptionAction({
      licenseCode: code,
      action: 'cancelAtPeriodEnd',
      reason: 'customer asked to stop renewing',
    });
    if (atEnd.status !== 'submitted') throw new Error(JSON.stringify(atEnd));
    expect(atEnd.state.summary).toMatch(/cancel at period end/);
    expect(s.api.subscriptions.stats.calls).toBe(0);
    await s.decide(atEnd.id, { action: 'approve', by: BOB });
    const first = await s.waitForRequest(atEnd.id, (r) => r.phase === 'done', 90_000);
    expect(first.outcome.twoCheckout).toMatchObject({
      call: `DELETE /subscriptions/${code}/renewal/`,
      alreadyDone: false,
    });
    expect(first.outcome.subscription).toMatchObject({ cancelAtPeriodEnd: true });
    expect((await subscription()).cancelAtPeriodEnd).toBe(true);
    expect(s.api.subscriptions.stats.calls).toBe(1);

    // Recurring billing is already off: turning auto-renew off is refused at once, nothing is called.
    const again = await s.requestSubscriptionAction({
      licenseCode: code,
      action: 'autoRenewOff',
      reason: 'double check',
    });
    expect(again).toMatchObject({
      status: 'refused',
      message: expect.stringMatching(/already shows subscription .* so \(status ACTIVE, recurring billing off/),
    });

    const now = await s.requestSubscriptionAction({
      licenseCode: code,
      action: 'cancelNow',
      reason: 'chargeback risk',
    });
    if (now.status !== 'submitted') throw new Error(JSON.stringify(now));
    await s.decide(now.id, { action: 'approve', by: BOB });
    const second = await s.waitForRequest(now.id, (r) => r.phase === 'done', 90_000);
    expect(second.outcome.twoCheckout).toMatchObject({ call: `DELETE /subscriptions/${code}/`, alreadyDone: false });
    expect(second.outcome.subscription?.status).toBe('CANCELED');
    expect(s.api.subscriptions.stats.calls).toBe(2);
  }, 200_000);

  it('an unknown subscription is refused when asked for', async () => {
    const r = await s.requestSubscriptionAction({
      licenseCode: 'NOSUCHCODE1',
      action: 'cancelNow',
      reason: 'typo test',
    });
    expect(r).toMatchObject({
      status: 'refused',
      message:
        '2Checkout does not know subscription NOSUCHCODE1: check the licence code (IPN_LICENSE_REF / LICENSE_CODE)',
    });
  }, 60_000);
});
