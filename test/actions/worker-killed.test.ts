// A worker killed between 2Checkout's refund call and its answer (SIGKILL of a real process while
// the API sandbox holds the answer): Temporal retries the activity on another worker after the
// heartbeat timeout, the retry reads the order's refunds first, finds the refund and does not
// issue it again. One refund in 2Checkout, one credit memo and one customer refund in NetSuite.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { cardOrder } from '../../sandbox/twocheckout/scenarios.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { BOB, startActionStack, type ActionStack } from '../support/actions.js';
import { VENDOR_CODE } from '../support/completeness.js';
import { SECRET_KEY } from '../support/stack.js';
import { eventually } from '../support/temporal.js';

let s: ActionStack;
beforeAll(async () => {
  s = await startActionStack();
}, 120_000);
afterAll(async () => {
  await s?.close();
});

function startChildWorker(): { child: ChildProcess; ready: Promise<void>; exited: Promise<unknown> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fixtures/action-worker-child.ts', import.meta.url))],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        ACTION_QUEUE: s.actionQueue,
        TWOCHECKOUT_API_BASE_URL: s.api.apiUrl,
        TWOCHECKOUT_VENDOR_CODE: VENDOR_CODE,
        TWOCHECKOUT_SECRET_KEY: SECRET_KEY,
        NETSUITE_BASE_URL: s.sandbox.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    void exited.then(() => reject(new Error(`the action worker exited before it was ready:\n${stderr}`)));
  });
  return { child, ready, exited };
}

it('a worker killed between the refund call and its answer: the retry finds the refund, exactly one refund', async () => {
  const order = String(77_300_000 + (Date.now() % 100_000));
  await s.send([{ kind: 'ipn', input: cardOrder(order, 'COMPLETE', { at: new Date(Date.now() - 60_000) }) }]);
  await s.waitForOrder(order, (st) => st.syncStatus === 'Synced' && st.records.paymentId !== undefined, 60_000);
  const asked = await s.requestRefund({ refNo: order, amount: '60.00', reason: 'customer charged twice' });
  if (asked.status !== 'submitted') throw new Error(JSON.stringify(asked));

  // From now on only the child process serves the request's activities.
  await s.stopActionWorker();
  const worker = startChildWorker();
  await worker.ready;
  const refundsBefore = s.api.refunds.stats.refunds;
  s.api.faults.refundLatencyMs = 60_000;
  try {
    await s.decide(asked.id, { action: 'approve', by: BOB });
    // 2Checkout has made the refund; its answer is held: the worker dies waiting for it.
    await eventually(
      async () => s.api.refunds.stats.refunds,
      (n) => n === refundsBefore + 1,
      60_000,
    );
    worker.child.kill('SIGKILL');
    await worker.exited;
  } finally {
    s.api.faults.refundLatencyMs = 0;
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  }
  await s.startActionWorker();

  const done = await s.waitForRequest(asked.id, (r) => r.phase === 'done', 120_000);
  expect(s.api.refunds.stats.refunds - refundsBefore).toBe(1);
  expect(s.refundsIn2Checkout(order)).toBe(1);
  expect(s.creditMemos(order)).toBe(1);
  expect(s.customerRefunds(order)).toBe(1);
  expect(done.outcome.twoCheckout?.alreadyDone).toBe(true);
  expect(done.outcome.netsuite).toMatchObject({ amount: '60.00' });
}, 240_000);
