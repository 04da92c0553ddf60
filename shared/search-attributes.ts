// Typed search attributes, shared by workflows, the gateway, scripts and tests.
// Workflow-safe: imports only @temporalio/common. No personal data ever goes into these
// (they are stored unencrypted and are visible to anyone with Web UI access).
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** InProgress | NeedsAttention | Synced | Skipped | Ignored | Closed */
export const SyncStatus = defineSearchAttributeKey('SyncStatus', SearchAttributeType.KEYWORD);
/** 2Checkout order reference (REFNO). */
export const OrderRef = defineSearchAttributeKey('OrderRef', SearchAttributeType.KEYWORD);
/** 2Checkout subscription reference (IPN_LICENSE_REF / LCN LICENSE_CODE). */
export const LicenseCode = defineSearchAttributeKey('LicenseCode', SearchAttributeType.KEYWORD);
/** order | subscription */
export const EntityKind = defineSearchAttributeKey('EntityKind', SearchAttributeType.KEYWORD);
/** Machine-readable reason of a park, e.g. UNMAPPED_PRODUCT, NETSUITE_USER_ERROR, OVER_REFUND. */
export const ParkReason = defineSearchAttributeKey('ParkReason', SearchAttributeType.KEYWORD);
/** Chargeback state of an order: OPEN | WON | LOST | ACCEPTED | … */
export const DisputeStatus = defineSearchAttributeKey('DisputeStatus', SearchAttributeType.KEYWORD);
/** Subscription state: ACTIVE | PAST_DUE | CANCELED | EXPIRED | RENEWAL_MISSED | … */
export const SubscriptionStatus = defineSearchAttributeKey('SubscriptionStatus', SearchAttributeType.KEYWORD);
/** When the sync last changed state. */
export const LastSyncAt = defineSearchAttributeKey('LastSyncAt', SearchAttributeType.DATETIME);

export const allSearchAttributes = [
  SyncStatus,
  OrderRef,
  LicenseCode,
  EntityKind,
  ParkReason,
  DisputeStatus,
  SubscriptionStatus,
  LastSyncAt,
] as const;

export type SyncStatusValue = 'InProgress' | 'NeedsAttention' | 'Synced' | 'Skipped' | 'Ignored' | 'Closed';

/**
 * The search attributes a sync workflow is started with (gateway, order → subscription link), so
 * it is findable in the Web UI from its first event on.
 */
export function initialSearchAttributes(kind: 'order' | 'subscription', ref: string): SearchAttributePair[] {
  return [
    kind === 'order' ? { key: OrderRef, value: ref } : { key: LicenseCode, value: ref },
    { key: EntityKind, value: kind },
    { key: SyncStatus, value: 'InProgress' },
  ];
}
