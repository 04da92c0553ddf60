// "The previous tool" in tests: seeds both sandboxes with orders a template booked
// (sandbox/previous-tool.ts) and counts, per order, every record that books it — the tool's and the
// sync's — so a test can say "exactly one sales order per order" whoever made it.
import {
  PREVIOUS_TOOL_ADOPTION_MATCH,
  PREVIOUS_TOOL_MEMO,
  seedPreviousTool,
  type PreviousToolPlan,
  type PreviousToolOrder,
  type PreviousToolRecords,
} from '../../sandbox/previous-tool.js';
import { externalIds } from '../../mappings/ids.js';
import type { MappingConfig } from '../../mappings/config-schema.js';
import type { NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import type { CompletenessStack } from './completeness.js';
import { demoMappings } from './stack.js';

export type SeededOrder = PreviousToolOrder & { records?: PreviousToolRecords };

/** The demo mapping with the adoption rules that recognise the previous tool, and optional cut-over settings. */
export function mappingsWithAdoption(
  extra: Partial<Pick<MappingConfig, 'cutover'>> & { link?: 'auto' | 'mapping' } = {},
): MappingConfig {
  const base = demoMappings();
  return {
    ...base,
    adoption: {
      ...base.adoption,
      match: PREVIOUS_TOOL_ADOPTION_MATCH.map((m) => ({ ...m })),
      ...(extra.link ? { link: extra.link } : {}),
    },
    ...(extra.cutover ? { cutover: extra.cutover } : {}),
  };
}

export async function seedBoth(s: CompletenessStack, plan: PreviousToolPlan): Promise<SeededOrder[]> {
  return seedPreviousTool({
    ns: s.netsuite,
    config: s.mappings.current(),
    plan,
    record: async (input) => void s.api.store.recordIpn(input),
    concurrency: 4,
  });
}

const TOOL_KEYS: Record<string, string> = { salesOrder: 'so', invoice: 'inv', customerPayment: 'pay' };
const OWN_KEYS: Record<string, (r: string) => string> = {
  salesOrder: externalIds.salesOrder,
  invoice: externalIds.invoice,
  customerPayment: externalIds.customerPayment,
  cashSale: externalIds.cashSale,
};

/** Internal ids of every record of `type` that books order `ref`, made by the sync or by the previous tool. */
export function recordsBooking(
  sandbox: NetSuiteSandbox,
  type: 'salesOrder' | 'invoice' | 'customerPayment' | 'cashSale',
  ref: string,
): string[] {
  const toolMemo = PREVIOUS_TOOL_MEMO.replace('{refNo}', ref);
  return sandbox
    .records(type)
    .filter((r) => {
      const eid = String(r.externalId ?? '');
      const memo = String(r.memo ?? '');
      return (
        eid === OWN_KEYS[type]!(ref) ||
        eid === `tray-${TOOL_KEYS[type]}-${ref}` ||
        r.otherRefNum === ref ||
        memo === toolMemo ||
        memo === `Payment ${ref}` ||
        memo === `2Checkout ${ref}` ||
        memo.startsWith(`2Checkout order ${ref} `) ||
        memo === `2Checkout order ${ref}` ||
        memo.startsWith(`2Checkout payment ${ref} `)
      );
    })
    .map((r) => String(r.id));
}

/** Customers with the order's e-mail (the previous tool's and the sync's). */
export function customersOf(sandbox: NetSuiteSandbox, o: SeededOrder): string[] {
  const email = o.input.customer.email.toLowerCase();
  return sandbox
    .records('customer')
    .filter((c) => String(c.email ?? '').toLowerCase() === email)
    .map((c) => String(c.id));
}

/** [customers, sales orders, invoices, payments] booking the order. */
export function bookingCounts(sandbox: NetSuiteSandbox, o: SeededOrder): number[] {
  return [
    customersOf(sandbox, o).length,
    ...(['salesOrder', 'invoice', 'customerPayment'] as const).map((t) => recordsBooking(sandbox, t, o.refNo).length),
  ];
}
