// Issue 24, item 8: payload encryption bound to its context. A ciphertext carries its key id,
// namespace and (where the SDK says) workflow id as AES-GCM associated data, so someone with write
// access to Temporal cannot move one workflow's encrypted data into another. Envelopes written
// before (v1, no associated data) still read, including a whole recorded history, which must still
// replay.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type SerializationContext } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AesGcmPayloadCodec, dataConverterFromEnv, payloadCodecFromEnv } from '../../shared/payload-codec.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { orderEventSignal, orderStateQuery } from '../../workflows/messages.js';
import type { OrderEvent } from '../../mappings/canonical.js';
import { formatReplayReport, replayHistory } from '../../scripts/lib/ops/replay-history.js';
import { recordingOrderActivities, startFakeWorkers } from '../../scripts/lib/ops/recording-activities.js';
import { orderEvent } from '../support/events.js';
import { connectTestEnv, eventually, uniqueQueues, workflowBundle } from '../support/temporal.js';

const key = randomBytes(32).toString('base64');
const codec = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: key }, { consumer: true })!;
const wf = (workflowId: string, namespace = 'default'): SerializationContext => ({
  type: 'workflow',
  namespace,
  workflowId,
});
const payload = () => defaultPayloadConverter.toPayload({ refNo: '1', email: 'zoe@example.com' });
const value = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const withMetadata = (p: Payload, field: string, text: string): Payload => ({
  ...p,
  metadata: { ...p.metadata, [field]: new TextEncoder().encode(text) },
});

describe('encrypted payloads are bound to their workflow, namespace and key id', () => {
  it('decodes in the workflow it was written for, and refuses it in another workflow or namespace', async () => {
    const [enc] = await codec.encode([payload()], wf('order/1'));
    expect(value((await codec.decode([enc!], wf('order/1')))[0]!)).toEqual({ refNo: '1', email: 'zoe@example.com' });
    await expect(codec.decode([enc!], wf('order/2'))).rejects.toThrow(
      /encrypted for workflow "order\/1" was found in workflow "order\/2": refused/,
    );
    await expect(codec.decode([enc!], wf('order/1', 'other'))).rejects.toThrow(
      /encrypted for namespace "default" was found in namespace "other"/,
    );
    // An activity of the same workflow reads it (the SDK's activity context names the workflow).
    const activity: SerializationContext = {
      type: 'activity',
      namespace: 'default',
      workflowId: 'order/1',
      activityId: '3',
      isLocal: false,
    };
    expect(value((await codec.decode([enc!], activity))[0]!)).toMatchObject({ refNo: '1' });
  });

  it('refuses an envelope whose metadata was changed to name another workflow or key', async () => {
    const [enc] = await codec.encode([payload()], wf('order/1'));
    const relabelled = withMetadata(enc!, 'encryption-context', JSON.stringify({ v: 2, ns: 'default', wf: 'order/2' }));
    await expect(codec.decode([relabelled], wf('order/2'))).rejects.toThrow(/does not authenticate/);
    const unbound = withMetadata(enc!, 'encryption-context', JSON.stringify({ v: 2, ns: 'default' }));
    await expect(codec.decode([unbound], wf('order/2'))).rejects.toThrow(/does not authenticate/);
    // The same key under a second id: the key id is bound too.
    const twoIds = new AesGcmPayloadCodec(
      new Map([
        ['k1', Buffer.from(key, 'base64')],
        ['k9', Buffer.from(key, 'base64')],
      ]),
      'k1',
    );
    const [k1] = await twoIds.encode([payload()], wf('order/1'));
    await expect(twoIds.decode([withMetadata(k1!, 'encryption-key-id', 'k9')], wf('order/1'))).rejects.toThrow(
      /does not authenticate with key "k9"/,
    );
  });

  it('lets readers without a context (history reads, the codec server) read what the envelope names', async () => {
    const reader = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: key })!;
    const [enc] = await codec.encode([payload()], wf('order/1'));
    expect(value((await reader.decode([enc!]))[0]!)).toMatchObject({ refNo: '1' });
    expect(value((await reader.decodeEncrypted([enc!], { namespace: 'default' }))[0]!)).toMatchObject({ refNo: '1' });
    await expect(reader.decodeEncrypted([enc!], { namespace: 'staging' })).rejects.toThrow(
      /namespace "default" was found in namespace "staging"/,
    );
    // Without a context the codec binds to its own namespace (TEMPORAL_NAMESPACE).
    const other = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: key, TEMPORAL_NAMESPACE: 'finance' })!;
    const [nsOnly] = await other.encode([payload()]);
    await expect(codec.decode([nsOnly!], wf('order/1'))).rejects.toThrow(
      /namespace "finance" was found in namespace "default"/,
    );
  });
});

describe('envelopes written before the binding (v1)', () => {
  const dir = join(repoRoot, 'test', 'replay-histories', 'encrypted');
  const fixture = JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8')) as {
    PAYLOAD_ENCRYPTION_KEY: string;
    PAYLOAD_ENCRYPTION_KEY_ID: string;
    workflowId: string;
  };
  const history = () =>
    historyFromJSON(JSON.parse(readFileSync(join(dir, 'order-parked-retried-v1-envelopes.json'), 'utf8')));
  const encryptedIn = (h: ReturnType<typeof history>): Payload[] => {
    const found: Payload[] = [];
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      const p = v as Payload;
      if (p.metadata?.encoding && Buffer.from(p.metadata.encoding).toString() === 'binary/encrypted') found.push(p);
      else for (const x of Object.values(v)) walk(x);
    };
    walk(h.events);
    return found;
  };

  it('are still read by workers and readers, unless PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND=false on a worker', async () => {
    const old = encryptedIn(history());
    expect(old.length).toBeGreaterThan(20);
    expect(old.every((p) => p.metadata?.['encryption-context'] === undefined)).toBe(true);
    const env = {
      PAYLOAD_ENCRYPTION_KEY: fixture.PAYLOAD_ENCRYPTION_KEY,
      PAYLOAD_ENCRYPTION_KEY_ID: fixture.PAYLOAD_ENCRYPTION_KEY_ID,
    };
    const worker = payloadCodecFromEnv(env, { consumer: true })!;
    const decoded = await worker.decode(old, wf(fixture.workflowId));
    expect(decoded.every((p) => Buffer.from(p.metadata?.encoding ?? []).toString() !== 'binary/encrypted')).toBe(true);
    const strict = payloadCodecFromEnv({ ...env, PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND: 'false' }, { consumer: true })!;
    await expect(strict.decode(old.slice(0, 1), wf(fixture.workflowId))).rejects.toThrow(
      /PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND=false/,
    );
    // Readers (ops scripts, the codec server) always read them.
    expect(
      (await payloadCodecFromEnv({ ...env, PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND: 'false' })!.decode(old)).length,
    ).toBe(old.length);
    expect(() => payloadCodecFromEnv({ ...env, PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND: 'no' })).toThrow(
      /PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND: must be true or false/,
    );
  });

  it('a history recorded with v1 envelopes still replays against the current code', async () => {
    const dataConverter = dataConverterFromEnv(
      {
        PAYLOAD_ENCRYPTION_KEY: fixture.PAYLOAD_ENCRYPTION_KEY,
        PAYLOAD_ENCRYPTION_KEY_ID: fixture.PAYLOAD_ENCRYPTION_KEY_ID,
      },
      { consumer: true },
    )!;
    const report = await replayHistory(history(), {
      code: { workflowBundle: await workflowBundle() },
      workflowId: fixture.workflowId,
      dataConverter,
    });
    expect(report.ok, formatReplayReport(report).join('\n')).toBe(true);
  });
});

describe('a workflow whose history is given another workflow’s ciphertext', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('refuses it: the worker fails the workflow task instead of acting on the moved event', async () => {
    const dataConverter = dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: key }, { consumer: true })!;
    const client = new Client({ connection: env.connection, dataConverter });
    const q = uniqueQueues();
    const workers = await startFakeWorkers({
      connection: env.nativeConnection,
      queues: q,
      workflowBundle: await workflowBundle(),
      activities: recordingOrderActivities().activities,
      dataConverter,
    });
    try {
      const start = (refNo: string, ev: OrderEvent) =>
        client.workflow.signalWithStart('orderSyncWorkflow', {
          workflowId: `order/${refNo}-${q.workflows}`,
          taskQueue: q.workflows,
          args: [{ refNo, queues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney } }],
          signal: orderEventSignal,
          signalArgs: [ev],
        });
      const a = await start(
        '9300001',
        orderEvent('9300001', 'COMPLETE', {
          customer: { billing: { firstName: 'Zoë', lastName: 'A', email: 'zoe.a@example.com' } },
        }),
      );
      const b = await start('9300002', orderEvent('9300002', 'PENDING'));
      await eventually(
        () => b.query(orderStateQuery),
        (s) => s.orderStatus === 'PENDING',
      );
      // Someone with write access to Temporal copies A's encrypted signal into B, byte for byte.
      const signalled = (await a.fetchHistory()).events!.find((e) => e.workflowExecutionSignaledEventAttributes)!
        .workflowExecutionSignaledEventAttributes!.input!.payloads!;
      expect(Buffer.from(signalled[0]!.metadata!.encoding!).toString()).toBe('binary/encrypted');
      await env.connection.workflowService.signalWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: b.workflowId },
        signalName: orderEventSignal.name,
        input: { payloads: signalled },
        identity: 'someone with Temporal access',
      });
      const failed = await eventually(
        async () => (await b.fetchHistory()).events!.filter((e) => e.workflowTaskFailedEventAttributes),
        (f) => f.length > 0,
      );
      const failure = failed[0]!.workflowTaskFailedEventAttributes!.failure!;
      const encoded = failure.encodedAttributes
        ? value((await dataConverter.payloadCodecs![0]!.decode([failure.encodedAttributes]))[0]!)
        : undefined;
      expect(JSON.stringify({ message: failure.message, encoded })).toMatch(
        /encrypted for workflow \\"order\/9300001-.*\\" was found in workflow \\"order\/9300002-/,
      );
      // B never took the moved event: no workflow task completed after it arrived.
      const events = (await b.fetchHistory()).events!;
      const at = events.findIndex(
        (e) => e.workflowExecutionSignaledEventAttributes?.identity === 'someone with Temporal access',
      );
      expect(at).toBeGreaterThan(0);
      expect(events.slice(at).some((e) => e.workflowTaskCompletedEventAttributes)).toBe(false);
      await a.terminate('test done');
      await b.terminate('test done');
    } finally {
      await workers.stop();
    }
  });
});
