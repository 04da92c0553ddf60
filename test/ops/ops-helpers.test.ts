// The small rules the ops scripts live by: what an operator may type, and what they are told.
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../operations/durations.js';
import { divergedEventId } from '../../scripts/lib/ops/replay-history.js';
import { explainTemporalError } from '../../scripts/lib/ops/temporal-client.js';
import { candidateWorkflowIds } from '../../operations/workflow-ref.js';
import { uiBaseUrl, workflowUrl } from '../../operations/web-ui.js';
import { formatStuckSyncs } from '../../operations/stuck-syncs.js';

describe('ops helpers', () => {
  it('read a REFNO as an order, a licence code as a subscription, and a workflow id as given', () => {
    expect(candidateWorkflowIds('12345678')).toEqual(['order/12345678', 'subscription/12345678']);
    expect(candidateWorkflowIds(' LIC7Q2X9 ')).toEqual(['subscription/LIC7Q2X9', 'order/LIC7Q2X9']);
    expect(candidateWorkflowIds('order/12345678')).toEqual(['order/12345678']);
    expect(() => candidateWorkflowIds('  ')).toThrow(/REFNO, a licence code or a workflow id/);
  });

  it('take durations as operators type them, and refuse the rest with an example', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(() => parseDuration('1 hour')).toThrow(/e\.g\. 90s, 30m, 1h or 2d/);
    expect(() => parseDuration('0h')).toThrow(/longer than zero/);
  });

  it('link to the Web UI with the workflow id encoded, under TEMPORAL_UI_URL', () => {
    expect(uiBaseUrl({})).toBe('http://localhost:8233');
    expect(uiBaseUrl({ TEMPORAL_UI_URL: 'https://cloud.temporal.io/' })).toBe('https://cloud.temporal.io');
    expect(workflowUrl('https://cloud.temporal.io', 'sync.a1b2c', 'order/12345678')).toBe(
      'https://cloud.temporal.io/namespaces/sync.a1b2c/workflows/order%2F12345678',
    );
  });

  it('explain an unreachable Temporal with the address and the variables to set', () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const wrapped = new Error('Failed to list workflows', { cause: grpc });
    expect(explainTemporalError(wrapped, 'temporal:7233', {})).toBe(
      'cannot reach Temporal at temporal:7233 (Failed to list workflows: 14 UNAVAILABLE: No connection established): is the stack running? Start it with npm start, or set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE / TEMPORAL_API_KEY for Temporal Cloud)',
    );
    // An address read from npm start's stack file says so.
    expect(
      explainTemporalError(wrapped, '127.0.0.1:27233', { STACK_STATE_NOTE: 'address from .data/stack.json' }),
    ).toContain('(address from .data/stack.json)');
    expect(explainTemporalError(new Error('Namespace sync not found'), 'x')).toBe('Namespace sync not found');
  });

  it('find the event id in core’s nondeterminism messages', () => {
    expect(
      divergedEventId(
        'Nondeterminism error: Activity machine does not handle this event: HistoryEvent(id: 6, UpsertWorkflowSearchAttributes)',
      ),
    ).toBe(6);
    expect(
      divergedEventId("Activity type of scheduled event 'a' does not match activity type of activity command 'b'"),
    ).toBeUndefined();
  });

  // Issue 28: park messages ran to 200+ characters on one line.
  it('list parked syncs within 100 columns, a command in backticks never broken', () => {
    const lines = formatStuckSyncs(
      [
        {
          workflowId: 'order/1366705121',
          runId: 'r',
          workflowType: 'orderSyncWorkflow',
          ref: '1366705121',
          reason: 'UNMAPPED_PRODUCT',
          step: 'salesOrder',
          message:
            'product code NEW-GADGET-X (line 1) has no NetSuite item: add it under products.rules in config/mappings.yaml (e.g. `- { code: NEW-GADGET-X, item: <internal id> }`), then retry the sync',
          path: 'lines[0].productCode',
          startTime: new Date('2026-12-06T14:18:30.109Z'),
          lastSyncAt: new Date('2026-12-06T14:18:30.291Z'),
          source: 'memo',
          url: 'http://ui/namespaces/default/workflows/order%2F1366705121',
        },
      ],
      new Date('2026-12-06T14:31:30Z'),
    );
    expect(lines).toEqual([
      'order/1366705121  ref 1366705121  UNMAPPED_PRODUCT  at salesOrder',
      '  product code NEW-GADGET-X (line 1) has no NetSuite item: add it under products.rules in',
      '  config/mappings.yaml (e.g. `- { code: NEW-GADGET-X, item: <internal id> }`), then retry the sync',
      '  (lines[0].productCode)',
      '  since 2026-12-06 14:18 UTC (13m ago), started 2026-12-06 14:18 UTC',
      '  http://ui/namespaces/default/workflows/order%2F1366705121',
    ]);
  });
});
