// How orderSyncWorkflow (workflows/order-sync.ts) finds its way back after something went wrong or
// happened elsewhere: adopting the records a look-up found in NetSuite, deciding when a new run
// must look before its first write, a resync, and the parks a person resolves (a sale that never
// arrived, a reconciliation mismatch, an unknown ORDERSTATUS). Workflow code: deterministic, and
// every `patched()` id here guards a path that changed under running workflows (the recorded
// histories in test/replay-histories replay the old path).
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { OrderEvent } from '../mappings/canonical.js';
import { API_EVENT_PREFIX, isFromApi } from '../mappings/from-2checkout-api.js';
import { abs, changeExponent, currencyExponent, netsuiteExponent, toMinor } from '../mappings/money.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import type { ReconciliationMismatch } from './messages.js';
import { bookedPostingMode, hasLicenseLines, mayFollowEarlierRun, type OrderModel, type OrderSyncPolicy } from './order-state.js';
import type { SyncControl } from './parking.js';

/** Patch ids: paths of running workflows that changed (recorded histories replay the old path). */
const RESYNC_KEEPS_SKIPPED = 'resync-keeps-skipped-steps';
const MISSING_RECORD_ACTIONS = 'missing-record-retry-looks-up-skip-ends-wait';
const LOOK_UP_BEFORE_FIRST_WRITE = 'later-run-looks-up-before-first-write';
const ADOPTED_SALE_NOTIFIED = 'adopted-sale-already-notified-subscriptions';
const CREDIT_IN_NETSUITE_PRECISION = 'api-refund-matches-credit-in-netsuite-precision';

/** Which steps need the record another step makes. */
export const DEPENDENTS: Record<string, string[]> = {
  customer: ['salesOrder', 'invoice', 'payment', 'cashSale'],
  salesOrder: ['invoice', 'payment'],
  invoice: ['payment'],
};

/** A fresh run's first events may follow an earlier run of the order: then it looks up its records before any write. */
export function mustLookUpBeforeFirstWrite(model: OrderModel, policy: OrderSyncPolicy): boolean {
  return mayFollowEarlierRun(model, policy, Date.now()) && patched(LOOK_UP_BEFORE_FIRST_WRITE);
}

/**
 * Records found in NetSuite by externalId (merged under what this run already knows) count as
 * done; the order keeps the posting mode it was booked in.
 */
export function adoptFoundRecords(model: OrderModel, found: OrderRecords, policy: OrderSyncPolicy, control: SyncControl): void {
  model.records = { ...found, ...stripUndefined(model.records) };
  adoptFoundSteps(model);
  const booked = bookedPostingMode(model.records);
  if (booked && booked !== policy.postingMode) {
    control.note(`posting mode ${booked} kept`, `the order was booked as ${booked} in NetSuite; ${policy.postingMode} applies to new orders only`);
    policy.postingMode = booked;
  }
  // A paid sale found in NetSuite was posted by an earlier run, which notified its subscriptions
  // then: notifying again would hand an old order to a subscription run that may have ended.
  const r = model.records;
  if ((r.paymentId || r.cashSaleId) && model.sale && hasLicenseLines(model.sale) && !model.done.includes('notifySubscriptions') && patched(ADOPTED_SALE_NOTIFIED)) {
    model.done.push('notifySubscriptions');
  }
}

/**
 * Takes the operator's resync request: everything is posted again from the stored events, and
 * what still exists in NetSuite is found by externalId first and adopted, so a resync never
 * creates duplicates. The caller then looks up before writing, in the bulk lane.
 */
export function startResync(control: SyncControl, model: OrderModel, skipped: string[]): void {
  const request = control.resyncRequest;
  control.resyncRequest = undefined;
  if (patched(RESYNC_KEEPS_SKIPPED)) {
    // What an operator skipped stays skipped unless this resync names it (with what needs it).
    const again = withDependents(request?.steps ?? []);
    const keep = skipped.filter((s) => !again.includes(s));
    skipped.splice(0, skipped.length, ...keep);
    model.done = [...keep];
  } else model.done = [];
  model.records = {};
}

/**
 * A refund or chargeback waited in vain for the sale it refers to: park until a person acts. An
 * operator's retry looks in NetSuite again (`stillMissing`), since the sale may have been posted
 * meanwhile (by hand, or by a run of this order that has since closed); a skip ends the wait: the
 * step counts as done (skipped), so it never parks again.
 */
export async function parkForMissingRecord(
  control: SyncControl,
  waiting: { step: string; waitsFor: string },
  model: OrderModel,
  skipped: string[],
  stillMissing: () => Promise<boolean>,
): Promise<void> {
  let attempts = 0;
  const outcome = await control.runStep(waiting.step, async () => {
    if (attempts++ > 0 && patched(MISSING_RECORD_ACTIONS)) {
      if (!(await stillMissing())) return;
    }
    throw missingRecord(waiting.step, waiting.waitsFor, model.refNo);
  });
  if (!outcome.ok && patched(MISSING_RECORD_ACTIONS)) {
    model.done.push(waiting.step);
    skipped.push(waiting.step);
  }
}

/** Parks once with RECONCILIATION_MISMATCH; retry or skip both resume (nothing here can fix NetSuite). */
export async function parkForMismatch(control: SyncControl, refNo: string, mm: ReconciliationMismatch): Promise<void> {
  let first = true;
  const message = `reconciliation of ${mm.date} found NetSuite differs from 2Checkout for order ${refNo}: ${mm.findings.join('; ')}. Nothing was changed. Correct the NetSuite records (or confirm the difference is intended), then retry; skip with a reason to accept it.`;
  await control.runStep(`reconcile:${mm.date}`, async () => {
    if (!first) return;
    first = false;
    throw ApplicationFailure.create({ message, type: 'ReconciliationMismatch', nonRetryable: true, details: [{ reason: 'RECONCILIATION_MISMATCH', message }] });
  });
}

export function unknownStatus(e: OrderEvent): ApplicationFailure {
  const message = `ORDERSTATUS ${JSON.stringify(e.unknownStatus ?? e.status)} of order ${e.refNo} (IPN of ${e.ipnDate}) is not a status this sync handles; the event is kept in the workflow. Check the order in 2Checkout, then skip with a note (or retry after upgrading the sync).`;
  return ApplicationFailure.create({ message, type: 'UnknownStatus', nonRetryable: true, details: [{ reason: 'UNKNOWN_STATUS', message, path: 'ORDERSTATUS' }] });
}

function missingRecord(step: string, waitsFor: string, refNo: string): ApplicationFailure {
  const message = `${step} for order ${refNo} cannot be posted: no ${waitsFor} exists in NetSuite and no IPN for the sale arrived. Retry once the sale is in NetSuite, or skip with a reason.`;
  // Shaped like an activity's parking failure so SyncControl explains it the same way.
  return ApplicationFailure.create({ message, type: 'MissingRecord', nonRetryable: true, details: [{ reason: 'MISSING_RECORD', message }] });
}

/** The named steps and, transitively, the steps that need their records. */
function withDependents(steps: string[]): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    if (out.has(s)) return;
    out.add(s);
    for (const d of DEPENDENTS[s] ?? []) add(d);
  };
  steps.forEach(add);
  return [...out];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Records found in NetSuite by externalId count as done: a new run never posts them again. */
function adoptFoundSteps(m: OrderModel): void {
  const r = m.records;
  const mark = (name: string, present: unknown) => {
    if (present && !m.done.includes(name)) m.done.push(name);
  };
  mark('customer', r.customerId);
  mark('salesOrder', r.salesOrderId);
  mark('invoice', r.invoiceId);
  mark('payment', r.paymentId);
  mark('cashSale', r.cashSaleId);
  for (const key of Object.keys(r.creditMemos ?? {})) mark(`refund:${key}`, true);
  // Money back read from 2Checkout's API has no webhook eventRef: a credit a webhook posted (in
  // an earlier run) for the same amount is that refund, so it is not posted twice.
  const claimed = new Set(m.moneyBack.filter((e) => !isFromApi(e)).map((e) => e.eventRef));
  for (const e of m.moneyBack) {
    if (!isFromApi(e) || m.done.includes(`refund:${e.eventRef}`)) continue;
    const match = Object.entries(r.creditMemos ?? {}).find(([key, c]) => !key.startsWith(API_EVENT_PREFIX) && !claimed.has(key) && sameCredit(e, c.amount));
    if (!match) continue;
    claimed.add(match[0]);
    mark(`refund:${e.eventRef}`, true);
    if (e.chargeback) mark(`dispute:${e.eventRef}`, true);
  }
}

const creditAmountOf = (e: OrderEvent): bigint => abs(toMinor(e.totals.general, currencyExponent(e.currency)));

/**
 * Whether a credit NetSuite holds (its total, in NetSuite's precision) is this money-back event's.
 * NetSuite keeps 2 decimals where 2Checkout sends 3 (KWD …): a 10.125 refund was booked as 10.13.
 * Compared in 2Checkout's precision, it never matched, and the API refund would be posted again.
 */
function sameCredit(e: OrderEvent, netsuiteAmount: string): boolean {
  const iso = currencyExponent(e.currency);
  const ns = netsuiteExponent(e.currency);
  if (iso === ns || !patched(CREDIT_IN_NETSUITE_PRECISION)) return toMinor(netsuiteAmount, iso) === creditAmountOf(e);
  return toMinor(netsuiteAmount, ns) === changeExponent(creditAmountOf(e), iso, ns);
}
