// What a recorded-history scenario is: how it drives workflows and which runs the recorder saves.
// Its own file so the scenario lists (orders, completeness) can use it without a circle.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { OrderRecords } from '../../../mappings/sync-types.js';
import type { ShadowVerdict } from '../../../mappings/shadow.js';
import type { AdoptionOutcome, SyncCustomerResult } from '../../../workflows/activity-contract.js';
import type { ActivityFailurePlan } from './recording-activities.js';

export interface ScenarioContext {
  client: Client;
}

/** A workflow run the recorder waits for and saves. */
export interface RecordedRun {
  /** File name under test/replay-histories/. */
  file: string;
  handle: WorkflowHandle;
}

export interface HistoryScenario {
  name: string;
  description: string;
  failures?: ActivityFailurePlan;
  /** What the fake NetSuite's order look-up finds (records an earlier run of the order posted). */
  found?: OrderRecords;
  /** What the fake look-up says of another tool's records, when the workflow asks for adoption. */
  adoption?: AdoptionOutcome;
  /** What the fake customer step answers, call by call (then `created`). */
  customer?: SyncCustomerResult[];
  /** What the fake shadow activity answers. */
  shadow?: ShadowVerdict;
  /** Orders notify their subscription workflows for real (the real link activity on the workflow queue). */
  linkSubscriptions?: boolean;
  /** Drives the workflows; the recorder then awaits each run's completion and saves its history. */
  drive(ctx: ScenarioContext): Promise<RecordedRun[]>;
}
