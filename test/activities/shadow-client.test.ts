// Shadow mode's NetSuite client (activities/shadow-client.ts): reads reach NetSuite, writes never
// do; each write is kept as the body it would have sent, answered with a made-up id, so the real
// activity code runs over it unchanged (shadow verdicts; payouts in SYNC_MODE_PAYOUTS=shadow).
import { describe, expect, it } from 'vitest';
import { WriteRecorder } from '../../activities/shadow-client.js';
import { suiteql } from '../../netsuite/suiteql.js';
import { FakeNetSuite } from './fake-netsuite.js';

describe('the shadow client', () => {
  it('passes reads through, keeps writes, and sends none of them', async () => {
    const ns = new FakeNetSuite();
    const existing = ns.seed('customer', { externalId: 'c-1', email: 'a@example.com' });
    const shadow = new WriteRecorder(ns);
    expect(await shadow.get('customer', existing.id)).toMatchObject({ email: 'a@example.com' });
    await shadow.suiteqlAll(suiteql`SELECT id FROM customer WHERE externalid = ${'c-1'}`);

    const so = await shadow.upsert('salesOrder', '2co-so-1', { entity: { id: existing.id } });
    const inv = await shadow.transform('salesOrder', so.id, 'invoice', { externalId: '2co-inv-1', memo: 'm' });
    await shadow.update('customer', existing.id, { currencyList: { items: [{ currency: { id: '2' } }] } });
    const created = await shadow.create('customerSubsidiaryRelationship', {
      entity: { id: existing.id },
      subsidiary: { id: '2' },
    });
    await shadow.delete();

    expect([so.id, inv.id, created.id]).toEqual(['shadow-1', 'shadow-2', 'shadow-3']);
    // A record the shadow made up does not exist in NetSuite.
    expect(await shadow.get('salesOrder', so.id)).toBeUndefined();
    expect(shadow.writes).toEqual([
      { record: 'salesOrder', action: 'upsert', externalId: '2co-so-1', body: { entity: { id: existing.id } } },
      {
        record: 'invoice',
        action: 'transform',
        externalId: '2co-inv-1',
        body: { externalId: '2co-inv-1', memo: 'm', from: { type: 'salesOrder', id: 'shadow-1' } },
      },
      {
        record: 'customer',
        action: 'link',
        id: existing.id,
        body: { currencyList: { items: [{ currency: { id: '2' } }] } },
      },
      {
        record: 'customerSubsidiaryRelationship',
        action: 'create',
        body: { entity: { id: existing.id }, subsidiary: { id: '2' } },
      },
    ]);
    expect(ns.calls.map((c) => c.kind)).toEqual(['get', 'suiteql']);
  });
});
