// Shared pieces of the 2Checkout notification builders: the ordered field list, stable fake ids,
// and 2Checkout's date formats.
import { createHash } from 'node:crypto';

/** Ordered fields of one notification; an array value is sent as repeated `NAME[]` keys. */
export type NotificationFields = Array<[name: string, value: string | string[]]>;

/** Contact data, as the shopper typed it (non-ASCII welcome). */
export interface PartyInput {
  firstName: string;
  lastName: string;
  company?: string;
  email: string;
  phone?: string;
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  zip?: string;
  /** Full country name, e.g. "United States". */
  country?: string;
  /** ISO-2; 2Checkout sends it lower case (`us`). */
  countryCode?: string;
}

export interface CustomerInput extends PartyInput {
  /** AVANGATE_CUSTOMER_REFERENCE: 2Checkout's numeric customer id. */
  twoCheckoutRef?: string;
  /** EXTERNAL_CUSTOMER_REFERENCE: the merchant's own customer id. */
  externalRef?: string;
  /** Delivery contact (`*_D` fields); omitted when not given. */
  delivery?: PartyInput;
}

/** Common knobs of both builders. */
export interface FieldTweaks {
  /** Extra fields sent before the signatures, e.g. a field 2Checkout added recently. */
  extraFields?: NotificationFields;
  /** Fields to leave out (as if the merchant did not tick that response tag). */
  omitFields?: string[];
}

/** A stable number derived from text: fake 2Checkout ids that are the same on every run. */
export function stableDigits(seed: string, digits: number): string {
  const n = createHash('sha256').update(seed).digest().readBigUInt64BE(0);
  const min = 10n ** BigInt(digits - 1);
  return String(min + (n % (9n * min)));
}

/** A 10-character subscription reference such as `XRILXB9ZI3`, stable for a seed. */
export function stableLicenseRef(seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = createHash('sha256').update(`license:${seed}`).digest();
  let ref = '';
  for (let i = 0; i < 10; i++) ref += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return ref;
}

/** Minutes east of UTC from `GMT+03:00` / `GMT-05:30`; 0 when unparseable. */
export function offsetMinutes(timezoneOffset: string): number {
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(timezoneOffset);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

function parts(at: Date, timezoneOffset: string): string[] {
  const local = new Date(at.getTime() + offsetMinutes(timezoneOffset) * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return [
    p(local.getUTCFullYear(), 4),
    p(local.getUTCMonth() + 1),
    p(local.getUTCDate()),
    p(local.getUTCHours()),
    p(local.getUTCMinutes()),
    p(local.getUTCSeconds()),
  ];
}

/** `Y-m-d H:i:s` in the merchant's time zone (SALEDATE, IPN_LICENSE_EXP, …). */
export function formatDateTime(at: Date, timezoneOffset = 'GMT+00:00'): string {
  const [y, mo, d, h, mi, s] = parts(at, timezoneOffset);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** `YmdHis` in the merchant's time zone (IPN_DATE). */
export function formatCompactDate(at: Date, timezoneOffset = 'GMT+00:00'): string {
  return parts(at, timezoneOffset).join('');
}

/** Appends the caller's extra fields and drops omitted ones. */
export function applyTweaks(fields: NotificationFields, tweaks: FieldTweaks): NotificationFields {
  const omit = new Set(tweaks.omitFields ?? []);
  return [...fields, ...(tweaks.extraFields ?? [])].filter(([name]) => !omit.has(name));
}
