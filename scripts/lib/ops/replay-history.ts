// Replays a workflow history against the workflow code in this checkout, the way a worker would
// after a deploy: if the code now makes different decisions than the ones recorded, Temporal
// raises a DeterminismViolationError, and running workflows of that history would get stuck.
// Used by `npm run replay`, the recorded-history replay suite and `npm run record-histories`.
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import proto from '@temporalio/proto';

const { temporal } = proto;

/** Which workflow code to replay against: a prebuilt bundle (fast, reuse it) or a source path. */
export type WorkflowCode = { workflowBundle: WorkflowBundle } | { workflowsPath: string };

export interface ReplayProblem {
  kind: 'nondeterminism' | 'failure';
  /** The SDK's message, verbatim. */
  message: string;
  /** Core's own sentence inside it, e.g. `[TMPRL1100] Nondeterminism error: … HistoryEvent(id: 6, …)`. */
  cause?: string;
  /** The history event where the code diverged, when the message names it. */
  eventId?: number;
  eventType?: string;
}

export interface ReplayReport {
  workflowId: string;
  workflowType?: string;
  events: number;
  ok: boolean;
  problem?: ReplayProblem;
}

export interface ReplayOptions {
  code: WorkflowCode;
  workflowId: string;
  /** The deployment's data converter: encrypted histories replay only with the same keys. */
  dataConverter?: DataConverter;
}

export async function replayHistory(history: History, opts: ReplayOptions): Promise<ReplayReport> {
  const base = {
    workflowId: opts.workflowId,
    workflowType: workflowTypeOf(history),
    events: history.events?.length ?? 0,
  };
  try {
    await Worker.runReplayHistory(
      {
        ...opts.code,
        ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
        replayName: 'manual-replay',
      },
      history,
      opts.workflowId,
    );
    return { ...base, ok: true };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const kind = err instanceof Error && err.name === 'DeterminismViolationError' ? 'nondeterminism' : 'failure';
    const eventId = divergedEventId(message);
    const eventType = eventId !== undefined ? eventTypeOf(history, eventId) : undefined;
    const cause = coreMessage(message);
    return {
      ...base,
      ok: false,
      problem: {
        kind,
        message,
        ...(cause ? { cause } : {}),
        ...(eventId !== undefined ? { eventId } : {}),
        ...(eventType ? { eventType } : {}),
      },
    };
  }
}

/**
 * A history exported as JSON: `temporal workflow show --output json`, the Web UI's download, or
 * `npm run record-histories`. Accepts `{ "events": [...] }` or a bare array of events.
 */
export function readHistoryFile(path: string): History {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not a JSON history: ${err instanceof Error ? err.message : String(err)}`);
  }
  const doc = Array.isArray(parsed) ? { events: parsed } : parsed;
  if (
    typeof doc !== 'object' ||
    doc === null ||
    !Array.isArray((doc as { events?: unknown }).events) ||
    (doc as { events: unknown[] }).events.length === 0
  ) {
    throw new Error(
      `${path} has no "events" array: export it with \`temporal workflow show -w <id> --output json\` or the Web UI's download button`,
    );
  }
  return historyFromJSON(doc);
}

export async function fetchWorkflowHistory(client: Client, workflowId: string, runId?: string): Promise<History> {
  return client.workflow.getHandle(workflowId, runId).fetchHistory();
}

export function workflowTypeOf(history: History): string | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;
}

/** Core names the event in its messages as `HistoryEvent(id: 7, …)` or `event_id: 7`. */
export function divergedEventId(message: string): number | undefined {
  const m =
    /HistoryEvent\(id:\s*(\d+)/.exec(message) ??
    /event[_ ]id[:=\s]+(\d+)/i.exec(message) ??
    /\bevent\s+#?(\d+)\b/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** The innermost `message: "…"` of core's Failure debug text. */
function coreMessage(message: string): string | undefined {
  const m = /message: "((?:[^"\\]|\\.)*)"/.exec(message);
  return m?.[1]?.replace(/\\"/g, '"');
}

function eventTypeOf(history: History, eventId: number): string | undefined {
  const ev = history.events?.find((e) => Number(e.eventId) === eventId);
  if (!ev || ev.eventType == null) return undefined;
  const name = temporal.api.enums.v1.EventType[ev.eventType];
  return name ? name.replace(/^EVENT_TYPE_/, '') : undefined;
}

export function formatReplayReport(r: ReplayReport): string[] {
  const what = `${r.workflowId}${r.workflowType ? ` (${r.workflowType}, ${r.events} events)` : ''}`;
  if (r.ok) return [`OK  ${what} replays against the current workflow code.`];
  const p = r.problem!;
  const lines = [
    p.kind === 'nondeterminism'
      ? `NONDETERMINISTIC  ${what}: the current code makes different decisions than the recorded history.`
      : `FAILED  ${what}: the replay did not complete.`,
  ];
  if (p.eventId !== undefined) lines.push(`  diverged at event ${p.eventId}${p.eventType ? ` (${p.eventType})` : ''}`);
  if (p.cause) lines.push(`  cause: ${p.cause}`);
  lines.push(`  ${p.kind === 'nondeterminism' ? 'DeterminismViolationError' : 'ReplayError'}: ${p.message}`);
  if (/binary\/encrypted|encrypted with key/.test(p.message)) {
    lines.push(
      '  The history is encrypted: set PAYLOAD_ENCRYPTION_KEY (and PAYLOAD_DECRYPTION_KEYS after a rotation) to the keys the worker uses.',
    );
  }
  if (p.kind === 'nondeterminism') {
    lines.push(
      '  Guard the change with patched()/deprecatePatch() (docs/operating.md, "Deploying a workflow change"), or keep the old code path.',
    );
  }
  return lines;
}
