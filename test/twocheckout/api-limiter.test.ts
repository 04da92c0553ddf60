// Our own pace for the 2Checkout API (no published limit): at most `concurrency` calls in flight,
// at most `ratePerSecond` starts per second, and a pause after a 429.
import { describe, expect, it } from 'vitest';
import { ApiRateLimiter } from '../../twocheckout/rest/limiter.js';

function fakeClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    get t() {
      return t;
    },
  };
}

describe('ApiRateLimiter', () => {
  it('spreads call starts at the configured rate', async () => {
    const clock = fakeClock();
    const limiter = new ApiRateLimiter({ ratePerSecond: 2, concurrency: 10, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    for (let i = 0; i < 6; i++) await limiter.run(async () => void starts.push(clock.t));
    // a burst of 2 (one second's worth), then one every 500 ms
    expect(starts).toEqual([0, 0, 500, 1000, 1500, 2000]);
  });

  it('never has more than `concurrency` calls in flight', async () => {
    const limiter = new ApiRateLimiter({ ratePerSecond: 1000, concurrency: 2 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it('pauses every start after a 429', async () => {
    const clock = fakeClock();
    const limiter = new ApiRateLimiter({ ratePerSecond: 100, concurrency: 1, now: clock.now, sleep: clock.sleep });
    limiter.pause(3_000);
    let startedAt = -1;
    await limiter.run(async () => void (startedAt = clock.t));
    expect(startedAt).toBe(3_000);
  });
});
