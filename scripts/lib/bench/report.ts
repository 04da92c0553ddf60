// Turns a run's result into the lines a person reads, and the per-process figures both kinds of
// run share. The JSON written next to it is the full record.
import type { FullRunResult } from './run-full.js';
import type { GatewayOnlyResult } from './run-gateway-only.js';
import type { Distribution, ProcessFigures } from './stats.js';
import { formatUnfinished } from './unfinished.js';
import type { ActionCounts } from './actions.js';
import type { ActionsPerOrder } from './count-actions.js';
import { formatBreakdown } from './time-breakdown.js';

const dist = (d: Distribution) => `p50 ${d.p50} ms, p99 ${d.p99} ms (max ${d.max}, n=${d.count})`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const mark = (ok: boolean) => (ok ? 'ok' : 'FAIL');

function processLines(processes: ProcessFigures[]): string[] {
  return [
    'processes (peak RSS, CPU):',
    ...processes.map(
      (p) => `  ${p.role.padEnd(16)} ${String(p.peakRssMB).padStart(7)} MB  ${String(p.cpuSeconds).padStart(8)} s CPU`,
    ),
  ];
}

const kinds = (c: ActionCounts) =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

function actionLines(a: ActionsPerOrder): string[] {
  return [
    `actions:       ${a.total} Temporal Actions per synced order, billable on Temporal Cloud (${kinds(a.perOrder)}; ${a.historiesRead} histories read) → $${a.dollarsPerMillionOrders} per million orders at $${a.pricePerMillionActions} per million Actions (--price-per-million-actions)`,
    `               server's action counter per order (counts patch markers and TemporalChangeVersion upserts, which Cloud does not bill): ${kinds(a.serverCounterPerOrder)}`,
  ];
}

export function formatFull(r: FullRunResult): string {
  const o = r.options;
  const calls = Object.entries(r.netsuite.callsPerOrder.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `bench: ${o.orders} orders, ${o.mode} mode, ${pct(o.returning)} returning, rate ${o.rate > 0 ? `${o.rate}/s` : 'max'}; NetSuite limit ${o.limit}, latency ${o.latencyMedianMs}/${o.latencyP99Ms} ms (median/p99); ${o.workers} worker(s), NETSUITE_CONCURRENCY ${o.concurrency}`,
    `orders:        ${r.orders.synced}/${r.orders.sent} synced, ${r.orders.parked} parked, ${r.orders.notSynced} not synced, ${r.orders.deliveryFailures} IPNs without receipt (${r.orders.gatewayRetries} re-sent)  [${mark(r.orders.failedSyncs === 0 && r.orders.deliveryFailures === 0)}]`,
    `gateway:       receipt ${dist(r.gateway.receiptLatencyMs)}; sent at ${r.gateway.sendRatePerSecond} IPN/s`,
    `end to end:    IPN sent → ${o.mode === 'cashSale' ? 'cash sale' : 'payment'} in NetSuite ${dist(r.endToEndLatencyMs)}${r.bulk ? ' (live orders only)' : ''}`,
    `burst:         first order synced ${r.burst.firstSyncedSeconds} s after the first IPN; end-to-end p50 = ${r.burst.p50OverDrain} × drain time (${r.throughput.drainSeconds} s)`,
    ...(r.bulk
      ? [
          `bulk:          ${r.bulk.synced}/${r.bulk.handedOver} backfill-style orders synced; handed over in ${r.bulk.handOverSeconds} s, all synced ${r.bulk.drainSeconds} s after the first hand-over`,
        ]
      : []),
    ...(r.liveAlone
      ? [
          `live first:    live end-to-end p50 ${r.endToEndLatencyMs.p50} ms${r.bulk ? ' during the bulk work' : ''} vs ${r.liveAlone.endToEndLatencyMs.p50} ms alone (${r.liveAlone.synced}/${r.liveAlone.orders} synced, p99 ${r.liveAlone.endToEndLatencyMs.p99} ms) = ${r.liveAlone.p50DuringBulkOverAlone} × alone (goal ≤ 1.5)  [${mark(r.liveAlone.p50DuringBulkOverAlone <= 1.5)}]`,
          `  alone:       ${formatBreakdown(r.liveAlone.breakdown)}`,
        ]
      : []),
    ...(r.liveBreakdown ? [`  live${r.bulk ? ' + bulk' : ''}:  ${formatBreakdown(r.liveBreakdown)}`] : []),
    `throughput:    ${r.throughput.ordersPerSecond} orders/s over ${r.throughput.drainSeconds} s; bound C/(calls × mean latency) = ${o.limit}/(${r.netsuite.callsPerOrder.total} × ${r.netsuite.meanLatencyMs} ms) = ${r.throughput.boundOrdersPerSecond}/s → ${pct(r.throughput.fractionOfBound)} of the bound; account slots in use ${pct(r.throughput.accountSlotUse)}`,
    `NetSuite:      ${r.netsuite.callsPerOrder.total} calls/order (${calls}); peak in flight ${r.netsuite.peakInFlight}; mean slot time ${r.netsuite.meanSlotMsPerCall} ms/call`,
    `429s:          ${r.netsuite.rejected429} refused by NetSuite, ${r.netsuite.activityAttemptsFailedBy429} activity attempts retried by Temporal, ${r.netsuite.syncFailuresFrom429} syncs failed by them  [${mark(r.netsuite.syncFailuresFrom429 === 0)}]`,
    `exactly once:  duplicates ${r.exactlyOnce.duplicates.customersByEmail.length + r.exactlyOnce.duplicates.transactionsByRefNo.length}; created ${JSON.stringify(r.exactlyOnce.createdByType)} (expected ${JSON.stringify(r.exactlyOnce.expectedByType)})  [${mark(r.exactlyOnce.ledgerMatches)}]`,
    ...(r.actions ? actionLines(r.actions) : []),
    `limiters:      ${r.workers.map((w) => `${w.role} share ${w.share}: limit ${w.limiter.limit}, peak ${w.limiter.peakInFlight}, −${w.limiter.decreases}/+${w.limiter.increases}`).join('; ')}`,
    ...(r.unfinished.length > 0
      ? [
          `unfinished:    ${r.unfinished.length === 10 ? 'first 10 ' : ''}orders without their final record, as Temporal sees them:`,
          ...r.unfinished.map(formatUnfinished),
        ]
      : []),
    ...processLines(r.processes),
    `CPU per order: ${Object.entries(r.cpuMsPerOrder)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')}`,
  ].join('\n');
}

export function formatGatewayOnly(r: GatewayOnlyResult): string {
  const o = r.options;
  return [
    `bench --gateway-only: ${r.ipns.sent} IPNs (after ${r.warmup} warm-up), sink ${o.sink}, rate ${o.rate > 0 ? `${o.rate}/s` : 'max'}, ${o.senders} senders`,
    `gateway:  ${r.ipnPerSecond} IPN/s answered with a valid receipt (sent at ${r.sendRatePerSecond}/s); receipt ${dist(r.receiptLatencyMs)}`,
    `failures: ${r.ipns.deliveryFailures} without receipt, ${r.ipns.retries} re-sent  [${mark(r.ipns.deliveryFailures === 0)}]`,
    ...processLines(r.processes),
  ].join('\n');
}
