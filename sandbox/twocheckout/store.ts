// The 2Checkout sandbox's one store of orders. Every IPN the sender builds is recorded here
// (whether or not it is then delivered), and the REST API sandbox serves its orders from here, so
// a demo order exists in both and a dropped webhook is exactly "2Checkout knows, we were not told".
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFileSync } from '../../shared/private-files.js';
import { z } from 'zod';
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

const snapshotSchema = z.object({
  version: z.literal(1),
  orders: z.array(z.looseObject({ refNo: z.string(), events: z.array(z.looseObject({ key: z.string() })) })),
});

export class TwoCheckoutStore {
  private readonly orders = new Map<string, StoredOrder>();
  private file: string | undefined;

  /**
   * A store kept in a JSON file (npm start's, under .data/), so what 2Checkout knows survives a
   * restart as NetSuite's sandbox ledger does: reconciling a day after a restart must still find the
   * demo's orders in 2Checkout.
   */
  static persisted(file: string): TwoCheckoutStore {
    const store = new TwoCheckoutStore();
    if (existsSync(file)) {
      const parsed = snapshotSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success)
        throw new Error(
          `${file} is not a 2Checkout sandbox data file (${parsed.error.issues[0]?.message}): move it away to start empty`,
        );
      for (const o of parsed.data.orders as unknown as StoredOrder[]) store.orders.set(o.refNo, o);
    }
    store.file = file;
    return store;
  }

  private save(): void {
    if (!this.file) return;
    // Shoppers' details are in the events: owner-only, as the rest of .data/.
    writePrivateFileSync(this.file, JSON.stringify({ version: 1, orders: this.all() }));
  }

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
    if (stored.events.some((e) => e.key === event.key)) return;
    stored.events.push(event);
    this.save();
  }

  /** Keeps the comment a refund was issued with (the REST order object shows it with the refund). */
  annotate(refNo: string, eventKey: string, comment: string): void {
    const stored = this.orders.get(refNo);
    if (!stored) return;
    stored.comments = { ...stored.comments, [eventKey]: comment };
    this.save();
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
