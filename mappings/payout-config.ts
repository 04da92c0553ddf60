// The `payouts:` section of the mapping file: how a 2Checkout payout is booked in NetSuite (see
// docs/payouts.md). Kept beside config-schema.ts, which embeds it, so the payout model reads as one
// piece. Every message says what is wrong and how to fix it.
import { z } from 'zod';

const Id = z
  .union([z.string(), z.number()], { error: 'must be a NetSuite internal id such as "230". Fix: copy the ID column of the account in NetSuite' })
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+$/.test(v), { error: 'must be a NetSuite internal id made of digits. Fix: use the internal ID (not the name) of the account' });
const Currency = z.string().regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter ISO-4217 currency code in upper case, such as EUR' });
const Duration = z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, { error: 'must be a duration such as 30s, 10m, 6h or 3d' });

export const PAYOUT_POSTINGS = ['journal', 'deposit'] as const;

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
  })
  .superRefine((p, ctx) => {
    if (p.varianceTolerance > 0 && p.accounts.variance === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'variance'],
        message: 'is required when varianceTolerance is above 0. Fix: set payouts.accounts.variance to the internal id of a "payout variance" expense account, or set varianceTolerance: 0',
      });
    }
  });

export type PayoutsConfig = z.output<typeof PayoutsConfigSchema>;
export const DEFAULT_PAYOUTS_CONFIG: z.input<typeof PayoutsConfigSchema> = { posting: 'journal', varianceTolerance: 0 };
