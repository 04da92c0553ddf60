// Look-ups in the mapping config: 2Checkout codes → NetSuite internal ids. Pure; a missing
// mapping throws a MappingError whose message names the code, where it is in the order, and the
// key to add in the mapping file.
import type { OrderEvent, OrderLine } from './canonical.js';
import type { FieldSource, MappingConfig, PaymentTarget, ProductTarget, RoutingTarget } from './config-schema.js';
import { MappingError } from './errors.js';
import { currencyExponent, netsuiteExponent } from './money.js';

export const mappingFileOf = (config: MappingConfig): string => config.sourceFile ?? 'the mapping file (MAPPINGS_FILE)';

export interface ProductMatch {
  target: ProductTarget;
  /** Which rule kind matched, and where it is in the file (for previews and logs). */
  matchedBy: 'code' | 'group' | 'pattern' | 'default';
  rulePath: string;
}

const regexCache = new Map<string, RegExp>();
const regexOf = (pattern: string): RegExp => {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    regexCache.set(pattern, re);
  }
  return re;
};

/**
 * Precedence is by rule kind, not by file order: an exact product code beats a product group,
 * which beats a pattern, which beats the default item. Within a kind the first rule listed wins.
 */
export function resolveProduct(line: OrderLine, config: MappingConfig, position = line.index): ProductMatch {
  const rules = config.products.rules;
  const find = (pred: (r: (typeof rules)[number]) => boolean) => rules.findIndex(pred);
  let i = find((r) => r.code !== undefined && r.code === line.productCode);
  if (i >= 0) return { target: rules[i]!, matchedBy: 'code', rulePath: `products.rules[${i}]` };
  i = find(
    (r) =>
      r.group !== undefined &&
      ((line.productGroup !== undefined && r.group === line.productGroup) ||
        (line.productGroupName !== undefined && r.group === line.productGroupName)),
  );
  if (i >= 0) return { target: rules[i]!, matchedBy: 'group', rulePath: `products.rules[${i}]` };
  i = find((r) => r.pattern !== undefined && regexOf(r.pattern).test(line.productCode));
  if (i >= 0) return { target: rules[i]!, matchedBy: 'pattern', rulePath: `products.rules[${i}]` };
  if (config.products.default)
    return { target: config.products.default, matchedBy: 'default', rulePath: 'products.default' };
  throw new MappingError(
    'UNMAPPED_PRODUCT',
    `product code ${line.productCode} (line ${position + 1}) has no NetSuite item: add it under products.rules in ${mappingFileOf(config)} ` +
      `(e.g. \`- { code: ${line.productCode}, item: <internal id> }\`), then retry the sync`,
    `lines[${position}].productCode`,
  );
}

export interface CurrencyMapping {
  id: string;
  /** Decimals NetSuite keeps (0 or 2): every amount the sync posts is in this precision. */
  exponent: number;
  /** Decimals of 2Checkout's amounts (ISO-4217; 3 for KWD): at least `exponent`. */
  sourceExponent: number;
}

export function resolveCurrency(code: string, config: MappingConfig, path = 'currency'): CurrencyMapping {
  const entry = config.currencies[code];
  if (!entry) {
    throw new MappingError(
      'UNMAPPED_CURRENCY',
      `currency ${code} has no NetSuite currency: add \`${code}: <internal id>\` under currencies in ${mappingFileOf(config)} ` +
        `(and enable it in NetSuite under Lists > Accounting > Currencies), then retry the sync`,
      path,
    );
  }
  const exponent = netsuiteExponent(code, entry.precision);
  return { id: entry.id, exponent, sourceExponent: Math.max(exponent, currencyExponent(code)) };
}

/** Subsidiary, tax code and segments for an order: the first routing rule that matches, then defaults. */
export function resolveRouting(order: OrderEvent, config: MappingConfig): RoutingTarget {
  const country = order.customer.billing.countryCode?.toUpperCase();
  const rule = config.routing.rules.find(
    (r) =>
      (r.when.countries === undefined || (country !== undefined && r.when.countries.includes(country))) &&
      (r.when.currencies === undefined || r.when.currencies.includes(order.currency)),
  );
  const { when: _when, ...fromRule } = rule ?? { when: undefined };
  return { ...config.routing.defaults, ...stripUndefined(fromRule) };
}

export interface PaymentMapping {
  /** The deposit account; absent when the money goes to Undeposited Funds. */
  account?: string;
  undepositedFunds?: true;
  paymentOption?: string;
  /** Field name the payment option goes into (paymentOption / paymentMethod; configurable). */
  field: string;
}

export function resolvePayment(order: OrderEvent, config: MappingConfig): PaymentMapping {
  const pm = config.paymentMethods;
  const target: PaymentTarget | undefined = pm.byCode[order.paymentMethod] ?? pm.default;
  if (!target) {
    throw new MappingError(
      'UNMAPPED_PAYMENT_METHOD',
      `payment method ${order.paymentMethod} has no deposit account: add it under paymentMethods.byCode ` +
        `(or set paymentMethods.default) in ${mappingFileOf(config)}, then retry the sync`,
      'paymentMethod',
    );
  }
  const byCurrency = target.accountByCurrency?.[order.currency];
  if (byCurrency === undefined && target.undepositedFunds === true) {
    return {
      undepositedFunds: true,
      field: pm.field,
      ...(target.paymentOption !== undefined ? { paymentOption: target.paymentOption } : {}),
    };
  }
  const account = byCurrency ?? target.account;
  if (account === undefined) {
    throw new MappingError(
      'UNMAPPED_PAYMENT_METHOD',
      `payment method ${order.paymentMethod} has no deposit account for currency ${order.currency}: add ${order.currency} to its ` +
        `accountByCurrency, or give it an account, in ${mappingFileOf(config)}`,
      'paymentMethod',
    );
  }
  return {
    account,
    field: pm.field,
    ...(target.paymentOption !== undefined ? { paymentOption: target.paymentOption } : {}),
  };
}

/** Reads `a.b[0].c` from a value; undefined when any step is missing. */
export function readPath(root: unknown, path: string): unknown {
  const segments = path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  let cur: unknown = root;
  for (const seg of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Values of configured custom fields for an order; fields whose source is empty are left out. */
export function customFieldValues(
  order: OrderEvent,
  sources: Record<string, FieldSource>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [fieldId, source] of Object.entries(sources)) {
    if ('value' in source) {
      out[fieldId] = source.value;
      continue;
    }
    const v = readPath(order, source.path);
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'object') continue; // a path to a whole object is a config mistake; never send [object Object]
    if (source.type === 'number') {
      const n = Number(v);
      if (Number.isFinite(n)) out[fieldId] = n;
    } else out[fieldId] = String(v);
  }
  return out;
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
