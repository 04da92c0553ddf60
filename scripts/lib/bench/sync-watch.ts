// Watches the sandbox's ledger until every order is synced: reads only the records created since
// the last look (`/__sandbox/created/<after>`), notes when each order's final record (payment or
// cash sale) appeared, and asks Temporal how many syncs are parked, so a run that cannot finish
// stops instead of waiting forever.
import { request } from 'undici';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { ParkReason } from '../../../shared/search-attributes.js';

const creations = z.array(
  z.object({ seq: z.number(), type: z.string(), id: z.string(), externalId: z.string().optional(), atMs: z.number() }),
);

export async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const res = await request(url);
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${text.slice(0, 200)}`);
  return schema.parse(JSON.parse(text));
}

export interface WatchResult {
  /** Final record's creation time (epoch ms) by the order's final externalId. */
  syncedAtMs: Map<string, number>;
  /** Records of each type created during the run. */
  createdByType: Record<string, number>;
  parked: number;
  /** True when the watch ended because nothing moved for the stall timeout. */
  stalled: boolean;
}

export interface WatchOptions {
  sandboxUrl: string;
  /** externalIds whose creation means "this order is synced". */
  finalExternalIds: Set<string>;
  /** Creation-log position to start after (records created before the run are not counted). */
  after: number;
  client?: Client;
  stallTimeoutMs: number;
  /** True once every IPN has been handed over (before that, a quiet ledger is not a stall). */
  sendingDone: () => boolean;
  onProgress?: (synced: number, parked: number) => void;
}

export async function countParked(client: Client | undefined): Promise<number> {
  if (!client) return 0;
  const { count } = await client.workflow.count('SyncStatus = "NeedsAttention"');
  return count;
}

export async function watchUntilSynced(opts: WatchOptions): Promise<WatchResult> {
  const syncedAtMs = new Map<string, number>();
  const createdByType: Record<string, number> = {};
  let after = opts.after;
  let parked = 0;
  let lastMove = Date.now();
  let lastParkCheck = 0;
  const total = opts.finalExternalIds.size;
  for (;;) {
    const batch = await getJson(`${opts.sandboxUrl}/__sandbox/created/${after}`, creations);
    for (const e of batch) {
      after = e.seq;
      createdByType[e.type] = (createdByType[e.type] ?? 0) + 1;
      if (e.externalId !== undefined && opts.finalExternalIds.has(e.externalId) && !syncedAtMs.has(e.externalId))
        syncedAtMs.set(e.externalId, e.atMs);
    }
    if (batch.length > 0) lastMove = Date.now();
    if (Date.now() - lastParkCheck > 5_000 || syncedAtMs.size === total) {
      lastParkCheck = Date.now();
      parked = await countParked(opts.client);
      opts.onProgress?.(syncedAtMs.size, parked);
    }
    if (syncedAtMs.size + parked >= total && opts.sendingDone())
      return { syncedAtMs, createdByType, parked, stalled: false };
    if (opts.sendingDone() && Date.now() - lastMove > opts.stallTimeoutMs)
      return { syncedAtMs, createdByType, parked, stalled: true };
    // A full batch means more is waiting; otherwise look again shortly.
    if (batch.length < 10_000) await new Promise((r) => setTimeout(r, 200));
  }
}

export async function fetchOk(url: string, method: 'GET' | 'POST'): Promise<void> {
  const res = await request(url, { method });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode}`);
}

/** Parked syncs by reason (the ParkReason search attribute). */
export async function listParkReasons(client: Client): Promise<Record<string, number>> {
  const reasons: Record<string, number> = {};
  let seen = 0;
  for await (const wf of client.workflow.list({ query: 'SyncStatus = "NeedsAttention"' })) {
    const reason = wf.typedSearchAttributes.get(ParkReason) ?? 'unknown';
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (++seen >= 10_000) break;
  }
  return reasons;
}
