// The full benchmark: a burst of paid orders through the whole product, measured at its edges.
//   IPN (signed, HTTP) → gateway → Temporal → worker(s) → NetSuite sandbox (limit C, latency L)
// Throughput is compared with what NetSuite allows: at most C calls in flight, each taking the mean
// latency, so at most C / (calls per order × mean latency) orders per second.
import { join } from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { z } from 'zod';
import type { DevServer } from '../dev-server.js';
import type { BenchChild } from './children.js';
import { procUsage } from './children.js';
import type { ChildReport, WorkerDetails } from './ipc.js';
import type { BenchOptions } from './options.js';
import { buildOrders, seedReturningCustomers } from './orders.js';
import { sendAll, type Delivery } from './sender.js';
import { startGatewayChild, startSandbox, startTemporal, startWorkerChild } from './stack.js';
import {
  burstTimes,
  distribution,
  logNormalMean,
  ownUsage,
  processFigures,
  round,
  sum,
  type Distribution,
  type ProcessFigures,
} from './stats.js';
import { fetchOk, getJson, listParkReasons, watchUntilSynced } from './sync-watch.js';
import { handOverBulk } from './bulk.js';
import { describeUnfinished, type UnfinishedOrder } from './unfinished.js';
import { countActions, type ActionsPerOrder } from './count-actions.js';
import { readActionCounter, type ActionCounter } from './actions.js';
import { timeBreakdown, type TimeBreakdown } from './time-breakdown.js';

const sandboxStats = z.object({
  callsByKind: z.record(z.string(), z.number()),
  totalCalls: z.number(),
  peakInFlight: z.number(),
  rejected429: z.number(),
  latencyMsTotal: z.number(),
  busyMs: z.number(),
});
const duplicates = z.object({
  customersByEmail: z.array(z.object({ email: z.string(), ids: z.array(z.string()) })),
  transactionsByRefNo: z.array(z.object({ type: z.string(), refNo: z.string(), ids: z.array(z.string()) })),
});
const createdTail = z.array(z.object({ seq: z.number() }));

export interface FullRunResult {
  kind: 'full';
  options: BenchOptions;
  orders: {
    sent: number;
    receipts: number;
    deliveryFailures: number;
    gatewayRetries: number;
    returningCustomers: number;
    synced: number;
    parked: number;
    notSynced: number;
    failedSyncs: number;
  };
  gateway: { receiptLatencyMs: Distribution; sendRatePerSecond: number };
  /** IPN sent → final record, of the live orders (the --orders). */
  endToEndLatencyMs: Distribution;
  /** How a burst drains: when its first order was synced, and where its median order finished. */
  burst: {
    /** First live IPN sent → first live order's final record (target ≤ 5 s). */
    firstSyncedSeconds: number;
    /** End-to-end p50 ÷ drain time (target ≤ 0.6 in a burst: orders that started first finish first). */
    p50OverDrain: number;
  };
  /** Orders without their final record when the run ended, and what Temporal says about each (at most 10). */
  unfinished: UnfinishedOrder[];
  /** With --bulk: the backfill-style orders handed over before the live ones. */
  bulk?: { handedOver: number; handOverSeconds: number; synced: number; drainSeconds: number };
  /**
   * With --live-alone: the same number of live orders sent the same way before the bulk work, on the
   * same stack; the goal compares the live orders' end-to-end p50 during the bulk work with this one.
   */
  liveAlone?: {
    orders: number;
    synced: number;
    endToEndLatencyMs: Distribution;
    p50DuringBulkOverAlone: number;
    breakdown: TimeBreakdown;
  };
  /** With --bulk or --live-alone: where the live orders' time went (their histories). */
  liveBreakdown?: TimeBreakdown;
  throughput: {
    drainSeconds: number;
    ordersPerSecond: number;
    /** C / (calls per order × mean latency), with both measured in this run. */
    boundOrdersPerSecond: number;
    fractionOfBound: number;
    /** Share of the account's slot time (C × drain time) that accepted calls held. */
    accountSlotUse: number;
    /** Bound with the configured distribution's mean instead of the measured one. */
    nominalBoundOrdersPerSecond: number;
  };
  netsuite: {
    callsPerOrder: { total: number; byKind: Record<string, number> };
    acceptedCalls: number;
    meanLatencyMs: number;
    meanSlotMsPerCall: number;
    peakInFlight: number;
    rejected429: number;
    /** Activity attempts that failed on a 429 after the client's own retries (Temporal retried them). */
    activityAttemptsFailedBy429: number;
    /** Syncs parked because of a 429 (must be 0: a 429 is always retried). */
    syncFailuresFrom429: number;
    parkReasons: Record<string, number>;
  };
  exactlyOnce: {
    duplicates: z.infer<typeof duplicates>;
    createdByType: Record<string, number>;
    expectedByType: Record<string, number>;
    ledgerMatches: boolean;
  };
  /** Temporal Actions per synced order (billable on Temporal Cloud, by kind) and what they cost. */
  actions?: ActionsPerOrder;
  workers: Array<{ role: string; share: number; limiter: WorkerDetails['limiter']; client: WorkerDetails['client'] }>;
  processes: ProcessFigures[];
  /** CPU per synced order (live and bulk), ms, by process; `worker` sums the worker processes (goal ≤ 40 ms at 10,000 orders). */
  cpuMsPerOrder: Record<string, number>;
}

export async function runFull(opts: BenchOptions, logDir: string, log: (line: string) => void): Promise<FullRunResult> {
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    log(
      `starting: Temporal dev server (in memory), NetSuite sandbox (limit ${opts.limit}, latency ${opts.latencyMedianMs}/${opts.latencyP99Ms} ms), ${opts.workers} worker(s) (NETSUITE_CONCURRENCY=${opts.concurrency}), gateway (${opts.mode})`,
    );
    // The server's errors go to the run's logs, beside the other processes'.
    const temporal: DevServer = await startTemporal({ stderrFile: join(logDir, 'temporal.log') });
    stoppers.push(() => temporal.stop());
    const sandbox = await startSandbox({
      logDir,
      logLevel: opts.logLevel,
      limit: opts.limit,
      latencyMedianMs: opts.latencyMedianMs,
      latencyP99Ms: opts.latencyP99Ms,
    });
    stoppers.push(() => sandbox.stop());
    const sandboxUrl = String(sandbox.info.url);
    const workers: BenchChild[] = await Promise.all(
      Array.from({ length: opts.workers }, (_, index) =>
        startWorkerChild({
          index,
          logDir,
          logLevel: opts.logLevel,
          temporalAddress: temporal.address,
          netsuiteUrl: sandboxUrl,
          concurrency: opts.concurrency,
          workerCount: opts.workers,
          ...(opts.cpuProf ? { cpuProfileDir: join(logDir, `cpu-profile-worker-${index + 1}`) } : {}),
        }),
      ),
    );
    for (const w of workers) stoppers.push(() => w.stop());
    const gateway = await startGatewayChild({
      logDir,
      logLevel: opts.logLevel,
      temporalAddress: temporal.address,
      postingMode: opts.mode,
      sink: 'temporal',
    });
    stoppers.push(() => gateway.stop());
    const connection = await Connection.connect({ address: temporal.address });
    stoppers.push(() => connection.close());
    const client = new Client({ connection });

    const orders = buildOrders({ count: opts.orders, returning: opts.returning, mode: opts.mode });
    const bulkOrders =
      opts.bulk > 0
        ? buildOrders({ count: opts.bulk, returning: opts.returning, mode: opts.mode, firstRefNo: 70_000_000 })
        : [];
    const aloneOrders = opts.liveAlone
      ? buildOrders({ count: opts.orders, returning: opts.returning, mode: opts.mode, firstRefNo: 60_000_000 })
      : [];
    await seedReturningCustomers(sandboxUrl, aloneOrders);
    const returningCustomers = await seedReturningCustomers(sandboxUrl, [...orders, ...bulkOrders]);
    const alone =
      aloneOrders.length > 0
        ? await runLiveAlone({
            opts,
            orders: aloneOrders,
            client,
            sandboxUrl,
            gatewayUrl: String(gateway.info.url),
            log,
          })
        : undefined;
    await fetchOk(`${sandboxUrl}/__sandbox/stats/reset`, 'POST');
    // Actions of this run only: the server's counter from here on (start-up and seeding excluded).
    const counterBefore: ActionCounter | undefined = temporal.metricsUrl
      ? await readActionCounter(temporal.metricsUrl)
      : undefined;
    // CPU of this run's orders only: start-up (bundling the workflow code) and seeding excluded.
    const cpuBefore = await cpuSnapshot([sandbox, ...workers, gateway], temporal);
    const after = (await getJson(`${sandboxUrl}/__sandbox/created/0`, createdTail)).at(-1)?.seq ?? 0;
    let bulkStartedAt = 0;
    let bulkHandOverSeconds = 0;
    if (bulkOrders.length > 0) {
      log(`handing over ${bulkOrders.length} backfill-style orders (bulk priority)`);
      bulkStartedAt = Date.now();
      await handOverBulk(client, bulkOrders, opts.mode);
      bulkHandOverSeconds = (Date.now() - bulkStartedAt) / 1000;
    }
    log(
      `sending ${orders.length} IPNs (${returningCustomers} from returning customers, live and bulk) at ${opts.rate > 0 ? `${opts.rate}/s` : 'full speed'} with ${opts.senders} senders`,
    );

    let sendingDone = false;
    let receipts = 0;
    const sending = sendAll(
      orders.map((o) => o.body),
      {
        url: `${gateway.info.url}/webhooks/2checkout/ipn`,
        rate: opts.rate,
        senders: opts.senders,
        onProgress: (n) => (receipts = n),
      },
    ).finally(() => {
      sendingDone = true;
    });
    const t0 = Date.now();
    const watching = watchUntilSynced({
      sandboxUrl,
      finalExternalIds: new Set([...orders, ...bulkOrders].map((o) => o.finalExternalId)),
      after,
      client,
      stallTimeoutMs: opts.stallTimeoutS * 1000,
      sendingDone: () => sendingDone,
      onProgress: (synced, parked) =>
        log(
          `  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${receipts} IPNs answered, ${synced} synced, ${parked} parked`,
        ),
    });
    const [deliveries, watched] = await Promise.all([sending, watching]);
    if (watched.stalled) log(`  no order completed for ${opts.stallTimeoutS} s: stopping the wait`);

    // Read before anything below queries a workflow (a query is an Action too), once the synced
    // workflows finished their last task (the final record lands before its workflow task completes)
    // and the server flushed its counter.
    const counterAfter: ActionCounter | undefined = temporal.metricsUrl
      ? await settledActionCounter(client, temporal.metricsUrl)
      : undefined;
    const stats = await getJson(`${sandboxUrl}/__sandbox/stats`, sandboxStats);
    const dupes = await getJson(`${sandboxUrl}/__sandbox/duplicates`, duplicates);
    const parkReasons = await listParkReasons(client);
    // Named by the benchmark (worker-1, worker-2, …), not by the child, which only knows its role.
    const workerReports = await Promise.all(
      workers.map(async (w) => ({ ...(await w.report<WorkerDetails>()), role: w.role })),
    );
    const reports: Array<ChildReport> = [await sandbox.report(), ...workerReports, await gateway.report()];
    const processes = reports.map((r) => processFigures(r.role, r));
    const temporalUsage = temporal.process.pid !== undefined ? procUsage(temporal.process.pid) : undefined;
    if (temporalUsage) processes.push(processFigures('temporal', temporalUsage));
    processes.push(processFigures('bench (sender)', ownUsage()));
    const cpuAfter = await cpuSnapshot([sandbox, ...workers, gateway], temporal);

    const unfinished = await describeUnfinished(client, [
      ...orders.flatMap((o, i) => {
        if (watched.syncedAtMs.has(o.finalExternalId)) return [];
        const d = deliveries[i]!;
        return [
          {
            refNo: o.refNo,
            kind: 'live' as const,
            delivery: {
              attempts: d.attempts,
              receipt: d.receiptAtMs !== undefined,
              ...(d.lastError ? { lastError: d.lastError } : {}),
            },
          },
        ];
      }),
      ...bulkOrders.flatMap((o) =>
        watched.syncedAtMs.has(o.finalExternalId) ? [] : [{ refNo: o.refNo, kind: 'bulk' as const }],
      ),
    ]);

    const bulkIds = bulkOrders.map((o) => o.finalExternalId);
    const bulkSyncedAt = bulkIds.flatMap((id) => (watched.syncedAtMs.has(id) ? [watched.syncedAtMs.get(id)!] : []));
    const bulk =
      bulkOrders.length > 0
        ? {
            handedOver: bulkOrders.length,
            handOverSeconds: round(bulkHandOverSeconds, 2),
            synced: bulkSyncedAt.length,
            drainSeconds: round((Math.max(bulkStartedAt, ...bulkSyncedAt) - bulkStartedAt) / 1000, 2),
          }
        : undefined;
    const syncedRefNos = [...orders, ...bulkOrders]
      .filter((o) => watched.syncedAtMs.has(o.finalExternalId))
      .map((o) => o.refNo);
    const actions =
      counterBefore && counterAfter
        ? await countActions({
            client,
            refNos: syncedRefNos,
            counterBefore,
            counterAfter,
            pricePerMillion: opts.pricePerMillionActions,
            sample: opts.actionsSample,
            log,
          })
        : undefined;
    const result = summarize({
      opts,
      orders: orders.map((o) => ({ finalExternalId: o.finalExternalId })),
      bulk,
      returningCustomers,
      deliveries,
      watched,
      stats,
      dupes,
      parkReasons,
      workerReports,
      processes,
      unfinished,
      actions,
      cpuMs: cpuDelta(cpuBefore, cpuAfter),
    });
    if (alone || bulk)
      result.liveBreakdown = await timeBreakdown(
        client,
        orders.map((o) => o.refNo),
      );
    if (alone) {
      const ratio =
        alone.endToEndLatencyMs.p50 > 0 ? result.endToEndLatencyMs.p50 / alone.endToEndLatencyMs.p50 : Number.NaN;
      result.liveAlone = { ...alone, p50DuringBulkOverAlone: round(ratio, 2) };
    }
    return result;
  } finally {
    await stopAll();
  }
}

/** CPU ms used so far by each role (workers summed as `worker`). */
async function cpuSnapshot(children: BenchChild[], temporal: DevServer): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const add = (role: string, u: { cpuUserMs: number; cpuSystemMs: number }) => {
    const key = role.startsWith('worker-') ? 'worker' : role;
    out[key] = (out[key] ?? 0) + u.cpuUserMs + u.cpuSystemMs;
  };
  for (const c of children) add(c.role, await c.report());
  const t = temporal.process.pid !== undefined ? procUsage(temporal.process.pid) : undefined;
  if (t) add('temporal', t);
  return out;
}

function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/**
 * The live orders alone, before any bulk work: sent at --rate like the live orders of the run,
 * watched until each has its final record. Their end-to-end times are the reference of the goal
 * "live p50 during a backfill ≤ 1.5 × alone".
 */
async function runLiveAlone(input: {
  opts: BenchOptions;
  orders: ReturnType<typeof buildOrders>;
  client: Client;
  sandboxUrl: string;
  gatewayUrl: string;
  log: (line: string) => void;
}): Promise<{ orders: number; synced: number; endToEndLatencyMs: Distribution; breakdown: TimeBreakdown }> {
  const { opts, orders, log } = input;
  log(`live alone: ${orders.length} IPNs at ${opts.rate > 0 ? `${opts.rate}/s` : 'full speed'}, no bulk work`);
  const after = (await getJson(`${input.sandboxUrl}/__sandbox/created/0`, createdTail)).at(-1)?.seq ?? 0;
  let sendingDone = false;
  const sending = sendAll(
    orders.map((o) => o.body),
    { url: `${input.gatewayUrl}/webhooks/2checkout/ipn`, rate: opts.rate, senders: opts.senders },
  ).finally(() => {
    sendingDone = true;
  });
  const watching = watchUntilSynced({
    sandboxUrl: input.sandboxUrl,
    finalExternalIds: new Set(orders.map((o) => o.finalExternalId)),
    after,
    client: input.client,
    stallTimeoutMs: opts.stallTimeoutS * 1000,
    sendingDone: () => sendingDone,
  });
  const [deliveries, watched] = await Promise.all([sending, watching]);
  const { endToEndMs } = burstTimes(
    deliveries.map((d) => d.sentAtMs),
    orders.map((o) => watched.syncedAtMs.get(o.finalExternalId)),
  );
  const endToEndLatencyMs = distribution(endToEndMs);
  log(
    `  live alone: ${endToEndMs.length}/${orders.length} synced, end to end p50 ${endToEndLatencyMs.p50} ms, p99 ${endToEndLatencyMs.p99} ms`,
  );
  const breakdown = await timeBreakdown(
    input.client,
    orders.map((o) => o.refNo),
  );
  return { orders: orders.length, synced: endToEndMs.length, endToEndLatencyMs, breakdown };
}

/** The action counter once no workflow is in progress any more (at most 30 s) and two reads a second apart agree. */
async function settledActionCounter(client: Client, metricsUrl: string): Promise<ActionCounter> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await client.workflow.count('SyncStatus = "InProgress"')).count > 0)
    await new Promise((r) => setTimeout(r, 500));
  let last = await readActionCounter(metricsUrl);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await readActionCounter(metricsUrl);
    if (JSON.stringify(now) === JSON.stringify(last) || Date.now() > deadline + 10_000) return now;
    last = now;
  }
}

function summarize(input: {
  opts: BenchOptions;
  orders: Array<{ finalExternalId: string }>;
  bulk: FullRunResult['bulk'];
  returningCustomers: number;
  deliveries: Delivery[];
  watched: Awaited<ReturnType<typeof watchUntilSynced>>;
  stats: z.infer<typeof sandboxStats>;
  dupes: z.infer<typeof duplicates>;
  parkReasons: Record<string, number>;
  workerReports: Array<ChildReport<WorkerDetails>>;
  processes: ProcessFigures[];
  unfinished: UnfinishedOrder[];
  actions: ActionsPerOrder | undefined;
  /** CPU used during the run (from the first IPN to the end of the watch), ms by role. */
  cpuMs: Record<string, number>;
}): FullRunResult {
  const { opts, deliveries, watched, stats } = input;
  const n = input.orders.length;
  const bulkCount = input.bulk?.handedOver ?? 0;
  // Live orders only (the bulk ones are counted in `bulk`).
  const synced = input.orders.filter((o) => watched.syncedAtMs.has(o.finalExternalId)).length;
  const receipts = deliveries.filter((d) => d.receiptAtMs !== undefined).length;
  const firstSent = Math.min(...deliveries.map((d) => d.sentAtMs));
  const lastSent = Math.max(...deliveries.map((d) => d.sentAtMs));
  const { drainSeconds, firstSyncedSeconds, endToEndMs } = burstTimes(
    deliveries.map((d) => d.sentAtMs),
    input.orders.map((o) => watched.syncedAtMs.get(o.finalExternalId)),
  );
  const endToEnd = distribution(endToEndMs);

  const acceptedCalls = sum(Object.values(stats.callsByKind));
  const allSynced = watched.syncedAtMs.size;
  const callsPerOrder = allSynced > 0 ? acceptedCalls / allSynced : Number.NaN;
  const meanLatencyMs = acceptedCalls > 0 ? stats.latencyMsTotal / acceptedCalls : Number.NaN;
  const bound = (ms: number) => opts.limit / (callsPerOrder * (ms / 1000));
  const boundOrdersPerSecond = bound(meanLatencyMs);
  const ordersPerSecond = drainSeconds > 0 ? synced / drainSeconds : Number.NaN;

  const parked = watched.parked;
  const notSynced = n - synced + (bulkCount - (input.bulk?.synced ?? 0));
  const concurrencyParks = Object.entries(input.parkReasons)
    .filter(([reason]) => /CONCURRENCY|429/i.test(reason))
    .reduce((a, [, c]) => a + c, 0);
  const all = n + bulkCount;
  const expectedByType: Record<string, number> =
    opts.mode === 'cashSale'
      ? { customer: all - input.returningCustomers, cashSale: all }
      : { customer: all - input.returningCustomers, salesOrder: all, invoice: all, customerPayment: all };
  const ledgerMatches =
    Object.entries(expectedByType).every(([type, count]) => (watched.createdByType[type] ?? 0) === count) &&
    input.dupes.customersByEmail.length === 0 &&
    input.dupes.transactionsByRefNo.length === 0;

  return {
    kind: 'full',
    options: opts,
    orders: {
      sent: n,
      receipts,
      deliveryFailures: n - receipts,
      gatewayRetries: sum(deliveries.map((d) => d.attempts - 1)),
      returningCustomers: input.returningCustomers,
      synced,
      parked,
      notSynced,
      // Parked syncs are among the not-synced ones: a failed sync is one without its final record.
      failedSyncs: notSynced,
    },
    gateway: {
      receiptLatencyMs: distribution(
        deliveries.flatMap((d) => (d.receiptLatencyMs === undefined ? [] : [d.receiptLatencyMs])),
      ),
      sendRatePerSecond: round(lastSent > firstSent ? (n - 1) / ((lastSent - firstSent) / 1000) : Number.NaN),
    },
    endToEndLatencyMs: endToEnd,
    burst: {
      firstSyncedSeconds: round(firstSyncedSeconds, 2),
      p50OverDrain: round(drainSeconds > 0 ? endToEnd.p50 / 1000 / drainSeconds : Number.NaN, 3),
    },
    unfinished: input.unfinished,
    ...(input.bulk ? { bulk: input.bulk } : {}),
    throughput: {
      drainSeconds: round(drainSeconds, 2),
      ordersPerSecond: round(ordersPerSecond, 2),
      boundOrdersPerSecond: round(boundOrdersPerSecond, 2),
      fractionOfBound: round(ordersPerSecond / boundOrdersPerSecond, 3),
      accountSlotUse: round(stats.busyMs / (opts.limit * drainSeconds * 1000), 3),
      nominalBoundOrdersPerSecond: round(bound(logNormalMean(opts.latencyMedianMs, opts.latencyP99Ms)), 2),
    },
    netsuite: {
      callsPerOrder: {
        total: round(callsPerOrder, 3),
        byKind: Object.fromEntries(
          Object.entries(stats.callsByKind).map(([k, v]) => [k, round(v / Math.max(1, allSynced), 3)]),
        ),
      },
      acceptedCalls,
      meanLatencyMs: round(meanLatencyMs, 2),
      meanSlotMsPerCall: round(acceptedCalls > 0 ? stats.busyMs / acceptedCalls : Number.NaN, 2),
      peakInFlight: stats.peakInFlight,
      rejected429: stats.rejected429,
      activityAttemptsFailedBy429: sum(input.workerReports.map((r) => r.details.client.errorsByKind.concurrency ?? 0)),
      syncFailuresFrom429: concurrencyParks,
      parkReasons: input.parkReasons,
    },
    exactlyOnce: { duplicates: input.dupes, createdByType: watched.createdByType, expectedByType, ledgerMatches },
    ...(input.actions ? { actions: input.actions } : {}),
    workers: input.workerReports.map((r) => ({
      role: r.role,
      share: r.details.limiterMax,
      limiter: r.details.limiter,
      client: r.details.client,
    })),
    processes: input.processes,
    cpuMsPerOrder: Object.fromEntries(
      Object.entries(input.cpuMs).map(([k, v]) => [k, round(v / Math.max(1, allSynced), 1)]),
    ),
  };
}
