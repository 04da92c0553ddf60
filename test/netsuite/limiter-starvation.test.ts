// The starvation a chaos run found: two 429s took a worker's NetSuite limit from 4 to 1, only long
// runs of successes grew it back, and a hanging request then held the only slot for the whole
// client timeout. With netsuiteLimiter (what workers use) the limit keeps a floor, grows back by
// time, and a slow call gives its slot to the next request. Fake timers stand in for the clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveLimiter, netsuiteLimiter } from '../../netsuite/limiter.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** A task that runs until the test ends it (or forever: a hang). */
function hanging(limiter: AdaptiveLimiter, started: string[], name: string) {
  let finish!: () => void;
  const done = limiter.run(
    () =>
      new Promise<void>((resolve) => {
        started.push(name);
        finish = resolve;
      }),
  );
  return { done, finish: () => finish() };
}

describe('NetSuite limiter under a slow, overloaded account', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a floor: 429s never shrink a worker below half its share', () => {
    const limiter = netsuiteLimiter(4);
    for (let i = 0; i < 10; i += 1) limiter.onConcurrencyLimit();
    expect(limiter.limit).toBe(2);
    limiter.close();
  });

  it('grows back by time without a 429, even with no successes at full use', async () => {
    const limiter = netsuiteLimiter(4, { recoverAfterMs: 10_000 });
    limiter.onConcurrencyLimit();
    expect(limiter.limit).toBe(2);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(limiter.limit).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(limiter.limit).toBe(3);
    // 4 was refused: it is probed only after probeAfter/base (here 1) more periods.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(limiter.snapshot()).toMatchObject({ limit: 4, timedIncreases: 2 });
    // A new 429 restarts the clock.
    limiter.onConcurrencyLimit();
    await vi.advanceTimersByTimeAsync(5_000);
    limiter.onConcurrencyLimit();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(limiter.limit).toBe(2);
    limiter.close();
  });

  it('a hanging call stops holding a slot after slowCallMs, so queued requests run', async () => {
    const limiter = netsuiteLimiter(4, { slowCallMs: 30_000 });
    limiter.onConcurrencyLimit(); // 4 → 2
    const started: string[] = [];
    hanging(limiter, started, 'hang-1');
    hanging(limiter, started, 'hang-2');
    const queued = [hanging(limiter, started, 'a'), hanging(limiter, started, 'b')];
    await settle();
    expect(started).toEqual(['hang-1', 'hang-2']);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(started).toEqual(['hang-1', 'hang-2', 'a', 'b']);
    expect(limiter.snapshot()).toMatchObject({ slowReleased: 2, inFlight: 2 });
    for (const q of queued) q.finish();
    await Promise.all(queued.map((q) => q.done));
    expect(limiter.snapshot().inFlight).toBe(0);
    limiter.close();
  });

  it('a slow call that finishes after giving up its slot frees nothing twice', async () => {
    const limiter = new AdaptiveLimiter({ max: 1, slowCallMs: 1_000 });
    const started: string[] = [];
    const slow = hanging(limiter, started, 'slow');
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    const next = hanging(limiter, started, 'next');
    await settle();
    slow.finish();
    await slow.done;
    expect(limiter.snapshot().inFlight).toBe(1);
    const third = hanging(limiter, started, 'third');
    await settle();
    expect(started).toEqual(['slow', 'next']); // 'third' waits: the limit is 1 and 'next' holds it
    next.finish();
    await next.done;
    await settle();
    expect(started).toEqual(['slow', 'next', 'third']);
    third.finish();
    await third.done;
  });

  it('the old event-only limiter starves: limit 1 and a hang hold everything (what the chaos run saw)', async () => {
    const limiter = new AdaptiveLimiter({ max: 4 });
    limiter.onConcurrencyLimit();
    limiter.onConcurrencyLimit();
    expect(limiter.limit).toBe(1);
    const started: string[] = [];
    hanging(limiter, started, 'hang');
    hanging(limiter, started, 'queued');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(started).toEqual(['hang']);
    expect(limiter.limit).toBe(1);
  });
});
