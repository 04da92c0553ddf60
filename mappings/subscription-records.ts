// Subscription state → the NetSuite record finance reports on, per `subscriptions.model`:
//   • customRecord (default): one record of a custom record type per subscription, upserted by
//     externalId, with one `custrecord_*` field per piece of state (field ids configurable);
//   • suiteBilling: the SuiteBilling `subscription` record (docs/reference-notes.md#ns-record-shapes, 2026.1 schema);
//   • none: nothing is written.
// Pure: no I/O. A product code without a NetSuite item throws the same MappingError as an order
// line does (the workflow parks and names the fix).
import type { SubscriptionRecordState } from './sync-types.js';
import type { OrderLine } from './canonical.js';
import type { MappingConfig, SubscriptionsConfig } from './config-schema.js';
import { MappingError } from './errors.js';
import { externalIds } from './ids.js';
import { mappingFileOf, resolveCurrency, resolveProduct } from './resolve.js';

export type SubscriptionRecordPlan =
  | { kind: 'none' }
  /** The record cannot be written yet; `reason` says what is missing. */
  | { kind: 'deferred'; reason: string }
  | {
      kind: 'upsert';
      type: string;
      externalId: string;
      body: Record<string, unknown>;
      /** NetSuite item of the current plan, when known. */
      itemId?: string;
      /** Body fields NetSuite accepts only when the record is created (SuiteBilling plan, customer, term). */
      createOnly: string[];
    };

/** The NetSuite item of a plan, resolved with the same product rules as order lines. */
export function planItem(
  plan: { productCode: string; productId?: string; productGroup?: string; name?: string },
  config: MappingConfig,
  path: string,
): string {
  const line: OrderLine = {
    index: 0,
    productId: plan.productId ?? '',
    productCode: plan.productCode,
    name: plan.name ?? plan.productCode,
    quantity: '1',
    unitPrice: '0',
    vat: '0',
    discount: '0',
    total: '0',
    ...(plan.productGroup ? { productGroup: plan.productGroup } : {}),
  };
  try {
    return resolveProduct(line, config).target.item;
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    throw new MappingError(
      'UNMAPPED_PRODUCT',
      `subscription product ${plan.productCode} has no NetSuite item: add \`- { code: ${plan.productCode}, item: <internal id> }\` under products.rules in ${mappingFileOf(config)}, then retry`,
      path,
    );
  }
}

export function buildSubscriptionRecord(s: SubscriptionRecordState, config: MappingConfig): SubscriptionRecordPlan {
  const sub = config.subscriptions;
  switch (sub.model) {
    case 'none':
      return { kind: 'none' };
    case 'customRecord':
      return customRecord(s, config, sub.customRecord);
    case 'suiteBilling':
      return suiteBillingSubscription(s, config, sub.suiteBilling);
  }
}

function customRecord(
  s: SubscriptionRecordState,
  config: MappingConfig,
  rc: SubscriptionsConfig['customRecord'],
): SubscriptionRecordPlan {
  const f = rc.fields;
  const body: Record<string, unknown> = {};
  // Unknown state is left out, not cleared: a run that starts without history (e.g. a reactivation
  // after the workflow completed) never wipes what an earlier run wrote.
  const put = (field: string | null, value: unknown) => {
    if (field !== null && value !== undefined) body[field] = value;
  };
  if (rc.name) body.name = s.licenseCode;
  const itemId = s.plan ? planItem(s.plan, config, 'plan.productCode') : undefined;
  put(f.licenseCode, s.licenseCode);
  put(f.status, s.status);
  put(f.item, itemId ? { id: itemId } : undefined);
  put(f.productCode, s.plan?.productCode);
  put(f.quantity, s.quantity);
  put(f.startedOn, s.startedOn);
  put(f.periodStart, s.periodStart);
  put(f.periodEnd, s.periodEnd);
  put(f.nextRenewal, s.nextRenewal);
  put(f.autoRenew, s.autoRenew);
  put(f.lastOrder, s.lastOrderRefNo);
  put(f.customer, s.customer.netsuiteId ? { id: s.customer.netsuiteId } : undefined);
  put(f.renewals, s.renewals);
  // A downgrade announced for the next renewal: shown until the renewal applies it (then cleared).
  put(f.pendingItem, s.pendingPlan ? { id: planItem(s.pendingPlan, config, 'pendingPlan.productCode') } : null);
  return {
    kind: 'upsert',
    type: rc.type,
    externalId: externalIds.subscription(s.licenseCode),
    body,
    ...(itemId ? { itemId } : {}),
    createOnly: [],
  };
}

function suiteBillingSubscription(
  s: SubscriptionRecordState,
  config: MappingConfig,
  sb: SubscriptionsConfig['suiteBilling'],
): SubscriptionRecordPlan {
  if (!s.customer.netsuiteId)
    return {
      kind: 'deferred',
      reason: 'a SuiteBilling subscription needs its NetSuite customer, known once the first order is posted',
    };
  if (!s.plan) return { kind: 'deferred', reason: 'the plan is not known yet' };
  const plan = sb.plans[s.plan.productCode];
  if (!plan) {
    throw new MappingError(
      'MAPPING_ERROR',
      `subscription product ${s.plan.productCode} has no SuiteBilling plan: add \`${s.plan.productCode}: { subscriptionPlan: <internal id>, priceBook: <internal id> }\` under subscriptions.suiteBilling.plans in ${mappingFileOf(config)}, then retry`,
      'plan.productCode',
    );
  }
  const body: Record<string, unknown> = {
    customer: { id: s.customer.netsuiteId },
    subscriptionPlan: { id: plan.subscriptionPlan },
    autoRenewal: s.autoRenew,
    ...sb.constants,
  };
  const createOnly = ['customer', 'subscriptionPlan'];
  if (plan.priceBook) {
    body.priceBook = { id: plan.priceBook };
    createOnly.push('priceBook');
  }
  if (sb.billingAccount) {
    body.billingAccount = { id: sb.billingAccount };
    createOnly.push('billingAccount');
  }
  if (sb.initialTerm) {
    body.initialTerm = { id: sb.initialTerm };
    createOnly.push('initialTerm');
  }
  if (sb.subsidiary) {
    body.subsidiary = { id: sb.subsidiary };
    createOnly.push('subsidiary');
  }
  if (s.currency) {
    body.currency = { id: resolveCurrency(s.currency, config).id };
    createOnly.push('currency');
  }
  if (s.startedOn ?? s.periodStart) body.startDate = s.startedOn ?? s.periodStart;
  if (s.periodEnd) body.endDate = s.periodEnd;
  if (sb.statusField) body[sb.statusField] = s.status;
  if (sb.lastOrderField && s.lastOrderRefNo) body[sb.lastOrderField] = s.lastOrderRefNo;
  return {
    kind: 'upsert',
    type: 'subscription',
    externalId: externalIds.subscription(s.licenseCode),
    body,
    createOnly,
  };
}
