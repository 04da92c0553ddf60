// Exactly-once building blocks for NetSuite writes, keyed by deterministic externalIds.
//
// NetSuite has no idempotency key for synchronous requests (docs/reference-notes.md#ns-records), so the externalId
// is the key: a transform carries it in its body, and a second record with the same externalId is
// refused with 400 "This entity already exists". The look-up that guards against duplicates is
// only needed when an earlier attempt of the same activity may have committed (attempt > 1): a
// first attempt cannot have written anything before, and the refusal covers every other case.
//
// Whether NetSuite keeps an `externalId` sent in a `!transform` body is not confirmed. So every
// transform body also carries a second key in its memo, `[<externalId>]`, which NetSuite stores
// like any memo: a look-up by externalId that finds nothing falls back to a SuiteQL query for that
// marker, and gives the record found its externalId. Both happen only where a look-up happens
// anyway (a retry attempt, a refusal), so the healthy path makes no extra call. A transform that
// got no answer may still land after the retry's look-up: the retry waits for it, or for the time
// NetSuite allows a request, before sending another (activities/late-writes.ts).
import type { NetSuiteClient, RequestOptions } from '../netsuite/types.js';
import { NetSuiteError } from '../netsuite/types.js';
import { suiteql } from '../netsuite/suiteql.js';
import { formatMinor, toMinor } from '../mappings/money.js';
import { MappingError } from '../mappings/errors.js';
import type { ParkingFailureType } from '../mappings/sync-types.js';
import { lateWriteGuard } from './late-writes.js';

export type NsRecord = Record<string, unknown>;

/** 400 "This entity already exists" (or SOAP's DUP_RCRD): an earlier attempt or run committed this externalId. */
export function isAlreadyExists(err: unknown): boolean {
  if (!(err instanceof NetSuiteError) || err.kind !== 'user') return false;
  return (
    err.details.some((d) => d.code === 'DUP_RCRD' || /already exists/i.test(d.detail)) ||
    /already exists/i.test(err.message)
  );
}

/** GET /record/v1/{type}/eid:{externalId}; undefined when there is none. */
export async function readByExternalId(
  ns: NetSuiteClient,
  type: string,
  externalId: string,
  opts?: RequestOptions,
): Promise<(NsRecord & { id: string }) | undefined> {
  const rec = await ns.get(type, `eid:${externalId}`, opts);
  if (!rec) return undefined;
  const id = rec.id;
  if (typeof id !== 'string' && typeof id !== 'number')
    throw new Error(`NetSuite returned ${type} eid:${externalId} without an id`);
  return { ...rec, id: String(id) };
}

/** The second key a transform body carries in its memo. */
export const secondKeyMarker = (externalId: string): string => `[${externalId}]`;

/** The body's memo with the second key appended (the marker is never doubled). */
export function withSecondKey(body: NsRecord, externalId: string): NsRecord {
  const marker = secondKeyMarker(externalId);
  const memo = typeof body.memo === 'string' ? body.memo : '';
  return { ...body, externalId, memo: memo.includes(marker) ? memo : `${memo} ${marker}`.trim() };
}

/**
 * Gives a record found by its second key the externalId NetSuite did not keep, so later look-ups
 * (and later runs) find it by `eid:`. Best effort: the record was found either way.
 */
export async function adoptExternalId(
  ns: NetSuiteClient,
  type: string,
  id: string,
  externalId: string,
  opts?: RequestOptions,
): Promise<void> {
  try {
    await ns.update(type, id, { externalId }, opts);
  } catch (e) {
    if (!isUserError(e)) throw e;
  }
}

/**
 * A transform's target by externalId, else by the second key in its memo (then given its
 * externalId). SuiteQL's `recordtype` is the REST type in lower case.
 */
export async function findTransformed(
  ns: NetSuiteClient,
  type: string,
  externalId: string,
  opts?: RequestOptions,
): Promise<(NsRecord & { id: string }) | undefined> {
  const byEid = await readByExternalId(ns, type, externalId, opts);
  if (byEid) return byEid;
  const marker = secondKeyMarker(externalId);
  const rows = await ns.suiteqlAll(
    suiteql`SELECT id, externalid, memo FROM transaction WHERE recordtype = ${type.toLowerCase()} AND memo LIKE ${`%${marker}%`} ORDER BY id`,
    opts,
  );
  const row = rows.find((r) => typeof r.memo === 'string' && r.memo.includes(marker));
  if (!row || row.id === null || row.id === undefined) return undefined;
  const id = String(row.id);
  await adoptExternalId(ns, type, id, externalId, opts);
  return (await readByExternalId(ns, type, externalId, opts)) ?? { id };
}

export interface WriteOutcome {
  id: string;
  /** The record as it already existed (read back), when this call did not create it. */
  existing?: NsRecord;
}

/**
 * POST …/{srcType}/{srcKey}/!transform/{targetType} with `externalId` (and its second key in the
 * memo) in the body, at most once. On a retry attempt the target is looked up first (by externalId,
 * then by the second key); a refusal because it already exists reads it the same way.
 */
export async function idempotentTransform(args: {
  ns: NetSuiteClient;
  srcType: string;
  srcKey: string;
  targetType: string;
  externalId: string;
  body: NsRecord;
  retryAttempt: boolean;
  opts?: RequestOptions;
  /** How long a transform that got no answer may still land (activities/late-writes.ts; default 16 minutes, 0: do not wait). */
  lateWriteHorizonMs?: number;
}): Promise<WriteOutcome> {
  const { ns, targetType, externalId, opts } = args;
  const late = lateWriteGuard(args.lateWriteHorizonMs);
  if (args.retryAttempt) {
    const found = await findTransformed(ns, targetType, externalId, opts);
    if (found) {
      late.found(externalId);
      return { id: found.id, existing: found };
    }
  }
  // Not found (here, or by the caller's own look-up): an earlier attempt's transform that got no
  // answer may still be on its way, so no second one is sent meanwhile. A no-op on a first attempt.
  late.beforeResend(externalId);
  try {
    const { id } = await late.write(externalId, () =>
      ns.transform(args.srcType, args.srcKey, targetType, withSecondKey(args.body, externalId), opts),
    );
    return { id };
  } catch (e) {
    // "Already exists", but also e.g. "the sales order is already billed": when a later run (a
    // notification re-sent after the workflow closed) repeats a transform that a former run made,
    // NetSuite refuses it for whichever rule it checks first. The externalId tells which it was.
    if (!isAlreadyExists(e) && !isUserError(e)) throw e;
    const found = await findTransformed(ns, targetType, externalId, opts);
    if (!found) throw transformRefusal(e, args);
    return { id: found.id, existing: found };
  }
}

/** A transform NetSuite refused for a reason a person fixes in NetSuite: parks with its own reason, never retried. */
export class TransformRefusedError extends MappingError {
  override readonly name = 'TransformRefusedError';
  override readonly failureType: ParkingFailureType = 'NetSuiteUserError';
}

const RECORD_NAMES: Record<string, string> = {
  salesOrder: 'sales order',
  invoice: 'invoice',
  cashSale: 'cash sale',
  creditMemo: 'credit memo',
  customerPayment: 'payment',
  customerRefund: 'customer refund',
  cashRefund: 'cash refund',
};
const recordName = (type: string): string => RECORD_NAMES[type] ?? type;

/** NetSuite's words for a form's mandatory field the transform left empty (docs/reference-notes.md#ns-records, observed). */
const MANDATORY = /please enter value\(s\) for:?\s*(.*)$/i;
/** NetSuite's words (and the sandbox's) for a source that has nothing left to transform: closed, billed, paid or refunded in full. */
const CLOSED =
  /\b(is closed|been closed|billed in full|fully billed|already billed|paid in full|fully paid|fully applied|refunded in full|nothing (left|remaining)|no amount remaining)\b/i;

/**
 * Why NetSuite refused a transform whose target is not ours: a mandatory field of the target's form
 * (TRANSFORM_MANDATORY_FIELD) or a source closed / billed / paid in full outside this sync
 * (TRANSFORM_SOURCE_CLOSED), each with the one thing to do; anything else stays NetSuite's own
 * refusal (NETSUITE_USER_ERROR). Both are data in NetSuite, so a retry without a fix cannot help.
 */
function transformRefusal(
  err: unknown,
  args: { srcType: string; srcKey: string; targetType: string; externalId: string },
): unknown {
  if (!(err instanceof NetSuiteError) || err.kind !== 'user') return err;
  const words = err.details.map((d) => `${d.detail}${d.code ? ` (${d.code})` : ''}`).join('; ') || err.message;
  const source = `${recordName(args.srcType)} ${args.srcKey}`;
  const target = recordName(args.targetType);
  const mandatory = err.details.map((d) => MANDATORY.exec(d.detail)).find((m) => m !== null);
  if (mandatory) {
    const fields = mandatory[1]?.trim().replace(/\.$/, '') || 'a mandatory field';
    return new TransformRefusedError(
      'TRANSFORM_MANDATORY_FIELD',
      `NetSuite will not make the ${target} from ${source}: the ${target} form requires ${fields}, which the ${recordName(args.srcType)} leaves empty (NetSuite: ${words}). ` +
        `Fix: give ${fields} a default on the ${target} form the integration role uses (Customization > Forms > Transaction Forms), or have the sync send it (config/mappings.yaml: routing defaults or customFields.transaction), then retry.`,
      err.details.find((d) => MANDATORY.test(d.detail))?.path,
    );
  }
  // A closed accounting period is another matter (the transaction's date, not its source).
  if (err.details.some((d) => CLOSED.test(d.detail) && !/\bperiod\b/i.test(d.detail))) {
    return new TransformRefusedError(
      'TRANSFORM_SOURCE_CLOSED',
      `NetSuite will not make the ${target} from ${source}: it is closed or has nothing left to ${args.targetType === 'invoice' || args.targetType === 'cashSale' ? 'bill' : 'apply'} (NetSuite: ${words}), and no ${target} of this order (${args.externalId}) exists, so someone changed it outside this sync. ` +
        `Fix: reopen the ${recordName(args.srcType)} in NetSuite and retry, or post the ${target} by hand and skip with a reason.`,
    );
  }
  return err;
}

function isUserError(err: unknown): boolean {
  return err instanceof NetSuiteError && err.kind === 'user';
}

/**
 * PUT …/{type}/eid:{externalId}. On a retry attempt, a record that already exists is returned as
 * it is: the earlier attempt wrote this same body, and re-writing a posted transaction is a risk
 * (e.g. lines that were billed meanwhile) for no gain.
 */
export async function idempotentUpsert(args: {
  ns: NetSuiteClient;
  type: string;
  externalId: string;
  body: NsRecord;
  retryAttempt: boolean;
  opts?: RequestOptions;
}): Promise<WriteOutcome> {
  const { ns, type, externalId, opts } = args;
  if (args.retryAttempt) {
    const found = await readByExternalId(ns, type, externalId, opts);
    if (found) return { id: found.id, existing: found };
  }
  try {
    const { id } = await ns.upsert(type, externalId, args.body, opts);
    return { id };
  } catch (e) {
    // A posted transaction NetSuite will not rewrite (e.g. an invoiced sales order, when a later
    // run repeats the upsert): the record with our externalId is the one this order made.
    if (!isUserError(e)) throw e;
    const found = await readByExternalId(ns, type, externalId, opts);
    if (!found) throw e;
    return { id: found.id, existing: found };
  }
}

/** A money field of a NetSuite record (JSON number) as a decimal string in the currency's precision. */
export function amountField(rec: NsRecord | undefined, field: string, exponent: number): string | undefined {
  const v = rec?.[field];
  // toFixed: String(1e-7) would be exponent notation, which is not a decimal amount.
  if (typeof v === 'number' && Number.isFinite(v))
    return formatMinor(toMinor(v.toFixed(exponent + 4), exponent), exponent);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))
    return formatMinor(toMinor(v, exponent), exponent);
  return undefined;
}
