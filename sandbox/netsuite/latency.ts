// Per-request latency drawn from a log-normal distribution with a given median and 99th
// percentile: a few slow calls among many quick ones, like a real NetSuite account.
import { z } from 'zod';

export const latencySchema = z
  .object({ medianMs: z.number().min(0), p99Ms: z.number().min(0) })
  .refine((l) => l.p99Ms >= l.medianMs, { message: 'p99Ms must be at least medianMs' });
export type Latency = z.infer<typeof latencySchema>;

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.326347874;

export function sampleLatencyMs(l: Latency, random: () => number = Math.random): number {
  if (l.medianMs <= 0) return 0;
  const mu = Math.log(l.medianMs);
  const sigma = l.p99Ms > l.medianMs ? (Math.log(l.p99Ms) - mu) / Z99 : 0;
  // Box–Muller: one standard normal sample from two uniform ones.
  const u1 = 1 - random();
  const u2 = random();
  const n = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(mu + sigma * n);
}
