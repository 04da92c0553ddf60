// The 2Checkout sandbox's one store of orders. Every IPN the sender builds is recorded here
// (whether or not it is then delivered), and the REST API sandbox serves its orders from here, so
// a demo order exists in both and a dropped webhook is exactly "2Checkout knows, we were not told".
import { parseForm } from '../../twocheckout/webhooks/form.js';
import type { OrderEvent } from '../../mappings/canonical.js';
import { ipnToOrderEvent } from '../../mappings/from-2checkout.js';
import { buildIpnFields, type IpnOrderInput } from './ipn-fields.js';
import { encodeForm } from './wire.js';

export interface StoredOrder {
  refNo: string;
  /** Every order IPN of this order, in the order they happened. */
  events: OrderEvent[];
  /** The comment of each refund made through the API sandbox, by its REFUND event's key. */
  comments?: Record<string, string>;
}

export class TwoCheckoutStore {
  private readonly orders = new Map<string, StoredOrder>();

  /** Records what 2Checkout knows after this IPN (built exactly as the sender would send it). */
  recordIpn(input: IpnOrderInput): OrderEvent {
    const event = ipnToOrderEvent(parseForm(encodeForm(buildIpnFields(input))));
    this.recordEvent(event);
    return event;
  }

  /** Records an IPN body as received (form-urlencoded), e.g. from another process. */
  recordIpnBody(body: string): OrderEvent {
    const event = ipnToOrderEvent(parseForm(body));
    this.recordEvent(event);
    return event;
  }

  recordEvent(event: OrderEvent): void {
    let stored = this.orders.get(event.refNo);
    if (!stored) this.orders.set(event.refNo, (stored = { refNo: event.refNo, events: [] }));
    if (!stored.events.some((e) => e.key === event.key)) stored.events.push(event);
  }

  /** Keeps the comment a refund was issued with (the REST order object shows it with the refund). */
  annotate(refNo: string, eventKey: string, comment: string): void {
    const stored = this.orders.get(refNo);
    if (stored) stored.comments = { ...stored.comments, [eventKey]: comment };
  }

  get(refNo: string): StoredOrder | undefined {
    return this.orders.get(refNo);
  }

  all(): StoredOrder[] {
    return [...this.orders.values()];
  }

  get size(): number {
    return this.orders.size;
  }

  /** Every order, for a file a later start of the sandbox restores (`npm start` keeps it in .data/). */
  snapshot(): StoredOrder[] {
    return structuredClone(this.all());
  }

  /** A store holding the orders of a snapshot. */
  static restore(orders: readonly StoredOrder[]): TwoCheckoutStore {
    const store = new TwoCheckoutStore();
    for (const o of orders) store.orders.set(o.refNo, structuredClone(o));
    return store;
  }
}
