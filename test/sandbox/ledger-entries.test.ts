// Journal entries and deposits in the NetSuite sandbox, and the GL balances they leave behind:
// what the payout tests rely on to say "the clearing account is empty, the bank got the money".
import { describe, expect, it } from 'vitest';
import { REC, client, firstError, idFrom, suiteql, type Call } from './helpers.js';
import { useSandbox } from '../support/sandbox.js';

const sandbox = useSandbox();
const call: Call = client(sandbox);

describe('journalEntry and deposit', () => {
  it('posts a balanced journal and shows its GL effect; refuses an unbalanced one and changes nothing', async () => {
    const ok = await call('POST', `${REC}/journalEntry`, {
      externalId: 'je-1',
      currency: { id: '1' },
      line: { items: [{ account: { id: '230' }, debit: 96.15 }, { account: { id: '240' }, debit: 3.85 }, { account: { id: '201' }, credit: 100 }] },
    });
    expect(ok.status).toBe(204);
    const id = idFrom(ok);
    const got = await call('GET', `${REC}/journalEntry/${id}`);
    expect(got.body).toMatchObject({ externalId: 'je-1', total: 100 });
    expect(sandbox.accountBalance('230')).toMatchObject({ byCurrency: { USD: 96.15 }, base: 96.15 });
    expect(sandbox.accountBalance('201')).toMatchObject({ byCurrency: { USD: -100 } });

    const bad = await call('POST', `${REC}/journalEntry`, {
      line: { items: [{ account: { id: '230' }, debit: 10 }, { account: { id: '201' }, credit: 9.99 }] },
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
    const neg = await call('POST', `${REC}/deposit`, { account: { id: '230' }, other: { items: [{ account: { id: '203' }, amount: 1 }] }, cashback: { items: [{ account: { id: '241' }, amount: 2 }] } });
    expect(neg.status).toBe(400);
  });
});
