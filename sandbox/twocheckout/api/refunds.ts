// `POST /rest/6.0/orders/{RefNo}/refund/` of the API sandbox: checks the refund the way 2Checkout's
// "Refunding an order" page says it does (the order COMPLETE and recent, the amount not above what
// is left), refuses a second refund while one is in flight, records the refund in the store (so the
// order object lists it at once) and then sends the REFUND IPN through the same delivery as the
// demo (sandbox/twocheckout/delivery.ts). Error codes are the sandbox's own: 2Checkout's are
// UNCONFIRMED. Faults: hold the answer (`refundLatencyMs`) or drop it (`dropRefundAnswers`), to
// stand for a worker killed between the call and its answer.
import { z } from 'zod';
import { currencyExponent, formatMinor, isExactInCurrency, sum, toMinor, abs } from '../../../mappings/money.js';
import { deliver } from '../delivery.js';
import { stableDigits } from '../fields.js';
import { refundNotification, type RefundedLine } from '../refund-notice.js';
import type { IpnOrderInput } from '../ipn-fields.js';
import type { TwoCheckoutStore } from '../store.js';
import { renderApiOrder, viewOf } from './render.js';
import { ApiRouteError, DROP_ANSWER, type NotifyTarget } from './route-error.js';

const Decimal = z
  .union([z.number(), z.string()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal amount'));
const RefundBody = z
  .object({
    Amount: Decimal,
    Items: z
      .array(
        z
          .object({
            LineItemReference: z.string().min(1),
            Quantity: z.number().int().positive(),
            Amount: Decimal.optional(),
          })
          .loose(),
      )
      .optional(),
    Comment: z.string().trim().min(1, 'Comment is required'),
    Reason: z.string().trim().min(1, 'Reason is required'),
  })
  .loose();

export interface RefundDeskOptions {
  store: TwoCheckoutStore;
  now: () => Date;
  /** How old an order may be (2Checkout's REST page: 3 months). */
  refundWindowDays: number;
  faults: { refundLatencyMs?: number; dropRefundAnswers?: number };
  target: () => NotifyTarget | undefined;
}

export class RefundDesk {
  /** Orders with a refund being processed (accepted, notification not yet sent). */
  private readonly inFlight = new Set<string>();
  /** Refunds accepted, and notifications that could not be delivered. */
  readonly stats = { refunds: 0, notifyFailures: 0 };
  private readonly deliveries = new Set<Promise<void>>();

  constructor(private readonly opts: RefundDeskOptions) {}

  async refund(refNo: string, raw: unknown): Promise<true | typeof DROP_ANSWER> {
    const parsed = RefundBody.safeParse(raw);
    if (!parsed.success)
      throw new ApiRouteError(400, 'INVALID_PARAMETER', z.prettifyError(parsed.error).replace(/\n/g, '; '));
    const body = parsed.data;
    const order = this.opts.store.get(refNo);
    if (!order) throw new ApiRouteError(404, 'NOT_FOUND', 'Order not found');
    const rendered = renderApiOrder(order);
    const view = viewOf(order);
    if (rendered.Status !== 'COMPLETE' || !view.sale)
      throw new ApiRouteError(
        400,
        'ORDER_NOT_REFUNDABLE',
        `Only COMPLETE orders can be refunded; order ${refNo} is ${String(rendered.Status)}`,
      );
    const placed = Date.parse(`${view.orderDate.replace(' ', 'T')}Z`);
    if (this.opts.now().getTime() - placed > this.opts.refundWindowDays * 86_400_000) {
      throw new ApiRouteError(
        400,
        'ORDER_NOT_REFUNDABLE',
        `Order ${refNo} is older than ${this.opts.refundWindowDays} days and cannot be refunded through the API`,
      );
    }
    if (this.inFlight.has(refNo))
      throw new ApiRouteError(
        409,
        'REFUND_IN_PROGRESS',
        `Another refund of order ${refNo} is being processed; try again once it is done`,
      );

    const sale = view.sale;
    const exponent = currencyExponent(sale.currency);
    if (!isExactInCurrency(body.Amount, exponent))
      throw new ApiRouteError(
        400,
        'INVALID_AMOUNT',
        `Amount ${body.Amount} has more decimals than ${sale.currency} allows`,
      );
    const amount = toMinor(body.Amount, exponent);
    const gross = toMinor(sale.totals.general, exponent);
    const refunded = sum(view.refunds.map((r) => abs(toMinor(r.totals.general, exponent))));
    if (amount <= 0n || amount > gross - refunded) {
      throw new ApiRouteError(
        400,
        'INVALID_AMOUNT',
        `Refund amount ${body.Amount} exceeds the refundable amount ${formatMinor(gross - refunded, exponent)} ${sale.currency} of order ${refNo}`,
      );
    }
    const lines: RefundedLine[] = [];
    for (const item of body.Items ?? []) {
      const index = sale.lines.findIndex(
        (l) => stableDigits(`line:${refNo}:${l.index}`, 12) === item.LineItemReference,
      );
      const line = sale.lines[index];
      if (!line)
        throw new ApiRouteError(400, 'INVALID_ITEMS', `Order ${refNo} has no line item ${item.LineItemReference}`);
      if (item.Quantity > Number(line.quantity))
        throw new ApiRouteError(
          400,
          'INVALID_ITEMS',
          `Line item ${item.LineItemReference} has quantity ${line.quantity}, less than ${item.Quantity}`,
        );
      const share =
        (toMinor(line.total, exponent) * BigInt(item.Quantity)) / BigInt(Math.max(1, Number(line.quantity)));
      lines.push({ index, quantity: item.Quantity, amount: item.Amount ?? formatMinor(share, exponent) });
    }
    if (lines.length > 0 && sum(lines.map((l) => toMinor(l.amount, exponent))) !== amount) {
      throw new ApiRouteError(
        400,
        'INVALID_ITEMS',
        `The items' amounts add up to ${formatMinor(sum(lines.map((l) => toMinor(l.amount, exponent))), exponent)}, not the Amount ${body.Amount}`,
      );
    }

    const whole = refunded === 0n && amount === gross && lines.length === 0;
    const input = refundNotification(
      sale,
      { amount: formatMinor(amount, exponent), lines, whole, reason: body.Reason },
      this.opts.now(),
    );
    const event = this.opts.store.recordIpn(input);
    this.opts.store.annotate(refNo, event.key, body.Comment);
    this.stats.refunds++;
    this.inFlight.add(refNo);
    // The notification follows the refund, whether or not the caller hears the answer.
    const notified = this.notify(input);
    this.deliveries.add(notified);
    void notified.finally(() => this.deliveries.delete(notified));
    if (this.opts.faults.refundLatencyMs) await new Promise((r) => setTimeout(r, this.opts.faults.refundLatencyMs));
    // In flight until both the answer and the notification are out.
    void notified.finally(() => this.inFlight.delete(refNo));
    if ((this.opts.faults.dropRefundAnswers ?? 0) > 0) {
      this.opts.faults.dropRefundAnswers!--;
      return DROP_ANSWER;
    }
    return true;
  }

  /** Sends the REFUND IPN to the gateway, as 2Checkout would (a few tries); the refund is done either way. */
  private async notify(input: IpnOrderInput): Promise<void> {
    const target = this.opts.target();
    if (!target) return;
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        const [d] = await deliver([{ kind: 'ipn', input }], () => target.ipnUrl, {
          secretKey: target.secretKey,
          recordIn: this.opts.store,
        });
        if (d?.result?.receiptValid) return;
      } catch {
        // The gateway is down or restarting: 2Checkout tries again later; so does the sandbox, a few times.
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
    this.stats.notifyFailures++;
  }

  /** Resolves when every notification started so far was sent (or given up). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.deliveries]);
  }
}
