// The chaos run: the whole product as separate processes (Temporal dev server on a file, NetSuite
// sandbox, the fault proxy, workers, gateway), a fault-free baseline burst for the reference rate,
// then a burst under faults while workers are SIGKILLed (and once in a while SIGTERMed) and
// restarted, and the Temporal server and the gateway are killed and restarted. Then it checks the
// NetSuite ledger against what was sent.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { writeWorkflowBundle } from '../../../worker/workflow-bundle.js';
import type { RunningActivity } from '../../../worker/activity-liveness.js';
import { freePort } from '../free-port.js';
import type { DevServer } from '../dev-server.js';
import { startChild, type BenchChild } from '../bench/children.js';
import type { WorkerDetails } from '../bench/ipc.js';
import { startGatewayChild, startSandbox, startTemporal, startWorkerChild } from '../bench/stack.js';
import { distribution, round, type Distribution } from '../bench/stats.js';
import { countParked, getJson, listParkReasons } from '../bench/sync-watch.js';
import { z } from 'zod';
import { request } from 'undici';
import { NO_FAULTS, type FaultCounts } from './fault-proxy.js';
import { trackRetries, type RetryObservation } from './kill-tracker.js';
import { checkLedger, type LedgerVerdict } from './ledger.js';
import type { ChaosOptions } from './options.js';
import { runPhase, type PhaseResult } from './phase.js';
import { substream } from './random.js';
import { buildBurst, type ChaosBurst, type PostingMode } from './scenario.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const sandboxInFlight = z.object({ inFlight: z.number() });
const sandboxRefusals = z.object({ rejected429: z.number() });

/** The account's concurrency limit, as NetSuite's governance enforces it (the sandbox's own). */
async function setAccountLimit(sandboxUrl: string, concurrencyLimit: number): Promise<void> {
  const res = await request(`${sandboxUrl}/__sandbox/config`, {
    method: 'POST',
    body: JSON.stringify({ concurrencyLimit }),
    headers: { 'content-type': 'application/json' },
  });
  await res.body.dump();
  if (res.statusCode !== 204)
    throw new Error(`setting the sandbox's concurrency limit to ${concurrencyLimit}: HTTP ${res.statusCode}`);
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type { PhaseResult };

export interface ChaosEvent {
  kind: 'worker-kill' | 'worker-stop' | 'worker-died' | 'temporal-restart' | 'gateway-restart' | 'governance-window';
  atSeconds: number;
  detail: Record<string, number | string>;
}

export interface ChaosResult {
  options: ChaosOptions;
  burst: ChaosBurst['counts'];
  baseline?: PhaseResult;
  chaos: PhaseResult;
  goodputShareOfFaultFree?: number;
  faults: FaultCounts;
  /** Where the 429s came from, and how many NetSuite's own governance (the sandbox) answered during the chaos. */
  refusals: {
    faultMode: ChaosOptions['faultMode'];
    byGovernance: number;
    governanceWindows: number;
    governanceLimit?: number;
  };
  events: ChaosEvent[];
  recovery: {
    workerKills: number;
    gracefulStops: number;
    temporalRestarts: number;
    gatewayRestarts: number;
    /** In-flight activities of SIGKILLed workers, and how soon each was retried. */
    killedActivities: number;
    killToRetryMs: Distribution;
    /** Kill → Temporal failed the killed attempt (heartbeat timeout): the recovery mechanism alone. */
    killToDeclaredDeadMs: Distribution;
    retriesNotSeen: number;
    workerStartToReadyMs: Distribution;
    gracefulStopMs: Distribution;
    bundleBuildMs: number;
  };
  ledger: LedgerVerdict;
  /** The ledger was read after every held request landed and every workflow settled (false: gave up waiting). */
  settled: { ok: boolean; waitedSeconds: number };
  parked: number;
  parkReasons: Record<string, number>;
  inProgress: number;
  workers: Array<{ role: string; limiter: WorkerDetails['limiter']; errorsByKind: Record<string, number> }>;
  passed: boolean;
}

export async function runChaos(opts: ChaosOptions, runDir: string, log: (line: string) => void): Promise<ChaosResult> {
  const stoppers: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
  };
  // Ctrl-C or a CI timeout: stop every process this run started (the Temporal server is not a
  // child that goes away with us), then exit.
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping everything this run started`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const b0 = Date.now();
    const bundleFile = join(runDir, 'workflow-bundle.js');
    await writeWorkflowBundle(bundleFile);
    const bundleBuildMs = Date.now() - b0;
    log(`workflow bundle built once in ${(bundleBuildMs / 1000).toFixed(1)} s; workers start from it`);

    // On a file, so the server can be killed and restarted without losing anything; on tmpfs when the
    // machine has one (a process kill is what is tested, not a power cut, and a busy disk's fsyncs
    // would otherwise make Temporal the bottleneck of the run).
    const dbDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/chaos-temporal-') : runDir;
    stoppers.push(async () => {
      if (dbDir !== runDir) rmSync(dbDir, { recursive: true, force: true });
    });
    const temporalPorts = {
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: join(dbDir, 'temporal.db'),
      stderrFile: join(runDir, 'temporal.log'),
    };
    let temporal: DevServer = await startTemporal(temporalPorts);
    stoppers.push(() => temporal.stop());
    const sandbox = await startSandbox({
      logDir: runDir,
      logLevel: opts.logLevel,
      limit: opts.limit,
      latencyMedianMs: opts.latencyMs,
      latencyP99Ms: opts.latencyMs * 3,
      transformDropsExternalId: opts.transformDropsExternalId,
    });
    stoppers.push(() => sandbox.stop());
    const sandboxUrl = String(sandbox.info.url);
    const proxy = await startChild({
      role: 'fault-proxy',
      file: here('./fault-proxy-child.ts'),
      logFile: join(runDir, 'fault-proxy.log'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHAOS_TARGET: sandboxUrl,
        CHAOS_RATES: JSON.stringify(NO_FAULTS),
        CHAOS_SEED: String(opts.seed),
        CHAOS_HANG_MS: String(opts.hangMs),
      },
    });
    stoppers.push(() => proxy.stop());

    const startupMs: number[] = [];
    let generation = 0;
    // Workers this run stops on purpose; any other exit is a worker that died on its own.
    const stoppedByUs = new WeakSet<BenchChild>();
    const diedOnItsOwn = new WeakSet<BenchChild>();
    const dead = (w: BenchChild) => diedOnItsOwn.has(w);
    const startWorker = async (index: number): Promise<BenchChild> => {
      const s0 = Date.now();
      const w = await startWorkerChild({
        index,
        logDir: runDir,
        logLevel: opts.logLevel,
        temporalAddress: temporal.address,
        netsuiteUrl: String(proxy.info.url),
        concurrency: opts.limit,
        workerCount: opts.workers,
        extraEnv: {
          WORKFLOW_BUNDLE: bundleFile,
          NETSUITE_TIMEOUT_MS: String(opts.netsuiteTimeoutMs),
          // A held request lands at most hang-ms after it was sent: that is this run's "15 minutes".
          NETSUITE_LATE_WRITE_HORIZON_MS: String(opts.lateWriteHorizonMs),
        },
        logSuffix: generation > 0 ? `-gen${generation}` : '',
      });
      generation += 1;
      startupMs.push(Date.now() - s0);
      void w.exited.then(() => {
        if (!stoppedByUs.has(w)) diedOnItsOwn.add(w);
      });
      return w;
    };
    const workers: BenchChild[] = [];
    for (let i = 0; i < opts.workers; i += 1) workers.push(await startWorker(i));
    stoppers.push(() =>
      Promise.all(
        workers.map((w) => {
          stoppedByUs.add(w);
          return w.stop();
        }),
      ),
    );
    // Two gateways: orders booked as sales orders, and orders booked as cash sales (POSTING_MODE).
    const gatewayPorts: Record<PostingMode, number> = { salesOrder: await freePort(), cashSale: await freePort() };
    const startGateway = (mode: PostingMode, suffix = '') =>
      startGatewayChild({
        name: mode === 'salesOrder' ? 'gateway' : 'gateway-cash-sale',
        logDir: runDir,
        logLevel: opts.logLevel,
        temporalAddress: temporal.address,
        postingMode: mode,
        sink: 'temporal',
        port: gatewayPorts[mode],
        logSuffix: suffix,
      });
    const gateways: Record<PostingMode, BenchChild> = {
      salesOrder: await startGateway('salesOrder'),
      cashSale: await startGateway('cashSale'),
    };
    stoppers.push(() => Promise.all([gateways.salesOrder.stop(), gateways.cashSale.stop()]));
    const ipnUrls: Record<PostingMode, string> = {
      salesOrder: `http://127.0.0.1:${gatewayPorts.salesOrder}/webhooks/2checkout/ipn`,
      cashSale: `http://127.0.0.1:${gatewayPorts.cashSale}/webhooks/2checkout/ipn`,
    };
    const connection = await Connection.connect({ address: temporal.address });
    stoppers.push(() => connection.close());
    const client = new Client({ connection });

    const now = new Date();
    const baselineBurst =
      opts.baseline > 0
        ? buildBurst({ count: opts.baseline, seed: opts.seed, firstRefNo: 70_000_000, at: now })
        : undefined;
    const burst = buildBurst({ count: opts.orders, seed: opts.seed, firstRefNo: 80_000_000, at: now });

    let baseline: PhaseResult | undefined;
    if (baselineBurst) {
      log(
        `baseline: ${baselineBurst.orders.length} orders (${baselineBurst.counts.notifications} IPNs), no faults, no kills`,
      );
      baseline = await runPhase('baseline', baselineBurst, sandboxUrl, ipnUrls, opts.durationS, log);
    }

    // --- chaos ---------------------------------------------------------------------------------
    log(
      `chaos: ${burst.orders.length} orders (${burst.counts.notifications} IPNs), ${pctRates(opts)} of NetSuite requests faulted, a worker killed every ~${opts.killEveryS} s`,
    );
    proxy.send({ type: 'rates', rates: opts.rates });
    const refusedBefore = (await getJson(`${sandboxUrl}/__sandbox/stats`, sandboxRefusals)).rejected429;
    const events: ChaosEvent[] = [];
    const trackers: Array<Promise<RetryObservation[]>> = [];
    const gracefulMs: number[] = [];
    const rnd = substream(opts.seed, 'monkey');
    const t0 = Date.now();
    const at = () => round((Date.now() - t0) / 1000, 1);
    let stopped = false;
    let kills = 0;
    const monkey = (async () => {
      let nextKill = opts.killEveryS > 0 ? t0 + opts.killEveryS * 1000 * (0.5 + rnd()) : Infinity;
      let temporalAt = opts.temporalRestartS > 0 ? t0 + opts.temporalRestartS * 1000 : Infinity;
      let gatewayAt = opts.gatewayRestartS > 0 ? t0 + opts.gatewayRestartS * 1000 : Infinity;
      // Governance windows: the first 10 s in (the burst is under way), then every governance.everyS.
      const gov = opts.governance;
      let windowAt = opts.faultMode === 'governance' ? t0 + Math.min(10, gov.everyS) * 1000 : Infinity;
      let windowEnds = Infinity;
      while (!stopped) {
        const nowMs = Date.now();
        if (nowMs >= windowEnds) {
          windowEnds = Infinity;
          await setAccountLimit(sandboxUrl, opts.limit).catch((err: unknown) =>
            log(`  could not restore the account limit: ${String(err)}`),
          );
          log(`  ${at()} s: governance window over, the account's limit is ${opts.limit} again`);
        }
        if (nowMs >= windowAt) {
          windowAt += gov.everyS * 1000;
          windowEnds = nowMs + gov.forS * 1000;
          await setAccountLimit(sandboxUrl, gov.limit).catch((err: unknown) =>
            log(`  could not lower the account limit: ${String(err)}`),
          );
          events.push({ kind: 'governance-window', atSeconds: at(), detail: { limit: gov.limit, seconds: gov.forS } });
          log(`  ${at()} s: governance window: the account's limit drops to ${gov.limit} for ${gov.forS} s`);
        }
        // A worker that died on its own (not by our hand) is restarted too, and counted.
        for (let i = 0; i < workers.length; i += 1) {
          if (dead(workers[i]!)) {
            events.push({ kind: 'worker-died', atSeconds: at(), detail: { worker: i + 1 } });
            workers[i] = await startWorker(i);
          }
        }
        if (nowMs >= gatewayAt) {
          gatewayAt = Infinity;
          const k0 = Date.now();
          await Promise.all([gateways.salesOrder.kill('SIGKILL'), gateways.cashSale.kill('SIGKILL')]);
          await sleep(1_000);
          [gateways.salesOrder, gateways.cashSale] = await Promise.all([
            startGateway('salesOrder', `-gen${events.length}`),
            startGateway('cashSale', `-gen${events.length}`),
          ]);
          events.push({ kind: 'gateway-restart', atSeconds: at(), detail: { downMs: Date.now() - k0 } });
          log(`  ${at()} s: both gateways killed and restarted (${Date.now() - k0} ms without them)`);
        } else if (nowMs >= temporalAt) {
          temporalAt = Infinity;
          const k0 = Date.now();
          temporal.process.kill('SIGKILL');
          await new Promise((r) =>
            temporal.process.exitCode !== null || temporal.process.signalCode !== null
              ? r(null)
              : temporal.process.once('exit', r),
          );
          await sleep(2_000);
          temporal = await startTemporal(temporalPorts);
          events.push({ kind: 'temporal-restart', atSeconds: at(), detail: { downMs: Date.now() - k0 } });
          log(`  ${at()} s: Temporal server killed and restarted on its file (${Date.now() - k0} ms down)`);
        } else if (nowMs >= nextKill) {
          kills += 1;
          const i = Math.floor(rnd() * workers.length);
          // Every fifth stop is a graceful one (SIGTERM, as a deploy does): it must drain, not lose work.
          const signal: NodeJS.Signals = kills % 5 === 3 ? 'SIGTERM' : 'SIGKILL';
          const w = workers[i]!;
          const running: RunningActivity[] = await w.report<WorkerDetails>().then(
            (r) => r.details.running,
            () => [],
          );
          const k0 = Date.now();
          stoppedByUs.add(w);
          await w.kill(signal);
          const exitMs = Date.now() - k0;
          if (signal === 'SIGKILL') trackers.push(trackRetries(client, k0, running));
          else gracefulMs.push(exitMs);
          workers[i] = await startWorker(i);
          events.push({
            kind: signal === 'SIGKILL' ? 'worker-kill' : 'worker-stop',
            atSeconds: at(),
            detail: { worker: i + 1, inFlight: running.length, exitMs, restartMs: startupMs.at(-1)! },
          });
          log(
            `  ${at()} s: worker-${i + 1} ${signal === 'SIGKILL' ? 'SIGKILLed' : 'stopped by SIGTERM'} with ${running.length} activities in flight (exit ${exitMs} ms), restarted and ready in ${startupMs.at(-1)} ms`,
          );
          nextKill = Date.now() + opts.killEveryS * 1000 * (0.5 + rnd());
        }
        await sleep(200);
      }
    })();
    let chaos: PhaseResult;
    try {
      chaos = await runPhase('chaos', burst, sandboxUrl, ipnUrls, opts.durationS, log);
    } finally {
      stopped = true;
      await monkey;
    }
    proxy.send({ type: 'rates', rates: NO_FAULTS });
    if (opts.faultMode === 'governance') await setAccountLimit(sandboxUrl, opts.limit);
    const refusedByGovernance =
      (await getJson(`${sandboxUrl}/__sandbox/stats`, sandboxRefusals)).rejected429 - refusedBefore;

    // --- verdict -------------------------------------------------------------------------------
    // Read the ledger only when nothing can change it any more: no request held by the proxy (a
    // hung one lands late) or running in the sandbox, and no workflow in progress (a retry waiting
    // for a late write, a subscription record, a void, a won dispute) — the same twice in a row.
    log('waiting until every held request has landed and every workflow has settled');
    const settled = await waitUntilSettled({
      client,
      sandboxUrl,
      proxy,
      timeoutMs: Math.max(180_000, 4 * opts.lateWriteHorizonMs),
      log,
    });
    log('checking the ledger and Temporal');
    const retries = (await Promise.all(trackers)).flat();
    const allOrders = [...(baselineBurst?.orders ?? []), ...burst.orders];
    const allSubscriptions = [...(baselineBurst?.subscriptions ?? []), ...burst.subscriptions];
    const ledger = await checkLedger(sandboxUrl, allOrders, allSubscriptions);
    const inProgress = settled.inProgress;
    const parked = settled.parked;
    const parkReasons = await listParkReasons(client).catch(() => ({}));
    const faults = (await proxy.report<FaultCounts>()).details;
    const workerReports = await Promise.all(
      workers.map(async (w) => ({ role: w.role, r: await w.report<WorkerDetails>() })),
    );
    const kinds = (k: ChaosEvent['kind']) => events.filter((e) => e.kind === k).length;
    const seen = retries.filter((r) => r.retryAfterMs !== undefined);
    const goodput =
      baseline && baseline.ordersPerSecond > 0 ? round(chaos.ordersPerSecond / baseline.ordersPerSecond, 3) : undefined;
    const result: ChaosResult = {
      options: opts,
      burst: burst.counts,
      ...(baseline ? { baseline } : {}),
      chaos,
      ...(goodput !== undefined ? { goodputShareOfFaultFree: goodput } : {}),
      faults,
      refusals: {
        faultMode: opts.faultMode,
        byGovernance: refusedByGovernance,
        governanceWindows: kinds('governance-window'),
        ...(opts.faultMode === 'governance' ? { governanceLimit: opts.governance.limit } : {}),
      },
      events,
      recovery: {
        workerKills: kinds('worker-kill'),
        gracefulStops: kinds('worker-stop'),
        temporalRestarts: kinds('temporal-restart'),
        gatewayRestarts: kinds('gateway-restart'),
        killedActivities: retries.length,
        killToRetryMs: distribution(seen.map((r) => r.retryAfterMs!)),
        killToDeclaredDeadMs: distribution(
          retries.flatMap((r) => (r.declaredDeadAfterMs === undefined ? [] : [r.declaredDeadAfterMs])),
        ),
        retriesNotSeen: retries.length - seen.length,
        workerStartToReadyMs: distribution(startupMs),
        gracefulStopMs: distribution(gracefulMs),
        bundleBuildMs,
      },
      ledger,
      settled: { ok: settled.ok, waitedSeconds: settled.waitedSeconds },
      parked,
      parkReasons,
      inProgress,
      workers: workerReports.map(({ role, r }) => ({
        role,
        limiter: r.details.limiter,
        errorsByKind: r.details.client.errorsByKind,
      })),
      passed: false,
    };
    result.passed =
      settled.ok &&
      ledger.lost === 0 &&
      ledger.duplicated === 0 &&
      ledger.wrongTotals === 0 &&
      parked === 0 &&
      inProgress === 0 &&
      !chaos.timedOut &&
      kinds('worker-died') === 0;
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

function pctRates(opts: ChaosOptions): string {
  const total = Object.values(opts.rates).reduce((a, b) => a + b, 0);
  return `${(total * 100).toFixed(0)} %`;
}

/**
 * Waits until the proxy holds no request, the sandbox runs none, and no workflow is in progress,
 * seen twice in a row a second apart (Temporal's visibility lags a little behind the workflows).
 */
async function waitUntilSettled(opts: {
  client: Client;
  sandboxUrl: string;
  proxy: BenchChild;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<{ ok: boolean; inProgress: number; parked: number; waitedSeconds: number }> {
  const t0 = Date.now();
  let quiet = 0;
  let inProgress = Number.NaN;
  let parked = Number.NaN;
  let lastLog = 0;
  while (Date.now() - t0 < opts.timeoutMs) {
    try {
      const held = (await opts.proxy.report<FaultCounts>()).details.inFlight;
      const running = (await getJson(`${opts.sandboxUrl}/__sandbox/stats`, sandboxInFlight)).inFlight;
      inProgress = (await opts.client.workflow.count('SyncStatus = "InProgress"')).count;
      parked = await countParked(opts.client);
      quiet = held === 0 && running === 0 && inProgress === 0 ? quiet + 1 : 0;
      if (quiet >= 2) return { ok: true, inProgress, parked, waitedSeconds: round((Date.now() - t0) / 1000, 1) };
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        opts.log(
          `  settling: ${held} requests held by the proxy, ${running} running in the sandbox, ${inProgress} workflows in progress, ${parked} parked`,
        );
      }
    } catch {
      quiet = 0; // Temporal still coming back
    }
    await sleep(1_000);
  }
  return { ok: false, inProgress, parked, waitedSeconds: round((Date.now() - t0) / 1000, 1) };
}
