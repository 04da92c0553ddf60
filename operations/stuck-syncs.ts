// Finding syncs that need a person: parked ones (SyncStatus = 'NeedsAttention', with the reason
// and explanation the workflow put in its search attributes and memo), and ones that have been
// "in progress" for too long (usually NetSuite refusing for hours, or no worker polling).
// The List Filter queries built here are the same ones docs/operating.md gives for the Web UI.
import { Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { isAttentionFlag } from '../mappings/park-reasons.js';
import {
  EntityKind,
  LastSyncAt,
  LicenseCode,
  OrderRef,
  ParkReason,
  SubscriptionStatus,
  SyncStatus,
} from '../shared/search-attributes.js';
import { parseDuration } from './durations.js';
import { workflowUrl } from './web-ui.js';
import { wrapText } from './text-table.js';

export type EntityKindValue = 'order' | 'subscription' | 'payout';

export type StuckFilters =
  | { mode: 'parked'; reason?: string; kind?: EntityKindValue }
  | { mode: 'inProgress'; olderThanMs: number; kind?: EntityKindValue; now?: Date };

/** Park reasons are upper-case codes; anything else would also let quotes into the query. */
const REASON_CODE = /^[A-Z][A-Z0-9_]*$/;

export function stuckQuery(f: StuckFilters): string {
  const parts: string[] = [];
  if (f.mode === 'parked') {
    parts.push(`SyncStatus = 'NeedsAttention'`);
    if (f.reason !== undefined) {
      if (!REASON_CODE.test(f.reason))
        throw new Error(
          `"${f.reason}" is not a park reason code (e.g. UNMAPPED_PRODUCT, NETSUITE_USER_ERROR, RENEWAL_MISSED)`,
        );
      // A missed renewal is not a parked step: the subscription flags it in its own attribute.
      parts.push(isAttentionFlag(f.reason) ? `SubscriptionStatus = '${f.reason}'` : `ParkReason = '${f.reason}'`);
    }
  } else {
    const cutoff = new Date((f.now ?? new Date()).getTime() - f.olderThanMs);
    parts.push(`ExecutionStatus = 'Running'`, `SyncStatus = 'InProgress'`, `StartTime < '${cutoff.toISOString()}'`);
  }
  if (f.kind) parts.push(`EntityKind = '${f.kind}'`);
  return parts.join(' AND ');
}

/** The filters an operator gives (`npm run stuck` options, the MCP `list_stuck` arguments). */
export interface StuckFilterInput {
  reason?: string;
  kind?: string;
  /** A duration such as 30m, 1h, 2d: list running syncs still InProgress that started longer ago. */
  inProgressOver?: string;
  now?: Date;
}

/** Checks and normalises the filters (throws with a sentence naming the wrong one). */
export function stuckFilters(input: StuckFilterInput): StuckFilters {
  const { kind, inProgressOver: over } = input;
  if (kind !== undefined && kind !== 'order' && kind !== 'subscription' && kind !== 'payout')
    throw new Error(`kind must be order, subscription or payout, not "${kind}"`);
  if (over !== undefined && input.reason !== undefined)
    throw new Error('a reason applies to parked syncs; it cannot be combined with in-progress-over');
  const filters: StuckFilters =
    over !== undefined
      ? {
          mode: 'inProgress',
          olderThanMs: parseDuration(over),
          ...(kind ? { kind } : {}),
          ...(input.now ? { now: input.now } : {}),
        }
      : {
          mode: 'parked',
          ...(input.reason ? { reason: input.reason.trim().toUpperCase() } : {}),
          ...(kind ? { kind } : {}),
        };
  stuckQuery(filters); // validates the reason code before any network call
  return filters;
}

export interface StuckSync {
  workflowId: string;
  runId: string;
  workflowType: string;
  kind?: string;
  /** REFNO or licence code. */
  ref?: string;
  syncStatus?: string;
  reason?: string;
  step?: string;
  /** What is wrong and what to do, as the workflow explained it. */
  message?: string;
  /** Where in the input the problem is, e.g. `lines[0].productCode`. */
  path?: string;
  startTime: Date;
  lastSyncAt?: Date;
  /** Where the explanation came from. */
  source: 'memo' | 'query' | 'none';
  url: string;
}

export interface FindOptions {
  uiBase: string;
  namespace: string;
  /** Stop after this many (default 200). */
  limit?: number;
  /** Budget for the syncState query of one workflow when the memo has no explanation (default 3 s). */
  queryTimeoutMs?: number;
}

/** The part of the workflows' `syncState` query answer the listing uses (orders and subscriptions). */
const SyncStateView = z.looseObject({
  syncStatus: z.string().optional(),
  park: z
    .looseObject({ step: z.string(), reason: z.string(), message: z.string(), path: z.string().optional() })
    .optional(),
  waiting: z.array(z.string()).optional(),
});

export async function findStuckSyncs(client: Client, filters: StuckFilters, opts: FindOptions): Promise<StuckSync[]> {
  try {
    return await listStuck(client, filters, opts);
  } catch (err) {
    if (
      !(err instanceof Error) ||
      !/Unknown encoding: binary\/encrypted|encrypted with key|unable to authenticate data|does not authenticate|encrypted for (workflow|namespace)/.test(
        err.message,
      )
    )
      throw err;
    // Some memos are encrypted and this process has no key for them (none at all, or not the key
    // they were written with, e.g. after a rotation that dropped it; or bound to another namespace
    // than this process reads): still list everything (search
    // attributes are never encrypted), read what our keys can read, and say where the rest went.
    return listStuck(withEncryptedPlaceholders(client), filters, opts);
  }
}

async function listStuck(client: Client, filters: StuckFilters, opts: FindOptions): Promise<StuckSync[]> {
  const limit = opts.limit ?? 200;
  const found: StuckSync[] = [];
  for await (const wf of client.workflow.list({ query: stuckQuery(filters) })) {
    found.push(await describeStuck(client, wf, opts));
    if (found.length >= limit) break;
  }
  return found;
}

export const ENCRYPTED_PLACEHOLDER = '(encrypted: set PAYLOAD_ENCRYPTION_KEY to the worker’s key to read it)';

/**
 * A client on the same connection that decodes each payload with this process's own codecs where
 * it can, and shows an encrypted payload it cannot read as a placeholder instead of failing.
 */
function withEncryptedPlaceholders(client: Client): Client {
  const own = client.options.dataConverter?.payloadCodecs ?? [];
  const isEncrypted = (p: Payload) =>
    Buffer.from(p.metadata?.[METADATA_ENCODING_KEY] ?? []).toString('utf8') === 'binary/encrypted';
  const decodeOne = async (p: Payload): Promise<Payload> => {
    let out = [p];
    for (const codec of [...own].reverse()) out = await codec.decode(out);
    if (isEncrypted(out[0]!)) throw new Error('no key for this payload');
    return out[0]!;
  };
  const placeholder: PayloadCodec = {
    async encode(payloads: Payload[]) {
      return payloads;
    },
    async decode(payloads: Payload[]) {
      return Promise.all(
        payloads.map(async (p) => {
          if (!isEncrypted(p)) return p;
          return decodeOne(p).catch(() => defaultPayloadConverter.toPayload(ENCRYPTED_PLACEHOLDER));
        }),
      );
    },
  };
  return new Client({
    connection: client.connection,
    namespace: client.options.namespace,
    dataConverter: { payloadCodecs: [placeholder] },
  });
}

const flagOf = (status: string | undefined) => (status !== undefined && isAttentionFlag(status) ? status : undefined);

async function describeStuck(client: Client, wf: WorkflowExecutionInfo, opts: FindOptions): Promise<StuckSync> {
  const sa = wf.typedSearchAttributes;
  const memo = wf.memo ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const base: StuckSync = {
    workflowId: wf.workflowId,
    runId: wf.runId,
    workflowType: wf.type,
    kind: sa.get(EntityKind),
    ref: sa.get(OrderRef) ?? sa.get(LicenseCode),
    syncStatus: sa.get(SyncStatus),
    reason: sa.get(ParkReason) ?? text(memo.parkReason) ?? flagOf(sa.get(SubscriptionStatus)),
    step: text(memo.parkStep),
    // Subscriptions explain a missed renewal under `attention`.
    message: text(memo.parkMessage) ?? text(memo.attention),
    path: text(memo.parkPath),
    startTime: wf.startTime,
    lastSyncAt: sa.get(LastSyncAt),
    source: (text(memo.parkMessage) ?? text(memo.attention)) ? 'memo' : 'none',
    url: workflowUrl(opts.uiBase, opts.namespace, wf.workflowId),
  };
  if (base.message) return base;
  // No explanation in the memo (an in-progress sync, or a memo encrypted by a codec): ask the
  // workflow itself. This needs a worker; with none polling the query would hang, hence the budget.
  try {
    const handle = client.workflow.getHandle(wf.workflowId, wf.runId);
    const raw = await client.connection.withDeadline(Date.now() + (opts.queryTimeoutMs ?? 3_000), () =>
      handle.query<unknown>('syncState'),
    );
    const state = SyncStateView.safeParse(raw);
    if (!state.success) return base;
    const { park, waiting } = state.data;
    if (park) {
      return {
        ...base,
        reason: base.reason ?? park.reason,
        step: park.step,
        message: park.message,
        ...(park.path ? { path: park.path } : {}),
        source: 'query',
      };
    }
    if (waiting && waiting.length > 0) return { ...base, message: `waiting: ${waiting.join('; ')}`, source: 'query' };
    return base;
  } catch {
    return {
      ...base,
      message: base.message ?? 'no worker answered the syncState query (is a worker running on this task queue?)',
    };
  }
}

/** Human-readable lines, one block per sync. */
/** A terminal's width: a controller's report fits 100 columns. */
const LINE_WIDTH = 100;

export function formatStuckSyncs(list: readonly StuckSync[], now = new Date()): string[] {
  const lines: string[] = [];
  for (const s of list) {
    const head = [
      s.workflowId,
      s.ref ? `ref ${s.ref}` : undefined,
      s.reason ?? s.syncStatus,
      s.step ? `at ${s.step}` : undefined,
    ]
      .filter(Boolean)
      .join('  ');
    lines.push(head);
    if (s.message)
      lines.push(...wrapText(`${s.message}${s.path ? ` (${s.path})` : ''}`, LINE_WIDTH - 2).map((x) => `  ${x}`));
    const since = s.lastSyncAt ?? s.startTime;
    lines.push(
      `  since ${utcMinute(since)} (${ago(now.getTime() - since.getTime())}), started ${utcMinute(s.startTime)}`,
    );
    lines.push(`  ${s.url}`);
  }
  return lines;
}

/** "2026-12-06 14:18 UTC" */
const utcMinute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function ago(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 1) return 'just now';
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? ` ${m % 60}m` : ''} ago`;
  return `${Math.floor(h / 24)}d ago`;
}
