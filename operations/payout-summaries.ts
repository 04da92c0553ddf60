// The payouts with what finance asks of each: posted, waiting or parked, and — once 2Checkout's
// payout was read and posted — its bank amount, currency, date and the NetSuite record. Read-only:
// the visibility list of operations/payouts.ts, then each payout's own state (query or result).
import type { Client } from '@temporalio/client';
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

export async function readPayoutSummaries(client: Client, ui: { uiBase: string; namespace: string }, limit = 100): Promise<{ payouts: PayoutSummary[]; listUrl: string }> {
  const list = await listPayouts(client, ui, limit);
  const payouts = await Promise.all(
    list.payouts.map(async (p): Promise<PayoutSummary> => {
      // A payout whose workflow no worker can answer for is still listed, without its figures.
      // (with a budget: with no worker polling, a query would hang).
      const s = await client.connection.withDeadline(Date.now() + 3_000, () => readPayoutState(client, p.reference)).catch(() => undefined);
      const r = s?.report;
      return {
        reference: p.reference,
        workflowId: p.workflowId,
        state: p.state,
        label: p.label,
        ...(r && !r.note ? { amount: r.amount, currency: r.currency, date: r.date } : {}),
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
