// What a recorded-history scenario is: how it drives workflows and which runs the recorder saves.
// Its own file so the scenario lists (orders, completeness) can use it without a circle.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { OrderRecords } from '../../../mappings/sync-types.js';
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
  /** Orders notify their subscription workflows for real (the real link activity on the workflow queue). */
  linkSubscriptions?: boolean;
  /** Drives the workflows; the recorder then awaits each run's completion and saves its history. */
  drive(ctx: ScenarioContext): Promise<RecordedRun[]>;
}
