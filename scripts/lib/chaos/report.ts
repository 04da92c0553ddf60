// The chaos run's summary as a person reads it; the JSON next to it is the full record.
import type { Distribution } from '../bench/stats.js';
import type { ChaosResult, PhaseResult } from './run-chaos.js';

const mark = (ok: boolean) => (ok ? 'ok' : 'FAIL');
const dist = (d: Distribution) =>
  d.count === 0
    ? 'none'
    : `p50 ${(d.p50 / 1000).toFixed(1)} s, p99 ${(d.p99 / 1000).toFixed(1)} s, max ${(d.max / 1000).toFixed(1)} s (n=${d.count})`;
const phase = (p: PhaseResult) =>
  `${p.completed}/${p.orders} orders complete in ${p.drainSeconds} s = ${p.ordersPerSecond} orders/s (half after ${p.completedBy.p50} s, 90 % after ${p.completedBy.p90} s, 99 % after ${p.completedBy.p99} s); ${p.receipts}/${p.notifications} IPNs with a receipt, ${p.resent} re-sent${p.timedOut ? ' (TIMED OUT)' : ''}`;

export function formatChaos(r: ChaosResult): string {
  const o = r.options;
  const f = r.faults;
  const byKind = Object.entries(f.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const l = r.ledger;
  return [
    `chaos: seed ${o.seed}, ${o.orders} orders + ${r.burst.byKind.renewal} renewals (${r.burst.byKind.usd} USD, ${r.burst.byKind.eur} EUR, ${r.burst.byKind.jpy} JPY, ${r.burst.byKind.returning} from returning shoppers, ${r.burst.byKind.subscription} subscriptions); ${r.burst.cashSales} booked as cash sales; ${r.burst.redeliveries} redeliveries, ${r.burst.staleStatuses} stale statuses after COMPLETE, ${r.burst.refunds} partial refunds (${r.burst.refundRedeliveries} redelivered), chargebacks ${r.burst.chargebacks.won} won / ${r.burst.chargebacks.lost} lost, ${r.burst.voids} voided before capture${o.transformDropsExternalId ? '; NetSuite drops the externalId of transform bodies' : ''}`,
    ...(r.baseline ? [`fault-free:   ${phase(r.baseline)}`] : []),
    `under chaos:  ${phase(r.chaos)}`,
    `goodput:      ${r.goodputShareOfFaultFree === undefined ? 'n/a (no baseline)' : `${(r.goodputShareOfFaultFree * 100).toFixed(0)} % of the fault-free rate`} (fault mode ${r.refusals.faultMode}${r.refusals.faultMode === 'governance' ? ': goal ≥ 50 %' : ''})`,
    `429s:         ${r.refusals.faultMode === 'governance' ? `from the account's limit: ${r.refusals.governanceWindows} windows at ${r.refusals.governanceLimit} (of ${o.limit}), ${r.refusals.byGovernance} requests refused by NetSuite's governance` : `drawn at random by the proxy (${r.faults.byKind.status429}); ${r.refusals.byGovernance} refused by the account's own limit`}`,
    `faults:       ${f.faulted} of ${f.requests} NetSuite requests (${((f.faulted / Math.max(1, f.requests)) * 100).toFixed(1)} %): ${byKind} (${f.dropAfterCommit} drops after the write)`,
    `kills:        ${r.recovery.workerKills} worker SIGKILLs, ${r.recovery.gracefulStops} SIGTERM stops (exit ${dist(r.recovery.gracefulStopMs)}), ${r.recovery.temporalRestarts} Temporal restarts, ${r.recovery.gatewayRestarts} gateway restarts`,
    `recovery:     kill → attempt failed by Temporal ${dist(r.recovery.killToDeclaredDeadMs)}; kill → retried activity started ${dist(r.recovery.killToRetryMs)} (with back-off and the wait behind the queued burst) over ${r.recovery.killedActivities} killed activities (${r.recovery.retriesNotSeen} not seen); worker start → ready ${dist(r.recovery.workerStartToReadyMs)}`,
    `settled:      ledger read ${r.settled.ok ? `after every held request landed and every workflow settled (${r.settled.waitedSeconds} s)` : `WITHOUT settling (gave up after ${r.settled.waitedSeconds} s)`}  [${mark(r.settled.ok)}]`,
    `ledger:       ${l.lost} lost, ${l.duplicated} duplicated, ${l.wrongTotals} wrong totals over ${l.orders} orders; refunds and lost chargebacks ${l.refunds.found}/${l.refunds.expected}; subscriptions ${l.subscriptions.found}/${l.subscriptions.expected}; customers ${l.customers.found} for ${l.customers.shoppers} shoppers (${l.customers.twins} twins)  [${mark(l.lost === 0 && l.duplicated === 0 && l.wrongTotals === 0 && l.customers.found === l.customers.shoppers)}]`,
    `workflows:    ${r.parked} parked${r.parked > 0 ? ` ${JSON.stringify(r.parkReasons)}` : ''}, ${r.inProgress} still in progress  [${mark(r.parked === 0 && r.inProgress === 0)}]`,
    `limiters:     ${r.workers.map((w) => `${w.role}: limit ${w.limiter.limit}, −${w.limiter.decreases}/+${w.limiter.increases} (${w.limiter.timedIncreases} by time), ${w.limiter.slowReleased} slow calls released`).join('; ')}`,
    ...l.examples.map((e) => `  ! ${e}`),
    `verdict:      ${r.passed ? 'PASSED' : 'FAILED'}`,
  ].join('\n');
}
