// The payout CSV import (mappings/payout-csv.ts): a control-panel export read through the
// configured column map into the same PayoutContent as the API; every problem of a file at once.
import { describe, expect, it } from 'vitest';
import { parsePayoutCsv } from '../../mappings/payout-csv.js';
import { PayoutCsvImportSchema } from '../../mappings/payout-config.js';
import { MappingConfigSchema } from '../../mappings/config-schema.js';

const defaults = PayoutCsvImportSchema.parse({});
const HEADER =
  'Payout reference,Payout currency,Payout amount,Transfer date,Type,Order reference,Currency,Amount,Commission,Exchange rate';

describe('payout CSV import', () => {
  it('reads orders, refunds, fees, reserve and rates of several payouts into PayoutContent', () => {
    const text = [
      HEADER,
      'NS-1,USD,"1,234.56",2026-11-30,ORDER,1001,USD,100.00,3.85,',
      'NS-1,USD,"1,234.56",2026-11-30,Sale,1002,EUR,"1,200.00",42.35,1.0825',
      'NS-1,USD,"1,234.56",2026-11-30,REFUND,1001,USD,20.00,,',
      'NS-1,USD,"1,234.56",2026-11-30,CHARGEBACK FEE,,USD,15.00,,',
      'NS-1,USD,"1,234.56",2026-11-30,RESERVE HELD,,EUR,10.00,,1.0825',
      'NS-2,EUR,-5.00,2026-12-07,CHARGEBACK,1003,EUR,5.00,,',
    ].join('\n');
    const { payouts, problems } = parsePayoutCsv(text, {
      ...defaults,
      columns: { ...defaults.columns, rate: 'Exchange rate' },
    });
    expect(problems).toEqual([]);
    expect(payouts).toHaveLength(2);
    expect(payouts[0]).toEqual({
      reference: 'NS-1',
      status: 'PAID',
      currency: 'USD',
      amount: '1234.56',
      date: '2026-11-30',
      source: 'csv',
      orders: [
        { refNo: '1001', currency: 'USD', gross: '100.00', commission: '3.85', vatWithheld: '0' },
        { refNo: '1002', currency: 'EUR', gross: '1200.00', commission: '42.35', vatWithheld: '0' },
      ],
      refunds: [{ refNo: '1001', currency: 'USD', amount: '20.00' }],
      chargebackFees: [{ currency: 'USD', amount: '15.00' }],
      reserve: [{ kind: 'held', currency: 'EUR', amount: '10.00' }],
      rates: { EUR: '1.0825' },
    });
    expect(payouts[1]).toMatchObject({
      reference: 'NS-2',
      currency: 'EUR',
      amount: '-5.00',
      refunds: [{ refNo: '1003', amount: '5.00' }],
    });
  });

  it('reports every problem of the file at once, by line and column, and imports nothing', () => {
    const text = [
      HEADER,
      'NS-1,USD,96.15,2026-11-30,ORDER,1001,USD,100.00,3.85,',
      'NS-1,USD,96.15,2026-11-31,ORDER,,USD,1OO.00,3.85,', // bad date, bad amount, no order reference
      'NS-1,USD,96.15,2026-11-30,PAYMENT,1002,USD,10.00,,', // unknown type
      'NS-1,USD,96.15,2026-11-30,ORDER,1003,JPY,100.5,3,', // JPY has no decimals
      'NS-3,USD,10.00,2026-11-30,ORDER,1004,GBP,10.00,0.50,', // GBP without a rate
    ].join('\n');
    const { payouts, problems } = parsePayoutCsv(text, {
      ...defaults,
      columns: { ...defaults.columns, rate: 'Exchange rate' },
    });
    expect(payouts).toEqual([]);
    expect(problems).toEqual([
      'line 3, column "Transfer date": "2026-11-31" is not a date in the format YYYY-MM-DD',
      'line 3, column "Amount": "1OO.00" is not an amount',
      'line 3, column "Order reference": empty, expected the order reference',
      'line 4, column "Type": "PAYMENT" is none of ORDER, SALE, REFUND, CHARGEBACK, CHARGEBACK FEE, DISPUTE FEE, RESERVE HELD, RESERVE RELEASED, DISPUTE HELD, DISPUTE RELEASED, BALANCE FORWARD, TRANSFER (payouts.csvImport.types)',
      'line 5, column "Amount": 100.5 has 1 decimals, JPY has 0',
      'payout NS-3 (from line 6): GBP rows but no GBP→USD rate in column "Exchange rate"',
    ]);
  });

  it('a column map that does not fit the file names every missing column and the columns the file has', () => {
    const { problems } = parsePayoutCsv('Ref;Amount\nNS-1;1.00', { ...defaults, delimiter: ';' });
    expect(problems[0]).toBe(
      'header: no column "Payout reference" (payouts.csvImport.columns.reference); the file has "Ref", "Amount"',
    );
    expect(problems).toHaveLength(8);
  });

  it('reads dates and amounts the way the export writes them (DD.MM.YYYY, 1.234,56), and transfers of a partially paid payout', () => {
    const map = PayoutCsvImportSchema.parse({
      delimiter: ';',
      dateFormat: 'DD.MM.YYYY',
      decimalComma: true,
      columns: { transfer: 'Transfer' },
      types: { order: ['Bestellung'], transfer: ['Überweisung'] },
    });
    const text = [
      'Payout reference;Payout currency;Payout amount;Transfer date;Type;Order reference;Currency;Amount;Commission;Transfer',
      'INV7;EUR;1.096,15;30.11.2026;Bestellung;1001;EUR;1.100,00;3,85;',
      'INV7;EUR;1.096,15;30.11.2026;Überweisung;;EUR;500,00;;T1',
      'INV7;EUR;1.096,15;07.12.2026;Überweisung;;EUR;596,15;;T2',
    ].join('\n');
    const { payouts, problems } = parsePayoutCsv(text, map);
    expect(problems).toEqual([]);
    expect(payouts[0]).toMatchObject({
      status: 'PARTIALLY_PAID',
      amount: '1096.15',
      date: '2026-11-30',
      orders: [{ gross: '1100.00', commission: '3.85' }],
      transfers: [
        { id: 'T1', amount: '500.00', date: '2026-11-30' },
        { id: 'T2', amount: '596.15', date: '2026-12-07' },
      ],
    });
  });

  it('the mapping file validates the column map at start-up with a message that says how to fix it', () => {
    const r = MappingConfigSchema.safeParse({
      version: 1,
      products: { rules: [] },
      currencies: { USD: 1 },
      paymentMethods: {},
      payouts: { csvImport: { delimiter: ';;', dateFormat: 'YYYY/MM/DD', columns: { amount: '' } } },
    });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'payouts.csvImport.delimiter: must be one character such as , or ;',
        expect.stringMatching(/^payouts\.csvImport\.dateFormat: must be one of YYYY-MM-DD, DD\.MM\.YYYY/),
        expect.stringMatching(/^payouts\.csvImport\.columns\.amount: must name a column of the CSV header/),
      ]),
    );
  });
});
