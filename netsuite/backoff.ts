// How the client waits before retrying a concurrency refusal: full-jitter exponential backoff, so
// refused callers do not come back in lockstep, and a sleep that a cancelled activity interrupts.

/** A random wait in [0, min(cap, base·2^attempt)). */
export function fullJitterMs(
  attempt: number,
  backoff: { baseMs: number; capMs: number },
  random: () => number,
): number {
  return Math.floor(random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt));
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
