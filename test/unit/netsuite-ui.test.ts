// Issue 28: NETSUITE_UI_URL, the account's NetSuite address the status page links records to:
// checked at start-up with how to fix a bad value, derived from the account id when unset.
import { describe, expect, it } from 'vitest';
import { netsuiteRecordUrl, netsuiteUiUrlFromEnv } from '../../status-page/netsuite-ui.js';

describe('NETSUITE_UI_URL', () => {
  it('takes the account address as given, without a trailing slash', () => {
    expect(netsuiteUiUrlFromEnv({ NETSUITE_UI_URL: ' https://1234567-sb1.app.netsuite.com/ ' })).toBe(
      'https://1234567-sb1.app.netsuite.com',
    );
    expect(netsuiteUiUrlFromEnv({ NETSUITE_UI_URL: 'http://127.0.0.1:8088/__sandbox/ui' })).toBe(
      'http://127.0.0.1:8088/__sandbox/ui',
    );
  });

  it('unset: derived from NETSUITE_ACCOUNT_ID for a NetSuite account, none for a stand-in', () => {
    expect(netsuiteUiUrlFromEnv({ NETSUITE_ACCOUNT_ID: '1234567_SB1' })).toBe('https://1234567-sb1.app.netsuite.com');
    expect(
      netsuiteUiUrlFromEnv({
        NETSUITE_ACCOUNT_ID: '1234567',
        NETSUITE_BASE_URL: 'https://1234567.suitetalk.api.netsuite.com',
      }),
    ).toBe('https://1234567.app.netsuite.com');
    expect(
      netsuiteUiUrlFromEnv({ NETSUITE_ACCOUNT_ID: 'TSTDRV1', NETSUITE_BASE_URL: 'http://127.0.0.1:8088' }),
    ).toBeUndefined();
    expect(netsuiteUiUrlFromEnv({})).toBeUndefined();
  });

  it.each([
    [
      '1234567.app.netsuite.com',
      /^NETSUITE_UI_URL is not a URL: "1234567\.app\.netsuite\.com"; set it to the account's NetSuite address, e\.g\. https:\/\/1234567\.app\.netsuite\.com/,
    ],
    [
      'http://1234567.app.netsuite.com',
      /^NETSUITE_UI_URL must start with https:\/\/ \(plain http only on this machine\)/,
    ],
    ['https://1234567.app.netsuite.com/?whence=', /^NETSUITE_UI_URL must be the address alone, without \?query/],
  ])('refuses %j with how to fix it', (value, message) => {
    expect(() => netsuiteUiUrlFromEnv({ NETSUITE_UI_URL: value })).toThrow(message);
  });

  it('links a transaction by one generic address and a customer by its own; other records not at all', () => {
    const base = 'https://1234567.app.netsuite.com';
    expect(netsuiteRecordUrl(base, { type: 'creditMemo', id: '10016' })).toBe(
      `${base}/app/accounting/transactions/transaction.nl?id=10016`,
    );
    expect(netsuiteRecordUrl(base, { type: 'customer', id: '1001' })).toBe(
      `${base}/app/common/entity/custjob.nl?id=1001`,
    );
    expect(netsuiteRecordUrl(base, { type: 'customrecord_2co_subscription', id: '5' })).toBeUndefined();
  });
});
