// The `adoption:` and `cutover:` sections of the mapping file: how the sync recognises the records a
// previous integration (an iPaaS template, a CSV import, a person) made for a 2Checkout order, and
// from when the sync owns new orders (docs/cutover.md). Kept beside config-schema.ts, which embeds
// them. Every message says what is wrong and how to fix it.
import { z } from 'zod';
import { DURATION_PATTERN } from './time-values.js';

/** The record types a previous tool's booking of an order may consist of. */
export const ADOPTABLE_TYPES = ['salesOrder', 'invoice', 'customerPayment', 'cashSale'] as const;
export type AdoptableType = (typeof ADOPTABLE_TYPES)[number];

/** The transaction body fields a REFNO may be kept in, besides a custom body field. */
export const REFNO_FIELDS = ['otherRefNum', 'tranId', 'memo'] as const;
export type RefNoField = (typeof REFNO_FIELDS)[number];

/** The one placeholder a REFNO pattern has. */
export const REFNO_PLACEHOLDER = '{refNo}';

const CUSTOM_BODY_FIELD = /^custbody[a-z0-9_]+$/;

const RefNoMatch = z.strictObject({
  /** otherRefNum, tranId, memo, or a custom body field (custbody_…) that holds the REFNO. */
  field: z.string().refine((f) => (REFNO_FIELDS as readonly string[]).includes(f) || CUSTOM_BODY_FIELD.test(f), {
    error: `must be ${REFNO_FIELDS.join(', ')} or a custom body field id such as custbody_tray_order_id. Fix: name the field the previous tool wrote the 2Checkout REFNO into`,
  }),
  /**
   * How the REFNO appears in the field, `{refNo}` standing for it: `2CO-{refNo}` for a tranId the
   * tool numbered, `2Checkout order {refNo}` for a memo. otherRefNum, tranId and custom fields must
   * equal the pattern; a memo must contain it (with no letter or digit touching the REFNO).
   */
  pattern: z
    .string()
    .refine((p) => p.split(REFNO_PLACEHOLDER).length === 2, {
      error:
        'must contain {refNo} exactly once, e.g. "2CO-{refNo}" or "2Checkout order {refNo}". Fix: write {refNo} where the tool put the order reference',
    })
    .refine((p) => !/\{(?!refNo\})[^}]*\}/.test(p), {
      error: 'knows only the placeholder {refNo}. Fix: remove the other {…}',
    })
    .default(REFNO_PLACEHOLDER),
});

/** Placeholders a customer pattern may use, each a reference the order carries. */
export const CUSTOMER_PLACEHOLDERS = ['{twoCheckoutCustomerRef}', '{externalCustomerRef}'] as const;

const CustomerMatch = z.strictObject({
  /** externalId, or a custom entity field (custentity_…) in which the previous tool kept the shopper's reference. */
  field: z.string().refine((f) => f === 'externalId' || /^custentity[a-z0-9_]+$/.test(f), {
    error:
      'must be externalId or a custom entity field id such as custentity_tray_customer. Fix: name the field the previous tool keyed its customers by',
  }),
  /** e.g. "tray-{twoCheckoutCustomerRef}": the field's value, with one of the order's references in it. */
  pattern: z
    .string()
    .refine(
      (p) =>
        CUSTOMER_PLACEHOLDERS.some((ph) => p.split(ph).length === 2) &&
        !/\{(?!twoCheckoutCustomerRef\}|externalCustomerRef\})[^}]*\}/.test(p),
      {
        error: `must contain {twoCheckoutCustomerRef} or {externalCustomerRef} exactly once, e.g. "tray-{twoCheckoutCustomerRef}". Fix: write the placeholder where the tool put the reference`,
      },
    ),
});

export const AdoptionConfigSchema = z.strictObject({
  /**
   * Look for the records a previous tool made before the first write of an order (and before
   * reconciliation heals one). On by default, so a fresh install over an incumbent never doubles
   * the books. Turn off only on an account no other tool ever booked 2Checkout orders in.
   */
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  /** Which of an order's record types a previous tool's booking may include. */
  recordTypes: z
    .array(z.enum(ADOPTABLE_TYPES, { error: `must be one of ${ADOPTABLE_TYPES.join(', ')}` }))
    .min(1, {
      error:
        'needs at least one record type. Fix: e.g. [salesOrder, invoice, customerPayment, cashSale], or set enabled: false',
    })
    .default([...ADOPTABLE_TYPES]),
  /** Where the previous tool kept the REFNO: a record matching any entry is that order's. */
  match: z
    .array(RefNoMatch)
    .min(1, {
      error: 'needs at least one entry. Fix: e.g. `- field: otherRefNum` (what this sync and most templates write)',
    })
    .default([{ field: 'otherRefNum', pattern: REFNO_PLACEHOLDER }]),
  /**
   * How a customer the previous tool made is recognised, besides being the customer of an adopted
   * sale and the customer matching of `customers:` (e-mail, per customers.emailMatch): a key the
   * tool gave it. Such a customer is linked, never rewritten or re-keyed.
   */
  customers: z.strictObject({ match: z.array(CustomerMatch).default([]) }).prefault({}),
  /**
   * auto: give an adopted record this sync's externalId when it has none and NetSuite accepts the
   * update, else (it has the previous tool's own externalId, or NetSuite refuses) keep the link in a
   * customrecord_2co_adoption record; mapping: never touch the adopted records, always that record.
   */
  link: z.enum(['auto', 'mapping'], { error: 'must be auto or mapping' }).default('auto'),
  /**
   * The customer query of an order's first step also finds a previous tool's booking (a subquery and
   * a CASE column: no extra call). Both are Oracle SQL that SuiteQL is believed to take
   * (docs/reference-notes.md#ns-suiteql, UNCONFIRMED): set false if `npm run doctor` says the
   * account refuses the folded query; the booking is then looked up in a query of its own.
   */
  foldIntoCustomerQuery: z.boolean({ error: 'must be true or false' }).default(true),
  /** Largest difference (NetSuite minor units) between an adopted record and 2Checkout taken as equal. */
  tolerance: z
    .number({ error: 'must be a whole number of minor units' })
    .int()
    .min(0, { error: 'must be 0 or more minor units' })
    .default(0),
});

export type AdoptionConfig = z.output<typeof AdoptionConfigSchema>;
export type AdoptionMatch = AdoptionConfig['match'][number];
export const DEFAULT_ADOPTION_CONFIG: z.input<typeof AdoptionConfigSchema> = {};

const Duration = z.string().regex(DURATION_PATTERN, { error: 'must be a duration such as 12h, 2d or 1w' });

/** A calendar day that exists (JavaScript's Date takes 2026-02-30 for March 2nd). */
const realDay = (d: string): boolean => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};

/** `2026-04-01` (midnight UTC) or `2026-04-01T00:00:00+02:00`: an instant. */
const Instant = z
  .union([z.string(), z.date()], {
    error: 'must be a date such as 2026-04-01 or a date-time with its offset such as 2026-04-01T00:00:00+02:00',
  })
  .transform((v) => (v instanceof Date ? v.toISOString() : v.trim()))
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s),
    {
      error:
        'must be a date (2026-04-01, read as midnight UTC) or a date-time with an offset (2026-04-01T00:00:00+02:00). Fix: write the moment the sync takes over',
    },
  )
  .refine(
    (s) => realDay(s.slice(0, 10)) && !Number.isNaN(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s)),
    { error: 'is not a real date. Fix: check month and day' },
  )
  .transform((s) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s).toISOString());

export const CutoverConfigSchema = z.strictObject({
  /**
   * From this instant the sync owns new orders. An order sold before it is adopted (what the previous
   * tool booked) or reported (parked BEFORE_CUTOVER), never posted, unless an operator asks for it
   * (retry, or `npm run backfill -- --post-missing`). Unset: the sync owns every order (and still
   * adopts what another tool booked).
   */
  at: Instant.optional(),
  /**
   * Orders sold later than `at` plus this margin are the sync's alone: their first write skips the
   * adoption look-up (the previous tool is off by then). Orders sold before it are looked up.
   */
  margin: Duration.default('2d'),
});

export type CutoverConfig = z.output<typeof CutoverConfigSchema>;
export const DEFAULT_CUTOVER_CONFIG: z.input<typeof CutoverConfigSchema> = {};
