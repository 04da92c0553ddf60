// Dates and durations as 2Checkout and the mapping file write them (pure; no Date parsing of free
// text). One grammar for durations: the workflow's timers and the mapping file's validation share it.

export const DAY_MS = 86_400_000;

/** `Y-m-d H:i:s`, `Y-m-d`, `Y-m-dTH:i:s` or `YmdHis` → `YYYY-MM-DD HH:mm:ss`; undefined otherwise. */
export function normalizeDateTime(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  const dashed = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (dashed)
    return `${dashed[1]}-${dashed[2]}-${dashed[3]} ${dashed[4] ?? '00'}:${dashed[5] ?? '00'}:${dashed[6] ?? '00'}`;
  const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]} ${compact[4]}:${compact[5]}:${compact[6]}`;
  return undefined;
}

export const dayOf = (local: string): string => local.slice(0, 10);

/** Epoch ms of a local date-time at a UTC offset. */
export function instantOf(local: string, utcOffsetMinutes: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`not a normalized local date-time: ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - utcOffsetMinutes * 60_000;
}

/** `GMT+03:00`, `+0300`, `UTC-05:30` → minutes east of UTC; undefined when unreadable. */
export function parseUtcOffset(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const s = raw.trim().toUpperCase();
  if (s === 'GMT' || s === 'UTC' || s === 'Z') return 0;
  const m = /^(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?$/.exec(s);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  return m[1] === '-' ? -minutes : minutes;
}

/** The duration grammar `durationMs` accepts, for validating configuration. */
export const DURATION_PATTERN =
  /^(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/** `3d`, `36h`, `7 days`, `90m`, `1w` or a number of ms → ms. */
export function durationMs(d: string | number): number {
  if (typeof d === 'number') return d;
  const m = DURATION_PATTERN.exec(d.trim());
  if (!m) throw new Error(`not a duration: ${d} (use e.g. 3d, 36h or 7 days)`);
  const unit = m[2]!.toLowerCase();
  const key = unit === 'ms' ? 'ms' : unit.startsWith('mi') || unit === 'm' ? 'm' : unit[0]!;
  return Math.round(Number(m[1]) * UNIT_MS[key]!);
}
