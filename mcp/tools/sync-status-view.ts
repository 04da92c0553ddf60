// The answer of sync_status, as structured content (schema) and as text a person reads.
import { z } from 'zod';
import { suggestedFix } from '../../mappings/park-reasons.js';
import type { SyncStatusReport } from '../../operations/sync-status.js';
import { REDACTED } from '../personal-data.js';

export const SyncRef = z
  .string()
  .trim()
  .min(1, 'must be a REFNO, a licence code or a workflow id such as order/12345678')
  .max(200)
  .describe('A 2Checkout REFNO (order), a licence code (subscription), or a workflow id such as order/12345678');

export const SyncStatusOutput = z.object({
  workflowId: z.string(),
  runId: z.string(),
  kind: z.string().optional(),
  ref: z.string().optional(),
  executionStatus: z.string(),
  syncStatus: z.string().optional(),
  orderStatus: z.string().optional(),
  customer: z
    .object({ fullName: z.string().optional(), email: z.string().optional(), country: z.string().optional() })
    .optional(),
  paid: z.object({ amount: z.string(), currency: z.string() }).optional(),
  records: z.array(
    z.object({ type: z.string(), id: z.string(), amount: z.string().optional(), currency: z.string().optional() }),
  ),
  park: z
    .object({
      step: z.string().optional(),
      reason: z.string(),
      message: z.string().optional(),
      path: z.string().optional(),
      since: z.string().optional(),
      suggestedFix: z.string().optional(),
    })
    .optional(),
  completedSteps: z.array(z.string()),
  skippedSteps: z.array(z.string()),
  waiting: z.array(z.string()),
  journal: z.array(z.object({ at: z.string(), what: z.string(), detail: z.string().optional() })),
  source: z.enum(['query', 'attributes']),
  url: z.string(),
});
export type SyncStatusOutput = z.infer<typeof SyncStatusOutput>;

export function toSyncStatusOutput(r: SyncStatusReport): SyncStatusOutput {
  const { lastOrderEvent: ev, park, ...rest } = r;
  const billing = ev?.customer.billing;
  const name = billing ? billing.company?.trim() || `${billing.firstName} ${billing.lastName}`.trim() : undefined;
  const fix = suggestedFix(park?.reason);
  return {
    ...rest,
    ...(billing
      ? {
          customer: {
            ...(name ? { fullName: name } : {}),
            ...(billing.email ? { email: billing.email } : {}),
            ...(billing.countryCode ? { country: billing.countryCode } : {}),
          },
        }
      : {}),
    ...(ev ? { paid: { amount: ev.totals.general, currency: ev.currency } } : {}),
    ...(park ? { park: { ...park, ...(fix ? { suggestedFix: fix } : {}) } } : {}),
  };
}

const JOURNAL_SHOWN = 12;

export function syncStatusText(s: SyncStatusOutput): string {
  const lines: string[] = [];
  const state = s.syncStatus ?? 'unknown';
  lines.push(
    `${s.workflowId}${s.ref ? ` (${s.kind ?? 'ref'} ${s.ref})` : ''}: ${state}${s.orderStatus ? `, 2Checkout status ${s.orderStatus}` : ''}; workflow ${s.executionStatus.toLowerCase()}.`,
  );
  if (s.customer) {
    const shown = [s.customer.fullName, s.customer.email, s.customer.country].filter((x) => x && x !== REDACTED);
    lines.push(`Customer: ${shown.length ? shown.join(', ') : '(personal data hidden: needs the pii:read scope)'}`);
  }
  if (s.paid) lines.push(`Paid by the shopper: ${s.paid.amount} ${s.paid.currency}`);
  if (s.park) {
    lines.push(
      `PARKED${s.park.step ? ` at ${s.park.step}` : ''}: ${s.park.reason}${s.park.since ? ` since ${s.park.since}` : ''}`,
    );
    if (s.park.message) lines.push(`  ${s.park.message}${s.park.path ? ` (${s.park.path})` : ''}`);
    if (s.park.suggestedFix) lines.push(`  Suggested fix: ${s.park.suggestedFix}`);
  }
  if (s.records.length === 0) lines.push('NetSuite records: none yet.');
  else {
    lines.push('NetSuite records:');
    for (const r of s.records)
      lines.push(
        `  ${r.type} ${r.id}${r.amount !== undefined ? `  ${r.amount}${r.currency ? ` ${r.currency}` : ''}` : ''}`,
      );
  }
  if (s.completedSteps.length) lines.push(`Steps done: ${s.completedSteps.join(', ')}`);
  if (s.skippedSteps.length) lines.push(`Steps skipped by an operator: ${s.skippedSteps.join(', ')}`);
  if (s.waiting.length) lines.push(`Waiting: ${s.waiting.join('; ')}`);
  if (s.journal.length) {
    lines.push(`Journal${s.journal.length > JOURNAL_SHOWN ? ` (last ${JOURNAL_SHOWN} of ${s.journal.length})` : ''}:`);
    for (const j of s.journal.slice(-JOURNAL_SHOWN))
      lines.push(`  ${j.at}  ${j.what}${j.detail ? ` — ${j.detail}` : ''}`);
  }
  if (s.source === 'attributes')
    lines.push('(No worker answered the state query: this is what Temporal stored in search attributes and memo.)');
  lines.push(`Web UI: ${s.url}`);
  return lines.join('\n');
}
