// The burst to send: N paid orders as signed IPN bodies, built before the clock starts, a share of
// them from returning customers. A returning customer is one NetSuite already has, exactly as an
// earlier sync left it (same externalId and fields), so their order needs no customer write; the
// benchmark stores those customers in the sandbox before sending (`seedReturningCustomers`).
import { request } from 'undici';
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import { repoRoot } from '../../../shared/temporal-binaries.js';
import { cardOrder, returningCustomerOrder } from '../../../sandbox/twocheckout/scenarios.js';
import { signedIpn } from '../../../sandbox/twocheckout/sender.js';
import { parseForm } from '../../../twocheckout/webhooks/form.js';
import { ipnToOrderEvent } from '../../../mappings/from-2checkout.js';
import { loadMappingConfig } from '../../../mappings/config-loader.js';
import { buildCustomerBody, customerIdentity } from '../../../mappings/customer-record.js';
import { externalIds } from '../../../mappings/ids.js';

export interface BenchOrder {
  refNo: string;
  returning: boolean;
  /** The signed, form-encoded IPN as 2Checkout would POST it. */
  body: string;
  /** externalId of the record that finishes the sync: the payment (sales-order mode) or the cash sale. */
  finalExternalId: string;
}

export const MAPPINGS_FILE = `${repoRoot}/config/mappings.yaml`;

/** Spreads `share` evenly over the sequence: order i is returning when the running count steps up. */
export function isReturning(i: number, share: number): boolean {
  return Math.floor((i + 1) * share) > Math.floor(i * share);
}

export function buildOrders(opts: {
  count: number;
  returning: number;
  mode: 'salesOrder' | 'cashSale';
  firstRefNo?: number;
}): BenchOrder[] {
  const at = new Date();
  return Array.from({ length: opts.count }, (_, i) => {
    const refNo = String((opts.firstRefNo ?? 80_000_000) + i);
    const returning = isReturning(i, opts.returning);
    const order = returning
      ? returningCustomerOrder(refNo, { customerSeed: `returning-${refNo}`, at })
      : cardOrder(refNo, 'COMPLETE', { at });
    return {
      refNo,
      returning,
      body: signedIpn(order, DEMO_ENV.TWOCHECKOUT_SECRET_KEY),
      finalExternalId: opts.mode === 'cashSale' ? externalIds.cashSale(refNo) : externalIds.customerPayment(refNo),
    };
  });
}

/**
 * Stores each returning order's customer in the sandbox as the sync itself would have created it
 * (the same body and externalId, built by the same mapping code from the same IPN).
 */
export async function seedReturningCustomers(sandboxUrl: string, orders: BenchOrder[]): Promise<number> {
  const config = loadMappingConfig(MAPPINGS_FILE);
  const returning = orders.filter((o) => o.returning);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < returning.length) {
      const order = returning[next++]!;
      const event = ipnToOrderEvent(parseForm(order.body));
      const customer = { ...buildCustomerBody(event, config), externalId: customerIdentity(event, config).externalId };
      const res = await request(`${sandboxUrl}/__sandbox/records/customer`, {
        method: 'POST',
        body: JSON.stringify(customer),
        headers: { 'content-type': 'application/json' },
      });
      const text = await res.body.text();
      if (res.statusCode !== 201)
        throw new Error(`seeding customer of order ${order.refNo} failed: ${res.statusCode} ${text}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return returning.length;
}
