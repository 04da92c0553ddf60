// How the adaptive limit finds an account limit that does not move, and finds room again when
// another integration frees slots: counted in requests, no timers (netsuite/limiter.ts).
import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter } from '../../netsuite/limiter.js';

/**
 * Drives the limiter like a NetSuite account that accepts `accountLimit` requests at once: keeps
 * every slot busy, and refuses (reports a 429 for) each request that starts above the account limit.
 * Returns how many requests were refused.
 */
async function load(limiter: AdaptiveLimiter, accountLimit: () => number, requests: number): Promise<number> {
  let inFlight = 0;
  let refused = 0;
  const one = () =>
    limiter.run(async (permit) => {
      inFlight += 1;
      const over = inFlight > accountLimit();
      // Requests that start in the same turn of the event loop overlap, like concurrent HTTP calls.
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (over) {
        refused += 1;
        permit.reportConcurrencyLimit();
      }
    });
  // More demand than any limit: the limiter decides how many run.
  const lanes = Array.from({ length: limiter.max * 2 }, async (_, lane) => {
    for (let i = lane; i < requests; i += limiter.max * 2) await one();
  });
  await Promise.all(lanes);
  return refused;
}

describe('adaptive limit against a fixed account limit', () => {
  it('settles at the account limit, probing the refused level less and less often', async () => {
    const limiter = new AdaptiveLimiter({ max: 8, probeAfter: 16, maxProbeAfter: 256 });
    const refusedEarly = await load(limiter, () => 3, 400);
    expect(limiter.snapshot()).toMatchObject({ limit: 3, ceiling: 4 });
    expect(refusedEarly).toBeGreaterThan(0);
    const probeAfter = limiter.snapshot().probeAfter;
    expect(probeAfter).toBeGreaterThan(16);

    // Later on, refusals get rare: at most one probe per `probeAfter` successes.
    const refusedLater = await load(limiter, () => 3, 2_000);
    expect(refusedLater).toBeLessThanOrEqual(Math.ceil(2_000 / probeAfter) * limiter.max);
    expect(refusedLater).toBeLessThan(refusedEarly * 4);
    expect(limiter.snapshot().probeAfter).toBeLessThanOrEqual(256);
    expect(limiter.limit).toBeLessThanOrEqual(3);
  });

  it('grows past the old ceiling once the account has room again', async () => {
    const limiter = new AdaptiveLimiter({ max: 6, probeAfter: 8 });
    let account = 2;
    await load(limiter, () => account, 200);
    expect(limiter.limit).toBe(2);
    account = 6;
    await load(limiter, () => account, 400);
    expect(limiter.snapshot()).toMatchObject({ limit: 6, ceiling: null });
  });
});
