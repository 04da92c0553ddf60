// Optional payload encryption: shoppers' personal data (names, e-mails, addresses) in workflow
// inputs, signals, queries and memos is stored in Temporal only encrypted when
// PAYLOAD_ENCRYPTION_KEY is set, and the Web UI reads it through the codec server.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { request } from 'undici';
import { ConfigError } from '../../shared/config.js';
import { AesGcmPayloadCodec, dataConverterFromEnv, payloadCodecFromEnv } from '../../shared/payload-codec.js';
import { createCodecServer } from '../../shared/codec-server.js';
import { orderEventSignal, orderStateQuery } from '../../workflows/messages.js';
import type { orderSyncWorkflow } from '../../workflows/order-sync.js';
import type { OrderEvent } from '../../mappings/canonical.js';
import { connectTestEnv, eventually, uniqueQueues, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

describe('payload codec', () => {
  it('round-trips payloads and leaves no plaintext in what is stored', async () => {
    const codec = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA })!;
    const payload = defaultPayloadConverter.toPayload({ email: 'zoe@example.com' });
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('zoe@example.com');
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ email: 'zoe@example.com' });
  });

  it('reads history written with an older key after a rotation, and names a missing key', async () => {
    const old = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA, PAYLOAD_ENCRYPTION_KEY_ID: 'k1' })!;
    const [stored] = await old.encode([defaultPayloadConverter.toPayload('x')]);
    const rotated = payloadCodecFromEnv({
      PAYLOAD_ENCRYPTION_KEY: keyB,
      PAYLOAD_ENCRYPTION_KEY_ID: 'k2',
      PAYLOAD_DECRYPTION_KEYS: `k1:${keyA}`,
    })!;
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([stored!]))[0]!)).toBe('x');
    const withoutOld = new AesGcmPayloadCodec(new Map([['k2', Buffer.from(keyB, 'base64')]]), 'k2');
    await expect(withoutOld.decode([stored!])).rejects.toThrow(/key "k1", which is not configured/);
  });

  it('is off without a key, and refuses a malformed key at start-up with the fix', () => {
    expect(dataConverterFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: '', PAYLOAD_DECRYPTION_KEYS: '' })).toBeUndefined();
    expect(() => payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(ConfigError);
    expect(() => payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/openssl rand -base64 32/);
    expect(() => payloadCodecFromEnv({ PAYLOAD_DECRYPTION_KEYS: `k1:${keyA}` })).toThrow(
      /PAYLOAD_ENCRYPTION_KEY is not/,
    );
  });

  it('makes a worker refuse a payload that is not encrypted while encryption is on, unless told to accept plaintext', async () => {
    const plain = defaultPayloadConverter.toPayload({ refNo: '1', email: 'zoe@example.com' });
    const worker = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA }, { consumer: true })!;
    await expect(worker.decode([plain])).rejects.toThrow(/not encrypted.*PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT/);
    const migrating = payloadCodecFromEnv(
      { PAYLOAD_ENCRYPTION_KEY: keyA, PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT: 'true' },
      { consumer: true },
    )!;
    expect(await migrating.decode([plain])).toEqual([plain]);
    // Readers (ops scripts, replay) show what is stored.
    expect(await payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA })!.decode([plain])).toEqual([plain]);
    expect(() =>
      payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA, PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT: 'yes please' }),
    ).toThrow(/true or false/);
  });

  it('serves the Web UI: decodes over HTTP, answers CORS preflight, requires the token when set', async () => {
    const codec = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA })!;
    const server = createCodecServer({ codec, allowedOrigins: ['http://localhost:8233'], token: 'secret-token' });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const [enc] = await codec.encode([defaultPayloadConverter.toPayload({ refNo: '1' })]);
      const body = JSON.stringify({
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(enc!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(enc!.data!).toString('base64'),
          },
        ],
      });
      const pre = await request(`${url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://localhost:8233' } });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:8233');
      await pre.body.dump();
      const denied = await request(`${url}/decode`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(denied.statusCode).toBe(401);
      await denied.body.dump();
      const res = await request(`${url}/default/decode`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token' },
      });
      expect(res.statusCode).toBe(200);
      const out = (await res.body.json()) as { payloads: Array<{ data: string }> };
      expect(JSON.parse(Buffer.from(out.payloads[0]!.data, 'base64').toString('utf8'))).toEqual({ refNo: '1' });
    } finally {
      server.close();
    }
  });
});

describe('a workflow with payload encryption on', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('syncs as usual while the history holds no personal data in clear', async () => {
    const dataConverter = dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA })!;
    const client = new Client({ connection: env.connection, dataConverter });
    const q = uniqueQueues();
    const calls: string[] = [];
    const activities = {
      async syncCustomer() {
        calls.push('customer');
        return { customerId: 'c1', action: 'created' };
      },
      async upsertSalesOrder() {
        calls.push('salesOrder');
        return { salesOrderId: 'so1', total: '10.00' };
      },
    };
    const bundle = await workflowBundle();
    const workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: q.workflows,
        workflowBundle: bundle,
        dataConverter,
      }),
      Worker.create({ connection: env.nativeConnection, taskQueue: q.netsuite, activities, dataConverter }),
    ]);
    const running = workers.map((w) => w.run());
    try {
      const ev: OrderEvent = orderEvent('9200001', 'PENDING', {
        customer: { billing: { firstName: 'Zoë', lastName: 'Ångström', email: 'zoe.private@example.com' } },
      });
      const handle = await client.workflow.signalWithStart<typeof orderSyncWorkflow, [OrderEvent]>(
        'orderSyncWorkflow',
        {
          workflowId: `order/9200001-${q.workflows}`,
          taskQueue: q.workflows,
          args: [{ refNo: '9200001', queues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney } }],
          signal: orderEventSignal,
          signalArgs: [ev],
        },
      );
      const state = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.completedSteps.includes('salesOrder'),
      );
      expect(state.records.salesOrderId).toBe('so1');
      // Read the stored history without the codec, as anyone with access to Temporal would.
      const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
      const stored = (history.events ?? []).flatMap((e) => [
        ...(e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
        ...(e.workflowExecutionSignaledEventAttributes?.input?.payloads ?? []),
        ...(e.activityTaskScheduledEventAttributes?.input?.payloads ?? []),
      ]);
      expect(stored.length).toBeGreaterThanOrEqual(3);
      for (const p of stored) {
        expect(Buffer.from(p.metadata?.encoding ?? []).toString('utf8')).toBe('binary/encrypted');
        expect(Buffer.from(p.data ?? []).toString('latin1')).not.toContain('zoe.private@example.com');
      }
      await handle.terminate('test done');
    } finally {
      for (const w of workers) w.shutdown();
      await Promise.all(running);
    }
  });

  it('keeps a parked activity failure message (NetSuite text with an e-mail) out of the history in clear', async () => {
    const dataConverter = dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: keyA })!;
    const client = new Client({ connection: env.connection, dataConverter });
    const q = uniqueQueues();
    const activities = {
      async syncCustomer(): Promise<never> {
        throw ApplicationFailure.create({
          message:
            'NetSuite refused the request: A customer with e-mail zoe.private@example.com already exists (DUP_ENTITY)',
          type: 'NetSuiteUserError',
          nonRetryable: true,
          details: [
            { reason: 'NETSUITE_REJECTED', message: 'A customer with e-mail zoe.private@example.com already exists' },
          ],
        });
      },
    };
    const bundle = await workflowBundle();
    const workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: q.workflows,
        workflowBundle: bundle,
        dataConverter,
      }),
      Worker.create({ connection: env.nativeConnection, taskQueue: q.netsuite, activities, dataConverter }),
    ]);
    const running = workers.map((w) => w.run());
    try {
      const ev: OrderEvent = orderEvent('9200002', 'PENDING', {
        customer: { billing: { firstName: 'Zoë', lastName: 'Ångström', email: 'zoe.private@example.com' } },
      });
      const handle = await client.workflow.signalWithStart<typeof orderSyncWorkflow, [OrderEvent]>(
        'orderSyncWorkflow',
        {
          workflowId: `order/9200002-${q.workflows}`,
          taskQueue: q.workflows,
          args: [{ refNo: '9200002', queues: { netsuite: q.netsuite, netsuiteMoney: q.netsuiteMoney } }],
          signal: orderEventSignal,
          signalArgs: [ev],
        },
      );
      // The workflow still reads the message (it decrypts it) to park with it.
      const state = await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.park !== undefined,
      );
      expect(state.park?.message).toContain('already exists');
      const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
      const failed = (history.events ?? []).flatMap((e) =>
        e.activityTaskFailedEventAttributes?.failure ? [e.activityTaskFailedEventAttributes.failure] : [],
      );
      expect(failed.length).toBeGreaterThanOrEqual(1);
      const raw = JSON.stringify(history.events, (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      expect(raw).not.toContain('zoe.private@example.com');
      await handle.terminate('test done');
    } finally {
      for (const w of workers) w.shutdown();
      await Promise.all(running);
    }
  });
});
