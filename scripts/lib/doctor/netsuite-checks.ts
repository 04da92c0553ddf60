// The doctor's NetSuite checks, read-only: clock, credentials and SuiteQL, the role's reach to each
// record type the sync writes, the custom objects of the SDF project, the mapping's ids (the
// mappings check: currencies and their precision, subsidiaries and base currencies, accounts…),
// and the accounting period of today. No record is created or changed.
import { request } from 'undici';
import type { MappingConfig } from '../../../mappings/config-schema.js';
import { catalogue, CUSTOM_RECORD_TYPES, type CatalogueEntry } from '../../../mappings/custom-objects.js';
import { NetSuiteError, type NetSuiteAuth, type NetSuiteClient } from '../../../netsuite/types.js';
import { checkMappings } from '../../../operations/mappings-check.js';
import { type Findings } from './findings.js';
import { day, suiteql } from '../../../netsuite/suiteql.js';
import { ADOPTION_RECORD } from '../../../mappings/custom-objects.js';
import { adoptionQuery, bookingCustomers, previousCustomerKeys } from '../../../activities/adoption.js';
import { customerMatchQuery } from '../../../activities/customer-sync.js';

const DEPLOY =
  'deploy netsuite-customizations/ (cd netsuite-customizations && suitecloud project:deploy; docs/netsuite-setup.md)';
/** TBA refuses a timestamp more than 5 minutes off (docs/reference-notes.md#ns-auth); warn well before. */
const SKEW_FAIL_S = 240;

/** The permission (Setup > Users/Roles > Manage Roles > Permissions) each record type needs, Full level. */
const PERMISSION: Record<string, string> = {
  customer: 'Lists > Customers',
  salesOrder: 'Transactions > Sales Order',
  invoice: 'Transactions > Invoice',
  customerPayment: 'Transactions > Customer Payment',
  creditMemo: 'Transactions > Credit Memo',
  customerRefund: 'Transactions > Customer Refund',
  cashSale: 'Transactions > Cash Sale',
  cashRefund: 'Transactions > Cash Refund',
  journalEntry: 'Transactions > Make Journal Entry',
  deposit: 'Transactions > Make Deposits',
  subscription: 'Transactions > Subscriptions (SuiteBilling)',
};

export interface NetSuiteCheckInput {
  client: NetSuiteClient;
  baseUrl: string;
  accountId: string;
  auth: NetSuiteAuth['kind'];
  mapping?: MappingConfig;
  postingMode: 'salesOrder' | 'cashSale';
  /** Payouts and reconciliation are on (TWOCHECKOUT_VENDOR_CODE set). */
  apiFeatures: boolean;
  /** COMPLETENESS_LEDGER_RECORD (default customrecord_2co_completeness; `none` when off). */
  ledgerRecordType: string;
  now: Date;
}

export async function checkNetSuite(input: NetSuiteCheckInput, f: Findings): Promise<void> {
  await checkClock(input, f);
  if (!(await checkCredentials(input, f))) {
    f.skip(
      'NetSuite',
      'record types, custom objects, mapping ids, accounting period',
      'not checked until the credentials work',
    );
    return;
  }
  const missingRecordTypes = await checkCustomObjects(input, f);
  await checkRecordTypes(input, f, missingRecordTypes);
  await checkMappingIds(input, f);
  await checkAdoptionQueries(input, f, missingRecordTypes);
  await checkAccountingPeriod(input, f);
}

/**
 * The adoption look-ups (docs/cutover.md) as the account answers them, for a REFNO no order has:
 * the customer query with the booking folded in (a subquery and a CASE column, UNCONFIRMED in
 * SuiteQL) and the one look-up of an order's records (the REFNO fields, the link records).
 */
async function checkAdoptionQueries(
  input: NetSuiteCheckInput,
  f: Findings,
  missingRecordTypes: ReadonlySet<string>,
): Promise<void> {
  const mapping = input.mapping;
  if (!mapping) return f.skip('NetSuite', 'adoption look-ups', 'the mapping file does not load (see configuration)');
  if (!mapping.adoption.enabled) return f.skip('NetSuite', 'adoption look-ups', 'adoption.enabled is false');
  if (missingRecordTypes.has(ADOPTION_RECORD.scriptId))
    return f.skip('NetSuite', 'adoption look-ups', `${ADOPTION_RECORD.scriptId} is not deployed (see custom objects)`);
  const refNo = 'DOCTOR-NO-SUCH-ORDER';
  const run = async (q: Parameters<NetSuiteClient['suiteqlAll']>[0]): Promise<string | undefined> => {
    try {
      await input.client.suiteqlAll(q);
      return undefined;
    } catch (e) {
      if (!(e instanceof NetSuiteError)) throw e;
      return e.details.map((d) => d.detail).join('; ') || e.message;
    }
  };
  const lookUp = await run(adoptionQuery(refNo, mapping));
  if (lookUp) {
    f.fail(
      'NetSuite',
      'adoption look-up',
      `NetSuite refused the look-up of an order's records: ${lookUp}`,
      'check that every custom field under adoption.match exists on transactions, then run the doctor again',
    );
    return;
  }
  if (mapping.adoption.foldIntoCustomerQuery) {
    const folded = await run(
      customerMatchQuery([], 'doctor@example.invalid', {
        bookingCustomers: bookingCustomers(refNo, mapping),
        keys: previousCustomerKeys(DOCTOR_ORDER, mapping),
      }),
    );
    if (folded) {
      f.fail(
        'NetSuite',
        'adoption in the customer query',
        `NetSuite refused the customer query with the previous tool's booking folded in: ${folded}`,
        'set adoption.foldIntoCustomerQuery: false in the mapping file (the booking is then read by a query of its own, one more call per order before the cut-over)',
      );
      return;
    }
  }
  f.ok(
    'NetSuite',
    'adoption look-ups',
    `the look-ups that adopt a previous tool's records run${mapping.adoption.foldIntoCustomerQuery ? ' (folded into the customer query)' : ''}`,
  );
}

/** previousCustomerKeys reads only the order's customer references. */
const DOCTOR_ORDER = { customer: { twoCheckoutRef: 'DOCTOR', externalRef: 'DOCTOR' } } as unknown as Parameters<
  typeof previousCustomerKeys
>[0];

async function checkClock(input: NetSuiteCheckInput, f: Findings): Promise<void> {
  try {
    const res = await request(`${input.baseUrl}/services/rest/record/v1/metadata-catalog`, {
      method: 'GET',
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await res.body.dump();
    const date = Date.parse(String(res.headers.date ?? ''));
    if (Number.isNaN(date)) return f.skip('NetSuite', 'clock', 'NetSuite sent no Date header to compare with');
    const skew = Math.round((input.now.getTime() - date) / 1000);
    if (Math.abs(skew) > SKEW_FAIL_S) {
      f.fail(
        'NetSuite',
        'clock',
        `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} NetSuite's`,
        'synchronise the clock (NTP): NetSuite refuses TBA signatures and OAuth 2.0 assertions more than a few minutes off',
      );
    } else f.ok('NetSuite', 'clock', `within ${Math.abs(skew)} s of NetSuite's`);
  } catch (e) {
    f.fail(
      'NetSuite',
      'reachable',
      `no answer from ${input.baseUrl} (${(e as Error).message})`,
      'check NETSUITE_ACCOUNT_ID (or NETSUITE_BASE_URL) and that this machine can reach NetSuite over HTTPS',
    );
  }
}

/** A SuiteQL query proves the credentials and the role's REST web services and SuiteQL access at once. */
async function checkCredentials(input: NetSuiteCheckInput, f: Findings): Promise<boolean> {
  try {
    await input.client.suiteqlAll(suiteql`SELECT id FROM currency WHERE id = 1`);
    f.ok(
      'NetSuite',
      'credentials and SuiteQL',
      `account ${input.accountId} answers (${input.auth === 'tba' ? 'token-based authentication' : 'OAuth 2.0 client credentials'})`,
    );
    return true;
  } catch (e) {
    if (!(e instanceof NetSuiteError)) throw e;
    if (e.kind === 'auth') {
      const fix =
        input.auth === 'tba'
          ? 'check NETSUITE_CONSUMER_KEY/SECRET (the integration record, Token-Based Authentication checked) and NETSUITE_TOKEN_ID/SECRET (an access token of the integration role), and that the role has "Log in using Access Tokens"'
          : 'check NETSUITE_CLIENT_ID, NETSUITE_CERTIFICATE_ID and the private key (Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup maps the certificate to the integration role)';
      f.fail(
        'NetSuite',
        'credentials',
        `NetSuite refused the credentials (${e.status ?? ''} ${e.code ?? 'INVALID_LOGIN'})`,
        fix,
      );
    } else if (e.kind === 'permission') {
      f.fail(
        'NetSuite',
        'SuiteQL',
        `the role may not run SuiteQL (${e.message})`,
        'give the integration role Setup > REST Web Services and Reports > SuiteAnalytics Workbook (SuiteQL), and Lists > Currency (View)',
      );
    } else {
      f.fail('NetSuite', 'credentials and SuiteQL', e.message, 'see the error; run again when NetSuite answers');
    }
    return false;
  }
}

/** The record types the configuration writes: REST type → why. */
export function recordTypesInUse(
  input: Pick<NetSuiteCheckInput, 'mapping' | 'postingMode' | 'apiFeatures' | 'ledgerRecordType'>,
): Map<string, string> {
  const types = new Map<string, string>([['customer', 'customers']]);
  if (input.postingMode === 'cashSale') {
    types.set('cashSale', 'orders (POSTING_MODE=cashSale)').set('cashRefund', 'refunds (POSTING_MODE=cashSale)');
  } else {
    for (const [t, why] of [
      ['salesOrder', 'orders'],
      ['invoice', 'orders'],
      ['customerPayment', 'payments'],
      ['creditMemo', 'refunds'],
      ['customerRefund', 'refunds'],
    ] as const)
      types.set(t, why);
  }
  const subs = input.mapping?.subscriptions;
  if (subs?.model === 'customRecord')
    types.set(subs.customRecord.type, 'subscriptions (subscriptions.model: customRecord)');
  if (subs?.model === 'suiteBilling') types.set('subscription', 'subscriptions (subscriptions.model: suiteBilling)');
  if (input.apiFeatures) {
    const posting = input.mapping?.payouts.posting ?? 'journal';
    types.set(posting === 'deposit' ? 'deposit' : 'journalEntry', `payouts (payouts.posting: ${posting})`);
    if (input.ledgerRecordType !== 'none')
      types.set(input.ledgerRecordType, 'the completeness ledger (COMPLETENESS_LEDGER_RECORD)');
  }
  return types;
}

/** A GET by an externalId nobody uses: reading is allowed (404 or a record) or refused (403). Read access is all a read-only check can show. */
async function checkRecordTypes(input: NetSuiteCheckInput, f: Findings, missing: ReadonlySet<string>): Promise<void> {
  for (const [type, why] of recordTypesInUse(input)) {
    if (missing.has(type)) {
      f.skip('NetSuite', `role reaches ${type}`, 'not checked: the record type does not exist yet');
      continue;
    }
    try {
      await input.client.get(type, 'eid:2co-doctor-probe');
      f.ok('NetSuite', `role reaches ${type}`, `for ${why}`);
    } catch (e) {
      if (!(e instanceof NetSuiteError)) throw e;
      const denied = e.kind === 'permission' || /permission/i.test(e.message);
      const perm =
        PERMISSION[type] ?? `Custom Record > ${CUSTOM_RECORD_TYPES.find((r) => r.scriptId === type)?.name ?? type}`;
      f.fail(
        'NetSuite',
        `role reaches ${type}`,
        denied
          ? `the integration role may not use ${type} (needed for ${why})`
          : `${type} could not be read: ${e.message}`,
        denied
          ? `give the integration role "${perm}" at level Full (Setup > Users/Roles > Manage Roles > the role > Permissions)`
          : 'see the error',
      );
    }
  }
}

/** NetSuite's SuiteQL names field types by their UI label or their SDF id (UNCONFIRMED which): both are accepted. */
const TYPE_ALIASES: Record<string, string[]> = {
  TEXT: ['text', 'free-form text', 'freeformtext'],
  TEXTAREA: ['textarea', 'text area'],
  CLOBTEXT: ['clobtext', 'long text', 'longtext'],
  INTEGER: ['integer', 'integer number'],
  FLOAT: ['float', 'decimal number', 'decimal'],
  DATE: ['date'],
  CHECKBOX: ['checkbox', 'check box'],
  SELECT: ['select', 'list/record'],
};

/** Reports each custom object; returns the custom record types that do not exist. */
async function checkCustomObjects(input: NetSuiteCheckInput, f: Findings): Promise<Set<string>> {
  const wanted = customObjectsInUse(input);
  const fields = wanted.filter((e) => e.kind !== 'customRecordType');
  const types = wanted.filter((e) => e.kind === 'customRecordType');
  let fieldRows: Map<string, string>;
  let typeRows: Set<string>;
  try {
    const inList = (es: CatalogueEntry[]) => es.map((e) => e.scriptId);
    const fr =
      fields.length > 0
        ? await input.client.suiteqlAll(
            suiteql`SELECT LOWER(scriptid) AS scriptid, fieldtype FROM customfield WHERE LOWER(scriptid) IN (${inList(fields)})`,
          )
        : [];
    fieldRows = new Map(fr.map((r) => [String(r.scriptid), String(r.fieldtype ?? '')]));
    const tr =
      types.length > 0
        ? await input.client.suiteqlAll(
            suiteql`SELECT LOWER(scriptid) AS scriptid FROM customrecordtype WHERE LOWER(scriptid) IN (${inList(types)})`,
          )
        : [];
    typeRows = new Set(tr.map((r) => String(r.scriptid)));
  } catch (e) {
    if (!(e instanceof NetSuiteError)) throw e;
    f.fail(
      'NetSuite',
      'custom objects',
      `they could not be listed with SuiteQL (${e.message}); the table names customfield / customrecordtype are UNCONFIRMED for NetSuite`,
      `check by hand that Customization > Lists, Records & Fields lists every object of netsuite-customizations/, or ${DEPLOY}`,
    );
    return new Set();
  }
  const missingTypes = new Set(types.filter((e) => !typeRows.has(e.scriptId)).map((e) => e.scriptId));
  if (typeRows.size === 0 && fieldRows.size === 0) {
    // A fresh account: one finding, not one per object.
    f.fail(
      'NetSuite',
      'custom objects',
      `none of the ${wanted.length} custom fields and record types of netsuite-customizations/ exist (${wanted.map((e) => e.scriptId).join(', ')})`,
      DEPLOY,
    );
    return missingTypes;
  }
  for (const e of types) {
    if (typeRows.has(e.scriptId)) f.ok('NetSuite', `custom record type ${e.scriptId}`, 'exists');
    else f.fail('NetSuite', `custom record type ${e.scriptId}`, 'does not exist', DEPLOY);
  }
  for (const e of fields) {
    const got = fieldRows.get(e.scriptId);
    const what = `${e.kind === 'transactionBodyField' ? 'transaction body field' : e.kind === 'entityField' ? 'entity field' : `field of ${e.recordType}`} ${e.scriptId}`;
    if (got === undefined) f.fail('NetSuite', what, 'does not exist', DEPLOY);
    else if (e.type && got !== '' && !(TYPE_ALIASES[e.type] ?? [e.type.toLowerCase()]).includes(got.toLowerCase())) {
      f.fail(
        'NetSuite',
        what,
        `has type ${got}, the sync writes ${e.type}`,
        `change the field's type to ${e.type} (a field's type can only change when it holds no values of another), or ${DEPLOY}`,
      );
    } else f.ok('NetSuite', what, `exists (${got || e.type})`);
  }
  return missingTypes;
}

/** The catalogue's objects this configuration uses (the subscription record only with model customRecord, …). */
function customObjectsInUse(input: NetSuiteCheckInput): CatalogueEntry[] {
  const subsType =
    input.mapping?.subscriptions.model === 'customRecord' ? input.mapping.subscriptions.customRecord.type : undefined;
  const ledger = input.apiFeatures && input.ledgerRecordType !== 'none' ? input.ledgerRecordType : undefined;
  // The link records of adopted records (docs/cutover.md): read by every adoption look-up.
  const adoption = input.mapping?.adoption.enabled ? ADOPTION_RECORD.scriptId : undefined;
  return catalogue().filter((e) => {
    const record = e.kind === 'customRecordType' ? e.scriptId : e.recordType;
    if (record === undefined) return true;
    return record === subsType || record === ledger || record === adoption;
  });
}

async function checkMappingIds(input: NetSuiteCheckInput, f: Findings): Promise<void> {
  if (!input.mapping) return f.skip('NetSuite', 'mapping ids', 'the mapping file does not load (see configuration)');
  const report = await checkMappings(input.mapping, input.client);
  if (report.ok) {
    f.ok(
      'NetSuite',
      'mapping ids',
      `${report.checked} references in ${report.file} exist, are active and agree (currencies and precision, subsidiaries and base currencies, accounts)`,
    );
    return;
  }
  for (const p of report.problems) {
    const fix =
      p.kind === 'missing'
        ? `put an existing ${p.table} id at ${p.paths.join(', ')}, or create it`
        : p.kind === 'inactive'
          ? 'reactivate it in NetSuite, or map to an active one'
          : `correct ${p.paths.join(', ')} in ${report.file} (or the record in NetSuite) so the two agree`;
    f.fail('NetSuite', `mapping ${p.paths[0] ?? p.id}`, p.message, fix);
  }
}

async function checkAccountingPeriod(input: NetSuiteCheckInput, f: Findings): Promise<void> {
  const today = input.now.toISOString().slice(0, 10);
  const q = suiteql`SELECT id, periodname, closed, alllocked, arlocked FROM accountingperiod WHERE isposting = 'T' AND isadjust = 'F' AND startdate <= ${day(today)} AND enddate >= ${day(today)}`;
  let rows;
  try {
    rows = await input.client.suiteqlAll(q);
  } catch (e) {
    if (!(e instanceof NetSuiteError)) throw e;
    f.fail(
      'NetSuite',
      `accounting period of ${today}`,
      `could not be read (${e.message})`,
      'give the integration role Lists > Accounting Periods (View), or check the period in Setup > Accounting > Manage Accounting Periods',
    );
    return;
  }
  const period = rows[0];
  if (!period) {
    f.fail(
      'NetSuite',
      `accounting period of ${today}`,
      'no posting period covers today',
      'create the fiscal year (Setup > Accounting > Manage Accounting Periods > Set Up Full Year)',
    );
    return;
  }
  const name = String(period.periodname ?? period.id);
  if (period.closed === 'T' || period.alllocked === 'T' || period.arlocked === 'T') {
    const how = period.closed === 'T' ? 'closed' : 'locked for accounts receivable';
    f.fail(
      'NetSuite',
      `accounting period of ${today}`,
      `${name} is ${how}: every sale, payment and refund dated today would be refused`,
      `reopen or unlock ${name} (Setup > Accounting > Manage Accounting Periods, or the Period Close Checklist)`,
    );
  } else f.ok('NetSuite', `accounting period of ${today}`, `${name} is open`);
}
