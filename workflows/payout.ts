// payoutWorkflow: one workflow per 2Checkout payout (`payout/<reference>`). It fetches the payout
// and what it covers, waits (bounded by payouts.waitForPayments, visible in its query and memo)
// until every covered order's payment and refund is in NetSuite, then posts one journal entry or
// deposit keyed `2co-payout-<reference>`. Anything a person must decide parks through SyncControl
// (PAYOUT_VARIANCE, PAYOUT_PAYMENTS_MISSING, PAYOUT_UNSUPPORTED, NetSuite refusals) and resumes on
// the same operator `retry` / `skip` as an order. A new run finds an earlier run's record by
// externalId and posts nothing; one whose payout 2Checkout revised or cancelled since posts the
// correction (activities/payout-activities.ts). A payout read from a CSV export arrives as input.
// payoutPollWorkflow: what the Temporal Schedule runs: lists recent payouts and starts a payout
// workflow for each one not started before; it looks back at the payouts it started earlier and
// starts again those NetSuite holds differently from what 2Checkout now lists (revised, cancelled,
// a new transfer). `npm run payouts -- sync --from --to` runs it over a range of days (history).
import {
  ApplicationFailure,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { PayoutActivities } from './payout-contract.js';
import { NETSUITE_ACTIVITY_RETRY, NETSUITE_ACTIVITY_TIMEOUTS } from './activity-options.js';
import { TASK_QUEUES, payoutWorkflowId } from './messages.js';
import { EntityKind } from '../shared/search-attributes.js';
import { SyncControl } from './parking.js';
import {
  payoutStateQuery,
  type PayoutMemo,
  type PayoutPollInput,
  type PayoutPollResult,
  type PayoutSyncState,
  type PayoutWorkflowInput,
} from './payout-messages.js';
import type { PayoutContent } from '../mappings/payout-amounts.js';

const retry = NETSUITE_ACTIVITY_RETRY;

/** Paths added after payout histories were recorded (test/replay-histories/payout-*.json). */
export const PAYOUT_PATCHES = {
  /** The payout's amount, currency, date and status go into the memo (`npm run payouts -- list`). */
  memo: 'payout-memo-amounts',
  /** A cancelled payout reverses what was posted for it instead of ending at once. */
  cancelReverses: 'payout-cancel-reverses',
  /** The poll lists payouts with their amounts and status, and starts revised ones again. */
  pollLooksBack: 'payout-poll-looks-back',
} as const;

function activities(queues: PayoutWorkflowInput['queues']) {
  // Payouts are money: the priority lane.
  return proxyActivities<PayoutActivities>({
    taskQueue: queues?.netsuiteMoney ?? TASK_QUEUES.netsuiteMoney,
    ...NETSUITE_ACTIVITY_TIMEOUTS,
    retry,
  });
}

export async function payoutWorkflow(input: PayoutWorkflowInput): Promise<PayoutSyncState> {
  const act = activities(input.queues);
  const control = new SyncControl();
  control.register(false);
  const state: Omit<PayoutSyncState, 'syncStatus' | 'park' | 'journal' | 'waiting'> = {
    reference: input.reference,
    phase: 'fetching',
    waitingFor: [],
  };
  const snapshot = (): PayoutSyncState => ({
    ...state,
    waiting: state.waitingFor,
    syncStatus: control.syncStatus,
    ...(control.park ? { park: control.park } : {}),
    journal: control.journal,
  });
  setHandler(payoutStateQuery, snapshot);
  upsertSearchAttributes([{ key: EntityKind, value: 'payout' }]);
  control.setStatus('InProgress');

  const settings = await act.payoutSettings();
  if (input.revision) control.note(`started again: ${input.revision}`);
  let content: PayoutContent;
  if (input.content) {
    // Imported from a control-panel CSV export (npm run payouts -- import): nothing to fetch.
    content = input.content;
    control.note(`read from a CSV export: ${content.amount} ${content.currency} on ${content.date}`);
  } else {
    const fetched = await control.runStep('fetch', () => act.fetchPayout({ reference: input.reference }));
    if (!fetched.ok) return finish('skipped', 'Skipped');
    content = fetched.value;
  }
  Object.assign(state, {
    amount: content.amount,
    currency: content.currency,
    date: content.date,
    status: content.status,
    documents: content.orders.length + content.refunds.length,
    ...(content.source ? { source: content.source } : {}),
    ...(input.revision ? { revision: input.revision } : {}),
  });
  if (patched(PAYOUT_PATCHES.memo)) {
    const memo: PayoutMemo = {
      amount: content.amount,
      currency: content.currency,
      date: content.date,
      status: content.status,
      documents: content.orders.length + content.refunds.length,
    };
    upsertMemo({ payout: memo });
  }
  if (content.status === 'CANCELED') {
    if (!patched(PAYOUT_PATCHES.cancelReverses)) {
      control.note('2Checkout canceled this payout: nothing to post');
      return finish('canceled', 'Ignored');
    }
    // Reverses what an earlier run posted for it; nothing when nothing was.
    state.phase = 'posting';
    const reversed = await control.runStep('post', () => act.postPayout({ content }));
    if (!reversed.ok) return finish('skipped', 'Skipped');
    state.report = reversed.value;
    const revision = reversed.value.records?.find((r) => r.kind === 'revision' && r.created);
    control.note(
      revision
        ? `2Checkout canceled this payout: reversed by ${revision.type} ${revision.id}`
        : '2Checkout canceled this payout: nothing to post',
    );
    return finish('canceled', reversed.value.records?.length ? 'Synced' : 'Ignored');
  }

  state.phase = 'waiting';
  const ready = await control.runStep('payments', async () => {
    const started = Date.now();
    const deadline = started + settings.waitForPaymentsMs;
    state.waitingSince = new Date(started).toISOString();
    state.waitUntil = new Date(deadline).toISOString();
    for (;;) {
      const r = await act.payoutReadiness({ content });
      if (r.posted || r.missing.length === 0) {
        state.waitingFor = [];
        upsertMemo({ payoutWaitingFor: null });
        return r;
      }
      if (state.waitingFor.length !== r.missing.length)
        control.note(
          `waiting for ${r.missing.length} covered documents to reach NetSuite`,
          r.missing.slice(0, 20).join(', '),
        );
      state.waitingFor = r.missing;
      upsertMemo({ payoutWaitingFor: r.missing.length });
      if (Date.now() >= deadline) {
        const message = `payout ${content.reference} covers ${r.missing.length} documents still not in NetSuite after waiting until ${state.waitUntil}: ${r.missing.slice(0, 10).join(', ')}. Sync those orders (backfill / npm run ops), then retry`;
        throw ApplicationFailure.create({
          message,
          type: 'PaymentsMissing',
          nonRetryable: true,
          details: [{ reason: 'PAYOUT_PAYMENTS_MISSING', message }],
        });
      }
      await sleep(Math.max(1_000, Math.min(settings.recheckEveryMs, deadline - Date.now())));
    }
  });
  if (!ready.ok) return finish('skipped', 'Skipped');

  state.phase = 'posting';
  const posted = await control.runStep('post', () => act.postPayout({ content }));
  if (!posted.ok) return finish('skipped', 'Skipped');
  state.report = posted.value;
  const created = (posted.value.records ?? (posted.value.record ? [posted.value.record] : [])).filter((r) => r.created);
  control.note(
    created.length > 0
      ? `posted ${created.map((r) => `${r.kind === 'revision' ? 'revision ' : ''}${r.type} ${r.id}`).join(', ')}`
      : `already posted as ${posted.value.record?.type} ${posted.value.record?.id}`,
  );
  return finish('posted', 'Synced');

  function finish(phase: PayoutSyncState['phase'], status: PayoutSyncState['syncStatus']): PayoutSyncState {
    state.phase = phase;
    control.setStatus(status);
    return snapshot();
  }
}

export async function payoutPollWorkflow(input: PayoutPollInput = {}): Promise<PayoutPollResult> {
  const act = activities(input.queues);
  if (patched(PAYOUT_PATCHES.pollLooksBack)) return pollLookingBack(input, act);
  const references = await act.listPayoutReferences({ lookbackDays: input.lookbackDays ?? 35 });
  const started: string[] = [];
  for (const reference of references) {
    try {
      await startChild(payoutWorkflow, {
        workflowId: payoutWorkflowId(reference),
        taskQueue: input.taskQueue ?? workflowInfo().taskQueue,
        args: [{ reference, ...(input.queues ? { queues: input.queues } : {}) }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A payout that already has (or had) its workflow is not started again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      started.push(reference);
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
  }
  return { started, known: references.length };
}

type Acts = ReturnType<typeof activities>;

/** The poll that looks back: new payouts start; posted ones NetSuite holds differently start again. */
async function pollLookingBack(input: PayoutPollInput, act: Acts): Promise<PayoutPollResult> {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const to = input.to ?? day(Date.now());
  const from = input.from ?? day(Date.now() - (input.lookbackDays ?? 35) * 86_400_000);
  const listed = await act.listPayoutSummaries({ from, to });
  const references = [...new Set(listed.map((p) => p.reference))];
  const started: string[] = [];
  const seen: typeof listed = [];
  const start = async (
    reference: string,
    reuse: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE',
    revision?: string,
  ): Promise<boolean> => {
    try {
      await startChild(payoutWorkflow, {
        workflowId: payoutWorkflowId(reference),
        taskQueue: input.taskQueue ?? workflowInfo().taskQueue,
        args: [{ reference, ...(input.queues ? { queues: input.queues } : {}), ...(revision ? { revision } : {}) }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: reuse,
      });
      return true;
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
      return false;
    }
  };
  for (const reference of references) {
    const items = listed.filter((p) => p.reference === reference);
    // A payout cancelled before anything started has nothing to book; one posted earlier is looked at below.
    if (items.every((p) => p.status === 'CANCELED') || !(await start(reference, 'REJECT_DUPLICATE')))
      seen.push(...items);
    else started.push(reference);
  }
  const revised = seen.length > 0 ? await act.revisedPayouts({ payouts: seen }) : [];
  const restarted: Array<{ reference: string; why: string }> = [];
  // Started again only once its earlier run has ended; one still running is looked at by the next poll.
  for (const r of revised) if (await start(r.reference, 'ALLOW_DUPLICATE', r.why)) restarted.push(r);
  return { started, revised: restarted, known: references.length };
}
