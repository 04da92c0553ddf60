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

  get(refNo: string): StoredOrder | undefined {
    return this.orders.get(refNo);
  }

  all(): StoredOrder[] {
    return [...this.orders.values()];
  }

  get size(): number {
    return this.orders.size;
  }
}
