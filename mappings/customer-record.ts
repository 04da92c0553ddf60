// Canonical order → NetSuite customer body and identity. Pure.
//
// Identity: the customer's externalId comes from the first configured match key the order
// carries (merchant reference, 2Checkout reference, e-mail). For e-mail it is a hash of the
// normalized address, never the address: externalIds show up in URLs, logs and exports.
import { createHash } from 'node:crypto';
import type { OrderEvent, Party } from './canonical.js';
import type { CustomerMatchKey, MappingConfig } from './config-schema.js';
import { MappingError } from './errors.js';
import { externalIds } from './ids.js';
import { customFieldValues, resolveCurrency, resolveRouting } from './resolve.js';

/** Short kind tags used inside customer externalIds. Never change them on a live account. */
const KEY_TAGS: Record<CustomerMatchKey, string> = {
  externalCustomerReference: 'ext',
  twoCheckoutCustomerReference: '2co',
  email: 'email',
};

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** 128 bits of SHA-256 of the normalized e-mail: stable, case-insensitive, reveals nothing readable. */
export const emailHash = (email: string): string =>
  createHash('sha256').update(normalizeEmail(email), 'utf8').digest('hex').slice(0, 32);

export interface CustomerCandidate {
  key: CustomerMatchKey;
  externalId: string;
  /** The externalId of this shopper's customer in the order's subsidiary, when it has one of its own (customerPerSubsidiary). */
  inSubsidiary?: string;
}

export interface CustomerIdentity {
  /** The externalId a new customer gets (first available match key). */
  externalId: string;
  key: CustomerMatchKey;
  /** Every externalId this order could be known under, in match-key order (looked up in one query). */
  candidates: CustomerCandidate[];
  /** Normalized e-mail for the case-insensitive look-up; undefined when the order has none. */
  email?: string;
}

export function customerIdentity(order: OrderEvent, config: MappingConfig): CustomerIdentity {
  const email = order.customer.billing.email.trim() ? normalizeEmail(order.customer.billing.email) : undefined;
  const refOf = (key: CustomerMatchKey): string | undefined => {
    switch (key) {
      case 'externalCustomerReference':
        return order.customer.externalRef?.trim() || undefined;
      case 'twoCheckoutCustomerReference':
        return order.customer.twoCheckoutRef?.trim() || undefined;
      case 'email':
        return email ? emailHash(email) : undefined;
    }
  };
  // With a customer per subsidiary, the shopper may also be known under the id of their customer in
  // the subsidiary this order routes to.
  const subsidiary =
    config.customers.otherSubsidiary === 'customerPerSubsidiary' ? resolveRouting(order, config).subsidiary : undefined;
  const candidates = config.customers.matchKeys.flatMap((key): CustomerCandidate[] => {
    const ref = refOf(key);
    if (!ref) return [];
    const externalId = externalIds.customer(KEY_TAGS[key], ref);
    return [
      {
        key,
        externalId,
        ...(subsidiary !== undefined
          ? { inSubsidiary: externalIds.customerInSubsidiary(KEY_TAGS[key], ref, subsidiary) }
          : {}),
      },
    ];
  });
  const first = candidates[0];
  if (!first) {
    throw new MappingError(
      'MAPPING_ERROR',
      `order ${order.refNo} carries none of the customer match keys (${config.customers.matchKeys.join(', ')}): ` +
        `enable AVANGATE_CUSTOMER_REFERENCE / EXTERNAL_CUSTOMER_REFERENCE / CUSTOMEREMAIL in the 2Checkout IPN settings, or add a key to customers.matchKeys`,
      'customer',
    );
  }
  return { externalId: first.externalId, key: first.key, candidates, ...(email ? { email } : {}) };
}

export function isCompany(order: OrderEvent, config: MappingConfig): boolean {
  switch (config.customers.kind) {
    case 'company':
      return true;
    case 'individual':
      return false;
    case 'auto':
      return !!order.customer.billing.company?.trim();
  }
}

export interface NsAddressBookEntry {
  defaultBilling: boolean;
  defaultShipping: boolean;
  label: string;
  addressBookAddress: Record<string, string>;
}

function addressOf(p: Party): Record<string, string> {
  const name = `${p.firstName} ${p.lastName}`.trim();
  const a: Record<string, string | undefined> = {
    addressee: p.company?.trim() || name || undefined,
    attention: p.company?.trim() && name ? name : undefined,
    addr1: p.address1,
    addr2: p.address2,
    city: p.city,
    state: p.state,
    zip: p.zip,
    country: p.countryCode?.toUpperCase(),
    addrPhone: p.phone,
  };
  return Object.fromEntries(Object.entries(a).filter((e): e is [string, string] => !!e[1]?.trim()));
}

const sameAddress = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(a) === JSON.stringify(b);

/** Billing address as default billing (and shipping when no separate delivery address), plus a delivery address when it differs. */
export function addressBookOf(order: OrderEvent): NsAddressBookEntry[] {
  const billing = addressOf(order.customer.billing);
  const delivery = order.customer.delivery ? addressOf(order.customer.delivery) : undefined;
  const separateDelivery =
    delivery !== undefined &&
    (delivery.addr1 !== undefined || delivery.city !== undefined) &&
    !sameAddress(billing, delivery);
  const entries: NsAddressBookEntry[] = [
    { defaultBilling: true, defaultShipping: !separateDelivery, label: 'Billing', addressBookAddress: billing },
  ];
  if (separateDelivery)
    entries.push({ defaultBilling: false, defaultShipping: true, label: 'Shipping', addressBookAddress: delivery });
  return entries;
}

/** The fields we own on a customer and compare for the `refresh` update policy. */
export interface CustomerScalarFields {
  isPerson: boolean;
  companyName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

export function customerScalarFields(order: OrderEvent, config: MappingConfig): CustomerScalarFields {
  const b = order.customer.billing;
  const company = isCompany(order, config);
  const out: CustomerScalarFields = { isPerson: !company };
  if (company) out.companyName = b.company?.trim() || `${b.firstName} ${b.lastName}`.trim();
  else {
    out.firstName = b.firstName.trim();
    out.lastName = b.lastName.trim();
  }
  if (b.email.trim()) out.email = b.email.trim();
  if (b.phone?.trim()) out.phone = b.phone.trim();
  return out;
}

/** Full body for creating the customer (PUT …/customer/eid:{externalId}). */
export function buildCustomerBody(order: OrderEvent, config: MappingConfig): Record<string, unknown> {
  const routing = resolveRouting(order, config);
  const currency = resolveCurrency(order.currency, config);
  return {
    ...customerScalarFields(order, config),
    ...(routing.subsidiary !== undefined ? { subsidiary: { id: routing.subsidiary } } : {}),
    currency: { id: currency.id },
    currencyList: { items: [{ currency: { id: currency.id } }] },
    addressBook: { items: addressBookOf(order) },
    ...customFieldValues(order, config.customFields.customer),
  };
}
