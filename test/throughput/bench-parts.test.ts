// The benchmark's own arithmetic and flags (scripts/lib/bench): what its figures are computed from.
import { describe, expect, it } from 'vitest';
import { parseBenchOptions, UsageError } from '../../scripts/lib/bench/options.js';
import { isReturning } from '../../scripts/lib/bench/orders.js';
import { burstTimes, distribution, logNormalMean } from '../../scripts/lib/bench/stats.js';
import { parseChaosOptions } from '../../scripts/lib/chaos/options.js';

describe('bench flags', () => {
  it('defaults: a small run, p99 three times the median, concurrency = the account limit', () => {
    expect(parseBenchOptions([])).toMatchObject({
      orders: 300,
      rate: 0,
      returning: 0.3,
      mode: 'salesOrder',
      latencyMedianMs: 50,
      latencyP99Ms: 150,
      limit: 5,
      concurrency: 5,
      workers: 1,
      gatewayOnly: false,
    });
    expect(parseBenchOptions(['--limit', '8', '--latency', '100'])).toMatchObject({
      limit: 8,
      concurrency: 8,
      latencyP99Ms: 300,
    });
    expect(parseBenchOptions(['--gateway-only'])).toMatchObject({ gatewayOnly: true, orders: 3000, sink: 'temporal' });
    expect(parseBenchOptions(['--help'])).toBe('help');
  });

  it('refuses what cannot be run, naming the flag', () => {
    expect(() => parseBenchOptions(['--mode', 'invoice'])).toThrow(UsageError);
    expect(() => parseBenchOptions(['--returning', '1.5'])).toThrow(/--returning/);
    expect(() => parseBenchOptions(['--latency', '100', '--latency-p99', '50'])).toThrow(/--latency-p99/);
    expect(() => parseBenchOptions(['--orders', '0'])).toThrow(/--orders/);
    expect(() => parseBenchOptions(['--bogus'])).toThrow(UsageError);
  });
});

describe('bench arithmetic', () => {
  it('spreads the returning share evenly and exactly', () => {
    const flags = Array.from({ length: 1000 }, (_, i) => isReturning(i, 0.3));
    expect(flags.filter(Boolean)).toHaveLength(300);
    expect(flags.slice(0, 10).filter(Boolean)).toHaveLength(3);
    expect(Array.from({ length: 50 }, (_, i) => isReturning(i, 0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 50 }, (_, i) => isReturning(i, 1)).every(Boolean)).toBe(true);
  });

  it('nearest-rank percentiles', () => {
    const d = distribution(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(d).toMatchObject({ count: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
    expect(distribution([7])).toMatchObject({ p50: 7, p99: 7, max: 7 });
  });

  it('times a burst from its first IPN: first order synced, drain, and each order end to end; unsynced orders count in neither', () => {
    // Sent at 0, 100, 200, 300 ms; the third never synced; the second finished first.
    const t = burstTimes([1_000, 1_100, 1_200, 1_300], [5_000, 3_100, undefined, 9_300]);
    expect(t.firstSyncedSeconds).toBe(2.1);
    expect(t.drainSeconds).toBe(8.3);
    expect(t.endToEndMs).toEqual([4_000, 2_000, 8_000]);
    expect(burstTimes([1_000], [undefined])).toMatchObject({
      drainSeconds: 0,
      firstSyncedSeconds: Number.NaN,
      endToEndMs: [],
    });
  });

  it('mean of the sandbox latency distribution: the median without spread, more with a long tail', () => {
    expect(logNormalMean(100, 100)).toBe(100);
    // σ = ln 3 / 2.326 ≈ 0.472 → mean = 100 · e^{σ²/2} ≈ 111.8
    expect(logNormalMean(100, 300)).toBeCloseTo(111.8, 1);
  });
});

describe('bench flags of issue 26', () => {
  it('live alone, CPU profile, the price of an Action (an assumption, $50 per million by default) and the histories read', () => {
    expect(parseBenchOptions([])).toMatchObject({
      liveAlone: false,
      cpuProf: false,
      pricePerMillionActions: 50,
      actionsSample: 2000,
    });
    expect(
      parseBenchOptions([
        '--bulk',
        '5000',
        '--live-alone',
        '--cpu-prof',
        '--price-per-million-actions',
        '25',
        '--actions-sample',
        '100',
      ]),
    ).toMatchObject({
      bulk: 5000,
      liveAlone: true,
      cpuProf: true,
      pricePerMillionActions: 25,
      actionsSample: 100,
    });
    expect(() => parseBenchOptions(['--price-per-million-actions', '-1'])).toThrow(/--price-per-million-actions/);
  });
});

describe('chaos flags: where the 429s come from', () => {
  it('random by default; governance draws no random 429 and lowers the account limit during windows', () => {
    const random = parseChaosOptions([]);
    expect(random).toMatchObject({ faultMode: 'random', rates: { status429: 0.05 } });
    const governance = parseChaosOptions(['--fault-mode', 'governance', '--limit', '8']);
    expect(governance).toMatchObject({
      faultMode: 'governance',
      rates: { status429: 0 },
      governance: { limit: 4, everyS: 60, forS: 20 },
    });
    expect(
      parseChaosOptions([
        '--fault-mode',
        'governance',
        '--governance-limit',
        '3',
        '--governance-every',
        '30',
        '--governance-for',
        '10',
      ]),
    ).toMatchObject({ governance: { limit: 3, everyS: 30, forS: 10 } });
  });

  it('refuses a window that does not lower the limit or outlasts its period, naming the flag', () => {
    expect(() => parseChaosOptions(['--governance-limit', '8', '--limit', '8'])).toThrow(/--governance-limit/);
    expect(() => parseChaosOptions(['--governance-every', '10', '--governance-for', '10'])).toThrow(/--governance-for/);
    expect(() => parseChaosOptions(['--fault-mode', 'sometimes'])).toThrow(/--fault-mode/);
  });
});
