// Rules of non-transaction records: the customer's mandatory subsidiary (OneWorld, #ns-record-shapes), its
// default currency and auto-generated entityId; timestamps on every record.
import { subsidiaryCurrencyId } from './currencies.js';
import { invalidFieldValue, missingValue, userError } from './errors.js';
import { customerHasTransactions } from './posting-rules.js';
import type { RecordStore } from './store.js';
import type { WriteClock } from './transactions.js';
import { isObject, linesOf, ref, refId, str, type Fields } from './values.js';

export function finalizeCustomer(store: RecordStore, clock: WriteClock, rec: Fields, selfId: string | undefined): void {
  // The seed account has subsidiaries, so it is OneWorld: "Please enter value(s) for: Subsidiary" (#ns-record-shapes).
  const subsidiary = refId(rec.subsidiary);
  if (!subsidiary) throw missingValue('Subsidiary', 'subsidiary');
  // "Once a transaction has posted for the entity, you are not able to change the subsidiary"
  // (Oracle's field help of the customer's subsidiary); the wording here is the sandbox's own.
  const before = selfId === undefined ? undefined : refId(store.get('customer', selfId)?.subsidiary);
  if (before !== undefined && before !== subsidiary && customerHasTransactions(store, selfId!)) {
    throw userError(
      `The subsidiary of customer ${selfId} cannot change from ${before} to ${subsidiary}: transactions have been posted for it.`,
      'subsidiary',
    );
  }
  rec.isPerson ??= false;
  rec.isInactive ??= false;
  rec.currency ??= ref(subsidiaryCurrencyId(store, subsidiary));
  // The primary currency is always on the customer's currency list (Multiple Currencies feature).
  const primary = refId(rec.currency)!;
  const list = linesOf(rec, 'currencyList');
  if (!list.some((l) => refId(l.currency) === primary))
    rec.currencyList = { items: [...list, { currency: ref(primary) }] };
  if (selfId === undefined) {
    // Auto-generated numbering (#ns-record-shapes `entityId` "Auto-generated when autoName is true").
    rec.entityId ??= `CUST${store.nextTranId('customer', '')}`;
    rec.dateCreated = clock.now;
  }
  // entityId is unique among customers (SOAP: UNIQUE_CUST_ID_REQD; REST wording UNCONFIRMED).
  const entityId = str(rec.entityId);
  if (entityId && store.all('customer').some((c) => c.id !== selfId && c.entityId === entityId)) {
    throw userError(
      'A customer record with this ID already exists. You must enter a unique customer ID for each record you create.',
      'entityId',
    );
  }
  rec.lastModifiedDate = clock.now;
}

/** Custom records carry their own creation / modification stamps. */
export function finalizeCustomRecord(clock: WriteClock, rec: Fields, selfId: string | undefined): void {
  if (selfId === undefined) rec.created = clock.now;
  rec.lastModified = clock.now;
  rec.isInactive ??= false;
}

/**
 * NetSuite supports only 0 and 2 decimals for a currency ("Currency Decimal Precision", Oracle Help
 * Center): a record with another precision is refused like any invalid value.
 */
export function finalizeCurrency(rec: Fields): void {
  const raw = rec.currencyPrecision;
  if (raw === undefined || raw === null) return;
  // A number, or the select value `{id}` REST may show it as.
  const p = isObject(raw) ? Number(raw.id) : typeof raw === 'string' ? Number(raw) : raw;
  if (p !== 0 && p !== 2) throw invalidFieldValue(JSON.stringify(raw), 'currencyPrecision', 'currencyPrecision');
  rec.currencyPrecision = p;
}
