// A process-wide concurrency limiter for NetSuite requests (netsuite.md §4.3).
//
// NetSuite caps concurrent in-flight requests per account and answers the excess with 429
// CONCURRENCY_LIMIT_EXCEEDED. The limiter keeps that budget full without tripping it, AIMD style:
// a 429 shrinks the limit multiplicatively (once per "window", so a burst of 429s from requests that
// were already in flight counts as one signal), and a run of successes grows it by one, up to `max`.
//
// Two priority lanes: queued `money` requests (payments, refunds) always start before queued `bulk`
// requests (orders), FIFO within a lane, so a backlog of new orders never starves cash posting.
//
// Purely event-driven and deterministic: no timers, no clocks.

export type LimiterPriority = 'money' | 'bulk';

export interface AdaptiveLimiterOptions {
  /** Upper bound: the concurrency budget this process may use (e.g. NETSUITE_CONCURRENCY / workers). */
  max: number;
  /** Lower bound the limit never drops below (default 1). */
  min?: number;
  /** Starting limit (default `max`). */
  initial?: number;
  /** Multiplicative decrease on a 429 (default 0.7). */
  decreaseFactor?: number;
}

export interface LimiterSnapshot {
  limit: number;
  inFlight: number;
  queuedMoney: number;
  queuedBulk: number;
  peakInFlight: number;
  decreases: number;
  increases: number;
}

/** What a running task holds: which window it started in, and how to report a 429. */
export interface LimiterPermit {
  /** The window (count of decreases so far) in which this task started. */
  readonly window: number;
  /** NetSuite answered this task's request with 429: shrink the limit (once per window). */
  reportConcurrencyLimit(): void;
}

interface Waiter {
  start: () => void;
}

export class AdaptiveLimiter {
  readonly max: number;
  readonly min: number;
  private readonly decreaseFactor: number;
  private currentLimit: number;
  private inFlight = 0;
  private peakInFlight = 0;
  private decreases = 0;
  private increases = 0;
  /** Successes of tasks started in the current window since the last change of the limit. */
  private successStreak = 0;
  private window = 0;
  private readonly money: Waiter[] = [];
  private readonly bulk: Waiter[] = [];

  constructor(opts: AdaptiveLimiterOptions) {
    const min = opts.min ?? 1;
    if (!Number.isInteger(opts.max) || opts.max < 1) throw new RangeError(`AdaptiveLimiter: max must be an integer ≥ 1, got ${opts.max}`);
    if (!Number.isInteger(min) || min < 1 || min > opts.max) throw new RangeError(`AdaptiveLimiter: min must be an integer in 1..max, got ${min}`);
    const initial = opts.initial ?? opts.max;
    if (!Number.isInteger(initial) || initial < min || initial > opts.max) {
      throw new RangeError(`AdaptiveLimiter: initial must be an integer in min..max, got ${initial}`);
    }
    const factor = opts.decreaseFactor ?? 0.7;
    if (!(factor > 0 && factor < 1)) throw new RangeError(`AdaptiveLimiter: decreaseFactor must be in (0, 1), got ${factor}`);
    this.max = opts.max;
    this.min = min;
    this.currentLimit = initial;
    this.decreaseFactor = factor;
  }

  get limit(): number {
    return this.currentLimit;
  }

  /**
   * Runs `fn` once a slot is free. A task that resolves counts as a success (towards growing the
   * limit) unless it reported a 429 through its permit; a task that rejects counts as neither.
   * An aborted `signal` removes a still-queued task and rejects with the signal's reason.
   */
  async run<T>(fn: (permit: LimiterPermit) => Promise<T>, priority: LimiterPriority = 'bulk', opts: { signal?: AbortSignal } = {}): Promise<T> {
    await this.acquire(priority, opts.signal);
    const window = this.window;
    let limited = false;
    const permit: LimiterPermit = {
      window,
      reportConcurrencyLimit: () => {
        limited = true;
        this.onConcurrencyLimit(window);
      },
    };
    try {
      const result = await fn(permit);
      if (!limited) this.onSuccess(window);
      return result;
    } finally {
      this.inFlight -= 1;
      this.drain();
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
    const next = Math.max(this.min, Math.floor(this.currentLimit * this.decreaseFactor));
    if (next === this.currentLimit) return false;
    this.currentLimit = next;
    this.decreases += 1;
    return true;
  }

  /** A request went through. After `limit` consecutive successes in this window, the limit grows by one. */
  onSuccess(startedInWindow: number = this.window): void {
    // Successes of requests that started before the last decrease say nothing about the new limit.
    if (startedInWindow < this.window) return;
    if (this.currentLimit >= this.max) return;
    this.successStreak += 1;
    if (this.successStreak < this.currentLimit) return;
    this.successStreak = 0;
    this.currentLimit += 1;
    this.increases += 1;
    this.drain();
  }

  snapshot(): LimiterSnapshot {
    return {
      limit: this.currentLimit,
      inFlight: this.inFlight,
      queuedMoney: this.money.length,
      queuedBulk: this.bulk.length,
      peakInFlight: this.peakInFlight,
      decreases: this.decreases,
      increases: this.increases,
    };
  }

  private acquire(priority: LimiterPriority, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.inFlight < this.currentLimit && this.money.length === 0 && this.bulk.length === 0) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const lane = priority === 'money' ? this.money : this.bulk;
      const onAbort = (): void => {
        const i = lane.indexOf(waiter);
        if (i >= 0) lane.splice(i, 1);
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.push(waiter);
    });
  }

  private take(): void {
    this.inFlight += 1;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
  }

  private drain(): void {
    while (this.inFlight < this.currentLimit) {
      const next = this.money.shift() ?? this.bulk.shift();
      if (!next) return;
      this.take();
      next.start();
    }
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
