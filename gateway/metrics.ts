// Prometheus metrics of the gateway: notifications by outcome and receipt latency, and (with a
// Temporal client) how many sync workflows are open, by kind and status, from Temporal's visibility:
// parked syncs and payouts waiting or parked are states, not events, so they are counted where
// Temporal keeps them rather than added up from transitions.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type NotificationOutcome =
  | 'accepted'
  | 'ignored_test'
  | 'bad_signature'
  | 'bad_body'
  | 'temporal_unavailable'
  /** Temporal refused the event for configuration reasons (e.g. missing search attributes): a person must act. */
  | 'temporal_configuration'
  | 'internal_error';

export interface GatewayMetrics {
  registry: Registry;
  notifications: Counter<'kind' | 'outcome'>;
  receiptLatency: Histogram<'kind' | 'outcome'>;
}

/** Counts workflows matching a visibility query (client.workflow.count). */
export type CountWorkflows = (query: string) => Promise<number>;

const KINDS = ['order', 'subscription', 'payout'] as const;
const STATUSES = ['InProgress', 'NeedsAttention'] as const;
/** Visibility is asked at most this often, whatever the scrape interval. */
const VISIBILITY_CACHE_MS = 30_000;

function createOpenSyncMetrics(registry: Registry, count: CountWorkflows, now: () => number): void {
  let cached: { at: number; values: Array<[string, string, number]> } | undefined;
  const up = new Gauge({
    name: 'sync_workflows_visibility_up',
    help: '1 when the last count of open sync workflows from Temporal succeeded, else 0',
    registers: [registry],
  });
  new Gauge({
    name: 'sync_workflows_open',
    help: 'Open (running) sync workflows by entity kind (order, subscription, payout) and SyncStatus (InProgress; NeedsAttention = parked), from Temporal visibility',
    labelNames: ['kind', 'status'],
    registers: [registry],
    async collect() {
      if (!cached || now() - cached.at > VISIBILITY_CACHE_MS) {
        try {
          const values: Array<[string, string, number]> = [];
          for (const kind of KINDS) {
            for (const status of STATUSES)
              values.push([
                kind,
                status,
                await count(`EntityKind = '${kind}' AND SyncStatus = '${status}' AND ExecutionStatus = 'Running'`),
              ]);
          }
          cached = { at: now(), values };
          up.set(1);
        } catch {
          up.set(0);
        }
      }
      for (const [kind, status, n] of cached?.values ?? []) this.set({ kind, status }, n);
    },
  });
}

export function createGatewayMetrics(
  opts: { countWorkflows?: CountWorkflows; now?: () => number } = {},
): GatewayMetrics {
  const registry = new Registry();
  if (opts.countWorkflows) createOpenSyncMetrics(registry, opts.countWorkflows, opts.now ?? Date.now);
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  const notifications = new Counter({
    name: 'twocheckout_notifications_total',
    help: '2Checkout notifications received, by kind (ipn, lcn) and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const receiptLatency = new Histogram({
    name: 'twocheckout_receipt_seconds',
    help: 'Time from request received to response sent (the receipt 2Checkout waits for)',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return { registry, notifications, receiptLatency };
}
