// Task priority (workflows/priority.ts) against the real dev server: live orders go ahead of a
// backfill. (Draining a burst in order is a throughput property, measured with `npm run bench`: a
// 30-order version of it here depended on the machine's load.) Checked by the order in which
// NetSuite records appear in the sandbox's ledger, never by time.
import { describe, expect, it } from 'vitest';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { signedIpn } from '../../sandbox/twocheckout/sender.js';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { ipnToOrderEvent } from '../../mappings/from-2checkout.js';
import { externalIds } from '../../mappings/ids.js';
import { createSyncHandover } from '../../workflows/handover.js';
import { SECRET_KEY, useTestStack } from '../support/stack.js';
import { postAll, refNos, waitAllSynced } from './support.js';

const LIMIT = 2;

const stack = useTestStack({ concurrencyLimit: LIMIT, workerConcurrency: LIMIT });

/** Ledger entries (type, REFNO) created since `seq` for the given orders, in creation order. */
function ledger(since: number, refs: string[]): Array<{ type: string; ref: string }> {
  const byEid = new Map<string, { type: string; ref: string }>();
  for (const ref of refs) {
    byEid.set(externalIds.salesOrder(ref), { type: 'salesOrder', ref });
    byEid.set(externalIds.customerPayment(ref), { type: 'customerPayment', ref });
  }
  return stack.sandbox
    .createdSince(since)
    .flatMap((e) => (e.externalId !== undefined && byEid.has(e.externalId) ? [byEid.get(e.externalId)!] : []));
}

describe('task priority', () => {
  it('puts live orders ahead of a backfill handed over before them', async () => {
    stack.sandbox.setLatency({ medianMs: 10, p99Ms: 20 });
    try {
      const bulk = refNos(20);
      const live = refNos(4);
      const since = stack.sandbox.createdSince(0).at(-1)?.seq ?? 0;
      // The backfill hands over through the same handover as the gateway, with its own source.
      const handover = createSyncHandover({
        client: stack.env.client,
        policy: { idleClose: '1h' },
        taskQueue: stack.queues.workflows,
        activityQueues: { netsuite: stack.queues.netsuite, netsuiteMoney: stack.queues.netsuiteMoney },
      });
      const event = (ref: string) => ipnToOrderEvent(parseForm(signedIpn(cardOrder(ref, 'COMPLETE'), SECRET_KEY)));
      await Promise.all(bulk.map((ref) => handover.deliverOrderEvent(event(ref), 'backfill')));
      await postAll(
        stack,
        live.map((ref) => cardOrder(ref, 'COMPLETE')),
      );
      await waitAllSynced(stack, [...bulk, ...live], 'payment', 120_000);

      const payments = ledger(since, [...bulk, ...live])
        .filter((e) => e.type === 'customerPayment')
        .map((e) => e.ref);
      const lastLive = Math.max(...live.map((ref) => payments.indexOf(ref)));
      // FIFO would pay the live orders after the 20 backfilled ones; live first pays them early.
      expect(payments.slice(lastLive + 1).filter((ref) => bulk.includes(ref)).length).toBeGreaterThanOrEqual(
        bulk.length / 2,
      );
      expect(stack.sandbox.duplicates()).toEqual({
        customersByEmail: [],
        transactionsByRefNo: [],
        moneyRecordsByKey: [],
      });
    } finally {
      stack.sandbox.setLatency(undefined);
    }
  });
});
