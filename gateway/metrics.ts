// Prometheus metrics of the gateway: notifications by outcome and receipt latency.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
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
