// One phase of the chaos run (the fault-free baseline, or the burst under chaos): sends its three
// waves of notifications like 2Checkout (re-sending any without a valid receipt) and watches the
// ledger until every order is complete or the phase's time is up.
import { sendAll, type Delivery } from '../bench/sender.js';
import { round } from '../bench/stats.js';
import { CompletionWatch } from './progress.js';
import type { ChaosBurst, PostingMode } from './scenario.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface PhaseResult {
  orders: number;
  notifications: number;
  receipts: number;
  /** Deliveries 2Checkout-style re-sent because no valid receipt came back (gateway or Temporal down). */
  resent: number;
  completed: number;
  timedOut: boolean;
  drainSeconds: number;
  ordersPerSecond: number;
  /**
   * Seconds from the first notification until half, 90 % and 99 % of the orders were complete: the
   * goodput (orders ÷ drain) of a short burst is its slowest orders' latency more than its throughput.
   */
  completedBy: { p50: number; p90: number; p99: number };
}

export async function runPhase(
  name: string,
  burst: ChaosBurst,
  sandboxUrl: string,
  ipnUrls: Record<PostingMode, string>,
  durationS: number,
  log: (line: string) => void,
): Promise<PhaseResult> {
  const watch = new CompletionWatch(sandboxUrl, burst.orders);
  await watch.start();
  let sendingDone = false;
  const deliveries: Delivery[] = [];
  let answered = 0;
  const t0 = Date.now();
  const sending = (async () => {
    // 2Checkout re-sends a notification that got no valid receipt; here every second, for up to 10 minutes.
    // Each order's notifications go to the gateway of its posting mode (sales order or cash sale).
    for (const wave of burst.waves) {
      const before = deliveries.length;
      const progress = { salesOrder: 0, cashSale: 0 };
      const sent = await Promise.all(
        (['salesOrder', 'cashSale'] as const).map((mode) =>
          sendAll(
            wave.filter((n) => n.mode === mode).map((n) => n.body),
            {
              url: ipnUrls[mode],
              rate: 0,
              senders: 8,
              maxAttempts: 600,
              onProgress: (n) => {
                progress[mode] = n;
                answered = before + progress.salesOrder + progress.cashSale;
              },
            },
          ),
        ),
      );
      deliveries.push(...sent.flat());
    }
  })().finally(() => {
    sendingDone = true;
  });
  const deadline = t0 + durationS * 1000;
  let lastLog = 0;
  let done = 0;
  let timedOut = false;
  for (;;) {
    await sleep(500);
    done = await watch.poll().catch(() => done);
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(
        `  ${name} ${Math.round((Date.now() - t0) / 1000)} s: ${answered}/${burst.counts.notifications} IPNs answered, ${done}/${watch.total} orders complete`,
      );
    }
    if (done === watch.total && sendingDone) break;
    if (Date.now() > deadline) {
      timedOut = true;
      log(`  ${name}: gave up after ${durationS} s with ${done}/${watch.total} orders complete`);
      break;
    }
  }
  if (!timedOut) await sending;
  const firstSent = deliveries.length > 0 ? Math.min(...deliveries.map((d) => d.sentAtMs)) : t0;
  const lastDone = watch.doneAtMs.size > 0 ? Math.max(...watch.doneAtMs.values()) : Date.now();
  const drainSeconds = (lastDone - firstSent) / 1000;
  const doneTimes = [...watch.doneAtMs.values()].map((t) => (t - firstSent) / 1000).sort((a, b) => a - b);
  const at = (q: number) =>
    round(doneTimes[Math.min(doneTimes.length - 1, Math.max(0, Math.ceil(q * doneTimes.length) - 1))] ?? Number.NaN, 1);
  return {
    orders: watch.total,
    notifications: burst.counts.notifications,
    receipts: deliveries.filter((d) => d.receiptAtMs !== undefined).length,
    resent: deliveries.reduce((a, d) => a + d.attempts - 1, 0),
    completed: done,
    timedOut,
    drainSeconds: round(drainSeconds, 1),
    ordersPerSecond: round(drainSeconds > 0 ? done / drainSeconds : Number.NaN, 2),
    completedBy: { p50: at(0.5), p90: at(0.9), p99: at(0.99) },
  };
}
