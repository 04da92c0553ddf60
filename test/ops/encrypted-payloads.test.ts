// With payload encryption on (PAYLOAD_ENCRYPTION_KEY), memos, queries and histories are stored
// encrypted: the ops scripts read them with the same keys, and say what is missing without them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverterFromEnv } from '../../shared/payload-codec.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { EXIT } from '../../scripts/lib/ops/cli-io.js';
import { runReplayCli } from '../../scripts/lib/ops/replay-cli.js';
import { recordingOrderActivities, startFakeWorkers } from '../../scripts/lib/ops/recording-activities.js';
import { runStuckCli } from '../../scripts/lib/ops/stuck-cli.js';
import { ENCRYPTED_PLACEHOLDER } from '../../operations/stuck-syncs.js';
import { explainTemporalError } from '../../scripts/lib/ops/temporal-client.js';
import { connectTestEnv, eventually, uniqueQueues, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';
import { captureIo, startOrder, uniqueRefNo } from './support.js';

const dataConverter = dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64') })!;
let env: TestWorkflowEnvironment;
let encrypted: Client;
beforeAll(async () => {
  env = await connectTestEnv();
  encrypted = new Client({ connection: env.connection, dataConverter });
  await workflowBundle();
});
afterAll(async () => {
  await env?.teardown();
});

describe('ops scripts with payload encryption', () => {
  it('list the parked order with its explanation and replay its history with the keys; without them, say the keys are missing', async () => {
    const refNo = uniqueRefNo();
    const queues = uniqueQueues();
    const { activities } = recordingOrderActivities({
      upsertSalesOrder: [{ reason: 'UNMAPPED_PRODUCT', message: `product code SECRET-${refNo} has no NetSuite item` }],
    });
    const workers = await startFakeWorkers({
      connection: env.nativeConnection,
      queues,
      workflowBundle: await workflowBundle(),
      activities,
      dataConverter,
    });
    try {
      const handle = await startOrder(encrypted, queues, orderEvent(refNo, 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.syncStatus === 'NeedsAttention',
      );
      const query = `OrderRef = '${refNo}'`;
      await eventually(
        async () => (await env.client.workflow.count(query)).count,
        (n) => n === 1,
      );

      const io = captureIo();
      const code = await runStuckCli(['--json'], { client: encrypted, namespace: 'default', uiBase: 'http://ui', io });
      expect(code).toBe(EXIT.ok);
      const listed = (
        JSON.parse(io.stdout.join('\n')) as { syncs: Array<{ ref: string; message: string; source: string }> }
      ).syncs.find((s) => s.ref === refNo);
      expect(listed).toMatchObject({ source: 'memo', message: `product code SECRET-${refNo} has no NetSuite item` });

      const replay = async (client: Client, withKeys: boolean) => {
        const out = captureIo();
        const exit = await runReplayCli([`order/${refNo}`], {
          io: out,
          code: async () => ({ workflowBundle: await workflowBundle() }),
          client: () => client,
          ...(withKeys ? { dataConverter } : {}),
        });
        return { exit, text: [...out.stdout, ...out.stderr].join('\n') };
      };
      const good = await replay(encrypted, true);
      expect(good.exit, good.text).toBe(EXIT.ok);

      // Without the keys: still listed (search attributes are never encrypted), and the listing and
      // the replay say which setting is missing.
      const plain = captureIo();
      expect(
        await runStuckCli(['--json'], { client: env.client, namespace: 'default', uiBase: 'http://ui', io: plain }),
      ).toBe(EXIT.ok);
      const blind = (
        JSON.parse(plain.stdout.join('\n')) as { syncs: Array<{ ref: string; reason: string; message: string }> }
      ).syncs.find((s) => s.ref === refNo);
      expect(blind).toMatchObject({ reason: 'UNMAPPED_PRODUCT', message: ENCRYPTED_PLACEHOLDER });
      const bad = await replay(env.client, false);
      expect(bad.exit).toBe(EXIT.found);
      expect(bad.text).toMatch(/The history is encrypted: set PAYLOAD_ENCRYPTION_KEY/);
      expect(explainTemporalError(new Error('payload encrypted with key "k0", which is not configured'), 'x')).toMatch(
        /payloads are encrypted: set PAYLOAD_ENCRYPTION_KEY/,
      );
      await handle.terminate('test done');
    } finally {
      await workers.stop();
    }
  });
});
