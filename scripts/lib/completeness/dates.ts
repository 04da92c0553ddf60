// `YYYY-MM-DD` arguments of the completeness CLIs, checked so a typo gets a sentence, not a stack.
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function parseDay(flag: string, value: string | undefined, now: Date = new Date()): string {
  if (value === undefined) throw new Error(`${flag} is required (YYYY-MM-DD, or "today" / "yesterday")`);
  if (value === 'today') return now.toISOString().slice(0, 10);
  if (value === 'yesterday') return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (!DAY_RE.test(value) || Number.isNaN(Date.parse(value)) || new Date(value).toISOString().slice(0, 10) !== value) {
    throw new Error(`${flag} ${JSON.stringify(value)} is not a date: use YYYY-MM-DD, e.g. 2026-03-14`);
  }
  return value;
}
