// Watches the sandbox's creation log until every order of a phase is complete: its payment and as
// many customer refunds as it was sent refunds. Reads only what was created since the last look,
// and keeps looking through Temporal and gateway restarts (it asks only the sandbox).
import { z } from 'zod';
import { externalIds } from '../../../mappings/ids.js';
import { getJson } from '../bench/sync-watch.js';
import type { ChaosOrder } from './scenario.js';

const creations = z.array(z.object({ seq: z.number(), type: z.string(), id: z.string(), externalId: z.string().optional(), atMs: z.number() }));

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
      this.owed.set(o.refNo, 1 + o.refundCents.length);
      this.byExternalId.set(externalIds.customerPayment(o.refNo), o.refNo);
      this.refundPrefixes.push([externalIds.customerRefund(o.refNo, 'x').slice(0, -1), o.refNo]);
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
        if (!e.externalId) continue;
        let refNo = e.type === 'customerPayment' ? this.byExternalId.get(e.externalId) : undefined;
        if (e.type === 'customerRefund') refNo = this.refundPrefixes.find(([p]) => e.externalId!.startsWith(p))?.[1];
        if (refNo === undefined) continue;
        const left = (this.owed.get(refNo) ?? 0) - 1;
        this.owed.set(refNo, left);
        if (left === 0) this.doneAtMs.set(refNo, e.atMs);
      }
      if (batch.length < 10_000) return this.doneAtMs.size;
    }
  }
}
