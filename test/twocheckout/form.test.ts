import { describe, expect, it } from 'vitest';
import { NotificationFormatError, parseForm } from '../../twocheckout/webhooks/form.js';

describe('parseForm (docs/reference-notes.md#2co-transport)', () => {
  it('decodes %2B as a literal plus and + as a space, in that order', () => {
    const form = parseForm('TIMEZONE_OFFSET=GMT%2B03:00&IPN_PNAME%5B%5D=Software+program&CITY=New+York%2B');
    expect(form.get('TIMEZONE_OFFSET')).toBe('GMT+03:00');
    expect(form.getAll('IPN_PNAME')).toEqual(['Software program']);
    expect(form.get('CITY')).toBe('New York+');
  });

  it('groups NAME[] keys (encoded or literal) into arrays and keeps first-seen order', () => {
    const form = parseForm(
      'REFNO=42&IPN_PID%5B%5D=1&IPN_PID%5B%5D=2&IPN_PNAME[]=A&IPN_PNAME[]=B&IPN_DATE=20240101120000',
    );
    expect(form.names()).toEqual(['REFNO', 'IPN_PID', 'IPN_PNAME', 'IPN_DATE']);
    expect(form.entry('IPN_PID')).toEqual({ name: 'IPN_PID', values: ['1', '2'], isArray: true });
    expect(form.entry('REFNO')?.isArray).toBe(false);
    expect(form.getAll('IPN_PNAME')).toEqual(['A', 'B']);
    expect(form.get('IPN_PID')).toBe('1');
  });

  it('appends interleaved array values at the position the array was first seen (PHP grouping)', () => {
    const form = parseForm('A%5B%5D=1&B=x&A%5B%5D=2');
    expect(form.names()).toEqual(['A', 'B']);
    expect(form.getAll('A')).toEqual(['1', '2']);
  });

  it('decodes UTF-8 and leaves values untouched (no trimming, empty and "0" kept)', () => {
    const form = parseForm(
      Buffer.from('FIRSTNAME=Zo%C3%AB&LASTNAME=%C3%85ngstr%C3%B6m&ADDRESS2=&COMPANY=++Acme++&QTY=0&FLAG'),
    );
    expect(form.get('FIRSTNAME')).toBe('Zoë');
    expect(form.get('LASTNAME')).toBe('Ångström');
    expect(form.get('ADDRESS2')).toBe('');
    expect(form.get('COMPANY')).toBe('  Acme  ');
    expect(form.get('QTY')).toBe('0');
    expect(form.get('FLAG')).toBe('');
    expect(form.get('MISSING')).toBeUndefined();
    expect(form.getAll('MISSING')).toEqual([]);
  });

  it('accepts raw (unescaped) UTF-8 bytes in a Buffer body', () => {
    expect(parseForm(Buffer.from('IPN_PNAME[]=Lizenz Prämie', 'utf8')).getAll('IPN_PNAME')).toEqual(['Lizenz Prämie']);
  });

  it('names the key whose value has malformed percent-encoding', () => {
    const attempt = () => parseForm('REFNO=1&IPN_PNAME%5B%5D=50%ZZoff');
    expect(attempt).toThrow(NotificationFormatError);
    expect(attempt).toThrow(/IPN_PNAME\[\]/);
    try {
      attempt();
    } catch (e) {
      expect((e as NotificationFormatError).field).toBe('IPN_PNAME[]');
    }
  });

  it('rejects percent-escapes that are not UTF-8', () => {
    expect(() => parseForm('FIRSTNAME=Zo%EB')).toThrow(/FIRSTNAME/);
  });

  it('rejects a body that is not UTF-8', () => {
    expect(() => parseForm(Buffer.from([0x41, 0x3d, 0xff]))).toThrow(/UTF-8/);
  });

  it('rejects a scalar sent twice and a name used both as scalar and array', () => {
    expect(() => parseForm('REFNO=1&REFNO=2')).toThrow(/REFNO is sent more than once/);
    expect(() => parseForm('IPN_PID=1&IPN_PID%5B%5D=2')).toThrow(/IPN_PID is sent both/);
  });

  it('rejects a field with an empty name', () => {
    expect(() => parseForm('REFNO=1&=x')).toThrow(/empty name/);
  });

  it('returns an empty form for an empty body and skips empty pairs', () => {
    expect(parseForm('').entries).toEqual([]);
    expect(parseForm('A=1&&B=2&').names()).toEqual(['A', 'B']);
  });
});
