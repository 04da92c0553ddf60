// Counters a test or benchmark reads to see what the sync did to "NetSuite".
export interface SandboxStats {
  /** Authenticated, accepted calls by kind: `create:customer`, `upsert:salesOrder`, `transform:salesOrder->invoice`, `suiteql`, … */
  callsByKind: Record<string, number>;
  /** Every API request received (accepted, refused with 429 and failed authentication alike). */
  totalCalls: number;
  /** Most API requests in flight at once (accepted ones only). */
  peakInFlight: number;
  inFlight: number;
  /** Requests refused with 429 CONCURRENCY_LIMIT_EXCEEDED (by the limit or an injected fault). */
  rejected429: number;
  /** Failed authentications by audit-trail reason (InvalidSignature, NonceUsed, BearerTokenExpired, InvalidAudience, …). */
  authFailures: Record<string, number>;
  /** OAuth 2.0 access tokens issued by the token endpoint. */
  tokensIssued: number;
  faultsInjected: number;
  /** Sum of the latency injected into accepted calls (ms): with `callsByKind`, the mean latency a benchmark's bound uses. */
  latencyMsTotal: number;
  /** Sum of the time accepted calls held a concurrency slot (ms): busyMs / (limit × wall time) is the share of the account limit used. */
  busyMs: number;
  /** Updates refused with "Record has been changed": another write saved the record while they ran (or a `recordChanged` fault). */
  recordChanged: number;
}

export function emptyStats(inFlight = 0): SandboxStats {
  return {
    callsByKind: {},
    totalCalls: 0,
    peakInFlight: inFlight,
    inFlight,
    rejected429: 0,
    authFailures: {},
    tokensIssued: 0,
    faultsInjected: 0,
    latencyMsTotal: 0,
    busyMs: 0,
    recordChanged: 0,
  };
}

export function countInto(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}
