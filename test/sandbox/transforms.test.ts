// Order-to-cash and money-back through `!transform` (docs/reference-notes.md#ns-records,
// #ns-record-shapes): amounts in the currency's precision, amountRemaining kept by applications,
// over-apply refused.
import { describe, expect, it } from 'vitest';
import { suiteql as sql } from '../../netsuite/suiteql.js';
import { REC, client, createCustomer, firstError, idFrom, suiteql, type Call } from './helpers.js';
import { useSandbox } from '../support/sandbox.js';

const sandbox = useSandbox();
const call: Call = client(sandbox);

const line = (item: string, quantity: number, rate: number) => ({ item: { id: item }, quantity, rate });

async function salesOrder(
  customer: string,
  lines: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  return idFrom(
    await call('POST', `${REC}/salesOrder`, { entity: { id: customer }, item: { items: lines }, ...extra }),
  );
}

const transform = (src: string, id: string, target: string, body?: Record<string, unknown>, query = '') =>
  call('POST', `${REC}/${src}/${id}/!transform/${target}${query}`, body);

describe('sales order → invoice → payment', () => {
  it('bills the order, pays the invoice in full and moves every status', async () => {
    const customer = await createCustomer(call);
    const so = await salesOrder(customer, [line('100', 2, 49.5), line('102', 1, 20)], {
      otherRefNum: 'REF-1',
      custbody_2co_refno: 'REF-1',
    });

    const invRes = await transform('salesOrder', so, 'invoice', { externalId: '2co-inv-REF-1' });
    expect(invRes.status).toBe(204);
    const inv = idFrom(invRes);
    expect(invRes.headers.get('location')).toBe(`${sandbox.url}${REC}/invoice/${inv}`);
    expect(sandbox.record('invoice', inv)).toMatchObject({
      externalId: '2co-inv-REF-1',
      entity: { id: customer },
      createdFrom: { id: so },
      otherRefNum: 'REF-1',
      custbody_2co_refno: 'REF-1',
      total: 119,
      amountRemaining: 119,
      amountPaid: 0,
      status: { refName: 'Open' },
    });
    expect(sandbox.record('salesOrder', so)!.status).toMatchObject({ refName: 'Billed' });

    const pay = idFrom(
      await transform('invoice', inv, 'customerPayment', { externalId: '2co-pay-REF-1', account: { id: '201' } }),
    );
    expect(sandbox.record('customerPayment', pay)).toMatchObject({
      customer: { id: customer },
      payment: 119,
      apply: { items: [{ doc: { id: inv }, apply: true, amount: 119 }] },
    });
    expect(sandbox.record('invoice', inv)).toMatchObject({
      amountRemaining: 0,
      amountPaid: 119,
      status: { refName: 'Paid In Full' },
    });

    const again = await transform('salesOrder', so, 'invoice');
    expect(again.status).toBe(400);
    expect(firstError(again).code).toBe('USER_ERROR');
    const paidAgain = await transform('invoice', inv, 'customerPayment');
    expect(firstError(paidAgain).code).toBe('USER_ERROR');
  });

  it('refuses a transform whose body repeats an existing externalId', async () => {
    const customer = await createCustomer(call);
    const so = await salesOrder(customer, [line('100', 1, 10)]);
    const so2 = await salesOrder(customer, [line('100', 1, 10)]);
    idFrom(await transform('salesOrder', so, 'invoice', { externalId: '2co-inv-same' }));
    const dup = await transform('salesOrder', so2, 'invoice', { externalId: '2co-inv-same' });
    expect(firstError(dup)).toMatchObject({
      code: 'USER_ERROR',
      detail: 'Error while accessing a resource. This entity already exists.',
    });
    expect(sandbox.record('salesOrder', so2)!.status).toMatchObject({ refName: 'Pending Billing' });
  });

  it('bills part of an order and the rest later', async () => {
    const customer = await createCustomer(call);
    const so = await salesOrder(customer, [line('100', 3, 10)]);
    const first = idFrom(await transform('salesOrder', so, 'invoice', { item: { items: [{ line: 1, quantity: 1 }] } }));
    expect(sandbox.record('invoice', first)).toMatchObject({ total: 10 });
    expect(sandbox.record('salesOrder', so)).toMatchObject({
      status: { refName: 'Pending Billing' },
      item: { items: [{ quantityBilled: 1 }] },
    });
    const rest = idFrom(await transform('salesOrder', so, 'invoice'));
    expect(sandbox.record('invoice', rest)).toMatchObject({
      total: 20,
      item: { items: [{ quantity: 2, amount: 20 }] },
    });
    expect(sandbox.record('salesOrder', so)!.status).toMatchObject({ refName: 'Billed' });
  });

  it('takes partial payments and refuses to apply more than remains', async () => {
    const customer = await createCustomer(call);
    const inv = idFrom(await transform('salesOrder', await salesOrder(customer, [line('100', 1, 100)]), 'invoice'));
    const part = await transform('invoice', inv, 'customerPayment', { payment: 30 });
    expect(part.status).toBe(204);
    expect(sandbox.record('invoice', inv)).toMatchObject({
      amountRemaining: 70,
      amountPaid: 30,
      status: { refName: 'Open' },
    });

    const over = await transform('invoice', inv, 'customerPayment', {
      apply: { items: [{ doc: { id: inv }, apply: true, amount: 70.01 }] },
    });
    expect(over.status).toBe(400);
    expect(firstError(over)).toEqual({
      code: 'USER_ERROR',
      detail: 'The total amount applied (70.01) exceeds the amount remaining (70.00) on the document.',
      path: 'apply.items[0].amount',
    });
    idFrom(await transform('invoice', inv, 'customerPayment'));
    expect(sandbox.record('invoice', inv)).toMatchObject({ amountRemaining: 0, status: { refName: 'Paid In Full' } });
  });

  it('rounds to the currency precision: yen without decimals, dinar with two (NetSuite has no three-decimal currency)', async () => {
    const yenBuyer = await createCustomer(call, { currency: { id: '4' } });
    const yen = idFrom(
      await transform(
        'salesOrder',
        await salesOrder(yenBuyer, [line('100', 3, 333.4), line('102', 1, 0.5)]),
        'invoice',
      ),
    );
    // 3 × 333.4 = 1000.2 → 1000; 0.5 → 1 (half away from zero).
    expect(sandbox.record('invoice', yen)).toMatchObject({ total: 1001, amountRemaining: 1001, exchangeRate: 0.0067 });

    const dinarBuyer = await createCustomer(call, { currency: { id: '5' } });
    const kwd = idFrom(
      await transform('salesOrder', await salesOrder(dinarBuyer, [line('100', 3, 1.0045)]), 'invoice'),
    );
    // 3 × 1.0045 = 3.0135 exactly → 3.01 at KWD's NetSuite precision of 2.
    expect(sandbox.record('invoice', kwd)).toMatchObject({ total: 3.01 });
    const pay = idFrom(await transform('invoice', kwd, 'customerPayment', { payment: 1.005 }));
    expect(sandbox.record('customerPayment', pay)).toMatchObject({ payment: 1.01 });
    expect(sandbox.record('invoice', kwd)).toMatchObject({ amountRemaining: 2 });
  });
});

describe('invoice → credit memo → customer refund', () => {
  it('credits a paid invoice, keeps the credit unapplied and refunds it', async () => {
    const customer = await createCustomer(call);
    const inv = idFrom(await transform('salesOrder', await salesOrder(customer, [line('100', 2, 50)]), 'invoice'));
    idFrom(await transform('invoice', inv, 'customerPayment'));

    // A partial refund of 30: replace the copied lines.
    const cm = idFrom(
      await transform(
        'invoice',
        inv,
        'creditMemo',
        { externalId: '2co-cm-1', item: { items: [{ item: { id: '100' }, quantity: 1, rate: 30 }] } },
        '?replace=item',
      ),
    );
    expect(sandbox.record('creditMemo', cm)).toMatchObject({
      total: 30,
      amountRemaining: 30,
      createdFrom: { id: inv },
      status: { refName: 'Open' },
    });

    const over = await transform('creditMemo', cm, 'customerRefund', {
      account: { id: '201' },
      apply: { items: [{ doc: { id: cm }, apply: true, amount: 31 }] },
    });
    expect(over.status).toBe(400);
    expect(firstError(over).detail).toBe(
      'The total amount applied (31.00) exceeds the amount remaining (30.00) on the document.',
    );

    const noAccount = await transform('creditMemo', cm, 'customerRefund');
    expect(firstError(noAccount)).toMatchObject({ code: 'USER_ERROR', detail: 'Please enter value(s) for: Account' });

    const refund = idFrom(
      await transform('creditMemo', cm, 'customerRefund', { account: { id: '201' }, externalId: '2co-rf-1' }),
    );
    expect(sandbox.record('customerRefund', refund)).toMatchObject({ total: 30, customer: { id: customer } });
    expect(sandbox.record('creditMemo', cm)).toMatchObject({
      amountRemaining: 0,
      status: { refName: 'Fully Applied' },
    });
    expect(firstError(await transform('creditMemo', cm, 'customerRefund', { account: { id: '201' } })).code).toBe(
      'USER_ERROR',
    );
  });

  it('applies a credit memo to an open invoice only up to what the invoice still owes', async () => {
    const customer = await createCustomer(call);
    const inv = idFrom(await transform('salesOrder', await salesOrder(customer, [line('100', 1, 100)]), 'invoice'));
    idFrom(await transform('invoice', inv, 'customerPayment', { payment: 80 }));
    const cm = idFrom(await transform('invoice', inv, 'creditMemo'));
    expect(sandbox.record('creditMemo', cm)).toMatchObject({
      total: 100,
      amountRemaining: 80,
      apply: { items: [{ doc: { id: inv }, amount: 20 }] },
    });
    expect(sandbox.record('invoice', inv)).toMatchObject({ amountRemaining: 0, status: { refName: 'Paid In Full' } });
  });

  it('links the documents in previoustransactionlink', async () => {
    const customer = await createCustomer(call);
    const so = await salesOrder(customer, [line('100', 1, 10)]);
    const inv = idFrom(await transform('salesOrder', so, 'invoice'));
    const pay = idFrom(await transform('invoice', inv, 'customerPayment'));
    const res = await suiteql(
      call,
      sql`SELECT previousdoc, nextdoc, linktype FROM previoustransactionlink WHERE previousdoc IN (${[so, inv]}) ORDER BY nextdoc`,
    );
    expect(
      (res.body.items as Array<Record<string, unknown>>).map(({ previousdoc, nextdoc }) => [previousdoc, nextdoc]),
    ).toEqual([
      [so, inv],
      [inv, pay],
    ]);
  });
});

describe('cash sale → cash refund', () => {
  it('posts a paid order as a cash sale and refuses to refund more than it took', async () => {
    const customer = await createCustomer(call);
    const so = await salesOrder(customer, [line('100', 1, 40)]);
    const cs = idFrom(
      await transform('salesOrder', so, 'cashSale', { account: { id: '201' }, externalId: '2co-cs-1' }),
    );
    expect(sandbox.record('cashSale', cs)).toMatchObject({ total: 40, createdFrom: { id: so } });
    expect(sandbox.record('salesOrder', so)!.status).toMatchObject({ refName: 'Billed' });

    const part = idFrom(await transform('cashSale', cs, 'cashRefund', { item: { items: [{ line: 1, rate: 15 }] } }));
    expect(sandbox.record('cashRefund', part)).toMatchObject({ total: 15 });
    const over = await transform('cashSale', cs, 'cashRefund');
    expect(over.status).toBe(400);
    expect(firstError(over).detail).toBe(
      'The total amount refunded (40.00) exceeds the amount remaining (25.00) on the cash sale.',
    );
  });

  it('refuses transforms NetSuite has no path for', async () => {
    const customer = await createCustomer(call);
    const so = await salesOrder(customer, [line('100', 1, 40)]);
    const res = await transform('salesOrder', so, 'customerRefund');
    expect(res.status).toBe(400);
  });
});
