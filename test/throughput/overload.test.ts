// A worker configured for more concurrency than the NetSuite account allows (6 against a limit of
// 2): NetSuite answers 429s, the limiter shrinks to what the account takes, and every order still
// syncs exactly once — no parked sync, no duplicate, nothing lost.
import { beforeAll, describe, expect, it } from 'vitest';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { useTestStack } from '../support/stack.js';
import { countByRef, postAll, refNos, waitAllSynced } from './support.js';

const ACCOUNT_LIMIT = 2;
const WORKER_CONCURRENCY = 6;
const ORDERS = 30;

const stack = useTestStack({ concurrencyLimit: ACCOUNT_LIMIT, workerConcurrency: WORKER_CONCURRENCY });
beforeAll(() => stack.sandbox.setLatency({ medianMs: 20, p99Ms: 60 }));

describe('worker concurrency above the account limit', () => {
  it('gets 429s, retries them, and syncs every order exactly once; the adaptive limit settles at or under the account limit', async () => {
    const refs = refNos(ORDERS);
    await postAll(
      stack,
      refs.map((ref) => cardOrder(ref, 'COMPLETE')),
    );
    const states = await waitAllSynced(stack, refs, 'payment', 120_000);

    const stats = stack.sandbox.stats();
    expect(stats.rejected429).toBeGreaterThan(0);
    // Exactly once: one sales order, invoice and payment per order, no twin of anything.
    for (const type of ['salesOrder', 'invoice', 'customerPayment'] as const)
      expect(countByRef(stack, type, refs)).toEqual(refs.map(() => 1));
    expect(stack.sandbox.duplicates()).toEqual({
      customersByEmail: [],
      transactionsByRefNo: [],
      moneyRecordsByKey: [],
    });
    // No sync parked or skipped a step because of a 429.
    expect(states.filter((s) => s.park !== undefined || s.skippedSteps.length > 0)).toEqual([]);
    expect(stats.peakInFlight).toBeLessThanOrEqual(ACCOUNT_LIMIT);
    // Accepted calls are exactly what the orders need: a refused request did nothing in NetSuite.
    const accepted = Object.values(stats.callsByKind).reduce((a, b) => a + b, 0);
    expect(accepted).toBe(5 * ORDERS);
    expect(stats.totalCalls).toBe(accepted + stats.rejected429);

    const limiter = stack.limiter.snapshot();
    expect(limiter.decreases).toBeGreaterThan(0);
    // Settled at or under the account limit — or, at the moment the run ends, probing the level
    // NetSuite refused last (after a run of successes it tries that level again; it cannot hold
    // there, because the account refuses it, so the ceiling stays recorded).
    expect(
      limiter.limit <= ACCOUNT_LIMIT || (limiter.ceiling === limiter.limit && limiter.limit === ACCOUNT_LIMIT + 1),
      `limit ${limiter.limit}, ceiling ${limiter.ceiling}`,
    ).toBe(true);
    expect(stack.netsuite.stats().rejected429).toBe(stats.rejected429);
  });
});
