// The subscription calls of the API sandbox: `GET /rest/6.0/subscriptions/{ref}/`, `DELETE
// …/{ref}/` (disable now) and `DELETE …/{ref}/renewal/` (recurring billing off; the REST path is
// UNCONFIRMED, twocheckout/rest/subscriptions.ts). A subscription is known from the orders in the
// store whose lines carry its reference; what the calls change is kept here. After a change the
// sandbox sends the LCN 2Checkout sends (LICENCE_CHANGE with DISABLED / RECURRING=0) through the
// demo's delivery path. Refusals (already disabled) are the sandbox's stricter choice.
import type { OrderEvent } from '../../../mappings/canonical.js';
import { deliver } from '../delivery.js';
import type { LcnInput } from '../lcn-fields.js';
import { customerOf } from '../refund-notice.js';
import type { TwoCheckoutStore } from '../store.js';
import { ApiRouteError, type NotifyTarget } from './route-error.js';

interface Known {
  line: OrderEvent['lines'][number];
  order: OrderEvent;
}

export class SubscriptionDesk {
  private readonly changed = new Map<string, { enabled: boolean; recurring: boolean }>();
  readonly stats = { calls: 0, notifyFailures: 0 };
  private readonly deliveries = new Set<Promise<void>>();

  constructor(
    private readonly opts: { store: TwoCheckoutStore; now: () => Date; target: () => NotifyTarget | undefined },
  ) {}

  /** The newest order line of the subscription (its expiry and product). */
  private find(reference: string): Known | undefined {
    let found: Known | undefined;
    for (const o of this.opts.store.all()) {
      for (const e of o.events) {
        if (e.status === 'REFUND') continue;
        const line = e.lines.find((l) => l.license?.ref === reference);
        if (line && (!found || e.ipnDate >= found.order.ipnDate)) found = { line, order: e };
      }
    }
    return found;
  }

  private stateOf(reference: string) {
    return this.changed.get(reference) ?? { enabled: true, recurring: true };
  }

  render(reference: string): Record<string, unknown> {
    const k = this.find(reference);
    if (!k) throw new ApiRouteError(404, 'NOT_FOUND', 'Subscription not found');
    const s = this.stateOf(reference);
    return {
      SubscriptionReference: reference,
      Status: s.enabled ? 'ACTIVE' : 'DISABLED',
      SubscriptionEnabled: s.enabled,
      RecurringEnabled: s.enabled && s.recurring,
      ExpirationDate: k.line.license?.expires ?? null,
      ProductCode: k.line.productCode,
      Lifetime: k.line.license?.lifetime ?? false,
    };
  }

  /** Answers a `subscriptions/…` path, or undefined when it is not one. */
  route(method: string, path: string): unknown {
    const m = /^subscriptions\/([^/]+)\/(renewal\/)?$/.exec(path);
    if (!m) return undefined;
    const reference = decodeURIComponent(m[1]!);
    if (method === 'GET' && !m[2]) return this.render(reference);
    if (method !== 'DELETE')
      throw new ApiRouteError(405, 'METHOD_NOT_ALLOWED', `${method} ${path} is not served by this sandbox`);
    this.stats.calls++;
    const k = this.find(reference);
    if (!k) throw new ApiRouteError(404, 'NOT_FOUND', 'Subscription not found');
    const s = this.stateOf(reference);
    if (!s.enabled)
      throw new ApiRouteError(400, 'SUBSCRIPTION_DISABLED', `Subscription ${reference} is already disabled`);
    if (m[2]) {
      if (!s.recurring)
        throw new ApiRouteError(
          400,
          'RECURRING_ALREADY_DISABLED',
          `Recurring billing of subscription ${reference} is already disabled`,
        );
      this.changed.set(reference, { enabled: true, recurring: false });
    } else this.changed.set(reference, { enabled: false, recurring: false });
    this.notify(reference, k, !m[2]);
    return true;
  }

  private notify(reference: string, k: Known, disabled: boolean): void {
    const target = this.opts.target();
    if (!target) return;
    const lcn: LcnInput = {
      licenseCode: reference,
      at: this.opts.now(),
      dispatchReason: 'LICENCE_CHANGE',
      expirationDate: k.line.license?.expires ?? '',
      status: disabled ? 'DISABLED' : 'ACTIVE',
      disabled,
      recurring: false,
      changedBy: 'VENDOR',
      productCode: k.line.productCode,
      productId: k.line.productId,
      lifetime: k.line.license?.lifetime ?? false,
      lastOrderRef: k.order.refNo,
      customer: customerOf(k.order),
      test: k.order.testOrder,
      ...(k.order.timezoneOffset ? { timezoneOffset: k.order.timezoneOffset } : {}),
    };
    const sent = (async () => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        try {
          const [d] = await deliver([{ kind: 'lcn', input: lcn }], () => target.lcnUrl, {
            secretKey: target.secretKey,
          });
          if (d?.result?.receiptValid) return;
        } catch {
          // Tried again below, as 2Checkout retries a notification.
        }
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
      this.stats.notifyFailures++;
    })();
    this.deliveries.add(sent);
    void sent.finally(() => this.deliveries.delete(sent));
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.deliveries]);
  }
}
