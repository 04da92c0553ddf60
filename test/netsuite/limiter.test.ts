// The adaptive limiter, driven step by step with tasks the test finishes by hand: no timers.
import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter, type LimiterPermit, type LimiterPriority } from '../../netsuite/limiter.js';

interface Task {
  name: string;
  permit?: LimiterPermit;
  finish(): void;
  fail(): void;
  done: Promise<unknown>;
}

/** Lets queued microtasks (slot hand-overs) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

function harness(limiter: AdaptiveLimiter) {
  const started: string[] = [];
  let running = 0;
  let maxRunning = 0;
  function submit(name: string, priority: LimiterPriority = 'bulk', priorityKey?: number): Task {
    let finish!: () => void;
    let fail!: () => void;
    const task: Task = { name, finish: () => finish(), fail: () => fail(), done: Promise.resolve() };
    task.done = limiter
      .run(
        (permit) => {
          task.permit = permit;
          started.push(name);
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          return new Promise<void>((resolve, reject) => {
            finish = () => {
              running -= 1;
              resolve();
            };
            fail = () => {
              running -= 1;
              reject(new Error(`${name} failed`));
            };
          });
        },
        priority,
        priorityKey === undefined ? {} : { priorityKey },
      )
      .catch((e: unknown) => e);
    return task;
  }
  return { submit, started, maxRunning: () => maxRunning };
}

/** Runs `n` successful tasks, each started with every slot in use (the others held by blockers). */
async function succeedAtFullUse(limiter: AdaptiveLimiter, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    const blockers: Array<() => void> = [];
    const held = Array.from({ length: limiter.limit - 1 }, () =>
      limiter.run(() => new Promise<void>((resolve) => blockers.push(resolve))),
    );
    await limiter.run(async () => undefined);
    for (const release of blockers) release();
    await Promise.all(held);
  }
}

/** Runs `n` tasks one after another to completion, each a success. */
async function succeed(limiter: AdaptiveLimiter, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await limiter.run(async () => undefined);
}

describe('AdaptiveLimiter', () => {
  it('never runs more than the limit at once, and starts queued work as slots free up', async () => {
    const limiter = new AdaptiveLimiter({ max: 3 });
    const h = harness(limiter);
    const tasks = Array.from({ length: 8 }, (_, i) => h.submit(`t${i}`));
    await settle();
    expect(h.started).toEqual(['t0', 't1', 't2']);
    expect(limiter.snapshot()).toMatchObject({ inFlight: 3, queuedBulk: 5 });

    for (const t of tasks) {
      t.finish();
      await settle();
    }
    await Promise.all(tasks.map((t) => t.done));
    expect(h.started).toEqual(tasks.map((t) => t.name));
    expect(h.maxRunning()).toBe(3);
    expect(limiter.snapshot()).toMatchObject({ inFlight: 0, queuedBulk: 0, peakInFlight: 3 });
  });

  it('starts queued money before queued bulk, FIFO within each lane', async () => {
    const limiter = new AdaptiveLimiter({ max: 1 });
    const h = harness(limiter);
    const blocker = h.submit('blocker');
    await settle();
    const queued = [
      h.submit('order-1'),
      h.submit('order-2'),
      h.submit('payment-1', 'money'),
      h.submit('order-3'),
      h.submit('refund-1', 'money'),
    ];
    await settle();
    expect(limiter.snapshot()).toMatchObject({ queuedMoney: 2, queuedBulk: 3 });

    blocker.finish();
    for (let i = 0; i < queued.length; i += 1) {
      await settle();
      const current = queued.find((t) => t.name === h.started.at(-1));
      current?.finish();
    }
    await Promise.all(queued.map((t) => t.done));
    expect(h.started).toEqual(['blocker', 'payment-1', 'refund-1', 'order-1', 'order-2', 'order-3']);
  });

  it('starts queued work by Temporal priority key first, then money before bulk, then in arrival order', async () => {
    const limiter = new AdaptiveLimiter({ max: 1 });
    const h = harness(limiter);
    const blocker = h.submit('blocker');
    await settle();
    // What a worker holds during a backfill when live orders arrive (workflows/priority.ts keys):
    // bulk first steps 5, bulk later steps 4, live first steps 2, live later steps 1; no key = 3.
    const queued = [
      h.submit('backfill-customer', 'bulk', 5),
      h.submit('backfill-payment', 'money', 4),
      h.submit('backfill-invoice', 'bulk', 4),
      h.submit('live-customer', 'bulk', 2),
      h.submit('payout-no-key', 'money'),
      h.submit('live-invoice', 'bulk', 1),
      h.submit('live-payment', 'money', 1),
      h.submit('live-customer-2', 'bulk', 2),
      h.submit('sweep-no-key', 'bulk'),
      h.submit('unset-key-0', 'bulk', 0),
    ];
    await settle();
    expect(limiter.snapshot()).toMatchObject({ queuedMoney: 3, queuedBulk: 7 });

    blocker.finish();
    for (let i = 0; i < queued.length; i += 1) {
      await settle();
      queued.find((t) => t.name === h.started.at(-1))?.finish();
    }
    await Promise.all(queued.map((t) => t.done));
    expect(h.started).toEqual([
      'blocker',
      'live-payment',
      'live-invoice',
      'live-customer',
      'live-customer-2',
      'payout-no-key',
      'sweep-no-key',
      'unset-key-0',
      'backfill-payment',
      'backfill-invoice',
      'backfill-customer',
    ]);
    expect(limiter.snapshot()).toMatchObject({ inFlight: 0, queuedMoney: 0, queuedBulk: 0 });
  });

  it('lets a live call queued after a backlog of backfill calls take the next free slot', async () => {
    const limiter = new AdaptiveLimiter({ max: 2 });
    const h = harness(limiter);
    const running = [h.submit('backfill-0', 'bulk', 5), h.submit('backfill-1', 'bulk', 5)];
    const backlog = Array.from({ length: 8 }, (_, i) => h.submit(`backfill-${i + 2}`, 'bulk', 5));
    await settle();
    const live = h.submit('live', 'bulk', 2);
    await settle();
    running[0]!.finish();
    await settle();
    expect(h.started.at(-1)).toBe('live');
    for (const t of [running[1]!, live, ...backlog]) {
      t.finish();
      await settle();
    }
    await Promise.all([...running, live, ...backlog].map((t) => t.done));
    expect(h.started).toHaveLength(11);
  });

  it('shrinks the limit on a 429, grows back quickly below the refused level, and probes that level only after a long run', async () => {
    const limiter = new AdaptiveLimiter({ max: 10, probeAfter: 20 });
    expect(limiter.onConcurrencyLimit()).toBe(true);
    expect(limiter.snapshot()).toMatchObject({ limit: 7, decreases: 1, ceiling: 10 });

    // Additive increase: `limit` consecutive successes with every slot in use → +1.
    await succeedAtFullUse(limiter, 6);
    expect(limiter.limit).toBe(7);
    await succeedAtFullUse(limiter, 1);
    expect(limiter.limit).toBe(8);
    await succeedAtFullUse(limiter, 8);
    expect(limiter.limit).toBe(9);
    // 10 was refused: it is tried again only after `probeAfter` successes.
    await succeedAtFullUse(limiter, 19);
    expect(limiter.limit).toBe(9);
    await succeedAtFullUse(limiter, 1);
    expect(limiter.limit).toBe(10);
    await succeedAtFullUse(limiter, 50);
    expect(limiter.snapshot()).toMatchObject({ limit: 10, increases: 3, decreases: 1 });
  });

  it('does not grow on successes of requests that started with slots to spare', async () => {
    const limiter = new AdaptiveLimiter({ max: 4, initial: 2 });
    await succeed(limiter, 50);
    expect(limiter.snapshot()).toMatchObject({ limit: 2, increases: 0 });
  });

  it('decreases at most once for a burst of 429s from requests started before the decrease', async () => {
    const limiter = new AdaptiveLimiter({ max: 10 });
    const h = harness(limiter);
    const burst = Array.from({ length: 5 }, (_, i) => h.submit(`b${i}`));
    await settle();

    for (const t of burst) t.permit?.reportConcurrencyLimit();
    expect(limiter.snapshot()).toMatchObject({ limit: 7, decreases: 1 });

    // Their completions say nothing about the new limit either.
    for (const t of burst) t.finish();
    await Promise.all(burst.map((t) => t.done));
    expect(limiter.snapshot()).toMatchObject({ limit: 7, increases: 0 });

    // A request started after the decrease that is refused again is a new signal.
    const later = h.submit('later');
    await settle();
    later.permit?.reportConcurrencyLimit();
    later.finish();
    await later.done;
    expect(limiter.snapshot()).toMatchObject({ limit: 4, decreases: 2 });
  });

  it('does not count a refused or failed task as a success', async () => {
    const limiter = new AdaptiveLimiter({ max: 4, initial: 1 });
    const h = harness(limiter);
    const failing = h.submit('boom');
    await settle();
    failing.fail();
    expect(await failing.done).toBeInstanceOf(Error);
    expect(limiter.snapshot()).toMatchObject({ limit: 1, increases: 0, inFlight: 0 });
    await succeed(limiter, 1);
    expect(limiter.limit).toBe(2);
  });

  it('never goes below min, however many 429s arrive', async () => {
    const limiter = new AdaptiveLimiter({ max: 5, min: 2 });
    for (let i = 0; i < 10; i += 1) limiter.onConcurrencyLimit();
    expect(limiter.snapshot()).toMatchObject({ limit: 2, decreases: 2 });
    const floor = new AdaptiveLimiter({ max: 3 });
    for (let i = 0; i < 10; i += 1) floor.onConcurrencyLimit();
    expect(floor.limit).toBe(1);
  });

  it('holds new work back until in-flight work drops below a shrunken limit', async () => {
    const limiter = new AdaptiveLimiter({ max: 4 });
    const h = harness(limiter);
    const first = [h.submit('a'), h.submit('b'), h.submit('c'), h.submit('d')];
    await settle();
    first[0]?.permit?.reportConcurrencyLimit(); // 4 → 2
    const next = h.submit('e');
    first[0]?.finish();
    first[1]?.finish();
    await settle();
    expect(h.started).not.toContain('e'); // still 2 in flight, limit 2
    first[2]?.finish();
    await settle();
    expect(h.started).toContain('e');
    first[3]?.finish();
    next.finish();
    await Promise.all([...first, next].map((t) => t.done));
  });

  it('removes a queued task whose signal aborts, leaving the others queued', async () => {
    const limiter = new AdaptiveLimiter({ max: 1 });
    const h = harness(limiter);
    const blocker = h.submit('blocker');
    await settle();
    const controller = new AbortController();
    const cancelled = limiter
      .run(async () => 'ran', 'money', { signal: controller.signal, priorityKey: 1 })
      .catch((e: unknown) => e);
    const kept = limiter.run(async () => 'ran', 'bulk', { priorityKey: 5 });
    controller.abort(new Error('cancelled'));
    expect(((await cancelled) as Error).message).toBe('cancelled');
    expect(limiter.snapshot()).toMatchObject({ queuedMoney: 0, queuedBulk: 1 });
    blocker.finish();
    expect(await kept).toBe('ran');
    expect(limiter.snapshot()).toMatchObject({ inFlight: 0, queuedMoney: 0, queuedBulk: 0 });
  });

  it('rejects impossible settings', () => {
    expect(() => new AdaptiveLimiter({ max: 0 })).toThrow(/max/);
    expect(() => new AdaptiveLimiter({ max: 3, min: 4 })).toThrow(/min/);
    expect(() => new AdaptiveLimiter({ max: 3, initial: 5 })).toThrow(/initial/);
    expect(() => new AdaptiveLimiter({ max: 3, decreaseFactor: 1 })).toThrow(/decreaseFactor/);
  });
});

describe('AdaptiveLimiter: live first (the live reserve)', () => {
  it('while live calls are recent, bulk calls leave the reserve free, so a live call starts at once', async () => {
    let now = 1_000;
    const limiter = new AdaptiveLimiter({ max: 5, liveReserve: 2, liveWindowMs: 5_000, now: () => now });
    const h = harness(limiter);
    // No live call yet: a backfill may use every slot.
    const early = Array.from({ length: 5 }, (_, i) => h.submit(`bulk-${i}`, 'bulk', 4));
    await settle();
    expect(limiter.snapshot().inFlight).toBe(5);
    for (const t of early) t.finish();
    await Promise.all(early.map((t) => t.done));

    // A live order's call: from now on (5 s) bulk holds at most 5 − 2 slots.
    const live = h.submit('live-customer', 'bulk', 2);
    await settle();
    const bulk = Array.from({ length: 6 }, (_, i) => h.submit(`later-bulk-${i}`, 'bulk', 5));
    await settle();
    expect(limiter.snapshot()).toMatchObject({ inFlight: 4, queuedBulk: 3 });
    // A second live call arrives while bulk waits: the reserve's free slot is its own.
    const live2 = h.submit('live-invoice', 'bulk', 1);
    await settle();
    expect(h.started.at(-1)).toBe('live-invoice');
    expect(limiter.snapshot().inFlight).toBe(5);
    // Unkeyed calls (payouts, sweeps) are neither: they are not held back.
    live.finish();
    live2.finish();
    await settle();
    expect(limiter.snapshot()).toMatchObject({ inFlight: 3, queuedBulk: 3 });

    // Once the live window has passed, bulk takes every slot again.
    now += 5_001;
    bulk[0]!.finish();
    await settle();
    expect(limiter.snapshot()).toMatchObject({ inFlight: 5, queuedBulk: 0 });
    for (const t of bulk) t.finish();
    await Promise.all([...bulk, live, live2].map((t) => t.done));
    expect(limiter.snapshot().bulkHeldForLive).toBeGreaterThan(0);
  });

  it('a bulk call held back by the reserve starts by itself when the live window ends', async () => {
    const limiter = new AdaptiveLimiter({ max: 2, liveReserve: 1, liveWindowMs: 30 });
    const h = harness(limiter);
    const live = h.submit('live', 'bulk', 2);
    await settle();
    live.finish();
    await live.done;
    const b1 = h.submit('bulk-1', 'bulk', 4);
    const b2 = h.submit('bulk-2', 'bulk', 4);
    await settle();
    expect(h.started).toEqual(['live', 'bulk-1']);
    await new Promise((r) => setTimeout(r, 60));
    await settle();
    expect(h.started).toEqual(['live', 'bulk-1', 'bulk-2']);
    b1.finish();
    b2.finish();
    await Promise.all([b1.done, b2.done]);
    limiter.close();
  });

  it('never holds the last slot back: with one slot a backfill still moves', async () => {
    const limiter = new AdaptiveLimiter({ max: 1, liveReserve: 1 });
    const h = harness(limiter);
    const live = h.submit('live', 'bulk', 1);
    await settle();
    live.finish();
    await live.done;
    const b = h.submit('bulk', 'bulk', 4);
    await settle();
    expect(h.started).toEqual(['live', 'bulk']);
    b.finish();
    await b.done;
    limiter.close();
  });
});
