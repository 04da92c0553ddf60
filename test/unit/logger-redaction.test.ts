// The logger's redaction (shared/logger.ts): secrets and personal data censored by key up to three
// levels down, as pino's `redact` paths did (they cost ≈ 115 µs per line: 180 wildcard paths). The
// same lines, with the old configuration and the new one, must come out the same.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createLogger, redactPaths, redactSensitive } from '../../shared/logger.js';

function sink(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const withoutTime = ({
  time: _t,
  pid: _p,
  hostname: _h,
  service: _s,
  component: _c,
  name: _n,
  ...rest
}: Record<string, unknown>) => rest;

const httpError = Object.assign(new Error('401 from NetSuite'), {
  config: { headers: { authorization: 'OAuth oauth_token="secret"' } },
  status: 401,
});

const fixtures: Array<[string, object]> = [
  ['a secret at the top', { secretKey: 'k', refNo: '1' }],
  [
    'personal data one to three levels down',
    { order: { email: 'a@b.c', billing: { city: 'X' }, lines: [{ name: 'Pro', company: 'ACME' }] } },
  ],
  ['four levels down is left (as before)', { a: { b: { c: { d: { email: 'deep@b.c' } } } } }],
  ['an array of shoppers', { shoppers: [{ email: 'x@y.z', firstName: 'Ann' }, { email: 'u@v.w' }] }],
  ['nothing sensitive', { refNo: '80000123', salesOrderId: '10012', reused: false, n: 3, list: [1, 2, 3] }],
  ['an error carrying a header', { err: httpError }],
  ['an undefined secret', { tokenSecret: undefined, refNo: '2' }],
];

describe('log redaction', () => {
  it.each(fixtures)('%s: the same line as pino redact paths', (_name, obj) => {
    const before = sink();
    const after = sink();
    const old = pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, before.stream);
    const now = createLogger({ name: 't', level: 'info', destination: after.stream });
    old.info(obj, 'line');
    now.info(obj, 'line');
    expect(withoutTime(after.lines()[0]!)).toEqual(withoutTime(before.lines()[0]!));
  });

  it('copies nothing when there is nothing to censor, and never changes the caller’s object', () => {
    const clean = { refNo: '1', nested: { id: 2 } };
    expect(redactSensitive(clean)).toBe(clean);
    const dirty = { nested: { email: 'a@b.c' } };
    const out = redactSensitive(dirty);
    expect(out).toEqual({ nested: { email: '[redacted]' } });
    expect(dirty.nested.email).toBe('a@b.c');
    const err = redactSensitive({ err: httpError }).err;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('401 from NetSuite');
    expect(httpError.config.headers.authorization).toContain('secret');
  });

  it("censors a child logger's bindings too", () => {
    const out = sink();
    createLogger({ name: 't', level: 'info', destination: out.stream })
      .child({ email: 'a@b.c', refNo: '9' })
      .info('hello');
    expect(out.lines()[0]).toMatchObject({ email: '[redacted]', refNo: '9', msg: 'hello' });
  });
});
