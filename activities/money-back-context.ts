// What the money-back activities (refunds, voids, disputes) share: their injected dependencies and
// the non-retryable failures that park a sync with a reason finance can act on.
import { ApplicationFailure } from '@temporalio/common';
import type { MappingProvider } from '../mappings/config-schema.js';
import type { NetSuiteClient } from '../netsuite/types.js';
import type { ActivityLogger } from './activity-context.js';
import type { ParkDetails, ParkingFailureType } from '../mappings/sync-types.js';

export interface MoneyBackContext {
  ns: NetSuiteClient;
  mappings: MappingProvider;
  logger: ActivityLogger;
  /** activities/late-writes.ts */
  lateWriteHorizonMs?: number;
}

/** A failure a retry cannot fix: the workflow parks and shows `details`. */
export function parkFailure(type: ParkingFailureType, details: ParkDetails): ApplicationFailure {
  return ApplicationFailure.create({ message: details.message, type, nonRetryable: true, details: [details] });
}

/** The sale document a credit needs is not in NetSuite (deleted by hand, or never posted). */
export function missingRecord(refNo: string, what: string, fix: string): ApplicationFailure {
  return parkFailure('MissingRecord', {
    reason: 'MISSING_RECORD',
    message: `order ${refNo}: ${what}. Nothing was posted. ${fix}`,
  });
}
