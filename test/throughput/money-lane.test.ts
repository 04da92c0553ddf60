// Payments are not starved by a backlog of new orders: they run on their own task queue
// (`netsuite-money`) and jump the limiter's bulk queue. Checked by order of events, never by time.
import { describe, expect, it } from 'vitest';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { externalIds } from '../../mappings/ids.js';
import { useTestStack } from '../support/stack.js';
import { countByRef, postAll, refNos, waitAllSynced } from './support.js';

const LIMIT = 2;

const stack = useTestStack({ concurrencyLimit: LIMIT, workerConcurrency: LIMIT });

describe('money lane', () => {
  it('a money request queued behind bulk requests is served before them', async () => {
    // Constant latency, so the order of completion is the order of start.
    stack.sandbox.setLatency({ medianMs: 40, p99Ms: 40 });
    try {
      const finished: string[] = [];
      const call = (name: string, priority: 'bulk' | 'money') =>
        stack.netsuite.get('currency', '1', { priority }).then(() => {
          finished.push(name);
        });
      const bulk = Array.from({ length: 10 }, (_, i) => call(`bulk-${i}`, 'bulk'));
      // Two bulk calls hold both slots and eight wait when the payment arrives.
      expect(stack.limiter.snapshot()).toMatchObject({ inFlight: LIMIT, queuedBulk: 10 - LIMIT });
      const money = call('money', 'money');
      await Promise.all([...bulk, money]);

      // FIFO would finish it last (index 10); the money lane starts it with the first free slot.
      expect(finished.indexOf('money')).toBeLessThanOrEqual(LIMIT + 1);
      expect(finished.filter((n) => n.startsWith('bulk')).length).toBe(10);
    } finally {
      stack.sandbox.setLatency(undefined);
    }
  });

  it('under a burst of new orders, payments are posted while invoices of later orders still wait', async () => {
    stack.sandbox.setLatency({ medianMs: 15, p99Ms: 30 });
    try {
      const refs = refNos(24);
      const startSeq = stack.sandbox.createdSince(0).at(-1)?.seq ?? 0;
      await postAll(
        stack,
        refs.map((ref) => cardOrder(ref, 'COMPLETE')),
      );
      await waitAllSynced(stack, refs, 'payment', 120_000);

      const created = stack.sandbox.createdSince(startSeq);
      const ours = new Set(refs.flatMap((r) => [externalIds.invoice(r), externalIds.customerPayment(r)]));
      const sequence = created.filter((e) => e.externalId !== undefined && ours.has(e.externalId)).map((e) => e.type);
      expect(sequence.filter((t) => t === 'customerPayment')).toHaveLength(refs.length);
      // Without the money lane, each payment would queue behind every invoice already scheduled,
      // so all 24 invoices would exist before the first payment.
      const firstPayment = sequence.indexOf('customerPayment');
      const invoicesAfterFirstPayment = sequence.slice(firstPayment).filter((t) => t === 'invoice').length;
      expect(invoicesAfterFirstPayment).toBeGreaterThanOrEqual(refs.length / 2);

      for (const type of ['salesOrder', 'invoice', 'customerPayment'] as const)
        expect(countByRef(stack, type, refs)).toEqual(refs.map(() => 1));
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
