import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { ipnReceipt, lcnReceipt } from '../../twocheckout/webhooks/receipt.js';
import { verifyNotificationSignature } from '../../twocheckout/webhooks/signature.js';
import { notificationKind } from '../../mappings/from-2checkout.js';
import type { SignatureAlgorithm } from '../../twocheckout/webhooks/signature.js';
import {
  buildIpnFields,
  buildLcnFields,
  encodeForm,
  postNotification,
  signedIpn,
  signedLcn,
  signNotification,
  withField,
  type IpnOrderInput,
} from '../../sandbox/twocheckout/sender.js';
import { demoCustomer, licensePastDue } from '../../sandbox/twocheckout/scenarios.js';

const KEY = 'sender-test-secret';
const AT = new Date(Date.UTC(2026, 2, 1, 9, 0, 0));

const order = (over: Partial<IpnOrderInput> = {}): IpnOrderInput => ({
  refNo: '700001',
  status: 'COMPLETE',
  at: AT,
  customer: demoCustomer('700001'),
  lines: [{ productCode: 'SOFT-PRO', name: 'Lizenz Prämie', price: '99.00' }],
  ...over,
});
const value = (fields: ReturnType<typeof buildIpnFields>, name: string) => fields.find(([n]) => n === name)?.[1];

describe('buildIpnFields', () => {
  it('follows 2Checkout field order (§2.1) with arrays grouped', () => {
    const names = buildIpnFields(order()).map(([n]) => n);
    const pos = (n: string) => names.indexOf(n);
    for (const [a, b] of [
      ['SALEDATE', 'REFNO'],
      ['REFNO', 'ORDERSTATUS'],
      ['ORDERSTATUS', 'FIRSTNAME'],
      ['CUSTOMEREMAIL', 'CURRENCY'],
      ['CURRENCY', 'IPN_PID'],
      ['IPN_PID', 'IPN_PNAME'],
      ['IPN_PRICE', 'MESSAGE_ID'],
      ['MESSAGE_ID', 'IPN_TOTAL'],
      ['IPN_TOTAL', 'IPN_TOTALGENERAL'],
      ['CHARGEBACK_RESOLUTION', 'TEST_ORDER'],
      ['TEST_ORDER', 'IPN_DATE'],
    ] as const) {
      expect(pos(a), `${a} before ${b}`).toBeGreaterThanOrEqual(0);
      expect(pos(a), `${a} before ${b}`).toBeLessThan(pos(b));
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('computes line totals and IPN_TOTALGENERAL exactly in the currency precision', () => {
    const usd = buildIpnFields(
      order({
        lines: [
          { productCode: 'SOFT-PRO', name: 'a', quantity: 3, price: '0.10', vatRate: '19' },
          { productCode: 'SUPPORT-1Y', name: 'b', quantity: 2, price: '49.50', discount: '9.90', vatRate: '20' },
        ],
        shipping: '5.00',
      }),
    );
    // 0.30 + 19 % (0.057 → 0.06) = 0.36; 99.00 − 9.90 = 89.10 + 17.82 = 106.92.
    expect(value(usd, 'IPN_VAT')).toEqual(['0.06', '17.82']);
    expect(value(usd, 'IPN_TOTAL')).toEqual(['0.36', '106.92']);
    expect(value(usd, 'IPN_TOTALGENERAL')).toBe('112.28');

    const jpy = buildIpnFields(
      order({
        currency: 'JPY',
        lines: [{ productCode: 'SOFT-BASIC', name: 'x', quantity: 3, price: '1499', vatRate: '10' }],
      }),
    );
    expect(value(jpy, 'IPN_VAT')).toEqual(['450']); // 449.7 → 450
    expect(value(jpy, 'IPN_TOTALGENERAL')).toBe('4947');

    const kwd = buildIpnFields(
      order({ currency: 'KWD', lines: [{ productCode: 'SOFT-PRO', name: 'x', quantity: 2, price: '30.125' }] }),
    );
    expect(value(kwd, 'IPN_TOTALGENERAL')).toBe('60.250');
  });

  it('keeps given totals, empty fields and the merchant time zone', () => {
    const fields = buildIpnFields(
      order({ totalGeneral: '1.00', lines: [{ productCode: 'X', name: 'x', price: '2.00', total: '1.00' }] }),
    );
    expect(value(fields, 'IPN_TOTAL')).toEqual(['1.00']);
    expect(value(fields, 'IPN_TOTALGENERAL')).toBe('1.00');
    expect(value(fields, 'ADDRESS2')).toBe('');
    expect(value(fields, 'TIMEZONE_OFFSET')).toBe('GMT+03:00');
    expect(value(fields, 'IPN_DATE')).toBe('20260301120000');
    expect(value(fields, 'SALEDATE')).toBe('2026-03-01 12:00:00');
  });

  it('honours omitFields and extraFields', () => {
    const fields = buildIpnFields(order({ omitFields: ['IPN_VER', 'FAX'], extraFields: [['NEW_FIELD_2027', 'ü']] }));
    expect(value(fields, 'IPN_VER')).toBeUndefined();
    expect(value(fields, 'FAX')).toBeUndefined();
    expect(fields.at(-1)).toEqual(['NEW_FIELD_2027', 'ü']);
  });
});

describe('signNotification + encodeForm', () => {
  it('appends the requested signatures last, in HASH, SHA2, SHA3 order, replacing old ones', () => {
    const signed = signNotification(signNotification(buildIpnFields(order()), 'old-key', ['md5']), KEY, [
      'sha3-256',
      'md5',
      'sha256',
    ]);
    expect(signed.slice(-3).map(([n]) => n)).toEqual(['HASH', 'SIGNATURE_SHA2_256', 'SIGNATURE_SHA3_256']);
    expect(signed.filter(([n]) => n === 'HASH')).toHaveLength(1);
  });

  it('encodes arrays as repeated NAME%5B%5D keys, spaces as +, a literal + as %2B', () => {
    const body = encodeForm([
      ['IPN_PID', ['1', '2']],
      ['TIMEZONE_OFFSET', 'GMT+03:00'],
      ['IPN_PNAME', ['Lizenz Prämie']],
      ['ADDRESS2', ''],
    ]);
    expect(body).toBe(
      'IPN_PID%5B%5D=1&IPN_PID%5B%5D=2&TIMEZONE_OFFSET=GMT%2B03%3A00&IPN_PNAME%5B%5D=Lizenz+Pr%C3%A4mie&ADDRESS2=',
    );
  });

  it.each<SignatureAlgorithm>(['md5', 'sha256', 'sha3-256'])(
    'round-trips through parseForm and verification with %s',
    (algorithm) => {
      const o = order({
        customer: { ...demoCustomer('x'), company: 'Müller & Söhne GmbH', address2: '' },
        lines: [
          { productCode: 'SOFT-PRO', name: 'Zoë’s Lizenz Prämie', price: '0', quantity: 1 },
          { productCode: 'SUPPORT-1Y', name: '', price: '10.00', info: '100% + more' },
        ],
      });
      const form = parseForm(signedIpn(o, KEY, [algorithm]));
      expect(form.get('COMPANY')).toBe('Müller & Söhne GmbH');
      expect(form.getAll('IPN_PNAME')).toEqual(['Zoë’s Lizenz Prämie', '']);
      expect(verifyNotificationSignature(form, KEY, [algorithm])).toMatchObject({ ok: true, algorithm });
    },
  );

  it('a tampered value fails verification with the field that did not match', () => {
    const fields = signNotification(buildIpnFields(order()), KEY, ['sha256']);
    const form = parseForm(encodeForm(withField(fields, 'IPN_TOTALGENERAL', '1.00')));
    expect(verifyNotificationSignature(form, KEY)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^SIGNATURE_SHA2_256 does not match/),
    });
  });

  it('builds a verifiable LCN', () => {
    const form = parseForm(signedLcn(licensePastDue('XRILXB9ZI3', { at: AT }), KEY));
    expect(notificationKind(form)).toBe('lcn');
    expect(form.get('DISPATCH_REASON')).toBe('LICENCE_PASTDUE');
    expect(verifyNotificationSignature(form, KEY)).toMatchObject({ ok: true, algorithm: 'sha3-256' });
    expect(
      buildLcnFields({
        licenseCode: 'A',
        expirationDate: '9999-12-31 23:59:59',
        dispatchReason: 'LICENCE_CHANGE',
        at: AT,
      }).slice(11, 13),
    ).toEqual([
      ['LICENSE_CODE', 'A'],
      ['EXPIRATION_DATE', '9999-12-31 23:59:59'],
    ]);
  });
});

describe('postNotification', () => {
  let server: Server;
  let base = '';
  const received: string[] = [];

  beforeAll(async () => {
    // A tiny listener: verifies like the gateway, answers per path with a good, a wrong or no receipt.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push(String(req.headers['content-type']));
        const form = parseForm(body);
        const v = verifyNotificationSignature(form, KEY, ['sha3-256', 'sha256', 'md5']);
        if (!v.ok) {
          res.writeHead(401).end(v.reason);
          return;
        }
        const algorithm = v.algorithm;
        const receipt =
          notificationKind(form) === 'lcn'
            ? lcnReceipt(form, algorithm, KEY, new Date())
            : ipnReceipt(form, algorithm, KEY, new Date());
        const wrong = ipnReceipt(form, algorithm, 'not-the-key', new Date());
        const answer: Record<string, [number, string]> = {
          '/good': [200, `<html>${receipt}</html>`],
          '/wrong': [200, wrong],
          '/none': [200, 'OK'],
          '/error': [500, receipt],
        };
        const [status, text] = answer[req.url ?? ''] ?? [404, 'not found'];
        res.writeHead(status, { 'content-type': 'text/html' }).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const body = signedIpn(order(), KEY);

  it('accepts a correct receipt and reports its algorithm', async () => {
    const result = await postNotification(`${base}/good`, body, { secretKey: KEY });
    expect(result).toMatchObject({ status: 200, receiptValid: true, algorithm: 'sha3-256' });
    expect(received.at(-1)).toBe('application/x-www-form-urlencoded');
  });

  it('accepts a correct LCN receipt', async () => {
    const result = await postNotification(
      `${base}/good`,
      signedLcn(licensePastDue('XRILXB9ZI3', { at: AT }), KEY, ['md5']),
      { secretKey: KEY },
    );
    expect(result).toMatchObject({ status: 200, receiptValid: true, algorithm: 'md5' });
  });

  it('rejects an incorrect receipt, a missing one and a non-200 answer, saying why', async () => {
    await expect(postNotification(`${base}/wrong`, body, { secretKey: KEY })).resolves.toMatchObject({
      receiptValid: false,
      reason: expect.stringContaining('does not match'),
    });
    await expect(postNotification(`${base}/none`, body, { secretKey: KEY })).resolves.toMatchObject({
      receiptValid: false,
      reason: expect.stringContaining('no <EPAYMENT>'),
    });
    await expect(postNotification(`${base}/error`, body, { secretKey: KEY })).resolves.toMatchObject({
      status: 500,
      receiptValid: false,
      reason: 'HTTP 500, expected 200',
    });
  });
});
