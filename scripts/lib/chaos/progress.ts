// Watches the sandbox's creation log until every paid order of a phase is complete: its payment
// (or cash sale) and as many customer refunds (or cash refunds) as it was sent money-back events.
// A record is known by its externalId, or by the key in its memo where NetSuite dropped that. Voided
// orders, won disputes and subscription records create nothing to wait for here: the run waits for
// every workflow to settle before it reads the ledger. Reads only what was created since the last
// look, and keeps looking through Temporal and gateway restarts (it asks only the sandbox).
import { z } from 'zod';
import { externalIds } from '../../../mappings/ids.js';
import { getJson } from '../bench/sync-watch.js';
import type { ChaosOrder } from './scenario.js';

const creations = z.array(
  z.object({
    seq: z.number(),
    type: z.string(),
    id: z.string(),
    externalId: z.string().optional(),
    memoKey: z.string().optional(),
    atMs: z.number(),
  }),
);

export class CompletionWatch {
  private after = 0;
  private readonly owed = new Map<string, number>();
  private readonly byExternalId = new Map<string, string>();
  private readonly refundPrefixes: Array<[string, string]> = [];
  readonly doneAtMs = new Map<string, number>();

  constructor(
    private readonly sandboxUrl: string,
    orders: ChaosOrder[],
  ) {
    for (const o of orders) {
      if (o.path === 'voided') continue;
      this.owed.set(o.refNo, 1 + o.refundCents.length);
      this.byExternalId.set(
        o.mode === 'cashSale' ? externalIds.cashSale(o.refNo) : externalIds.customerPayment(o.refNo),
        o.refNo,
      );
      // A cash refund carries the credit memo's externalId (docs/refunds.md).
      const refunds =
        o.mode === 'cashSale' ? externalIds.creditMemo(o.refNo, 'x') : externalIds.customerRefund(o.refNo, 'x');
      this.refundPrefixes.push([refunds.slice(0, -1), o.refNo]);
    }
  }

  /** Starts after what the sandbox already holds. */
  async start(): Promise<void> {
    const all = await getJson(`${this.sandboxUrl}/__sandbox/created/0`, creations);
    this.after = all.at(-1)?.seq ?? 0;
  }

  get total(): number {
    return this.owed.size;
  }

  /** Reads what was created since the last look; returns how many orders are complete. */
  async poll(): Promise<number> {
    for (;;) {
      const batch = await getJson(`${this.sandboxUrl}/__sandbox/created/${this.after}`, creations);
      for (const e of batch) {
        this.after = e.seq;
        const key = e.externalId ?? e.memoKey;
        if (!key) continue;
        let refNo = e.type === 'customerPayment' || e.type === 'cashSale' ? this.byExternalId.get(key) : undefined;
        if (e.type === 'customerRefund' || e.type === 'cashRefund')
          refNo = this.refundPrefixes.find(([p]) => key.startsWith(p))?.[1];
        if (refNo === undefined) continue;
        const left = (this.owed.get(refNo) ?? 0) - 1;
        this.owed.set(refNo, left);
        if (left === 0) this.doneAtMs.set(refNo, e.atMs);
      }
      if (batch.length < 10_000) return this.doneAtMs.size;
    }
  }
}
