// Builds the ordered field list of an LCN (docs/reference-notes.md#2co-lcn). The documented fields come first in
// the docs' order; the order of the later (connector-only) fields is unconfirmed, which does not
// matter to a receiver that hashes in received order.
import {
  applyTweaks,
  formatDateTime,
  type CustomerInput,
  type FieldTweaks,
  type NotificationFields,
} from './fields.js';

/** DISPATCH_REASON values from the LCN triggers page (note the British LICENCE). */
export type DispatchReason =
  | 'LICENCE_CHANGE'
  | 'LICENCE_GP_CHANGE'
  | 'LICENCE_PENDING_ACTIVATION'
  | 'LICENCE_EXPIRATION'
  | 'LICENCE_PASTDUE'
  | 'LICENCE_CPC_ACCEPTED'
  | 'SCHEDULED_FOR_CANCELATION_ON_DEMAND'
  | 'REVERT_CANCELATION_ON_DEMAND';

export interface LcnInput extends FieldTweaks {
  licenseCode: string;
  /** `Y-m-d H:i:s` (or a date only); lifetime → `9999-12-31 23:59:59`. */
  expirationDate: string;
  dispatchReason: DispatchReason | (string & {});
  /** When the change happened; default now. Drives DATE_UPDATED. */
  at?: Date;
  dateUpdated?: string;
  /** ACTIVE, DISABLED, EXPIRED, PASTDUE, … (spellings beyond ACTIVE/DISABLED unconfirmed). Default ACTIVE. */
  status?: string;
  /** CUSTOMER | VENDOR | SYSTEM; default SYSTEM. */
  changedBy?: string;
  licenseType?: string;
  disabled?: boolean;
  recurring?: boolean;
  expired?: boolean;
  lifetime?: boolean;
  productCode?: string;
  productId?: string;
  quantity?: string;
  startDate?: string;
  purchaseDate?: string;
  nextRenewalDate?: string;
  nextRenewalPrice?: string;
  nextRenewalCurrency?: string;
  lastOrderRef?: string;
  originalOrderRef?: string;
  renewalsNumber?: number;
  upgradesNumber?: number;
  gracePeriod?: string;
  test?: boolean;
  timezoneOffset?: string;
  customer?: CustomerInput;
}

const flag = (b: boolean | undefined, fallback: boolean) => ((b ?? fallback) ? '1' : '0');
const opt = (name: string, value: string | number | undefined): NotificationFields =>
  value === undefined ? [] : [[name, String(value)]];

/** The LCN fields of `input`, without signatures. */
export function buildLcnFields(input: LcnInput): NotificationFields {
  const tz = input.timezoneOffset ?? 'GMT+03:00';
  const at = input.at ?? new Date();
  const c = input.customer;
  const fields: NotificationFields = [
    ['FIRST_NAME', c?.firstName ?? ''],
    ['LAST_NAME', c?.lastName ?? ''],
    ['COMPANY', c?.company ?? ''],
    ['EMAIL', c?.email ?? ''],
    ['PHONE', c?.phone ?? ''],
    ['FAX', ''],
    ['COUNTRY', c?.country ?? ''],
    ['STATE', c?.state ?? ''],
    ['CITY', c?.city ?? ''],
    ['ZIP', c?.zip ?? ''],
    ['ADDRESS', c?.address1 ?? ''],
    ['LICENSE_CODE', input.licenseCode],
    ['EXPIRATION_DATE', input.expirationDate],
    ['DATE_UPDATED', input.dateUpdated ?? formatDateTime(at, tz)],
    ['AVANGATE_CUSTOMER_REFERENCE', c?.twoCheckoutRef ?? ''],
    ['EXTERNAL_CUSTOMER_REFERENCE', c?.externalRef ?? ''],
    ['TEST', flag(input.test, false)],
    ['CHANGED_BY', input.changedBy ?? 'SYSTEM'],
    ['LICENSE_TYPE', input.licenseType ?? 'REGULAR'],
    ['DISABLED', flag(input.disabled, false)],
    ['RECURRING', flag(input.recurring, true)],
    ...opt('LICENSE_PRODUCT', input.productId),
    ...opt('START_DATE', input.startDate),
    ...opt('PURCHASE_DATE', input.purchaseDate),
    ['LICENSE_LIFETIME', input.lifetime ? 'YES' : 'NO'],
    ...opt('NEXT_RENEWAL_PRICE', input.nextRenewalPrice),
    ...opt('NEXT_RENEWAL_CURRENCY', input.nextRenewalCurrency),
    ...opt('NEXT_RENEWAL_DATE', input.nextRenewalDate),
    ['STATUS', input.status ?? 'ACTIVE'],
    ['EXPIRED', flag(input.expired, false)],
    ['TIMEZONE_OFFSET', tz],
    ...opt('LICENSE_GRACE_PERIOD', input.gracePeriod),
    ['COUNTRY_CODE', c?.countryCode ?? ''],
    ['DISPATCH_REASON', input.dispatchReason],
    ...opt('LAST_ORDER_REFERENCE', input.lastOrderRef),
    ...opt('ORIGINAL_ORDER_REFERENCE', input.originalOrderRef),
    ...opt('LICENSE_PRODUCT_CODE', input.productCode),
    ...opt('QUANTITY', input.quantity),
    ...opt('RENEWALS_NUMBER', input.renewalsNumber),
    ...opt('UPGRADES_NUMBER', input.upgradesNumber),
  ];
  return applyTweaks(fields, input);
}
