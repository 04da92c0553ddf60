import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import {
  ipnSignature,
  lp,
  notificationSignatureSource,
  verifyNotificationSignature,
} from '../../twocheckout/webhooks/signature.js';
import type { SignatureAlgorithm } from '../../twocheckout/webhooks/signature.js';

const KEY = 'AABBCCDDEEFF';
const hmac = (algo: string, source: string, key = KEY) => createHmac(algo, key).update(source, 'utf8').digest('hex');

// A body with a non-ASCII name, an empty field, a "0" value, an array and a %2B.
const BODY =
  'REFNO=1001&FIRSTNAME=Zo%C3%AB&ADDRESS2=&GIFT_ORDER=0&TIMEZONE_OFFSET=GMT%2B03:00' +
  '&IPN_PID%5B%5D=7&IPN_PID%5B%5D=8&IPN_PNAME%5B%5D=Lizenz+Pr%C3%A4mie&IPN_PNAME%5B%5D=Support';
// Written out by hand from §3.1: lp() of every value in received order, arrays element by element.
const EXPECTED_SOURCE = '41001' + '4Zoë' + '0' + '10' + '9GMT+03:00' + '17' + '18' + '14Lizenz Prämie' + '7Support';

describe('lp() and the signature source (docs/reference-notes.md#2co-signature)', () => {
  it('prefixes the UTF-8 byte length', () => {
    expect(lp('Zoë')).toBe('4Zoë');
    expect(lp('')).toBe('0');
    expect(lp('0')).toBe('10');
    expect(lp('Ångström')).toBe('10Ångström');
  });

  it('builds the source over all fields in received order, skipping signature fields', () => {
    const form = parseForm(`${BODY}&HASH=abc&SIGNATURE_SHA2_256=def&SIGNATURE_SHA3_256=ghi`);
    expect(notificationSignatureSource(form)).toBe(EXPECTED_SOURCE);
  });

  it('computes lower-case hex HMACs for all three algorithms', () => {
    expect(ipnSignature(EXPECTED_SOURCE, KEY, 'md5')).toBe(hmac('md5', EXPECTED_SOURCE));
    expect(ipnSignature(EXPECTED_SOURCE, KEY, 'sha256')).toBe(hmac('sha256', EXPECTED_SOURCE));
    expect(ipnSignature(EXPECTED_SOURCE, KEY, 'sha3-256')).toBe(hmac('sha3-256', EXPECTED_SOURCE));
    expect(ipnSignature(EXPECTED_SOURCE, KEY, 'sha3-256')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyNotificationSignature', () => {
  const signed = (fields: Partial<Record<'HASH' | 'SIGNATURE_SHA2_256' | 'SIGNATURE_SHA3_256', string>>) =>
    parseForm(
      BODY +
        Object.entries(fields)
          .map(([k, v]) => `&${k}=${v}`)
          .join(''),
    );
  const md5 = hmac('md5', EXPECTED_SOURCE);
  const sha2 = hmac('sha256', EXPECTED_SOURCE);
  const sha3 = hmac('sha3-256', EXPECTED_SOURCE);

  it.each<[string, Parameters<typeof signed>[0], SignatureAlgorithm[], SignatureAlgorithm]>([
    ['SHA3 only', { SIGNATURE_SHA3_256: sha3 }, ['sha3-256', 'sha256'], 'sha3-256'],
    ['SHA2 only', { SIGNATURE_SHA2_256: sha2 }, ['sha3-256', 'sha256'], 'sha256'],
    ['MD5 only, MD5 allowed', { HASH: md5 }, ['md5'], 'md5'],
    [
      'all three',
      { HASH: md5, SIGNATURE_SHA2_256: sha2, SIGNATURE_SHA3_256: sha3 },
      ['sha3-256', 'sha256'],
      'sha3-256',
    ],
    ['upper-case hex', { SIGNATURE_SHA2_256: sha2.toUpperCase() }, ['sha256'], 'sha256'],
  ])('accepts %s', (_label, fields, allowed, algorithm) => {
    expect(verifyNotificationSignature(signed(fields), KEY, allowed)).toMatchObject({ ok: true, algorithm });
  });

  it('uses SHA-only by default and rejects an MD5-only notification with a reason', () => {
    const result = verifyNotificationSignature(signed({ HASH: md5 }), KEY);
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining('no signature field of an allowed algorithm (sha3-256, sha256); got HASH'),
    });
  });

  it('rejects a notification without any signature', () => {
    const result = verifyNotificationSignature(parseForm(BODY), KEY);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('got no signature field at all');
  });

  it('rejects a tampered value and says which signature failed', () => {
    const tampered = parseForm(BODY.replace('REFNO=1001', 'REFNO=1002') + `&SIGNATURE_SHA2_256=${sha2}`);
    const result = verifyNotificationSignature(tampered, KEY);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^SIGNATURE_SHA2_256 does not match/);
  });

  it('rejects a wrong secret key', () => {
    expect(verifyNotificationSignature(signed({ SIGNATURE_SHA3_256: sha3 }), 'other-key').ok).toBe(false);
  });

  it('requires every present signature to verify, even one of an algorithm that is not allowed', () => {
    const result = verifyNotificationSignature(signed({ HASH: '0'.repeat(32), SIGNATURE_SHA3_256: sha3 }), KEY);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^HASH does not match/) });
  });

  it('says when a signature field is empty or not a hex digest of the right length', () => {
    expect(verifyNotificationSignature(signed({ SIGNATURE_SHA3_256: '' }), KEY)).toEqual({
      ok: false,
      reason: 'SIGNATURE_SHA3_256 is empty',
    });
    const short = verifyNotificationSignature(signed({ SIGNATURE_SHA3_256: sha3.slice(0, 32) }), KEY);
    expect(!short.ok && short.reason).toContain('is not a 64-character hex');
  });

  it('accepts a blank legacy HASH next to a SHA signature that verified, and nothing less', () => {
    expect(verifyNotificationSignature(signed({ HASH: '', SIGNATURE_SHA2_256: sha2 }), KEY)).toEqual({
      ok: true,
      algorithm: 'sha256',
      verified: ['sha256'],
    });
    expect(
      verifyNotificationSignature(signed({ HASH: '', SIGNATURE_SHA2_256: sha2, SIGNATURE_SHA3_256: sha3 }), KEY),
    ).toMatchObject({ ok: true, algorithm: 'sha3-256' });
    // A blank legacy field vouches for nothing: alone, or beside a wrong SHA signature, it is refused.
    expect(verifyNotificationSignature(signed({ HASH: '' }), KEY).ok).toBe(false);
    expect(verifyNotificationSignature(signed({ HASH: '', SIGNATURE_SHA2_256: '0'.repeat(64) }), KEY)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^SIGNATURE_SHA2_256 does not match/),
    });
    // A configured algorithm's field must never be blank.
    expect(verifyNotificationSignature(signed({ SIGNATURE_SHA2_256: '', SIGNATURE_SHA3_256: sha3 }), KEY)).toEqual({
      ok: false,
      reason: 'SIGNATURE_SHA2_256 is empty',
    });
  });

  it('verifies that the signature covers the exact decoded bytes, so a re-encoded %2B breaks it', () => {
    const corrupted = parseForm(BODY.replace('GMT%2B03:00', 'GMT+03:00') + `&SIGNATURE_SHA3_256=${sha3}`);
    expect(verifyNotificationSignature(corrupted, KEY).ok).toBe(false);
  });
});
