// What counts as the shopper's personal data in tool answers, and how it is hidden from callers
// without the pii:read scope. The list follows the IPN fields the gateway already treats as
// personal (mappings/from-2checkout.ts): names, company, e-mail, phone and fax, every part of a
// postal address (including the country, which with the rest narrows a person down), IP address
// and card digits. Amounts, currencies, product codes, NetSuite ids and 2Checkout references are
// business data and stay visible. Custom fields the mapping file fills from the shopper's details
// (e.g. `custentity_phone: { path: customer.billing.phone }`) count as well.
//
// Free text (park messages, journal entries, exception details) is where personal data slips
// through: NetSuite's errors quote the value they refused ("Invalid Field Value +49 170 1234567 for
// the following field: phone"), operators write names into reasons. So, in every string:
//  - the values the answer's own personal fields hold (and those of the order it is about) are
//    hidden wherever they occur as words;
//  - e-mail addresses in any script, percent-encoded or not; phone numbers written with a
//    country code; street addresses of the common "12 Baker Street" / "Hauptstraße 5" shapes;
//  - quoted text ("…", '…', “…”, ‘…’, „…“, «…», ‹…›) and the value of NetSuite's "Invalid Field
//    Value … for the following field" (unless it is a plain internal id of a business field).
// Every pattern runs in time linear in the text (bounded quantifiers, the e-mail scan is by hand):
// the text may come from anywhere.
import type { MappingConfig } from '../mappings/config-schema.js';

const PERSONAL_KEYS = new Set(
  [
    'firstName',
    'lastName',
    'fullName',
    'companyName',
    'company',
    'email',
    'phone',
    'fax',
    'altPhone',
    'mobilePhone',
    'homePhone',
    'addr1',
    'addr2',
    'addr3',
    'address1',
    'address2',
    'addressee',
    'addrText',
    'addrPhone',
    'attention',
    'city',
    'state',
    'zip',
    'country',
    'countryCode',
    'ipAddress',
    'cardLastDigits',
  ].map((k) => k.toLowerCase()),
);
/** Fields that hold a whole name: their words are hidden one by one too ("Doe called"). */
const NAME_KEYS = new Set(['fullname', 'addressee', 'attention', 'firstname', 'lastname']);

export const REDACTED = '[personal data: needs pii:read]';
const HIDDEN = '[hidden]';
/** What the masking leaves behind (never itself taken for a personal value). */
const MARKERS = /^\[(personal data[^\]]*|hidden|e-mail|phone|address)\]$/;

export const isPersonalKey = (key: string): boolean => PERSONAL_KEYS.has(key.toLowerCase());

// --- e-mail addresses: a linear scan around each "@" or "%40" -------------------------------

const LOCAL_CHAR = /[\p{L}\p{M}\p{N}._+\-!#$&*/=?^`{|}~]/u;
const DOMAIN_CHAR = /[\p{L}\p{M}\p{N}\-.]/u;
const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Start of the local part ending before `at`: walks left over local-part characters and %XX
 * escapes, never past `floor` (the end of the previous "@"), so the whole scan stays linear.
 */
function localStart(text: string, at: number, floor: number): number {
  let i = at;
  for (;;) {
    if (i - 3 >= floor && text[i - 3] === '%' && HEX.test(text.slice(i - 2, i)) && text.slice(i - 3, i) !== '%40')
      i -= 3;
    else if (i - 1 >= floor && LOCAL_CHAR.test(text[i - 1]!)) i -= 1;
    else if (i - 2 >= floor && /[\uD800-\uDBFF]/.test(text[i - 2]!) && LOCAL_CHAR.test(text.slice(i - 2, i))) i -= 2;
    else return i;
  }
}

/** A domain is at most 253 characters (RFC 1035); escaped, three times that. */
const MAX_DOMAIN = 3 * 253;

/** End of the domain starting at `from`, or -1 when what follows is not a domain with a dot and a TLD. */
function domainEnd(text: string, from: number): number {
  let i = from;
  const limit = Math.min(text.length, from + MAX_DOMAIN);
  while (i < limit) {
    if (text[i] === '%' && HEX.test(text.slice(i + 1, i + 3)) && text.slice(i, i + 3) !== '%40') i += 3;
    else if (DOMAIN_CHAR.test(text[i]!)) i += 1;
    else if (i + 1 < text.length && /[\uD800-\uDBFF]/.test(text[i]!) && DOMAIN_CHAR.test(text.slice(i, i + 2))) i += 2;
    else break;
  }
  while (i > from && (text[i - 1] === '.' || text[i - 1] === '-')) i -= 1; // trailing sentence punctuation
  const domain = decodeLoosely(text.slice(from, i));
  return /^[^.]+(\.[^.]+)*\.[\p{L}\p{M}]{2,}$/u.test(domain) ? i : -1;
}

function decodeLoosely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function maskEmails(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let copied = 0;
  let floor = 0;
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('@', i);
    const pct = lower.indexOf('%40', i);
    const next = at < 0 ? pct : pct < 0 ? at : Math.min(at, pct);
    if (next < 0) break;
    const width = text[next] === '@' ? 1 : 3;
    const start = localStart(text, next, Math.max(floor, copied));
    const end = start < next ? domainEnd(text, next + width) : -1;
    if (end > 0) {
      out += `${text.slice(copied, start)}[e-mail]`;
      copied = end;
      i = end;
    } else i = next + width;
    floor = Math.max(floor, next + width);
  }
  return out + text.slice(copied);
}

// --- other patterns ---------------------------------------------------------------------------

/** NetSuite's refusal quotes the value: kept only when it is an internal id of a business field. */
const INVALID_FIELD_VALUE = /(Invalid Field Value )(.{1,300}?)( for the following field: )([\w.]{1,80})/g;
const PHONE = /(?<![\p{L}\p{N}+])\+\d[\d ()./-]{5,30}\d(?![\p{N}])/gu;
const STREET = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}])\d{1,5}[a-zA-Z]?,? (?:[\p{Lu}][\p{L}.'-]{0,30} ){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Drive|Way|Court|Place|Square|Terrace|Close|Crescent|Rue|Calle|Via)(?![\p{L}])`,
    String.raw`(?<![\p{L}])[\p{L}-]{1,40}(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|laan|straat|gatan|vej|gade)\s?\d{1,5}[a-zA-Z]?(?![\p{L}\p{N}])`,
  ].join('|'),
  'giu',
);
const QUOTED = new RegExp(
  [
    `"[^"\\n]{1,300}"`,
    `“[^”\\n]{1,300}”`,
    `„[^“”\\n]{1,300}[“”]`,
    `«[^»\\n]{1,300}»`,
    `‹[^›\\n]{1,300}›`,
    // A single quote opens only after a non-letter and closes only before one: not an apostrophe.
    String.raw`(?<![\p{L}\p{N}])'[^'\n]{1,300}'(?![\p{L}\p{N}])`,
    String.raw`(?<![\p{L}\p{N}])‘[^’\n]{1,300}’(?![\p{L}\p{N}])`,
  ].join('|'),
  'gu',
);

function maskQuoted(text: string): string {
  return text.replace(QUOTED, (q) => `${q[0]}${HIDDEN}${q[q.length - 1]}`);
}

/** Free text with personal data hidden; `known` are values known to be personal (see knownPersonalValues). */
export function maskText(text: string, known?: KnownPersonalValues): string {
  let t = maskEmails(text);
  if (known) t = known.mask(t);
  t = t.replace(INVALID_FIELD_VALUE, (_m, pre: string, value: string, mid: string, field: string) =>
    /^-?\d{1,12}$/.test(value.trim()) && !isPersonalKey(field.split('.').pop() ?? '')
      ? `${pre}${value}${mid}${field}`
      : `${pre}${HIDDEN}${mid}${field}`,
  );
  t = t.replace(PHONE, '[phone]');
  t = t.replace(STREET, '[address]');
  return maskQuoted(t);
}

// --- values known to be personal --------------------------------------------------------------

export interface KnownPersonalValues {
  mask(text: string): string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The personal values found in `sources` (under personal keys, at any depth, whatever their type),
 * as a masker for free text. Words of names count on their own; a value with six or more digits
 * (a phone number) matches whatever separates its digits. Values too short to be told apart from
 * other words (two letters, four digits) are left to the patterns.
 */
export function knownPersonalValues(
  sources: readonly unknown[],
  extraKeys: ReadonlySet<string> = new Set(),
): KnownPersonalValues {
  const values = new Set<string>();
  const digitRuns = new Set<string>();
  const add = (v: string, key: string) => {
    const s = v.trim();
    if (MARKERS.test(s)) return; // already hidden
    const candidates = NAME_KEYS.has(key) ? [s, ...s.split(/[\s,]+/)] : [s];
    for (const c of candidates) {
      const onlyDigits = /^[\d\s().+/-]+$/.test(c);
      if (onlyDigits ? c.replace(/\D/g, '').length >= 5 : [...c].length >= 3) values.add(c);
    }
    const ds = s.replace(/\D/g, '');
    if (ds.length >= 6 && ds.length >= s.replace(/\s/g, '').length - 4) digitRuns.add(ds);
  };
  const collect = (v: unknown, key: string | undefined, depth: number): void => {
    if (depth > 40 || v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
      if (key !== undefined) add(String(v), key);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) collect(x, key, depth + 1);
      return;
    }
    if (typeof v === 'object' && !(v instanceof Date)) {
      for (const [k, x] of Object.entries(v)) {
        const lk = k.toLowerCase();
        collect(x, key ?? (PERSONAL_KEYS.has(lk) || extraKeys.has(lk) ? lk : undefined), depth + 1);
      }
    }
  };
  for (const s of sources) collect(s, undefined, 0);
  const alternatives = [
    ...[...values].sort((a, b) => b.length - a.length).map(escapeRegex),
    // A phone number's digits with anything between them that people write in numbers.
    ...[...digitRuns].map((ds) => [...ds].join('[\\s().\\/-]{0,3}')),
  ];
  if (alternatives.length === 0) return { mask: (t) => t };
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return { mask: (t) => t.replace(re, '[personal data]') };
}

/** Ids of the custom fields the mapping fills from the shopper's personal details. */
export function personalCustomFields(config: MappingConfig): Set<string> {
  const ids = new Set<string>();
  for (const group of Object.values(config.customFields)) {
    for (const [id, source] of Object.entries(group)) {
      if (!('path' in source)) continue;
      const parts = source.path.split(/[.[\]]+/).filter(Boolean);
      const fromParty = parts[0] === 'customer' && (parts[1] === 'billing' || parts[1] === 'delivery');
      if (fromParty || isPersonalKey(parts[parts.length - 1] ?? '')) ids.add(id.toLowerCase());
    }
  }
  return ids;
}

/**
 * A copy with personal fields (and `extraKeys`, lower-case) replaced whatever their value, and
 * personal data in every string masked (maskText), including the personal values of the answer
 * itself and of `about` (e.g. the order event the answer describes).
 */
export function redactPersonalData<T>(value: T, extraKeys: ReadonlySet<string> = new Set(), ...about: unknown[]): T {
  const personal = (k: string) => isPersonalKey(k) || extraKeys.has(k.toLowerCase());
  const known = knownPersonalValues([value, ...about], extraKeys);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskText(v, known);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k,
          personal(k) && x !== undefined && x !== null && x !== REDACTED ? REDACTED : walk(x),
        ]),
      );
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * For answers that hold no shopper fields by construction (the reconciliation and payout reports):
 * only free text is masked. Key-based redaction would hide business fields that happen to share a
 * name with an address part (a ledger's `state`).
 */
export function maskTextIn<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
