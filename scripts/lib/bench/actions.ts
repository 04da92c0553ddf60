// Temporal Actions: what Temporal Cloud bills per operation (docs.temporal.io, "Temporal Cloud
// Actions"), and, self-hosted, the server's load. Two ways to count them, used together:
//
//  - The server's own `action` counter (Prometheus, `--metrics-port` of the CLI dev server), by
//    `action_type`. It counts every billable kind as it happens, heartbeats and queries included,
//    but it also counts what Temporal Cloud does not bill: the TemporalChangeVersion upsert and the
//    marker that come with `patched()`, and each marker once more on its own.
//  - The workflow histories, read with the rules Temporal's own Web UI uses to estimate a history's
//    billable Actions on Cloud (temporalio/ui, `get-event-billable-actions.ts`): a start 1 (a
//    signal-with-start's signal free), each signal, scheduled activity, retry, timer, upsert
//    (TemporalChangeVersion alone free), update, continue-as-new; markers once per workflow task,
//    patch markers (`core_patch`) free; a child workflow 2. Heartbeats and queries are not in a
//    history: they come from the counter.
//
// Billable = the history count + heartbeats and queries from the counter. Pure functions here; the
// bench (run-full.ts) and the tests (test/throughput/actions-per-order.test.ts) call them.
import { request } from 'undici';
import type { History } from '@temporalio/common/lib/proto-utils.js';

/** Kinds of billable Action, as this project reports them. */
export const ACTION_KINDS = [
  'workflowStart',
  'signal',
  'activity',
  'activityRetry',
  'heartbeat',
  'timer',
  'searchAttributeUpsert',
  'marker',
  'update',
  'query',
  'continueAsNew',
  'childWorkflow',
  'signalExternal',
  'other',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export type ActionCounts = Partial<Record<ActionKind, number>>;

export function addCounts(a: ActionCounts, b: ActionCounts): ActionCounts {
  const out: ActionCounts = { ...a };
  for (const [k, v] of Object.entries(b) as Array<[ActionKind, number]>) out[k] = (out[k] ?? 0) + v;
  return out;
}

export function totalOf(c: ActionCounts): number {
  return Object.values(c).reduce((s, v) => s + (v ?? 0), 0);
}

/** The counts divided by `n` (per order), rounded to 3 decimals; kinds that are 0 left out. */
export function perUnit(c: ActionCounts, n: number): ActionCounts {
  const out: ActionCounts = {};
  for (const [k, v] of Object.entries(c) as Array<[ActionKind, number]>)
    if (v) out[k] = Math.round((v / Math.max(1, n)) * 1000) / 1000;
  return out;
}

type HistoryEvent = NonNullable<History['events']>[number];

const NON_BILLABLE_MARKERS = new Set(['core_patch', 'Version']);

/**
 * Billable Actions of one run's history, by kind (Temporal Web UI's estimate rules, see above).
 * Heartbeats and queries are not in a history and are not counted here.
 */
export function billableActionsOfHistory(history: History): ActionCounts {
  const counts: ActionCounts = {};
  const add = (k: ActionKind, n = 1) => {
    if (n > 0) counts[k] = (counts[k] ?? 0) + n;
  };
  const markerTasks = new Set<string>();
  for (const e of (history.events ?? []) as HistoryEvent[]) {
    if (e.workflowExecutionStartedEventAttributes) {
      if ((e.workflowExecutionStartedEventAttributes.attempt ?? 1) <= 1) add('workflowStart');
    } else if (e.workflowExecutionSignaledEventAttributes) {
      // The signal of a signal-with-start that started the run is part of the start.
      if (Number(e.eventId) !== 2) add('signal');
    } else if (e.activityTaskScheduledEventAttributes) add('activity');
    else if (e.activityTaskStartedEventAttributes)
      add('activityRetry', (e.activityTaskStartedEventAttributes.attempt ?? 1) - 1);
    else if (e.timerStartedEventAttributes) add('timer');
    else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {});
      if (!(fields.length === 1 && fields[0] === 'TemporalChangeVersion')) add('searchAttributeUpsert');
    } else if (e.markerRecordedEventAttributes) {
      const m = e.markerRecordedEventAttributes;
      if (NON_BILLABLE_MARKERS.has(m.markerName ?? '')) continue;
      const task = String(m.workflowTaskCompletedEventId ?? '');
      if (!markerTasks.has(task)) {
        markerTasks.add(task);
        add('marker');
      }
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateRejectedEventAttributes)
      add('update');
    else if (e.workflowExecutionContinuedAsNewEventAttributes) add('continueAsNew');
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) add('childWorkflow', 2);
    else if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) add('signalExternal');
    else if (e.workflowExecutionOptionsUpdatedEventAttributes) add('other');
  }
  return counts;
}

/** One sample of the server's `action` counter: value by `action_type` (namespace `default`). */
export type ActionCounter = Record<string, number>;

/** Parses the Prometheus text of the server's metrics endpoint for its `action` counter. */
export function parseActionCounter(text: string, namespace = 'default'): ActionCounter {
  const out: ActionCounter = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('action{')) continue;
    const labels = line.slice('action{'.length, line.indexOf('}'));
    const type = /(?:^|,)action_type="([^"]*)"/.exec(labels)?.[1];
    const ns = /(?:^|,)namespace="([^"]*)"/.exec(labels)?.[1];
    if (!type || ns !== namespace) continue;
    out[type] = (out[type] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

export async function readActionCounter(metricsUrl: string): Promise<ActionCounter> {
  const res = await request(metricsUrl);
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`GET ${metricsUrl}: ${res.statusCode}`);
  return parseActionCounter(text);
}

export function counterDelta(before: ActionCounter, after: ActionCounter): ActionCounter {
  const out: ActionCounter = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/**
 * The server counter's types as kinds. `command_RecordMarker_<name>` is each marker on its own
 * (superseded by `command_BatchMarkers`, one per workflow task with markers) and is left out; the
 * batch still includes patch markers, which Cloud does not bill (the histories correct for it).
 */
export function kindOfCounterType(type: string): ActionKind | undefined {
  if (type.startsWith('command_RecordMarker_')) return undefined;
  switch (type) {
    case 'grpc_StartWorkflowExecution':
    case 'grpc_SignalWithStartWorkflowExecution':
    case 'grpc_ExecuteMultiOperation':
      return 'workflowStart';
    case 'grpc_SignalWorkflowExecution':
      return 'signal';
    case 'command_ScheduleActivityTask':
      return 'activity';
    case 'activity_retry':
      return 'activityRetry';
    case 'grpc_RecordActivityTaskHeartbeat':
    case 'grpc_RecordActivityTaskHeartbeatById':
      return 'heartbeat';
    case 'command_StartTimer':
      return 'timer';
    case 'command_UpsertWorkflowSearchAttributes':
      return 'searchAttributeUpsert';
    case 'command_BatchMarkers':
      return 'marker';
    case 'grpc_QueryWorkflow':
      return 'query';
    case 'command_ContinueAsNewWorkflowExecution':
      return 'continueAsNew';
    case 'command_StartChildWorkflowExecution':
    case 'command_StartChildWorkflowExecution_Extra':
      return 'childWorkflow';
    case 'command_SignalExternalWorkflowExecution':
      return 'signalExternal';
    default:
      return type.startsWith('message_UpdateWorkflowExecution') ? 'update' : 'other';
  }
}

export function counterByKind(counter: ActionCounter): ActionCounts {
  const out: ActionCounts = {};
  for (const [type, v] of Object.entries(counter)) {
    const kind = kindOfCounterType(type);
    if (kind) out[kind] = (out[kind] ?? 0) + v;
  }
  return out;
}
