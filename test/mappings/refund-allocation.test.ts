import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../mappings/canonical.js';
import { OverRefundError } from '../../mappings/errors.js';
import { allocateRefund } from '../../mappings/refund-allocation.js';
import type { NsItemLine } from '../../mappings/sale-records.js';
import { configWith, demoConfig, line, order } from './fixtures.js';

const cents = (lines: NsItemLine[]) => lines.reduce((s, l) => s + Math.round(l.amount * 100), 0);

// Three lines, 20 % VAT, a discount on the first, shipping: paid 280.91 EUR.
const sale = order({
  refNo: '555',
  currency: 'EUR',
  fx: { rate: '1.08', payoutCurrency: 'USD' },
  lines: [
    line(0, { productCode: 'SOFT-PRO', unitPrice: '49.50', quantity: '2', discount: '9.90', vat: '17.82' }),
    line(1, { productCode: 'SUPPORT-1Y', unitPrice: '120.00', vat: '24.00' }),
    line(2, { productCode: 'SUB-ANNUAL', unitPrice: '19.99', vat: '4.00' }),
  ],
  totals: { general: '280.91', shipping: '5.00', shippingTax: '1.00' },
});

/** A refund IPN "of an amount": the sale's lines without amounts, and a negative total. */
const amountRefund = (eventRef: string, amount: string): OrderEvent => ({
  ...sale,
  status: 'REFUND',
  eventRef,
  key: `555|REFUND|${eventRef}`,
  lines: sale.lines.map((l) => ({ ...l, unitPrice: '0', vat: '0', discount: '0', total: '0' })),
  totals: { general: `-${amount}`, shipping: '0', shippingTax: '0' },
});

describe('refund allocation', () => {
  it('allocates a refund of an amount pro rata over items, discount, tax and shipping, to the cent', () => {
    const a = allocateRefund({ sale, refund: amountRefund('r1', '100.00'), config: demoConfig() });
    expect(a.method).toBe('proRata');
    expect(a.amount).toBe('100.00');
    expect(cents(a.lines)).toBe(10000);
    expect(a.postedTotal).toBe('100.00');
    const byItem = Object.fromEntries(a.lines.map((l) => [l.item.id, l.amount]));
    expect(Object.keys(byItem).sort()).toEqual(['101', '102', '105', '110', '111', '113']);
    expect(byItem['110']).toBeLessThan(0);
    // the support line is 120.00 of the 280.91 paid: 42.72 of a 100.00 refund
    expect(byItem['102']).toBeGreaterThan(42);
    expect(byItem['102']).toBeLessThan(43);
  });

  it('two partial refunds on a three-line order sum exactly and never exceed a part', () => {
    const first = amountRefund('r1', '99.99');
    const second = amountRefund('r2', '150.01');
    const a1 = allocateRefund({ sale, refund: first, config: demoConfig() });
    const a2 = allocateRefund({ sale, refund: second, previousRefunds: [first], config: demoConfig() });
    expect(cents(a1.lines)).toBe(9999);
    expect(cents(a2.lines)).toBe(15001);
    const saleParts = new Map([['line:0', 9900n], ['discount:0', -990n], ['line:1', 12000n], ['line:2', 1999n], ['tax', 4682n], ['shipping', 500n]]);
    for (const [key, total] of saleParts) {
      const refunded = (a1.shares.find((s) => s.key === key)?.amount ?? 0n) + (a2.shares.find((s) => s.key === key)?.amount ?? 0n);
      expect(total >= 0n ? refunded <= total && refunded >= 0n : refunded >= total && refunded <= 0n).toBe(true);
    }
    // The rest of the order can still be refunded exactly, and not a cent more.
    const rest = amountRefund('r3', '30.91');
    const a3 = allocateRefund({ sale, refund: rest, previousRefunds: [first, second], config: demoConfig() });
    for (const [key, total] of saleParts) {
      const all = [a1, a2, a3].reduce((s, a) => s + (a.shares.find((x) => x.key === key)?.amount ?? 0n), 0n);
      expect(all).toBe(total);
    }
    expect(() => allocateRefund({ sale, refund: amountRefund('r4', '0.01'), previousRefunds: [first, second, rest], config: demoConfig() })).toThrow(OverRefundError);
  });

  it('credits the refunded product line itself when the refund IPN names it', () => {
    const support: OrderEvent = {
      ...sale,
      status: 'REFUND',
      eventRef: 'r9',
      lines: [line(1, { productCode: 'SUPPORT-1Y', unitPrice: '-120.00', vat: '-24.00' })],
      totals: { general: '-144.00', shipping: '0', shippingTax: '0' },
    };
    const a = allocateRefund({ sale, refund: support, config: demoConfig() });
    expect(a.method).toBe('byLine');
    expect(a.lines.map((l) => [l.item.id, l.amount])).toEqual([
      ['102', 120],
      ['113', 24],
    ]);
    expect(a.lines[0]).toMatchObject({ quantity: 1, rate: 120 });
    const again: OrderEvent = {
      ...support,
      eventRef: 'r10',
      lines: [line(1, { productCode: 'SUPPORT-1Y', unitPrice: '-60.00', vat: '-12.00' })],
      totals: { general: '-72.00', shipping: '0', shippingTax: '0' },
    };
    expect(() => allocateRefund({ sale, refund: again, previousRefunds: [support], config: demoConfig() })).toThrow(
      /gives back 60\.00 EUR on product \(line 2, SUPPORT-1Y\) but only 0\.00 is left on it/,
    );
  });

  it('refuses a refund larger than what is left', () => {
    const e = (() => {
      try {
        allocateRefund({ sale, refund: amountRefund('big', '300.00'), config: demoConfig() });
      } catch (err) {
        return err as OverRefundError;
      }
      throw new Error('expected OverRefund');
    })();
    expect(e.failureType).toBe('OverRefund');
    expect(e.details.reason).toBe('OVER_REFUND');
  });

  it('leaves VAT off the credit memo lines under tax.mode none but still allocates it', () => {
    const suiteTax = configWith({ tax: { mode: 'none', description: 'x' } });
    const a = allocateRefund({ sale, refund: amountRefund('r1', '100.00'), config: suiteTax });
    expect(a.lines.some((l) => l.item.id === '113')).toBe(false);
    const vatShare = a.shares.find((s) => s.kind === 'tax')!.amount;
    expect(vatShare).toBeGreaterThan(0n);
    expect(cents(a.lines) + Number(vatShare)).toBe(10000);
  });
});
