// The cut-over's dates (docs/cutover.md): when an order was sold, when a money-back event happened,
// and whether that falls before `cutover.at`. Pure and workflow-safe: the order workflow dates
// refunds against the cut-over with it, the activities date sales.
import type { OrderEvent } from './canonical.js';
import { instantOf, normalizeDateTime, parseUtcOffset } from './time-values.js';

/** Largest UTC offset in use (UTC+14): without TIMEZONE_OFFSET a date is read as early as it can be. */
const MAX_UTC_OFFSET_MIN = 14 * 60;

/** Epoch ms of a 2Checkout local date-time of `event` (its TIMEZONE_OFFSET), or undefined when unreadable. */
function localInstant(raw: string | undefined, event: OrderEvent): number | undefined {
  const local = normalizeDateTime(raw);
  if (!local) return undefined;
  return instantOf(local, parseUtcOffset(event.timezoneOffset) ?? MAX_UTC_OFFSET_MIN);
}

/** When the order was sold (SALEDATE, else the notification's IPN_DATE). */
export const saleInstant = (e: OrderEvent): number | undefined =>
  localInstant(e.saleDate, e) ?? localInstant(e.ipnDate, e);

/** When a money-back or void event happened (its IPN_DATE). */
export const eventInstant = (e: OrderEvent): number | undefined => localInstant(e.ipnDate, e);

/** `cutover.at` as epoch ms, when configured. */
export function cutoverAtMs(cutoverAt: string | undefined): number | undefined {
  if (cutoverAt === undefined) return undefined;
  const ms = Date.parse(cutoverAt);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether an instant falls before the cut-over (never when none is configured; always when the date is unreadable). */
export function beforeCutover(instant: number | undefined, cutoverAt: string | undefined): boolean {
  const at = cutoverAtMs(cutoverAt);
  if (at === undefined) return false;
  return instant === undefined || instant < at;
}
