// SuiteQL text with values written into it as literals. SuiteQL over REST takes only the query
// text `q`: it has no bound `?` parameters (those belong to SuiteScript's N/query module), so
// every value a query compares with is part of the text (docs/reference-notes.md#ns-suiteql).
// This file is the one place that writes a value into SuiteQL: the `suiteql` tagged template
// quotes what it is given, and the SQL words come only from the template's own text, which is
// code. A value that cannot be written safely (a control character, more than Oracle's
// 4,000-byte limit for a text literal, a number that is not finite) is refused with an error
// naming what is wrong, before anything is sent.
//
//   const q = suiteql`SELECT id FROM customer WHERE externalid IN (${ids}) OR LOWER(email) = LOWER(${email})`;
//   const rows = await ns.suiteqlAll(q);
//
// LIKE patterns are plain text literals: `%` and `_` inside a value keep their wildcard meaning,
// so a query that matches by prefix must check the rows it gets back exactly.

/** Oracle refuses a text literal longer than 4,000 bytes (ORA-01704); SuiteQL runs on Oracle. */
export const MAX_LITERAL_BYTES = 4_000;
/** A query this long is a mistake in the caller (an unbounded IN list), not a query. */
export const MAX_QUERY_CHARS = 100_000;

/** A value refused by the builder: the message says which value and why. */
export class SuiteQlValueError extends TypeError {
  override readonly name = 'SuiteQlValueError';
}

/** Held by this module only: a SuiteQl can be made by the builders below and nowhere else. */
const BUILDER: unique symbol = Symbol('suiteql builder');

/** A piece of SuiteQL built by this module: only these are sent (the client takes no plain strings). */
export class SuiteQl {
  readonly text: string;
  constructor(key: typeof BUILDER, text: string) {
    if (key !== BUILDER) throw new TypeError('SuiteQl is made by the suiteql`…` template, joinSql or ident only');
    if (text.length > MAX_QUERY_CHARS)
      throw new SuiteQlValueError(
        `SuiteQL query of ${text.length} characters is longer than ${MAX_QUERY_CHARS}: query in smaller chunks`,
      );
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

const fragment = (text: string): SuiteQl => new SuiteQl(BUILDER, text);

/** A calendar day, written as `TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD')`. */
export class SuiteQlDay {
  private constructor(readonly iso: string) {}
  static of(iso: string): SuiteQlDay {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!d || d.toISOString().slice(0, 10) !== iso)
      throw new SuiteQlValueError(`SuiteQL date ${JSON.stringify(iso)} is not a calendar day in the form YYYY-MM-DD`);
    return new SuiteQlDay(iso);
  }
}

/** A day for a SuiteQL comparison (`trandate = ${day('2026-03-01')}`). */
export const day = (iso: string): SuiteQlDay => SuiteQlDay.of(iso);

export type SuiteQlScalar = string | number | bigint | boolean | SuiteQlDay | Date;
export type SuiteQlValue = SuiteQlScalar | SuiteQl | readonly SuiteQlScalar[];

// C0 and C1 controls and DEL: a literal with one could end a line comment or confuse a log reader.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describe(value: string): string {
  return value.length > 40
    ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)`
    : JSON.stringify(value);
}

/** `'…'` with every quote doubled; refuses what cannot be a literal. */
export function textLiteral(value: string): string {
  const where = CONTROL.exec(value);
  if (where) {
    const code = where[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new SuiteQlValueError(
      `SuiteQL value ${describe(value)} contains the control character U+${code.toUpperCase()} at position ${where.index}: remove it before looking the value up`,
    );
  }
  if (LONE_SURROGATE.test(value))
    throw new SuiteQlValueError(`SuiteQL value ${describe(value)} is not valid Unicode (a lone surrogate)`);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_LITERAL_BYTES)
    throw new SuiteQlValueError(
      `SuiteQL value ${describe(value)} is ${bytes} bytes long; a text literal may have at most ${MAX_LITERAL_BYTES}`,
    );
  return `'${value.replace(/'/g, "''")}'`;
}

/** A number as SQL: digits, a point, a sign in parentheses (so `-` never meets another `-` as a comment). */
export function numberLiteral(value: number | bigint): string {
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value);
  if (!Number.isFinite(value)) throw new SuiteQlValueError(`SuiteQL number ${value} is not finite`);
  if (Number.isInteger(value) && !Number.isSafeInteger(value))
    throw new SuiteQlValueError(
      `SuiteQL number ${value} is beyond the exact integers (give it as a bigint or a string)`,
    );
  const text = Object.is(value, -0) ? '0' : String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text))
    throw new SuiteQlValueError(`SuiteQL number ${value} has no plain decimal form (${text}); give it as a string`);
  return value < 0 ? `(${text})` : text;
}

function scalar(value: SuiteQlScalar, at: number): string {
  if (typeof value === 'string') return textLiteral(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberLiteral(value);
  // NetSuite's booleans are 'T' / 'F' in SuiteQL, in filters as in results.
  if (typeof value === 'boolean') return value ? "'T'" : "'F'";
  if (value instanceof SuiteQlDay) return `TO_DATE('${value.iso}', 'YYYY-MM-DD')`;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new SuiteQlValueError(`SuiteQL value #${at + 1} is an invalid Date`);
    return `TO_DATE('${value.toISOString().slice(0, 10)}', 'YYYY-MM-DD')`;
  }
  throw new SuiteQlValueError(`SuiteQL value #${at + 1} of type ${typeof value} cannot be written into a query`);
}

function render(value: SuiteQlValue, at: number): string {
  if (value instanceof SuiteQl) return value.text;
  if (Array.isArray(value)) {
    const list = value as readonly SuiteQlScalar[];
    // `IN ()` is a syntax error: the caller decides what an empty list means.
    if (list.length === 0)
      throw new SuiteQlValueError(
        `SuiteQL list #${at + 1} is empty; skip the query (or the condition) when there is nothing to look up`,
      );
    return list.map((v) => scalar(v, at)).join(', ');
  }
  return scalar(value as SuiteQlScalar, at);
}

/**
 * Checks the template's own text: no `?` of a bound parameter outside quotes, and no `${value}`
 * inside quotes (the builder quotes values itself; `'${x}'` would end the literal early).
 */
function checkTemplate(strings: TemplateStringsArray): void {
  let inside = false;
  strings.forEach((part, i) => {
    for (const ch of part) {
      if (ch === "'") inside = !inside;
      else if (ch === '?' && !inside) {
        throw new SuiteQlValueError(
          'SuiteQL over REST has no bound parameters: write each value into the query as ${value} instead of `?`',
        );
      }
    }
    if (inside && i < strings.length - 1) {
      throw new SuiteQlValueError(
        `SuiteQL template puts value #${i + 1} inside quotes: write \${value} without quotes, the builder quotes it`,
      );
    }
  });
  if (inside) throw new SuiteQlValueError('SuiteQL template has an unclosed quote');
}

/**
 * Builds SuiteQL from a template: its text is the SQL, every `${value}` becomes a literal (strings
 * quoted with quotes doubled, numbers plain, booleans 'T'/'F', days as TO_DATE, lists comma-separated
 * for IN, fragments from this module as they are).
 */
export function suiteql(strings: TemplateStringsArray, ...values: SuiteQlValue[]): SuiteQl {
  checkTemplate(strings);
  let text = strings[0] ?? '';
  values.forEach((v, i) => {
    text += render(v, i) + (strings[i + 1] ?? '');
  });
  return fragment(text);
}

/** Fragments joined by one of the SQL separators a query needs. */
export function joinSql(parts: readonly SuiteQl[], separator: ' OR ' | ' AND ' | ', '): SuiteQl {
  if (parts.length === 0)
    throw new SuiteQlValueError(
      'joinSql needs at least one fragment; skip the query (or the condition) when there is nothing to look up',
    );
  return fragment(parts.map((p) => p.text).join(separator));
}

/**
 * A table or column name the code chose (never one from a request or a file): letters, digits and
 * underscores, starting with a letter, as NetSuite names its tables, columns and custom fields.
 */
export function ident(name: string): SuiteQl {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,127}$/.test(name))
    throw new SuiteQlValueError(`SuiteQL identifier ${describe(name)} is not a plain name (letters, digits, _)`);
  return fragment(name);
}
