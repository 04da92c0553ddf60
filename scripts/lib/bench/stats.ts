// Percentiles (nearest rank), small summaries and per-process figures for the benchmark's report.
import type { ProcessUsage } from './ipc.js';

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (x: number, digits = 1): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(mean),
  };
}

/**
 * Mean of the log-normal latency the sandbox draws (median m, 99th percentile q):
 * σ = ln(q/m) / z₀.₉₉ and mean = m·e^{σ²/2}. What the bound would use without measuring.
 */
export function logNormalMean(medianMs: number, p99Ms: number): number {
  if (medianMs <= 0) return 0;
  const sigma = p99Ms > medianMs ? Math.log(p99Ms / medianMs) / 2.326347874 : 0;
  return medianMs * Math.exp((sigma * sigma) / 2);
}

export interface BurstTimes {
  /** First IPN sent → last synced order's final record (0 when none was synced). */
  drainSeconds: number;
  /** First IPN sent → first synced order's final record (NaN when none was synced). */
  firstSyncedSeconds: number;
  /** Each synced order's IPN sent → its final record. */
  endToEndMs: number[];
}

/** How a burst drained, from each order's send time and the time its final record appeared (undefined: never). */
export function burstTimes(sentAtMs: number[], syncedAtMs: Array<number | undefined>): BurstTimes {
  const firstSent = Math.min(...sentAtMs);
  let first = Number.POSITIVE_INFINITY;
  let last = firstSent;
  const endToEndMs: number[] = [];
  sentAtMs.forEach((sent, i) => {
    const at = syncedAtMs[i];
    if (at === undefined) return;
    first = Math.min(first, at);
    last = Math.max(last, at);
    endToEndMs.push(at - sent);
  });
  return {
    drainSeconds: (last - firstSent) / 1000,
    firstSyncedSeconds: endToEndMs.length > 0 ? (first - firstSent) / 1000 : Number.NaN,
    endToEndMs,
  };
}

export const sum = (values: Iterable<number>): number => {
  let s = 0;
  for (const v of values) s += v;
  return s;
};

export { round };

export interface ProcessFigures {
  role: string;
  pid: number;
  peakRssMB: number;
  cpuSeconds: number;
}

export function processFigures(role: string, u: ProcessUsage): ProcessFigures {
  return {
    role,
    pid: u.pid,
    peakRssMB: round(u.peakRssBytes / 2 ** 20),
    cpuSeconds: round((u.cpuUserMs + u.cpuSystemMs) / 1000, 2),
  };
}

export function ownUsage(): ProcessUsage {
  const u = process.resourceUsage();
  return {
    pid: process.pid,
    peakRssBytes: u.maxRSS * 1024,
    cpuUserMs: u.userCPUTime / 1000,
    cpuSystemMs: u.systemCPUTime / 1000,
  };
}
