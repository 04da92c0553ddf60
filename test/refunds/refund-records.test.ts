// Pure money-back builders: credit allocation against the NetSuite ledger (the invoice as posted,
// minus credits already posted from it), refund accounts, dispute classification, void decisions.
import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../mappings/canonical.js';
import type { MappingConfig } from '../../mappings/config-schema.js';
import { MappingError, OverRefundError } from '../../mappings/errors.js';
import { toMinor } from '../../mappings/money.js';
import {
  buildCashRefundTransform,
  buildCreditMemoTransform,
  buildCustomerRefundTransform,
  resolveRefundPayout,
} from '../../mappings/refund-records.js';
import { saleAsSourceDocument, type PriorCredit, type SourceDocument } from '../../mappings/credit-source.js';
import { classifyDispute, disputeFields, unknownDisputeDetails } from '../../mappings/dispute-fields.js';
import { decideInvoiceVoid, linesToClose } from '../../mappings/void-decisions.js';
import { planCredit, type CreditPlan } from '../../mappings/credit-plan.js';
import { configWith, demoConfig, line, order } from '../mappings/fixtures.js';

// Three lines, 20 % VAT, a discount on the first, shipping: paid 280.91 USD.
const sale = order({
  refNo: '555',
  lines: [
    line(0, { productCode: 'SOFT-PRO', unitPrice: '49.50', quantity: '2', discount: '9.90', vat: '17.82' }),
    line(1, { productCode: 'SUPPORT-1Y', unitPrice: '120.00', vat: '24.00' }),
    line(2, { productCode: 'SUB-ANNUAL', unitPrice: '19.99', vat: '4.00' }),
  ],
  totals: { general: '280.91', shipping: '5.00', shippingTax: '1.00' },
});

/** The invoice NetSuite holds for `sale`: the sales order lines our builder posted. */
function invoiceOf(o: OrderEvent, config: MappingConfig): SourceDocument {
  return { ...saleAsSourceDocument(o, config), id: '900', label: 'INV900', currencyId: '1' };
}

/** A credit memo as NetSuite shows it after we posted `plan`. */
function creditOf(id: string, plan: CreditPlan): PriorCredit {
  return {
    id,
    label: `CM${id}`,
    total: plan.amountMinor,
    lines: plan.lines.map((l) => ({
      item: l.item.id,
      amount: toMinor(l.amount.toFixed(2), 2),
      ...(l.description ? { description: l.description } : {}),
    })),
  };
}

const refundOfLines = (eventRef: string, lines: OrderEvent['lines'], general: string): OrderEvent => ({
  ...sale,
  status: 'REFUND',
  eventRef,
  key: `555|REFUND|${eventRef}`,
  lines,
  totals: { general, shipping: '0', shippingTax: '0' },
});
/** A refund IPN "of an amount": the sale's lines without amounts, and a negative total. */
const amountRefund = (eventRef: string, amount: string): OrderEvent =>
  refundOfLines(
    eventRef,
    sale.lines.map((l) => ({ ...l, unitPrice: '0', vat: '0', discount: '0', total: '0' })),
    `-${amount}`,
  );

const cents = (p: CreditPlan) => p.lines.reduce((s, l) => s + Math.round(l.amount * 100), 0);
const itemsOf = (p: CreditPlan) => p.lines.map((l) => [l.item.id, l.amount]);
const plan = (event: OrderEvent, prior: PriorCredit[] = [], config = demoConfig(), source = invoiceOf(sale, config)) =>
  planCredit({ event, source, prior, config, exponent: 2, what: `refund ${event.eventRef}` });

describe('three-decimal currencies', () => {
  it('lets the last of two KWD half refunds take what is left, so the credits add up to the sale exactly', () => {
    const kwdSale = order({
      currency: 'KWD',
      fx: { rate: '3.25', payoutCurrency: 'USD' },
      lines: [line(0, { productCode: 'SOFT-BASIC', unitPrice: '20.250' })],
      totals: { general: '20.250', shipping: '0', shippingTax: '0' },
    });
    const config = demoConfig();
    const invoice = { ...invoiceOf(kwdSale, config), currencyId: '5' };
    expect(invoice.total).toBe(2025n);
    const half = (eventRef: string): OrderEvent => ({ ...amountRefund(eventRef, '10.125'), currency: 'KWD' });
    const first = planCredit({ event: half('h1'), source: invoice, prior: [], config, exponent: 2, what: 'refund h1' });
    expect(first.amount).toBe('10.13');
    const second = planCredit({
      event: half('h2'),
      source: invoice,
      prior: [creditOf('cm1', first)],
      config,
      exponent: 2,
      what: 'refund h2',
    });
    expect(second.amount).toBe('10.12');
    // A third refund is a real over-refund.
    expect(() =>
      planCredit({
        event: half('h3'),
        source: invoice,
        prior: [creditOf('cm1', first), creditOf('cm2', second)],
        config,
        exponent: 2,
        what: 'refund h3',
      }),
    ).toThrow(OverRefundError);
  });
});

describe('credit allocation against the invoice', () => {
  it('a full refund credits every invoice line whole, with its quantity and price', () => {
    const config = demoConfig();
    const invoice = invoiceOf(sale, config);
    const full = refundOfLines(
      'full',
      sale.lines.map((l) => ({ ...l, unitPrice: `-${l.unitPrice}`, vat: `-${l.vat}`, discount: `-${l.discount}` })),
      '-280.91',
    );
    const p = planCredit({
      event: { ...full, totals: { general: '-280.91', shipping: '-5.00', shippingTax: '-1.00' } },
      source: invoice,
      prior: [],
      config,
      exponent: 2,
      what: 'refund full',
    });
    expect(p.method).toBe('byLine');
    expect(cents(p)).toBe(28091);
    expect(itemsOf(p)).toEqual(invoice.lines.map((l) => [l.item, Number(l.amount) / 100]));
    expect(p.lines[0]).toMatchObject({ item: { id: '101' }, quantity: 2, rate: 49.5, amount: 99, class: { id: '1' } });
  });

  it('credits the refunded product line itself when the refund IPN names it, then the next one against what is left', () => {
    const first = refundOfLines(
      'r1',
      [line(0, { productCode: 'SUPPORT-1Y', unitPrice: '-120.00', vat: '-24.00' })],
      '-144.00',
    );
    const p1 = plan(first);
    expect(p1.method).toBe('byLine');
    expect(itemsOf(p1)).toEqual([
      ['102', 120],
      ['113', 24],
    ]);
    expect(p1.creditableBefore).toBe('280.91');

    const second = refundOfLines(
      'r2',
      [line(0, { productCode: 'SOFT-PRO', unitPrice: '-49.50', quantity: '2', discount: '-9.90', vat: '-17.82' })],
      '-106.92',
    );
    const p2 = plan(second, [creditOf('1', p1)]);
    expect(itemsOf(p2)).toEqual([
      ['101', 99],
      ['110', -9.9],
      ['113', 17.82],
    ]);
    expect(p2.lines[0]).toMatchObject({ quantity: 2, rate: 49.5 });
    expect(cents(p2)).toBe(10692);
    expect(p2.creditableBefore).toBe('136.91');

    // The same line again: the header has room (136.91 − 106.92) but the line has nothing left.
    const again = refundOfLines(
      'r3',
      [line(0, { productCode: 'SUPPORT-1Y', unitPrice: '-10.00', vat: '-2.00' })],
      '-12.00',
    );
    expect(() => plan(again, [creditOf('1', p1), creditOf('2', p2)])).toThrow(
      /gives back 10\.00 USD on product \(line 2, Product SUPPORT-1Y\), but only 0\.00 is left/,
    );
  });

  it('puts a rounding cent on the credited line when no tax line can take it', () => {
    const suiteTax = configWith({ tax: { mode: 'none', description: 'x' } });
    // 3 × 33.33 = 99.99, but the shopper paid 100.00 (a cent of rounding, within tolerance).
    const noVat = order({
      refNo: '556',
      lines: [line(0, { productCode: 'SUPPORT-1Y', unitPrice: '33.33', quantity: '3' })],
      totals: { general: '100.00', shipping: '0', shippingTax: '0' },
    });
    const invoice = invoiceOf(noVat, suiteTax);
    expect(invoice.lines.map((l) => l.amount)).toEqual([10000n]);
    const refund: OrderEvent = {
      ...noVat,
      status: 'REFUND',
      eventRef: 'n1',
      lines: [line(0, { productCode: 'SUPPORT-1Y', unitPrice: '-33.33', quantity: '3' })],
      totals: { general: '-100.00', shipping: '0', shippingTax: '0' },
    };
    const p = planCredit({
      event: refund,
      source: invoice,
      prior: [],
      config: suiteTax,
      exponent: 2,
      what: 'refund n1',
    });
    expect(p.method).toBe('byLine');
    expect(itemsOf(p)).toEqual([['102', 100]]);
  });

  it('splits a refund of an amount pro rata over items, discount, tax and shipping, to the cent, and never past a part', () => {
    const p1 = plan(amountRefund('a1', '99.99'));
    expect(p1.method).toBe('proRata');
    expect(cents(p1)).toBe(9999);
    expect(p1.lines.find((l) => l.item.id === '110')!.amount).toBeLessThan(0);
    expect(p1.lines.find((l) => l.item.id === '101')).toMatchObject({ quantity: 1 });
    const p2 = plan(amountRefund('a2', '150.01'), [creditOf('1', p1)]);
    expect(cents(p2)).toBe(15001);
    // What is left (30.91) credits every part exactly to zero; one more cent is an over-refund.
    const p3 = plan(amountRefund('a3', '30.91'), [creditOf('1', p1), creditOf('2', p2)]);
    const invoice = invoiceOf(sale, demoConfig());
    for (const l of invoice.lines) {
      const credited = [p1, p2, p3]
        .flatMap((p) => p.lines)
        .filter((x) => x.item.id === l.item)
        .reduce((s, x) => s + Math.round(x.amount * 100), 0);
      expect(credited).toBe(Number(l.amount));
    }
    expect(() => plan(amountRefund('a4', '0.01'), [creditOf('1', p1), creditOf('2', p2), creditOf('3', p3)])).toThrow(
      OverRefundError,
    );
  });

  it('refuses more than remains refundable, saying how much and what is already credited', () => {
    const p1 = plan(amountRefund('a1', '200.00'));
    let err: unknown;
    try {
      plan(amountRefund('big', '100.00'), [creditOf('7', p1)]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OverRefundError);
    const details = (err as OverRefundError).details;
    expect(details.reason).toBe('OVER_REFUND');
    expect(details.message).toContain(
      'refund big of order 555 is 100.00 USD, but only 80.91 remains refundable on invoice INV900',
    );
    expect(details.message).toContain('CM7 200.00');
  });

  it('leaves VAT to NetSuite under tax.mode none but still gives it its share', () => {
    const suiteTax = configWith({ tax: { mode: 'none', description: 'x' } });
    const p = plan(amountRefund('a1', '100.00'), [], suiteTax);
    expect(p.lines.some((l) => l.item.id === '113')).toBe(false);
    const tax = p.shares.find((s) => s.kind === 'tax')!;
    expect(tax.posted).toBe(false);
    expect(tax.amount).toBeGreaterThan(0n);
    expect(cents(p) + Number(tax.amount)).toBe(10000);
    expect(p.postedTotal).not.toBe(p.amount);
  });

  it('refuses a credit in another currency than the invoice', () => {
    const eur = { ...amountRefund('a1', '10.00'), currency: 'EUR' };
    expect(() =>
      planCredit({
        event: eur,
        source: invoiceOf(sale, demoConfig()),
        prior: [],
        config: demoConfig(),
        exponent: 2,
        what: 'refund a1',
      }),
    ).toThrow(MappingError);
  });

  it('a void credits an explicit amount pro rata (the whole open invoice: every line whole)', () => {
    const invoice = invoiceOf(sale, demoConfig());
    const p = planCredit({
      event: { ...sale, status: 'CANCELED' },
      source: invoice,
      prior: [],
      config: demoConfig(),
      exponent: 2,
      amount: invoice.total,
      what: 'canceled order',
    });
    expect(itemsOf(p)).toEqual(invoice.lines.map((l) => [l.item, Number(l.amount) / 100]));
    expect(p.lines[0]).toMatchObject({ quantity: 2, rate: 49.5 });
  });
});

describe('refund bodies and accounts', () => {
  const refund = refundOfLines(
    'r1',
    [line(0, { productCode: 'SUPPORT-1Y', unitPrice: '-120.00', vat: '-24.00' })],
    '-144.00',
  );

  it('pays a refund out of the payment method account (per currency) with its payment option', () => {
    expect(resolveRefundPayout(refund, demoConfig(), 'refund')).toEqual({
      account: '201',
      field: 'paymentOption',
      paymentOption: '1',
      from: 'paymentMethods',
    });
    const own = configWith({ refunds: { ...demoConfig().refunds, accountByPaymentMethod: { CCVISAMC: '299' } } });
    expect(resolveRefundPayout(refund, own, 'refund')).toMatchObject({
      account: '299',
      paymentOption: '1',
      from: 'refunds.accountByPaymentMethod',
    });
  });

  it('pays a lost chargeback out of the chargeback account, and parks when none is configured', () => {
    expect(resolveRefundPayout(refund, demoConfig(), 'chargeback')).toEqual({
      account: '210',
      field: 'paymentOption',
      from: 'refunds.chargebackAccount',
    });
    const eur = configWith({ refunds: { ...demoConfig().refunds, chargebackAccountByCurrency: { EUR: '211' } } });
    expect(resolveRefundPayout({ ...refund, currency: 'EUR' }, eur, 'chargeback')).toMatchObject({
      account: '211',
      from: 'refunds.chargebackAccountByCurrency',
    });
    expect(resolveRefundPayout(refund, eur, 'chargeback')).toMatchObject({
      account: '210',
      from: 'refunds.chargebackAccount',
    });
    const { chargebackAccount: _none, ...rest } = demoConfig().refunds;
    expect(() => resolveRefundPayout(refund, configWith({ refunds: rest }), 'chargeback')).toThrow(
      /set refunds\.chargebackAccount/,
    );
  });

  it('keys credit memo, customer refund and cash refund by REFNO and eventRef', () => {
    const p = plan(refund);
    const cm = buildCreditMemoTransform(refund, p, demoConfig(), 'refund');
    expect(cm.externalId).toBe('2co-cm-555-r1');
    expect(cm.body).toMatchObject({
      externalId: '2co-cm-555-r1',
      otherRefNum: '555',
      tranDate: '2026-01-10',
      item: { items: p.lines },
      custbody_2co_refno: '555',
    });
    const rf = buildCustomerRefundTransform(refund, demoConfig(), 'chargeback');
    expect(rf.externalId).toBe('2co-rf-555-r1');
    expect(rf.body).toMatchObject({ account: { id: '210' } });
    expect(rf.body).not.toHaveProperty('paymentOption');
    const cr = buildCashRefundTransform(refund, p, demoConfig(), 'refund');
    expect(cr.body).toMatchObject({
      externalId: '2co-cm-555-r1',
      account: { id: '201' },
      paymentOption: { id: '1' },
      item: { items: p.lines },
    });
  });
});

describe('disputes', () => {
  const dispute = (resolution: string): OrderEvent => ({
    ...sale,
    chargeback: { resolution, reasonCode: 'FRAUD / NOT_RECOGNIZED' },
    ipnDate: '20260211093000',
  });

  it('classifies CHARGEBACK_RESOLUTION by the configured values, case-insensitively', () => {
    const c = demoConfig();
    expect(classifyDispute('OPEN', c)).toBe('open');
    expect(classifyDispute('won', c)).toBe('won');
    expect(classifyDispute('ACCEPTED', c)).toBe('lost');
    expect(classifyDispute('NONE', c)).toBe('none');
    expect(classifyDispute('REPRESENTED', c)).toBeUndefined();
    const details = unknownDisputeDetails(dispute('REPRESENTED'), c);
    expect(details.reason).toBe('UNKNOWN_DISPUTE_RESOLUTION');
    expect(details.message).toContain('"REPRESENTED"');
    expect(details.message).toContain('refunds.chargebackResolutions');
  });

  it('writes resolution, reason code and date to the dispute field and the memo', () => {
    expect(disputeFields(dispute('won'), demoConfig())).toEqual({
      memo: '2Checkout order 555 · chargeback WON (FRAUD / NOT_RECOGNIZED) 2026-02-11',
      custbody_2co_dispute: 'WON (FRAUD / NOT_RECOGNIZED) 2026-02-11',
    });
    const { disputeField: _f, ...noField } = demoConfig().refunds;
    expect(Object.keys(disputeFields(dispute('OPEN'), configWith({ refunds: noField })))).toEqual(['memo']);
  });
});

describe('voids', () => {
  const voided: OrderEvent = { ...sale, status: 'REVERSED' };
  const invoice = { label: 'INV9', total: 28091n, remaining: 28091n };

  it('credits an unpaid invoice for what is open', () => {
    expect(decideInvoiceVoid({ event: voided, invoice, credited: 0n, exponent: 2 })).toEqual({
      action: 'credit',
      amount: 28091n,
    });
    expect(
      decideInvoiceVoid({ event: voided, invoice: { ...invoice, remaining: 8091n }, credited: 20000n, exponent: 2 }),
    ).toEqual({ action: 'credit', amount: 8091n });
  });

  it('parks a void of a paid invoice, telling finance a REFUND IPN is expected', () => {
    const d = decideInvoiceVoid({
      event: voided,
      invoice: { ...invoice, remaining: 0n },
      credited: 0n,
      paymentId: '77',
      exponent: 2,
    });
    expect(d.action).toBe('park');
    if (d.action !== 'park') return;
    expect(d.details.reason).toBe('PAID_ORDER_VOIDED');
    expect(d.details.message).toContain('REVERSED');
    expect(d.details.message).toContain('REFUND IPN');
    expect(d.details.message).toContain('payment 77');
  });

  it('does nothing to an invoice that is credited in full already', () => {
    expect(
      decideInvoiceVoid({
        event: voided,
        invoice: { ...invoice, remaining: 0n },
        credited: 28091n,
        paymentId: '77',
        exponent: 2,
      }).action,
    ).toBe('none');
  });

  it('closes the open, unbilled sales order lines only', () => {
    expect(
      linesToClose([
        { line: 1, quantity: 2, quantityBilled: 0 },
        { line: 2, quantity: 1, quantityBilled: 1 },
        { line: 3, quantity: 1, isClosed: true },
        { line: 4 },
      ]),
    ).toEqual([
      { line: 1, isClosed: true },
      { line: 4, isClosed: true },
    ]);
  });
});
