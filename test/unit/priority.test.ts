import { describe, expect, it } from 'vitest';
import {
  laneOf,
  laneOfWorkflow,
  raiseLane,
  stepPriority,
  SYNC_SOURCES,
  workflowPriority,
  type Lane,
  type StepStage,
} from '../../workflows/priority.js';

const key = (lane: Lane, stage: StepStage) => stepPriority(lane, stage).priorityKey!;

describe('task priority scheme', () => {
  it('puts every live step ahead of every bulk step', () => {
    for (const liveStage of ['first', 'later'] as const) {
      for (const bulkStage of ['first', 'later'] as const)
        expect(key('live', liveStage)).toBeLessThan(key('bulk', bulkStage));
    }
  });

  it('drains in order: later steps of an order in progress go ahead of first steps, in both lanes', () => {
    expect(key('live', 'later')).toBeLessThan(key('live', 'first'));
    expect(key('bulk', 'later')).toBeLessThan(key('bulk', 'first'));
  });

  it('uses keys Temporal accepts (1–5)', () => {
    for (const lane of ['live', 'bulk'] as const) {
      for (const stage of ['first', 'later'] as const) expect(key(lane, stage)).toBeGreaterThanOrEqual(1);
      for (const stage of ['first', 'later'] as const) expect(key(lane, stage)).toBeLessThanOrEqual(5);
    }
  });

  it('starts webhook and operator syncs live, backfill, reconciliation, resync and bulk actions in the bulk lane', () => {
    expect(SYNC_SOURCES.map((s) => [s, laneOf(s)])).toEqual([
      ['webhook', 'live'],
      ['operator', 'live'],
      ['backfill', 'bulk'],
      ['reconcile', 'bulk'],
      ['resync', 'bulk'],
      ['bulk', 'bulk'],
    ]);
    expect(workflowPriority('webhook').priorityKey).toBe(2);
    expect(workflowPriority('operator').priorityKey).toBe(2);
    expect(workflowPriority('backfill').priorityKey).toBe(5);
  });

  it("reads a running workflow's lane back from the priority it was started with", () => {
    for (const source of SYNC_SOURCES) expect(laneOfWorkflow(workflowPriority(source))).toBe(laneOf(source));
    // Started without a priority (Temporal's default 3, or before this scheme existed): live.
    expect(laneOfWorkflow(undefined)).toBe('live');
    expect(laneOfWorkflow({})).toBe('live');
    expect(laneOfWorkflow({ priorityKey: 3 })).toBe('live');
  });

  it('makes a bulk sync live once a webhook or a person touches it, never the other way', () => {
    expect(raiseLane('bulk', 'webhook')).toBe('live');
    expect(raiseLane('bulk', 'operator')).toBe('live');
    expect(raiseLane('bulk', 'reconcile')).toBe('bulk');
    expect(raiseLane('live', 'backfill')).toBe('live');
  });
});
