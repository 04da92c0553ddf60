// Issue 24, item 3: without pii:read, personal data must not leak through free text either. Park
// messages quote NetSuite's errors verbatim, operators write names into journal reasons, e-mail
// addresses come in every script and in percent-encoding, and a personal field may hold a list or
// an object. Examples from the review, then properties over generated shoppers (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskText, maskTextIn, REDACTED, redactPersonalData } from '../../mcp/personal-data.js';

/** Whether `value` occurs in `text` as a whole token (not inside a longer word or number). */
function containsToken(text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

describe('personal data in free text (examples from the review)', () => {
  it('hides the value NetSuite quotes in "Invalid Field Value … for the following field"', () => {
    const out = maskText(
      'NetSuite refused the request: Invalid Field Value +49 170 1234567 for the following field: phone',
    );
    expect(out).not.toContain('1234567');
    expect(out).toContain('for the following field: phone');
    // An internal id of a business field stays readable: it is what the operator has to fix.
    expect(maskText('Invalid Field Value 9999 for the following field: item')).toBe(
      'Invalid Field Value 9999 for the following field: item',
    );
  });

  it('hides quoted values in park messages and journal reasons, and phone numbers', () => {
    expect(maskText('customer "Zoë Ångström, Hauptstraße 5" rejected')).toBe('customer "[hidden]" rejected');
    expect(maskText("name ‘Jörg Müller’ and «Jean Dupont» and 'Ann Lee'")).not.toMatch(
      /Jörg|Müller|Jean|Dupont|Ann Lee/,
    );
    expect(maskText('call back on +44 (20) 7946-0958 please')).not.toContain('7946');
    // An apostrophe is not a quote.
    expect(maskText("the shopper's order 76000001 isn't synced")).toBe("the shopper's order 76000001 isn't synced");
  });

  it('hides a name and street written into a journal reason when they are the shopper’s', () => {
    const out = redactPersonalData(
      {
        customer: { fullName: 'Jane Doe', email: 'jane@example.com' },
        journal: [
          {
            at: '2026-01-10T12:00:00Z',
            what: 'step invoice skipped by operator',
            detail: 'Jane Doe of 12 Baker Street called: invoiced by hand by writer (via MCP)',
          },
        ],
      },
      new Set(),
      { customer: { billing: { firstName: 'Jane', lastName: 'Doe', address1: '12 Baker Street', city: 'London' } } },
    );
    const detail = out.journal[0]!.detail;
    expect(detail).not.toMatch(/Jane|Doe|Baker/);
    expect(detail).toContain('invoiced by hand by writer (via MCP)');
  });

  it('hides e-mail addresses in any script and percent-encoded', () => {
    for (const email of [
      'zoë.ångström@example.com',
      'jörg@müller.de',
      'jane%40example.com',
      'ivan.petrov@почта.рф',
      'x+tag@sub.example.co.uk',
      'zo%C3%AB%40example.com',
    ]) {
      const out = maskText(`contact ${email}, please`);
      expect(out, email).toBe('contact [e-mail], please');
    }
    expect(maskText('mailto:jörg@müller.de')).toBe('mailto:[e-mail]');
  });

  it('redacts personal keys whatever the type of their value', () => {
    const out = redactPersonalData(
      {
        email: ['zoe@example.com', 'z@example.org'],
        phone: { mobile: '+49 170 1234567' },
        addr1: 42,
        custentity_phone: ['+1 555 0100'],
        total: '9.99',
        lines: [{ item: { id: '7' } }],
      },
      new Set(['custentity_phone']),
    );
    expect(out).toEqual({
      email: REDACTED,
      phone: REDACTED,
      addr1: REDACTED,
      custentity_phone: REDACTED,
      total: '9.99',
      lines: [{ item: { id: '7' } }],
    });
  });
});

// --- generated shoppers ---------------------------------------------------------------------

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzäöüåëøłßéçñíóúžšąęйжщяфы中文日本'];
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
const word = fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 3, maxLength: 10 });
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

const localPart = fc
  .tuple(word, fc.option(fc.tuple(fc.constantFrom('.', '_', '+', '-'), fc.oneof(word, digits(3))), { nil: undefined }))
  .map(([a, b]) => (b ? `${a}${b[0]}${b[1]}` : a));
const domain = fc
  .tuple(
    fc.array(word, { minLength: 1, maxLength: 2 }),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzäöü'), minLength: 2, maxLength: 5 }),
  )
  .map(([labels, tld]) => `${labels.join('.')}.${tld}`);
const email = fc.tuple(localPart, domain).map(([l, d]) => ({ local: l, plain: `${l}@${d}` }));
/** How an address appears in text: as is, with %40 for @, fully percent-encoded, or as a mailto link. */
const emailInText = fc
  .tuple(
    email,
    fc.constantFrom('plain', 'pct-at', 'encoded', 'mailto') as fc.Arbitrary<'plain' | 'pct-at' | 'encoded' | 'mailto'>,
  )
  .map(([e, how]) => ({
    ...e,
    how,
    text:
      how === 'plain'
        ? e.plain
        : how === 'pct-at'
          ? e.plain.replace('@', '%40')
          : how === 'encoded'
            ? encodeURIComponent(e.plain)
            : `mailto:${e.plain}`,
  }));
const phone = fc
  .tuple(fc.integer({ min: 1, max: 99 }), digits(3), digits(7), fc.constantFrom(' ', '-', '.', ''))
  .map(([cc, a, b, sep]) => `+${cc}${sep || ' '}${a}${sep}${b}`);
const street = fc
  .tuple(fc.integer({ min: 1, max: 999 }), word)
  .chain(([n, w]) => fc.constantFrom(`${n} ${cap(w)} Street`, `${cap(w)}straße ${n}`, `${n} ${cap(w)} Road`));
const shopper = fc.record({ first: word.map(cap), last: word.map(cap), email, phone, street });

/** A personal value as a field may hold it: itself, in a list, or in an object. */
const wrapped = <T>(v: T) => fc.constantFrom<unknown>(v, [v], { value: v }, { nested: [v] });

/** Free text the way park messages and journal reasons carry personal data. */
const freeText = (
  s: fc.Arbitrary<{ first: string; last: string; phone: string; street: string; email: { plain: string } }>,
) =>
  s.chain((p) =>
    fc.constantFrom(
      `NetSuite refused the request: Invalid Field Value ${p.phone} for the following field: phone`,
      `Invalid Field Value ${p.first} ${p.last} for the following field: addressee`,
      `A customer with e-mail ${p.email.plain} already exists (DUP_ENTITY)`,
      `customer "${p.first} ${p.last}, ${p.street}" rejected`,
      `${p.first} ${p.last} of ${p.street} called: invoiced by hand`,
      `called ${p.phone} and spoke to ${p.last}`,
    ),
  );

describe('personal data (properties over generated shoppers)', () => {
  it('no personal value survives redaction anywhere in a sync answer, whatever the wrapping and the free text', () => {
    fc.assert(
      fc.property(
        shopper.chain((p) =>
          fc.tuple(fc.constant(p), fc.array(freeText(fc.constant(p)), { minLength: 2, maxLength: 6 })),
        ),
        fc.tuple(wrapped('p'), wrapped('a')),
        ([p, texts], [phoneShape, streetShape]) => {
          const wrap = (shape: unknown, v: string): unknown =>
            JSON.parse(JSON.stringify(shape).replace(/"[pa]"/, JSON.stringify(v)));
          const answer = {
            workflowId: 'order/76000001',
            customer: {
              fullName: `${p.first} ${p.last}`,
              email: p.email.plain,
              phone: wrap(phoneShape, p.phone),
              address1: wrap(streetShape, p.street),
            },
            park: { reason: 'NETSUITE_USER_ERROR', message: texts[0]! },
            journal: texts.slice(1).map((t, i) => ({
              at: `2026-01-1${i}T12:00:00Z`,
              what: 'operator note',
              detail: `${t} by writer (via MCP)`,
            })),
          };
          const out = JSON.stringify(redactPersonalData(answer));
          for (const v of [
            p.first,
            p.last,
            p.email.plain,
            p.email.local,
            p.phone,
            p.street,
            p.phone.replace(/\D/g, '').slice(-7),
          ]) {
            expect(containsToken(out, v), `${v} in ${out}`).toBe(false);
          }
          expect(out).toContain('order/76000001');
          expect(out).toContain('NETSUITE_USER_ERROR');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('no e-mail address survives in text, in any script or encoding, whatever surrounds it', () => {
    const around = fc.constantFrom(' ', '(', ')', '<', '>', ': ', ', ', '\n', '"', '[', ';');
    fc.assert(
      fc.property(
        emailInText,
        fc.string({ maxLength: 20 }),
        around,
        around,
        fc.string({ maxLength: 20 }),
        (e, before, l, r, after) => {
          const out = maskText(`${before}${l}${e.text}${r}${after}`);
          expect(out).not.toContain(e.text);
          expect(out).not.toContain(e.plain);
          if (e.how !== 'encoded') expect(containsToken(out, e.local)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps business data as it is: references, amounts, ids, codes and plain sentences', () => {
    const code = fc.stringMatching(/^[A-Z][A-Z0-9]{1,8}(-[A-Z0-9]{1,6})?$/);
    fc.assert(
      fc.property(
        digits(8),
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: 1, max: 99_999 }),
        code,
        fc.constantFrom('UNMAPPED_PRODUCT', 'NETSUITE_USER_ERROR', 'OVER_REFUND'),
        (refNo, cents, id, product, reason) => {
          const amount = (cents / 100).toFixed(2);
          const report = {
            workflowId: `order/${refNo}`,
            records: [{ type: 'salesOrder', id: String(id), amount, currency: 'EUR' }],
            park: {
              reason,
              message: `product code ${product} (line 1) has no NetSuite item: add it under products.rules in config/mappings.yaml, then retry`,
            },
            journal: [
              {
                at: '2026-01-10T12:00:00.000Z',
                what: `step salesOrder retried by operator`,
                detail: `added ${product} for order ${refNo} (${amount} EUR, NetSuite id ${id}) by writer (via MCP)`,
              },
            ],
            url: `http://localhost:8233/namespaces/default/workflows/order%2F${refNo}`,
          };
          expect(redactPersonalData(report)).toEqual(report);
          expect(maskTextIn(report)).toEqual(report);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(shopper, freeText(shopper), (p, text) => {
        const once = redactPersonalData({ customer: { fullName: `${p.first} ${p.last}` }, park: { message: text } });
        expect(redactPersonalData(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});

describe('masking text from anywhere', () => {
  it('takes time linear in the text on inputs built to make patterns backtrack', () => {
    const n = 100_000;
    const hostile = [
      'a'.repeat(n) + '@' + 'b'.repeat(n),
      'a%40'.repeat(n / 4),
      'x@'.repeat(n / 2),
      '"'.repeat(n),
      "'a".repeat(n / 2),
      '+1 '.repeat(n / 3),
      '1 '.repeat(n / 2) + 'Street',
      'Invalid Field Value '.repeat(n / 20),
      `${'ä.'.repeat(n / 2)}@${'ö.'.repeat(n / 2)}`,
    ];
    // Quadratic behaviour on these inputs takes minutes; linear, well under a second.
    for (const text of hostile) expect(typeof maskText(text)).toBe('string');
  }, 15_000);
});
