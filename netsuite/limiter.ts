// A process-wide concurrency limiter for NetSuite requests (docs/reference-notes.md#ns-errors): it
// keeps the account's concurrency budget full without tripping it (AIMD), starts queued requests in
// Temporal-priority then money-before-bulk order, and keeps one slow account from starving the
// process. The rules, their reasons and the options: netsuite/README.md, "Retries and concurrency".

export type LimiterPriority = 'money' | 'bulk';

/** Temporal's priority key for a task that sets none (the middle of its default range 1–5). */
export const DEFAULT_PRIORITY_KEY = 3;

export interface LimiterRunOptions {
  /** Aborting removes a still-queued task (and rejects with the signal's reason). */
  signal?: AbortSignal;
  /** The caller's Temporal task priority key: smaller goes first; missing, 0 or invalid = DEFAULT_PRIORITY_KEY. */
  priorityKey?: number;
}

export interface AdaptiveLimiterOptions {
  /** Upper bound: the concurrency budget this process may use (e.g. NETSUITE_CONCURRENCY / workers). */
  max: number;
  /** Lower bound the limit never drops below (default 1). */
  min?: number;
  /** Starting limit (default `max`). */
  initial?: number;
  /** Multiplicative decrease on a 429 (default 0.7). */
  decreaseFactor?: number;
  /** Successes at full use before the refused level is tried again (default 32; doubles per refused probe). */
  probeAfter?: number;
  /** Upper bound of that run (default 2048). */
  maxProbeAfter?: number;
  /** Grow the limit by one after this long without a 429 (default: only successes grow it). */
  recoverAfterMs?: number;
  /** A request running longer than this gives its slot to the next one (default: never). */
  slowCallMs?: number;
  /**
   * Live first (workflows/priority.ts): while a live call (priority key 1–2) started within
   * `liveWindowMs`, bulk calls (key 4–5) may hold at most `limit − liveReserve` slots (at least one),
   * so a live call finds a free slot instead of waiting for bulk calls to end, and bulk work leaves
   * the worker and Temporal some room. Default 0: no reserve.
   */
  liveReserve?: number;
  /** How long after the last live call the reserve holds (default 5 s). */
  liveWindowMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** Priority keys of live steps (workflows/priority.ts: 1 and 2) and of bulk steps (4 and 5). */
const isLiveKey = (key: number | undefined): boolean => key !== undefined && key >= 1 && key <= 2;
const isBulkKey = (key: number | undefined): boolean => key !== undefined && key >= 4;

/**
 * The limiter a worker process uses for its share `max` of the account's NetSuite concurrency:
 * floor at half the share, recovery after 10 s without a 429, and a call slower than 30 s stops
 * holding a slot. (NetSuite lets one request run for up to 15 minutes; most take well under a
 * second, so 30 s is far in the tail while still short next to the client's timeout.)
 */
export function netsuiteLimiter(max: number, overrides: Partial<AdaptiveLimiterOptions> = {}): AdaptiveLimiter {
  return new AdaptiveLimiter({
    max,
    min: Math.max(1, Math.ceil(max / 2)),
    recoverAfterMs: 10_000,
    slowCallMs: 30_000,
    liveReserve: liveReserveFor(max),
    ...overrides,
  });
}

/**
 * Share of a process's slots bulk calls leave free while live calls run (rounded up): half. Less left
 * live orders waiting behind the backfill's load on Temporal (docs/performance.md, "Live first").
 */
export const LIVE_RESERVE_SHARE = 0.5;

export function liveReserveFor(max: number): number {
  return Math.ceil(max * LIVE_RESERVE_SHARE);
}

export interface LimiterSnapshot {
  limit: number;
  inFlight: number;
  queuedMoney: number;
  queuedBulk: number;
  peakInFlight: number;
  decreases: number;
  increases: number;
  /** The limit that NetSuite refused last and that has not held since (null: none known). */
  ceiling: number | null;
  /** Successes at full use needed before that level is tried again. */
  probeAfter: number;
  /** Increases that came from time without a 429 (recoverAfterMs), included in `increases`. */
  timedIncreases: number;
  /** Requests that ran past slowCallMs and gave up their slot while still running. */
  slowReleased: number;
  /** Times a bulk call waited for a free slot only because of the live reserve. */
  bulkHeldForLive: number;
}

/** What a running task holds: which window it started in, and how to report a 429. */
export interface LimiterPermit {
  /** The window (count of decreases so far) in which this task started. */
  readonly window: number;
  /** NetSuite answered this task's request with 429: shrink the limit (once per window). */
  reportConcurrencyLimit(): void;
}

interface Waiter {
  /** `atFullUse`: every slot is in use once this one is taken. */
  start: (atFullUse: boolean) => void;
  bulk: boolean;
}

/** Queue order of a waiter: by priority key, then money before bulk (FIFO within one rank). */
function rankOf(priority: LimiterPriority, priorityKey: number | undefined): number {
  const key =
    priorityKey !== undefined && Number.isInteger(priorityKey) && priorityKey > 0 ? priorityKey : DEFAULT_PRIORITY_KEY;
  return key * 2 + (priority === 'money' ? 0 : 1);
}

export class AdaptiveLimiter {
  readonly max: number;
  readonly min: number;
  private readonly decreaseFactor: number;
  private readonly baseProbeAfter: number;
  private readonly maxProbeAfter: number;
  private probeAfter: number;
  private ceiling: number | undefined;
  private currentLimit: number;
  private inFlight = 0;
  private peakInFlight = 0;
  private decreases = 0;
  private increases = 0;
  /** Successes of tasks started in the current window since the last change of the limit. */
  private successStreak = 0;
  private window = 0;
  /** Waiters by rank (rankOf), FIFO in each; only non-empty queues are kept. */
  private readonly queued = new Map<number, Waiter[]>();
  private queuedMoney = 0;
  private queuedBulk = 0;
  private readonly recoverAfterMs: number | undefined;
  private readonly slowCallMs: number | undefined;
  private recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  private timedIncreases = 0;
  private slowReleased = 0;
  private readonly liveReserve: number;
  private readonly liveWindowMs: number;
  private readonly now: () => number;
  private lastLiveAt = Number.NEGATIVE_INFINITY;
  /** Bulk calls that hold a slot now. */
  private bulkInFlight = 0;
  private bulkHeldForLive = 0;
  private reserveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: AdaptiveLimiterOptions) {
    const min = opts.min ?? 1;
    if (!Number.isInteger(opts.max) || opts.max < 1)
      throw new RangeError(`AdaptiveLimiter: max must be an integer ≥ 1, got ${opts.max}`);
    if (!Number.isInteger(min) || min < 1 || min > opts.max)
      throw new RangeError(`AdaptiveLimiter: min must be an integer in 1..max, got ${min}`);
    const initial = opts.initial ?? opts.max;
    if (!Number.isInteger(initial) || initial < min || initial > opts.max) {
      throw new RangeError(`AdaptiveLimiter: initial must be an integer in min..max, got ${initial}`);
    }
    const factor = opts.decreaseFactor ?? 0.7;
    if (!(factor > 0 && factor < 1))
      throw new RangeError(`AdaptiveLimiter: decreaseFactor must be in (0, 1), got ${factor}`);
    const probeAfter = opts.probeAfter ?? 32;
    const maxProbeAfter = opts.maxProbeAfter ?? Math.max(2048, probeAfter);
    if (!Number.isInteger(probeAfter) || probeAfter < 1)
      throw new RangeError(`AdaptiveLimiter: probeAfter must be an integer ≥ 1, got ${probeAfter}`);
    if (!Number.isInteger(maxProbeAfter) || maxProbeAfter < probeAfter)
      throw new RangeError(`AdaptiveLimiter: maxProbeAfter must be an integer ≥ probeAfter, got ${maxProbeAfter}`);
    this.max = opts.max;
    this.min = min;
    this.currentLimit = initial;
    this.decreaseFactor = factor;
    this.baseProbeAfter = probeAfter;
    this.maxProbeAfter = maxProbeAfter;
    this.probeAfter = probeAfter;
    for (const [name, v] of [
      ['recoverAfterMs', opts.recoverAfterMs],
      ['slowCallMs', opts.slowCallMs],
    ] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v > 0))
        throw new RangeError(`AdaptiveLimiter: ${name} must be a positive number of milliseconds, got ${v}`);
    }
    this.recoverAfterMs = opts.recoverAfterMs;
    this.slowCallMs = opts.slowCallMs;
    const reserve = opts.liveReserve ?? 0;
    if (!Number.isInteger(reserve) || reserve < 0)
      throw new RangeError(`AdaptiveLimiter: liveReserve must be an integer ≥ 0, got ${reserve}`);
    this.liveReserve = reserve;
    this.liveWindowMs = opts.liveWindowMs ?? 5_000;
    this.now = opts.now ?? Date.now;
    if (this.currentLimit < this.max) this.scheduleRecovery();
  }

  get limit(): number {
    return this.currentLimit;
  }

  /**
   * Runs `fn` once a slot is free. A task that resolves counts as a success (towards growing the
   * limit, if it started with every slot in use) unless it reported a 429 through its permit; a task
   * that rejects counts as neither.
   * Queued tasks start by `opts.priorityKey`, then `priority` lane, then arrival.
   * An aborted `signal` removes a still-queued task and rejects with the signal's reason.
   */
  async run<T>(
    fn: (permit: LimiterPermit) => Promise<T>,
    priority: LimiterPriority = 'bulk',
    opts: LimiterRunOptions = {},
  ): Promise<T> {
    // Whether the limit was in full use is decided when the slot is taken, not after the await.
    const bulk = isBulkKey(opts.priorityKey);
    if (isLiveKey(opts.priorityKey)) this.lastLiveAt = this.now();
    const atFullUse = await this.acquire(priority, opts.priorityKey, opts.signal, bulk);
    const window = this.window;
    let limited = false;
    const permit: LimiterPermit = {
      window,
      reportConcurrencyLimit: () => {
        limited = true;
        this.onConcurrencyLimit(window);
      },
    };
    // A call slower than slowCallMs hands its slot on while it keeps running.
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      if (bulk) this.bulkInFlight -= 1;
      this.drain();
    };
    const slowTimer =
      this.slowCallMs === undefined
        ? undefined
        : setTimeout(() => {
            this.slowReleased += 1;
            release();
          }, this.slowCallMs);
    slowTimer?.unref?.();
    try {
      const result = await fn(permit);
      // A call that outlived slowCallMs says nothing about the limit.
      if (!limited && !released) this.onSuccess(window, atFullUse);
      return result;
    } finally {
      if (slowTimer !== undefined) clearTimeout(slowTimer);
      release();
    }
  }

  /**
   * NetSuite refused a request for concurrency. Decreases the limit unless a decrease already
   * happened after the refused request started (`startedInWindow` older than the current window).
   * Returns whether the limit was decreased.
   */
  onConcurrencyLimit(startedInWindow: number = this.window): boolean {
    if (startedInWindow < this.window) return false;
    this.window += 1;
    this.successStreak = 0;
    // Refused again at the level refused before: a fixed limit, so probe it less and less often.
    this.probeAfter =
      this.ceiling !== undefined && this.currentLimit >= this.ceiling
        ? Math.min(this.maxProbeAfter, this.probeAfter * 2)
        : this.baseProbeAfter;
    this.ceiling = this.currentLimit;
    const next = Math.max(this.min, Math.floor(this.currentLimit * this.decreaseFactor));
    // Recovery by time counts from the latest refusal.
    this.scheduleRecovery();
    if (next === this.currentLimit) return false;
    this.currentLimit = next;
    this.decreases += 1;
    this.scheduleRecovery();
    return true;
  }

  /** Stops the recovery timer (a limiter that is thrown away; timers are unref'd anyway). */
  close(): void {
    if (this.recoveryTimer !== undefined) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    if (this.reserveTimer !== undefined) clearTimeout(this.reserveTimer);
    this.reserveTimer = undefined;
  }

  /** Slots bulk calls may hold now: all, or all but the live reserve while live calls are recent. */
  private bulkAllowance(): number {
    const liveRecently = this.now() - this.lastLiveAt < this.liveWindowMs;
    return liveRecently ? Math.max(1, this.currentLimit - this.liveReserve) : this.currentLimit;
  }

  /** A bulk call held back by the reserve starts once the live window has passed. */
  private drainWhenLiveWindowEnds(): void {
    if (this.reserveTimer !== undefined) return;
    const wait = Math.max(1, this.lastLiveAt + this.liveWindowMs - this.now());
    this.reserveTimer = setTimeout(() => {
      this.reserveTimer = undefined;
      this.drain();
    }, wait);
    this.reserveTimer.unref?.();
  }

  private scheduleRecovery(): void {
    if (this.recoveryTimer !== undefined) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    if (this.recoverAfterMs === undefined || this.currentLimit >= this.max) return;
    // The once-refused level waits as many periods as successes would: probeAfter / base.
    const probing = this.ceiling !== undefined && this.currentLimit + 1 >= this.ceiling;
    const wait = this.recoverAfterMs * (probing ? this.probeAfter / this.baseProbeAfter : 1);
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      this.grow(true);
    }, wait);
    this.recoveryTimer.unref?.();
  }

  private grow(timed: boolean): void {
    if (this.currentLimit >= this.max) return;
    this.successStreak = 0;
    if (this.ceiling !== undefined && this.currentLimit >= this.ceiling) {
      // The once-refused level held: the account has room again.
      this.ceiling = undefined;
      this.probeAfter = this.baseProbeAfter;
    }
    this.currentLimit += 1;
    this.increases += 1;
    if (timed) this.timedIncreases += 1;
    this.scheduleRecovery();
    this.drain();
  }

  /**
   * A request went through. After `limit` consecutive successes at full use in this window the limit
   * grows by one; up to the refused level only after `probeAfter` of them.
   */
  onSuccess(startedInWindow: number = this.window, atFullUse = true): void {
    // Successes of requests that started before the last decrease say nothing about the new limit,
    // nor do those of requests that started with slots to spare.
    if (startedInWindow < this.window || !atFullUse) return;
    if (this.currentLimit >= this.max) return;
    this.successStreak += 1;
    const probing =
      this.ceiling !== undefined && this.currentLimit + 1 >= this.ceiling && this.currentLimit < this.ceiling;
    if (this.successStreak < (probing ? this.probeAfter : this.currentLimit)) return;
    this.grow(false);
  }

  snapshot(): LimiterSnapshot {
    return {
      limit: this.currentLimit,
      inFlight: this.inFlight,
      queuedMoney: this.queuedMoney,
      queuedBulk: this.queuedBulk,
      peakInFlight: this.peakInFlight,
      decreases: this.decreases,
      increases: this.increases,
      ceiling: this.ceiling ?? null,
      probeAfter: this.probeAfter,
      timedIncreases: this.timedIncreases,
      slowReleased: this.slowReleased,
      bulkHeldForLive: this.bulkHeldForLive,
    };
  }

  private acquire(
    priority: LimiterPriority,
    priorityKey: number | undefined,
    signal: AbortSignal | undefined,
    bulk: boolean,
  ): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.inFlight < this.currentLimit && this.queued.size === 0) {
      if (!bulk || this.bulkInFlight < this.bulkAllowance()) return Promise.resolve(this.take(bulk));
      this.bulkHeldForLive += 1;
      this.drainWhenLiveWindowEnds();
    }
    return new Promise<boolean>((resolve, reject) => {
      const rank = rankOf(priority, priorityKey);
      const onAbort = (): void => {
        const queue = this.queued.get(rank);
        const i = queue?.indexOf(waiter) ?? -1;
        if (i < 0) return;
        queue!.splice(i, 1);
        if (queue!.length === 0) this.queued.delete(rank);
        this.count(priority, -1);
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        bulk,
        start: (atFullUse) => {
          signal?.removeEventListener('abort', onAbort);
          this.count(priority, -1);
          resolve(atFullUse);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const queue = this.queued.get(rank);
      if (queue) queue.push(waiter);
      else this.queued.set(rank, [waiter]);
      this.count(priority, 1);
      // A slot the live reserve keeps from queued bulk calls is free for this one, if it is not bulk.
      if (this.inFlight < this.currentLimit) this.drain();
    });
  }

  private count(priority: LimiterPriority, delta: 1 | -1): void {
    if (priority === 'money') this.queuedMoney += delta;
    else this.queuedBulk += delta;
  }

  /**
   * Removes and returns the first waiter of the lowest rank, unless it is a bulk call the live
   * reserve holds back (bulk calls rank last, so nothing behind it could start either).
   */
  private dequeue(): Waiter | undefined {
    let best: number | undefined;
    // A handful of ranks at most (priority keys × 2 lanes): a scan is cheaper than a heap.
    for (const rank of this.queued.keys()) if (best === undefined || rank < best) best = rank;
    if (best === undefined) return undefined;
    const queue = this.queued.get(best)!;
    if (queue[0]!.bulk && this.bulkInFlight >= this.bulkAllowance()) {
      this.drainWhenLiveWindowEnds();
      return undefined;
    }
    const next = queue.shift();
    if (queue.length === 0) this.queued.delete(best);
    return next;
  }

  /** Takes a slot; returns whether every slot is now in use. */
  private take(bulk: boolean): boolean {
    this.inFlight += 1;
    if (bulk) this.bulkInFlight += 1;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    return this.inFlight >= this.currentLimit;
  }

  private drain(): void {
    while (this.inFlight < this.currentLimit) {
      const next = this.dequeue();
      if (!next) return;
      next.start(this.take(next.bulk));
    }
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
