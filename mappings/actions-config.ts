// The `actions:` section of the mapping file: how refund requests and subscription actions (acts
// in 2Checkout that need a second person's approval, docs/actions.md) are bounded. Kept beside
// config-schema.ts, which embeds it. Every message says what is wrong and how to fix it.
import { z } from 'zod';
import { DURATION_PATTERN } from './time-values.js';

const Duration = z.string().regex(DURATION_PATTERN, { error: 'must be a duration such as 30s, 10m, 36h or 3d' });

export const ActionsConfigSchema = z.strictObject({
  /** How long a request waits for another person's approval before it expires (nothing is done). */
  approvalExpiry: Duration.default('3d'),
  /**
   * How old an order may be and still be refunded through the API. Verifone's "Refunding an
   * Order" page (REST) says 3 months, its JSON-RPC pages say a year: 90d is the stricter reading.
   */
  refundWindow: Duration.default('90d'),
  /**
   * The refund reason sent to 2Checkout (`Reason`): it must be one of the account's default or
   * custom refund reasons (Control Panel). Which names exist by default is UNCONFIRMED.
   */
  refundReason: z
    .string()
    .trim()
    .min(1, { error: 'must name a refund reason of your 2Checkout account, e.g. Other' })
    .max(200)
    .default('Other'),
  /** How long after 2Checkout accepted an action its notification may take to be booked (refund) or folded (LCN) before the request parks. */
  confirmWait: Duration.default('1d'),
  /** How often the request looks again while it waits for that. */
  recheckEvery: Duration.default('30s'),
});

export type ActionsConfig = z.output<typeof ActionsConfigSchema>;
export const DEFAULT_ACTIONS_CONFIG: z.input<typeof ActionsConfigSchema> = {};
