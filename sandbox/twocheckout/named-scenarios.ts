// The named scenarios `npm run demo` and the 2Checkout sandbox CLI (`--scenario`) play: each a
// short story of notifications built from the builders in scenarios.ts.
import type { NotificationInput } from './sender.js';
import { DEFAULT_TIMEZONE_OFFSET, type IpnOrderInput } from './ipn-fields.js';
import { formatDateTime } from './fields.js';
import type { LcnInput } from './lcn-fields.js';
import type { ScenarioOptions } from './scenarios.js';
import {
  addMonths,
  DAY,
  later,
  MINUTE,
  cardOrder,
  newCardOrder,
  returningCustomerOrder,
  eurOrder,
  jpyOrder,
  kwdOrder,
  threeLineOrder,
  unmappedProductOrder,
  licenseRefFor,
  subscriptionOrder,
  renewalOrder,
  upgradeOrder,
  fullRefund,
  partialRefund,
  reversal,
  cancellation,
  chargeback,
  licenseChange,
  licensePastDue,
  licenseExpiration,
  scheduledCancellation,
} from './scenarios.js';

export interface ScenarioContext {
  refNo: string;
  /** Subscription reference; default derived from refNo. */
  licenseRef?: string;
  at?: Date;
  test?: boolean;
}

export interface Scenario {
  description: string;
  build(ctx: ScenarioContext): NotificationInput[];
}

const ipn = (input: IpnOrderInput): NotificationInput => ({ kind: 'ipn', input });
const lcnOf = (input: LcnInput): NotificationInput => ({ kind: 'lcn', input });
const base = (ctx: ScenarioContext): ScenarioOptions => ({ at: ctx.at ?? new Date(), test: ctx.test });
/** REFNO of a follow-up order (renewal, upgrade) in a multi-order scenario. */
const nextRefNo = (refNo: string, n: number) =>
  /^\d+$/.test(refNo) ? String(BigInt(refNo) + BigInt(n)) : `${refNo}-${n}`;

function completeThen(ctx: ScenarioContext, ...then: Array<(o: IpnOrderInput) => IpnOrderInput>): NotificationInput[] {
  const complete = cardOrder(ctx.refNo, 'COMPLETE', base(ctx));
  return [complete, ...then.map((f) => f(complete))].map(ipn);
}

export const SCENARIOS: Record<string, Scenario> = {
  'new-order': {
    description: 'card order: PENDING → PAYMENT_AUTHORIZED → COMPLETE',
    build: (c) => newCardOrder(c.refNo, base(c)).map(ipn),
  },
  'returning-customer': {
    description: 'two orders of the same customer (REFNO and REFNO+1)',
    build: (c) => {
      const b = { ...base(c), customerSeed: `returning-${c.refNo}` };
      return [
        cardOrder(c.refNo, 'COMPLETE', b),
        returningCustomerOrder(nextRefNo(c.refNo, 1), { ...b, at: later(b.at, DAY) }),
      ].map(ipn);
    },
  },
  'eur-order': { description: 'EUR order, German customer, 19 % VAT', build: (c) => [ipn(eurOrder(c.refNo, base(c)))] },
  'jpy-order': { description: 'JPY order (0 decimals)', build: (c) => [ipn(jpyOrder(c.refNo, base(c)))] },
  'kwd-order': { description: 'KWD order (3 decimals)', build: (c) => [ipn(kwdOrder(c.refNo, base(c)))] },
  'three-line-order': {
    description: 'three lines with VAT and a discount',
    build: (c) => [ipn(threeLineOrder(c.refNo, base(c)))],
  },
  'unmapped-product': {
    description: 'order for NEW-GADGET-X, a product code with no NetSuite item',
    build: (c) => [ipn(unmappedProductOrder(c.refNo, base(c)))],
  },
  subscription: {
    description: 'subscription first order (SUB-MONTHLY)',
    build: (c) => [ipn(subscriptionOrder(c.refNo, { ...base(c), licenseRef: c.licenseRef }))],
  },
  renewal: {
    description: 'subscription first order, then a renewal order (REFNO+1) with the same licence',
    build: (c) => {
      const first = subscriptionOrder(c.refNo, { ...base(c), licenseRef: c.licenseRef });
      const ref = first.lines[0]?.license?.ref ?? licenseRefFor(c.refNo);
      const renewalAt = addMonths(first.at ?? new Date(), 1);
      return [
        ipn(first),
        ipn(
          renewalOrder(nextRefNo(c.refNo, 1), {
            ...base(c),
            at: renewalAt,
            customerSeed: c.refNo,
            licenseRef: ref,
            originalRefNoExt: [first.refNoExt ?? ''],
          }),
        ),
        lcnOf(
          licenseChange(ref, {
            ...base(c),
            at: later(renewalAt, MINUTE),
            customerSeed: c.refNo,
            lastOrderRef: nextRefNo(c.refNo, 1),
            renewalsNumber: 1,
            expirationDate: formatDateTime(addMonths(renewalAt, 1), DEFAULT_TIMEZONE_OFFSET),
          }),
        ),
      ];
    },
  },
  upgrade: {
    description: 'subscription first order, then an upgrade to SUB-MONTHLY-PRO (REFNO+1) ten days later, same expiry',
    build: (c) => {
      const first = subscriptionOrder(c.refNo, { ...base(c), licenseRef: c.licenseRef });
      const ref = first.lines[0]?.license?.ref ?? licenseRefFor(c.refNo);
      // A prorated upgrade keeps the subscription's expiry (docs/subscriptions.md).
      const expires = first.lines[0]?.license?.expires;
      return [
        first,
        upgradeOrder(nextRefNo(c.refNo, 1), {
          ...base(c),
          at: later(first.at, 10 * DAY),
          customerSeed: c.refNo,
          licenseRef: ref,
          ...(expires ? { expires } : {}),
        }),
      ].map(ipn);
    },
  },
  'full-refund': { description: 'COMPLETE, then a full REFUND', build: (c) => completeThen(c, (o) => fullRefund(o)) },
  'partial-refund': {
    description: 'three-line order, then a partial REFUND of the second line',
    build: (c) => {
      const o = threeLineOrder(c.refNo, base(c));
      return [o, partialRefund(o, { lines: [1] })].map(ipn);
    },
  },
  reversal: {
    description: 'PAYMENT_AUTHORIZED, then REVERSED',
    build: (c) => {
      const o = cardOrder(c.refNo, 'PAYMENT_AUTHORIZED', base(c));
      return [o, reversal(o)].map(ipn);
    },
  },
  cancellation: {
    description: 'PENDING, then CANCELED',
    build: (c) => {
      const o = cardOrder(c.refNo, 'PENDING', base(c));
      return [o, cancellation(o)].map(ipn);
    },
  },
  'chargeback-open': {
    description: 'COMPLETE, then a chargeback opened',
    build: (c) => completeThen(c, (o) => chargeback(o, 'OPEN')),
  },
  'chargeback-won': {
    description: 'COMPLETE, chargeback opened, then won',
    build: (c) =>
      completeThen(
        c,
        (o) => chargeback(o, 'OPEN'),
        (o) => chargeback(o, 'WON'),
      ),
  },
  'chargeback-lost': {
    description: 'COMPLETE, chargeback opened, then lost',
    build: (c) =>
      completeThen(
        c,
        (o) => chargeback(o, 'OPEN'),
        (o) => chargeback(o, 'LOST'),
      ),
  },
  'lcn-change': {
    description: 'LCN LICENCE_CHANGE (recurring switched off)',
    build: (c) => [
      lcnOf(
        licenseChange(c.licenseRef ?? licenseRefFor(c.refNo), { ...base(c), customerSeed: c.refNo, recurring: false }),
      ),
    ],
  },
  'lcn-past-due': {
    description: 'LCN LICENCE_PASTDUE',
    build: (c) => [
      lcnOf(licensePastDue(c.licenseRef ?? licenseRefFor(c.refNo), { ...base(c), customerSeed: c.refNo })),
    ],
  },
  'lcn-expiration': {
    description: 'LCN LICENCE_EXPIRATION',
    build: (c) => [
      lcnOf(licenseExpiration(c.licenseRef ?? licenseRefFor(c.refNo), { ...base(c), customerSeed: c.refNo })),
    ],
  },
  'lcn-scheduled-cancellation': {
    description: 'LCN SCHEDULED_FOR_CANCELATION_ON_DEMAND',
    build: (c) => [
      lcnOf(scheduledCancellation(c.licenseRef ?? licenseRefFor(c.refNo), { ...base(c), customerSeed: c.refNo })),
    ],
  },
};
