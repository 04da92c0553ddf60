// Parsing NetSuite's failure responses into actionable NetSuiteErrors (docs/reference-notes.md#ns-errors).
import { describe, expect, it } from 'vitest';
import {
  errorFromResponse,
  errorKindFor,
  networkError,
  parseProblemDetails,
  parseRetryAfter,
} from '../../netsuite/errors.js';

const call = { method: 'POST', call: 'create:customerPayment' };

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Sat, 10 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 10 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it("classifies Oracle's odd 429 example (title Bad Request, top-level USER_ERROR) as concurrency", () => {
    const body = JSON.stringify({
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
      title: 'Bad Request',
      status: 429,
      'o:errorCode': 'USER_ERROR',
      'o:errorDetails': [
        { detail: 'Concurrent request limit exceeded. Request blocked.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' },
      ],
    });
    const err = errorFromResponse(call, { status: 429, bodyText: body, retryAfter: '3' });
    expect(err.kind).toBe('concurrency');
    expect(err.code).toBe('CONCURRENCY_LIMIT_EXCEEDED');
    expect(err.retryAfterMs).toBe(3000);
    expect(err.retryable).toBe(true);
  });

  it('keeps every detail with its code and path, and says what failed', () => {
    const body = JSON.stringify({
      title: 'Bad Request',
      status: 400,
      'o:errorDetails': [
        { detail: 'Please enter value(s) for: Subsidiary', 'o:errorCode': 'USER_ERROR' },
        {
          detail: 'Invalid Field Value 9 for the following field: currency',
          'o:errorCode': 'INVALID_CONTENT',
          'o:errorPath': 'currency',
        },
      ],
    });
    const err = errorFromResponse(call, { status: 400, bodyText: body });
    expect(err.kind).toBe('user');
    expect(err.retryable).toBe(false);
    expect(err.details).toEqual([
      { detail: 'Please enter value(s) for: Subsidiary', code: 'USER_ERROR' },
      { detail: 'Invalid Field Value 9 for the following field: currency', code: 'INVALID_CONTENT', path: 'currency' },
    ]);
    expect(err.message).toBe(
      'NetSuite POST create:customerPayment failed with HTTP 400 (user): USER_ERROR: Please enter value(s) for: Subsidiary; INVALID_CONTENT: Invalid Field Value 9 for the following field: currency (at currency)',
    );
  });

  it('survives a body that is not problem details (a proxy page)', () => {
    const err = errorFromResponse(call, { status: 502, bodyText: '<html>Bad Gateway</html>' });
    expect(err.kind).toBe('server');
    expect(err.details).toEqual([]);
    expect(err.message).toContain('HTTP 502');
  });

  it('uses a top-level code when there are no details', () => {
    expect(parseProblemDetails(JSON.stringify({ status: 401, 'o:errorCode': 'INVALID_LOGIN' }))?.details).toEqual([
      { detail: '', code: 'INVALID_LOGIN' },
    ]);
  });
});

describe('errorKindFor', () => {
  it.each([
    [400, 'user'],
    [401, 'auth'],
    [403, 'permission'],
    [404, 'not_found'],
    [408, 'server'],
    [409, 'user'],
    [429, 'concurrency'],
    [500, 'server'],
    [503, 'server'],
  ] as const)('HTTP %i → %s', (status, kind) => {
    expect(errorKindFor(status, [])).toBe(kind);
  });

  it('trusts a CONCURRENCY_LIMIT_EXCEEDED code over the status', () => {
    expect(errorKindFor(400, [{ code: 'CONCURRENCY_LIMIT_EXCEEDED', detail: '' }])).toBe('concurrency');
  });

  it('takes "Record has been changed" (by its words or the SuiteScript/SOAP code) as a conflict to read again and retry, not a park', () => {
    expect(errorKindFor(400, [{ code: 'USER_ERROR', detail: 'Record has been changed.' }])).toBe('conflict');
    expect(
      errorKindFor(400, [{ code: 'USER_ERROR', detail: 'Error while accessing a resource. Record has been changed.' }]),
    ).toBe('conflict');
    expect(errorKindFor(400, [{ code: 'RCRD_HAS_BEEN_CHANGED', detail: '' }])).toBe('conflict');
    expect(
      errorKindFor(400, [
        {
          code: 'USER_ERROR',
          detail: 'Unable to save record. Record was changed by a different user. Please reload and try again.',
        },
      ]),
    ).toBe('conflict');
    const err = errorFromResponse(call, {
      status: 400,
      bodyText: JSON.stringify({
        status: 400,
        'o:errorDetails': [{ detail: 'Record has been changed.', 'o:errorCode': 'USER_ERROR' }],
      }),
    });
    expect([err.kind, err.retryable]).toEqual(['conflict', true]);
    expect(
      errorKindFor(400, [{ code: 'USER_ERROR', detail: 'This record has been locked by a user defined workflow.' }]),
    ).toBe('user');
  });
});

describe('networkError', () => {
  it('names the socket error code and keeps the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const err = networkError(call, cause);
    expect(err.kind).toBe('network');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.cause).toBe(cause);
  });
});
