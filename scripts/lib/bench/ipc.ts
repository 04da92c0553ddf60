// The small protocol between the benchmark and the processes it runs (sandbox, workers, gateway),
// over Node's child-process IPC channel: a child says `ready` once it serves, answers `report`
// requests with its resource use and role-specific figures, and stops on `stop`.
import type { NetSuiteClientStats } from '../../../netsuite/types.js';
import type { LimiterSnapshot } from '../../../netsuite/limiter.js';
import type { RunningActivity } from '../../../worker/activity-liveness.js';

/** What every process reports about itself. */
export interface ProcessUsage {
  pid: number;
  /** Peak resident set size (bytes) since the process started. */
  peakRssBytes: number;
  /** CPU time used since the process started (ms). */
  cpuUserMs: number;
  cpuSystemMs: number;
}

export interface ChildReport<T = unknown> extends ProcessUsage {
  role: string;
  details: T;
}

/** A worker's own figures: its share of the concurrency budget and what its client saw. */
export interface WorkerDetails {
  limiter: LimiterSnapshot;
  limiterMax: number;
  client: NetSuiteClientStats;
  /** Activities executing in the worker now (the chaos run reads them just before a kill). */
  running: RunningActivity[];
}

export type ChildMessage =
  | { type: 'ready'; info: Record<string, string | number> }
  | { type: 'report'; id: number; report: ChildReport }
  | { type: 'failed'; message: string };

export type ParentMessage = { type: 'report'; id: number } | { type: 'stop' };

export function ownUsage(): ProcessUsage {
  const usage = process.resourceUsage();
  return {
    pid: process.pid,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssBytes: usage.maxRSS * 1024,
    cpuUserMs: usage.userCPUTime / 1000,
    cpuSystemMs: usage.systemCPUTime / 1000,
  };
}

export function isParentMessage(value: unknown): value is ParentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'stop' || (type === 'report' && typeof (value as { id?: unknown }).id === 'number');
}

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'report' || type === 'failed';
}
