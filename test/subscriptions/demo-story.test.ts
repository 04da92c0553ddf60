// Issue 28: the demo's subscription stories, decoded as the gateway decodes them and folded as the
// workflow folds them. The upgrade was told "1 renewal, 2 orders" with a journal line "renewal …
// with plan SUB-MONTHLY × 1 → SUB-MONTHLY-PRO × 1": its order was dated as a new period from the
// upgrade day (the demo's event), which the fold read as a renewal (the fold).
import { describe, expect, it } from 'vitest';
import { ipnToOrderEvent, lcnToLicenseEvent } from '../../mappings/from-2checkout.js';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { buildIpnFields, buildLcnFields, encodeForm } from '../../sandbox/twocheckout/sender.js';
import { SCENARIOS } from '../../sandbox/twocheckout/named-scenarios.js';
import {
  DEFAULT_SUBSCRIPTION_POLICY,
  emptySubscription,
  type SubscriptionModel,
} from '../../workflows/subscription-model.js';
import { foldLicense, foldOrder } from '../../workflows/subscription-state.js';

function play(name: string, refNo: string): { model: SubscriptionModel; notes: string[] } {
  const notifications = SCENARIOS[name]!.build({ refNo, at: new Date('2026-11-25T10:00:00Z') });
  let model: SubscriptionModel | undefined;
  const notes: string[] = [];
  for (const n of notifications) {
    if (n.kind === 'ipn') {
      const order = ipnToOrderEvent(parseForm(encodeForm(buildIpnFields(n.input))));
      const licence = order.lines.find((l) => l.license)?.license?.ref;
      if (!licence) continue;
      model ??= emptySubscription(licence);
      notes.push(
        foldOrder(model, { refNo: order.refNo, order, records: { customerId: '301' } }, DEFAULT_SUBSCRIPTION_POLICY)
          .note,
      );
    } else {
      const event = lcnToLicenseEvent(parseForm(encodeForm(buildLcnFields(n.input))));
      model ??= emptySubscription(event.licenseCode);
      notes.push(foldLicense(model, event, DEFAULT_SUBSCRIPTION_POLICY).note);
    }
  }
  return { model: model!, notes };
}

describe("the demo's subscription stories", () => {
  it('upgrade: two orders (first, upgrade), no renewal, the Pro plan until the first period ends', () => {
    const { model, notes } = play('upgrade', '820100');
    expect(model.orders.map((o) => [o.refNo, o.kind])).toEqual([
      ['820100', 'initial'],
      ['820101', 'upgrade'],
    ]);
    expect(model.renewals).toBe(0);
    expect(model.plan?.productCode).toBe('SUB-MONTHLY-PRO');
    // A prorated upgrade keeps the subscription's expiry (docs/subscriptions.md).
    expect(model.period?.end.slice(0, 10)).toBe('2026-12-25');
    expect(notes.at(-1)).toBe('plan changed mid-period by order 820101: SUB-MONTHLY × 1 → SUB-MONTHLY-PRO × 1');
  });

  it('renewal: two orders (first, renewal), one renewal, the period a month on', () => {
    const { model } = play('renewal', '820200');
    expect(model.orders.map((o) => o.kind)).toEqual(['initial', 'renewal']);
    expect(model.renewals).toBe(1);
    expect(model.period?.end.slice(0, 10)).toBe('2027-01-25');
  });
});
