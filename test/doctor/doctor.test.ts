// `npm run doctor` against a prepared account (what npm start runs) passes; against an unprepared
// one (custom objects not deployed, today's period closed, a permission missing, a wrong merchant
// code, a mapping that disagrees with the account, a namespace without search attributes or the
// nightly Schedule) it lists every missing piece with its fix in one run and exits 1.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import { registerSearchAttributes } from '../../shared/register-search-attributes.js';
import { startNetSuiteSandbox, type NetSuiteSandbox, type UnpreparedAccount } from '../../sandbox/netsuite/index.js';
import { startTwoCheckoutApiSandbox, type ApiSandbox } from '../../sandbox/twocheckout/api/index.js';
import { ensureNightlySchedule } from '../../scripts/lib/completeness/schedule.js';
import { runDoctor } from '../../scripts/lib/doctor/command.js';
import { demoCredentials } from '../support/stack.js';
import { connectTestEnv, eventually } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let api: ApiSandbox;
const VENDOR = 'DOCTORVENDOR';

async function namespace(prepared: boolean): Promise<string> {
  const ns = `doctor-${randomUUID().slice(0, 8)}`;
  const connection = env.connection as Connection;
  await connection.workflowService.registerNamespace({
    namespace: ns,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  await eventually(
    () =>
      connection.workflowService.describeNamespace({ namespace: ns }).then(
        () => true,
        () => false,
      ),
    (ok) => ok,
  );
  if (prepared) {
    await registerSearchAttributes(connection, ns);
    await ensureNightlySchedule(new Client({ connection, namespace: ns }), { cron: '30 2 * * *', days: 2 });
  }
  return ns;
}

beforeAll(async () => {
  env = await connectTestEnv();
  api = await startTwoCheckoutApiSandbox({ port: 0, vendorCode: VENDOR, secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY });
});
afterAll(async () => {
  await api?.close();
  await env?.teardown();
});

async function doctorAgainst(sandbox: NetSuiteSandbox, ns: string, extra: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const result = await runDoctor({
    env: {
      ...DEMO_ENV,
      NETSUITE_BASE_URL: sandbox.url,
      TWOCHECKOUT_VENDOR_CODE: VENDOR,
      TWOCHECKOUT_API_BASE_URL: api.apiUrl,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: ns,
      MAPPINGS_FILE: 'config/mappings.yaml',
      ...extra,
    },
    io: { out: (t) => out.push(t) },
  });
  return { ...result, text: out.join('\n') };
}

async function withSandbox<T>(
  unprepared: UnpreparedAccount | undefined,
  run: (s: NetSuiteSandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startNetSuiteSandbox({
    port: 0,
    credentials: demoCredentials,
    ...(unprepared ? { unprepared } : {}),
  });
  try {
    return await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

describe('npm run doctor', () => {
  it('passes against a prepared account (the sandbox npm start runs), and changes nothing there', async () => {
    const ns = await namespace(true);
    await withSandbox(undefined, async (sandbox) => {
      const before = sandbox.createdSince().length;
      const r = await doctorAgainst(sandbox, ns);
      expect(r.findings.failures).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.text).toContain('Everything the sync needs is there.');
      for (const check of [
        'credentials and SuiteQL',
        'role reaches customerRefund',
        'custom record type customrecord_2co_subscription',
        'transaction body field custbody_2co_refno',
        'mapping ids',
        'adoption look-ups',
        'custom record type customrecord_2co_adoption',
        'accounting period of',
        'API key and merchant code',
        'search attributes',
        'Schedule nightly-reconciliation',
      ]) {
        expect(
          r.findings.all.some((f) => f.status === 'ok' && f.check.startsWith(check)),
          check,
        ).toBe(true);
      }
      expect(sandbox.createdSince().length).toBe(before);
    });
  });

  it('lists every missing piece of an unprepared account, each with its fix, in one run, and exits 1', async () => {
    const ns = await namespace(false);
    const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
    const mappings = join(dir, 'mappings.yaml');
    writeFileSync(
      mappings,
      readFileSync('config/mappings.yaml', 'utf8').replace(
        'JPY: { id: 4, precision: 0 }',
        'JPY: { id: 4, precision: 2 }',
      ),
    );
    const missing = [
      'customrecord_2co_subscription',
      'custbody_2co_fx_rate',
      'custrecord_2co_sub_item',
      'custentity_2co_customer_ref',
    ];
    await withSandbox(
      { missingCustomObjects: missing, closeTodaysPeriod: true, deniedRecordTypes: ['customerRefund'] },
      async (sandbox) => {
        const r = await doctorAgainst(sandbox, ns, { TWOCHECKOUT_VENDOR_CODE: 'WRONGVENDOR', MAPPINGS_FILE: mappings });
        expect(r.code).toBe(1);
        const failed = (check: string) => r.findings.failures.find((f) => f.check.startsWith(check));
        expect(failed('custom record type customrecord_2co_subscription')?.fix).toContain('suitecloud project:deploy');
        expect(failed('custom record type customrecord_2co_completeness')).toBeUndefined();
        expect(failed('transaction body field custbody_2co_fx_rate')?.detail).toBe('does not exist');
        expect(failed('transaction body field custbody_2co_refno')).toBeUndefined();
        expect(failed('entity field custentity_2co_customer_ref')).toBeDefined();
        expect(failed('field of customrecord_2co_subscription custrecord_2co_sub_item')).toBeDefined();
        expect(r.findings.all.find((f) => f.check === 'role reaches customrecord_2co_subscription')?.status).toBe(
          'skip',
        );
        expect(failed('accounting period of')?.detail).toMatch(/is closed/);
        expect(failed('role reaches customerRefund')?.fix).toContain('Transactions > Customer Refund');
        expect(failed('mapping currencies.JPY.precision')?.detail).toContain(
          'precision 0 in NetSuite, but the sync would post 2 decimals',
        );
        expect(failed('API key and merchant code')?.fix).toContain('TWOCHECKOUT_VENDOR_CODE');
        expect(failed('search attributes')?.fix).toContain('temporal operator search-attribute create --namespace');
        expect(failed('Schedule nightly-reconciliation')?.fix).toContain('npm run reconcile -- --schedule');
        // The ones that are there are still reported as such.
        expect(r.findings.all.some((f) => f.status === 'ok' && f.check === 'role reaches salesOrder')).toBe(true);
        expect(r.text).toMatch(/\d+ problems: the sync is not ready/);
      },
    );
  });

  it('says once that no custom object exists on a fresh account', async () => {
    const ns = await namespace(true);
    await withSandbox({ missingCustomObjects: true }, async (sandbox) => {
      const r = await doctorAgainst(sandbox, ns);
      const custom = r.findings.failures.filter((f) => f.check.includes('custom') || f.check.includes('field'));
      expect(custom.map((f) => f.check)).toEqual(expect.arrayContaining(['custom objects']));
      expect(r.findings.failures.find((f) => f.check === 'custom objects')?.detail).toContain(
        'none of the 36 custom fields and record types',
      );
      expect(r.code).toBe(1);
    });
  });

  it('says what is wrong with the configuration, all of it, and still checks Temporal', async () => {
    const ns = await namespace(true);
    const out: string[] = [];
    const r = await runDoctor({
      env: { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: ns, MAPPINGS_FILE: 'no/such/file.yaml' },
      io: { out: (t) => out.push(t) },
    });
    expect(r.code).toBe(1);
    const config = r.findings.failures.filter((f) => f.area === 'configuration').map((f) => f.check);
    expect(config).toEqual(
      expect.arrayContaining([
        'NetSuite (NETSUITE_*)',
        'mapping file no/such/file.yaml',
        'gateway (TWOCHECKOUT_SECRET_KEY, …)',
      ]),
    );
    expect(
      r.findings.all.some((f) => f.area === 'Temporal' && f.check === 'search attributes' && f.status === 'ok'),
    ).toBe(true);
  });
});
