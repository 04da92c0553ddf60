// SuiteQL over the stored records (docs/reference-notes.md#ns-suiteql): the look-ups the sync makes, the result
// shape (lower-case keys, strings, 'T'/'F', NULLs left out), paging and errors.
import { describe, expect, it } from 'vitest';
import { day, suiteql as sql } from '../../netsuite/suiteql.js';
import {
  REC,
  SUITEQL,
  client,
  createCustomer,
  firstError,
  idFrom,
  suiteql,
  suiteqlBody,
  type Call,
} from './helpers.js';
import { useSandbox } from '../support/sandbox.js';

const sandbox = useSandbox();
const call: Call = client(sandbox);

const items = (res: Awaited<ReturnType<Call>>) => res.body.items as Array<Record<string, unknown>>;

describe('SuiteQL', () => {
  it('finds a customer by e-mail whatever its case, with lower-case string columns', async () => {
    const id = await createCustomer(call, {
      email: 'Jane.Doe@Example.com',
      externalId: '2co-cust-jane',
      companyName: 'Jane Co',
    });
    const res = await suiteql(
      call,
      sql`SELECT id, entityid, companyName, email, externalid, isperson, subsidiary, currency, phone FROM customer WHERE LOWER(email) = LOWER(${'jane.doe@example.COM'})`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('type=collection');
    expect(res.body).toMatchObject({ count: 1, hasMore: false, offset: 0, totalResults: 1 });
    const [row] = items(res);
    expect(row).toEqual({
      links: [],
      id,
      entityid: expect.any(String),
      companyname: 'Jane Co',
      email: 'Jane.Doe@Example.com',
      externalid: '2co-cust-jane',
      isperson: 'F',
      subsidiary: '1',
      currency: '1',
    });
  });

  it('finds transactions by external id and type, sees later writes, and answers numbers as strings', async () => {
    const customer = await createCustomer(call);
    const so = idFrom(
      await call('POST', `${REC}/salesOrder`, {
        entity: { id: customer },
        externalId: '2co-so-Q1',
        otherRefNum: 'Q1',
        item: { items: [{ item: { id: '100' }, quantity: 2, rate: 12.5 }] },
      }),
    );
    const q = (eid: string, type: string) =>
      sql`SELECT id, tranid, type, recordtype, status, entity, foreigntotal, createdfrom FROM transaction WHERE externalid = ${eid} AND type = ${type}`;
    expect(items(await suiteql(call, q('2co-so-Q1', 'SalesOrd')))).toEqual([
      {
        links: [],
        id: so,
        tranid: expect.stringMatching(/^SO/),
        type: 'SalesOrd',
        recordtype: 'salesorder',
        status: 'F',
        entity: customer,
        foreigntotal: '25',
      },
    ]);
    expect(items(await suiteql(call, q('2co-so-Q1', 'CustInvc')))).toEqual([]);

    const inv = idFrom(await call('POST', `${REC}/salesOrder/${so}/!transform/invoice`, { externalId: '2co-inv-Q1' }));
    expect(items(await suiteql(call, q('2co-inv-Q1', 'CustInvc')))).toMatchObject([
      { id: inv, createdfrom: so, foreigntotal: '25' },
    ]);
    const lines = await suiteql(
      call,
      sql`SELECT line, item, quantity, rate, foreignamount, mainline FROM transactionline WHERE transaction = ${inv} AND mainline = 'F'`,
    );
    expect(items(lines)).toEqual([
      { links: [], line: '1', item: '100', quantity: '2', rate: '12.5', foreignamount: '25', mainline: 'F' },
    ]);
  });

  it('supports IN, case-sensitive LIKE, COUNT and ORDER BY over the seed items', async () => {
    const inList = await suiteql(
      call,
      sql`SELECT itemid FROM item WHERE itemid IN (${['SOFT-PRO', 'SOFT-BASIC', 'NOPE']}) ORDER BY itemid DESC`,
    );
    expect(items(inList).map((r) => r.itemid)).toEqual(['SOFT-PRO', 'SOFT-BASIC']);
    const like = await suiteql(call, "SELECT COUNT(*) AS n FROM item WHERE itemid LIKE 'SUB-%'");
    expect(items(like)).toEqual([{ links: [], n: '3' }]);
    expect(items(await suiteql(call, "SELECT COUNT(*) AS n FROM item WHERE itemid LIKE 'sub-%'"))).toEqual([
      { links: [], n: '0' },
    ]);
    const unnamed = await suiteql(call, "SELECT COUNT(*) FROM currency WHERE isinactive = 'F'");
    expect(items(unnamed)).toEqual([{ links: [], expr1: '6' }]);
  });

  it('finds the exchange rate on a date with TO_DATE', async () => {
    const q = (on: string) =>
      sql`SELECT exchangerate, effectivedate FROM currencyrate WHERE basecurrency = ${1} AND transactioncurrency = ${'2'} AND effectivedate <= ${day(on)} ORDER BY effectivedate DESC`;
    expect(items(await suiteql(call, q('2026-03-01')))).toEqual([
      { links: [], exchangerate: '1.08', effectivedate: '2026-01-01' },
    ]);
    expect(items(await suiteql(call, q('2025-12-31')))).toEqual([]);
  });

  it('queries custom fields the account defines, before and after a record carries them', async () => {
    const q = sql`SELECT id FROM transaction WHERE custbody_2co_refno = ${'CF-1'}`;
    expect(items(await suiteql(call, q))).toEqual([]);
    const customer = await createCustomer(call);
    const so = idFrom(
      await call('POST', `${REC}/salesOrder`, {
        entity: { id: customer },
        custbody_2co_refno: 'CF-1',
        item: { items: [{ item: { id: '100' }, rate: 1 }] },
      }),
    );
    expect(items(await suiteql(call, q))).toEqual([{ links: [], id: so }]);
    const fields = await suiteql(
      call,
      "SELECT scriptid, fieldtype FROM customfield WHERE scriptid LIKE 'custentity%' ORDER BY scriptid",
    );
    expect(items(fields).map((r) => r.scriptid)).toEqual([
      'custentity_2co_customer_ref',
      'custentity_2co_subscriptions',
    ]);
  });

  it('queries custom record tables, even before the first record exists', async () => {
    const q = sql`SELECT id, custrecord_status FROM customrecord_2co_state WHERE externalid = ${'s-1'}`;
    expect(items(await suiteql(call, q))).toEqual([]);
    const id = idFrom(
      await call('PUT', `${REC}/customrecord_2co_state/eid:s-1`, {
        name: 'S1',
        custrecord_status: 'ACTIVE',
        custrecord_active: true,
      }),
    );
    expect(
      items(
        await suiteql(
          call,
          sql`SELECT id, custrecord_status, custrecord_active FROM customrecord_2co_state WHERE externalid = ${'s-1'}`,
        ),
      ),
    ).toEqual([{ links: [], id, custrecord_status: 'ACTIVE', custrecord_active: 'T' }]);
  });

  it('pages with limit and offset, and refuses an offset that is not a multiple of the limit', async () => {
    const q = 'SELECT id FROM item ORDER BY id';
    const first = await suiteql(call, q, '?limit=4&offset=0');
    expect(first.body).toMatchObject({ count: 4, hasMore: true, offset: 0, totalResults: 11 });
    const last = await suiteql(call, q, '?limit=4&offset=8');
    expect(last.body).toMatchObject({ count: 3, hasMore: false, offset: 8, totalResults: 11 });
    expect(items(last).map((r) => r.id)).toEqual(['112', '113', '114']);
    const links = first.body.links as Array<{ rel: string; href: string }>;
    expect(links.find((l) => l.rel === 'next')?.href).toBe(`${sandbox.url}${SUITEQL}?limit=4&offset=4`);

    const bad = await suiteql(call, q, '?limit=4&offset=3');
    expect(bad.status).toBe(400);
    expect(firstError(bad).code).toBe('INVALID_PARAMETER');
    expect((await suiteql(call, q, '?limit=1001')).status).toBe(400);
  });

  it('names the unknown column or table in a 400, and refuses syntax errors and writes', async () => {
    const col = await suiteql(call, 'SELECT id, balance FROM customer');
    expect(col.status).toBe(400);
    expect(firstError(col).code).toBe('NONEXISTENT_FIELD');
    expect(firstError(col).detail).toContain("Unknown identifier 'balance'");

    const table = await suiteql(call, 'SELECT id FROM employeez');
    expect(firstError(table)).toMatchObject({ code: 'INVALID_REQUEST', detail: expect.stringContaining('employeez') });
    expect(firstError(await suiteql(call, 'SELEC id FROM customer')).code).toBe('INVALID_REQUEST');
    expect(firstError(await suiteql(call, 'DELETE FROM customer')).code).toBe('INVALID_REQUEST');
  });

  // SuiteQL over REST takes `q` only (docs/reference-notes.md#ns-suiteql): the sandbox refuses what a
  // client relying on bound parameters would send, with NetSuite's 400 problem-details shape.
  it('refuses a body with params, and a query that still has a ? placeholder', async () => {
    await createCustomer(call, { email: 'params@example.com' });
    const withParams = await suiteqlBody(call, {
      q: 'SELECT id FROM customer WHERE email = ?',
      params: ['params@example.com'],
    });
    expect(withParams.status).toBe(400);
    expect(withParams.headers.get('content-type')).toContain('type=error');
    expect(withParams.body).toMatchObject({
      status: 400,
      title: 'Bad Request',
      type: expect.stringContaining('rfc2616'),
    });
    expect(firstError(withParams)).toMatchObject({
      code: 'INVALID_CONTENT',
      path: 'params',
      detail: expect.stringContaining('only "q"'),
    });
    // Even an empty params list: the property itself is not part of the REST body.
    expect((await suiteqlBody(call, { q: 'SELECT id FROM customer', params: [] })).status).toBe(400);

    const placeholder = await suiteql(call, 'SELECT id FROM customer WHERE email = ?');
    expect(placeholder.status).toBe(400);
    expect(firstError(placeholder)).toMatchObject({
      code: 'INVALID_REQUEST',
      detail: expect.stringContaining("Syntax error near '?'"),
    });
    // A ? inside a literal is text, not a placeholder.
    const literal = await suiteql(call, sql`SELECT COUNT(*) AS n FROM customer WHERE email = ${'who?@example.com'}`);
    expect(items(literal)).toEqual([{ links: [], n: '0' }]);
    expect(
      items(await suiteql(call, sql`SELECT COUNT(*) AS n FROM customer WHERE email = ${'params@example.com'}`)),
    ).toEqual([{ links: [], n: '1' }]);
  });

  it('requires Prefer: transient', async () => {
    const res = await call('POST', SUITEQL, { q: 'SELECT id FROM currency' });
    expect(res.status).toBe(400);
  });
});
