// Journal entries and deposits in the NetSuite sandbox, and the GL balances they leave behind:
// what the payout tests rely on to say "the clearing account is empty, the bank got the money".
import { describe, expect, it } from 'vitest';
import { REC, client, createCustomer, firstError, idFrom, suiteql, type Call } from './helpers.js';
import { useSandbox } from '../support/sandbox.js';

const sandbox = useSandbox();
const call: Call = client(sandbox);

describe('journalEntry and deposit', () => {
  it('posts a balanced journal and shows its GL effect; refuses an unbalanced one and changes nothing', async () => {
    const ok = await call('POST', `${REC}/journalEntry`, {
      externalId: 'je-1',
      currency: { id: '1' },
      line: {
        items: [
          { account: { id: '230' }, debit: 96.15 },
          { account: { id: '240' }, debit: 3.85 },
          { account: { id: '201' }, credit: 100 },
        ],
      },
    });
    expect(ok.status).toBe(204);
    const id = idFrom(ok);
    const got = await call('GET', `${REC}/journalEntry/${id}`);
    expect(got.body).toMatchObject({ externalId: 'je-1', total: 100 });
    expect(sandbox.accountBalance('230')).toMatchObject({ byCurrency: { USD: 96.15 }, base: 96.15 });
    expect(sandbox.accountBalance('201')).toMatchObject({ byCurrency: { USD: -100 } });

    const bad = await call('POST', `${REC}/journalEntry`, {
      line: {
        items: [
          { account: { id: '230' }, debit: 10 },
          { account: { id: '201' }, credit: 9.99 },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(firstError(bad).detail).toMatch(/not in balance: debits 10\.00, credits 9\.99/);
    expect(sandbox.accountBalance('230').byCurrency.USD).toBe(96.15);
    const rows = await suiteql(call, "SELECT id, type FROM transaction WHERE externalid = 'je-1'");
    expect((rows.body as { items: Array<{ type: string }> }).items[0]!.type).toBe('Journal');
  });

  it('a deposit debits its bank account with other − cash back; eid: finds it', async () => {
    const res = await call('PUT', `${REC}/deposit/eid:dep-1`, {
      account: { id: '230' },
      other: { items: [{ account: { id: '203' }, amount: 50 }] },
      cashback: { items: [{ account: { id: '241' }, amount: 15 }] },
    });
    expect(res.status).toBe(204);
    const got = await call('GET', `${REC}/deposit/eid:dep-1`);
    expect(got.body).toMatchObject({ total: 35 });
    expect(sandbox.accountBalance('203').byCurrency.USD).toBe(-50);
    expect(sandbox.accountBalance('241').byCurrency.USD).toBe(15);
    const neg = await call('POST', `${REC}/deposit`, {
      account: { id: '230' },
      other: { items: [{ account: { id: '203' }, amount: 1 }] },
      cashback: { items: [{ account: { id: '241' }, amount: 2 }] },
    });
    expect(neg.status).toBe(400);
  });

  it('a deposit selects payments out of Undeposited Funds (once, in its currency); SuiteQL reads every posting as an accounting line', async () => {
    const customer = await createCustomer(call);
    const pay = async (externalId: string, payment: number, extra: Record<string, unknown> = {}) =>
      idFrom(
        await call('POST', `${REC}/customerPayment`, {
          externalId,
          customer: { id: customer },
          payment,
          undepFunds: true,
          ...extra,
        }),
      );
    const p1 = await pay('uf-pay-1', 100);
    const p2 = await pay('uf-pay-2', 50);
    const inClearing = await pay('cl-pay-3', 20, { undepFunds: undefined, account: { id: '201' } });
    expect(sandbox.accountBalance('200').byCurrency.USD).toBe(150);

    const res = await call('POST', `${REC}/deposit`, {
      externalId: 'dep-uf-1',
      account: { id: '230' },
      payment: {
        items: [
          { id: p1, deposit: true, paymentAmount: 100 },
          { id: p2, deposit: true },
        ],
      },
      cashback: { items: [{ account: { id: '240' }, amount: 5.25 }] },
    });
    expect(res.status).toBe(204);
    expect(sandbox.record('deposit', idFrom(res))).toMatchObject({ total: 144.75 });
    expect(sandbox.accountBalance('200').byCurrency.USD).toBe(0);
    expect(sandbox.record('customerPayment', p1)!.status).toMatchObject({ refName: 'Deposited' });

    const again = await call('POST', `${REC}/deposit`, {
      account: { id: '230' },
      payment: { items: [{ id: p1, deposit: true }] },
    });
    expect(again.status).toBe(400);
    expect(firstError(again).detail).toMatch(/has already been deposited/);
    const notUf = await call('POST', `${REC}/deposit`, {
      account: { id: '230' },
      payment: { items: [{ id: inClearing, deposit: true }] },
    });
    expect(firstError(notUf).detail).toMatch(/was not posted to Undeposited Funds/);
    const partial = await call('POST', `${REC}/deposit`, {
      account: { id: '230' },
      payment: { items: [{ id: await pay('uf-pay-4', 10), deposit: true, paymentAmount: 5 }] },
    });
    expect(firstError(partial).detail).toMatch(/must be its full amount \(10\.00\)/);

    const rows = await suiteql(
      call,
      'SELECT t.externalid, tal.account, tal.amount, tl.mainline FROM transaction t JOIN transactionline tl ON tl.transaction = t.id ' +
        'JOIN transactionaccountingline tal ON tal.transaction = tl.transaction AND tal.transactionline = tl.id ' +
        "WHERE t.externalid IN ('uf-pay-1', 'dep-uf-1') AND tal.posting = 'T' ORDER BY t.externalid, tal.transactionline",
    );
    const items = (rows.body as { items: Array<Record<string, unknown>> }).items.map(
      ({ externalid, account, amount, mainline }) => ({ externalid, account, amount, mainline }),
    );
    expect(items).toEqual([
      { externalid: 'dep-uf-1', account: '230', amount: '144.75', mainline: 'T' },
      { externalid: 'dep-uf-1', account: '200', amount: '-100', mainline: 'F' },
      { externalid: 'dep-uf-1', account: '200', amount: '-50', mainline: 'F' },
      { externalid: 'dep-uf-1', account: '240', amount: '5.25', mainline: 'F' },
      { externalid: 'uf-pay-1', account: '200', amount: '100', mainline: 'T' },
      { externalid: 'uf-pay-1', account: '220', amount: '-100', mainline: 'F' },
    ]);
  });
});
