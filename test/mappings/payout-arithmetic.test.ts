import { describe, expect, it } from 'vitest';
import { payoutFigures, type PayoutContent } from '../../mappings/payout-amounts.js';
import {
  buildPayoutEntry,
  depositBody,
  journalEntryBody,
  PayoutVarianceError,
  type PayoutEntry,
} from '../../mappings/payout-entry.js';
import { PayoutsConfigSchema } from '../../mappings/payout-config.js';
import type { Minor } from '../../mappings/money.js';
import type { PayoutLedgerView } from '../../mappings/payout-entry.js';

const cfg = PayoutsConfigSchema.parse({
  clearingAccounts: { USD: 201, EUR: 202 },
  clearingAccountDefault: 203,
  bankAccounts: { USD: 230, EUR: 231 },
  accounts: { commission: 240, chargebackFees: 241, vatWithheld: 242, reserve: 243, fxDifference: 244, variance: 245 },
  varianceTolerance: 2,
});

const payout = (over: Partial<PayoutContent>): PayoutContent => ({
  reference: 'NS-1',
  status: 'PAID',
  currency: 'USD',
  amount: '0',
  date: '2026-11-30',
  orders: [],
  refunds: [],
  chargebackFees: [],
  reserve: [],
  rates: {},
  ...over,
});

const byRole = (e: PayoutEntry) => {
  const out: Record<string, Minor> = {};
  for (const l of e.lines)
    out[l.role + (l.currency ? `:${l.currency}` : '')] =
      (out[l.role + (l.currency ? `:${l.currency}` : '')] ?? 0n) + l.amount;
  return out;
};
/** One NetSuite payment per currency: [amount in its currency, book value in USD] (clearing 201 / 202 / 203). */
const held = (per: Record<string, [Minor, Minor] | Minor>): PayoutLedgerView => ({
  documents: Object.entries(per).map(([currency, v]) => {
    const [foreign, book] = typeof v === 'bigint' ? [v, v] : v;
    return {
      refNo: `R-${currency}`,
      kind: 'sale' as const,
      externalId: `2co-pay-R-${currency}`,
      id: '1',
      account: currency === 'USD' ? '201' : currency === 'EUR' ? '202' : '203',
      currency,
      foreign,
      book,
    };
  }),
});
const balances = (e: PayoutEntry) => e.lines.reduce((a, l) => a + l.amount, 0n);

describe('payout arithmetic (minor units)', () => {
  it('one currency: bank = gross − commission exactly, clearing emptied, no variance', () => {
    const p = payout({
      amount: '186.18',
      orders: [
        { refNo: 'A', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' },
        { refNo: 'B', currency: 'USD', gross: '93.01', commission: '2.98', vatWithheld: '0' },
      ],
    });
    const fig = payoutFigures(p);
    expect(fig.expected).toBe(18618n);
    expect(fig.residue).toBe(0n);
    const entry = buildPayoutEntry(fig, held({ USD: 19301n }), cfg);
    expect(byRole(entry)).toEqual({ bank: 18618n, 'clearing:USD': -19301n, 'commission:USD': 683n });
    expect(entry.variance).toBe(0n);
    expect(balances(entry)).toBe(0n);
  });

  it('JPY orders paid out in USD: zero-decimal currency converted per component at 2Checkout rate, FX line for NetSuite book value', () => {
    const p = payout({
      amount: '64.47',
      rates: { JPY: '0.00667' },
      orders: [{ refNo: 'J1', currency: 'JPY', gross: '10000', commission: '335', vatWithheld: '0' }],
    });
    const fig = payoutFigures(p);
    const [b] = fig.buckets;
    expect(b!.converted.grossLessRefunds).toBe(6670n); // 10000 × 0.00667 = 66.70
    expect(b!.converted.commission).toBe(223n); // 335 × 0.00667 = 2.23445 → 2.23
    expect(fig.expected).toBe(6447n);
    // NetSuite booked the yen at 0.0067: 67.00 USD in clearing.
    const entry = buildPayoutEntry(fig, held({ JPY: [10000n, 6700n] }), cfg);
    expect(byRole(entry)).toEqual({
      bank: 6447n,
      'clearing:JPY': -6700n,
      'commission:JPY': 223n,
      'fxDifference:JPY': 30n,
    });
    expect(balances(entry)).toBe(0n);
  });

  it('two order currencies in one USD payout: each bucket converted on its own, EUR difference is FX', () => {
    const p = payout({
      amount: '1340.25',
      rates: { EUR: '1.0825' },
      orders: [
        { refNo: 'U1', currency: 'USD', gross: '200.00', commission: '7.35', vatWithheld: '0' },
        { refNo: 'E1', currency: 'EUR', gross: '1000.00', commission: '35.35', vatWithheld: '0' },
        { refNo: 'E2', currency: 'EUR', gross: '119.00', commission: '4.52', vatWithheld: '19.00' },
      ],
    });
    const fig = payoutFigures(p);
    const eur = fig.buckets.find((b) => b.currency === 'EUR')!;
    expect(eur.net).toBe(106013n); // 1119.00 − 39.87 − 19.00
    expect(eur.converted.grossLessRefunds).toBe(121132n); // 1119 × 1.0825 = 1211.3175
    expect(eur.converted.commission).toBe(4316n); // 39.87 × 1.0825 = 43.159
    expect(eur.converted.vat).toBe(2057n); // 19.00 × 1.0825 = 20.5675
    expect(fig.buckets[0]!.currency).toBe('USD');
    expect(fig.expected).toBe(19265n + 121132n - 4316n - 2057n);
    expect(fig.residue).toBe(1n);
    // NetSuite booked the euros at 1.08 (1208.52 USD).
    const entry = buildPayoutEntry(fig, held({ USD: 20000n, EUR: [111900n, 120852n] }), cfg);
    expect(byRole(entry)['fxDifference:EUR']).toBe(120852n - 121132n); // a gain: credit
    expect(byRole(entry)['vatWithheld:EUR']).toBe(2057n);
    expect(balances(entry)).toBe(0n);
    expect(entry.variance).toBe(-fig.residue);
  });

  it('reserve held in one payout and released in a later one', () => {
    const first = payoutFigures(
      payout({
        reference: 'P1',
        amount: '86.15',
        orders: [{ refNo: 'A', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' }],
        reserve: [{ kind: 'held', currency: 'USD', amount: '10.00' }],
      }),
    );
    expect(first.residue).toBe(0n);
    const e1 = buildPayoutEntry(first, held({ USD: 10000n }), cfg);
    expect(byRole(e1)['reserveHeld:USD']).toBe(1000n);

    const second = payoutFigures(
      payout({
        reference: 'P2',
        amount: '106.15',
        orders: [{ refNo: 'B', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' }],
        reserve: [{ kind: 'released', currency: 'USD', amount: '10.00' }],
      }),
    );
    expect(second.residue).toBe(0n);
    const e2 = buildPayoutEntry(second, held({ USD: 10000n }), cfg);
    expect(byRole(e2)['reserveReleased:USD']).toBe(-1000n);
    // Across both payouts the reserve account nets to zero.
    const reserve = [...e1.lines, ...e2.lines].filter((l) => l.account === '243').reduce((a, l) => a + l.amount, 0n);
    expect(reserve).toBe(0n);
  });

  it('chargeback fee and a refund inside the payout', () => {
    const p = payout({
      amount: '151.30',
      orders: [
        { refNo: 'A', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' },
        { refNo: 'B', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' },
      ],
      refunds: [{ refNo: 'A', currency: 'USD', amount: '25.00' }],
      chargebackFees: [{ refNo: 'B', currency: 'USD', amount: '16.00' }],
    });
    const fig = payoutFigures(p);
    expect(fig.residue).toBe(0n);
    // The refund already left the clearing account in NetSuite (customer refund): relieved back, 175.00 net.
    const docs: PayoutLedgerView = {
      documents: [
        {
          refNo: 'A',
          kind: 'sale',
          externalId: '2co-pay-A',
          id: '1',
          account: '201',
          currency: 'USD',
          foreign: 10000n,
          book: 10000n,
        },
        {
          refNo: 'B',
          kind: 'sale',
          externalId: '2co-pay-B',
          id: '2',
          account: '201',
          currency: 'USD',
          foreign: 10000n,
          book: 10000n,
        },
        {
          refNo: 'A',
          kind: 'refund',
          externalId: '2co-rf-A-1',
          id: '3',
          account: '201',
          currency: 'USD',
          foreign: 2500n,
          book: 2500n,
        },
      ],
    };
    const entry = buildPayoutEntry(fig, docs, cfg);
    expect(byRole(entry)).toEqual({
      bank: 15130n,
      'clearing:USD': -17500n,
      'commission:USD': 770n,
      'chargebackFees:USD': 1600n,
    });
  });

  it('a rounding residue within tolerance goes to the variance account; above it the payout parks with the figures', () => {
    const p = payout({
      amount: '96.16',
      orders: [{ refNo: 'A', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' }],
    });
    const entry = buildPayoutEntry(payoutFigures(p), held({ USD: 10000n }), cfg);
    expect(entry.variance).toBe(-1n);
    expect(entry.lines.at(-1)).toMatchObject({ role: 'variance', account: '245', amount: -1n });

    const off = payout({ amount: '97.15', orders: p.orders });
    expect(() => buildPayoutEntry(payoutFigures(off), held({ USD: 10000n }), cfg)).toThrow(PayoutVarianceError);
    try {
      buildPayoutEntry(payoutFigures(off), held({ USD: 10000n }), cfg);
    } catch (e) {
      expect((e as PayoutVarianceError).details.reason).toBe('PAYOUT_VARIANCE');
      expect((e as Error).message).toMatch(
        /received 97\.15 USD, its documents explain 96\.15 USD.*difference of -1\.00 USD is above the tolerance of 0\.02 USD/,
      );
    }
  });

  it('a missing rate or account is a clear error, not a guess', () => {
    expect(() =>
      payoutFigures(
        payout({ orders: [{ refNo: 'E', currency: 'EUR', gross: '1', commission: '0', vatWithheld: '0' }] }),
      ),
    ).toThrow(/gives no EUR→USD rate/);
    const noComm = PayoutsConfigSchema.parse({
      clearingAccounts: { USD: 201 },
      bankAccounts: { USD: 230 },
      varianceTolerance: 0,
    });
    const fig = payoutFigures(
      payout({
        amount: '96.15',
        orders: [{ refNo: 'A', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' }],
      }),
    );
    expect(() => buildPayoutEntry(fig, held({ USD: 10000n }), noComm)).toThrow(/needs accounts\.commission/);
  });

  it('journal and deposit bodies carry the same amounts as JSON numbers', () => {
    const fig = payoutFigures(
      payout({
        amount: '96.15',
        orders: [{ refNo: 'A', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' }],
      }),
    );
    const entry = buildPayoutEntry(fig, held({ USD: 10000n }), cfg);
    expect(entry.externalId).toBe('2co-payout-NS-1');
    const je = journalEntryBody(fig, entry, '2026-11-30', { currencyId: '1' }) as { line: { items: unknown[] } };
    expect(je.line.items).toEqual([
      { account: { id: '230' }, debit: 96.15, memo: expect.any(String) },
      { account: { id: '201' }, credit: 100, memo: expect.any(String) },
      { account: { id: '240' }, debit: 3.85, memo: expect.any(String) },
    ]);
    const dep = depositBody(fig, entry, '2026-11-30', { currencyId: '1' }) as Record<
      string,
      { items: Array<{ amount: number }> }
    >;
    expect(dep.account).toEqual({ id: '230' });
    expect(dep.other!.items.map((l) => l.amount)).toEqual([100]);
    expect(dep.cashback!.items.map((l) => l.amount)).toEqual([3.85]);
  });
});
