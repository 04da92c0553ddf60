import { describe, expect, it } from 'vitest';
import {
  hmacSha256Signature,
  parseOAuthHeader,
  realmFor,
  signatureBaseString,
  tbaAuthorizationHeader,
} from '../../netsuite/oauth1.js';

// Oracle's published REST example (docs/reference-notes.md#ns-auth).
const oracle = {
  method: 'GET',
  url: 'https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40',
  accountId: '123456',
  consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
  consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
  tokenId: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
  tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
  nonce: 'fjaLirsIcCGVZWzBX0pg',
  timestamp: 1508242306,
};

describe('TBA signature (OAuth 1.0a, HMAC-SHA256)', () => {
  it("reproduces Oracle's published REST example", () => {
    const header = tbaAuthorizationHeader(oracle);
    expect(header).toContain('oauth_signature="B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0zY%3D"');
    expect(header.startsWith('OAuth realm="123456", ')).toBe(true);
    const parsed = parseOAuthHeader(header);
    expect(parsed?.oauth_signature).toBe('B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=');
  });

  it('signs decoded query parameters and ignores realm', () => {
    const params = { oauth_consumer_key: 'ck', oauth_nonce: 'n', realm: 'X' };
    const base = signatureBaseString(
      'post',
      new URL('HTTPS://Acct-SB1.Example.com:443/services/rest/query/v1/suiteql?limit=10&offset=0&q=a+b'),
      params,
    );
    expect(base).toBe(
      'POST&https%3A%2F%2Facct-sb1.example.com%2Fservices%2Frest%2Fquery%2Fv1%2Fsuiteql&limit%3D10%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26offset%3D0%26q%3Da%2520b',
    );
    expect(hmacSha256Signature(base, 'a', 'b')).not.toBe(hmacSha256Signature(base, 'a', 'c'));
  });

  it('derives the realm in upper case with underscores', () => {
    expect(realmFor('1234567-sb1')).toBe('1234567_SB1');
  });
});
