// 2Checkout payouts over REST 6.0. `GET /payouts/` and its filters are documented (Reference,
// Status, Currency, StartDate/EndDate, PaymentType, OrderBy, Page, Limit); the response bodies are
// NOT published, and neither is a per-payout detail that lists the orders, refunds, fees and
// reserve movements a payout pays. Those shapes live in two places only: the zod schemas below and
// their adapter to the sync's own PayoutContent (mappings/payout-from-2checkout.ts). When a real
// account shows the shapes, only these two files change.
// UNCONFIRMED: the detail path `GET /payouts/{Reference}/` and every field name of both bodies.
import { z } from 'zod';
import type { TwoCheckoutApiClient } from './client.js';
import { TwoCheckoutApiError, badResponse } from './errors.js';

const Amount = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount'));
const Cur = z
  .string()
  .regex(/^[A-Za-z]{3}$/)
  .transform((c) => c.toUpperCase());
const RefNo = z.union([z.string(), z.number()]).transform(String);

export const PAYOUT_STATUSES = ['PAID', 'PARTIALLY_PAID', 'CANCELED'] as const;
export const PAYOUT_PAYMENT_TYPES = ['WIRE', 'PAYPAL', 'CHECK', 'PAYONEER', 'WEBMONEY', 'INTERNATIONAL_WIRE'] as const;

export const ApiPayoutSummary = z
  .object({
    Reference: z.string().min(1),
    Status: z.string(),
    Currency: Cur,
    Amount,
    /** `Y-m-d` or `Y-m-d H:i:s`. */
    TransferCompletionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
    PaymentType: z.string().optional(),
    /** A transfer of a PARTIALLY_PAID payout: its own id when 2Checkout gives one (UNCONFIRMED name). */
    TransferReference: z.union([z.string(), z.number()]).transform(String).optional(),
  })
  .loose();
export type ApiPayoutSummary = z.infer<typeof ApiPayoutSummary>;

export const ApiPayoutDetail = ApiPayoutSummary.extend({
  Orders: z.array(
    z
      .object({ RefNo, Currency: Cur, GrossPrice: Amount, AvangateCommission: Amount, VATWithheld: Amount.optional() })
      .loose(),
  ),
  Refunds: z.array(z.object({ RefNo, Currency: Cur, Amount }).loose()).default([]),
  ChargebackFees: z.array(z.object({ RefNo: RefNo.optional(), Currency: Cur, Amount }).loose()).default([]),
  Reserve: z
    .array(
      z
        .object({
          Type: z.enum(['HELD', 'RELEASED']),
          Currency: Cur,
          Amount,
          HeldIn: z.string().optional(),
          HeldRate: Amount.optional(),
        })
        .loose(),
    )
    .default([]),
  /** Amounts held while a dispute is open, and released (UNCONFIRMED: the Account Balance report shows "Retained/Released Disputes"). */
  Disputes: z
    .array(z.object({ Type: z.enum(['HELD', 'RELEASED']), Currency: Cur, Amount, RefNo: RefNo.optional() }).loose())
    .default([]),
  /** A balance carried from an earlier payout (negative: deducted). UNCONFIRMED (the legacy API listed "balance forward"). */
  BalanceForward: z.array(z.object({ Currency: Cur, Amount }).loose()).default([]),
  /** PARTIALLY_PAID: the transfers made so far (UNCONFIRMED). */
  Transfers: z
    .array(
      z
        .object({
          TransferReference: z.union([z.string(), z.number()]).transform(String).optional(),
          Amount,
          TransferCompletionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
        })
        .loose(),
    )
    .default([]),
  ExchangeRates: z.array(z.object({ From: Cur, To: Cur, Rate: Amount }).loose()).default([]),
});
export type ApiPayoutDetail = z.infer<typeof ApiPayoutDetail>;

const ApiPayoutPage = z.union([
  z
    .object({
      Items: z.array(z.unknown()),
      Pagination: z
        .object({ Page: z.coerce.number(), Limit: z.coerce.number(), Count: z.coerce.number() })
        .loose()
        .optional(),
    })
    .loose(),
  z.array(z.unknown()),
]);

export interface PayoutSearch {
  Reference?: string;
  Status?: (typeof PAYOUT_STATUSES)[number];
  Currency?: string;
  StartDate?: string;
  EndDate?: string;
  PaymentType?: (typeof PAYOUT_PAYMENT_TYPES)[number];
  OrderBy?: 'TransferCompletionDate' | '-TransferCompletionDate';
  Limit?: number;
}

export interface PayoutsApi {
  /** Every payout of the search, all pages. */
  listPayouts(search?: PayoutSearch): Promise<ApiPayoutSummary[]>;
  /** One payout with what it covers; undefined when 2Checkout does not know it. */
  getPayout(reference: string): Promise<ApiPayoutDetail | undefined>;
}

export function createPayoutsApi(client: Pick<TwoCheckoutApiClient, 'getJson'>): PayoutsApi {
  return {
    async listPayouts(search = {}) {
      const out: ApiPayoutSummary[] = [];
      const limit = search.Limit ?? 100;
      for (let page = 1; ; page++) {
        const query: Record<string, string> = {};
        for (const [k, v] of Object.entries(search)) if (v !== undefined) query[k] = String(v);
        query.Page = String(page);
        query.Limit = String(limit);
        const call = `GET /payouts/ (page ${page})`;
        const body = ApiPayoutPage.safeParse(await client.getJson(call, 'payouts/', query));
        if (!body.success) throw badResponse(call, 'neither {Items, Pagination} nor a list of payouts');
        const items = Array.isArray(body.data) ? body.data : body.data.Items;
        for (const raw of items) {
          const r = ApiPayoutSummary.safeParse(raw);
          if (!r.success) throw badResponse(call, `payout: ${z.prettifyError(r.error).replace(/\n/g, '; ')}`);
          out.push(r.data);
        }
        const count = Array.isArray(body.data) ? undefined : body.data.Pagination?.Count;
        const more = count !== undefined ? page * limit < count : items.length >= limit;
        if (!more || items.length === 0) return out;
      }
    },
    async getPayout(reference) {
      const call = `GET /payouts/${reference}/`;
      let raw: unknown;
      try {
        raw = await client.getJson(call, `payouts/${encodeURIComponent(reference)}/`);
      } catch (e) {
        if (e instanceof TwoCheckoutApiError && e.kind === 'not_found') return undefined;
        throw e;
      }
      const r = ApiPayoutDetail.safeParse(raw);
      if (!r.success) throw badResponse(call, `payout ${reference}: ${z.prettifyError(r.error).replace(/\n/g, '; ')}`);
      return r.data;
    },
  };
}
