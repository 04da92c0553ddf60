// An ORDERSTATUS this service does not handle: 2Checkout must get its receipt (a refusal would be
// retried for two days and then dropped), the order parks UNKNOWN_STATUS with the event kept, and
// nothing is posted to NetSuite until a person decides.
import { describe, expect, it } from 'vitest';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { operatorActionUpdate } from '../../workflows/messages.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';

const stack = useTestStack();

describe('an IPN with an unknown ORDERSTATUS', () => {
  it('is receipted, parks UNKNOWN_STATUS with the event kept, and a skip lets the order go on', async () => {
    const ref = '74910001';
    const res = await postNotification(stack.ipnUrl, signedIpn(cardOrder(ref, 'ON_HOLD_FOR_REVIEW'), SECRET_KEY), {
      secretKey: SECRET_KEY,
    });
    expect(res.status).toBe(200);
    expect(res.receiptValid).toBe(true);

    const parked = await stack.waitForOrder(ref, (s) => s.syncStatus === 'NeedsAttention');
    expect(parked.park).toMatchObject({ reason: 'UNKNOWN_STATUS', path: 'ORDERSTATUS' });
    expect(parked.park?.message).toContain('ON_HOLD_FOR_REVIEW');
    expect(parked.eventsReceived).toBe(1);
    expect(
      stack.sandbox.records('salesOrder').filter((r) => String(r.externalId ?? '').endsWith(`-${ref}`)),
    ).toHaveLength(0);

    const handle = stack.env.client.workflow.getHandle(orderWorkflowId(ref));
    await handle.executeUpdate(operatorActionUpdate, {
      args: [{ action: 'skip', reason: 'checked in 2Checkout: review hold' }],
    });
    // The order's real statuses still sync after the skip.
    await postNotification(stack.ipnUrl, signedIpn(cardOrder(ref, 'COMPLETE'), SECRET_KEY), { secretKey: SECRET_KEY });
    const synced = await stack.waitForOrder(ref, (s) => s.completedSteps.includes('payment'));
    expect(synced.skippedSteps).toEqual([expect.stringMatching(/^status:/)]);
    expect(synced.syncStatus).toBe('Synced');
  });
});
