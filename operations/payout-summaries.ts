// The payouts with what finance asks of each: posted, waiting or parked, its bank amount, currency
// and date (from the posted report, or — not posted yet — as the workflow fetched the payout from
// 2Checkout), and the NetSuite record. Read-only: the visibility list of operations/payouts.ts, then
// each payout's own state (query or result) and, before it posts, its history.
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { PayoutContent } from '../mappings/payout-amounts.js';
import { listPayouts, readPayoutState, type PayoutListState } from './payouts.js';

export interface PayoutSummary {
  reference: string;
  workflowId: string;
  state: PayoutListState;
  /** e.g. `parked (PAYOUT_VARIANCE)` */
  label: string;
  amount?: string;
  currency?: string;
  /** The payout's date (2Checkout's transfer date). */
  date?: string;
  record?: { type: 'journalEntry' | 'deposit'; id: string };
  parkReason?: string;
  parkMessage?: string;
  /** Documents the payout waits to see in NetSuite. */
  waitingFor: number;
  url: string;
}

export async function readPayoutSummaries(
  client: Client,
  ui: { uiBase: string; namespace: string },
  limit = 100,
): Promise<{ payouts: PayoutSummary[]; listUrl: string }> {
  const list = await listPayouts(client, ui, limit);
  const payouts = await Promise.all(
    list.payouts.map(async (p): Promise<PayoutSummary> => {
      // A payout whose workflow no worker can answer for is still listed, without its figures.
      // (with a budget: with no worker polling, a query would hang).
      const s = await client.connection
        .withDeadline(Date.now() + 3_000, () => readPayoutState(client, p.reference))
        .catch(() => undefined);
      const r = s?.report;
      // Not posted yet (waiting, parked): 2Checkout's figures, as the workflow fetched them.
      const fetched = r && !r.note ? undefined : await fetchedPayout(client, p.workflowId).catch(() => undefined);
      return {
        reference: p.reference,
        workflowId: p.workflowId,
        state: p.state,
        label: p.label,
        ...(r && !r.note
          ? { amount: r.amount, currency: r.currency, date: r.date }
          : fetched
            ? { amount: fetched.amount, currency: fetched.currency, ...(fetched.date ? { date: fetched.date } : {}) }
            : {}),
        ...(r?.record ? { record: { type: r.record.type, id: r.record.id } } : {}),
        ...(p.parkReason ? { parkReason: p.parkReason } : {}),
        ...(s?.park ? { parkMessage: s.park.message } : {}),
        waitingFor: s?.waitingFor.length ?? 0,
        url: p.url,
      };
    }),
  );
  return { payouts, listUrl: list.listUrl };
}

/** The payout as the workflow's fetchPayout activity read it from 2Checkout (its history), if it got that far. */
async function fetchedPayout(
  client: Client,
  workflowId: string,
): Promise<{ amount: string; currency: string; date?: string } | undefined> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const conv = client.options.loadedDataConverter;
  let scheduledId: string | undefined;
  for (const e of history.events ?? []) {
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchPayout' && e.eventId)
      scheduledId = String(e.eventId);
    const done = e.activityTaskCompletedEventAttributes;
    if (!done || String(done.scheduledEventId) !== scheduledId || !done.result?.payloads?.length) continue;
    let payloads: Payload[] = done.result.payloads;
    for (const codec of [...conv.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    const content = conv.payloadConverter.fromPayload(payloads[0]!) as Partial<PayoutContent> | undefined;
    if (content?.amount && content.currency)
      return { amount: content.amount, currency: content.currency, ...(content.date ? { date: content.date } : {}) };
  }
  return undefined;
}
