// How the bench counts Temporal Actions (scripts/lib/bench/actions.ts): a history read with the
// rules of Temporal's Web UI estimate, and the server's `action` counter read from its metrics.
import { describe, expect, it } from 'vitest';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import {
  billableActionsOfHistory,
  counterByKind,
  counterDelta,
  parseActionCounter,
} from '../../scripts/lib/bench/actions.js';

type Event = NonNullable<History['events']>[number];
const ev = (eventId: number, attrs: Partial<Event>): Event => ({ eventId, ...attrs }) as Event;
// History fixtures as JSON histories carry them (ids as plain numbers).
const marker = (markerName: string, task: number) =>
  ({ markerName, workflowTaskCompletedEventId: task }) as unknown as Event['markerRecordedEventAttributes'];
const sa = (...keys: string[]) => ({
  searchAttributes: { indexedFields: Object.fromEntries(keys.map((k) => [k, { data: new Uint8Array() }])) },
});

describe('billable Actions of a history', () => {
  it('counts the start (its signal-with-start signal free), signals, activities and retries, timers, upserts, updates; patch markers and TemporalChangeVersion free', () => {
    const history: History = {
      events: [
        ev(1, { workflowExecutionStartedEventAttributes: {} }),
        ev(2, { workflowExecutionSignaledEventAttributes: {} }),
        ev(6, { markerRecordedEventAttributes: marker('core_patch', 5) }),
        ev(7, { upsertWorkflowSearchAttributesEventAttributes: sa('TemporalChangeVersion') }),
        ev(8, { activityTaskScheduledEventAttributes: {} }),
        ev(9, { activityTaskStartedEventAttributes: { attempt: 3 } }),
        ev(12, { upsertWorkflowSearchAttributesEventAttributes: sa('SyncStatus', 'LastSyncAt') }),
        ev(13, { timerStartedEventAttributes: {} }),
        ev(14, { workflowExecutionSignaledEventAttributes: {} }),
        ev(15, { workflowExecutionUpdateAcceptedEventAttributes: {} }),
        // Two local-activity markers of one workflow task: one Action.
        ev(18, { markerRecordedEventAttributes: marker('core_local_activity', 17) }),
        ev(19, { markerRecordedEventAttributes: marker('core_local_activity', 17) }),
      ],
    };
    expect(billableActionsOfHistory(history)).toEqual({
      workflowStart: 1,
      activity: 1,
      activityRetry: 2,
      searchAttributeUpsert: 1,
      timer: 1,
      signal: 1,
      update: 1,
      marker: 1,
    });
  });
});

describe("the server's action counter", () => {
  const text = `# HELP action action counter
# TYPE action counter
action{action_type="grpc_SignalWithStartWorkflowExecution",namespace="default",operation="SignalWithStartWorkflowExecution",service_name="frontend"} 10
action{action_type="command_ScheduleActivityTask",namespace="default",operation="RespondWorkflowTaskCompleted",service_name="frontend"} 40
action{action_type="grpc_RecordActivityTaskHeartbeat",namespace="default",operation="RecordActivityTaskHeartbeat",service_name="frontend"} 3
action{action_type="command_RecordMarker_core_patch",namespace="default",operation="RespondWorkflowTaskCompleted",service_name="frontend"} 10
action{action_type="command_BatchMarkers",namespace="default",operation="RespondWorkflowTaskCompleted",service_name="frontend"} 10
action{action_type="grpc_StartWorkflowExecution",namespace="temporal_system",operation="StartWorkflowExecution",service_name="frontend"} 2
`;
  it('reads the default namespace by action type, as kinds (each marker once per workflow task)', () => {
    const before = parseActionCounter(text);
    expect(before).toEqual({
      grpc_SignalWithStartWorkflowExecution: 10,
      command_ScheduleActivityTask: 40,
      grpc_RecordActivityTaskHeartbeat: 3,
      command_RecordMarker_core_patch: 10,
      command_BatchMarkers: 10,
    });
    const after = { ...before, command_ScheduleActivityTask: 44, grpc_SignalWorkflowExecution: 1 };
    expect(counterByKind(counterDelta(before, after))).toEqual({ activity: 4, signal: 1 });
    expect(counterByKind(before)).toEqual({ workflowStart: 10, activity: 40, heartbeat: 3, marker: 10 });
  });
});
