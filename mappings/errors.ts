// Errors of the pure mapping layer. Each carries the ParkDetails the workflow shows an operator
// (reason code for the search attribute, a message saying what is wrong and how to fix it, and
// where), and the Temporal failure type the activity turns it into (activities/failures.ts).
import type { ParkDetails, ParkingFailureType, ParkReasonCode } from './sync-types.js';

export class MappingError extends Error {
  override readonly name: string = 'MappingError';
  readonly failureType: ParkingFailureType = 'MappingError';
  readonly details: ParkDetails;
  constructor(reason: ParkReasonCode, message: string, path?: string) {
    super(message);
    this.details = { reason, message, ...(path !== undefined ? { path } : {}) };
  }
}

/** The order's amounts do not add up (or convert) within the configured tolerance: posting would misstate the books. */
export class AmountMismatchError extends MappingError {
  override readonly name = 'AmountMismatchError';
  override readonly failureType: ParkingFailureType = 'AmountMismatch';
  constructor(reason: 'AMOUNT_MISMATCH' | 'FX_RESIDUE', message: string, path?: string) {
    super(reason, message, path);
  }
}

/** A refund would give back more than is left on the order (or on one of its lines). */
export class OverRefundError extends MappingError {
  override readonly name = 'OverRefundError';
  override readonly failureType: ParkingFailureType = 'OverRefund';
  constructor(message: string, path?: string) {
    super('OVER_REFUND', message, path);
  }
}
