// The refund request's activities: the check against 2Checkout and NetSuite, the refund in
// 2Checkout (at most once), and the look for what the order sync booked for it.
//
// At most once without an idempotency key (2Checkout's refund API documents none): the request
// keeps the order's refunds as they were when it was made (`baseline`), and every attempt reads the
// order before it calls. A refund carrying the request id in its comment, or one more refund of the
// same amount than in the baseline, means the refund is there: no call. A worker killed after the
// call and before the answer therefore retries into a read that finds it (docs/actions.md says
// what remains UNCONFIRMED).
import { z } from 'zod';
import { EXTERNAL_ID_PREFIX, externalIds } from '../mappings/ids.js';
import { currencyExponent, formatMinor, sum, toMinor, type Minor } from '../mappings/money.js';
import {
  fitRefund,
  notRefundableNow,
  refundAlreadyMade,
  refundAmounts,
  twoCheckoutRefundable,
} from '../mappings/refundable.js';
import { durationMs } from '../mappings/time-values.js';
import type { NetSuiteClient } from '../netsuite/types.js';
import { createRefundsApi } from '../twocheckout/rest/refunds.js';
import type { ActionRequestActivities, RefundBooking, RefundCheck } from '../workflows/action-request-contract.js';
import { orderWorkflowId } from '../workflows/messages.js';
import { isRefusal, refusedBy2Checkout, type ActionContext } from './action-context.js';
import { callOptions } from './activity-context.js';
import { listCredits, type CreditRow } from './credit-ledger.js';
import { amountField, findTransformed, readByExternalId } from './idempotent-writes.js';

type RefundActivities = Pick<ActionRequestActivities, 'checkRefund' | 'issueRefund' | 'refundBooking'>;

interface NetSuiteSale {
  document: 'invoice' | 'cashSale';
  id: string;
  label: string;
  total: Minor;
  credits: CreditRow[];
}

/** The order's invoice (sales-order mode) or cash sale, by externalId, with the credits posted from it. */
async function readSale(ns: NetSuiteClient, refNo: string, exponent: number): Promise<NetSuiteSale | undefined> {
  const opts = callOptions('money');
  for (const document of ['invoice', 'cashSale'] as const) {
    const rec = await readByExternalId(
      ns,
      document,
      document === 'invoice' ? externalIds.invoice(refNo) : externalIds.cashSale(refNo),
      opts,
    );
    if (!rec) continue;
    const total = toMinor(amountField(rec, 'total', exponent) ?? '0', exponent);
    const credits = await listCredits(ns, rec.id, document === 'invoice' ? 'CustCred' : 'CashRfnd', exponent, opts);
    return { document, id: rec.id, label: typeof rec.tranId === 'string' ? rec.tranId : rec.id, total, credits };
  }
  return undefined;
}

/** What the order sync's state says about credits and parks (read loosely: it is another workflow's query). */
const OrderView = z.looseObject({
  park: z.looseObject({ step: z.string(), reason: z.string(), message: z.string().optional() }).optional(),
  records: z
    .looseObject({
      creditMemos: z
        .record(z.string(), z.looseObject({ creditMemoId: z.string(), customerRefundId: z.string().optional() }))
        .optional(),
    })
    .optional(),
});

async function orderView(ctx: ActionContext, refNo: string): Promise<z.infer<typeof OrderView> | undefined> {
  try {
    const r = OrderView.safeParse(await ctx.syncState(orderWorkflowId(refNo)));
    return r.success ? r.data : undefined;
  } catch {
    // No order workflow (yet), or none answering: the NetSuite read alone decides.
    return undefined;
  }
}

const CREDIT_MEMO_PREFIX = `${EXTERNAL_ID_PREFIX}-cm-`;

export function createRefundRequestActivities(ctx: ActionContext): RefundActivities {
  const settings = () => ctx.mappings.current().actions;
  const window = () => ({
    now: ctx.now(),
    refundWindowMs: durationMs(settings().refundWindow),
    refundWindowText: settings().refundWindow,
  });

  return {
    async checkRefund({ refNo, amount, currency, lines }): Promise<RefundCheck> {
      const api = ctx.api();
      let order;
      try {
        order = await api.getOrder(refNo);
      } catch (e) {
        if (isRefusal(e)) return { ok: false, message: `2Checkout did not answer for order ${refNo}: ${e.message}` };
        throw e;
      }
      if (!order)
        return {
          ok: false,
          message: `2Checkout does not know order ${refNo}: check the REFNO (2Checkout's order reference)`,
        };
      const exponent = currencyExponent(order.Currency);
      const sale = await readSale(ctx.netsuite, refNo, exponent);
      const fit = fitRefund(
        { ...(amount !== undefined ? { amount } : {}), ...(currency ? { currency } : {}), ...(lines ? { lines } : {}) },
        {
          order,
          netsuite: sale && {
            document: sale.document,
            label: sale.label,
            total: sale.total,
            credited: sum(sale.credits.map((c) => c.total)),
          },
          ...window(),
        },
      );
      if (!fit.ok) return fit;
      return { ...fit, baseline: refundAmounts(order), bookedBefore: sale!.credits.map((c) => c.id) };
    },

    async issueRefund({ requestId, refNo, amount, currency, items, comment, baseline }) {
      const api = ctx.api();
      const at = ctx.now().toISOString();
      const order = await api.getOrder(refNo);
      if (!order) throw refusedBy2Checkout(`2Checkout no longer knows order ${refNo}: nothing was refunded`);
      if (refundAlreadyMade(order, amount, baseline, requestId)) {
        ctx.logger.info({ refNo, requestId, amount }, 'refund already shown by 2Checkout: not issued again');
        return { alreadyDone: true, at };
      }
      // 2Checkout's own rules, as they stand now (the order may have changed since the request).
      const rule = notRefundableNow(order, window());
      if (rule) throw refusedBy2Checkout(`${rule}. Nothing was refunded`);
      const exponent = currencyExponent(order.Currency);
      const left = twoCheckoutRefundable(order, exponent).left;
      if (toMinor(amount, exponent) > left) {
        throw refusedBy2Checkout(
          `2Checkout now has only ${formatMinor(left > 0n ? left : 0n, exponent)} ${currency} refundable on order ${refNo}, less than the ${amount} ${currency} approved (refunded meanwhile?). Nothing was refunded`,
        );
      }
      try {
        await createRefundsApi(api).issueRefund(refNo, {
          Amount: amount,
          ...(items.length
            ? {
                Items: items.map((i) => ({
                  LineItemReference: i.lineItemReference,
                  Quantity: i.quantity,
                  Amount: i.amount,
                })),
              }
            : {}),
          Comment: comment,
          Reason: settings().refundReason,
        });
      } catch (e) {
        if (!isRefusal(e)) throw e;
        // A refusal may still have refunded (e.g. an answer lost or garbled): look before saying no.
        const again = await api.getOrder(refNo);
        if (!again || !refundAlreadyMade(again, amount, baseline, requestId)) {
          throw refusedBy2Checkout(
            `2Checkout refused the refund of ${amount} ${currency} on order ${refNo}: ${e.message}`,
          );
        }
      }
      ctx.logger.info({ refNo, requestId, amount, currency }, 'refund issued in 2Checkout');
      return { alreadyDone: false, at };
    },

    async refundBooking({ refNo, amount, currency, bookedBefore }): Promise<RefundBooking> {
      const exponent = currencyExponent(currency);
      const sale = await readSale(ctx.netsuite, refNo, exponent);
      if (!sale) return { booked: false, detail: `NetSuite shows no invoice or cash sale for order ${refNo}` };
      const want = toMinor(amount, exponent);
      // A credit the sync made (its externalId) since the request, of this amount.
      const prefix = externalIds.creditMemo(refNo, 'x').slice(0, -1);
      const fresh = sale.credits.find(
        (c) => !bookedBefore.includes(c.id) && c.externalId?.startsWith(prefix) && c.total === want,
      );
      const view = await orderView(ctx, refNo);
      const parked = view?.park
        ? `; the order sync is parked at ${view.park.step} (${view.park.reason})${view.park.message ? `: ${view.park.message}` : ''}`
        : '';
      if (!fresh)
        return {
          booked: false,
          detail: `no new credit of ${amount} ${currency} from ${sale.document === 'invoice' ? 'invoice' : 'cash sale'} ${sale.label} yet${parked}`,
        };
      const eventRef = fresh.externalId!.slice(prefix.length);
      const booked = {
        booked: true as const,
        creditMemoId: fresh.id,
        amount: formatMinor(fresh.total, exponent),
        eventRef,
      };
      // Cash-sale mode: the cash refund is the credit and the pay-out in one record.
      if (sale.document === 'cashSale') return { ...booked, customerRefundId: fresh.id };
      const refundEid = `${EXTERNAL_ID_PREFIX}-rf-${fresh.externalId!.slice(CREDIT_MEMO_PREFIX.length)}`;
      const refund = await findTransformed(ctx.netsuite, 'customerRefund', refundEid, callOptions('money'));
      if (refund) return { ...booked, customerRefundId: refund.id };
      // The order sync posts no customer refund when the whole credit went to an invoice still open.
      const step = Object.values(view?.records?.creditMemos ?? {}).find((c) => c.creditMemoId === fresh.id);
      if (step) return booked;
      return { booked: false, detail: `credit memo ${fresh.id} is booked; its customer refund not yet${parked}` };
    },
  };
}
