// What the fuzzing sends at the MCP server's HTTP surface (mcp/http.ts), drawn by fast-check:
//  - `malformed`: bodies that are not JSON, or not JSON-RPC (wrong version, missing method, odd
//    ids, batches, bytes that are not UTF-8, deep nesting);
//  - `tools`: JSON-RPC calls of known and unknown methods and tools with random arguments,
//    preview_order with random and oversized IPN bodies;
//  - `huge`: bodies over the 1 MB limit, arguments near the tools' limits;
//  - `auth`: no token, wrong tokens of every shape (random, JWT-looking, another scheme, odd
//    whitespace), tokens in the wrong place;
//  - `headers`: foreign Host and Origin names, other methods and paths.
// Every answer must be an HTTP answer (no dropped connection), never a 5xx, and JSON that names
// what happened: a JSON-RPC result or error with a message, or an OAuth error with a description.
// Used by test/security/mcp-fuzz.test.ts (a few hundred cases) and `npm run fuzz -- --mcp N`.
import fc from 'fast-check';
import { request, type Dispatcher } from 'undici';

export type McpFuzzKind = 'malformed' | 'tools' | 'huge' | 'auth' | 'headers';

export interface McpFuzzCase {
  kind: McpFuzzKind;
  /** What was done, e.g. `notJson`, `unknownTool`, `jwtLookingToken`. */
  mutation: string;
  method: 'POST' | 'GET' | 'DELETE' | 'PUT' | 'PATCH';
  path: string;
  /** Header values; `authorization: undefined` sends none. The token is filled in by the sender. */
  headers: Record<string, string | undefined>;
  body?: Buffer;
  /** The request carries the valid token (else any 2xx answer is a hole). */
  authenticated: boolean;
  /** A JSON-RPC notification or response: 202 with no body is a fine answer. */
  noReplyExpected: boolean;
}

/** Placeholder replaced by the sender with the real token. */
export const VALID_TOKEN = '\u0000valid-token\u0000';

const TOOLS = [
  'sync_status',
  'list_stuck',
  'preview_order',
  'reconciliation_report',
  'payout_report',
  'retry',
  'skip',
  'resync',
];
const METHODS = [
  'initialize',
  'tools/list',
  'tools/call',
  'ping',
  'resources/list',
  'prompts/list',
  'notifications/initialized',
  'logging/setLevel',
  'completion/complete',
  'nope/never',
];

const base = (
  kind: McpFuzzKind,
  mutation: string,
  body: unknown | Buffer | undefined,
  over: Partial<McpFuzzCase> = {},
): McpFuzzCase => ({
  kind,
  mutation,
  method: 'POST',
  path: '/mcp',
  headers: {
    authorization: `Bearer ${VALID_TOKEN}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  },
  ...(body === undefined
    ? {}
    : { body: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) }),
  authenticated: true,
  noReplyExpected: false,
  ...over,
});

const anyId = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.constant(null),
  fc.double(),
  fc.boolean(),
  fc.constant({}),
);
const nasty = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    '{',
    '{"refNo":',
    'REFNO=1&IPN_PID[]=1',
    'order/',
    '../../etc/passwd',
    '%00',
    '\u0000',
    'null',
    '1e309',
    "'; DROP TABLE",
  ),
);

/** Random arguments of a tool: its own keys with random values, or anything at all. */
const toolArgs = fc.oneof(
  fc.dictionary(
    fc.constantFrom(
      'ref',
      'reason',
      'kind',
      'limit',
      'inProgressOver',
      'ipn',
      'sale',
      'postingMode',
      'date',
      'payout',
      'confirmationToken',
      'extra',
    ),
    fc.oneof(nasty, fc.jsonValue({ maxDepth: 2 })),
    { maxKeys: 4 },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

const malformed: fc.Arbitrary<McpFuzzCase> = fc.oneof(
  fc.string({ maxLength: 200 }).map((s) => base('malformed', 'notJson', `{${s}`)),
  fc.uint8Array({ maxLength: 300 }).map((b) => base('malformed', 'randomBytes', Buffer.from(b))),
  fc.jsonValue({ maxDepth: 4 }).map((v) => base('malformed', 'randomJson', v)),
  fc
    .record({
      jsonrpc: fc.oneof(fc.constant('1.0'), fc.constant(2), nasty),
      id: anyId,
      method: fc.constantFrom(...METHODS),
    })
    .map((m) => base('malformed', 'wrongVersion', m)),
  fc
    .record(
      {
        jsonrpc: fc.constant('2.0'),
        id: anyId,
        method: fc.oneof(fc.constantFrom(...METHODS), nasty, fc.integer()),
        params: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: ['jsonrpc'] },
    )
    .map((m) => base('malformed', 'oddRequest', m, { noReplyExpected: !('id' in m) })),
  fc
    .array(fc.record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), method: fc.constantFrom(...METHODS) }), {
      minLength: 0,
      maxLength: 5,
    })
    .map((b) => base('malformed', 'batch', b)),
  fc
    .record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), result: fc.jsonValue({ maxDepth: 2 }) })
    .map((m) => base('malformed', 'responseFromClient', m, { noReplyExpected: true })),
  fc
    .integer({ min: 1_000, max: 50_000 })
    .map((n) => base('malformed', 'deepNesting', `${'['.repeat(n)}${']'.repeat(n)}`)),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '')
    .map((type) =>
      base(
        'malformed',
        'contentType',
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { headers: { ...base('malformed', '', undefined).headers, 'content-type': type } },
      ),
    ),
  fc.string({ maxLength: 200 }).map((s) =>
    base(
      'malformed',
      'truncatedJson',
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'preview_order', arguments: { ipn: s } },
      }).slice(0, 40),
    ),
  ),
);

const tools: fc.Arbitrary<McpFuzzCase> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...TOOLS), toolArgs, fc.integer())
    .map(([name, args, id]) =>
      base('tools', `call:${name}`, { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
    ),
  fc
    .tuple(nasty, toolArgs)
    .map(([name, args]) =>
      base('tools', 'unknownTool', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    ),
  fc.tuple(nasty, fc.option(nasty, { nil: undefined })).map(([ipn, sale]) =>
    base('tools', 'previewRandom', {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'preview_order', arguments: { ipn, ...(sale === undefined ? {} : { sale }) } },
    }),
  ),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((params) => base('tools', 'oddParams', { jsonrpc: '2.0', id: 3, method: 'tools/call', params })),
  fc
    .constantFrom(...METHODS)
    .map((method) =>
      base(
        'tools',
        `method:${method}`,
        { jsonrpc: '2.0', id: 4, method, params: {} },
        { noReplyExpected: method.startsWith('notifications/') },
      ),
    ),
);

const huge: fc.Arbitrary<McpFuzzCase> = fc.oneof(
  fc.integer({ min: 1_050_000, max: 1_500_000 }).map((n) => base('huge', 'overBodyLimit', Buffer.alloc(n, 'a'))),
  fc.integer({ min: 100_001, max: 199_000 }).map((n) =>
    base('huge', 'previewOverCap', {
      jsonrpc: '2.0',
      id: 5,
      method: 'tools/call',
      params: { name: 'preview_order', arguments: { ipn: `{"lines":[${'{},'.repeat(n / 3)}{}]}` } },
    }),
  ),
  fc.integer({ min: 10_000, max: 30_000 }).map((n) =>
    base('huge', 'manyLines', {
      jsonrpc: '2.0',
      id: 6,
      method: 'tools/call',
      params: {
        name: 'preview_order',
        arguments: { ipn: JSON.stringify({ lines: Array.from({ length: n }, () => ({})) }) },
      },
    }),
  ),
  fc.integer({ min: 200_001, max: 400_000 }).map((n) =>
    base('huge', 'argumentOverSchema', {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'preview_order', arguments: { ipn: 'x'.repeat(n) } },
    }),
  ),
  fc.integer({ min: 10_001, max: 20_000 }).map((n) =>
    base('huge', 'manyElements', {
      jsonrpc: '2.0',
      id: 8,
      method: 'tools/call',
      params: { name: 'sync_status', arguments: { ref: Array.from({ length: n }, (_, i) => i) } },
    }),
  ),
);

const jwtLooking = fc
  .tuple(fc.base64String({ maxLength: 80 }), fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 80 }))
  .map((parts) => parts.map((p) => p.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '') || 'e30').join('.'));
const auth: fc.Arbitrary<McpFuzzCase> = fc
  .tuple(
    fc.oneof(
      fc.constant<[string, string | undefined]>(['noToken', undefined]),
      fc.string({ maxLength: 100 }).map((t): [string, string] => ['randomToken', `Bearer ${t}`]),
      jwtLooking.map((t): [string, string] => ['jwtLookingToken', `Bearer ${t}`]),
      fc
        .string({ minLength: 1, maxLength: 40 })
        .map((t): [string, string] => ['otherScheme', `Basic ${Buffer.from(t).toString('base64')}`]),
      fc
        .constantFrom(
          'Bearer',
          'Bearer ',
          'bearer',
          `Bearer  ${VALID_TOKEN}x`,
          `Bearer ${VALID_TOKEN.slice(1)}`,
          `Token ${VALID_TOKEN}`,
          `Bearer ${VALID_TOKEN}, Bearer other`,
        )
        .map((h): [string, string] => ['oddHeader', h]),
      fc.integer({ min: 1_000, max: 6_000 }).map((n): [string, string] => ['longToken', `Bearer ${'t'.repeat(n)}`]),
    ),
    fc.oneof(
      fc.constant({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      fc.constant('{broken'),
      fc.constant(undefined),
    ),
  )
  .map(([[mutation, header], body]) => {
    const c = base('auth', mutation, body);
    // `Bearer <valid>, Bearer other` carries the valid token first: the server takes it.
    const valid = header === `Bearer ${VALID_TOKEN}, Bearer other`;
    return { ...c, headers: { ...c.headers, authorization: header }, authenticated: valid };
  });

const headers: fc.Arbitrary<McpFuzzCase> = fc.oneof(
  fc
    .oneof(
      fc.domain(),
      fc.constantFrom('evil.example:8091', '127.0.0.1.evil.example', '[::2]', '', 'localhost:99999', 'LOCALHOST'),
    )
    .map((host) => {
      const c = base('headers', 'foreignHost', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
      return { ...c, headers: { ...c.headers, host } };
    }),
  fc
    .oneof(fc.webUrl(), fc.constantFrom('null', 'file://', 'http://localhost.evil.example', 'chrome-extension://abc'))
    .map((origin) => {
      const c = base('headers', 'foreignOrigin', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
      return { ...c, headers: { ...c.headers, origin } };
    }),
  fc
    .tuple(fc.constantFrom<McpFuzzCase['method']>('GET', 'DELETE', 'PUT', 'PATCH'), fc.boolean())
    .map(([method, withBody]) =>
      base('headers', `method:${method}`, withBody ? { jsonrpc: '2.0', id: 1, method: 'tools/list' } : undefined, {
        method,
      }),
    ),
  fc
    .constantFrom(
      '/',
      '/mcp/',
      '/MCP',
      '/mcp?x=1',
      '/.well-known/oauth-protected-resource',
      '/%2e%2e/mcp',
      '/mcp/../mcp',
      '/metrics',
    )
    .map((path) => base('headers', 'otherPath', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { path })),
);

export function mcpFuzzCase(): fc.Arbitrary<McpFuzzCase> {
  return fc
    .oneof(
      { weight: 3, arbitrary: malformed },
      { weight: 4, arbitrary: tools },
      { weight: 1, arbitrary: huge },
      { weight: 3, arbitrary: auth },
      { weight: 2, arbitrary: headers },
    )
    .map((c) =>
      Object.assign(c, {
        [fc.toStringMethod]: () =>
          `${c.kind} ${c.mutation} ${c.method} ${c.path} (${c.body?.length ?? 0} bytes): ${JSON.stringify(c.body?.subarray(0, 200).toString('latin1') ?? '')}`,
      }),
    );
}

export interface McpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** The JSON messages of an answer: the JSON body, or the data of each server-sent event. */
function messagesOf(a: McpAnswer): unknown[] | undefined {
  try {
    if (a.contentType.includes('text/event-stream')) {
      return a.body
        .split(/\n\n/)
        .map((ev) =>
          ev
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5))
            .join('\n'),
        )
        .filter((d) => d.trim())
        .map((d) => JSON.parse(d) as unknown);
    }
    const parsed = JSON.parse(a.body) as unknown;
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return undefined;
  }
}

const named = (s: unknown) => typeof s === 'string' && s.trim().length >= 3;

/** Whether one JSON message names what happened. */
function namesIt(m: unknown): boolean {
  if (!m || typeof m !== 'object') return false;
  const o = m as { error?: unknown; error_description?: unknown; result?: unknown };
  if (typeof o.error === 'string') return named(o.error_description) || named(o.error);
  if (o.error && typeof o.error === 'object') return named((o.error as { message?: unknown }).message);
  if (o.result && typeof o.result === 'object') {
    const r = o.result as { isError?: boolean; content?: Array<{ text?: unknown }> };
    return r.isError ? (r.content ?? []).some((c) => named(c.text)) : true;
  }
  return false;
}

/** What is wrong with the server's answer to a case (undefined: it did the right thing). */
export function judgeMcp(c: McpFuzzCase, a: McpAnswer): string | undefined {
  if (a.status >= 500) return `${a.status} for ${c.kind} ${c.mutation}: ${a.body.slice(0, 200)}`;
  if (!c.authenticated && a.status < 300) return `${a.status} without a valid token (${c.kind} ${c.mutation})`;
  if (a.status === 202 && a.body === '')
    return c.noReplyExpected ? undefined : `202 with no body for a request that expects an answer (${c.mutation})`;
  const messages = messagesOf(a);
  if (!messages || messages.length === 0)
    return `${a.status} without a JSON answer (${c.kind} ${c.mutation}): ${a.body.slice(0, 200)}`;
  if (!messages.every(namesIt))
    return `${a.status} answer that names no problem or result (${c.kind} ${c.mutation}): ${a.body.slice(0, 200)}`;
  return undefined;
}

/** Header values HTTP can carry (a client library refuses the rest before sending anything). */
const headerSafe = (v: string) => v.replace(/[^\x20-\x7e]/g, '?');

/** Sends one case to the server at `base` (its origin), the valid token in place of VALID_TOKEN. */
export async function sendMcpCase(
  base: string,
  c: McpFuzzCase,
  token: string,
  dispatcher?: Dispatcher,
): Promise<McpAnswer> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.headers))
    if (v !== undefined) headers[k] = headerSafe(v.split(VALID_TOKEN).join(token));
  const res = await request(new URL(c.path, base), {
    method: c.method,
    headers,
    ...(c.body ? { body: c.body } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  });
  return {
    status: res.statusCode,
    contentType: String(res.headers['content-type'] ?? ''),
    body: await res.body.text(),
  };
}
