// Money-back NetSuite activities: refunds and lost chargebacks (postRefund), voids (closeOrder)
// and dispute updates (recordDispute). Built by a factory over the injected client and mappings.
//
// A refund is posted once per 2Checkout event, keyed by `externalIds.creditMemo/customerRefund
// (REFNO, eventRef)`:
//   sales-order mode: invoice → credit memo (the allocated lines, `?replace=item`) → customer refund
//   cash-sale mode:   cash sale → cash refund (the allocated lines, paid out in the same record)
// Exactly once: the credit memos already posted from the invoice are listed first (that list is
// also what the over-refund check subtracts), so ours is found there when an earlier attempt or
// run posted it; on a retry attempt it is also read by `eid:`; "already exists" reads it back.
import type { OrderEvent } from '../mappings/canonical.js';
import { MappingError } from '../mappings/errors.js';
import { externalIds } from '../mappings/ids.js';
import { abs, formatMinor, toMinor, type Minor } from '../mappings/money.js';
import {
  buildCashRefundTransform,
  buildCreditMemoTransform,
  buildCustomerRefundTransform,
  type TransformBody,
} from '../mappings/refund-records.js';
import { planCredit, type CreditPlan } from '../mappings/credit-plan.js';
import { type RefundCause, type SourceDocument } from '../mappings/credit-source.js';
import { resolveCurrency } from '../mappings/resolve.js';
import { callOptions, isRetryAttempt, temporalActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import type { OrderActivities, PostRefundResult } from '../workflows/activity-contract.js';
import type { OrderRecords } from '../mappings/sync-types.js';
import { listCredits, readPriorCredits, readSourceDocument, type CreditRow } from './credit-ledger.js';
import { recordDispute } from './dispute.js';
import { withActivityFailures } from './failures.js';
import {
  adoptExternalId,
  amountField,
  findTransformed,
  idempotentTransform,
  readByExternalId,
  secondKeyMarker,
  type WriteOutcome,
} from './idempotent-writes.js';
import { writeInOpenPeriod } from './posting-periods.js';
import { missingRecord, type MoneyBackContext } from './money-back-context.js';
import { closeVoidedOrder } from './order-void.js';

export type MoneyBackActivities = Pick<OrderActivities, 'closeOrder' | 'postRefund' | 'recordDispute'>;

export function createRefundActivities(deps: NetSuiteActivityDeps): MoneyBackActivities {
  const ctx: MoneyBackContext = {
    ns: deps.netsuite,
    mappings: deps.mappings,
    logger: deps.logger ?? temporalActivityLogger,
    ...(deps.lateWriteHorizonMs !== undefined ? { lateWriteHorizonMs: deps.lateWriteHorizonMs } : {}),
  };
  const run = <T>(name: string, e: OrderEvent, fn: () => Promise<T>) =>
    withActivityFailures(fn, ctx.logger, { activity: name, refNo: e.refNo, eventRef: e.eventRef });
  return {
    postRefund: (input) => run('postRefund', input.event, () => postRefund(ctx, input)),
    closeOrder: (input) => run('closeOrder', input.order, () => closeVoidedOrder(ctx, input)),
    recordDispute: (input) => run('recordDispute', input.event, () => recordDispute(ctx, input)),
  };
}

interface RefundInput {
  event: OrderEvent;
  records: OrderRecords;
  cause: RefundCause;
}

export async function postRefund(ctx: MoneyBackContext, input: RefundInput): Promise<PostRefundResult> {
  const { records, event } = input;
  if (event.sameContentAs !== undefined) throw ambiguousRefund(event, event.sameContentAs);
  if (records.invoiceId) return refundInvoice(ctx, input, records.invoiceId);
  if (records.cashSaleId) return refundCashSale(ctx, input, records.cashSaleId);
  throw missingRecord(
    event.refNo,
    'there is no invoice or cash sale in NetSuite to credit',
    'Post the sale first (or retry once it is there), or skip this step with a reason',
  );
}

/** A REFUND without MESSAGE_ID that repeats an earlier one's content under a new IPN_DATE. */
function ambiguousRefund(event: OrderEvent, earlier: string): MappingError {
  return new MappingError(
    'AMBIGUOUS_REFUND',
    `order ${event.refNo}: a REFUND notification of ${event.ipnDate} says exactly what refund ${earlier} (already handled) said, and carries no MESSAGE_ID, ` +
      `so it is either 2Checkout re-sending that refund or a second refund of the same amount and lines. Nothing was posted. ` +
      `Check the order's refunds in 2Checkout: if there is only one, skip this step; if there are two, post the second credit by hand and skip. ` +
      `Tick MESSAGE_ID in the 2Checkout IPN settings so that this cannot happen again`,
    'MESSAGE_ID',
  );
}

const describe = (input: RefundInput) =>
  input.cause === 'chargeback' ? `lost chargeback ${input.event.eventRef}` : `refund ${input.event.eventRef}`;

/**
 * Our credit among those already posted (by externalId, or by the second key in its memo when
 * NetSuite did not keep the externalId of the transform body: then it is given it), or (retry
 * attempt) read by externalId.
 */
async function ownCredit(
  ctx: MoneyBackContext,
  rows: CreditRow[],
  type: string,
  externalId: string,
  exponent: number,
): Promise<{ id: string; total: Minor } | undefined> {
  const listed = rows.find((r) => r.externalId === externalId);
  if (listed) return listed;
  const marked = rows.find((r) => r.externalId === undefined && r.memo?.includes(secondKeyMarker(externalId)));
  if (marked) {
    await adoptExternalId(ctx.ns, type, marked.id, externalId, callOptions('money'));
    return marked;
  }
  if (!isRetryAttempt()) return undefined;
  const found = await readByExternalId(ctx.ns, type, externalId, callOptions('money'));
  if (!found) return undefined;
  return { id: found.id, total: abs(toMinor(amountField(found, 'total', exponent) ?? '0', exponent)) };
}

/**
 * Plans a credit against what remains of the invoice or cash sale (its lines minus the credits
 * already posted from it) and posts it by transform, at most once.
 */
async function postCredit(
  ctx: MoneyBackContext,
  input: RefundInput,
  from: { type: 'invoice' | 'cashSale'; id: string },
  rows: CreditRow[],
  exponent: number,
  build: (plan: CreditPlan) => TransformBody,
): Promise<{ out: WriteOutcome; plan: CreditPlan; source: SourceDocument }> {
  const { event } = input;
  const money = callOptions('money');
  const label = from.type === 'invoice' ? 'invoice' : 'cash sale';
  const source = await readSourceDocument(ctx.ns, from.type, from.id, exponent, money);
  if (!source)
    throw missingRecord(
      event.refNo,
      `${label} ${from.id} no longer exists in NetSuite`,
      `Restore the ${label} (or resync the order), then retry; or skip this step with a reason`,
    );
  const creditType = from.type === 'invoice' ? 'creditMemo' : 'cashRefund';
  const others = await readPriorCredits(ctx.ns, rows, creditType, exponent, money);
  const plan = planCredit({
    event,
    source,
    prior: others,
    config: ctx.mappings.current(),
    exponent,
    what: describe(input),
  });
  const doc = build(plan);
  const opts = { ...money, replace: ['item'] };
  const record = creditType === 'creditMemo' ? 'credit memo' : 'cash refund';
  const out = await writeInOpenPeriod(
    { ns: ctx.ns, config: ctx.mappings.current(), what: { refNo: event.refNo, record }, opts },
    doc.body,
    (body) =>
      idempotentTransform({
        ns: ctx.ns,
        srcType: from.type,
        srcKey: from.id,
        targetType: creditType,
        externalId: doc.externalId,
        body,
        retryAttempt: false,
        lateWriteHorizonMs: ctx.lateWriteHorizonMs,
        opts,
      }),
  );
  return { out, plan, source };
}

async function refundInvoice(ctx: MoneyBackContext, input: RefundInput, invoiceId: string): Promise<PostRefundResult> {
  const { event, cause } = input;
  const ns = ctx.ns;
  const config = ctx.mappings.current();
  const { exponent } = resolveCurrency(event.currency, config);
  const money = callOptions('money');
  // Built first: a missing refund account parks before anything is written.
  const refundDoc = buildCustomerRefundTransform(event, config, cause);
  const creditMemoEid = externalIds.creditMemo(event.refNo, event.eventRef);

  const rows = await listCredits(ns, invoiceId, 'CustCred', exponent, money);
  const own = await ownCredit(ctx, rows, 'creditMemo', creditMemoEid, exponent);
  let creditMemoId: string;
  let amount: string;
  // Whether an earlier attempt or run may have posted the credit memo (and so the refund too).
  let posted = own !== undefined;
  let mayBePartlyApplied = true;
  if (own) {
    creditMemoId = own.id;
    amount = formatMinor(own.total, exponent);
  } else {
    const {
      out,
      plan,
      source: invoice,
    } = await postCredit(ctx, input, { type: 'invoice', id: invoiceId }, rows, exponent, (p) =>
      buildCreditMemoTransform(event, p, config, cause),
    );
    creditMemoId = out.id;
    amount = plan.amount;
    // NetSuite applies a credit memo made from an invoice to what the invoice still owes; only
    // then is less than the whole credit left to pay out.
    posted = !!out.existing;
    mayBePartlyApplied = posted || (invoice.amountRemaining ?? 0n) > 0n;
    ctx.logger.info(
      {
        refNo: event.refNo,
        eventRef: event.eventRef,
        cause,
        invoiceId,
        creditMemoId,
        method: plan.method,
        amount,
        reused: !!out.existing,
      },
      'credit memo posted',
    );
  }

  if (posted || isRetryAttempt()) {
    const found = await findTransformed(ns, 'customerRefund', refundDoc.externalId, money);
    if (found) return { creditMemoId, customerRefundId: found.id, amount };
  }
  if (mayBePartlyApplied) {
    const cm = await ns.get('creditMemo', creditMemoId, { ...money, fields: ['amountRemaining'] });
    const open = amountField(cm, 'amountRemaining', exponent);
    if (open !== undefined && Number(open) <= 0) {
      // The whole credit went to an invoice NetSuite still had open: no money was recorded as
      // received, so none is paid out.
      ctx.logger.warn(
        { refNo: event.refNo, eventRef: event.eventRef, creditMemoId },
        'credit memo fully applied to the open invoice; no customer refund',
      );
      return { creditMemoId, amount };
    }
  }
  const refund = await writeInOpenPeriod(
    { ns, config, what: { refNo: event.refNo, record: 'customer refund' }, opts: money },
    refundDoc.body,
    (body) =>
      idempotentTransform({
        ns,
        srcType: 'creditMemo',
        srcKey: creditMemoId,
        targetType: 'customerRefund',
        externalId: refundDoc.externalId,
        body,
        retryAttempt: false,
        lateWriteHorizonMs: ctx.lateWriteHorizonMs,
        opts: money,
      }),
  );
  ctx.logger.info(
    {
      refNo: event.refNo,
      eventRef: event.eventRef,
      cause,
      creditMemoId,
      customerRefundId: refund.id,
      reused: !!refund.existing,
    },
    'customer refund posted',
  );
  return { creditMemoId, customerRefundId: refund.id, amount };
}

async function refundCashSale(
  ctx: MoneyBackContext,
  input: RefundInput,
  cashSaleId: string,
): Promise<PostRefundResult> {
  const { event, cause } = input;
  const ns = ctx.ns;
  const config = ctx.mappings.current();
  const { exponent } = resolveCurrency(event.currency, config);
  const money = callOptions('money');
  const eid = externalIds.creditMemo(event.refNo, event.eventRef);

  const rows = await listCredits(ns, cashSaleId, 'CashRfnd', exponent, money);
  const own = await ownCredit(ctx, rows, 'cashRefund', eid, exponent);
  if (own) return { creditMemoId: own.id, customerRefundId: own.id, amount: formatMinor(own.total, exponent) };

  const { out, plan } = await postCredit(ctx, input, { type: 'cashSale', id: cashSaleId }, rows, exponent, (p) =>
    buildCashRefundTransform(event, p, config, cause),
  );
  ctx.logger.info(
    {
      refNo: event.refNo,
      eventRef: event.eventRef,
      cause,
      cashSaleId,
      cashRefundId: out.id,
      method: plan.method,
      amount: plan.amount,
      reused: !!out.existing,
    },
    'cash refund posted',
  );
  return { creditMemoId: out.id, customerRefundId: out.id, amount: plan.amount };
}
