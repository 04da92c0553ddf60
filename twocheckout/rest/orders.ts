// Order objects and order search of 2Checkout's REST API 6.0, validated with zod at the boundary.
// Field names follow 2Checkout's documented order object. What the public docs leave open is
// tolerated rather than guessed: numbers may come as JSON numbers or strings (kept as decimal
// strings), unknown fields pass through, the search envelope may be `{Items, Pagination}` or a bare
// array, and `Refunds` (a per-order list of refunds) is optional: without it a REFUND status is
// read as one full refund.
import { z } from 'zod';

/** A decimal amount as a string; JSON numbers are converted without float maths beyond JSON's own. */
const Amount = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount'));
const OptAmount = Amount.optional()
  .nullable()
  .transform((v) => v ?? undefined);
const OptText = z
  .string()
  .optional()
  .nullable()
  .transform((v) => v ?? undefined);

export const ApiItemPrice = z
  .object({
    Currency: OptText,
    UnitNetPrice: OptAmount,
    UnitGrossPrice: OptAmount,
    UnitVAT: OptAmount,
    UnitDiscount: OptAmount,
    NetPrice: OptAmount,
    GrossPrice: OptAmount,
    VAT: OptAmount,
    VATPercent: OptAmount,
    Discount: OptAmount,
    NetDiscountedPrice: OptAmount,
    GrossDiscountedPrice: OptAmount,
    AffiliateCommission: OptAmount,
  })
  .loose();

export const ApiOrderItem = z
  .object({
    Code: z.string(),
    ProductId: z
      .union([z.string(), z.number()])
      .optional()
      .transform((v) => (v === undefined ? undefined : String(v))),
    ProductName: OptText,
    SKU: OptText,
    Quantity: z.union([z.string(), z.number()]).transform(String),
    LineItemReference: OptText,
    SubscriptionReference: OptText,
    Price: ApiItemPrice,
  })
  .loose();
export type ApiOrderItem = z.infer<typeof ApiOrderItem>;

export const ApiRefund = z
  .object({
    /** 2Checkout's reference of the refund when it gives one. */
    RefundReference: OptText,
    Amount,
    Currency: OptText,
    /** `Y-m-d H:i:s`. */
    Date: z.string(),
    Reason: OptText,
    Type: OptText,
    /** The comment the refund was issued with, when the API shows it (UNCONFIRMED: not in the published order object). */
    Comment: OptText,
  })
  .loose();
export type ApiRefund = z.infer<typeof ApiRefund>;

export const ApiParty = z
  .object({
    FirstName: OptText,
    LastName: OptText,
    Company: OptText,
    Email: OptText,
    Phone: OptText,
    Address1: OptText,
    Address2: OptText,
    City: OptText,
    State: OptText,
    Zip: OptText,
    CountryCode: OptText,
  })
  .loose();

export type ApiParty = z.infer<typeof ApiParty>;

export const ApiOrder = z
  .object({
    RefNo: z.union([z.string(), z.number()]).transform(String),
    OrderNo: z
      .union([z.string(), z.number()])
      .optional()
      .nullable()
      .transform((v) => (v == null ? undefined : String(v))),
    ExternalReference: OptText,
    ShopperRefNo: OptText,
    Status: z.string(),
    ApproveStatus: OptText,
    VendorApproveStatus: OptText,
    /** `Y-m-d H:i:s`, the merchant's time zone. */
    OrderDate: z.string(),
    FinishDate: OptText,
    TestOrder: z.boolean().optional(),
    Currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/)
      .transform((c) => c.toUpperCase()),
    NetPrice: Amount,
    GrossPrice: Amount,
    VAT: OptAmount,
    Discount: OptAmount,
    NetDiscountedPrice: OptAmount,
    GrossDiscountedPrice: OptAmount,
    AffiliateCommission: OptAmount,
    AvangateCommission: OptAmount,
    Shipping: OptAmount,
    ShippingVAT: OptAmount,
    Origin: OptText,
    OrderFlow: OptText,
    Language: OptText,
    PaymentDetails: z.object({ Type: OptText, Currency: OptText }).loose().optional(),
    CustomerDetails: ApiParty.extend({
      AvangateCustomerReference: z
        .union([z.string(), z.number()])
        .optional()
        .transform((v) => (v === undefined ? undefined : String(v))),
      ExternalCustomerReference: OptText,
    }).optional(),
    BillingDetails: ApiParty.optional(),
    DeliveryDetails: ApiParty.optional()
      .nullable()
      .transform((v) => v ?? undefined),
    Items: z.array(ApiOrderItem),
    ChargebackResolution: OptText,
    ChargebackReasonCode: OptText,
    Refunds: z
      .array(ApiRefund)
      .optional()
      .nullable()
      .transform((v) => v ?? undefined),
    /**
     * The IPN's FX_RATE / FX_MARKUP / PAYOUT_CURRENCY, when the order object carries them: FxRate and
     * FxMarkup appear in one public sample only, PayoutCurrency in none (UNCONFIRMED; read when present).
     */
    FxRate: OptAmount,
    FxMarkup: OptAmount,
    PayoutCurrency: OptText,
  })
  .loose();
export type ApiOrder = z.infer<typeof ApiOrder>;

export const ApiOrderPage = z.union([
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

export const INCLUDE_TEST_ORDERS = ['YES', 'NO', 'ONLY'] as const;

/** Filters of `GET /orders/` (documented names). Dates are `YYYY-MM-DD`. */
export interface OrderSearch {
  StartDate?: string;
  EndDate?: string;
  Status?: string;
  ApproveStatus?: 'WAITING' | 'OK' | 'FRAUD' | 'INVALIDDATA';
  IncludeTestOrders?: (typeof INCLUDE_TEST_ORDERS)[number];
  ExternalRefNo?: string;
  Newer?: string;
  PartnerOrders?: boolean;
  Page?: number;
  Limit?: number;
}

export interface OrderPage {
  orders: ApiOrder[];
  page: number;
  limit: number;
  /** Total number of matching orders when the API says it. */
  count?: number;
  /** Whether another page may exist. */
  hasMore: boolean;
}
