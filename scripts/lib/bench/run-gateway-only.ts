// Gateway alone: how many IPNs per second the HTTP edge verifies, hands over and answers with a
// receipt, and how long each answer takes. With `--sink temporal` the hand-over is the real
// signalWithStart into a Temporal dev server with no worker (workflows start, nothing runs them);
// with `--sink null` it returns at once (the edge's own cost: parsing, HMAC, receipt).
import type { DevServer } from '../dev-server.js';
import { procUsage } from './children.js';
import type { BenchOptions } from './options.js';
import { buildOrders } from './orders.js';
import { sendAll } from './sender.js';
import { startGatewayChild, startTemporal } from './stack.js';
import { distribution, round, type Distribution, ownUsage, processFigures, type ProcessFigures } from './stats.js';

export interface GatewayOnlyResult {
  kind: 'gateway-only';
  options: BenchOptions;
  warmup: number;
  ipns: { sent: number; receipts: number; deliveryFailures: number; retries: number };
  ipnPerSecond: number;
  sendRatePerSecond: number;
  receiptLatencyMs: Distribution;
  processes: ProcessFigures[];
}

export async function runGatewayOnly(
  opts: BenchOptions,
  logDir: string,
  log: (line: string) => void,
): Promise<GatewayOnlyResult> {
  let temporal: DevServer | undefined;
  try {
    if (opts.sink === 'temporal') temporal = await startTemporal();
    const gateway = await startGatewayChild({
      logDir,
      logLevel: opts.logLevel,
      ...(temporal ? { temporalAddress: temporal.address } : {}),
      postingMode: opts.mode,
      sink: opts.sink,
    });
    try {
      const url = `${gateway.info.url}/webhooks/2checkout/ipn`;
      // A warm-up (JIT, connections, Temporal's first workflows) that is not measured.
      const warmup = Math.min(300, Math.ceil(opts.orders / 10));
      const all = buildOrders({ count: warmup + opts.orders, returning: 0, mode: opts.mode }).map((o) => o.body);
      log(
        `gateway only (sink: ${opts.sink}): ${warmup} warm-up IPNs, then ${opts.orders} measured at ${opts.rate > 0 ? `${opts.rate}/s` : 'full speed'} with ${opts.senders} senders`,
      );
      await sendAll(all.slice(0, warmup), { url, rate: 0, senders: opts.senders });
      const deliveries = await sendAll(all.slice(warmup), { url, rate: opts.rate, senders: opts.senders });

      const answered = deliveries.filter((d) => d.receiptAtMs !== undefined);
      const first = Math.min(...deliveries.map((d) => d.sentAtMs));
      const lastSent = Math.max(...deliveries.map((d) => d.sentAtMs));
      const lastAnswer = Math.max(...answered.map((d) => d.receiptAtMs!));
      const processes = [processFigures('gateway', await gateway.report())];
      const temporalUsage = temporal?.process.pid !== undefined ? procUsage(temporal.process.pid) : undefined;
      if (temporalUsage) processes.push(processFigures('temporal', temporalUsage));
      processes.push(processFigures('bench (sender)', ownUsage()));
      return {
        kind: 'gateway-only',
        options: opts,
        warmup,
        ipns: {
          sent: deliveries.length,
          receipts: answered.length,
          deliveryFailures: deliveries.length - answered.length,
          retries: deliveries.reduce((a, d) => a + d.attempts - 1, 0),
        },
        ipnPerSecond: round(answered.length / ((lastAnswer - first) / 1000), 1),
        sendRatePerSecond: round(
          lastSent > first ? (deliveries.length - 1) / ((lastSent - first) / 1000) : Number.NaN,
          1,
        ),
        receiptLatencyMs: distribution(answered.map((d) => d.receiptLatencyMs!)),
        processes,
      };
    } finally {
      await gateway.stop();
    }
  } finally {
    await temporal?.stop();
  }
}
