import { describe, expect, it } from 'vitest';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import {
  ipnReceipt,
  lcnReceipt,
  parseReceipt,
  receiptDate,
  receiptHash,
  verifyReceipt,
} from '../../twocheckout/webhooks/receipt.js';

const KEY = 'AABBCCDDEEFF';

describe('read receipts: published vectors (docs/reference-notes.md#2co-receipt)', () => {
  it('reproduces the IPN receipt example from the docs', () => {
    const form = parseForm(
      'IPN_PID%5B%5D=1&IPN_PID%5B%5D=2&IPN_PNAME%5B%5D=Software+program&IPN_PNAME%5B%5D=Other&IPN_DATE=20050303123434',
    );
    // DATE 2005-03-03 12:34:34 UTC; source 1116Software program14200503031234341420050303123434.
    const receipt = ipnReceipt(form, 'md5', KEY, new Date(Date.UTC(2005, 2, 3, 12, 34, 34)));
    expect(receipt).toBe('<EPAYMENT>20050303123434|7bf97ed39681027d0c45aa45e3ea98f0</EPAYMENT>');
  });

  it('reproduces the LCN receipt example from the docs', () => {
    const form = parseForm('LICENSE_CODE=3C343D0FAF&EXPIRATION_DATE=2005-03-03');
    const receipt = lcnReceipt(form, 'md5', KEY, new Date(Date.UTC(2008, 10, 17, 14, 59, 35)));
    expect(receipt).toBe('<EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>');
  });

  it('formats DATE as YmdHis in UTC', () => {
    expect(receiptDate(new Date('2024-03-15T12:41:33.999+02:00'))).toBe('20240315104133');
  });

  it('uses <sig> markup for the SHA algorithms', () => {
    const form = parseForm('IPN_PID%5B%5D=1&IPN_PNAME%5B%5D=Software+program&IPN_DATE=20050303123434');
    const now = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    const sha3 = ipnReceipt(form, 'sha3-256', KEY, now);
    expect(sha3).toMatch(/^<sig algo="sha3-256" date="20240102030405">[0-9a-f]{64}<\/sig>$/);
    expect(ipnReceipt(form, 'sha256', KEY, now)).toMatch(
      /^<sig algo="sha256" date="20240102030405">[0-9a-f]{64}<\/sig>$/,
    );
    expect(parseReceipt(sha3)?.hash).toBe(
      receiptHash(['1', 'Software program', '20050303123434'], '20240102030405', 'sha3-256', KEY),
    );
  });
});

describe('parseReceipt / verifyReceipt', () => {
  const form = parseForm('IPN_PID%5B%5D=9&IPN_PNAME%5B%5D=Zo%C3%AB&IPN_DATE=20240101000000');
  const now = new Date(Date.UTC(2024, 0, 1, 0, 0, 1));

  it('finds the tag anywhere in the body', () => {
    const body = `<html><body>OK ${ipnReceipt(form, 'sha256', KEY, now)}</body></html>`;
    expect(parseReceipt(body)).toMatchObject({ algorithm: 'sha256', date: '20240101000001' });
    expect(verifyReceipt(body, 'ipn', form, KEY)).toEqual({ ok: true, algorithm: 'sha256', date: '20240101000001' });
  });

  it('rejects a body without a tag, a wrong hash and a receipt for other fields', () => {
    expect(verifyReceipt('OK', 'ipn', form, KEY)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no <EPAYMENT>'),
    });
    expect(parseReceipt('<sig algo="sha3_256" date="20240101000001">ab</sig>')).toBeUndefined();
    const good = ipnReceipt(form, 'md5', KEY, now);
    const other = parseForm('IPN_PID%5B%5D=9&IPN_PNAME%5B%5D=Zoe&IPN_DATE=20240101000000');
    expect(verifyReceipt(good, 'ipn', other, KEY)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not match'),
    });
    expect(verifyReceipt(good, 'ipn', form, 'wrong-key').ok).toBe(false);
  });
});
