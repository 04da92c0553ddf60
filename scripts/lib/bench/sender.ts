// Sends the IPNs to the gateway like 2Checkout would: a signed form POST each, the read receipt
// checked, and a delivery that got no valid receipt sent again (2Checkout retries for two days;
// here up to `maxAttempts` times, a second apart). Open loop at `rate` per second (each IPN leaves
// at its scheduled time, whatever the answers do), or, at rate 0, as fast as `senders` parallel
// posts go. Times are epoch milliseconds with sub-millisecond resolution, comparable with the
// sandbox's record creation times (same machine clock).
import { Agent } from 'undici';
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import { postNotification } from '../../../sandbox/twocheckout/sender.js';

export interface Delivery {
  /** When the first attempt left. */
  sentAtMs: number;
  /** When the valid receipt came back (undefined: never). */
  receiptAtMs?: number;
  /** Latency of the attempt that got the receipt. */
  receiptLatencyMs?: number;
  attempts: number;
  lastError?: string;
}

export interface SendOptions {
  url: string;
  rate: number;
  senders: number;
  maxAttempts?: number;
  onProgress?: (done: number) => void;
}

const nowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function sendAll(bodies: string[], opts: SendOptions): Promise<Delivery[]> {
  const agent = new Agent({ connections: opts.senders, keepAliveTimeout: 30_000, pipelining: 1 });
  const maxAttempts = opts.maxAttempts ?? 5;
  const deliveries: Delivery[] = bodies.map(() => ({ sentAtMs: 0, attempts: 0 }));
  let done = 0;
  let inFlight = 0;
  const slotFreed: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    while (inFlight >= opts.senders) await new Promise<void>((resolve) => slotFreed.push(resolve));
    inFlight += 1;
  };
  const release = (): void => {
    inFlight -= 1;
    slotFreed.shift()?.();
  };

  const deliver = async (i: number): Promise<void> => {
    const d = deliveries[i]!;
    for (;;) {
      const started = nowMs();
      if (d.attempts === 0) d.sentAtMs = started;
      d.attempts += 1;
      try {
        const res = await postNotification(opts.url, bodies[i]!, {
          secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
          dispatcher: agent,
          timeoutMs: 60_000,
        });
        if (res.receiptValid) {
          d.receiptAtMs = nowMs();
          d.receiptLatencyMs = d.receiptAtMs - started;
          return;
        }
        d.lastError = `HTTP ${res.status}: ${res.reason ?? res.body.slice(0, 200)}`;
      } catch (err) {
        d.lastError = err instanceof Error ? err.message : String(err);
      }
      if (d.attempts >= maxAttempts) return;
      release();
      await sleep(1_000);
      await acquire();
    }
  };

  const t0 = nowMs();
  const all: Array<Promise<void>> = [];
  for (let i = 0; i < bodies.length; i += 1) {
    if (opts.rate > 0) await sleep(t0 + (i * 1000) / opts.rate - nowMs());
    await acquire();
    all.push(
      deliver(i).finally(() => {
        release();
        done += 1;
        opts.onProgress?.(done);
      }),
    );
  }
  await Promise.all(all);
  await agent.close();
  return deliveries;
}
