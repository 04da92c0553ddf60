// `!transform` (#ns-records): builds the target record a transform starts from, copied from the source
// the way NetSuite does, before the request body is merged onto it. The pairs are those of
// REST 2026.1 that the sync needs (#ns-records table); others answer 400.
import { precisionOf } from './currencies.js';
import { invalidRequest, userError } from './errors.js';
import { fromMinor, toMinor } from './money.js';
import { remainingOn, unbilledLines } from './transactions.js';
import type { RecordStore } from './store.js';
import { clone, linesOf, num, ref, refId, type Fields, type Rec } from './values.js';

const SUPPORTED: Record<string, string[]> = {
  salesOrder: ['invoice', 'cashSale'],
  invoice: ['customerPayment', 'creditMemo'],
  creditMemo: ['customerRefund'],
  customerPayment: ['customerRefund'],
  cashSale: ['cashRefund'],
};

/** Header fields a sales document carries over to the document made from it. */
const COPIED_HEADER = [
  'entity',
  'currency',
  'exchangeRate',
  'subsidiary',
  'location',
  'department',
  'class',
  'otherRefNum',
  'memo',
  'terms',
  'salesRep',
];
const COPIED_LINE = [
  'item',
  'rate',
  'description',
  'taxCode',
  'isTaxable',
  'revRecStartDate',
  'revRecEndDate',
  'revRecTermInMonths',
  'location',
  'department',
  'class',
  'price',
];

function copyFields(from: Fields, names: string[]): Fields {
  const out: Fields = {};
  for (const n of names) if (from[n] !== undefined) out[n] = clone(from[n]);
  for (const [k, v] of Object.entries(from)) if (k.startsWith('custbody_') && v !== undefined) out[k] = clone(v);
  return out;
}

function copyLine(line: Fields, lineNo: number): Fields {
  const out: Fields = { line: lineNo };
  for (const n of COPIED_LINE) if (line[n] !== undefined) out[n] = clone(line[n]);
  for (const [k, v] of Object.entries(line)) if (k.startsWith('custcol_') && v !== undefined) out[k] = clone(v);
  return out;
}

/** The target record before the body is applied. Throws when the source cannot be transformed. */
export function transformDraft(store: RecordStore, srcType: string, src: Rec, target: string): Fields {
  if (!SUPPORTED[srcType]?.includes(target)) {
    throw invalidRequest(
      `The transformation of a ${srcType} record into a ${target} record is not supported by this server.`,
    );
  }
  const ref0 = ref(src.id);
  const p = precisionOf(store, refId(src.currency));
  switch (`${srcType}->${target}`) {
    case 'salesOrder->invoice':
    case 'salesOrder->cashSale': {
      const lines = linesOf(src, 'item');
      if (lines.length > 0 && lines.every((l) => l.isClosed === true))
        throw userError('This sales order is closed; it cannot be billed.');
      const status = src.status as Fields | undefined;
      if (status?.id === 'A') throw userError('This sales order is pending approval; approve it before billing it.');
      const open = unbilledLines(src);
      if (open.length === 0)
        throw userError('This sales order has been billed in full; there is nothing left to bill.');
      const hasBill = store.childrenOf(src.id).some((c) => c.type === 'invoice' || c.type === 'cashSale');
      const draft = copyFields(src, COPIED_HEADER);
      // Shipping and handling are billed once, on the first bill of the order.
      if (!hasBill) for (const f of ['shippingCost', 'handlingCost']) if (src[f] !== undefined) draft[f] = src[f];
      draft.createdFrom = ref0;
      draft.item = {
        items: open.map(({ line, quantity }, i) => {
          const copy = copyLine(line, i + 1);
          copy.quantity = quantity;
          copy.orderLine = line.line;
          // The full line keeps its (possibly overridden) amount; a partial one is re-priced.
          if (quantity === num(line.quantity) && typeof line.amount === 'number') copy.amount = line.amount;
          return copy;
        }),
      };
      return draft;
    }
    case 'invoice->customerPayment': {
      const remaining = remainingOn(store, 'invoice', src, undefined, p);
      if (remaining <= 0n) throw userError('This invoice is paid in full; there is nothing left to pay.');
      const draft = copyFields(src, ['currency', 'exchangeRate', 'subsidiary', 'department', 'class', 'location']);
      draft.customer = clone(src.entity);
      draft.apply = { items: [{ doc: ref0, apply: true }] };
      return draft;
    }
    case 'invoice->creditMemo': {
      const draft = copyFields(src, COPIED_HEADER);
      draft.createdFrom = ref0;
      draft.item = {
        items: linesOf(src, 'item').map((l, i) => ({ ...copyLine(l, i + 1), quantity: l.quantity, amount: l.amount })),
      };
      for (const f of ['shippingCost', 'handlingCost']) if (src[f] !== undefined) draft[f] = src[f];
      // Applied to the invoice only up to what it still owes; the rest stays unapplied.
      if (remainingOn(store, 'invoice', src, undefined, p) > 0n) draft.apply = { items: [{ doc: ref0, apply: true }] };
      return draft;
    }
    case 'creditMemo->customerRefund':
    case 'customerPayment->customerRefund': {
      const remaining = remainingOn(store, srcType, src, undefined, p);
      if (remaining <= 0n) {
        throw userError(
          `This ${srcType === 'creditMemo' ? 'credit memo' : 'payment'} has no amount remaining to refund (${fromMinor(0n, p).toFixed(p)}).`,
        );
      }
      const draft = copyFields(src, ['currency', 'exchangeRate', 'subsidiary', 'department', 'class', 'location']);
      draft.customer = clone(srcType === 'creditMemo' ? src.entity : src.customer);
      draft.apply = { items: [{ doc: ref0, apply: true }] };
      return draft;
    }
    case 'cashSale->cashRefund': {
      let refunded = 0n;
      for (const c of store.childrenOf(src.id))
        if (c.type === 'cashRefund') refunded += toMinor(num(c.record.total), p);
      if (refunded >= toMinor(num(src.total), p))
        throw userError('This cash sale has been refunded in full; there is nothing left to refund.');
      const draft = copyFields(src, [...COPIED_HEADER, 'account', 'paymentOption']);
      draft.createdFrom = ref0;
      draft.item = {
        items: linesOf(src, 'item').map((l, i) => ({ ...copyLine(l, i + 1), quantity: l.quantity, amount: l.amount })),
      };
      return draft;
    }
    default:
      throw invalidRequest(
        `The transformation of a ${srcType} record into a ${target} record is not supported by this server.`,
      );
  }
}
