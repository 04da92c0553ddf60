// What a running NetSuite sandbox offers its owner (tests, the demo, the bench): the handle
// startNetSuiteSandbox() returns. Its own file so the admin routes can use it without a circle.
import type { CreationEntry } from './creation-log.js';
import type { DuplicateReport } from './duplicates.js';
import type { FaultRule } from './faults.js';
import type { PeriodStatus } from './periods.js';
import type { AccountBalance } from './ledger-entries.js';
import type { SandboxStats } from './stats.js';

export interface NetSuiteSandbox {
  /** Base URL for the client (NETSUITE_BASE_URL), e.g. http://127.0.0.1:43123. */
  url: string;
  port: number;
  stats(): SandboxStats;
  resetStats(): void;
  /** Every stored record of a type, REST-shaped (camelCase, sublists expanded). */
  records(type: string): Array<Record<string, unknown>>;
  record(type: string, id: string): Record<string, unknown> | undefined;
  /** Test helper: stores a record directly (e.g. a pre-existing customer); returns its internal id. */
  insert(type: string, body: Record<string, unknown>): string;
  duplicates(): DuplicateReport;
  /** GL balance of an account over every stored transaction (sandbox/netsuite/ledger-entries.ts). */
  accountBalance(accountId: string): AccountBalance;
  /** Records created since the sandbox started, in order, with millisecond times (`seq > after`). */
  createdSince(after?: number, limit?: number): CreationEntry[];
  setConcurrencyLimit(n: number): void;
  setLatency(l: { medianMs: number; p99Ms: number } | undefined): void;
  /** false: `!transform` drops an `externalId` sent in its body (one of the two behaviours NetSuite may have). */
  setTransformKeepsExternalId(keep: boolean): void;
  /** Turns the Multi-Subsidiary Customer feature on or off (sandbox/netsuite/README.md, "Strict account rules"). */
  setMultiSubsidiaryCustomers(on: boolean): void;
  /** false: a PATCH that sets or changes a transaction's externalId is refused (the other behaviour NetSuite may have). */
  setTransactionExternalIdEditable(on: boolean): void;
  /**
   * Closes, locks or reopens one accounting period (`YYYY-MM`), e.g.
   * `setPeriod('2026-03', { closed: true })`; returns the period as REST shows it.
   */
  setPeriod(month: string, status: PeriodStatus): Record<string, unknown>;
  injectFault(f: FaultRule): void;
  clearFaults(): void;
  /** Forgets every OAuth 2.0 token issued so far (the next Bearer request gets 401). */
  revokeTokens(): void;
  close(): Promise<void>;
}
