// The SuiteQL literal builder (netsuite/suiteql.ts): SuiteQL over REST has no bound parameters, so
// every value is written into the query text. No value may end its literal early, add SQL, or start
// a comment; what cannot be written safely is refused with an error that says why. The properties
// run the built text through the sandbox's SuiteQL engine (a real SQL parser, SQLite), so "the value
// came back unchanged in one column" is checked by a parser, not by our own reading of the text.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_LITERAL_BYTES,
  SuiteQl,
  SuiteQlValueError,
  day,
  ident,
  joinSql,
  numberLiteral,
  suiteql,
  textLiteral,
} from '../../netsuite/suiteql.js';
import { RecordStore } from '../../sandbox/netsuite/store.js';
import { SuiteQlEngine } from '../../sandbox/netsuite/suiteql.js';

const runs = { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? 20) };

let engine: SuiteQlEngine;
beforeAll(async () => {
  const store = new RecordStore();
  store.put('currency', { id: '1', symbol: 'USD', name: 'US Dollar', isInactive: false });
  engine = await SuiteQlEngine.create(store);
});
afterAll(() => engine.close());

/** The literals of a query text (quotes doubled inside), and the text with each literal emptied. */
function split(text: string): { skeleton: string; literals: string[] } {
  const literals: string[] = [];
  const skeleton = text.replace(/'((?:[^']|'')*)'/g, (_m, inner: string) => {
    literals.push(inner.replace(/''/g, "'"));
    return "''";
  });
  return { skeleton, literals };
}

const refused = (fn: () => unknown): SuiteQlValueError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SuiteQlValueError) return e;
    throw e;
  }
  throw new Error('expected the builder to refuse the value');
};

describe('suiteql`…`: values as literals', () => {
  it('quotes strings with quotes doubled, keeps Unicode, writes numbers, booleans, days and lists', () => {
    const q = suiteql`SELECT id FROM customer WHERE email = ${"o'brien@example.com"} AND name = ${'Zoë 東京'} AND n = ${12} AND r = ${-1.5} AND b = ${true} AND d = ${day('2026-03-01')} AND id IN (${['1', '2']})`;
    expect(q.text).toBe(
      "SELECT id FROM customer WHERE email = 'o''brien@example.com' AND name = 'Zoë 東京' AND n = 12 AND r = (-1.5) AND b = 'T' AND d = TO_DATE('2026-03-01', 'YYYY-MM-DD') AND id IN ('1', '2')",
    );
    expect(suiteql`x = ${new Date('2026-02-28T23:30:00Z')}`.text).toBe("x = TO_DATE('2026-02-28', 'YYYY-MM-DD')");
    expect(suiteql`x = ${10n ** 20n} OR y = ${-3n}`.text).toBe('x = 100000000000000000000 OR y = (-3)');
  });

  it('refuses control characters, over-long values, lone surrogates and numbers without a plain form, saying why', () => {
    expect(refused(() => suiteql`a = ${'x\ny'}`).message).toMatch(/control character U\+000A at position 1/);
    expect(refused(() => suiteql`a = ${'nul\u0000'}`).message).toMatch(/U\+0000/);
    expect(refused(() => suiteql`a = ${'c1\u0085'}`).message).toMatch(/U\+0085/);
    expect(refused(() => suiteql`a = ${'x'.repeat(MAX_LITERAL_BYTES + 1)}`).message).toMatch(
      /4001 bytes long; a text literal may have at most 4000/,
    );
    // Bytes, not characters: 1,334 three-byte characters are 4,002 bytes.
    expect(refused(() => textLiteral('€'.repeat(1334))).message).toMatch(/4002 bytes/);
    expect(textLiteral('€'.repeat(1333))).toHaveLength(1335);
    expect(refused(() => suiteql`a = ${'\ud800'}`).message).toMatch(/lone surrogate/);
    for (const n of [Number.NaN, Infinity, -Infinity])
      expect(refused(() => numberLiteral(n)).message).toMatch(/not finite/);
    expect(refused(() => numberLiteral(1e21)).message).toMatch(/exact integers/);
    expect(refused(() => numberLiteral(1e-7)).message).toMatch(/no plain decimal form/);
    expect(numberLiteral(-0)).toBe('0');
    expect(refused(() => day('2026-02-30')).message).toMatch(/not a calendar day/);
    expect(refused(() => suiteql`a = ${new Date('nope')}`).message).toMatch(/invalid Date/);
  });

  it('refuses a template with a ? placeholder, a value inside quotes, or an empty IN list', () => {
    expect(refused(() => suiteql`SELECT id FROM customer WHERE email = ?`).message).toMatch(/no bound parameters/);
    // Inside a literal of the template, ? is text.
    expect(suiteql`SELECT id FROM item WHERE itemid = 'WHY?'`.text).toContain("'WHY?'");
    expect(refused(() => suiteql`SELECT id FROM item WHERE itemid = '${'x'}'`).message).toMatch(/inside quotes/);
    expect(refused(() => suiteql`SELECT id FROM item WHERE itemid IN (${[]})`).message).toMatch(/empty/);
    expect(refused(() => joinSql([], ' OR ')).message).toMatch(/at least one/);
  });

  it('takes identifiers only as plain names, and fragments only from the builder', () => {
    expect(ident('custrecord_2co_state').text).toBe('custrecord_2co_state');
    for (const bad of ['id; DROP', 'a b', '1x', "x'", 'id--', '']) expect(() => ident(bad)).toThrow(SuiteQlValueError);
    const where = joinSql([suiteql`a = ${1}`, suiteql`b = ${'x'}`], ' OR ');
    expect(suiteql`SELECT ${ident('id')} FROM t WHERE ${where}`.text).toBe("SELECT id FROM t WHERE a = 1 OR b = 'x'");
    expect(() => new SuiteQl(Symbol('suiteql builder') as never, 'SELECT 1')).toThrow(/made by the suiteql/);
  });
});

describe('no value breaks out of its literal (property, run through a SQL parser)', () => {
  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({
      unit: fc.constantFrom(
        "'",
        '"',
        '-',
        '/',
        '*',
        ';',
        '?',
        '\\',
        '%',
        '_',
        ')',
        '(',
        'a',
        ' ',
        '\n',
        '\u0000',
        '\u2028',
      ),
      maxLength: 40,
    }),
    fc.constantFrom(
      "' OR '1'='1",
      "x' --",
      "'; DELETE FROM customer; --",
      "\\'",
      "''",
      "'''",
      '?',
      "O'Brien",
      '/* */',
      "a'||'b",
    ),
  );

  it('a string is refused or comes back unchanged as the one column, and the SQL around it is the template', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        let q: SuiteQl;
        try {
          q = suiteql`SELECT ${value} AS v FROM currency WHERE id = ${1}`;
        } catch (e) {
          expect(e).toBeInstanceOf(SuiteQlValueError);
          return;
        }
        const { skeleton, literals } = split(q.text);
        expect(skeleton).toBe("SELECT '' AS v FROM currency WHERE id = 1");
        expect(literals).toEqual([value]);
        const res = engine.query(q.text, 10, 0);
        expect(res.items).toEqual([{ v: value }]);
      }),
      runs,
    );
  });

  it('a list of strings is refused or comes back as exactly those literals in an IN list', () => {
    fc.assert(
      fc.property(fc.array(anyString, { minLength: 1, maxLength: 5 }), (values) => {
        let q: SuiteQl;
        try {
          q = suiteql`SELECT id FROM currency WHERE symbol IN (${values}) OR id = ${1}`;
        } catch (e) {
          expect(e).toBeInstanceOf(SuiteQlValueError);
          return;
        }
        const { skeleton, literals } = split(q.text);
        expect(skeleton).toBe(
          `SELECT id FROM currency WHERE symbol IN (${values.map(() => "''").join(', ')}) OR id = 1`,
        );
        expect(literals).toEqual(values);
        expect(engine.query(q.text, 10, 0).items).toEqual([{ id: '1' }]);
      }),
      runs,
    );
  });

  it('a number is refused or is one numeric term, even right after a minus (no -- comment)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.bigInt()), (n) => {
        let q: SuiteQl;
        try {
          q = suiteql`SELECT 10 -${n} AS v FROM currency WHERE id = ${1}`;
        } catch (e) {
          expect(e).toBeInstanceOf(SuiteQlValueError);
          return;
        }
        expect(q.text).not.toContain('--');
        expect(q.text).toMatch(/^SELECT 10 -(\(-\d+(\.\d+)?\)|\d+(\.\d+)?) AS v FROM currency WHERE id = 1$/);
        const res = engine.query(q.text, 10, 0);
        expect(res.items).toHaveLength(1);
      }),
      runs,
    );
  });
});
