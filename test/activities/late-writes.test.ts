// The late-write guard (activities/late-writes.ts) between attempts of one activity: what an
// attempt leaves in its heartbeat details, and when the next attempt may send a transform again.
// The end-to-end case (a hung transform that lands after the retry) is test/refunds/late-landing.test.ts.
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { Context } from '@temporalio/activity';
import { attemptEnded, lateWriteGuard, LATE_WRITE_POLL_MS } from '../../activities/late-writes.js';
import { NetSuiteError } from '../../netsuite/types.js';

const HORIZON = 60_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');

/** Runs `fn` as attempt `attempt` with the previous attempt's heartbeat details; returns what it left. */
async function asAttempt(
  attempt: number,
  heartbeatDetails: unknown,
  fn: () => Promise<unknown>,
  scheduledMs = T0,
): Promise<{ error?: unknown; details: unknown }> {
  const env = new MockActivityEnvironment({
    attempt,
    heartbeatDetails,
    currentAttemptScheduledTimestampMs: scheduledMs,
  });
  let details: unknown;
  env.on('heartbeat', (d: unknown) => {
    details = d;
  });
  let error: unknown;
  await env
    .run(async () => {
      try {
        await fn();
      } catch (e) {
        error = e;
      }
      // What the worker's liveness interceptor does when the attempt returns or throws.
      Context.current().heartbeat(attemptEnded(Context.current()));
    })
    .catch(() => undefined);
  return { error, details };
}

const timeout = () => new NetSuiteError('no complete response within 1500 ms (timeout)', 'network', undefined);
const refused = () => new NetSuiteError('400', 'user', 400, [{ code: 'USER_ERROR', detail: 'nope' }]);

describe('late-write guard', () => {
  it('a write that got no answer is left for the next attempt; one that got an answer (even a refusal) is not', async () => {
    const now = () => T0 + 5_000;
    const a = await asAttempt(1, undefined, () =>
      lateWriteGuard(HORIZON, now).write('2co-cm-1-A', () => Promise.reject(timeout())),
    );
    expect(a.details).toEqual({
      v: 1,
      attempt: 1,
      ended: true,
      uncertainWrites: [{ externalId: '2co-cm-1-A', sinceMs: T0 + 5_000 }],
    });
    const b = await asAttempt(1, undefined, () =>
      lateWriteGuard(HORIZON, now).write('2co-cm-1-A', () => Promise.reject(refused())),
    );
    expect(b.details).toEqual({ v: 1, attempt: 1, ended: true, uncertainWrites: [] });
    // Refused before it left (connection refused): nothing can land.
    const notSent = new NetSuiteError('refused', 'network', undefined, [], undefined, {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const c = await asAttempt(1, undefined, () =>
      lateWriteGuard(HORIZON, now).write('2co-cm-1-A', () => Promise.reject(notSent)),
    );
    expect(c.details).toMatchObject({ uncertainWrites: [] });
  });

  it('the next attempt does not send it again before the horizon (it looks again every poll), then does', async () => {
    const left = { v: 1, attempt: 1, ended: true, uncertainWrites: [{ externalId: '2co-cm-1-A', sinceMs: T0 }] };
    const waiting = await asAttempt(2, left, async () =>
      lateWriteGuard(HORIZON, () => T0 + 10_000).beforeResend('2co-cm-1-A'),
    );
    expect(waiting.error).toBeInstanceOf(ApplicationFailure);
    expect(waiting.error).toMatchObject({
      type: 'NetSuiteLateWriteWait',
      nonRetryable: false,
      nextRetryDelay: LATE_WRITE_POLL_MS,
    });
    expect((waiting.error as Error).message).toMatch(/may still land in NetSuite/);
    // Carried on: the attempt after it still knows.
    expect(waiting.details).toMatchObject({ attempt: 2, ended: true, uncertainWrites: left.uncertainWrites });
    const nearly = await asAttempt(3, waiting.details, async () =>
      lateWriteGuard(HORIZON, () => T0 + 55_000).beforeResend('2co-cm-1-A'),
    );
    expect(nearly.error).toMatchObject({ nextRetryDelay: 5_000 });
    // Another write of the same activity is not held back.
    expect(
      (await asAttempt(2, left, async () => lateWriteGuard(HORIZON, () => T0 + 10_000).beforeResend('2co-rf-1-A')))
        .error,
    ).toBeUndefined();
    // Past the horizon the first request can no longer land: send.
    const after = await asAttempt(4, nearly.details, async () =>
      lateWriteGuard(HORIZON, () => T0 + 60_001).beforeResend('2co-cm-1-A'),
    );
    expect(after.error).toBeUndefined();
    expect(after.details).toMatchObject({ uncertainWrites: [] });
  });

  it('a record found by the look-up ends the wait; horizon 0 never waits', async () => {
    const left = { v: 1, attempt: 1, ended: true, uncertainWrites: [{ externalId: '2co-cm-1-A', sinceMs: T0 }] };
    const found = await asAttempt(2, left, async () => lateWriteGuard(HORIZON, () => T0 + 1_000).found('2co-cm-1-A'));
    expect(found.details).toMatchObject({ uncertainWrites: [] });
    expect(
      (await asAttempt(2, left, async () => lateWriteGuard(0, () => T0 + 1_000).beforeResend('2co-cm-1-A'))).error,
    ).toBeUndefined();
  });

  it('an attempt that did not end (worker killed) may have sent any write: the next waits for each until its own start + the horizon', async () => {
    const killed = { v: 1, attempt: 1, ended: false, uncertainWrites: [] };
    const r = await asAttempt(
      2,
      killed,
      async () => lateWriteGuard(HORIZON, () => T0 + 20_000).beforeResend('2co-pay-1'),
      T0 + 15_000,
    );
    expect(r.error).toMatchObject({ type: 'NetSuiteLateWriteWait', nextRetryDelay: LATE_WRITE_POLL_MS });
    expect(r.details).toMatchObject({ ended: true, uncertainWrites: [{ externalId: '*', sinceMs: T0 + 15_000 }] });
    expect(
      (await asAttempt(3, r.details, async () => lateWriteGuard(HORIZON, () => T0 + 75_001).beforeResend('2co-pay-1')))
        .error,
    ).toBeUndefined();
    // A first attempt has nothing to wait for.
    expect(
      (await asAttempt(1, undefined, async () => lateWriteGuard(HORIZON, () => T0).beforeResend('2co-pay-1'))).error,
    ).toBeUndefined();
  });

  it('an attempt that left nothing (stopped before its first heartbeat: a fast call never heartbeats) counts as not ended', async () => {
    // Attempt 1 was killed 1 s into a fast call: no heartbeat reached Temporal, so attempt 2 finds no details.
    const r = await asAttempt(
      2,
      undefined,
      async () => lateWriteGuard(HORIZON, () => T0 + 20_000).beforeResend('2co-pay-1'),
      T0 + 15_000,
    );
    expect(r.error).toMatchObject({ type: 'NetSuiteLateWriteWait', nextRetryDelay: LATE_WRITE_POLL_MS });
    expect(r.details).toMatchObject({
      attempt: 2,
      ended: true,
      uncertainWrites: [{ externalId: '*', sinceMs: T0 + 15_000 }],
    });
    // Attempt 2 ended (its failure carries its details) but attempt 3 was killed before a heartbeat:
    // attempt 4 finds attempt 2's details, not the ones of the attempt just before it.
    const ended2 = { v: 1, attempt: 2, ended: true, uncertainWrites: [] };
    const gap = await asAttempt(
      4,
      ended2,
      async () => lateWriteGuard(HORIZON, () => T0 + 40_000).beforeResend('2co-pay-1'),
      T0 + 30_000,
    );
    expect(gap.error).toMatchObject({ type: 'NetSuiteLateWriteWait' });
    // The attempt just before ended and left nothing uncertain: write at once.
    expect(
      (await asAttempt(3, ended2, async () => lateWriteGuard(HORIZON, () => T0 + 40_000).beforeResend('2co-pay-1')))
        .error,
    ).toBeUndefined();
  });

  it('records heartbeat details only when there is something new to remember (a heartbeat is a billable Action)', async () => {
    const calls: unknown[] = [];
    const env = new MockActivityEnvironment({ attempt: 1 });
    env.on('heartbeat', (d: unknown) => calls.push(d));
    await env.run(async () => {
      const guard = lateWriteGuard(HORIZON, () => T0);
      await guard.write('2co-so-1', async () => 'ok');
      await guard.write('2co-inv-1', async () => 'ok');
      guard.found('2co-pay-1');
    });
    expect(calls).toEqual([]);
    // A write that got no answer is something to remember.
    await env
      .run(async () => lateWriteGuard(HORIZON, () => T0).write('2co-pay-1', () => Promise.reject(timeout())))
      .catch(() => undefined);
    expect(calls).toEqual([
      { v: 1, attempt: 1, ended: false, uncertainWrites: [{ externalId: '2co-pay-1', sinceMs: T0 }] },
    ]);
  });
});
