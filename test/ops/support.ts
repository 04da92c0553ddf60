// Helpers for the ops tests: orders on the shared dev server under their production workflow id
// (`order/<REFNO>`, so the scripts' REFNO resolution is exercised), served by recording fakes.
import { randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { createSyncHandover } from '../../workflows/handover.js';
import type { OrderEvent } from '../../mappings/canonical.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import type { CliIo } from '../../scripts/lib/ops/cli-io.js';
import {
  recordingOrderActivities,
  startFakeWorkers,
  type ActivityFailurePlan,
} from '../../scripts/lib/ops/recording-activities.js';
import { uniqueQueues, workflowBundle, type TestQueues } from '../support/temporal.js';

/** An 8-digit REFNO no other test uses. */
export const uniqueRefNo = (): string => String(randomInt(80_000_000, 99_999_999));

/** Starts `order/<REFNO>` through the gateway's own hand-over, on this test's queues. */
export async function startOrder(client: Client, q: TestQueues, first: OrderEvent): Promise<WorkflowHandle> {
  const handover = createSyncHandover({
    client,
    policy: { idleClose: '1h' },
    taskQueue: q.workflows,
    activityQueues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney },
  });
  const { workflowId } = await handover.deliverOrderEvent(first);
  return client.workflow.getHandle(workflowId);
}

export interface FakeNetSuite {
  queues: TestQueues;
  calls: string[];
  stop(): Promise<void>;
}

export async function fakeNetSuite(
  connection: NativeConnection,
  failures: ActivityFailurePlan = {},
): Promise<FakeNetSuite> {
  const queues = uniqueQueues();
  const { calls, activities } = recordingOrderActivities(failures);
  const workers = await startFakeWorkers({ connection, queues, workflowBundle: await workflowBundle(), activities });
  return { queues, calls, stop: () => workers.stop() };
}

export interface CapturedIo extends CliIo {
  stdout: string[];
  stderr: string[];
}

export function captureIo(): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** A real project logger (same redaction) writing JSON lines into an array. */
export function capturingLogger(name: string): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
  text: () => string;
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = createLogger({ name, level: 'debug', destination });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
