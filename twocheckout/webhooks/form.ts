// Hand-written parser for 2Checkout's `application/x-www-form-urlencoded` notification bodies
// (docs/reference-notes.md#2co-signature). Generic parsers re-order keys, nest `a[]` or decode `%2B` after turning `+`
// into spaces; any of these changes the bytes the HMAC was computed over, so we parse ourselves.
// Pure: no I/O, safe to use from mappings.

/** A body that is not well-formed form encoding. `field` names the offending key when known. */
export class NotificationFormatError extends Error {
  override readonly name = 'NotificationFormatError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** One logical field: `IPN_PID[]` ×3 becomes `{ name: 'IPN_PID', values: [..3], isArray: true }`. */
export interface FormEntry {
  readonly name: string;
  readonly values: readonly string[];
  readonly isArray: boolean;
}

/** The parsed notification: logical fields in first-seen order, values exactly as decoded. */
export class NotificationForm {
  readonly entries: readonly FormEntry[];
  private readonly byName: ReadonlyMap<string, FormEntry>;

  constructor(entries: readonly FormEntry[]) {
    this.entries = entries;
    this.byName = new Map(entries.map((e) => [e.name, e]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** First value of the field (the only one for a scalar), or undefined when the field was not sent. */
  get(name: string): string | undefined {
    return this.byName.get(name)?.values[0];
  }

  /** All values of the field in received order; `[]` when the field was not sent. */
  getAll(name: string): string[] {
    return [...(this.byName.get(name)?.values ?? [])];
  }

  entry(name: string): FormEntry | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `+` → space first, then percent-decode as UTF-8 (the other order corrupts `GMT%2B03:00`). */
function decodeComponent(raw: string, what: string, field: string | undefined): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    const where = field === undefined ? what : `${what} of ${field}`;
    throw new NotificationFormatError(
      `malformed percent-encoding in the ${where}: ${JSON.stringify(truncate(raw))} ` +
        '(expected %XX escapes of UTF-8 bytes)',
      field,
    );
  }
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Parses a raw notification body. Keys ending in `[]` are arrays (PHP `$_POST` grouping: values
 * are appended to the array at the position the key was first seen). Values are never trimmed or
 * re-formatted. A scalar key sent twice, or sent both with and without `[]`, is rejected: PHP
 * would silently keep one of them, so the HMAC could not tell which one 2Checkout meant.
 */
export function parseForm(raw: Buffer | string): NotificationForm {
  let text: string;
  if (typeof raw === 'string') {
    text = raw;
  } else {
    try {
      text = utf8.decode(raw);
    } catch {
      throw new NotificationFormatError('the body is not valid UTF-8');
    }
  }

  const entries: Array<{ name: string; values: string[]; isArray: boolean }> = [];
  const byName = new Map<string, { name: string; values: string[]; isArray: boolean }>();
  if (text.length === 0) return new NotificationForm(entries);

  const pairs = text.split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] ?? '';
    // `a=1&&b=2` or a trailing `&`: nothing was sent there, and nothing to hash (PHP skips it too).
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decodeComponent(rawKey, `name of field #${i + 1}`, undefined);
    const value = decodeComponent(rawValue, 'value', key);

    const isArray = key.endsWith('[]');
    const name = isArray ? key.slice(0, -2) : key;
    if (name.length === 0) {
      throw new NotificationFormatError(`field #${i + 1} has an empty name (${JSON.stringify(truncate(pair))})`);
    }

    const existing = byName.get(name);
    if (!existing) {
      const entry = { name, values: [value], isArray };
      entries.push(entry);
      byName.set(name, entry);
      continue;
    }
    if (existing.isArray !== isArray) {
      throw new NotificationFormatError(
        `${name} is sent both as a single field and as an array (${name}[]); a field must be one or the other`,
        name,
      );
    }
    if (!isArray) {
      throw new NotificationFormatError(
        `${name} is sent more than once; only array fields (${name}[]) may repeat`,
        name,
      );
    }
    existing.values.push(value);
  }
  return new NotificationForm(entries);
}
