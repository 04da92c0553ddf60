// Record operations (docs/reference-notes.md#ns-records, #ns-errors, #ns-record-shapes): what a
// sync relies on for exactly-once writes: 204 + Location, look-up by eid:, unique externalIds,
// upsert, reference checks.
import { describe, expect, it } from 'vitest';
import { REC, client, createCustomer, firstError, idFrom, type Call } from './helpers.js';
import { useSandbox } from '../support/sandbox.js';

const sandbox = useSandbox();
const call: Call = client(sandbox);

const line = (item: string, quantity: number, rate: number) => ({ item: { id: item }, quantity, rate });

describe('create and read', () => {
  it('creates with 204 and a Location, and reads back by internal id and by eid:', async () => {
    const res = await call('POST', `${REC}/customer`, {
      companyName: 'Globex',
      email: 'ap@globex.test',
      subsidiary: { id: '1' },
      externalId: '2co-cust-globex',
    });
    expect(res.status).toBe(204);
    expect(res.json).toBeUndefined();
    const id = idFrom(res);
    expect(res.headers.get('location')).toBe(`${sandbox.url}${REC}/customer/${id}`);

    const byId = await call('GET', `${REC}/customer/${id}`);
    const byEid = await call('GET', `${REC}/customer/eid:2co-cust-globex`);
    expect(byId.status).toBe(200);
    expect(byEid.body).toEqual(byId.body);
    expect(byId.body).toMatchObject({
      id,
      companyName: 'Globex',
      externalId: '2co-cust-globex',
      isPerson: false,
      subsidiary: { id: '1', refName: 'Parent Company (US)' },
      currency: { id: '1', refName: 'US Dollar' },
    });
  });

  it('matches record types and input field names case-insensitively and answers camelCase', async () => {
    const id = idFrom(
      await call('POST', `${REC}/CUSTOMER`, {
        companyname: 'Initech',
        EMAIL: 'it@initech.test',
        Subsidiary: '2',
        externalid: 'initech',
      }),
    );
    const res = await call('GET', `${REC}/customer/eid:initech`);
    expect(res.body).toMatchObject({
      id,
      companyName: 'Initech',
      email: 'it@initech.test',
      subsidiary: { id: '2' },
      currency: { id: '2', refName: 'Euro' },
    });
    expect(res.body).not.toHaveProperty('companyname');
  });

  it('answers 404 NONEXISTENT_ID for a missing record and for an unknown record type', async () => {
    const missing = await call('GET', `${REC}/customer/eid:nobody`);
    expect(missing.status).toBe(404);
    expect(firstError(missing)).toMatchObject({ code: 'NONEXISTENT_ID', detail: 'Record does not exist.' });
    expect((await call('GET', `${REC}/noSuchRecord/1`)).status).toBe(404);
  });

  it('refuses a second record of a type with the same externalId (400 USER_ERROR) and stores nothing', async () => {
    await createCustomer(call, { externalId: 'dup-ext', email: 'first@example.com' });
    const again = await call('POST', `${REC}/customer`, {
      companyName: 'Twin',
      subsidiary: { id: '1' },
      externalId: 'dup-ext',
      email: 'twin@example.com',
    });
    expect(again.status).toBe(400);
    expect(firstError(again)).toMatchObject({
      code: 'USER_ERROR',
      detail: 'Error while accessing a resource. This entity already exists.',
    });
    expect(sandbox.records('customer').filter((c) => c.externalId === 'dup-ext')).toHaveLength(1);
  });

  it('requires a subsidiary on a customer (OneWorld)', async () => {
    const res = await call('POST', `${REC}/customer`, { companyName: 'No Sub' });
    expect(res.status).toBe(400);
    expect(firstError(res)).toMatchObject({ code: 'USER_ERROR', detail: 'Please enter value(s) for: Subsidiary' });
  });

  it('refuses a reference to a record that does not exist, with the path of the field', async () => {
    const customer = await createCustomer(call);
    const before = sandbox.records('salesOrder').length;
    const res = await call('POST', `${REC}/salesOrder`, {
      entity: { id: customer },
      item: { items: [line('100', 1, 10), line('9999', 1, 5)] },
    });
    expect(res.status).toBe(400);
    expect(firstError(res)).toEqual({
      code: 'INVALID_CONTENT',
      detail:
        'Error while accessing a resource. You have entered an Invalid Field Value 9999 for the following field: item',
      path: 'item.items[1].item',
    });
    expect(sandbox.records('salesOrder')).toHaveLength(before);
  });

  it('accepts references as {id}, bare strings and bare numbers', async () => {
    const customer = await createCustomer(call);
    const id = idFrom(
      await call('POST', `${REC}/salesOrder`, {
        entity: Number(customer),
        currency: '1',
        item: { items: [{ item: 101, quantity: 1, rate: 3 }] },
      }),
    );
    expect(sandbox.record('salesOrder', id)).toMatchObject({ entity: { id: customer }, currency: { id: '1' } });
  });

  it('refuses a transaction in a currency the customer does not trade in', async () => {
    const customer = await createCustomer(call);
    const res = await call('POST', `${REC}/salesOrder`, {
      entity: { id: customer },
      currency: { id: '2' },
      item: { items: [line('100', 1, 10)] },
    });
    expect(res.status).toBe(400);
    expect(firstError(res).code).toBe('USER_ERROR');
    expect(firstError(res).detail).toContain('EUR');
    // On the customer's currency list it is fine.
    const multi = await createCustomer(call, { currencyList: { items: [{ currency: { id: '2' } }] } });
    const ok = await call('POST', `${REC}/salesOrder`, {
      entity: { id: multi },
      currency: { id: '2' },
      item: { items: [line('100', 1, 10)] },
    });
    expect(ok.status).toBe(204);
    expect(sandbox.record('salesOrder', idFrom(ok))).toMatchObject({ exchangeRate: 1.08 });
  });

  it('drops custom fields the account does not define, with a warning header', async () => {
    const customer = await createCustomer(call);
    const res = await call('POST', `${REC}/salesOrder`, {
      entity: { id: customer },
      custbody_2co_refno: 'R-77',
      custbody_does_not_exist: 'x',
      item: { items: [line('100', 1, 10)] },
    });
    const so = sandbox.record('salesOrder', idFrom(res));
    expect(so).toMatchObject({ custbody_2co_refno: 'R-77' });
    expect(so).not.toHaveProperty('custbody_does_not_exist');
    expect(res.headers.get('x-netsuite-propertyvalidation')).toContain('custbody_does_not_exist');

    // Once the account defines the field, it is kept.
    sandbox.insert('customField', {
      id: 'custbody_does_not_exist',
      label: 'Now it does',
      fieldType: 'TEXT',
      appliesTo: 'transaction',
    });
    const later = await call('POST', `${REC}/salesOrder`, {
      entity: { id: customer },
      custbody_does_not_exist: 'y',
      item: { items: [line('100', 1, 10)] },
    });
    expect(sandbox.record('salesOrder', idFrom(later))).toMatchObject({ custbody_does_not_exist: 'y' });
    expect(later.headers.get('x-netsuite-propertyvalidation')).toBeNull();
  });
});

describe('transactions', () => {
  it('computes line amounts, totals, defaults and a document number', async () => {
    const customer = await createCustomer(call);
    const id = idFrom(
      await call('POST', `${REC}/salesOrder`, {
        entity: { id: customer },
        tranDate: '2026-02-01',
        shippingCost: 4.5,
        item: { items: [line('100', 3, 19.99), { item: { id: '102' }, amount: 10 }] },
      }),
    );
    const so = sandbox.record('salesOrder', id)!;
    expect(so).toMatchObject({
      subtotal: 69.97,
      total: 74.47,
      currency: { id: '1' },
      subsidiary: { id: '1' },
      exchangeRate: 1,
      status: { refName: 'Pending Billing' },
    });
    expect(so.tranId).toMatch(/^SO\d+$/);
    const items = (so.item as { items: Array<Record<string, unknown>> }).items;
    expect(items.map((l) => [l.line, l.quantity, l.rate, l.amount])).toEqual([
      [1, 3, 19.99, 59.97],
      [2, 1, 10, 10],
    ]);
  });

  it('shows sublists as links unless expandSubResources=true', async () => {
    const customer = await createCustomer(call);
    const id = idFrom(
      await call('POST', `${REC}/salesOrder`, { entity: { id: customer }, item: { items: [line('100', 1, 10)] } }),
    );
    const plain = await call('GET', `${REC}/salesOrder/${id}`);
    expect(plain.body.item).toEqual({ links: [{ rel: 'self', href: `${sandbox.url}${REC}/salesOrder/${id}/item` }] });
    const expanded = await call('GET', `${REC}/salesOrder/${id}?expandSubResources=true`);
    expect(expanded.body.item).toMatchObject({
      count: 1,
      items: [{ line: 1, amount: 10, item: { id: '100', refName: 'SOFT-BASIC' } }],
    });
  });

  it('upserts by eid: creating first, then updating the same record', async () => {
    const customer = await createCustomer(call);
    const body = { entity: { id: customer }, memo: 'first', otherRefNum: 'U-1', item: { items: [line('100', 1, 10)] } };
    const created = await call('PUT', `${REC}/salesOrder/eid:2co-so-U-1`, body);
    expect(created.status).toBe(204);
    const id = idFrom(created);
    const updated = await call('PUT', `${REC}/salesOrder/eid:2co-so-U-1?replace=item`, {
      ...body,
      memo: 'second',
      item: { items: [line('101', 2, 10)] },
    });
    expect(idFrom(updated)).toBe(id);
    const so = sandbox.record('salesOrder', id)!;
    expect(so).toMatchObject({ memo: 'second', otherRefNum: 'U-1', externalId: '2co-so-U-1', total: 20 });
    expect(sandbox.records('salesOrder').filter((s) => s.externalId === '2co-so-U-1')).toHaveLength(1);
  });

  it('adds the lines again when an upsert repeats them without ?replace=item (NetSuite merge rule)', async () => {
    const customer = await createCustomer(call);
    const body = { entity: { id: customer }, item: { items: [line('100', 1, 10)] } };
    const id = idFrom(await call('PUT', `${REC}/salesOrder/eid:2co-so-twice`, body));
    await call('PUT', `${REC}/salesOrder/eid:2co-so-twice`, body);
    expect(sandbox.record('salesOrder', id)).toMatchObject({ total: 20 });
  });

  it('patches: omitted fields kept, null clears, lines updated by `line`', async () => {
    const customer = await createCustomer(call);
    const id = idFrom(
      await call('POST', `${REC}/salesOrder`, {
        entity: { id: customer },
        memo: 'm',
        otherRefNum: 'P-1',
        item: { items: [line('100', 1, 10), line('101', 1, 5)] },
      }),
    );
    const res = await call('PATCH', `${REC}/salesOrder/${id}`, {
      memo: null,
      item: { items: [{ line: 2, quantity: 3 }] },
    });
    expect(res.status).toBe(204);
    const so = sandbox.record('salesOrder', id)!;
    expect(so).not.toHaveProperty('memo');
    expect(so).toMatchObject({ otherRefNum: 'P-1', total: 25 });
    const bad = await call('PATCH', `${REC}/salesOrder/${id}`, { item: { items: [{ line: 42, quantity: 1 }] } });
    expect(firstError(bad)).toMatchObject({ code: 'INVALID_CONTENT', path: 'item.items[0].line' });
  });

  it('closes a sales order when all its lines are closed, and refuses to bill it', async () => {
    const customer = await createCustomer(call);
    const id = idFrom(
      await call('POST', `${REC}/salesOrder`, {
        entity: { id: customer },
        item: { items: [line('100', 1, 10), line('101', 1, 5)] },
      }),
    );
    await call('PATCH', `${REC}/salesOrder/${id}`, { item: { items: [{ line: 1, isClosed: true }] } });
    expect(sandbox.record('salesOrder', id)!.status).toMatchObject({ refName: 'Pending Billing' });
    await call('PATCH', `${REC}/salesOrder/${id}`, { item: { items: [{ line: 2, isClosed: true }] } });
    expect(sandbox.record('salesOrder', id)!.status).toMatchObject({ refName: 'Closed' });
    const bill = await call('POST', `${REC}/salesOrder/${id}/!transform/invoice`);
    expect(bill.status).toBe(400);
    expect(firstError(bill).code).toBe('USER_ERROR');
  });

  it('deletes a record, but not one others depend on', async () => {
    const customer = await createCustomer(call);
    const so = idFrom(
      await call('POST', `${REC}/salesOrder`, { entity: { id: customer }, item: { items: [line('100', 1, 10)] } }),
    );
    expect(firstError(await call('DELETE', `${REC}/customer/${customer}`)).code).toBe('USER_ERROR');
    expect((await call('DELETE', `${REC}/salesOrder/${so}`)).status).toBe(204);
    expect((await call('GET', `${REC}/salesOrder/${so}`)).status).toBe(404);
    expect((await call('DELETE', `${REC}/customer/${customer}`)).status).toBe(204);
  });

  it('stores generic custom records (subscription state)', async () => {
    const res = await call('PUT', `${REC}/customrecord_2co_subscription/eid:2co-sub-ABC`, {
      name: 'ABC',
      custrecord_status: 'ACTIVE',
      custrecord_customer: { id: '1' },
    });
    const id = idFrom(res);
    const got = await call('GET', `${REC}/customrecord_2co_subscription/eid:2co-sub-ABC`);
    expect(got.body).toMatchObject({ id, name: 'ABC', custrecord_status: 'ACTIVE', externalId: '2co-sub-ABC' });
  });
});
