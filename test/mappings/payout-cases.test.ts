// Issue 23: the payout cases an accountant computes by hand, each on the pure functions
// (mappings/payout-amounts.ts, payout-ledger.ts, payout-entry.ts, payout-revision.ts). Amounts in
// minor units (cents); debits positive. Every figure below is worked out in the comment beside it.
import { describe, expect, it } from 'vitest';
import { payoutFigures, type PayoutContent } from '../../mappings/payout-amounts.js';
import {
  buildPayoutEntry,
  depositBody,
  payoutRecordType,
  PayoutVarianceError,
  type PayoutEntry,
  type PayoutLine,
} from '../../mappings/payout-entry.js';
import {
  coveredDocuments,
  PayoutLedgerError,
  type CoveredDocument,
  type LedgerDocument,
  type LedgerRules,
} from '../../mappings/payout-ledger.js';
import { reserveReleasedBook } from '../../mappings/payout-reserve.js';
import { revisionLines, revisionReason, type PostedLine } from '../../mappings/payout-revision.js';
import { PayoutsConfigSchema } from '../../mappings/payout-config.js';
import { MappingError } from '../../mappings/errors.js';

const cfg = PayoutsConfigSchema.parse({
  clearingAccounts: { USD: 201, EUR: 202 },
  bankAccounts: { USD: 230, EUR: 231 },
  accounts: {
    commission: 240,
    chargebackFees: 241,
    vatWithheld: 242,
    reserve: 243,
    fxDifference: 244,
    variance: 245,
    receivable: 246,
    disputeHold: 247,
  },
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
const order = (refNo: string, currency: string, gross: string, commission: string) => ({
  refNo,
  currency,
  gross,
  commission,
  vatWithheld: '0',
});
const doc = (
  refNo: string,
  kind: 'sale' | 'refund',
  account: string,
  currency: string,
  foreign: bigint,
  book = foreign,
): CoveredDocument => ({
  refNo,
  kind,
  account,
  currency,
  foreign,
  book,
  id: `${refNo}-${kind}`,
  externalId: kind === 'sale' ? `2co-pay-${refNo}` : `2co-rf-${refNo}-CB1`,
});
const onAccount = (e: PayoutEntry, account: string) =>
  e.lines.filter((l) => l.account === account).reduce((a, l) => a + l.amount, 0n);
const balance = (lines: readonly PayoutLine[]) => lines.reduce((a, l) => a + l.amount, 0n);
const role = (e: PayoutEntry, r: string) => e.lines.filter((l) => l.role === r).reduce((a, l) => a + l.amount, 0n);

describe('issue 23, case 1: a lost chargeback is relieved from the chargeback account, and dispute holds have their own lines', () => {
  it('the chargeback refund paid from 210 is debited back to 210, the payment credited out of 201; the negative rest goes on the 2Checkout balance', () => {
    // A 100.00 sits in clearing 201; the chargeback refund 100.00 was paid from refunds.chargebackAccount 210.
    // 2Checkout pays A (100.00, commission 3.85), deducts the chargeback 100.00 and a 15.00 fee: −18.85.
    const p = payout({
      amount: '-18.85',
      orders: [order('A', 'USD', '100.00', '3.85')],
      refunds: [{ refNo: 'A', currency: 'USD', amount: '100.00' }],
      chargebackFees: [{ refNo: 'A', currency: 'USD', amount: '15.00' }],
    });
    const entry = buildPayoutEntry(
      payoutFigures(p),
      { documents: [doc('A', 'sale', '201', 'USD', 10000n), doc('A', 'refund', '210', 'USD', 10000n)] },
      cfg,
    );
    expect(onAccount(entry, '201')).toBe(-10000n); // Cr 201 100.00: the payment leaves clearing
    expect(onAccount(entry, '210')).toBe(10000n); // Dr 210 100.00: the chargeback account is relieved
    expect(onAccount(entry, '240')).toBe(385n);
    expect(onAccount(entry, '241')).toBe(1500n);
    expect(onAccount(entry, '230')).toBe(0n); // no bank credit: 2Checkout withdraws nothing
    expect(onAccount(entry, '246')).toBe(-1885n); // we owe 2Checkout 18.85 until a later payout deducts it
    expect(entry.variance).toBe(0n);
    expect(balance(entry.lines)).toBe(0n);
  });

  it('the refund document in the chargeback account is accepted by the ledger check (refunds.chargebackAccount is a refund account)', () => {
    const p = payout({
      amount: '-18.85',
      orders: [order('A', 'USD', '100.00', '3.85')],
      refunds: [{ refNo: 'A', currency: 'USD', amount: '100.00' }],
      chargebackFees: [{ refNo: 'A', currency: 'USD', amount: '15.00' }],
    });
    const covered = coveredDocuments(
      p,
      [ledgerDoc('A', 'sale', '201', 'USD', '100.00'), ledgerDoc('A', 'refund', '210', 'USD', '100.00')],
      rules(),
    );
    expect(covered.documents.map((d) => [d.externalId, d.account, d.book])).toEqual([
      ['2co-pay-A', '201', 10000n],
      ['2co-rf-A-CB1', '210', 10000n],
    ]);
  });

  it('the amount 2Checkout holds while the dispute is open goes to the dispute-hold account, and leaves it when released', () => {
    // Payout 1: A 100.00 paid, a dispute opened on it: 2Checkout holds 100.00 → bank 100 − 3.85 − 100 − 15 = −18.85.
    const held = payout({
      reference: 'P1',
      amount: '-18.85',
      orders: [order('A', 'USD', '100.00', '3.85')],
      chargebackFees: [{ currency: 'USD', amount: '15.00' }],
      disputes: [{ kind: 'held', currency: 'USD', amount: '100.00' }],
    });
    const e1 = buildPayoutEntry(payoutFigures(held), { documents: [doc('A', 'sale', '201', 'USD', 10000n)] }, cfg);
    expect(onAccount(e1, '247')).toBe(10000n);
    // Payout 2: the dispute won: 2Checkout releases the 100.00 and pays B 50.00 (commission 2.10): 147.90.
    const released = payout({
      reference: 'P2',
      amount: '147.90',
      orders: [order('B', 'USD', '50.00', '2.10')],
      disputes: [{ kind: 'released', currency: 'USD', amount: '100.00' }],
    });
    const e2 = buildPayoutEntry(payoutFigures(released), { documents: [doc('B', 'sale', '201', 'USD', 5000n)] }, cfg);
    expect(onAccount(e2, '247')).toBe(-10000n);
    expect(onAccount(e1, '247') + onAccount(e2, '247')).toBe(0n);
    expect(balance(e2.lines)).toBe(0n);
  });
});

describe('issue 23, case 2: a difference between 2Checkout and NetSuite in a foreign currency is not FX', () => {
  it('EUR 105.91 at 2Checkout against a €100.00 payment in NetSuite parks PAYOUT_VARIANCE naming the €5.91', () => {
    // NetSuite: €100.00 at 1.0845 = 108.45 USD. 2Checkout: gross €105.91, commission €4.06, net €101.85 × 1.0825 = 110.25.
    const p = payout({ amount: '110.25', rates: { EUR: '1.0825' }, orders: [order('E', 'EUR', '105.91', '4.06')] });
    const build = () =>
      buildPayoutEntry(payoutFigures(p), { documents: [doc('E', 'sale', '202', 'EUR', 10000n, 10845n)] }, cfg);
    expect(build).toThrow(PayoutVarianceError);
    expect(build).toThrow(
      /EUR gross less refunds is 105\.91 EUR but NetSuite's documents hold 100\.00 EUR \(5\.91 EUR apart\)/,
    );
  });

  it('the same gap in USD parks too', () => {
    const p = payout({ amount: '102.06', orders: [order('U', 'USD', '105.91', '3.85')] });
    expect(() =>
      buildPayoutEntry(payoutFigures(p), { documents: [doc('U', 'sale', '201', 'USD', 10000n)] }, cfg),
    ).toThrow(/5\.91 USD apart/);
  });

  it('with the amounts agreeing, only the rate difference is FX', () => {
    // €100.00 booked at 1.0845 (108.45); 2Checkout: €100.00 − €3.85 = €96.15 × 1.0825 = 104.08 (104.082375).
    const p = payout({ amount: '104.08', rates: { EUR: '1.0825' }, orders: [order('E', 'EUR', '100.00', '3.85')] });
    const entry = buildPayoutEntry(
      payoutFigures(p),
      { documents: [doc('E', 'sale', '202', 'EUR', 10000n, 10845n)] },
      cfg,
    );
    // commission 3.85 × 1.0825 = 4.17; FX = 108.45 − 4.17 − 104.08 = 0.20 (a loss: NetSuite booked more)
    expect(role(entry, 'fxDifference')).toBe(20n);
    expect(entry.variance).toBe(0n);
  });
});

describe('issue 23, case 3: a reserve held in EUR is relieved at its booked value', () => {
  it('€10.00 held at 1.0825 (10.83) and released at 1.1000 (11.00): the reserve account ends at zero, 0.17 goes to FX', () => {
    // Payout 1: €100.00 (commission €3.85) booked at 1.0845; €10.00 held; net €86.15 × 1.0825 = 93.26 (93.257375).
    const first = payout({
      reference: 'P1',
      amount: '93.26',
      rates: { EUR: '1.0825' },
      orders: [order('A', 'EUR', '100.00', '3.85')],
      reserve: [{ kind: 'held', currency: 'EUR', amount: '10.00' }],
    });
    const e1 = buildPayoutEntry(
      payoutFigures(first),
      { documents: [doc('A', 'sale', '202', 'EUR', 10000n, 10845n)] },
      cfg,
    );
    expect(onAccount(e1, '243')).toBe(1083n); // 10.00 × 1.0825 = 10.825 → 10.83
    // Payout 2: €100.00 (commission €3.85) booked at 1.0845, the €10.00 released; net €106.15 × 1.10 = 116.77 (116.765).
    const second = payout({
      reference: 'P2',
      amount: '116.77',
      rates: { EUR: '1.1000' },
      orders: [order('B', 'EUR', '100.00', '3.85')],
      reserve: [{ kind: 'released', currency: 'EUR', amount: '10.00', heldIn: 'P1', heldRate: '1.0825' }],
    });
    const fig = payoutFigures(second);
    const booked = reserveReleasedBook(second, fig.exponentOf);
    expect(booked).toEqual({ EUR: 1083n });
    const e2 = buildPayoutEntry(
      fig,
      { documents: [doc('B', 'sale', '202', 'EUR', 10000n, 10845n)], reserveReleasedBook: booked },
      cfg,
    );
    expect(onAccount(e2, '243')).toBe(-1083n);
    expect(onAccount(e1, '243') + onAccount(e2, '243')).toBe(0n);
    // FX: payment 108.45 booked vs 110.00 at 1.10 (gain 1.55), reserve 10.83 vs 11.00 (gain 0.17),
    // commission converted on its own 4.24 vs within the net (rounding 0.01): −1.73 in all.
    expect(role(e2, 'fxDifference')).toBe(-173n);
    expect(balance(e2.lines)).toBe(0n);
  });

  it("a release without the rate it was held at is valued at this payout's rate (the report says so)", () => {
    const p = payout({ rates: { EUR: '1.1000' }, reserve: [{ kind: 'released', currency: 'EUR', amount: '10.00' }] });
    expect(reserveReleasedBook(p, payoutFigures(p).exponentOf)).toEqual({});
  });
});

describe('issue 23, case 4: a payout in the order currency into a subsidiary with another base currency', () => {
  it('parks PAYOUT_UNSUPPORTED instead of leaving the booked base value in the clearing account', () => {
    // A EUR order booked in the USD subsidiary (1), paid out in EUR, posted in subsidiary 1.
    const p = payout({ currency: 'EUR', amount: '96.15', orders: [order('E', 'EUR', '100.00', '3.85')] });
    const r = rules({ payoutCurrency: 'EUR', payoutSubsidiary: '1' });
    expect(() => coveredDocuments(p, [ledgerDoc('E', 'sale', '202', 'EUR', '100.00', '108.45', '1')], r)).toThrow(
      MappingError,
    );
    try {
      coveredDocuments(p, [ledgerDoc('E', 'sale', '202', 'EUR', '100.00', '108.45', '1')], r);
    } catch (e) {
      expect((e as MappingError).details.reason).toBe('PAYOUT_UNSUPPORTED');
      expect((e as Error).message).toMatch(
        /paid in EUR and posts in subsidiary 1, whose base currency is USD.*booked at 108\.45 USD/,
      );
    }
  });
});

describe('issue 23, case 5: the documents explain what 2Checkout computes (each currency net converted once)', () => {
  it('EUR, GBP and CAD nets converted once explain 238.97; the component rounding goes to FX, nothing parks', () => {
    // EUR 80.07 − 2.56 = 77.51 × 1.0825 = 83.90 (83.904575); component by component 86.68 − 2.77 = 83.91
    // GBP 80.07 − 2.71 = 77.36 × 1.2710 = 98.32 (98.32456);  component by component 101.77 − 3.44 = 98.33
    // CAD 80.35 − 2.50 = 77.85 × 0.7290 = 56.75 (56.75265);  component by component 58.58 − 1.82 = 56.76
    // 2Checkout pays 238.97; converting component by component explains 239.00 (0.03 > 0.02: a false park).
    const p = payout({
      amount: '238.97',
      rates: { EUR: '1.0825', GBP: '1.2710', CAD: '0.7290' },
      orders: [
        order('E', 'EUR', '80.07', '2.56'),
        order('G', 'GBP', '80.07', '2.71'),
        order('C', 'CAD', '80.35', '2.50'),
      ],
    });
    const fig = payoutFigures(p);
    expect(fig.expected).toBe(23897n);
    expect(fig.residue).toBe(0n);
    // NetSuite's book values: EUR at 1.08 = 86.48, GBP at 1.27 = 101.69, CAD at 0.73 = 58.66.
    const entry = buildPayoutEntry(
      fig,
      {
        documents: [
          doc('E', 'sale', '202', 'EUR', 8007n, 8648n),
          doc('G', 'sale', '203', 'GBP', 8007n, 10169n),
          doc('C', 'sale', '203', 'CAD', 8035n, 5866n),
        ],
      },
      cfg,
    );
    expect(entry.variance).toBe(0n);
    const fx = Object.fromEntries(
      entry.lines.filter((l) => l.role === 'fxDifference').map((l) => [l.currency, l.amount]),
    );
    // FX_C = book − converted commission − the net converted once:
    // EUR 86.48 − 2.77 − 83.90 = −0.19; GBP 101.69 − 3.44 − 98.32 = −0.07; CAD 58.66 − 1.82 − 56.75 = 0.09
    expect(fx).toEqual({ EUR: -19n, GBP: -7n, CAD: 9n });
    expect(balance(entry.lines)).toBe(0n);
  });
});

describe('issue 23, case 6: a revised payout is corrected, not reported as already posted', () => {
  const original = payout({ amount: '96.15', orders: [order('A', 'USD', '100.00', '3.85')] });
  const revised = payout({
    amount: '91.15',
    orders: [order('A', 'USD', '100.00', '3.85')],
    chargebackFees: [{ currency: 'USD', amount: '5.00' }],
  });
  const docs = { documents: [doc('A', 'sale', '201', 'USD', 10000n)] };
  const posted = (e: PayoutEntry): PostedLine[] =>
    e.lines.map((l) => ({
      account: l.account,
      amount: l.amount,
      ...(l.document ? { document: l.document.externalId } : {}),
    }));

  it('96.15 posted, 2Checkout now says 91.15 with a 5.00 fee: a revision moves 5.00 from the bank to the fee account', () => {
    const before = buildPayoutEntry(payoutFigures(original), docs, cfg);
    const after = buildPayoutEntry(payoutFigures(revised), docs, cfg);
    const moneyAccounts = new Set(['230', '246']);
    expect(revisionReason(after.lines, posted(before), moneyAccounts, (m) => `${m}`)).toMatch(/9115.*9615/);
    const diff = revisionLines(after.lines, posted(before));
    expect(diff.map((l) => [l.account, l.amount])).toEqual([
      ['230', -500n],
      ['241', 500n],
    ]);
    // posted + revision = what the revised payout books
    expect(balance(diff as PayoutLine[])).toBe(0n);
  });

  it('the same payout seen again is not a revision', () => {
    const before = buildPayoutEntry(payoutFigures(original), docs, cfg);
    expect(revisionReason(before.lines, posted(before), new Set(['230']), String)).toBeUndefined();
    expect(revisionLines(before.lines, posted(before))).toEqual([]);
  });

  it('an entry posted before lines named their documents (one clearing line) is not revised for that alone', () => {
    const after = buildPayoutEntry(payoutFigures(original), docs, cfg);
    const legacy: PostedLine[] = [
      { account: '230', amount: 9615n },
      { account: '201', amount: -10000n },
      { account: '240', amount: 385n },
    ];
    expect(revisionReason(after.lines, legacy, new Set(['230']), String)).toBeUndefined();
  });

  it('a cancelled payout reverses every line posted', () => {
    const before = buildPayoutEntry(payoutFigures(original), docs, cfg);
    const reversal = revisionLines([], posted(before));
    expect(reversal.map((l) => l.amount)).toEqual(before.lines.map((l) => -l.amount));
    expect(reversal.find((l) => l.document === '2co-pay-A')).toMatchObject({ account: '201', amount: 10000n });
  });
});

describe('issue 23, case 7: a negative payout is a balance 2Checkout carries, never a bank credit', () => {
  it('refunds above sales: −165.00 on the 2Checkout balance; the next payout deducts it and the balance nets to zero', () => {
    // A 100.00 (commission 3.85) paid, refund of B 261.15 deducted: 100 − 3.85 − 261.15 = −165.00.
    const negative = payout({
      reference: 'P1',
      amount: '-165.00',
      orders: [order('A', 'USD', '100.00', '3.85')],
      refunds: [{ refNo: 'B', currency: 'USD', amount: '261.15' }],
    });
    const e1 = buildPayoutEntry(
      payoutFigures(negative),
      { documents: [doc('A', 'sale', '201', 'USD', 10000n), doc('B', 'refund', '201', 'USD', 26115n)] },
      cfg,
    );
    expect(onAccount(e1, '230')).toBe(0n);
    expect(onAccount(e1, '246')).toBe(-16500n);
    expect(balance(e1.lines)).toBe(0n);
    // A deposit cannot be negative: the entry is a journal even in deposit mode.
    expect(payoutRecordType(e1, 'deposit')).toBe('journalEntry');
    // P2: C 300.00 (commission 10.85), the −165.00 carried forward: 300 − 10.85 − 165 = 124.15.
    const next = payout({
      reference: 'P2',
      amount: '124.15',
      orders: [order('C', 'USD', '300.00', '10.85')],
      balanceForward: [{ currency: 'USD', amount: '-165.00' }],
    });
    const e2 = buildPayoutEntry(payoutFigures(next), { documents: [doc('C', 'sale', '201', 'USD', 30000n)] }, cfg);
    expect(onAccount(e2, '230')).toBe(12415n);
    expect(onAccount(e1, '246') + onAccount(e2, '246')).toBe(0n);
    expect(payoutRecordType(e2, 'deposit')).toBe('deposit');
  });

  it('in deposit mode with the payments in Undeposited Funds: a deposit of total zero selects them and puts the balance on Other Deposits', () => {
    const negative = payout({
      reference: 'P1',
      amount: '-165.00',
      orders: [order('A', 'USD', '100.00', '3.85')],
      refunds: [{ refNo: 'B', currency: 'USD', amount: '261.15' }],
    });
    const fig = payoutFigures(negative);
    const uf = (d: CoveredDocument) => ({ ...d, account: '200', undeposited: true });
    const e = buildPayoutEntry(
      fig,
      { documents: [uf(doc('A', 'sale', '200', 'USD', 10000n)), uf(doc('B', 'refund', '200', 'USD', 26115n))] },
      cfg,
    );
    expect(payoutRecordType(e, 'deposit')).toBe('deposit');
    const body = depositBody(fig, e, '2026-11-30', { currencyId: '1', bankAccount: '230' }) as Record<
      string,
      { items: Array<Record<string, unknown>> }
    >;
    expect(body.account).toEqual({ id: '230' });
    expect(body.payment!.items).toEqual([
      { id: 'A-sale', deposit: true, paymentAmount: 100 },
      { id: 'B-refund', deposit: true, paymentAmount: -261.15 },
    ]);
    expect(body.other!.items).toEqual([
      { account: { id: '246' }, amount: 165, memo: expect.stringMatching(/was negative/) },
    ]);
    expect(body.cashback!.items).toEqual([{ account: { id: '240' }, amount: 3.85, memo: expect.any(String) }]);
    // 100 − 261.15 + 165 − 3.85 = 0
  });
});

describe('issue 23, case 8: PARTIALLY_PAID: one entry per transfer', () => {
  const p = payout({
    reference: 'INV7',
    status: 'PARTIALLY_PAID',
    amount: '96.15',
    orders: [order('A', 'USD', '100.00', '3.85')],
    transfers: [
      { id: '20261130', amount: '50.00', date: '2026-11-30' },
      { id: '20261207', amount: '46.15', date: '2026-12-07' },
    ],
  });

  it('the first transfer relieves the documents and leaves the unpaid rest on the 2Checkout balance; the second moves it to the bank', () => {
    const fig = payoutFigures(p);
    const t1 = buildPayoutEntry(fig, { documents: [doc('A', 'sale', '201', 'USD', 10000n)] }, cfg, {
      transfer: { id: '20261130', amount: 5000n },
    });
    const t2 = buildPayoutEntry(fig, { documents: [], relievedEarlier: true }, cfg, {
      transfer: { id: '20261207', amount: 4615n },
    });
    expect(t1.externalId).toBe('2co-payout-INV7-t-20261130');
    expect(t2.externalId).toBe('2co-payout-INV7-t-20261207');
    expect(onAccount(t1, '230')).toBe(5000n);
    expect(onAccount(t1, '246')).toBe(4615n);
    expect(onAccount(t2, '230')).toBe(4615n);
    expect(onAccount(t1, '246') + onAccount(t2, '246')).toBe(0n);
    expect(onAccount(t1, '201') + onAccount(t2, '201')).toBe(-10000n);
    expect(balance(t1.lines)).toBe(0n);
    expect(balance(t2.lines)).toBe(0n);
  });

  it('the ledger check sees the payment relieved by the first transfer of the same reference, not by another payout', () => {
    const covered = coveredDocuments(
      p,
      [{ ...ledgerDoc('A', 'sale', '201', 'USD', '100.00'), relievedBy: ['2co-payout-INV7-t-20261130'] }],
      rules({ sameReference: (x) => x.startsWith('2co-payout-INV7-t-') }),
    );
    expect(covered).toMatchObject({ documents: [], missing: [], relievedEarlier: true });
  });
});

describe('issue 23, case 9: each covered payment is read from the ledger and checked', () => {
  const p = payout({ amount: '96.15', orders: [order('A', 'USD', '100.00', '3.85')] });

  it('a payment deposited to the operating bank instead of clearing is refused with the account named', () => {
    expect(() => coveredDocuments(p, [ledgerDoc('A', 'sale', '230', 'USD', '100.00')], rules())).toThrow(
      PayoutLedgerError,
    );
    expect(() => coveredDocuments(p, [ledgerDoc('A', 'sale', '230', 'USD', '100.00')], rules())).toThrow(
      /2co-pay-A \(PYMT-A\) sits in account 230, which is not a clearing account/,
    );
  });

  it('a payment another payout relieved already is refused, naming that payout', () => {
    const relieved = { ...ledgerDoc('A', 'sale', '201', 'USD', '100.00'), relievedBy: ['2co-payout-NS-0'] };
    expect(() => coveredDocuments(p, [relieved], rules())).toThrow(
      /2co-pay-A \(PYMT-A\) \(order A\) was already relieved by 2co-payout-NS-0/,
    );
  });

  it("the value relieved is the ledger's base amount, not the amount recomputed from a rate", () => {
    const eur = payout({ amount: '104.08', rates: { EUR: '1.0825' }, orders: [order('E', 'EUR', '100.00', '3.85')] });
    const covered = coveredDocuments(eur, [ledgerDoc('E', 'sale', '202', 'EUR', '100.00', '108.47')], rules());
    expect(covered.documents[0]).toMatchObject({ foreign: 10000n, book: 10847n, account: '202' });
  });

  it('a payment in Undeposited Funds is selected by a deposit, refused by a journal', () => {
    const uf = ledgerDoc('A', 'sale', '200', 'USD', '100.00');
    expect(
      coveredDocuments(p, [uf], rules({ posting: 'deposit', undepositedFunds: '200' })).documents[0],
    ).toMatchObject({ undeposited: true });
    expect(() => coveredDocuments(p, [uf], rules({ posting: 'journal', undepositedFunds: '200' }))).toThrow(
      /only a bank deposit can empty/,
    );
  });

  it("a refund this payout deducts is matched to the order's refunds not relieved before", () => {
    const withRefund = payout({
      amount: '76.15',
      orders: [order('A', 'USD', '100.00', '3.85')],
      refunds: [{ refNo: 'A', currency: 'USD', amount: '20.00' }],
    });
    const earlier = {
      ...ledgerDoc('A', 'refund', '201', 'USD', '5.00'),
      externalId: '2co-rf-A-R1',
      relievedBy: ['2co-payout-NS-0'],
    };
    const now = { ...ledgerDoc('A', 'refund', '201', 'USD', '20.00'), externalId: '2co-rf-A-R2' };
    const covered = coveredDocuments(
      withRefund,
      [ledgerDoc('A', 'sale', '201', 'USD', '100.00'), earlier, now],
      rules(),
    );
    expect(covered.documents.map((d) => d.externalId)).toEqual(['2co-pay-A', '2co-rf-A-R2']);
    expect(coveredDocuments(withRefund, [ledgerDoc('A', 'sale', '201', 'USD', '100.00')], rules()).missing).toEqual([
      'A refund',
    ]);
  });
});

function ledgerDoc(
  refNo: string,
  kind: 'sale' | 'refund',
  account: string,
  currency: string,
  amount: string,
  base = amount,
  subsidiary = '1',
): LedgerDocument {
  return {
    refNo,
    kind,
    account,
    currency,
    amount,
    base,
    subsidiary,
    id: `${refNo}-${kind}`,
    tranId: kind === 'sale' ? `PYMT-${refNo}` : `RFND-${refNo}`,
    type: kind === 'sale' ? 'CustPymt' : 'CustRfnd',
    externalId: kind === 'sale' ? `2co-pay-${refNo}` : `2co-rf-${refNo}-CB1`,
  };
}

function rules(over: Partial<LedgerRules> = {}): LedgerRules {
  return {
    payoutCurrency: 'USD',
    payoutSubsidiary: '1',
    baseCurrencyOf: (s) => ({ '1': 'USD', '2': 'EUR' })[s],
    exponents: () => 2,
    clearingAccounts: new Set(['201', '202', '203']),
    refundAccounts: new Set(['210']),
    posting: 'journal',
    sameReference: () => false,
    file: 'mappings.yaml',
    ...over,
  };
}
