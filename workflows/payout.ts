// payoutWorkflow: one workflow per 2Checkout payout (`payout/<reference>`). It fetches the payout
// and what it covers, waits (bounded by payouts.waitForPayments, visible in its query and memo)
// until every covered order's payment and refund is in NetSuite, then posts one journal entry or
// deposit keyed `2co-payout-<reference>`. Anything a person must decide parks through SyncControl
// (PAYOUT_VARIANCE, PAYOUT_PAYMENTS_MISSING, PAYOUT_UNSUPPORTED, NetSuite refusals) and resumes on
// the same operator `retry` / `skip` as an order. A new run finds an earlier run's record by
// externalId and posts nothing.
// payoutPollWorkflow: what the Temporal Schedule runs: lists recent payouts and starts a payout
// workflow for each one not started before.
import {
  ApplicationFailure,
  ParentClosePolicy,
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
import { payoutStateQuery, type PayoutPollInput, type PayoutSyncState, type PayoutWorkflowInput } from './payout-messages.js';

const retry = NETSUITE_ACTIVITY_RETRY;

function activities(queues: PayoutWorkflowInput['queues']) {
  // Payouts are money: the priority lane.
  return proxyActivities<PayoutActivities>({ taskQueue: queues?.netsuiteMoney ?? TASK_QUEUES.netsuiteMoney, ...NETSUITE_ACTIVITY_TIMEOUTS, retry });
}

export async function payoutWorkflow(input: PayoutWorkflowInput): Promise<PayoutSyncState> {
  const act = activities(input.queues);
  const control = new SyncControl();
  control.register(false);
  const state: Omit<PayoutSyncState, 'syncStatus' | 'park' | 'journal' | 'waiting'> = { reference: input.reference, phase: 'fetching', waitingFor: [] };
  const snapshot = (): PayoutSyncState => ({ ...state, waiting: state.waitingFor, syncStatus: control.syncStatus, ...(control.park ? { park: control.park } : {}), journal: control.journal });
  setHandler(payoutStateQuery, snapshot);
  upsertSearchAttributes([{ key: EntityKind, value: 'payout' }]);
  control.setStatus('InProgress');

  const settings = await act.payoutSettings();
  const fetched = await control.runStep('fetch', () => act.fetchPayout({ reference: input.reference }));
  if (!fetched.ok) return finish('skipped', 'Skipped');
  const content = fetched.value;
  if (content.status === 'CANCELED') {
    control.note('2Checkout canceled this payout: nothing to post');
    return finish('canceled', 'Ignored');
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
      if (state.waitingFor.length !== r.missing.length) control.note(`waiting for ${r.missing.length} covered documents to reach NetSuite`, r.missing.slice(0, 20).join(', '));
      state.waitingFor = r.missing;
      upsertMemo({ payoutWaitingFor: r.missing.length });
      if (Date.now() >= deadline) {
        const message = `payout ${content.reference} covers ${r.missing.length} documents still not in NetSuite after waiting until ${state.waitUntil}: ${r.missing.slice(0, 10).join(', ')}. Sync those orders (backfill / npm run ops), then retry`;
        throw ApplicationFailure.create({ message, type: 'PaymentsMissing', nonRetryable: true, details: [{ reason: 'PAYOUT_PAYMENTS_MISSING', message }] });
      }
      await sleep(Math.max(1_000, Math.min(settings.recheckEveryMs, deadline - Date.now())));
    }
  });
  if (!ready.ok) return finish('skipped', 'Skipped');

  state.phase = 'posting';
  const posted = await control.runStep('post', () => act.postPayout({ content }));
  if (!posted.ok) return finish('skipped', 'Skipped');
  state.report = posted.value;
  control.note(posted.value.record?.created ? `posted ${posted.value.record.type} ${posted.value.record.id}` : `already posted as ${posted.value.record?.type} ${posted.value.record?.id}`);
  return finish('posted', 'Synced');

  function finish(phase: PayoutSyncState['phase'], status: PayoutSyncState['syncStatus']): PayoutSyncState {
    state.phase = phase;
    control.setStatus(status);
    return snapshot();
  }
}

export async function payoutPollWorkflow(input: PayoutPollInput = {}): Promise<{ started: string[]; known: number }> {
  const act = activities(input.queues);
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
