// Our own limit on 2Checkout API calls: 2Checkout publishes no rate limit, so every process
// paces itself (at most `ratePerSecond` call starts per second, at most `concurrency` in flight)
// and backs off when the API says 429. Both numbers are configuration.
export interface ApiLimiterOptions {
  /** Call starts per second (token bucket, burst = one second's worth). */
  ratePerSecond: number;
  /** Calls in flight at once. */
  concurrency: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ApiRateLimiter {
  private tokens: number;
  private last: number;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private pausedUntil = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: ApiLimiterOptions) {
    if (!(opts.ratePerSecond > 0) || !(opts.concurrency >= 1))
      throw new Error('ApiRateLimiter: ratePerSecond must be > 0 and concurrency ≥ 1');
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
    this.tokens = opts.ratePerSecond;
    this.last = this.now();
  }

  /** Runs `fn` once a slot and a token are free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquireSlot();
    try {
      await this.takeToken();
      return await fn();
    } finally {
      this.inFlight--;
      this.waiters.shift()?.();
    }
  }

  /** After a 429: nobody starts a call for `ms`. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private acquireSlot(): Promise<void> {
    if (this.inFlight < this.opts.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiters.push(() => {
        this.inFlight++;
        resolve();
      }),
    );
  }

  private async takeToken(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      const rate = this.opts.ratePerSecond;
      this.tokens = Math.min(rate, this.tokens + ((now - this.last) / 1000) * rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / rate) * 1000));
    }
  }
}
