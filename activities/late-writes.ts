// Writes whose answer never came, carried from one attempt of an activity to the next in its
// heartbeat details, so a retry does not send a `!transform` again while the first one may still
// land in NetSuite.
//
// Why: when NetSuite keeps the `externalId` of a transform body, a late first request and the
// retry's request cannot both land (the second is refused as a duplicate). Whether it keeps it is
// unconfirmed (docs/reference-notes.md#ns-records); when it drops it, the retry's look-up (by
// externalId, then by the memo's second key) finds nothing while the first request is still
// running, and both land: two credit memos for one refund. NetSuite ends any request after
// 15 minutes (docs/reference-notes.md#ns-records), so a write that got no answer can land only
// within that time of being sent. The retry therefore looks again until that horizon has passed
// (or the record shows up, and is adopted) before it writes again.
//
// The same holds for a PUT upsert of a record that changes over time (the subscription record): the
// retry writes the same state, but a later write (a renewal) must not be undone by the unanswered one
// landing after it, so that activity waits out the horizon too (it never finds "its" record: the
// record exists either way).
//
// What is carried (heartbeat details, version 1): the attempt, whether it ended (the worker's
// liveness interceptor marks it when the attempt throws: the details then ride on the failure it
// reports), and the writes that failed without an answer, each with a time no earlier than its
// sending. An attempt that did not end (worker killed, or timed out while running) may have sent
// anything: the next attempt treats every write of the activity as possibly sent until it was
// itself scheduled. So does an attempt that finds no details from the attempt just before it: that
// one stopped before it ever heartbeated (heartbeats start only once a call is slow).
//
// Cost: nothing on the healthy path: no NetSuite call, and no heartbeat (a billable Temporal Action
// each): details are recorded only when there is something new to remember, a failed attempt's ride
// on its failure report, and a slow attempt's on the liveness interceptor's heartbeats. After a
// write that got no answer, a retry that does not find the record waits, looking every POLL_MS, up
// to the horizon (default 16 minutes) before writing.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { NetSuiteError } from '../netsuite/types.js';

/** NetSuite ends a request after 15 minutes; one more for clocks that differ between workers. */
export const DEFAULT_LATE_WRITE_HORIZON_MS = 16 * 60_000;
/** How often a retry that waits for a late write looks for it again. */
export const LATE_WRITE_POLL_MS = 30_000;
/** Stands for every write of the activity (an attempt that did not end may have sent any). */
const ANY = '*';

const UncertainWrite = z.object({ externalId: z.string(), sinceMs: z.number() });
const Progress = z.object({
  v: z.literal(1),
  attempt: z.number(),
  ended: z.boolean(),
  uncertainWrites: z.array(UncertainWrite),
});
type Progress = z.infer<typeof Progress>;

const progressOf = new WeakMap<Context, Progress>();

let heartbeatCalls = 0;

/** Heartbeats activities of this process asked for (with details) since it started; tests read it. */
export function heartbeatsRequested(): number {
  return heartbeatCalls;
}

/** Records the attempt's progress as its heartbeat details (the SDK sends or throttles it). */
export function heartbeatProgress(ctx: Context, p: Progress): void {
  heartbeatCalls += 1;
  ctx.heartbeat(p);
}

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** This attempt's progress: begun from what the previous attempt left in its heartbeat details. */
function progress(ctx: Context): Progress {
  let p = progressOf.get(ctx);
  if (p) return p;
  const carried = Progress.safeParse(ctx.info.heartbeatDetails);
  const uncertainWrites = carried.success ? [...carried.data.uncertainWrites] : [];
  // The attempt just before this one said it ended; any other (none, or it left nothing: stopped
  // before its first heartbeat) may have sent any write until this attempt was scheduled.
  const previousEnded = carried.success && carried.data.ended && carried.data.attempt === ctx.info.attempt - 1;
  if (ctx.info.attempt > 1 && !previousEnded) {
    uncertainWrites.push({ externalId: ANY, sinceMs: ctx.info.currentAttemptScheduledTimestampMs });
  }
  p = { v: 1, attempt: ctx.info.attempt, ended: false, uncertainWrites };
  progressOf.set(ctx, p);
  return p;
}

/** The heartbeat details of the running attempt (the liveness interceptor sends them, never empty ones). */
export function attemptHeartbeatDetails(ctx: Context): Progress {
  return progress(ctx);
}

/** Marks the attempt as ended (it threw): the next attempt knows what it sent. */
export function attemptEnded(ctx: Context): Progress {
  const p = progress(ctx);
  p.ended = true;
  return p;
}

/** Records the details when they changed since the last time: a heartbeat is a billable Action. */
function save(ctx: Context, p: Progress, before: string): void {
  if (JSON.stringify(p.uncertainWrites) !== before) heartbeatProgress(ctx, p);
}

const snapshot = (p: Progress): string => JSON.stringify(p.uncertainWrites);

/** True when the failure is an answer from NetSuite: the request is over there, whatever it said. */
function answered(err: unknown): boolean {
  return err instanceof NetSuiteError && err.status !== undefined;
}

/** Network errors that mean the request never left (nothing was sent, nothing can land). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
function neverSent(err: unknown): boolean {
  if (!(err instanceof NetSuiteError) || err.kind !== 'network') return false;
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NOT_SENT.has(code);
}

export interface LateWriteGuard {
  /**
   * Before a retry writes `externalId` again (its look-up found nothing): throws a retryable
   * failure, to look again later, while an earlier write of it may still land.
   */
  beforeResend(externalId: string): void;
  /** Runs the write; a failure without NetSuite's answer leaves it uncertain for the next attempt. */
  write<T>(externalId: string, send: () => Promise<T>): Promise<T>;
  /** The record was found: no earlier write of it can land as a second one it does not know of. */
  found(externalId: string): void;
}

export function lateWriteGuard(
  horizonMs: number = DEFAULT_LATE_WRITE_HORIZON_MS,
  now: () => number = Date.now,
): LateWriteGuard {
  const ctx = currentContext();
  const drop = (p: Progress, externalId: string) => {
    p.uncertainWrites = p.uncertainWrites.filter((w) => w.externalId !== externalId && now() < w.sinceMs + horizonMs);
  };
  return {
    beforeResend(externalId) {
      if (!ctx || horizonMs <= 0) return;
      const p = progress(ctx);
      const before = snapshot(p);
      const open = p.uncertainWrites.filter(
        (w) => (w.externalId === externalId || w.externalId === ANY) && now() < w.sinceMs + horizonMs,
      );
      if (open.length === 0) {
        drop(p, externalId);
        save(ctx, p, before);
        return;
      }
      const until = Math.max(...open.map((w) => w.sinceMs + horizonMs));
      const waitMs = Math.min(until - now(), LATE_WRITE_POLL_MS);
      const since = new Date(Math.min(...open.map((w) => w.sinceMs))).toISOString();
      // Recorded even when unchanged: the failure this throws must carry them to the next attempt.
      heartbeatProgress(ctx, p);
      throw ApplicationFailure.create({
        type: 'NetSuiteLateWriteWait',
        message:
          `${externalId}: an earlier attempt's write (by ${since}) got no answer and may still land in NetSuite (a second transform, or an older state over a newer one); ` +
          `not writing it again until it is found or ${new Date(until).toISOString()} has passed (NetSuite ends a request after 15 minutes); looking again in ${Math.ceil(waitMs / 1000)} s`,
        nextRetryDelay: Math.max(waitMs, 100),
      });
    },
    async write(externalId, send) {
      try {
        const out = await send();
        if (ctx) {
          const p = progress(ctx);
          const before = snapshot(p);
          drop(p, externalId);
          save(ctx, p, before);
        }
        return out;
      } catch (err) {
        if (ctx && !answered(err) && !neverSent(err)) {
          // Sent no later than now, and not answered: it may land until now + the horizon.
          const p = progress(ctx);
          p.uncertainWrites = [
            ...p.uncertainWrites.filter((w) => w.externalId !== externalId),
            { externalId, sinceMs: now() },
          ];
          heartbeatProgress(ctx, p);
        }
        throw err;
      }
    },
    found(externalId) {
      if (!ctx) return;
      const p = progress(ctx);
      const before = snapshot(p);
      // Only this write: a wildcard for the others stays.
      p.uncertainWrites = p.uncertainWrites.filter((w) => w.externalId !== externalId);
      save(ctx, p, before);
    },
  };
}
