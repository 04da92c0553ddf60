// NetSuite subscription record → the state it shows (the reverse of subscription-records.ts).
// A new run of a subscription workflow (after the last one completed) starts from this, so a late
// notification never treats an ended subscription as new. Pure: no I/O. A field that is not
// configured or empty is left out (unknown), never guessed.
import type { SubscriptionRecordState } from './sync-types.js';
import type { MappingConfig } from './config-schema.js';

type NsRecord = Record<string, unknown>;

const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'refName' in v && typeof (v as { refName: unknown }).refName === 'string')
    return (v as { refName: string }).refName;
  return undefined;
};
const day = (v: unknown): string | undefined => {
  const s = text(v);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : undefined;
};
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : Number(text(v));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};
const flag = (v: unknown): boolean | undefined =>
  typeof v === 'boolean' ? v : v === 'T' ? true : v === 'F' ? false : undefined;
const ref = (v: unknown): string | undefined => {
  if (v && typeof v === 'object' && 'id' in v) return text((v as { id: unknown }).id);
  return undefined;
};

/** The state a subscription record shows, or undefined when it shows no status (nothing to rebuild from). */
export function subscriptionStateFromRecord(
  licenseCode: string,
  rec: NsRecord,
  config: MappingConfig,
): SubscriptionRecordState | undefined {
  const sub = config.subscriptions;
  const out: SubscriptionRecordState = {
    licenseCode,
    status: '',
    customer: {},
    autoRenew: false,
    lifetime: false,
    renewals: 0,
  };
  const set = <K extends keyof SubscriptionRecordState>(k: K, v: SubscriptionRecordState[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  if (sub.model === 'customRecord') {
    const f = sub.customRecord.fields;
    const get = (field: string | null) => (field === null ? undefined : rec[field]);
    set('status', text(get(f.status)));
    const productCode = text(get(f.productCode));
    if (productCode) out.plan = { productCode };
    set('quantity', int(get(f.quantity)));
    set('startedOn', day(get(f.startedOn)));
    set('periodStart', day(get(f.periodStart)));
    set('periodEnd', day(get(f.periodEnd)));
    set('nextRenewal', day(get(f.nextRenewal)));
    set('autoRenew', flag(get(f.autoRenew)));
    set('lastOrderRefNo', text(get(f.lastOrder)));
    set('renewals', int(get(f.renewals)));
    const customer = ref(get(f.customer));
    if (customer) out.customer.netsuiteId = customer;
  } else if (sub.model === 'suiteBilling') {
    const sb = sub.suiteBilling;
    if (sb.statusField) set('status', text(rec[sb.statusField]));
    if (sb.lastOrderField) set('lastOrderRefNo', text(rec[sb.lastOrderField]));
    set('startedOn', day(rec.startDate));
    set('periodEnd', day(rec.endDate));
    set('autoRenew', flag(rec.autoRenewal));
    const customer = ref(rec.customer);
    if (customer) out.customer.netsuiteId = customer;
  }
  return out.status ? out : undefined;
}
