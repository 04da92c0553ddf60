// Over 350 lines on purpose: the mapping file's one zod schema, section by section, so its shape reads in one place.
// The mapping between 2Checkout's data model and a NetSuite account, as reviewed config (YAML)
// validated by zod. Every message below says what is wrong AND how to fix it, because the person
// reading it is a finance-ops engineer editing config/mappings.yaml, not the author of this file.
// Annotated example: config/mappings.example.yaml.
import { z } from 'zod';
import { DURATION_PATTERN } from './time-values.js';
import { DEFAULT_PAYOUTS_CONFIG, PayoutsConfigSchema } from './payout-config.js';
import { ActionsConfigSchema, DEFAULT_ACTIONS_CONFIG } from './actions-config.js';
import {
  AdoptionConfigSchema,
  CutoverConfigSchema,
  DEFAULT_ADOPTION_CONFIG,
  DEFAULT_CUTOVER_CONFIG,
} from './adoption-config.js';
import { SUBSCRIPTION_RECORD as SUB } from './custom-objects.js';

/** A NetSuite internal id. YAML may give it as a number or a string; we keep strings (REST ids are strings). */
export const InternalId = z
  .union([z.string(), z.number()], {
    error: 'must be a NetSuite internal id such as "100". Fix: copy the ID column of the record in NetSuite',
  })
  .transform((v) => String(v).trim())
  .refine((v) => /^-?\d+$/.test(v), {
    error:
      'must be a NetSuite internal id made of digits, such as "100". Fix: use the internal ID (not the name) of the record in NetSuite',
  });

const CurrencyIso = z.string().regex(/^[A-Z]{3}$/, {
  error:
    'must be a 3-letter ISO-4217 currency code in upper case, such as EUR. Fix: write the ISO code 2Checkout sends in CURRENCY',
});
const CountryIso = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine((s) => /^[A-Z]{2}$/.test(s), {
    error: 'must be a 2-letter ISO-3166 country code such as IE. Fix: use the code 2Checkout sends in COUNTRY_CODE',
  });

/** Segmentation overrides shared by product rules and routing targets. */
const segmentFields = {
  department: InternalId.optional(),
  class: InternalId.optional(),
  location: InternalId.optional(),
};

const ProductTarget = z.strictObject({
  item: InternalId,
  /** Free text shown in reviews and previews only. */
  note: z.string().optional(),
  ...segmentFields,
});

const ProductRule = z
  .strictObject({
    /** Exact merchant product code (IPN_PCODE). */
    code: z.string().min(1).optional(),
    /** Product group code or name (IPN_PGROUP / IPN_PGROUP_NAME). */
    group: z.string().min(1).optional(),
    /** Regular expression tested against the product code. */
    pattern: z.string().min(1).optional(),
    ...ProductTarget.shape,
  })
  .superRefine((rule, ctx) => {
    const kinds = (['code', 'group', 'pattern'] as const).filter((k) => rule[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? 'a product rule needs exactly one of code, group or pattern. Fix: add `code: <IPN_PCODE>` (exact match), `group: <product group>` or `pattern: <regex>`'
            : `a product rule needs exactly one of code, group or pattern, this one has ${kinds.join(' and ')}. Fix: split it into one rule per matcher`,
      });
    }
    if (rule.pattern !== undefined) {
      try {
        new RegExp(rule.pattern);
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          path: ['pattern'],
          message: `is not a valid regular expression (${(e as Error).message}). Fix: correct the regex, e.g. "^SUB-" for codes starting with SUB-`,
        });
      }
    }
  });

const Products = z
  .strictObject({
    /** Evaluated by precedence, not file order: every exact `code` rule, then `group`, then `pattern`; first match of each kind wins. */
    rules: z.array(ProductRule).default([]),
    /** Item for product codes no rule matches. Leave it out to park unknown products instead of guessing. */
    default: ProductTarget.optional(),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.rules.forEach((r, i) => {
      if (r.code === undefined) return;
      const first = seen.get(r.code);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'code'],
          message: `product code ${r.code} is mapped twice (also products.rules[${first}]). Fix: keep one rule per product code`,
        });
      } else seen.set(r.code, i);
    });
  });

const RoutingTarget = z.strictObject({
  subsidiary: InternalId.optional(),
  /** SuiteTax tax code put on each item line (leave out when tax.mode is `line`, or VAT would count twice). */
  taxCode: InternalId.optional(),
  ...segmentFields,
});

const RoutingRule = RoutingTarget.extend({
  when: z
    .strictObject({
      countries: z.array(CountryIso).min(1).optional(),
      currencies: z.array(CurrencyIso).min(1).optional(),
    })
    .refine((w) => w.countries !== undefined || w.currencies !== undefined, {
      error:
        'a routing condition needs countries and/or currencies. Fix: add `countries: [IE, DE]` or `currencies: [EUR]`',
    }),
});

const Routing = z.strictObject({
  /** First rule whose every condition matches wins; fields it leaves out come from `defaults`. */
  rules: z.array(RoutingRule).default([]),
  defaults: RoutingTarget.default({}),
});

/**
 * NetSuite keeps 0 or 2 decimals per currency, nothing else ("Currency Decimal Precision", Oracle
 * Help Center): a 3-decimal 2Checkout amount (KWD, BHD, JOD, OMR, TND) is rounded to 2 (docs/mappings.md).
 */
const NetSuitePrecision = z.union([z.literal(0), z.literal(2)], {
  error:
    'must be 0 or 2: NetSuite keeps no other number of decimals for a currency. Fix: copy Currency Precision from the currency record in NetSuite ' +
    '(KWD, BHD, JOD, OMR and TND are 2 there; their third decimal is rounded onto rounding.item)',
});

/** `EUR: 2` (the id alone) or `JPY: { id: 4, precision: 0 }`; the id alone is read as `{ id }`, so each mistake is reported at its own key. */
const CurrencyEntry = z.preprocess(
  (v) => (typeof v === 'string' || typeof v === 'number' ? { id: v } : v),
  z.strictObject(
    { id: InternalId, precision: NetSuitePrecision.optional() },
    {
      error:
        'must be a NetSuite currency internal id, or { id, precision }. Fix: e.g. `EUR: 2` or `JPY: { id: 4, precision: 0 }`',
    },
  ),
);

const PaymentTarget = z
  .strictObject({
    /** Deposit (bank/clearing) account the payment goes to. */
    account: InternalId.optional(),
    /** Per order currency, when each currency has its own clearing account (NetSuite bank accounts have a currency). */
    accountByCurrency: z.record(CurrencyIso, InternalId).optional(),
    /** NetSuite payment method / payment option internal id. */
    paymentOption: InternalId.optional(),
    /**
     * Payments (and refunds) go to Undeposited Funds instead of an account (a currency listed in
     * accountByCurrency still goes to its account): payouts then post as one bank deposit that
     * selects them (payouts.posting: deposit, docs/payouts.md).
     */
    undepositedFunds: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .refine((t) => t.account !== undefined || t.accountByCurrency !== undefined || t.undepositedFunds === true, {
    error:
      'needs a deposit account. Fix: add `account: <internal id of the bank/clearing account>`, or `undepositedFunds: true`',
  });

const PaymentMethods = z.strictObject({
  /**
   * Name of the payment-method field on customerPayment / cashSale / customerRefund. The 2026.1
   * schema says `paymentOption`, older material `paymentMethod` (docs/reference-notes.md#ns-record-shapes, UNCONFIRMED).
   */
  field: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'must be a NetSuite field id such as paymentOption' })
    .default('paymentOption'),
  /** Used when PAYMETHOD_CODE has no entry in byCode. Leave out to park unknown payment methods. */
  default: PaymentTarget.optional(),
  /** Keyed by 2Checkout PAYMETHOD_CODE, e.g. CCVISAMC, PAYPAL, WIRE. */
  byCode: z.record(z.string().min(1), PaymentTarget).default({}),
});

const Tax = z
  .strictObject({
    /**
     * line: 2Checkout's VAT (IPN_VAT + IPN_SHIPPING_TAX) is posted as ONE line on `item`, so the
     *       NetSuite total equals what the shopper paid (REST cannot use legacy tax, docs/reference-notes.md#ns-record-shapes).
     * none: no tax line; for accounts where SuiteTax computes tax itself (set routing taxCode).
     */
    mode: z.enum(['line', 'none'], { error: 'must be `line` or `none`' }).default('line'),
    item: InternalId.optional(),
    description: z.string().default('VAT / sales tax collected by 2Checkout'),
  })
  .refine((t) => t.mode !== 'line' || t.item !== undefined, {
    path: ['item'],
    error:
      'is required when tax.mode is line. Fix: set tax.item to the internal id of your "tax collected" other-charge item',
  });

const Discounts = z
  .strictObject({
    /** line: a negative line on `item` right after the discounted line; netted: the line amount is net of its discount. */
    mode: z.enum(['line', 'netted'], { error: 'must be `line` or `netted`' }).default('line'),
    item: InternalId.optional(),
  })
  .refine((d) => d.mode !== 'line' || d.item !== undefined, {
    path: ['item'],
    error:
      'is required when discounts.mode is line. Fix: set discounts.item to the internal id of a Discount item, or use mode: netted',
  });

const Shipping = z.strictObject({
  /** Other-charge / shipping item for IPN_SHIPPING. Orders with shipping park while it is unset. */
  item: InternalId.optional(),
});

const Rounding = z.strictObject({
  /**
   * Other-charge item for what rounding 2Checkout's amounts to NetSuite's precision loses (KWD: 3
   * decimals against 2), so the lines add up to the rounded total. Unset: the difference is absorbed
   * on the tax line (else the last product line), like 2Checkout's own VAT rounding.
   */
  item: InternalId.optional(),
  description: z.string().default("Rounding to NetSuite's currency precision"),
});

const FIELD_PATH_ROOTS = [
  'refNo',
  'refNoExt',
  'orderNo',
  'status',
  'messageType',
  'messageId',
  'ipnDate',
  'saleDate',
  'paymentDate',
  'completeDate',
  'timezoneOffset',
  'currency',
  'paymentMethod',
  'language',
  'customer',
  'totals',
  'fx',
  'refund',
  'chargeback',
  'extra',
  'eventRef',
  'testOrder',
  'lines',
] as const;

const FieldSource = z.union(
  [
    z.strictObject({
      /** Dotted path into the canonical order event, e.g. refNo, fx.rate, extra.IPN_LINK_SOURCE, customer.twoCheckoutRef. */
      path: z.string().refine((p) => (FIELD_PATH_ROOTS as readonly string[]).includes(p.split(/[.[]/)[0] ?? ''), {
        error: `must start with a field of the order event (${FIELD_PATH_ROOTS.join(', ')}). Fix: e.g. path: refNo or path: extra.IPN_LINK_SOURCE`,
      }),
      /** number: sent as a JSON number (FLOAT/CURRENCY fields); text otherwise. */
      type: z.enum(['text', 'number']).default('text'),
    }),
    z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) }),
  ],
  {
    error: 'must be { path: <order field> } or { value: <constant> }. Fix: e.g. `custbody_2co_refno: { path: refNo }`',
  },
);

const customFieldId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[a-z0-9_]+$`), {
    error: `must be a NetSuite custom field script id starting with ${prefix}. Fix: copy the field's ID from Customization > Lists, Records & Fields`,
  });

const CustomFields = z.strictObject({
  /** Body fields on the transactions this service writes (sales order, cash sale, invoice, payment, credit memo, refund). */
  transaction: z.record(customFieldId('custbody'), FieldSource).default({}),
  customer: z.record(customFieldId('custentity'), FieldSource).default({}),
});

export const CUSTOMER_MATCH_KEYS = ['externalCustomerReference', 'twoCheckoutCustomerReference', 'email'] as const;
export type CustomerMatchKey = (typeof CUSTOMER_MATCH_KEYS)[number];

/**
 * linkWithoutUpdate: book onto the same-e-mail customer (ours first), never rewriting it;
 * createAndFlag: link only to customers this service created, else create one flagged for review;
 * off: never match by e-mail.
 */
export const EMAIL_MATCH_POLICIES = ['linkWithoutUpdate', 'createAndFlag', 'off'] as const;
export type EmailMatchPolicy = (typeof EMAIL_MATCH_POLICIES)[number];

/**
 * customerPerSubsidiary: a customer of its own in each subsidiary (externalId `<id>-s<subsidiary>`);
 * addSubsidiary: give the customer the order's subsidiary (customerSubsidiaryRelationship; needs Multi-Subsidiary Customers);
 * park: stop the order (CUSTOMER_SUBSIDIARY) for a person to decide.
 */
export const OTHER_SUBSIDIARY_POLICIES = ['customerPerSubsidiary', 'addSubsidiary', 'park'] as const;
export type OtherSubsidiaryPolicy = (typeof OTHER_SUBSIDIARY_POLICIES)[number];

const Customers = z.strictObject({
  /** Which reference keys a NetSuite customer, in order; the first one the order carries becomes its externalId. */
  matchKeys: z
    .array(z.enum(CUSTOMER_MATCH_KEYS, { error: `must be one of ${CUSTOMER_MATCH_KEYS.join(', ')}` }))
    .min(1, { error: 'needs at least one key. Fix: e.g. [twoCheckoutCustomerReference, email]' })
    .default([...CUSTOMER_MATCH_KEYS]),
  /** auto: a company when COMPANY is non-empty, else an individual. */
  kind: z.enum(['auto', 'individual', 'company'], { error: 'must be auto, individual or company' }).default('auto'),
  /**
   * refresh: update changed name/e-mail/phone on a customer found by one of its 2Checkout/merchant
   * references; never: leave them untouched. A customer found by e-mail is never updated.
   */
  updatePolicy: z.enum(['refresh', 'never'], { error: 'must be refresh or never' }).default('refresh'),
  /** Legacy switch: false is the same as `emailMatch: off`. */
  linkByEmail: z.boolean().default(true),
  /**
   * What an order does when no customer carries its references but one has the same e-mail
   * (2Checkout does not prove that a shopper owns the address they type). Never rewrites or
   * re-keys the customer found. See docs/mappings.md, "Customer matching".
   */
  emailMatch: z
    .enum(EMAIL_MATCH_POLICIES, { error: `must be one of ${EMAIL_MATCH_POLICIES.join(', ')}` })
    .default('linkWithoutUpdate'),
  /**
   * When a returning shopper's order routes to another subsidiary than their customer's (a
   * customer belongs to one subsidiary; docs/mappings.md, "Customers in several subsidiaries").
   */
  otherSubsidiary: z
    .enum(OTHER_SUBSIDIARY_POLICIES, {
      error:
        `must be one of ${OTHER_SUBSIDIARY_POLICIES.join(', ')}. Fix: customerPerSubsidiary works on every account; ` +
        'addSubsidiary needs the Multi-Subsidiary Customer feature; park stops such orders for a person',
    })
    .default('customerPerSubsidiary'),
});

const Fx = z.strictObject({
  /**
   * twocheckout: send 2Checkout's FX_RATE as the transaction exchangeRate (lineage kept in a custom field).
   *   FX_RATE converts to PAYOUT_CURRENCY, so it is only right when that is the subsidiary's base currency.
   * netsuite: send no exchangeRate; NetSuite uses its own rate for the transaction date.
   */
  source: z.enum(['twocheckout', 'netsuite'], { error: 'must be twocheckout or netsuite' }).default('netsuite'),
  /** With source twocheckout, when PAYOUT_CURRENCY is not the subsidiary's base currency: park, or fall back to NetSuite's rate. */
  onPayoutCurrencyMismatch: z.enum(['park', 'netsuite'], { error: 'must be park or netsuite' }).default('netsuite'),
  /** Largest rounding difference (minor units) absorbed silently; above it the order parks (AMOUNT_MISMATCH / FX_RESIDUE). */
  residueTolerance: z.number().int().min(0, { error: 'must be 0 or more minor units' }).default(1),
});

const Subsidiary = z.strictObject({ baseCurrency: CurrencyIso });

/**
 * nextOpenPeriod: post in the first open period (dated its first day), keeping 2Checkout's date in the
 * memo and in originalDateField; park: stop with PERIOD_CLOSED, naming the period.
 */
export const WHEN_PERIOD_CLOSED = ['park', 'nextOpenPeriod'] as const;

const Periods = z.strictObject({
  /** What a transaction dated in a closed or locked accounting period does (docs/mappings.md, "Closed periods"). */
  whenClosed: z
    .enum(WHEN_PERIOD_CLOSED, {
      error: `must be park or nextOpenPeriod. Fix: park lets a person decide; nextOpenPeriod posts late items in the first open period`,
    })
    .default('park'),
  /** Optional transaction body field (a DATE custom field) that receives 2Checkout's date when a transaction is moved. */
  originalDateField: customFieldId('custbody').optional(),
});

const Refunds = z.strictObject({
  /** Refund (paying-out) account per PAYMETHOD_CODE; default: the payment method's deposit account. */
  accountByPaymentMethod: z.record(z.string().min(1), InternalId).default({}),
  /** Account a lost chargeback is paid out of. */
  chargebackAccount: InternalId.optional(),
  /** Per order currency, when chargebacks in that currency are paid out of their own account (wins over chargebackAccount). */
  chargebackAccountByCurrency: z.record(CurrencyIso, InternalId).default({}),
  /** Transaction body field that holds the dispute state (e.g. custbody_2co_dispute); memo is used too. */
  disputeField: customFieldId('custbody').optional(),
  /** CHARGEBACK_RESOLUTION values (UNCONFIRMED in docs/reference-notes.md#2co-lifecycle, so configured) and what they mean. */
  chargebackResolutions: z
    .strictObject({
      none: z.array(z.string()).default(['NONE']),
      open: z.array(z.string()).default(['OPEN']),
      won: z.array(z.string()).default(['WON']),
      lost: z.array(z.string()).default(['LOST', 'ACCEPTED']),
    })
    .default({ none: ['NONE'], open: ['OPEN'], won: ['WON'], lost: ['LOST', 'ACCEPTED'] }),
});

// --- subscriptions (subscription workflow; docs/subscriptions.md) ---------------------------------

/** The grammar the workflow's timers parse (time-values.ts durationMs). */
const Duration = z.string().regex(DURATION_PATTERN, {
  error: 'must be a duration such as 3d, 36h or 7 days',
});

/** A custom record field id, or null to leave that piece of state out of the record. */
const customRecordField = (fallback: string) =>
  z
    .string()
    .regex(/^custrecord[a-z0-9_]+$/, {
      error:
        "must be a custom record field id starting with custrecord, or null to not write it. Fix: copy the field's ID from the custom record type",
    })
    .nullable()
    .default(fallback);

const SubscriptionCustomRecord = z.strictObject({
  /** Script id of the custom record type that holds one record per 2Checkout subscription. */
  type: z
    .string()
    .regex(/^customrecord[a-z0-9_]+$/, {
      error: 'must be a custom record type id starting with customrecord, e.g. customrecord_2co_subscription',
    })
    .default(SUB.scriptId),
  /** Write the record's `name` (the licence code); turn off when the record type has no name field. */
  name: z.boolean().default(true),
  fields: z
    .strictObject({
      licenseCode: customRecordField(SUB.fields.licenseCode.scriptId),
      status: customRecordField(SUB.fields.status.scriptId),
      item: customRecordField(SUB.fields.item.scriptId),
      productCode: customRecordField(SUB.fields.productCode.scriptId),
      quantity: customRecordField(SUB.fields.quantity.scriptId),
      startedOn: customRecordField(SUB.fields.startedOn.scriptId),
      periodStart: customRecordField(SUB.fields.periodStart.scriptId),
      periodEnd: customRecordField(SUB.fields.periodEnd.scriptId),
      nextRenewal: customRecordField(SUB.fields.nextRenewal.scriptId),
      autoRenew: customRecordField(SUB.fields.autoRenew.scriptId),
      lastOrder: customRecordField(SUB.fields.lastOrder.scriptId),
      customer: customRecordField(SUB.fields.customer.scriptId),
      renewals: customRecordField(SUB.fields.renewals.scriptId),
      pendingItem: customRecordField(SUB.fields.pendingItem.scriptId),
    })
    .prefault({}),
});

const SuiteBillingPlan = z.strictObject({
  /** Internal id of the SuiteBilling subscription plan for this product code. */
  subscriptionPlan: InternalId,
  priceBook: InternalId.optional(),
});

const SubscriptionSuiteBilling = z.strictObject({
  /** Product code (IPN_PCODE / LICENSE_PRODUCT_CODE) → subscription plan and price book. */
  plans: z.record(z.string().min(1), SuiteBillingPlan).default({}),
  billingAccount: InternalId.optional(),
  /** e.g. -102 in Oracle's example; account specific. */
  initialTerm: InternalId.optional(),
  subsidiary: InternalId.optional(),
  /** Field of the subscription record that holds the 2Checkout status (a custom field; the native status is read-only). */
  statusField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'must be a NetSuite field id' })
    .optional(),
  /** Field that holds the REFNO of the last order. */
  lastOrderField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'must be a NetSuite field id' })
    .optional(),
  /** Constant fields the account needs (UNCONFIRMED names such as frequency vs billingFrequency, docs/reference-notes.md#ns-record-shapes). */
  constants: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()]))
    .default({}),
});

const Subscriptions = z.strictObject({
  /**
   * customRecord: one custom record per subscription (default; works in every account);
   * suiteBilling: the SuiteBilling `subscription` record (needs SuiteBilling and a plan per product);
   * none: keep subscription state in Temporal only.
   */
  model: z
    .enum(['customRecord', 'suiteBilling', 'none'], { error: 'must be customRecord, suiteBilling or none' })
    .default('customRecord'),
  /** How long after the expected renewal date a missing renewal is flagged (RENEWAL_MISSED). */
  renewalGrace: Duration.default('3d'),
  /** How long an ended subscription's workflow waits for late events before it completes. */
  endedLinger: Duration.default('30d'),
  customRecord: SubscriptionCustomRecord.prefault({}),
  suiteBilling: SubscriptionSuiteBilling.prefault({}),
});

export const MappingConfigSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1. Fix: add `version: 1` at the top of the file' }),
  products: Products,
  routing: Routing.default({ rules: [], defaults: {} }),
  currencies: z.record(CurrencyIso, CurrencyEntry, {
    error: 'must map ISO codes to NetSuite currency ids. Fix: e.g. `currencies: { USD: 1, EUR: 2 }`',
  }),
  /** Base currency per subsidiary internal id; needed for fx.source twocheckout. */
  subsidiaries: z.record(InternalId, Subsidiary).default({}),
  paymentMethods: PaymentMethods,
  tax: Tax.default({ mode: 'none', description: 'VAT / sales tax collected by 2Checkout' }),
  discounts: Discounts.default({ mode: 'netted' }),
  shipping: Shipping.default({}),
  rounding: Rounding.prefault({}),
  customFields: CustomFields.default({ transaction: {}, customer: {} }),
  customers: Customers.default({
    matchKeys: [...CUSTOMER_MATCH_KEYS],
    kind: 'auto',
    updatePolicy: 'refresh',
    linkByEmail: true,
    emailMatch: 'linkWithoutUpdate',
    otherSubsidiary: 'customerPerSubsidiary',
  }),
  /** Optional: what a transaction dated in a closed accounting period does (default: park). */
  periods: Periods.prefault({}),
  fx: Fx.default({ source: 'netsuite', onPayoutCurrencyMismatch: 'netsuite', residueTolerance: 1 }),
  refunds: Refunds.default({
    accountByPaymentMethod: {},
    chargebackAccountByCurrency: {},
    chargebackResolutions: { none: ['NONE'], open: ['OPEN'], won: ['WON'], lost: ['LOST', 'ACCEPTED'] },
  }),
  /** Optional: how subscriptions are kept in NetSuite (defaults: a custom record, 3-day renewal grace). */
  subscriptions: Subscriptions.prefault({}),
  /** Optional: how 2Checkout payouts are booked (mappings/payout-config.ts, docs/payouts.md). */
  payouts: PayoutsConfigSchema.prefault(DEFAULT_PAYOUTS_CONFIG),
  /** Optional: bounds of refund requests and subscription actions (mappings/actions-config.ts, docs/actions.md). */
  actions: ActionsConfigSchema.prefault(DEFAULT_ACTIONS_CONFIG),
  /** Optional: records a previous integration made for an order are adopted, never doubled (mappings/adoption-config.ts, docs/cutover.md). */
  adoption: AdoptionConfigSchema.prefault(DEFAULT_ADOPTION_CONFIG),
  /** Optional: the instant from which the sync owns new orders (docs/cutover.md). */
  cutover: CutoverConfigSchema.prefault(DEFAULT_CUTOVER_CONFIG),
});

export type MappingConfig = z.output<typeof MappingConfigSchema> & {
  /** The file it was loaded from (set by the loader; used in messages that tell where to fix a mapping). */
  sourceFile?: string;
};
export type ProductTarget = z.output<typeof ProductTarget>;
export type PaymentTarget = z.output<typeof PaymentTarget>;
export type RoutingTarget = z.output<typeof RoutingTarget>;
export type FieldSource = z.output<typeof FieldSource>;
export type SubscriptionsConfig = z.output<typeof Subscriptions>;

/** Something that hands out the current mapping config (re-read when the file changes). */
export interface MappingProvider {
  current(): MappingConfig;
  /** Which version of the file is in use and whether the file on disk loads (watched providers only). */
  state?(): MappingLoadState;
}

/** What a worker knows about its mapping file: exposed on its status endpoint and in park messages. */
export interface MappingLoadState {
  file: string;
  /** First 12 hex digits of the SHA-256 of the loaded file's text. */
  version: string;
  /** ISO time the version in use was loaded. */
  loadedAt: string;
  /** Set while the file on disk does not load (the worker keeps using `version`). */
  loadError?: { message: string; at: string };
}
