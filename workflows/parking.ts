// Parking: how a sync that needs a person stops visibly instead of failing or retrying forever.
// A step whose activity fails for good (a mapping gap, a NetSuite USER_ERROR, an over-refund…)
// sets SyncStatus=NeedsAttention + ParkReason (search attributes, findable in the Web UI), puts
// the explanation in the memo and the query, and waits for an operator decision signal:
// `retry` runs the step again (e.g. after the mapping file was fixed), `skip` gives up on it.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  log,
  metricMeter,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { isParkReason, MAPPING_PARK_REASONS } from '../mappings/park-reasons.js';
import type { ParkDetails } from '../mappings/sync-types.js';
import { LastSyncAt, ParkReason, SyncStatus, type SyncStatusValue } from '../shared/search-attributes.js';
import {
  operatorActionUpdate,
  operatorDecisionSignal,
  type JournalEntry,
  type OperatorAction,
  type OperatorDecision,
  type ParkState,
} from './messages.js';

const JOURNAL_LIMIT = 50;

export type StepOutcome<T> = { ok: true; value: T } | { ok: false; skipped: true };

export class SyncControl {
  syncStatus: SyncStatusValue = 'InProgress';
  park?: ParkState;
  journal: JournalEntry[] = [];
  private decision?: OperatorDecision;
  /** Set by an operator's resync; the owning workflow consumes it. */
  resyncRequest?: OperatorAction;
  /** Whether this run reached Synced before (the latency metric counts the first time only). */
  private syncedBefore = false;

  /**
   * Registers the operator signal and update handlers; call first thing in the workflow.
   * `canResync` says whether this workflow supports resync; `skippedSteps` lists the steps a
   * resync may name to post again.
   */
  register(canResync = false, skippedSteps: () => string[] = () => []): void {
    setHandler(
      operatorActionUpdate,
      (a) => {
        if (a.action === 'resync') {
          this.resyncRequest = a;
          this.note('resync requested by operator', describe(a));
          return { accepted: true, action: a.action };
        }
        const step = this.park?.step;
        this.decision = { action: a.action, ...(a.reason ? { reason: a.reason } : {}), ...(a.by ? { by: a.by } : {}) };
        return { accepted: true, action: a.action, ...(step ? { step } : {}) };
      },
      {
        validator: (a) => {
          if (!['retry', 'skip', 'resync'].includes(a.action))
            throw new Error(`unknown action ${String(a.action)}: use retry, skip or resync`);
          if ((a.action === 'skip' || a.action === 'resync') && !a.reason?.trim())
            throw new Error(`${a.action} needs a reason (it is recorded in the history and memo)`);
          if (a.action === 'resync' && !canResync) throw new Error('this workflow does not support resync');
          if (a.action === 'resync' && this.park)
            throw new Error(`the sync is parked at ${this.park.step}: retry or skip that first`);
          if ((a.action === 'retry' || a.action === 'skip') && !this.park)
            throw new Error(`nothing is parked: ${a.action} does not apply`);
          if (a.steps !== undefined && a.action !== 'resync') throw new Error('steps apply to resync only');
          const unknown = (a.steps ?? []).filter((s: string) => !skippedSteps().includes(s));
          if (unknown.length > 0)
            throw new Error(
              `not skipped, so nothing to post again: ${unknown.join(', ')} (skipped steps: ${skippedSteps().join(', ') || 'none'})`,
            );
          const broken = a.mappings?.loadError;
          if (a.action === 'retry' && broken && this.park && MAPPING_PARK_REASONS.includes(this.park.reason)) {
            throw new Error(
              `${a.mappings!.file} does not load, so the worker still uses version ${a.mappings!.version} and the retry would park again: ${broken
                .split('\n')
                .slice(0, 2)
                .map((l: string) => l.trim())
                .join(' ')}. Fix the file (npm run mappings:check), then retry`,
            );
          }
        },
        description: 'Operator action on a sync: retry or skip a parked step, or resync the order',
      },
    );
    setHandler(operatorDecisionSignal, (d) => {
      if (!this.park) {
        this.note(`operator ${d.action} ignored: nothing is parked`, describe(d));
        return;
      }
      if (d.action === 'skip' && !d.reason?.trim()) {
        this.note('operator skip ignored: a reason is required', describe(d));
        return;
      }
      this.decision = d;
    });
  }

  /** Decides a park of this reason as if an operator had (a signal that stands for one); false when none is parked for it. */
  decideParked(reason: ParkDetails['reason'], d: OperatorDecision): boolean {
    if (this.park?.reason !== reason) return false;
    this.decision = d;
    return true;
  }

  note(what: string, detail?: string): void {
    this.journal.push({ at: new Date().toISOString(), what, ...(detail ? { detail } : {}) });
    if (this.journal.length > JOURNAL_LIMIT) this.journal.splice(0, this.journal.length - JOURNAL_LIMIT);
  }

  setStatus(status: SyncStatusValue): void {
    if (status === this.syncStatus && !this.park) return;
    if (status !== this.syncStatus) {
      recordTransition(status, undefined, status === 'Synced' && !this.syncedBefore);
      if (status === 'Synced') this.syncedBefore = true;
    }
    this.syncStatus = status;
    upsertSearchAttributes([
      { key: SyncStatus, value: status },
      { key: LastSyncAt, value: new Date() },
    ]);
    this.showInUi();
  }

  /**
   * The workflow's "current details" (user metadata the Web UI shows on the workflow's page, read
   * through the built-in metadata query): a parked sync says why and what to do, a synced one says
   * so. Not part of the history, so it needs no patch and replays unchanged.
   */
  private showInUi(): void {
    setCurrentDetails(syncDetails(this.syncStatus, this.park, workflowInfo().workflowId));
  }

  /**
   * Runs one NetSuite step. Transient failures never reach here (activities retry them); any
   * failure that does reach here needs a person, so the sync parks until an operator decides.
   */
  async runStep<T>(step: string, fn: () => Promise<T>): Promise<StepOutcome<T>> {
    for (;;) {
      try {
        const value = await fn();
        if (this.park) this.unpark();
        return { ok: true, value };
      } catch (err) {
        if (isCancellation(err)) throw err;
        const details = parkDetailsOf(err);
        await this.parkAndWait(step, details);
        const d = this.decision;
        this.decision = undefined;
        if (d?.action === 'skip') {
          this.note(`step ${step} skipped by operator`, describe(d));
          this.unpark();
          return { ok: false, skipped: true };
        }
        this.note(`step ${step} retried by operator`, d ? describe(d) : undefined);
      }
    }
  }

  private async parkAndWait(step: string, details: ParkDetails): Promise<void> {
    this.park = { ...details, step, since: new Date().toISOString() };
    this.note(`parked at ${step}: ${details.reason}`, details.message);
    log.warn('sync parked', { step, reason: details.reason });
    recordTransition('NeedsAttention', details.reason);
    this.syncStatus = 'NeedsAttention';
    upsertSearchAttributes([
      { key: SyncStatus, value: 'NeedsAttention' },
      { key: ParkReason, value: details.reason },
      { key: LastSyncAt, value: new Date() },
    ]);
    upsertMemo({
      parkStep: step,
      parkReason: details.reason,
      parkMessage: details.message,
      parkPath: details.path ?? null,
    });
    this.showInUi();
    await condition(() => this.decision !== undefined);
  }

  private unpark(): void {
    this.park = undefined;
    this.syncStatus = 'InProgress';
    upsertSearchAttributes([
      { key: SyncStatus, value: 'InProgress' },
      { key: ParkReason, value: null },
      { key: LastSyncAt, value: new Date() },
    ]);
    upsertMemo({ parkStep: null, parkReason: null, parkMessage: null, parkPath: null });
    this.showInUi();
  }
}

// Prometheus metrics from the workflow (Temporal's workflow metric meter, exported by the worker's
// Runtime on its /metrics): a sink call, never a command, so history and replay are unchanged, and
// not repeated while a history replays. Counted per status change: orders synced and parked per
// minute on the dashboard, and the time from the hand-over (the run's start) to the first Synced.
// No module-level state: workflows may share this module's scope.
function recordTransition(status: SyncStatusValue, parkReason?: string, firstSynced = false): void {
  const info = workflowInfo();
  const kind = info.workflowId.split('/')[0] || 'other';
  metricMeter
    .createCounter(
      'sync_status_changes',
      'changes',
      'Sync workflows entering a status (Synced, NeedsAttention = parked, …), by entity kind (order, subscription, payout)',
    )
    .add(1, { kind, status, ...(parkReason ? { park_reason: parkReason } : {}) });
  if (firstSynced) {
    metricMeter
      .createHistogram(
        'sync_first_synced_seconds',
        'float',
        's',
        "Time from the workflow run's start (the hand-over of its first event) to its first Synced status, by entity kind",
      )
      .record((Date.now() - info.runStartTime.getTime()) / 1000, { kind });
  }
}

const STATUS_TEXT: Record<SyncStatusValue, string> = {
  InProgress: '**In progress**: posting to NetSuite.',
  NeedsAttention: '**Needs attention**: see the journal (query syncState) and `npm run stuck`.',
  Synced: '**Synced**: every step is in NetSuite; the workflow stays open for refunds and chargebacks.',
  Skipped: '**Skipped** by an operator.',
  Ignored: '**Ignored**: nothing to post.',
  Closed: '**Closed**: nothing more to post.',
};

/** Markdown for the Web UI: "Parked: UNMAPPED_PRODUCT — …" with the fix, or the status. */
export function syncDetails(status: SyncStatusValue, park: ParkState | undefined, workflowId: string): string {
  if (!park) return STATUS_TEXT[status];
  const ref = workflowId.slice(workflowId.indexOf('/') + 1);
  return [
    `**Parked: ${park.reason}** at step \`${park.step}\` since ${park.since}`,
    '',
    park.message,
    ...(park.path ? ['', `Where: \`${park.path}\``] : []),
    '',
    `Fix the cause, then \`npm run ops -- retry ${ref}\` (or \`skip ${ref} --reason "…"\`), or send the signal operatorDecision {"action": "retry"} from More Actions.`,
  ].join('\n');
}

function describe(d: { reason?: string; by?: string }): string {
  return [d.reason, d.by ? `by ${d.by}` : undefined].filter(Boolean).join(' ');
}

/** Extracts the ParkDetails an activity attached to its failure; anything else is unexpected. */
export function parkDetailsOf(err: unknown): ParkDetails {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const d = cause.details?.[0];
    if (isParkDetails(d)) return d;
    return { reason: 'UNEXPECTED_ERROR', message: `${cause.type ?? 'Error'}: ${cause.message}` };
  }
  const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return { reason: 'UNEXPECTED_ERROR', message };
}

function isParkDetails(d: unknown): d is ParkDetails {
  if (typeof d !== 'object' || d === null) return false;
  const r = (d as { reason?: unknown }).reason;
  return isParkReason(r) && typeof (d as { message?: unknown }).message === 'string';
}
