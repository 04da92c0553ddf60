import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  emptyModel,
  foldEvent,
  mayFollowEarlierRun,
  planNext,
  stepName,
  type OrderModel,
  type OrderSyncPolicy,
} from '../../workflows/order-state.js';
import { orderEvent } from '../support/events.js';

const ctx = { lookedUpRecords: false, disputeOutcomes: {} as Record<string, string> };

/** Runs the plan to completion as if every step succeeded, returning the step names. */
function drive(m: OrderModel, policy: OrderSyncPolicy = DEFAULT_POLICY, c = { ...ctx }) {
  const steps: string[] = [];
  for (let i = 0; i < 20; i++) {
    const p = planNext(m, policy, c);
    if (!p.next) return { steps, waiting: p.waiting };
    const name = stepName(p.next);
    steps.push(name);
    if (p.next.kind === 'findRecords') c.lookedUpRecords = true;
    else m.done.push(name);
    if (p.next.kind === 'invoice') m.records.invoiceId = 'inv';
    if (p.next.kind === 'salesOrder') m.records.salesOrderId = 'so';
    if (p.next.kind === 'cashSale') m.records.cashSaleId = 'cs';
    if (p.next.kind === 'dispute')
      c.disputeOutcomes[p.next.event.eventRef] = p.next.event.chargeback?.resolution === 'LOST' ? 'lost' : 'open';
  }
  throw new Error('plan did not settle');
}

describe('order state machine', () => {
  it('creates customer and sales order when the order is seen, invoice and payment once paid', () => {
    const m = emptyModel('1');
    foldEvent(m, orderEvent('1', 'PENDING'), DEFAULT_POLICY);
    expect(drive(m).steps).toEqual(['customer', 'salesOrder']);
    foldEvent(m, orderEvent('1', 'COMPLETE'), DEFAULT_POLICY);
    expect(drive(m).steps).toEqual(['invoice', 'payment']);
  });

  it('ignores a redelivered notification and never moves back on a late, older status', () => {
    const m = emptyModel('1');
    const complete = orderEvent('1', 'COMPLETE');
    expect(foldEvent(m, complete, DEFAULT_POLICY)).toBe('applied');
    expect(foldEvent(m, complete, DEFAULT_POLICY)).toBe('duplicate');
    expect(foldEvent(m, orderEvent('1', 'PENDING'), DEFAULT_POLICY)).toBe('stale');
    expect(m.status).toBe('COMPLETE');
  });

  it('in cash-sale mode posts nothing until paid, then customer and cash sale', () => {
    const policy: OrderSyncPolicy = { ...DEFAULT_POLICY, postingMode: 'cashSale' };
    const m = emptyModel('1');
    foldEvent(m, orderEvent('1', 'PAYMENT_AUTHORIZED'), policy);
    expect(drive(m, policy).steps).toEqual([]);
    foldEvent(m, orderEvent('1', 'COMPLETE'), policy);
    expect(drive(m, policy).steps).toEqual(['customer', 'cashSale']);
  });

  it('treats a configured status as paid (e.g. PAYMENT_RECEIVED for wire transfers)', () => {
    const policy: OrderSyncPolicy = { ...DEFAULT_POLICY, paidStatuses: ['COMPLETE', 'PAYMENT_RECEIVED'] };
    const m = emptyModel('1');
    foldEvent(m, orderEvent('1', 'PAYMENT_RECEIVED'), policy);
    expect(drive(m, policy).steps).toEqual(['customer', 'salesOrder', 'invoice', 'payment']);
  });

  it('a cancellation closes what exists and posts no invoice or payment afterwards', () => {
    const m = emptyModel('1');
    foldEvent(m, orderEvent('1', 'PENDING'), DEFAULT_POLICY);
    drive(m);
    foldEvent(m, orderEvent('1', 'CANCELED'), DEFAULT_POLICY);
    foldEvent(m, orderEvent('1', 'COMPLETE'), DEFAULT_POLICY);
    expect(drive(m).steps).toEqual(['close']);
  });

  it('a refund that arrives first looks up NetSuite, then waits for the invoice', () => {
    const m = emptyModel('1');
    foldEvent(m, orderEvent('1', 'REFUND', { messageId: 'r1' }), DEFAULT_POLICY);
    const r = drive(m);
    expect(r.steps).toEqual(['findRecords']);
    expect(r.waiting).toEqual([{ step: 'refund:r1', waitsFor: 'invoice' }]);
    foldEvent(m, orderEvent('1', 'COMPLETE'), DEFAULT_POLICY);
    expect(drive(m, DEFAULT_POLICY, { ...ctx, lookedUpRecords: true }).steps).toEqual([
      'customer',
      'salesOrder',
      'invoice',
      'payment',
      'refund:r1',
    ]);
  });

  it('each partial refund is its own step, keyed by its event', () => {
    const m = emptyModel('1');
    foldEvent(m, orderEvent('1', 'COMPLETE'), DEFAULT_POLICY);
    foldEvent(m, orderEvent('1', 'REFUND', { messageId: 'a' }), DEFAULT_POLICY);
    foldEvent(m, orderEvent('1', 'REFUND', { messageId: 'b' }), DEFAULT_POLICY);
    expect(drive(m).steps).toEqual(['customer', 'salesOrder', 'invoice', 'payment', 'refund:a', 'refund:b']);
  });

  it('a lost chargeback records the dispute, then refunds; an open one only records it', () => {
    const m = emptyModel('1');
    foldEvent(m, orderEvent('1', 'COMPLETE'), DEFAULT_POLICY);
    foldEvent(
      m,
      orderEvent('1', 'COMPLETE', { messageId: 'cb1', chargeback: { resolution: 'OPEN', reasonCode: 'FRAUD' } }),
      DEFAULT_POLICY,
    );
    foldEvent(
      m,
      orderEvent('1', 'COMPLETE', { messageId: 'cb2', chargeback: { resolution: 'LOST', reasonCode: 'FRAUD' } }),
      DEFAULT_POLICY,
    );
    expect(drive(m).steps).toEqual([
      'customer',
      'salesOrder',
      'invoice',
      'payment',
      'dispute:cb1',
      'dispute:cb2',
      'refund:cb2',
    ]);
  });
});

describe('mayFollowEarlierRun: when a fresh run must look its records up before writing', () => {
  const at = (saleDate: string, timezoneOffset?: string) => {
    const m = emptyModel('1');
    foldEvent(
      m,
      orderEvent('1', 'COMPLETE', {
        saleDate,
        ...(timezoneOffset ? { timezoneOffset } : { timezoneOffset: undefined }),
      }),
      DEFAULT_POLICY,
    );
    return m;
  };
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  it('a sale placed minutes ago starts the first run: no look-up (the healthy path keeps its call count)', () => {
    expect(mayFollowEarlierRun(at('2026-12-01 14:55:00', 'GMT+03:00'), DEFAULT_POLICY, now)).toBe(false);
  });
  it('a sale older than the first-run window may follow a closed run: look up', () => {
    expect(mayFollowEarlierRun(at('2026-12-01 13:30:00', 'GMT+03:00'), DEFAULT_POLICY, now)).toBe(true);
    expect(
      mayFollowEarlierRun(at('2026-12-01 11:59:00', 'GMT+00:00'), { ...DEFAULT_POLICY, idleClose: '30s' }, now),
    ).toBe(true);
  });
  it('no offset, no SALEDATE, or a money-back/void/unknown first event: look up', () => {
    expect(mayFollowEarlierRun(at('2026-12-01 11:55:00'), DEFAULT_POLICY, now)).toBe(true);
    const refund = emptyModel('1');
    foldEvent(refund, orderEvent('1', 'REFUND'), DEFAULT_POLICY);
    expect(mayFollowEarlierRun(refund, DEFAULT_POLICY, Date.now())).toBe(true);
    const noDate = emptyModel('1');
    foldEvent(noDate, orderEvent('1', 'COMPLETE', { saleDate: undefined }), DEFAULT_POLICY);
    expect(mayFollowEarlierRun(noDate, DEFAULT_POLICY, Date.now())).toBe(true);
  });
});
