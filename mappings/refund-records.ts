// Where a refund is paid from, and the transform bodies that post money going back to the shopper:
// credit memo, customer refund and (cash-sale mode) cash refund. Pure; the allocation of lines is
// credit-plan.ts, the header every transaction shares is transaction-header.ts.
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { MappingError } from './errors.js';
import { externalIds } from './ids.js';
import { mappingFileOf, resolvePayment } from './resolve.js';
import { isoDate } from './sale-records.js';
import type { CreditPlan, RefundCause } from './credit-plan.js';
import { transactionHeader } from './transaction-header.js';

export interface RefundPayout {
  /** Absent when the refund goes out of Undeposited Funds (the payment method's payments go there). */
  account?: string;
  undepositedFunds?: true;
  /** Payment-method field name (paymentOption / paymentMethod) and value, when configured. */
  field: string;
  paymentOption?: string;
  /** Which mapping key decided the account (for logs and the docs). */
  from:
    | 'refunds.chargebackAccount'
    | 'refunds.chargebackAccountByCurrency'
    | 'refunds.accountByPaymentMethod'
    | 'paymentMethods';
}

/**
 * The account money goes back out of: for a lost chargeback the configured chargeback account
 * (the card network took the money; no payment method is involved); for a refund the refund
 * account of the payment method, else the account the payment was deposited to.
 */
export function resolveRefundPayout(event: OrderEvent, config: MappingConfig, cause: RefundCause): RefundPayout {
  const field = config.paymentMethods.field;
  if (cause === 'chargeback') {
    const account = config.refunds.chargebackAccountByCurrency[event.currency] ?? config.refunds.chargebackAccount;
    if (account === undefined) {
      throw new MappingError(
        'MAPPING_ERROR',
        `order ${event.refNo} lost a chargeback, but no chargeback account is configured for ${event.currency}: set refunds.chargebackAccount ` +
          `(or refunds.chargebackAccountByCurrency.${event.currency}) in ${mappingFileOf(config)} to the internal id of the account chargebacks are paid out of, then retry`,
        'refunds.chargebackAccount',
      );
    }
    return {
      account,
      field,
      from:
        config.refunds.chargebackAccountByCurrency[event.currency] !== undefined
          ? 'refunds.chargebackAccountByCurrency'
          : 'refunds.chargebackAccount',
    };
  }
  const byMethod = config.refunds.accountByPaymentMethod[event.paymentMethod];
  if (byMethod !== undefined) {
    const option = (config.paymentMethods.byCode[event.paymentMethod] ?? config.paymentMethods.default)?.paymentOption;
    return {
      account: byMethod,
      field,
      ...(option !== undefined ? { paymentOption: option } : {}),
      from: 'refunds.accountByPaymentMethod',
    };
  }
  const payment = resolvePayment(event, config);
  return {
    ...(payment.undepositedFunds ? { undepositedFunds: true as const } : { account: payment.account! }),
    field,
    ...(payment.paymentOption !== undefined ? { paymentOption: payment.paymentOption } : {}),
    from: 'paymentMethods',
  };
}

function memoOf(event: OrderEvent, cause: RefundCause): string {
  if (cause === 'chargeback')
    return `2Checkout chargeback lost: order ${event.refNo}${event.chargeback?.reasonCode ? ` (${event.chargeback.reasonCode})` : ''}`;
  return `2Checkout ${event.refund?.type?.toLowerCase() === 'partial' ? 'partial refund' : 'refund'}: order ${event.refNo}`;
}

const refundHeader = (
  event: OrderEvent,
  config: MappingConfig,
  cause: RefundCause,
  externalId: string,
  otherRefNum: boolean,
) =>
  transactionHeader(event, config, {
    externalId,
    tranDate: isoDate(event.ipnDate),
    otherRefNum,
    memo: memoOf(event, cause),
  });

const payoutFields = (p: RefundPayout): Record<string, unknown> => ({
  ...(p.undepositedFunds ? { undepFunds: true } : { account: { id: p.account } }),
  ...(p.paymentOption !== undefined ? { [p.field]: { id: p.paymentOption } } : {}),
});

export interface TransformBody {
  externalId: string;
  body: Record<string, unknown>;
}

/** `POST /invoice/{id}/!transform/creditMemo?replace=item`: the allocated lines only. */
export function buildCreditMemoTransform(
  event: OrderEvent,
  plan: CreditPlan,
  config: MappingConfig,
  cause: RefundCause,
): TransformBody {
  const externalId = externalIds.creditMemo(event.refNo, event.eventRef);
  return { externalId, body: { ...refundHeader(event, config, cause, externalId, true), item: { items: plan.lines } } };
}

/** `POST /creditMemo/{id}/!transform/customerRefund`: pays out what the credit memo left unapplied. */
export function buildCustomerRefundTransform(
  event: OrderEvent,
  config: MappingConfig,
  cause: RefundCause,
): TransformBody {
  const externalId = externalIds.customerRefund(event.refNo, event.eventRef);
  return {
    externalId,
    body: {
      ...refundHeader(event, config, cause, externalId, false),
      ...payoutFields(resolveRefundPayout(event, config, cause)),
    },
  };
}

/**
 * Cash-sale mode: `POST /cashSale/{id}/!transform/cashRefund?replace=item`, credit and pay-out in
 * one record. It takes the credit memo's externalId (`2co-cm-…`): it plays that role, and the
 * record look-up of a later run finds it there.
 */
export function buildCashRefundTransform(
  event: OrderEvent,
  plan: CreditPlan,
  config: MappingConfig,
  cause: RefundCause,
): TransformBody {
  const externalId = externalIds.creditMemo(event.refNo, event.eventRef);
  return {
    externalId,
    body: {
      ...refundHeader(event, config, cause, externalId, true),
      ...payoutFields(resolveRefundPayout(event, config, cause)),
      item: { items: plan.lines },
    },
  };
}
