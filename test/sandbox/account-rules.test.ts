// The rules a production account enforces that a lenient stand-in would let through
// (sandbox/netsuite/README.md, "Strict account rules"): a currency has 0 or 2 decimals; money goes
// only into an account in the transaction's or the subsidiary's base currency; a customer transacts
// only in its own subsidiary (or, with Multi-Subsidiary Customers, in those added to it); nothing
// posts into a closed or locked accounting period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { REC, client, createCustomer, firstError, idFrom, suiteql, type Call } from './helpers.js';
import { startSandbox } from '../support/sandbox.js';
import { day, suiteql as sql } from '../../netsuite/suiteql.js';

let sandbox: NetSuiteSandbox;
let call: Call;
let multi: NetSuiteSandbox;
let callMulti: Call;

beforeAll(async () => {
  sandbox = await startSandbox();
  call = client(sandbox);
  multi = await startSandbox({ multiSubsidiaryCustomers: true });
  callMulti = client(multi);
});
afterAll(async () => {
  await sandbox.close();
  await multi.close();
});

const lines = { items: [{ item: { id: '100' }, quantity: 1, rate: 100 }] };
const salesOrder = (c: Call, body: Record<string, unknown>) => c('POST', `${REC}/salesOrder`, { item: lines, ...body });
const transform = (c: Call, src: string, id: string, target: string, body?: Record<string, unknown>) =>
  c('POST', `${REC}/${src}/${id}/!transform/${target}`, body);

describe('currency precision: 0 or 2 decimals only', () => {
  it('refuses a currency with three decimals and keeps the seed KWD at two', async () => {
    const three = await call('POST', `${REC}/currency`, {
      symbol: 'BHD',
      name: 'Bahraini Dinar',
      exchangeRate: 2.65,
      currencyPrecision: 3,
    });
    expect(three.status).toBe(400);
    expect(firstError(three)).toMatchObject({ code: 'INVALID_CONTENT', path: 'currencyPrecision' });
    expect(sandbox.record('currency', '5')).toMatchObject({ symbol: 'KWD', currencyPrecision: 2 });
    expect(
      idFrom(
        await call('POST', `${REC}/currency`, {
          symbol: 'OMR',
          name: 'Omani Rial',
          exchangeRate: 2.6,
          currencyPrecision: 2,
        }),
      ),
    ).toMatch(/^\d+$/);
    expect(
      idFrom(
        await call('POST', `${REC}/currency`, {
          symbol: 'KRW',
          name: 'Won',
          exchangeRate: 0.00075,
          currencyPrecision: 0,
        }),
      ),
    ).toMatch(/^\d+$/);
  });
});

describe('bank / clearing account currency', () => {
  it('takes money only into an account in the transaction currency or the subsidiary base currency', async () => {
    // Subsidiary 2 has base EUR; 203 is a USD account, 202 a EUR one.
    const eu = await createCustomer(call, {
      subsidiary: { id: '2' },
      currency: { id: '2' },
      currencyList: { items: [{ currency: { id: '3' } }] },
    });
    const inv = idFrom(
      await transform(call, 'salesOrder', idFrom(await salesOrder(call, { entity: { id: eu } })), 'invoice'),
    );
    const refused = await transform(call, 'invoice', inv, 'customerPayment', { account: { id: '203' } });
    expect(refused.status).toBe(400);
    expect(firstError(refused)).toMatchObject({ code: 'USER_ERROR', path: 'account' });
    expect(firstError(refused).detail).toContain('kept in USD');
    expect(sandbox.records('customerPayment').filter((p) => (p.customer as { id: string }).id === eu)).toEqual([]);
    idFrom(await transform(call, 'invoice', inv, 'customerPayment', { account: { id: '202' } }));

    // A GBP cash sale of subsidiary 2: neither a USD nor… a GBP account would do, EUR (base) does.
    const gbpSale = { entity: { id: eu }, currency: { id: '3' }, item: lines };
    expect(firstError(await call('POST', `${REC}/cashSale`, { ...gbpSale, account: { id: '201' } })).path).toBe(
      'account',
    );
    idFrom(await call('POST', `${REC}/cashSale`, { ...gbpSale, account: { id: '231' } }));

    // Subsidiary 1 has base USD: a EUR payment into a USD account is fine there.
    const us = await createCustomer(call, { currency: { id: '2' } });
    const usInv = idFrom(
      await transform(call, 'salesOrder', idFrom(await salesOrder(call, { entity: { id: us } })), 'invoice'),
    );
    idFrom(await transform(call, 'invoice', usInv, 'customerPayment', { account: { id: '203' } }));
  });

  it('checks the account a refund is paid from', async () => {
    const eu = await createCustomer(call, { subsidiary: { id: '2' }, currency: { id: '2' } });
    const inv = idFrom(
      await transform(call, 'salesOrder', idFrom(await salesOrder(call, { entity: { id: eu } })), 'invoice'),
    );
    idFrom(await transform(call, 'invoice', inv, 'customerPayment', { account: { id: '202' } }));
    const cm = idFrom(await transform(call, 'invoice', inv, 'creditMemo'));
    expect(firstError(await transform(call, 'creditMemo', cm, 'customerRefund', { account: { id: '210' } })).path).toBe(
      'account',
    );
    idFrom(await transform(call, 'creditMemo', cm, 'customerRefund', { account: { id: '211' } }));
  });
});

describe('customer and subsidiary', () => {
  it('refuses a transaction in a subsidiary the customer does not belong to', async () => {
    const us = await createCustomer(call, { currency: { id: '2' } });
    const res = await salesOrder(call, { entity: { id: us }, subsidiary: { id: '2' }, currency: { id: '2' } });
    expect(res.status).toBe(400);
    expect(firstError(res)).toMatchObject({
      code: 'USER_ERROR',
      detail: `Invalid entity reference key ${us} for subsidiary 2.`,
      path: 'entity',
    });
    // Without the feature, a customer cannot be given a second subsidiary.
    const rel = await call('POST', `${REC}/customerSubsidiaryRelationship`, {
      entity: { id: us },
      subsidiary: { id: '2' },
    });
    expect(rel.status).toBe(400);
    expect(firstError(rel).detail).toContain('Multi-Subsidiary Customer');
  });

  it('with Multi-Subsidiary Customers, accepts the subsidiaries added to the customer', async () => {
    const us = await createCustomer(callMulti, { currency: { id: '2' } });
    expect((await salesOrder(callMulti, { entity: { id: us }, subsidiary: { id: '2' } })).status).toBe(400);
    idFrom(
      await callMulti('POST', `${REC}/customerSubsidiaryRelationship`, { entity: { id: us }, subsidiary: { id: '2' } }),
    );
    const so = idFrom(await salesOrder(callMulti, { entity: { id: us }, subsidiary: { id: '2' } }));
    expect(multi.record('salesOrder', so)).toMatchObject({ subsidiary: { id: '2' } });
    const again = await callMulti('POST', `${REC}/customerSubsidiaryRelationship`, {
      entity: { id: us },
      subsidiary: { id: '2' },
    });
    expect(firstError(again).code).toBe('USER_ERROR');
    const rows = (
      await suiteql(
        callMulti,
        sql`SELECT entity, subsidiary, isprimarysub FROM customersubsidiaryrelationship WHERE entity = ${us}`,
      )
    ).body.items;
    expect(rows).toEqual([expect.objectContaining({ entity: us, subsidiary: '2', isprimarysub: 'F' })]);
  });

  it('keeps the subsidiary of a customer that has transactions', async () => {
    const c = await createCustomer(call);
    expect((await call('PATCH', `${REC}/customer/${c}`, { subsidiary: { id: '2' } })).status).toBe(204);
    idFrom(await salesOrder(call, { entity: { id: c } }));
    const res = await call('PATCH', `${REC}/customer/${c}`, { subsidiary: { id: '1' } });
    expect(firstError(res)).toMatchObject({ code: 'USER_ERROR', path: 'subsidiary' });
  });
});

describe('accounting periods', () => {
  it('lists a monthly calendar and posts each transaction to the period of its date', async () => {
    const rows = (
      await suiteql(
        call,
        sql`SELECT id, periodname, startdate, enddate, closed FROM accountingperiod WHERE startdate <= ${day('2026-02-14')} AND enddate >= ${day('2026-02-14')} AND isyear = 'F' AND isquarter = 'F'`,
      )
    ).body.items as Array<Record<string, string>>;
    expect(rows).toEqual([
      expect.objectContaining({ periodname: 'Feb 2026', startdate: '2026-02-01', enddate: '2026-02-28', closed: 'F' }),
    ]);
    const c = await createCustomer(call);
    const so = idFrom(await salesOrder(call, { entity: { id: c }, tranDate: '2026-02-14' }));
    expect(sandbox.record('salesOrder', so)).toMatchObject({ postingPeriod: { id: rows[0]!.id, refName: 'Feb 2026' } });
  });

  it('refuses a transaction dated in a closed period, and one in a period locked for A/R', async () => {
    const c = await createCustomer(call);
    const so = idFrom(await salesOrder(call, { entity: { id: c }, tranDate: '2025-03-10' }));
    sandbox.setPeriod('2025-03', { closed: true });
    sandbox.setPeriod('2025-04', { arLocked: true });
    const closed = await transform(call, 'salesOrder', so, 'invoice', { tranDate: '2025-03-20' });
    expect(closed.status).toBe(400);
    expect(firstError(closed)).toMatchObject({ code: 'USER_ERROR', path: 'tranDate' });
    expect(firstError(closed).detail).toContain('Mar 2025 is closed');
    expect(firstError(await transform(call, 'salesOrder', so, 'invoice', { tranDate: '2025-04-02' })).detail).toContain(
      'Apr 2025 is locked for A/R',
    );
    // A new sales order cannot go there either, nor can the existing one be changed.
    expect((await salesOrder(call, { entity: { id: c }, tranDate: '2025-03-11' })).status).toBe(400);
    expect((await call('PATCH', `${REC}/salesOrder/${so}`, { memo: 'late edit' })).status).toBe(400);
    // A journal posts nothing to A/R: the A/R lock does not stop it; closing does.
    const journal = {
      line: {
        items: [
          { account: { id: '230' }, debit: 5 },
          { account: { id: '201' }, credit: 5 },
        ],
      },
    };
    idFrom(await call('POST', `${REC}/journalEntry`, { ...journal, tranDate: '2025-04-03' }));
    expect((await call('POST', `${REC}/journalEntry`, { ...journal, tranDate: '2025-03-03' })).status).toBe(400);
    // The first open period takes it.
    idFrom(await transform(call, 'salesOrder', so, 'invoice', { tranDate: '2025-05-01' }));
    sandbox.setPeriod('2025-03', { closed: false });
    idFrom(await salesOrder(call, { entity: { id: c }, tranDate: '2025-03-11' }));
  });

  it('refuses a posting period that does not contain the transaction date', async () => {
    const c = await createCustomer(call);
    const res = await salesOrder(call, { entity: { id: c }, tranDate: '2026-06-10', postingPeriod: { id: '202607' } });
    expect(firstError(res)).toMatchObject({ code: 'USER_ERROR', path: 'postingPeriod' });
  });
});
