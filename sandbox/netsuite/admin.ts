// The sandbox's own control surface under /__sandbox/ for other processes (benchmark, demo
// scripts): unauthenticated, plain JSON, never part of what a NetSuite client talks to.
import { z } from 'zod';
import { faultRuleSchema } from './faults.js';
import { latencySchema } from './latency.js';
import type { NetSuiteSandbox } from './sandbox.js';
import { TRANSACTION_TYPES } from './record-types.js';

export const ADMIN_PREFIX = '/__sandbox/';

const configSchema = z.object({
  concurrencyLimit: z.number().int().min(1).optional(),
  latency: latencySchema.nullable().optional(),
  transformKeepsExternalId: z.boolean().optional(),
  multiSubsidiaryCustomers: z.boolean().optional(),
  transactionExternalIdEditable: z.boolean().optional(),
});
const periodBody = z.strictObject({
  closed: z.boolean().optional(),
  arLocked: z.boolean().optional(),
  allLocked: z.boolean().optional(),
  allowNonGLChanges: z.boolean().optional(),
});
const recordBody = z.record(z.string(), z.unknown());

export interface AdminResponse {
  status: number;
  body?: unknown;
}

const bad = (message: string): AdminResponse => ({ status: 400, body: { error: message } });

function parse<T>(schema: z.ZodType<T>, text: string): { ok: true; value: T } | { ok: false; response: AdminResponse } {
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, response: bad('body is not valid JSON') };
  }
  const r = schema.safeParse(json);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, response: bad(r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')) };
}

/**
 * The NetSuite UI's record pages, stood in for (`/__sandbox/ui` is what npm start gives the status
 * page as NETSUITE_UI_URL): a transaction's or customer's page is its stored record, as JSON.
 */
const UI_PAGES: Record<string, readonly string[]> = {
  'ui/app/accounting/transactions/transaction.nl': Object.keys(TRANSACTION_TYPES),
  'ui/app/common/entity/custjob.nl': ['customer'],
};

export function handleAdmin(
  sandbox: NetSuiteSandbox,
  method: string,
  pathname: string,
  body: string,
  query?: URLSearchParams,
): AdminResponse {
  const path = pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
  const uiTypes = UI_PAGES[path];
  if (uiTypes && method.toUpperCase() === 'GET') {
    const id = query?.get('id') ?? '';
    for (const type of uiTypes) {
      const record = sandbox.records(type).find((r) => String(r.id) === id);
      if (record) return { status: 200, body: { recordType: type, ...record } };
    }
    return {
      status: 404,
      body: {
        error: `no record with internal id ${JSON.stringify(id)} (the sandbox shows ${uiTypes.join(', ')} here)`,
      },
    };
  }
  const [head, arg] = path.split('/').map(decodeURIComponent);
  const route = `${method.toUpperCase()} ${head ?? ''}${arg !== undefined ? '/:arg' : ''}`;
  switch (route) {
    case 'GET stats':
      return { status: 200, body: sandbox.stats() };
    case 'POST stats/:arg':
      if (arg !== 'reset') break;
      sandbox.resetStats();
      return { status: 204 };
    case 'GET records/:arg':
      return { status: 200, body: sandbox.records(arg!) };
    case 'POST records/:arg': {
      const p = parse(recordBody, body);
      if (!p.ok) return p.response;
      try {
        return { status: 201, body: { id: sandbox.insert(arg!, p.value) } };
      } catch (e) {
        return bad(e instanceof Error ? e.message : String(e));
      }
    }
    case 'GET created/:arg': {
      // Incremental: `/__sandbox/created/<last seq seen>` returns only newer creations.
      const after = Number(arg);
      if (!Number.isInteger(after) || after < 0)
        return bad(`created/<after>: after must be a non-negative integer, got ${JSON.stringify(arg)}`);
      return { status: 200, body: sandbox.createdSince(after) };
    }
    case 'GET gl/:arg':
      // GL balance of one account (internal id): `/__sandbox/gl/201`.
      return { status: 200, body: sandbox.accountBalance(arg!) };
    case 'GET duplicates':
      return { status: 200, body: sandbox.duplicates() };
    case 'POST faults': {
      const p = parse(faultRuleSchema, body);
      if (!p.ok) return p.response;
      sandbox.injectFault(p.value);
      return { status: 204 };
    }
    case 'DELETE faults':
      sandbox.clearFaults();
      return { status: 204 };
    case 'POST config': {
      const p = parse(configSchema, body);
      if (!p.ok) return p.response;
      if (p.value.concurrencyLimit !== undefined) sandbox.setConcurrencyLimit(p.value.concurrencyLimit);
      if (p.value.latency !== undefined) sandbox.setLatency(p.value.latency ?? undefined);
      if (p.value.transformKeepsExternalId !== undefined)
        sandbox.setTransformKeepsExternalId(p.value.transformKeepsExternalId);
      if (p.value.multiSubsidiaryCustomers !== undefined)
        sandbox.setMultiSubsidiaryCustomers(p.value.multiSubsidiaryCustomers);
      if (p.value.transactionExternalIdEditable !== undefined)
        sandbox.setTransactionExternalIdEditable(p.value.transactionExternalIdEditable);
      return { status: 204 };
    }
    case 'POST periods/:arg': {
      // `/__sandbox/periods/2026-03` with `{"closed": true}` (or arLocked / allLocked, false to reopen).
      const p = parse(periodBody, body);
      if (!p.ok) return p.response;
      try {
        return { status: 200, body: sandbox.setPeriod(arg!, p.value) };
      } catch (e) {
        return bad(e instanceof Error ? e.message : String(e));
      }
    }
    default:
      break;
  }
  return { status: 404, body: { error: `no admin route ${method} ${pathname}` } };
}
