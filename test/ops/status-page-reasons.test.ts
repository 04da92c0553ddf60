// The finance status page counts parked syncs per reason and says what fixes each: for every
// reason a sync can park with, not only the ones an older table happened to list. Orders parked on
// the shared dev server (recording fakes), read back through the status page's own reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ParkReasonCode } from '../../mappings/sync-types.js';
import { orderStateQuery } from '../../workflows/messages.js';
import { readBooksStatus } from '../../status-page/books-status.js';
import { renderOverview } from '../../status-page/render.js';
import { connectTestEnv, eventually, workflowBundle } from '../support/temporal.js';
import { orderEvent } from '../support/events.js';
import { fakeNetSuite, startOrder, uniqueRefNo, type FakeNetSuite } from './support.js';

// The reasons the status page's table used to leave out (issue 21).
const REASONS: ParkReasonCode[] = [
  'AMBIGUOUS_REFUND',
  'PAYOUT_VARIANCE',
  'PAYOUT_PAYMENTS_MISSING',
  'PAYOUT_UNSUPPORTED',
  'RECONCILIATION_MISMATCH',
];

let env: TestWorkflowEnvironment;
let ns: FakeNetSuite;
beforeAll(async () => {
  env = await connectTestEnv();
  await workflowBundle();
  ns = await fakeNetSuite(env.nativeConnection, {
    upsertSalesOrder: REASONS.map((reason) => ({ reason, message: `parked for the status page test (${reason})` })),
  });
});
afterAll(async () => {
  await ns?.stop();
  await env?.teardown();
});

describe('status page, parked by reason', () => {
  it('counts every park reason and says what fixes it', async () => {
    const handles = [];
    // One at a time, so each order takes the next planned park.
    for (const reason of REASONS) {
      const handle = await startOrder(env.client, ns.queues, orderEvent(uniqueRefNo(), 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.park?.reason === reason,
      );
      handles.push(handle);
    }
    try {
      for (const reason of REASONS) {
        await eventually(
          async () =>
            (await env.client.workflow.count(`SyncStatus = 'NeedsAttention' AND ParkReason = '${reason}'`)).count,
          (n) => n >= 1,
        );
      }
      const status = await readBooksStatus(env.client, {
        uiBase: 'http://ui.test',
        namespace: 'default',
        parkedLimit: 1,
      });
      const counted = new Map(status.parkedByReason.map((r) => [r.reason, r.count]));
      for (const reason of REASONS)
        expect(counted.get(reason) ?? 0, `${reason} is missing from the per-reason counts`).toBeGreaterThanOrEqual(1);
      const html = renderOverview({
        generatedAt: new Date(),
        status,
        days: [],
        books: { source: 'temporal', why: 'not read here' },
        completeness: [],
        payouts: [],
        payoutsListUrl: '',
      });
      expect(html, 'a reason without its own explanation falls back to the docs pointer').not.toContain(
        'see docs/operating.md, Park reasons',
      );
    } finally {
      await Promise.all(handles.map((h) => h.terminate('test done')));
    }
  });
});
