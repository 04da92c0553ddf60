// The idle period of a synced order (workflows/order-sync.ts): it stays open for `idleClose` after
// its last piece of work, for refunds and chargebacks, then completes. One timer per period,
// however often the order is woken meanwhile: a redelivered webhook (a duplicate, nothing to post)
// wakes it, changes nothing, and the order waits on for the rest of the same period. Before, each
// wake started a new timer (`condition(fn, timeout)`), a billable Temporal Action that changed no
// outcome. Workflow code: deterministic (a timer in a cancellation scope of its own).
import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';

type Duration = Parameters<typeof sleep>[0];

export class IdlePeriod {
  private scope?: CancellationScope;
  private ended = false;

  /**
   * Waits until `woken()` holds or the period is over; the period (its timer) starts on the first
   * wait after `interrupt()` or construction and runs on across later waits. True when woken.
   */
  async wait(duration: Duration, woken: () => boolean): Promise<boolean> {
    if (!this.scope) this.start(duration);
    await condition(() => this.ended || woken());
    return woken();
  }

  /** Work came (a step to post, a park): the period ends without completing; the next wait starts a new one. */
  interrupt(): void {
    this.scope?.cancel();
    this.scope = undefined;
    this.ended = false;
  }

  private start(duration: Duration): void {
    const scope = new CancellationScope();
    this.scope = scope;
    this.ended = false;
    scope
      .run(() => sleep(duration))
      .then(
        () => {
          if (this.scope === scope) this.ended = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }
}
