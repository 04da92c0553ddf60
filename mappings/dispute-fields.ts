// What a chargeback's state writes onto the order's NetSuite records, and how its resolution is
// classified by the mapping config (the resolution values are not confirmed, so they are configured).
import type { DisputeOutcome, ParkDetails } from './sync-types.js';
import type { OrderEvent } from './canonical.js';
import type { MappingConfig } from './config-schema.js';
import { mappingFileOf } from './resolve.js';
import { isoDate } from './sale-records.js';

/** CHARGEBACK_RESOLUTION → outcome, by the configured values (case-insensitive); undefined when unknown. */
export function classifyDispute(resolution: string, config: MappingConfig): DisputeOutcome | undefined {
  const value = resolution.trim().toUpperCase();
  const table = config.refunds.chargebackResolutions;
  for (const outcome of ['none', 'open', 'won', 'lost'] as const) {
    if (table[outcome].some((v) => v.trim().toUpperCase() === value)) return outcome;
  }
  return undefined;
}

export function unknownDisputeDetails(event: OrderEvent, config: MappingConfig): ParkDetails {
  const t = config.refunds.chargebackResolutions;
  const list = (['none', 'open', 'won', 'lost'] as const).map((k) => `${k}: [${t[k].join(', ')}]`).join('; ');
  return {
    reason: 'UNKNOWN_DISPUTE_RESOLUTION',
    message:
      `order ${event.refNo} has CHARGEBACK_RESOLUTION ${JSON.stringify(event.chargeback?.resolution ?? '')}, which is not one of the configured values (${list}). ` +
      `Nothing was written. Find out in the 2Checkout Control Panel what it means, add it under refunds.chargebackResolutions in ${mappingFileOf(config)}, then retry`,
    path: 'chargeback.resolution',
  };
}

/** Body fields that record a dispute on a sale document: the configured field and the memo. */
export function disputeFields(event: OrderEvent, config: MappingConfig): Record<string, string> {
  const resolution = (event.chargeback?.resolution ?? 'NONE').trim().toUpperCase();
  const reason = event.chargeback?.reasonCode?.trim() || 'UNKNOWN';
  const date = isoDate(event.ipnDate) ?? event.ipnDate;
  const state = `${resolution} (${reason}) ${date}`;
  return {
    // The memo keeps the order reference it had, so nothing of ours is lost by rewriting it.
    memo: `2Checkout order ${event.refNo} · chargeback ${state}`,
    ...(config.refunds.disputeField !== undefined ? { [config.refunds.disputeField]: state } : {}),
  };
}
