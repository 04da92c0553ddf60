// What the fuzzing sends at the gateway: 2Checkout notification bodies drawn by fast-check, valid
// ones and ones broken on purpose, each with what the gateway must do with it.
//  - `tampered`: a signed body changed afterwards (truncated, a byte replaced, invalid UTF-8, a bad
//    %-escape, junk appended, fields re-ordered or repeated on the wire) or raw random bytes: its
//    signature no longer holds, so it must be refused with a 4xx and start nothing;
//  - `resigned`: the fields changed before signing (re-ordered, a field dropped or repeated, an
//    array shortened so the IPN's line arrays disagree, a value replaced by random or huge text),
//    so the signature holds and only the content is suspect: accepted (200) or refused with a 400
//    that names the problem, never a 5xx;
//  - `valid`: unchanged; 200 with a receipt.
// Used by test/security/fuzz.test.ts (a few hundred cases) and `npm run fuzz -- --long` (100,000
// against the live gateway).
import fc from 'fast-check';
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import { cardOrder, eurOrder, jpyOrder, licenseChange, partialRefund } from '../../../sandbox/twocheckout/scenarios.js';
import { parseForm } from '../../../twocheckout/webhooks/form.js';
import { verifyNotificationSignature } from '../../../twocheckout/webhooks/signature.js';
import {
  buildIpnFields,
  buildLcnFields,
  encodeForm,
  signNotification,
  type NotificationFields,
} from '../../../sandbox/twocheckout/sender.js';

export const FUZZ_SECRET = DEMO_ENV.TWOCHECKOUT_SECRET_KEY;

export type FuzzClass = 'valid' | 'resigned' | 'tampered';
export interface FuzzCase {
  endpoint: 'ipn' | 'lcn';
  cls: FuzzClass;
  /** What was done to the body, e.g. `truncate`, `dropArrayItem`. */
  mutation: string;
  body: Buffer;
}

const SIGNATURE_FIELDS = new Set(['SIGNATURE_SHA2_256', 'SIGNATURE_SHA3_256', 'HASH']);
const at = new Date('2026-11-30T12:00:00Z');

const ipnFields = fc
  .tuple(
    fc.integer({ min: 10_000_000, max: 99_999_999 }),
    fc.constantFrom('usd', 'eur', 'jpy', 'refund'),
    fc.constantFrom('COMPLETE', 'PENDING', 'PAYMENT_AUTHORIZED') as fc.Arbitrary<
      'COMPLETE' | 'PENDING' | 'PAYMENT_AUTHORIZED'
    >,
  )
  .map(([n, kind, status]): NotificationFields => {
    const refNo = String(n);
    const order =
      kind === 'eur'
        ? eurOrder(refNo, { at })
        : kind === 'jpy'
          ? jpyOrder(refNo, { at })
          : cardOrder(refNo, status, { at });
    return buildIpnFields(kind === 'refund' ? partialRefund(order, { amount: '5.00' }) : order);
  });
const lcnFields = fc.stringMatching(/^[A-Z0-9]{8,10}$/).map((code) => buildLcnFields(licenseChange(code, { at })));

const unsigned = (fields: NotificationFields) => fields.filter(([name]) => !SIGNATURE_FIELDS.has(name));
const sign = (fields: NotificationFields) => encodeForm(signNotification(unsigned(fields), FUZZ_SECRET));

/** Text a shopper, a bug or an attacker might put in a field. */
const nastyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '-0',
    'NaN',
    '1e309',
    '99999999999999999999.99',
    '0x1F',
    '<script>',
    "'; DROP TABLE",
    '\u0000',
    '\uFFFD',
    'null',
  ),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);

/** Field-level changes, then signed: the signature holds, the content is what is under test. */
function resigned(fields: fc.Arbitrary<NotificationFields>): fc.Arbitrary<{ mutation: string; body: string }> {
  return fields.chain((f) => {
    const n = f.length;
    const arrays = f.map(([, v], i) => (Array.isArray(v) ? i : -1)).filter((i) => i >= 0);
    return fc.oneof(
      fc.shuffledSubarray(f, { minLength: n, maxLength: n }).map((g) => ({ mutation: 'reorderFields', body: sign(g) })),
      fc.nat(n - 1).map((i) => ({ mutation: 'dropField', body: sign(f.filter((_, j) => j !== i)) })),
      fc
        .nat(n - 1)
        .map((i) => ({ mutation: 'duplicateField', body: sign([...f.slice(0, i + 1), f[i]!, ...f.slice(i + 1)]) })),
      fc.tuple(fc.nat(n - 1), nastyText).map(([i, text]) => ({
        mutation: 'replaceValue',
        body: sign(f.map(([k, v], j) => [k, j === i ? (Array.isArray(v) ? v.map(() => text) : text) : v])),
      })),
      ...(arrays.length > 0
        ? [
            fc.constantFrom(...arrays).map((i) => ({
              mutation: 'dropArrayItem',
              body: sign(
                f.map(([k, v], j): [string, string | string[]] => [k, j === i && Array.isArray(v) ? v.slice(1) : v]),
              ),
            })),
            fc.tuple(fc.constantFrom(...arrays), nastyText).map(([i, text]) => ({
              mutation: 'extraArrayItem',
              body: sign(
                f.map(([k, v], j): [string, string | string[]] => [k, j === i && Array.isArray(v) ? [...v, text] : v]),
              ),
            })),
          ]
        : []),
    );
  });
}

/** Byte-level changes after signing, or bytes that were never a notification. */
function tampered(fields: fc.Arbitrary<NotificationFields>): fc.Arbitrary<{ mutation: string; body: Buffer }> {
  const signed = fields.map((f) => sign(f));
  return fc.oneof(
    signed.chain((b) => fc.nat(b.length - 1).map((i) => ({ mutation: 'truncate', body: Buffer.from(b.slice(0, i)) }))),
    signed.chain((b) =>
      fc
        .tuple(fc.nat(b.length - 1), fc.integer({ min: 0x21, max: 0x7e }))
        .filter(([i, c]) => b.charCodeAt(i) !== c)
        .map(([i, c]) => ({
          mutation: 'replaceByte',
          body: Buffer.from(b.slice(0, i) + String.fromCharCode(c) + b.slice(i + 1)),
        })),
    ),
    signed.chain((b) =>
      fc.nat(b.length).map((i) => ({
        mutation: 'invalidUtf8',
        body: Buffer.concat([Buffer.from(b.slice(0, i)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(b.slice(i))]),
      })),
    ),
    signed.chain((b) =>
      fc
        .nat(b.length)
        .map((i) => ({ mutation: 'badPercentEscape', body: Buffer.from(`${b.slice(0, i)}%Z${b.slice(i)}`) })),
    ),
    signed.chain((b) =>
      fc.constantFrom('%FF', '%C3%28', '%ED%A0%80').map((esc) => ({
        mutation: 'percentInvalidUtf8',
        body: Buffer.from(b.replace(/REFNO=/, `REFNO=${esc}`).replace(/LICENSE_CODE=/, `LICENSE_CODE=${esc}`)),
      })),
    ),
    signed.chain((b) =>
      fc
        .string({ maxLength: 30 })
        .map((junk) => ({ mutation: 'appendJunk', body: Buffer.from(`${b}&${encodeURIComponent(junk)}=1`) })),
    ),
    signed.map((b) => {
      const pairs = b.split('&');
      return { mutation: 'reversePairsOnWire', body: Buffer.from(pairs.reverse().join('&')) };
    }),
    signed.chain((b) =>
      fc.nat(b.split('&').length - 1).map((i) => {
        const pairs = b.split('&');
        return {
          mutation: 'repeatPairOnWire',
          body: Buffer.from([...pairs.slice(0, i + 1), pairs[i]!, ...pairs.slice(i + 1)].join('&')),
        };
      }),
    ),
    fc
      .uint8Array({ minLength: 1, maxLength: 2_000 })
      .map((bytes) => ({ mutation: 'randomBytes', body: Buffer.from(bytes) })),
    fc.constant({ mutation: 'hugeBody', body: Buffer.alloc(1_200_000, 'A') }),
    fields.map((f) => ({ mutation: 'unsigned', body: Buffer.from(encodeForm(unsigned(f))) })),
    fields.map((f) => ({
      mutation: 'wrongKey',
      body: Buffer.from(encodeForm(signNotification(unsigned(f), 'not-the-secret-key'))),
    })),
  );
}

/** Short when printed as a counterexample: a 1 MB body in a test report helps nobody. */
function printable(c: FuzzCase): FuzzCase {
  const text = c.body.subarray(0, 300).toString('latin1');
  return Object.assign(c, {
    [fc.toStringMethod]: () => `${c.endpoint} ${c.cls} ${c.mutation} (${c.body.length} bytes): ${JSON.stringify(text)}`,
  });
}

export function fuzzCase(): fc.Arbitrary<FuzzCase> {
  return fuzzCaseRaw().map(printable);
}

function fuzzCaseRaw(): fc.Arbitrary<FuzzCase> {
  const forEndpoint = (endpoint: 'ipn' | 'lcn', fields: fc.Arbitrary<NotificationFields>) =>
    fc.oneof(
      {
        weight: 1,
        arbitrary: fields.map((f): FuzzCase => ({
          endpoint,
          cls: 'valid',
          mutation: 'none',
          body: Buffer.from(sign(f)),
        })),
      },
      {
        weight: 4,
        arbitrary: resigned(fields).map((m): FuzzCase => ({
          endpoint,
          cls: 'resigned',
          mutation: m.mutation,
          body: Buffer.from(m.body),
        })),
      },
      {
        weight: 5,
        arbitrary: tampered(fields).map((m): FuzzCase => ({
          endpoint,
          cls: 'tampered',
          mutation: m.mutation,
          body: m.body,
        })),
      },
    );
  return fc.oneof(
    { weight: 3, arbitrary: forEndpoint('ipn', ipnFields) },
    { weight: 1, arbitrary: forEndpoint('lcn', lcnFields) },
  );
}

export interface FuzzAnswer {
  status: number;
  body: string;
}

/** Whether the body is one the gateway should accept: well-formed and signed with the secret. */
export function signatureHolds(body: Buffer): boolean {
  try {
    return verifyNotificationSignature(parseForm(body), FUZZ_SECRET).ok;
  } catch {
    return false;
  }
}

/** What is wrong with the gateway's answer to a case (undefined: it did the right thing). */
export function judge(c: FuzzCase, a: FuzzAnswer, handedOver: boolean): string | undefined {
  if (a.status >= 500) return `${a.status} for a ${c.cls} body (${c.mutation})`;
  if (a.status >= 400) {
    if (handedOver) return `${a.status} but the event was handed to Temporal (${c.mutation})`;
    if (!/"error":"[^"]+"/.test(a.body))
      return `${a.status} without saying what is wrong (${c.mutation}): ${a.body.slice(0, 200)}`;
    if (c.cls === 'valid') return `a valid body refused: ${a.status} ${a.body.slice(0, 200)}`;
    if (c.cls === 'resigned' && a.status !== 400 && a.status !== 413)
      return `a signed body refused with ${a.status}, not 400 (${c.mutation}): ${a.body.slice(0, 200)}`;
    return undefined;
  }
  if (a.status === 200) {
    if (!signatureHolds(c.body)) return `an unsigned or tampered body was accepted (${c.mutation})`;
    if (!handedOver) return `200 without handing the event over (${c.mutation})`;
    return undefined;
  }
  return `unexpected status ${a.status} (${c.mutation})`;
}
