// How the sandbox account is set up for the sync, and how a test can leave parts of it out (an
// "unprepared" account): the custom objects of the SDF project (deployed from the catalogue,
// mappings/custom-objects.ts, as `suitecloud project:deploy` would), accounting periods, and the
// integration role's permissions. `npm run doctor` reads all three; its tests start the sandbox
// unprepared to see each finding.
//  - Custom objects: SuiteQL tables `customfield` (scriptid, name, fieldtype, appliesto) and
//    `customrecordtype` (id, scriptid, name). Their names in NetSuite's SuiteQL are UNCONFIRMED
//    (docs/reference-notes.md#ns-suiteql); the doctor says so when a real account refuses them.
//  - Accounting periods: the calendar of periods.ts (monthly, open unless told otherwise); an
//    unprepared account closes the one that covers the sandbox's today.
//  - Permissions: record types the role may not use answer 403 INSUFFICIENT_PERMISSION.
import { catalogue, CUSTOM_RECORD_TYPES, type CustomFieldDef } from '../../mappings/custom-objects.js';
import { ApiError } from './errors.js';
import { canonicalType, CUSTOM_FIELD_TYPE } from './record-types.js';
import { PERIOD_TYPE } from './periods.js';
import type { RecordStore } from './store.js';

export const CUSTOM_RECORD_TYPE_TYPE = 'customRecordType';

/** What a test may leave out of the account. */
export interface UnpreparedAccount {
  /** Custom objects of the SDF project that are not deployed: `true` for all, or their script ids. */
  missingCustomObjects?: true | string[];
  /** Close the accounting period that covers the sandbox's today. */
  closeTodaysPeriod?: boolean;
  /** Record types (REST names, e.g. customerRefund) the integration role has no permission for. */
  deniedRecordTypes?: string[];
}

/** Same shape as suiteql-tables.ts's TableDef (not imported: that file imports this one). */
export const ACCOUNT_SETUP_TABLES: Record<string, { key: string; columns: Record<string, 'INTEGER' | 'TEXT'> }> = {
  customrecordtype: { key: 'id', columns: { id: 'TEXT', scriptid: 'TEXT', name: 'TEXT', isinactive: 'TEXT' } },
};

const APPLIES_TO: Record<string, string> = {
  transactionBodyField: 'transaction',
  entityField: 'entity',
  customRecordField: 'customrecord',
};

/**
 * Deploys the SDF project's objects into the account (idempotent; a restored sandbox file from an
 * older version gains them too), except those `unprepared` leaves out, which are removed.
 */
export function applyAccountSetup(store: RecordStore, clock: () => Date, unprepared: UnpreparedAccount = {}): void {
  const missing = unprepared.missingCustomObjects;
  const left = (id: string) => missing === true || (Array.isArray(missing) && missing.includes(id));
  for (const e of catalogue()) {
    const type = e.kind === 'customRecordType' ? CUSTOM_RECORD_TYPE_TYPE : CUSTOM_FIELD_TYPE;
    if (left(e.scriptId)) {
      if (store.get(type, e.scriptId)) store.remove(type, e.scriptId);
      continue;
    }
    if (store.get(type, e.scriptId)) continue;
    if (e.kind === 'customRecordType') {
      store.put(type, {
        id: e.scriptId,
        scriptId: e.scriptId,
        name: CUSTOM_RECORD_TYPES.find((r) => r.scriptId === e.scriptId)?.name,
        isInactive: false,
      });
    } else {
      const d = e.def as CustomFieldDef;
      store.put(type, { id: e.scriptId, label: d.label, fieldType: d.type, appliesTo: APPLIES_TO[e.kind] });
    }
  }
  const today = clock().toISOString().slice(0, 10);
  if (unprepared.closeTodaysPeriod) {
    for (const p of store.all(PERIOD_TYPE)) {
      if (String(p.startDate) <= today && today <= String(p.endDate))
        store.put(PERIOD_TYPE, { ...p, closed: true, allLocked: true, arLocked: true, apLocked: true });
    }
  }
}

/** NetSuite's labels of the permissions the record types need (the role's Permissions subtab). */
const PERMISSION_LABEL: Record<string, string> = {
  customer: 'Lists -> Customers',
  salesOrder: 'Transactions -> Sales Order',
  invoice: 'Transactions -> Invoice',
  customerPayment: 'Transactions -> Customer Payment',
  creditMemo: 'Transactions -> Credit Memo',
  customerRefund: 'Transactions -> Customer Refund',
  cashSale: 'Transactions -> Cash Sale',
  cashRefund: 'Transactions -> Cash Refund',
  journalEntry: 'Transactions -> Make Journal Entry',
  deposit: 'Transactions -> Make Deposits',
};

/** Refuses a REST record request on a record type the role lacks (403, as NetSuite answers; wording the sandbox's own). */
export function checkPermission(pathname: string, denied: readonly string[]): void {
  if (denied.length === 0) return;
  const segment = /\/services\/rest\/record\/v1\/([^/?]+)/.exec(pathname)?.[1];
  const type = segment ? canonicalType(decodeURIComponent(segment)) : undefined;
  if (!type || !denied.some((d) => d.toLowerCase() === type.toLowerCase())) return;
  const label = PERMISSION_LABEL[type] ?? `Custom Record -> ${type}`;
  throw new ApiError(
    403,
    'INSUFFICIENT_PERMISSION',
    `Permission Violation: You need the '${label}' permission to access this page. Please contact your account administrator.`,
  );
}
