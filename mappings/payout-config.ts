// The `payouts:` section of the mapping file: how a 2Checkout payout is booked in NetSuite (see
// docs/payouts.md). Kept beside config-schema.ts, which embeds it, so the payout model reads as one
// piece. Every message says what is wrong and how to fix it.
import { z } from 'zod';

const Id = z
  .union([z.string(), z.number()], {
    error: 'must be a NetSuite internal id such as "230". Fix: copy the ID column of the account in NetSuite',
  })
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+$/.test(v), {
    error: 'must be a NetSuite internal id made of digits. Fix: use the internal ID (not the name) of the account',
  });
const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter ISO-4217 currency code in upper case, such as EUR' });
const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, { error: 'must be a duration such as 30s, 10m, 6h or 3d' });

export const PAYOUT_POSTINGS = ['journal', 'deposit'] as const;

/** What a row of a payout CSV export can be (`payouts.csvImport.types` maps the export's words onto these). */
export const PAYOUT_CSV_ROW_TYPES = [
  'order',
  'refund',
  'chargeback',
  'chargebackFee',
  'reserveHeld',
  'reserveReleased',
  'disputeHeld',
  'disputeReleased',
  'balanceForward',
  'transfer',
] as const;
export const PAYOUT_CSV_DATE_FORMATS = ['YYYY-MM-DD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;

const Column = z.string().trim().min(1, { error: 'must name a column of the CSV header, e.g. "Order reference"' });

/**
 * How `npm run payouts -- import <file.csv>` reads a settlement / accounting export of the
 * 2Checkout control panel: one row per document (an order, a refund, a fee, a reserve or dispute
 * movement, a transfer), the payout's reference, currency, amount and date on every row. The
 * export's column names and words are UNCONFIRMED, so both are configured here.
 */
export const PayoutCsvImportSchema = z.strictObject({
  delimiter: z.string().length(1, { error: 'must be one character such as , or ;' }).default(','),
  dateFormat: z
    .enum(PAYOUT_CSV_DATE_FORMATS, { error: `must be one of ${PAYOUT_CSV_DATE_FORMATS.join(', ')}` })
    .default('YYYY-MM-DD'),
  /** Amounts written 1.234,56 (comma decimals, dot or space thousands). */
  decimalComma: z.boolean({ error: 'must be true or false' }).default(false),
  columns: z
    .strictObject({
      reference: Column.default('Payout reference'),
      /** PAID, PARTIALLY_PAID or CANCELED; without it every payout is PAID. */
      status: Column.optional(),
      payoutCurrency: Column.default('Payout currency'),
      payoutAmount: Column.default('Payout amount'),
      date: Column.default('Transfer date'),
      type: Column.default('Type'),
      refNo: Column.default('Order reference'),
      currency: Column.default('Currency'),
      /** Gross for an order, the amount for every other row, in the row's currency. */
      amount: Column.default('Amount'),
      commission: Column.default('Commission'),
      vat: Column.optional(),
      /** 2Checkout's rate from the row's currency into the payout currency. */
      rate: Column.optional(),
      /** A reserve release: the payout that held it. */
      heldIn: Column.optional(),
      /** A reserve release: the rate of the payout that held it. */
      heldRate: Column.optional(),
      /** A transfer row: its reference. */
      transfer: Column.optional(),
    })
    .prefault({}),
  /** The words of the type column for each kind of row (compared without case). */
  types: z
    .strictObject(
      Object.fromEntries(PAYOUT_CSV_ROW_TYPES.map((t) => [t, z.array(z.string().min(1)).optional()])) as Record<
        (typeof PAYOUT_CSV_ROW_TYPES)[number],
        z.ZodOptional<z.ZodArray<z.ZodString>>
      >,
    )
    .prefault({}),
});
export type PayoutCsvImport = z.output<typeof PayoutCsvImportSchema>;

export const PayoutsConfigSchema = z
  .strictObject({
    /**
     * journal: one journal entry clearing → bank (fits high volume: no payment lines to pick);
     * deposit: one bank deposit whose Other Deposits lines empty the clearing account and whose
     * Cash Back lines carry the fees (what a bank reconciliation screen shows as one deposit).
     */
    posting: z.enum(PAYOUT_POSTINGS, { error: 'must be journal or deposit' }).default('journal'),
    /** Subsidiary of the payout record (OneWorld); its base currency comes from `subsidiaries`. */
    subsidiary: Id.optional(),
    /** Per payout currency, when payouts in that currency belong to another subsidiary (e.g. EUR payouts to the EU subsidiary). */
    subsidiaryByCurrency: z.record(Currency, Id).default({}),
    /**
     * Undeposited Funds (its internal id): where payment methods with `undepositedFunds: true` post.
     * A payout in deposit mode selects the covered payments found there as the deposit's payment lines.
     */
    undepositedFundsAccount: Id.optional(),
    /** Where synced payments sit until 2Checkout pays them out, per order currency (the payment methods' deposit accounts). */
    clearingAccounts: z.record(Currency, Id).default({}),
    /** Clearing account for order currencies not listed in clearingAccounts. */
    clearingAccountDefault: Id.optional(),
    /** The bank account each payout currency arrives in. */
    bankAccounts: z.record(Currency, Id).default({}),
    accounts: z
      .strictObject({
        /** 2Checkout's commission (AvangateCommission): an expense. */
        commission: Id.optional(),
        /** Chargeback/dispute fees (2Checkout service invoices): an expense. */
        chargebackFees: Id.optional(),
        /** VAT / sales tax 2Checkout withholds as merchant of record (2Monetize): usually the tax liability the invoices credited. */
        vatWithheld: Id.optional(),
        /** Rolling reserve held back by 2Checkout: an asset ("2Checkout reserve receivable"). */
        reserve: Id.optional(),
        /** Reserve released into a payout; defaults to `reserve`. */
        reserveReleased: Id.optional(),
        /** Difference between NetSuite's book value of the payments and 2Checkout's conversion: FX gain/loss. */
        fxDifference: Id.optional(),
        /** Residue within the tolerance (rounding, small unexplained differences). */
        variance: Id.optional(),
        /**
         * 2Checkout balance (an asset: "receivable from 2Checkout"): a negative payout 2Checkout carries
         * into a later one (a credit: we owe it), the unpaid rest of a partially paid payout (a debit).
         */
        receivable: Id.optional(),
        /** Amounts 2Checkout holds while a dispute is open (an asset: "2Checkout disputes held"); released when it closes. */
        disputeHold: Id.optional(),
      })
      .prefault({}),
    /** Largest residue (minor units of the payout currency) posted to accounts.variance; above it the payout parks PAYOUT_VARIANCE. */
    varianceTolerance: z.number().int().min(0, { error: 'must be 0 or more minor units' }).default(2),
    /** Per payout currency, wins over varianceTolerance. */
    varianceToleranceByCurrency: z.record(Currency, z.number().int().min(0)).default({}),
    /** How long a payout waits for covered orders' payments to reach NetSuite before it parks PAYOUT_PAYMENTS_MISSING. */
    waitForPayments: Duration.default('3d'),
    /** How often it looks again while waiting. */
    recheckEvery: Duration.default('10m'),
    /** Column map of `npm run payouts -- import <file.csv>` (a control-panel export instead of the API). */
    csvImport: PayoutCsvImportSchema.prefault({}),
  })
  .superRefine((p, ctx) => {
    if (p.varianceTolerance > 0 && p.accounts.variance === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'variance'],
        message:
          'is required when varianceTolerance is above 0. Fix: set payouts.accounts.variance to the internal id of a "payout variance" expense account, or set varianceTolerance: 0',
      });
    }
  });

export type PayoutsConfig = z.output<typeof PayoutsConfigSchema>;
export const DEFAULT_PAYOUTS_CONFIG: z.input<typeof PayoutsConfigSchema> = { posting: 'journal', varianceTolerance: 0 };
