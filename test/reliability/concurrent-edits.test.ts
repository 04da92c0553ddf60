// Two writers updating one NetSuite record at once: NetSuite saves the first and refuses the other
// with "Record has been changed" (optimistic locking; the sandbox does the same, see
// sandbox/netsuite/README.md). The sync reads the record again and retries the refused write, so
// neither write is lost: a customer refreshed by two orders at once keeps both changes, and the
// subscription record keeps both the sync's state and what finance wrote on it meanwhile.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedIpn } from '../../sandbox/twocheckout/sender.js';
import {
  licenseRefFor,
  renewalOrder,
  returningCustomerOrder,
  subscriptionOrder,
} from '../../sandbox/twocheckout/scenarios.js';
import { externalIds } from '../../mappings/ids.js';
import { subscriptionStateQuery, subscriptionWorkflowId } from '../../workflows/messages.js';
import { SECRET_KEY, startTestStack, type TestStack } from '../support/stack.js';
import { eventually } from '../support/temporal.js';
import type { IpnOrderInput } from '../../sandbox/twocheckout/ipn-fields.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

async function send(order: IpnOrderInput): Promise<void> {
  const res = await fetch(stack.ipnUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: signedIpn(order, SECRET_KEY),
  });
  expect(res.status).toBe(200);
}
const synced = (s: { syncStatus: string; completedSteps: string[] }) =>
  s.syncStatus === 'Synced' && s.completedSteps.includes('payment');

describe('overlapping updates of one record', () => {
  it('a customer refreshed by two orders at once keeps both changes (a new currency and a new phone)', async () => {
    const seed = `conc-${Date.now()}`;
    const first = returningCustomerOrder('75100001', { customerSeed: seed });
    await send(first);
    const s1 = await stack.waitForOrder('75100001', synced, 60_000);
    const customerId = s1.records.customerId!;
    stack.sandbox.resetStats();

    // The first PATCH of that customer loads it, then takes 1.5 s; the other order's PATCH saves meanwhile.
    stack.sandbox.injectFault({
      kind: 'hang',
      method: 'PATCH',
      pathIncludes: `/customer/${customerId}`,
      hangMs: 1_500,
    });
    // The shopper has a new phone number since the first order; one order is in euros.
    const phone = { customer: { phone: '+1 212 555 0199' } };
    const inEuro: IpnOrderInput = {
      ...returningCustomerOrder('75100002', { customerSeed: seed, ...phone }),
      currency: 'EUR',
      fx: { rate: '1.0845', payoutCurrency: 'USD' },
    };
    const newPhone = returningCustomerOrder('75100003', { customerSeed: seed, ...phone });
    await Promise.all([send(inEuro), send(newPhone)]);
    const [s2, s3] = await Promise.all([
      stack.waitForOrder('75100002', synced, 60_000),
      stack.waitForOrder('75100003', synced, 60_000),
    ]);

    expect(stack.sandbox.stats().recordChanged).toBeGreaterThanOrEqual(1);
    expect([s2.park, s3.park]).toEqual([undefined, undefined]);
    expect([s2.records.customerId, s3.records.customerId]).toEqual([customerId, customerId]);
    const customer = stack.sandbox.record('customer', customerId)!;
    expect(customer.phone).toBe('+1 212 555 0199');
    const currencies = (
      (customer.currencyList as { items?: Array<{ currency: { id: string } }> } | undefined)?.items ?? []
    ).map((c) => c.currency.id);
    expect(currencies).toContain('2');
    expect(stack.sandbox.duplicates().customersByEmail).toEqual([]);
  });

  it('the subscription record keeps the renewal the sync wrote and the note finance added while the write was running', async () => {
    const ref = '75100011';
    const licenseCode = licenseRefFor(ref);
    const type = 'customrecord_2co_subscription';
    const eid = externalIds.subscription(licenseCode);
    const at = new Date(Date.now() - 3_600_000);
    const sale = subscriptionOrder(ref, { at });
    await send(sale);
    const handle = stack.env.client.workflow.getHandle(subscriptionWorkflowId(licenseCode));
    await eventually(
      () => handle.query(subscriptionStateQuery).catch(() => undefined),
      (s) => s?.posted?.lastOrderRefNo === ref,
      60_000,
    );
    const id = String(stack.sandbox.record(type, `eid:${eid}`)!.id);
    stack.sandbox.resetStats();

    // The renewal's upsert loads the record and takes 1.5 s; finance saves a note on it meanwhile.
    stack.sandbox.injectFault({ kind: 'hang', method: 'PUT', pathIncludes: `eid:${eid}`, hangMs: 1_500 });
    await send(
      renewalOrder('75100012', {
        at: new Date(at.getTime() + 60_000),
        licenseRef: licenseCode,
        originalRefNoExt: [sale.refNoExt!],
      }),
    );
    await vi.waitFor(() => expect(stack.sandbox.stats().faultsInjected).toBe(1), { timeout: 30_000 });
    const note = await stack.netsuite
      .update(type, id, { custrecord_2co_sub_note: 'checked by finance' })
      .then(() => 'saved');
    expect(note).toBe('saved');

    const state = await eventually(
      () => handle.query(subscriptionStateQuery).catch(() => undefined),
      (s) => s?.posted?.lastOrderRefNo === '75100012' || s?.park !== undefined,
      60_000,
    );
    expect(state?.park).toBeUndefined();
    expect(stack.sandbox.stats().recordChanged).toBe(1);
    // The sync's state as the workflow last posted it, and finance's note: neither write lost.
    expect(stack.sandbox.record(type, `eid:${eid}`)).toMatchObject({
      custrecord_2co_sub_last_order: '75100012',
      custrecord_2co_sub_period_end: state?.posted?.periodEnd,
      custrecord_2co_sub_note: 'checked by finance',
    });
    await handle.terminate('test done');
  });
});
