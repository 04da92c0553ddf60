// Recorded histories of the completeness workflows (reconcileDayWorkflow,
// nightlyReconciliationWorkflow, backfillWorkflow) for `npm run record-histories`, driven against
// deterministic fake completeness activities: one page with a matched and a healed order.
import type { CompletenessActivities, SweepPageResult } from '../../../workflows/completeness-contract.js';
import type { OrderComparison } from '../../../mappings/completeness.js';
import { TASK_QUEUES } from '../../../workflows/messages.js';
import type { HistoryScenario } from './history-scenario.js';

const comparison = (refNo: string, verdict: OrderComparison['verdict'], day: string): OrderComparison => ({
  refNo,
  orderDate: day,
  status: 'COMPLETE',
  currency: 'USD',
  gross: '99.00',
  refunded: '0.00',
  chargebackLost: false,
  ...(verdict === 'matched' ? { nsSaleTotal: '99.00', nsCurrency: 'USD' } : {}),
  nsCredited: '0.00',
  verdict,
  missing: verdict === 'missing' ? ['sales order', 'invoice', 'customer payment'] : [],
  findings: [],
});

/** Fakes of the completeness activities: every day has order 71000001 (in place) and 71000002 (missing, then healed). */
export const recordingCompletenessActivities: CompletenessActivities = {
  async sweepPage({ day, page, dryRun }): Promise<SweepPageResult> {
    return {
      day,
      page,
      hasMore: false,
      count: 2,
      comparisons: [comparison('71000001', 'matched', day), comparison('71000002', 'missing', day)],
      delivered: dryRun ? [] : ['71000002'],
      mismatched: [],
      unmappable: [],
      wouldPost: [],
      calls: { netsuite: 1, twocheckout: 1 },
    };
  },
  async netsuiteOnlyOrders() {
    return { refNos: [], calls: 1 };
  },
  async verifyOrders({ refNos }) {
    return {
      comparisons: refNos.map((r) => ({ ...comparison(r, 'matched', '2026-11-20'), nsSaleTotal: '99.00' })),
      calls: { netsuite: 1, twocheckout: refNos.length },
    };
  },
  async settleOrders({ refNos }) {
    return { synced: refNos, parked: [], pending: [] };
  },
  async recordLedger() {
    return { recordId: '501', calls: 1 };
  },
};

export const completenessScenarios: HistoryScenario[] = [
  {
    name: 'reconcile-day',
    description: 'one day: an order in place, an order healed and verified; ledger recorded',
    async drive({ client }) {
      const handle = await client.workflow.start('reconcileDayWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: 'reconcile/2026-11-20/record',
        args: [{ date: '2026-11-20' }],
      });
      return [{ file: 'reconcile-day.json', handle }];
    },
  },
  {
    name: 'nightly-reconciliation',
    description: "the Schedule's workflow: yesterday reconciled as a child workflow",
    async drive({ client }) {
      const handle = await client.workflow.start('nightlyReconciliationWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: 'nightly-reconciliation/record',
        args: [{ days: 1 }],
      });
      return [{ file: 'nightly-reconciliation.json', handle }];
    },
  },
  {
    name: 'backfill',
    description: 'two days, one page each: an order already there, an order posted and settled',
    async drive({ client }) {
      const handle = await client.workflow.start('backfillWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: 'backfill/2026-11-19..2026-11-20',
        args: [{ from: '2026-11-19', to: '2026-11-20' }],
      });
      return [{ file: 'backfill.json', handle }];
    },
  },
];
