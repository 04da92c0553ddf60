// "30m", "1h", "2d": the durations operators type on the command line.

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (!m) throw new DurationError(`"${text}" is not a duration: use a number and a unit, e.g. 90s, 30m, 1h or 2d`);
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (ms <= 0) throw new DurationError(`"${text}" must be longer than zero`);
  return ms;
}
