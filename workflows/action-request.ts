// What every action request does, whatever it asks 2Checkout to do (a refund, a subscription
// action): it is checked, waits (bounded by actions.approvalExpiry) for another person's decision,
// records who asked and who decided, and ends refused, rejected, expired, skipped or done. The
// steps that act run through SyncControl, so a failure a person must look at parks the request
// like a sync (npm run stuck, npm run ops -- retry|skip <request id>) instead of being retried blind.
// Workflow code: deterministic, no I/O.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { EntityKind, LicenseCode, OrderRef } from '../shared/search-attributes.js';
import type { SyncStatusValue } from '../shared/search-attributes.js';
import {
  decideRequestUpdate,
  REQUEST_KINDS,
  requestStateQuery,
  sameActor,
  submitRequestUpdate,
  type ActionRequestState,
  type RequestActor,
  type RequestDecision,
  type RequestKind,
  type RequestPhase,
} from './action-request-messages.js';
import { SyncControl } from './parking.js';

export interface RequestStart {
  id: string;
  kind: RequestKind;
  target: string;
  summary: string;
  requester: RequestActor;
  reason: string;
}

const who = (a: RequestActor) => `${a.name} (${a.via})`;

/** Why a decision does not apply now, in words for the person who sent it. */
function notAwaiting(s: ActionRequestState): string {
  const d = s.decision;
  switch (s.phase) {
    case 'checking':
      return `${s.id} is still being checked: decide once it awaits approval`;
    case 'refused':
      return `${s.id} was refused when it was made (${s.refusal ?? 'see its journal'}): there is nothing to decide`;
    case 'expired':
      return `${s.id} expired at ${s.expiresAt ?? '?'} without a decision: nothing was done; make a new request if it is still wanted`;
    case 'rejected':
      return `${s.id} was already rejected by ${d ? who(d.by) : '?'} at ${d?.at ?? '?'}`;
    default:
      return `${s.id} was already approved by ${d ? who(d.by) : '?'} at ${d?.at ?? '?'} and is ${s.phase}: a second approval changes nothing`;
  }
}

export class RequestFlow {
  readonly control = new SyncControl();
  readonly state: ActionRequestState;
  private decision?: RequestDecision;

  constructor(start: RequestStart) {
    this.state = {
      ...start,
      phase: 'checking',
      requestedAt: new Date().toISOString(),
      outcome: {},
      journal: this.control.journal,
    };
  }

  /** Registers the query, the submit and decide updates and the operator actions; call first. */
  register(): void {
    this.control.register(false);
    setHandler(requestStateQuery, () => this.snapshot());
    setHandler(submitRequestUpdate, async () => {
      await condition(() => this.state.phase !== 'checking');
      if (this.state.phase === 'refused')
        throw ApplicationFailure.create({
          message: this.state.refusal ?? 'refused',
          type: 'RequestRefused',
          nonRetryable: true,
        });
      return this.snapshot();
    });
    setHandler(
      decideRequestUpdate,
      (d) => {
        this.decision = {
          action: d.action,
          by: { name: d.by.name.trim(), via: d.by.via },
          ...(d.reason?.trim() ? { reason: d.reason.trim() } : {}),
        };
        const at = new Date().toISOString();
        this.state.decision = { ...this.decision, at };
        this.note(`${d.action === 'approve' ? 'approved' : 'rejected'} by ${who(d.by)}`, d.reason);
        return { accepted: true, action: d.action, phase: d.action === 'approve' ? 'executing' : 'rejected' };
      },
      {
        validator: (d) => {
          if (d.action !== 'approve' && d.action !== 'reject')
            throw new Error(`unknown decision ${String(d.action)}: approve or reject`);
          if (!d.by?.name?.trim())
            throw new Error('a decision needs the name of the person who decides (it is recorded)');
          if (this.state.phase !== 'awaiting-approval' || this.decision) throw new Error(notAwaiting(this.state));
          if (d.action === 'approve' && sameActor(d.by, this.state.requester)) {
            throw new Error(
              `${d.by.name} made this request and cannot approve it: another person must (the requester may reject it)`,
            );
          }
          if (d.action === 'reject' && !d.reason?.trim())
            throw new Error('a rejection needs a reason (it is recorded in the journal)');
        },
        description: 'Approve or reject an action request (approve: another person than the requester)',
      },
    );
    const ref =
      this.state.kind === 'refund'
        ? { key: OrderRef, value: this.state.target }
        : { key: LicenseCode, value: this.state.target };
    upsertSearchAttributes([ref, { key: EntityKind, value: REQUEST_KINDS[this.state.kind] }]);
    this.note(`requested by ${who(this.state.requester)}: ${this.state.summary}`, this.state.reason);
    this.memo();
  }

  note(what: string, detail?: string): void {
    this.control.note(what, detail);
  }

  snapshot(): ActionRequestState {
    const park = this.control.park;
    return {
      ...this.state,
      journal: this.control.journal,
      ...(park ? { park, syncStatus: this.control.syncStatus } : {}),
    };
  }

  setPhase(phase: RequestPhase, status?: SyncStatusValue): void {
    this.state.phase = phase;
    if (status) {
      this.state.syncStatus = status;
      this.control.setStatus(status);
    }
    this.memo();
  }

  /** The list of open requests reads this (no query needed): what, who, until when. */
  private memo(): void {
    const s = this.state;
    upsertMemo({
      request: {
        phase: s.phase,
        summary: s.summary,
        requester: s.requester.name,
        requestedAt: s.requestedAt,
        ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
      },
    });
  }

  /** The check said no: the caller of submit learns why, and the request ends having done nothing. */
  async refuse(message: string): Promise<ActionRequestState> {
    this.state.refusal = message;
    this.note('refused when checked: nothing will be done', message);
    this.setPhase('refused', 'Ignored');
    return this.finish();
  }

  /** Waits for a decision until the expiry; the phase says how it ended. */
  async awaitDecision(expiryMs: number): Promise<'approved' | 'rejected' | 'expired'> {
    this.state.expiresAt = new Date(Date.now() + expiryMs).toISOString();
    this.note('checked: awaiting approval by another person', `until ${this.state.expiresAt}`);
    this.setPhase('awaiting-approval');
    const decided = await condition(() => this.decision !== undefined, expiryMs);
    if (!decided) {
      this.note('expired without a decision: nothing was done', `at ${new Date().toISOString()}`);
      this.setPhase('expired', 'Ignored');
      return 'expired';
    }
    if (this.decision!.action === 'reject') {
      this.setPhase('rejected', 'Ignored');
      return 'rejected';
    }
    this.setPhase('executing');
    return 'approved';
  }

  /** Waits for any update still being answered, then returns the final state. */
  async finish(): Promise<ActionRequestState> {
    await condition(allHandlersFinished);
    return this.snapshot();
  }

  async skipped(step: string): Promise<ActionRequestState> {
    this.note(`ended after the operator skipped ${step}`);
    this.setPhase('skipped', 'Skipped');
    return this.finish();
  }

  async done(): Promise<ActionRequestState> {
    this.setPhase('done', 'Synced');
    return this.finish();
  }
}

/**
 * Polls `look` every `everyMs` until it says done, for at most `waitMs`; then throws the park a
 * person resolves (retry waits again, skip ends the request with what was done so far).
 */
export async function waitUntilConfirmed<T>(
  flow: RequestFlow,
  look: () => Promise<{ done: true; value: T } | { done: false; detail: string }>,
  waitMs: number,
  everyMs: number,
  overdue: (lastDetail: string) => string,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let last = '';
  for (;;) {
    const r = await look();
    if (r.done) return r.value;
    if (r.detail !== last) flow.note('waiting for confirmation', r.detail);
    last = r.detail;
    if (Date.now() >= deadline) {
      const message = overdue(last);
      throw ApplicationFailure.create({
        message,
        type: 'ActionNotConfirmed',
        nonRetryable: true,
        details: [{ reason: 'ACTION_NOT_CONFIRMED', message }],
      });
    }
    await sleep(Math.max(1_000, Math.min(everyMs, deadline - Date.now())));
  }
}
