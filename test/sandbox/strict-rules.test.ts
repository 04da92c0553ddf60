// The rules a production account enforces that the sandbox enforces too (sandbox/netsuite/README.md,
// "Strict rules"): overlapping updates of one record ("Record has been changed"), and transforms
// refused on demand for a form's mandatory field or a closed source.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NetSuiteSandbox } from '../../sandbox/netsuite/index.js';
import { REC, client, createCustomer, firstError, idFrom, type Call } from './helpers.js';
import { startSandbox } from '../support/sandbox.js';

let sandbox: NetSuiteSandbox;
let call: Call;

beforeAll(async () => {
  sandbox = await startSandbox();
  call = client(sandbox);
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.clearFaults();
  sandbox.setLatency(undefined);
  sandbox.resetStats();
});

describe('optimistic locking: overlapping updates of one record', () => {
  it('refuses the update that loaded the record before another write saved it, and stores nothing of it', async () => {
    const id = await createCustomer(call, { email: 'locked@example.com', phone: '1' });
    // The first PATCH loads the record, then takes 400 ms; the second saves meanwhile.
    sandbox.injectFault({ kind: 'hang', method: 'PATCH', pathIncludes: `/customer/${id}`, hangMs: 400 });
    const slow = call('PATCH', `${REC}/customer/${id}`, { phone: 'from-slow' });
    await vi.waitFor(() => expect(sandbox.stats().faultsInjected).toBe(1));
    const fast = await call('PATCH', `${REC}/customer/${id}`, { comments: 'from-fast' });
    expect(fast.status).toBe(204);
    const refused = await slow;
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('type=error');
    expect(firstError(refused)).toMatchObject({ code: 'USER_ERROR', detail: 'Record has been changed.' });
    expect(sandbox.record('customer', id)).toMatchObject({ phone: '1', comments: 'from-fast' });
    expect(sandbox.stats().recordChanged).toBe(1);
    // Read again and retried, it goes through.
    expect((await call('PATCH', `${REC}/customer/${id}`, { phone: 'from-slow' })).status).toBe(204);
    expect(sandbox.record('customer', id)).toMatchObject({ phone: 'from-slow', comments: 'from-fast' });
  });

  it('applies to a PUT upsert of a record that exists, not to creating one or to updates that do not overlap', async () => {
    const body = { name: 'S1', custrecord_status: 'ACTIVE' };
    sandbox.injectFault({ kind: 'hang', method: 'PUT', pathIncludes: 'eid:lock-1', hangMs: 300 });
    // Creating: nothing was loaded, so nothing can have changed.
    const created = call('PUT', `${REC}/customrecord_2co_state/eid:lock-1`, body);
    expect((await created).status).toBe(204);
    const first = sandbox.record('customrecord_2co_state', 'eid:lock-1')!;
    sandbox.injectFault({ kind: 'hang', method: 'PUT', pathIncludes: 'eid:lock-1', hangMs: 300 });
    const slow = call('PUT', `${REC}/customrecord_2co_state/eid:lock-1`, { ...body, custrecord_status: 'PAST_DUE' });
    await vi.waitFor(() => expect(sandbox.stats().faultsInjected).toBe(2));
    expect(
      (await call('PATCH', `${REC}/customrecord_2co_state/${String(first.id)}`, { custrecord_note: 'by finance' }))
        .status,
    ).toBe(204);
    expect(firstError(await slow).detail).toBe('Record has been changed.');
    expect(sandbox.record('customrecord_2co_state', 'eid:lock-1')).toMatchObject({
      custrecord_status: 'ACTIVE',
      custrecord_note: 'by finance',
    });
    // One after the other: no conflict.
    expect(
      (await call('PUT', `${REC}/customrecord_2co_state/eid:lock-1`, { ...body, custrecord_status: 'PAST_DUE' }))
        .status,
    ).toBe(204);
  });

  it('gives the same refusal on demand (fault recordChanged), without storing anything', async () => {
    const id = await createCustomer(call, { phone: '7' });
    sandbox.injectFault({ kind: 'recordChanged', method: 'PATCH', pathIncludes: `/customer/${id}` });
    const res = await call('PATCH', `${REC}/customer/${id}`, { phone: '8' });
    expect(res.status).toBe(400);
    expect(firstError(res).detail).toBe('Record has been changed.');
    expect(sandbox.record('customer', id)).toMatchObject({ phone: '7' });
  });
});

describe('transforms refused on demand', () => {
  const salesOrder = async (): Promise<string> => {
    const customer = await createCustomer(call);
    return idFrom(
      await call('POST', `${REC}/salesOrder`, {
        entity: { id: customer },
        item: { items: [{ item: { id: '100' }, quantity: 1, rate: 10 }] },
      }),
    );
  };

  it('mandatoryField: 400 "Please enter value(s) for: <field>", nothing created', async () => {
    const so = await salesOrder();
    sandbox.injectFault({
      kind: 'mandatoryField',
      method: 'POST',
      pathIncludes: '!transform/invoice',
      field: 'Department',
    });
    const res = await call('POST', `${REC}/salesOrder/${so}/!transform/invoice`, { externalId: 'mf-inv' });
    expect(res.status).toBe(400);
    expect(firstError(res)).toMatchObject({
      code: 'USER_ERROR',
      detail: 'Please enter value(s) for: Department',
      path: 'department',
    });
    expect(sandbox.record('invoice', 'eid:mf-inv')).toBeUndefined();
  });

  it('sourceClosed on demand, and the real states: a closed order and one billed in full', async () => {
    const so = await salesOrder();
    sandbox.injectFault({ kind: 'sourceClosed', method: 'POST', pathIncludes: '!transform/invoice' });
    const onDemand = await call('POST', `${REC}/salesOrder/${so}/!transform/invoice`, {});
    expect(firstError(onDemand)).toMatchObject({ code: 'USER_ERROR', detail: expect.stringMatching(/closed/) });

    expect(
      (await call('PATCH', `${REC}/salesOrder/${so}`, { item: { items: [{ line: 1, isClosed: true }] } })).status,
    ).toBe(204);
    expect(firstError(await call('POST', `${REC}/salesOrder/${so}/!transform/invoice`, {})).detail).toMatch(/closed/);

    const billed = await salesOrder();
    expect((await call('POST', `${REC}/salesOrder/${billed}/!transform/invoice`, {})).status).toBe(204);
    expect(firstError(await call('POST', `${REC}/salesOrder/${billed}/!transform/invoice`, {})).detail).toMatch(
      /billed in full/,
    );
  });
});
