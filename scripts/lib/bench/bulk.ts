// The bulk side of `npm run bench -- --bulk B`: backfill-style orders handed to Temporal through the
// same hand-over the gateway uses (signal-with-start of `order/<REFNO>`), with the bulk source, so
// they run at the bulk task priority (workflows/priority.ts) exactly as backfill and reconciliation do.
import type { Client } from '@temporalio/client';
import { createSyncHandover } from '../../../workflows/handover.js';
import { parseForm } from '../../../twocheckout/webhooks/form.js';
import { ipnToOrderEvent } from '../../../mappings/from-2checkout.js';
import type { BenchOrder } from './orders.js';

/** Hands every order over (`lanes` at a time); returns when Temporal holds them all. */
export async function handOverBulk(
  client: Client,
  orders: BenchOrder[],
  mode: 'salesOrder' | 'cashSale',
  lanes = 32,
): Promise<void> {
  const handover = createSyncHandover({ client, policy: { postingMode: mode } });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < orders.length) {
      const order = orders[next++]!;
      await handover.deliverOrderEvent(ipnToOrderEvent(parseForm(order.body)), 'backfill');
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
