// What counts as the shopper's personal data in tool answers, and how it is hidden from callers
// without the pii:read scope. The list follows the IPN fields the gateway already treats as
// personal (mappings/from-2checkout.ts): names, company, e-mail, phone and fax, every part of a
// postal address (including the country, which with the rest narrows a person down), IP address
// and card digits. Amounts, currencies, product codes, NetSuite ids and 2Checkout references are
// business data and stay visible. Free text (park messages, journal details) may quote an e-mail
// address, so addresses found in text are masked too. Custom fields the mapping file fills from the
// shopper's details (e.g. `custentity_phone: { path: customer.billing.phone }`) count as well.
import type { MappingConfig } from '../mappings/config-schema.js';

const PERSONAL_KEYS = new Set(
  [
    'firstName', 'lastName', 'fullName', 'companyName', 'company', 'email', 'phone', 'fax', 'altPhone', 'mobilePhone', 'homePhone',
    'addr1', 'addr2', 'addr3', 'address1', 'address2', 'addressee', 'addrText', 'addrPhone', 'attention',
    'city', 'state', 'zip', 'country', 'countryCode', 'ipAddress', 'cardLastDigits',
  ].map((k) => k.toLowerCase()),
);

export const REDACTED = '[personal data: needs pii:read]';
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export const isPersonalKey = (key: string): boolean => PERSONAL_KEYS.has(key.toLowerCase());

export function maskText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, '[e-mail]');
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

/** A copy with personal fields (and `extraKeys`, lower-case) replaced and e-mail addresses in strings masked. */
export function redactPersonalData<T>(value: T, extraKeys: ReadonlySet<string> = new Set()): T {
  const personal = (k: string) => isPersonalKey(k) || extraKeys.has(k.toLowerCase());
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, personal(k) && x !== undefined && x !== null && typeof x !== 'object' ? REDACTED : walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
