// Fuzzing of everything that enters (fast-check): the form parser, the signature check, IPN and LCN
// parsing, the mapping file loader, and the gateway as a whole. Bad input never crashes anything,
// never gets a 5xx, never reaches Temporal, and always gets a 4xx that says what is wrong.
// `npm run fuzz -- --long` runs 100,000 of the same bodies against the live gateway.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { pino } from 'pino';
import { createGatewayApp, IPN_PATH, LCN_PATH } from '../../gateway/app.js';
import type { EventHandover } from '../../workflows/handover.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { NotificationFormatError, parseForm } from '../../twocheckout/webhooks/form.js';
import { verifyNotificationSignature } from '../../twocheckout/webhooks/signature.js';
import { ipnToOrderEvent, lcnToLicenseEvent, NotificationParseError } from '../../mappings/from-2checkout.js';
import { MappingConfigError, parseMappingConfig } from '../../mappings/config-loader.js';
import { orderWorkflowId, subscriptionWorkflowId } from '../../workflows/messages.js';
import { FUZZ_SECRET, fuzzCase, judge } from '../../scripts/lib/fuzz/bodies.js';
import { repoRoot } from '../../shared/temporal-binaries.js';

const seed = Number(process.env.FUZZ_SEED ?? 14);
const runs = (n: number) => ({ numRuns: n, seed });

let handedOver = 0;
const handover: EventHandover = {
  async deliverOrderEvent(e) {
    handedOver += 1;
    return { workflowId: orderWorkflowId(e.refNo) };
  },
  async deliverLicenseEvent(e) {
    handedOver += 1;
    return { workflowId: subscriptionWorkflowId(e.licenseCode) };
  },
  async ready() {
    return true;
  },
};
let server: Server;
let base: string;
beforeAll(async () => {
  const app = createGatewayApp({
    config: { secretKey: FUZZ_SECRET, signatureAlgorithms: ['sha3-256', 'sha256'], syncTestOrders: false },
    handover,
    logger: pino({ level: 'silent' }),
    metrics: createGatewayMetrics(),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Only the error types that say what is wrong may escape; anything else is a crash. */
function onlyThrows<T>(fn: () => T, ...allowed: Array<new (...args: never[]) => Error>): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (allowed.some((t) => err instanceof t)) {
      expect((err as Error).message.length).toBeGreaterThan(10);
      return undefined;
    }
    throw err;
  }
}

describe('fuzzing what enters', () => {
  it('the form parser takes any bytes: a form or a NotificationFormatError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
          fuzzCase().map((c) => c.body),
        ),
        (bytes) => {
          onlyThrows(() => parseForm(bytes), NotificationFormatError);
        },
      ),
      runs(500),
    );
  });

  it('the signature check and IPN/LCN parsing never crash on a parsed form, and a form that fails the check never parses into an accepted event by accident', () => {
    fc.assert(
      fc.property(fuzzCase(), (c) => {
        const form = onlyThrows(() => parseForm(c.body), NotificationFormatError);
        if (!form) return;
        const verdict = verifyNotificationSignature(form, FUZZ_SECRET);
        if (!verdict.ok) expect(verdict.reason.length).toBeGreaterThan(10);
        if (c.cls === 'valid') expect(verdict.ok).toBe(true);
        onlyThrows(
          () => (c.endpoint === 'ipn' ? ipnToOrderEvent(form) : lcnToLicenseEvent(form)),
          NotificationParseError,
        );
      }),
      runs(400),
    );
  });

  it('the mapping file loader: a config or a MappingConfigError naming each problem, never a crash', () => {
    const valid = readFileSync(`${repoRoot}/config/mappings.yaml`, 'utf8');
    const mutated = fc.oneof(
      fc.nat(valid.length).map((i) => valid.slice(0, i)),
      fc
        .tuple(fc.nat(valid.length - 1), fc.string({ maxLength: 5 }))
        .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i + 1)),
      fc
        .tuple(
          fc.nat(valid.length),
          fc.constantFrom('\t', ': ', '- ', '{', '[', '&a', '*a', '!!binary', '~', '"', '\u0000'),
        )
        .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    fc.assert(
      fc.property(mutated, (text) => {
        try {
          parseMappingConfig(text, 'fuzz.yaml');
        } catch (err) {
          expect(err).toBeInstanceOf(MappingConfigError);
          const e = err as MappingConfigError;
          expect(e.problems.length).toBeGreaterThan(0);
          for (const p of e.problems) expect(p.message.length).toBeGreaterThan(5);
        }
      }),
      runs(300),
    );
  });

  it('regression: a body over 1 MB gets a JSON 413 that says so, not an HTML stack trace', async () => {
    const res = await request(`${base}${IPN_PATH}`, {
      method: 'POST',
      body: Buffer.alloc(1_100_000, 'A'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const text = await res.body.text();
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(text)).toMatchObject({ error: 'body too large', detail: expect.stringContaining('1 MB') });
    expect(text).not.toMatch(/at \w+ \(|node_modules|<html|<pre>/i);
  });

  it('the gateway: never a 5xx, a 4xx that names the problem, and nothing reaches Temporal unless validly signed', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(fuzzCase(), async (c) => {
        const before = handedOver;
        const res = await request(`${base}${c.endpoint === 'ipn' ? IPN_PATH : LCN_PATH}`, {
          method: 'POST',
          body: c.body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        const text = await res.body.text();
        const problem = judge(c, { status: res.statusCode, body: text }, handedOver > before);
        if (problem) problems.push(problem);
        expect(problem).toBeUndefined();
      }),
      runs(400),
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
