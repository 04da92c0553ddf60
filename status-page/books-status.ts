// What the finance status page shows, read from Temporal's visibility (search attributes) and the
// syncs' own `syncState` query: counts per day, parked syncs by reason, one sync's records and
// journal. Read-only: nothing here signals, updates or starts a workflow.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { ATTENTION_REASONS } from '../mappings/park-reasons.js';
import { findStuckSyncs, stuckQuery, type StuckSync } from '../operations/stuck-syncs.js';

export interface DayCounts {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Syncs whose last change that day left them synced. */
  synced: number;
  /** Syncs that parked that day and are still parked. */
  parked: number;
  /** `synced`, counted apart: orders, subscriptions and payouts. */
  syncedByKind: Record<SyncKind, number>;
}

export type SyncKind = 'order' | 'subscription' | 'payout';
const KINDS: readonly SyncKind[] = ['order', 'subscription', 'payout'];

export interface BooksStatus {
  generatedAt: Date;
  days: DayCounts[];
  inProgress: number;
  parkedTotal: number;
  parkedByReason: Array<{ reason: string; count: number }>;
  parked: StuckSync[];
}

const DAY_MS = 86_400_000;
const dayStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

export async function readBooksStatus(
  client: Client,
  opts: { uiBase: string; namespace: string; days?: number; now?: Date; parkedLimit?: number },
): Promise<BooksStatus> {
  const now = opts.now ?? new Date();
  const count = async (query: string) => (await client.workflow.count(query)).count;
  const today = dayStart(now);
  const days = await Promise.all(
    Array.from({ length: opts.days ?? 7 }, async (_, i): Promise<DayCounts> => {
      const from = new Date(today.getTime() - i * DAY_MS);
      const range = `LastSyncAt >= '${from.toISOString()}' AND LastSyncAt < '${new Date(from.getTime() + DAY_MS).toISOString()}'`;
      const [synced, parked, ...byKind] = await Promise.all([
        count(`SyncStatus = 'Synced' AND ${range}`),
        count(`SyncStatus = 'NeedsAttention' AND ${range}`),
        ...KINDS.map((k) => count(`EntityKind = '${k}' AND SyncStatus = 'Synced' AND ${range}`)),
      ]);
      const syncedByKind = Object.fromEntries(KINDS.map((k, j) => [k, byKind[j] ?? 0])) as Record<SyncKind, number>;
      return { day: from.toISOString().slice(0, 10), synced, parked, syncedByKind };
    }),
  );
  // Every reason of the catalogue, so a newly added one is counted without touching this page.
  const byReason = await Promise.all(
    Object.keys(ATTENTION_REASONS).map(async (reason) => ({
      reason,
      count: await count(stuckQuery({ mode: 'parked', reason })),
    })),
  );
  const [inProgress, parkedTotal, parked] = await Promise.all([
    count(`ExecutionStatus = 'Running' AND SyncStatus = 'InProgress'`),
    count(`SyncStatus = 'NeedsAttention'`),
    findStuckSyncs(
      client,
      { mode: 'parked' },
      { uiBase: opts.uiBase, namespace: opts.namespace, limit: opts.parkedLimit ?? 200 },
    ),
  ]);
  return {
    generatedAt: now,
    days,
    inProgress,
    parkedTotal,
    parkedByReason: byReason.filter((r) => r.count > 0),
    parked,
  };
}

/** The part of an order's or subscription's `syncState` answer the detail page shows. */
export const SyncDetailView = z.looseObject({
  syncStatus: z.string(),
  refNo: z.string().optional(),
  licenseCode: z.string().optional(),
  orderStatus: z.string().optional(),
  status: z.string().optional(),
  park: z
    .looseObject({
      step: z.string(),
      reason: z.string(),
      message: z.string(),
      since: z.string().optional(),
      path: z.string().optional(),
    })
    .optional(),
  records: z.record(z.string(), z.unknown()).optional(),
  netsuiteRecords: z.array(z.looseObject({})).optional(),
  completedSteps: z.array(z.string()).optional(),
  skippedSteps: z.array(z.string()).optional(),
  journal: z.array(z.object({ at: z.string(), what: z.string(), detail: z.string().optional() })).default([]),
});
export type SyncDetail = z.infer<typeof SyncDetailView>;

export async function readSyncDetail(client: Client, workflowId: string): Promise<SyncDetail> {
  const answer: unknown = await client.workflow.getHandle(workflowId).query('syncState');
  return SyncDetailView.parse(answer);
}
