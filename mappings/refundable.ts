// What may still be refunded on an order, and whether a refund request fits it: pure, so the
// request check (at request time) and the execution check (after approval) say the same thing.
//
// Two sources must agree before money moves: 2Checkout (the order's gross minus its refunds, from
// the REST order object) and NetSuite (the invoice or cash sale minus the credits posted from it).
// The smaller is what is still refundable. Amounts are exact, in the order currency's minor unit.
// 2Checkout's own rules for an API refund (docs/reference-notes.md#2co-refund-api): the order is
// COMPLETE, it is recent (actions.refundWindow), the amount is not above the order's total.
import type { ApiOrder } from '../twocheckout/rest/orders.js';
import {
  abs,
  allocate,
  currencyExponent,
  formatMinor,
  isExactInCurrency,
  MoneyFormatError,
  sum,
  toMinor,
  type Minor,
} from './money.js';

/** A line of the order to refund, named by 2Checkout's LineItemReference. */
export interface RefundLineAsk {
  lineItemReference: string;
  quantity: number;
}

/** What a person asks for: an amount, lines, or both (the amount then at most what the lines are worth). */
export interface RefundAsk {
  amount?: string;
  currency?: string;
  lines?: RefundLineAsk[];
}

/** The order's sale in NetSuite and what has been credited from it so far (minor units). */
export interface NetSuiteCreditable {
  document: 'invoice' | 'cashSale';
  label: string;
  total: Minor;
  credited: Minor;
}

export interface RefundItem {
  lineItemReference: string;
  productCode: string;
  quantity: number;
  /** What this line gives back (decimal string, order currency). */
  amount: string;
}

export type RefundFit =
  | {
      ok: true;
      amount: string;
      currency: string;
      items: RefundItem[];
      /** What was still refundable before this refund (decimal string). */
      refundable: string;
    }
  | { ok: false; message: string };

export interface RefundFacts {
  order: ApiOrder;
  /** Undefined when NetSuite has no invoice or cash sale for the order. */
  netsuite: NetSuiteCreditable | undefined;
  now: Date;
  refundWindowMs: number;
  /** Shown in the refusal ("actions.refundWindow"). */
  refundWindowText: string;
}

const grossOf = (l: ApiOrder['Items'][number]): string | undefined =>
  l.Price.GrossDiscountedPrice ?? l.Price.GrossPrice;

/** What 2Checkout still holds of the order: gross minus the refunds it lists. */
export function twoCheckoutRefundable(
  order: ApiOrder,
  exponent: number,
): { gross: Minor; refunded: Minor; left: Minor } {
  const gross = toMinor(order.GrossPrice, exponent);
  const refunded = sum((order.Refunds ?? []).map((r) => abs(toMinor(r.Amount, exponent))));
  return { gross, refunded, left: gross - refunded };
}

/** `Y-m-d H:i:s` (merchant time; its zone is not given, so read as UTC: ± a day at most). */
function orderInstant(orderDate: string): number {
  return Date.parse(`${orderDate.trim().replace(' ', 'T')}Z`);
}

/** 2Checkout's own rules for an API refund (status and age), or undefined when the order may be refunded. */
export function notRefundableNow(
  order: ApiOrder,
  facts: Pick<RefundFacts, 'now' | 'refundWindowMs' | 'refundWindowText'>,
): string | undefined {
  if (order.Status !== 'COMPLETE') {
    return `order ${order.RefNo} cannot be refunded through 2Checkout's API: its status is ${order.Status}, and only COMPLETE orders are refundable`;
  }
  const placed = orderInstant(order.OrderDate);
  if (Number.isFinite(placed) && facts.now.getTime() - placed > facts.refundWindowMs) {
    return `order ${order.RefNo} was placed on ${order.OrderDate.slice(0, 10)}, longer ago than the refund window (actions.refundWindow ${facts.refundWindowText}), so it cannot be refunded through the API; refund it in 2Checkout's Control Panel instead`;
  }
  return undefined;
}

/** Decides whether `ask` fits what both systems say is still refundable; a refusal is one sentence naming what is. */
export function fitRefund(ask: RefundAsk, facts: RefundFacts): RefundFit {
  const { order } = facts;
  const currency = order.Currency;
  const exponent = currencyExponent(currency);
  const fmt = (m: Minor) => `${formatMinor(m, exponent)} ${currency}`;
  const refuse = (message: string): RefundFit => ({ ok: false, message });

  const rule = notRefundableNow(order, facts);
  if (rule) return refuse(rule);
  if (ask.currency !== undefined && ask.currency.trim().toUpperCase() !== currency) {
    return refuse(
      `order ${order.RefNo} was paid in ${currency}, not ${ask.currency.trim().toUpperCase()}: give the amount in ${currency}`,
    );
  }

  const items: Array<Omit<RefundItem, 'amount'> & { worth: Minor }> = [];
  for (const [i, line] of (ask.lines ?? []).entries()) {
    const found = order.Items.find((x) => x.LineItemReference === line.lineItemReference);
    if (!found) {
      const known = order.Items.map((x) => `${x.LineItemReference ?? '?'} (${x.Code} × ${x.Quantity})`).join(', ');
      return refuse(`order ${order.RefNo} has no line ${line.lineItemReference} (lines[${i}]); its lines are ${known}`);
    }
    const ordered = Number(found.Quantity);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > ordered) {
      return refuse(
        `line ${line.lineItemReference} of order ${order.RefNo} (${found.Code}) was bought ${ordered} time(s): refund a whole quantity from 1 to ${ordered}, not ${line.quantity}`,
      );
    }
    if (items.some((x) => x.lineItemReference === line.lineItemReference)) {
      return refuse(
        `line ${line.lineItemReference} of order ${order.RefNo} is named twice: name each line once with its quantity`,
      );
    }
    const gross = grossOf(found);
    const lineGross = gross === undefined ? 0n : toMinor(gross, exponent);
    // The line's share for the quantity given back, half-up (2Checkout's Items.Amount is the line total refunded).
    const worth =
      ordered > 0 ? (lineGross * BigInt(line.quantity) * 2n + BigInt(ordered)) / (2n * BigInt(ordered)) : 0n;
    items.push({ lineItemReference: line.lineItemReference, productCode: found.Code, quantity: line.quantity, worth });
  }

  let amount: Minor;
  if (ask.amount !== undefined) {
    const text = ask.amount.trim();
    try {
      if (!isExactInCurrency(text, exponent))
        return refuse(
          `${text} has more decimals than ${currency} allows (${exponent}): give the amount to the ${exponent === 0 ? 'whole unit' : `${exponent}-decimal minor unit`}`,
        );
      amount = toMinor(text, exponent);
    } catch (e) {
      if (!(e instanceof MoneyFormatError)) throw e;
      return refuse(`${JSON.stringify(ask.amount)} is not an amount: give a decimal number such as 19.99`);
    }
    if (amount <= 0n) return refuse(`a refund must be more than 0 ${currency}, not ${text}`);
    const worth = sum(items.map((x) => x.worth));
    if (items.length > 0 && amount > worth) {
      return refuse(
        `${fmt(amount)} is more than the named lines of order ${order.RefNo} are worth (${fmt(worth)}): lower the amount or name more lines`,
      );
    }
  } else if (items.length > 0) {
    amount = sum(items.map((x) => x.worth));
  } else {
    return refuse(
      `say what to refund of order ${order.RefNo}: an amount (e.g. --amount 19.99) or lines (--line <LineItemReference>[:quantity])`,
    );
  }

  const tco = twoCheckoutRefundable(order, exponent);
  const ns = facts.netsuite;
  if (!ns) {
    return refuse(
      `order ${order.RefNo} has no paid invoice or cash sale in NetSuite yet, so nothing there could be credited: wait until its sync has posted the sale (npm run ops -- requests, npm run stuck), then ask again`,
    );
  }
  const nsLeft = ns.total - ns.credited;
  const refundable = tco.left < nsLeft ? tco.left : nsLeft;
  if (amount > refundable) {
    const left = refundable > 0n ? refundable : 0n;
    return refuse(
      `a refund of ${fmt(amount)} on order ${order.RefNo} is more than is still refundable, ${fmt(left)} ` +
        `(2Checkout: ${fmt(tco.left > 0n ? tco.left : 0n)} of ${fmt(tco.gross)} paid; NetSuite: ${fmt(nsLeft > 0n ? nsLeft : 0n)} left to credit on ${ns.document === 'invoice' ? 'invoice' : 'cash sale'} ${ns.label})`,
    );
  }
  // The lines' amounts add up to the amount refunded (scaled down when the amount is below their worth).
  const shares =
    items.length > 0
      ? sum(items.map((x) => x.worth)) > 0n
        ? allocate(
            amount,
            items.map((x) => x.worth),
          )
        : items.map((_, i) => (i === 0 ? amount : 0n))
      : [];
  return {
    ok: true,
    amount: formatMinor(amount, exponent),
    currency,
    items: items.map((x, i) => ({
      lineItemReference: x.lineItemReference,
      productCode: x.productCode,
      quantity: x.quantity,
      amount: formatMinor(shares[i]!, exponent),
    })),
    refundable: formatMinor(refundable, exponent),
  };
}

/** The refunds an order lists, as amounts in minor units (the baseline a request compares against). */
export function refundAmounts(order: ApiOrder): string[] {
  const exponent = currencyExponent(order.Currency);
  return (order.Refunds ?? []).map((r) => formatMinor(abs(toMinor(r.Amount, exponent)), exponent));
}

/**
 * Whether 2Checkout already shows this request's refund: a refund whose comment carries the
 * request's id, or else one more refund of the same amount than there were when the request was
 * made (2Checkout's refund API takes no idempotency key that we know of, so "a new refund of that
 * amount" is the safe reading: it may be someone's refund by hand, and then one must not be added).
 */
export function refundAlreadyMade(
  order: ApiOrder,
  amount: string,
  baseline: readonly string[],
  requestId: string,
): boolean {
  if ((order.Refunds ?? []).some((r) => r.Comment?.includes(requestId))) return true;
  const now = refundAmounts(order).filter((a) => a === amount).length;
  const before = baseline.filter((a) => a === amount).length;
  return now > before;
}
