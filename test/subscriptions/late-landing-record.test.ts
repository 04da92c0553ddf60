// Found by the chaos run (docs/reliability.md, issue 26's governance run): a subscription record's
// PUT that got no answer (held in the network, then delivered) landed after the retry had written
// and after the renewal's update, and put the older state back: the record lost its renewal. A PUT
// upsert repeats the same state, so the retry itself is harmless; what must not happen is that the
// activity completes (and the workflow writes a newer state) while the unanswered write may still
// land. The retry therefore waits out the late-write horizon first (activities/late-writes.ts).
import { MockActivityEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { SubscriptionRecordState } from '../../mappings/sync-types.js';
import { createSubscriptionActivities } from '../../activities/subscription-activities.js';
import { attemptEnded } from '../../activities/late-writes.js';
import { NetSuiteError } from '../../netsuite/types.js';
import { demoConfig } from '../mappings/fixtures.js';
import { FakeNetSuite } from '../activities/fake-netsuite.js';

const first: SubscriptionRecordState = {
  licenseCode: 'LIC0000077',
  status: 'ACTIVE',
  plan: { productCode: 'SUB-MONTHLY', productId: '5001', name: 'Monthly' },
  quantity: 1,
  startedOn: '2026-01-15',
  periodStart: '2026-01-15',
  periodEnd: '2026-02-15',
  nextRenewal: '2026-02-15',
  lastOrderRefNo: '80000617',
  customer: { netsuiteId: '301', twoCheckoutRef: '900077' },
  currency: 'USD',
  autoRenew: true,
  lifetime: false,
  renewals: 0,
};
const renewed: SubscriptionRecordState = {
  ...first,
  periodStart: '2026-02-15',
  periodEnd: '2026-03-15',
  nextRenewal: '2026-03-15',
  lastOrderRefNo: '80000618',
  renewals: 1,
};

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const HORIZON_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one attempt as the worker does (the liveness interceptor marks it ended when it throws). */
async function attempt(n: number, heartbeatDetails: unknown, fn: () => Promise<unknown>) {
  const env = new MockActivityEnvironment({
    attempt: n,
    heartbeatDetails,
    currentAttemptScheduledTimestampMs: Date.now(),
  });
  let details: unknown = heartbeatDetails;
  env.on('heartbeat', (d: unknown) => {
    details = d;
  });
  let error: unknown;
  await env.run(async () => {
    try {
      await fn();
    } catch (e) {
      error = e;
      Context.current().heartbeat(attemptEnded(Context.current()));
    }
  });
  return { error, details };
}

describe('a subscription record write that got no answer', () => {
  it('is not overtaken: the retry waits out the horizon before it writes, so a later update is never undone by it', async () => {
    const ns = new FakeNetSuite();
    const acts = createSubscriptionActivities({
      netsuite: ns,
      mappings: { current: () => demoConfig() },
      logger: silent,
      lateWriteHorizonMs: HORIZON_MS,
    });
    // Attempt 1: the PUT leaves, NetSuite never answers in time; it will land later.
    const upsert = ns.upsert.bind(ns);
    let held: (() => Promise<unknown>) | undefined;
    ns.upsert = async (type, externalId, body, opts) => {
      if (!held) {
        held = () => upsert(type, externalId, body, opts);
        throw new NetSuiteError('no complete response within 15000 ms (timeout)', 'network', undefined);
      }
      return upsert(type, externalId, body, opts);
    };
    const a1 = await attempt(1, undefined, () => acts.upsertSubscriptionRecord({ subscription: first }));
    expect(a1.error).toBeDefined();

    // Attempt 2 right away: it must not write (nor complete) while attempt 1's write may still land.
    const writesBefore = ns.calls.filter((c) => c.kind === 'upsert').length;
    const a2 = await attempt(2, a1.details, () => acts.upsertSubscriptionRecord({ subscription: first }));
    expect(a2.error).toBeInstanceOf(ApplicationFailure);
    expect((a2.error as ApplicationFailure).type).toBe('NetSuiteLateWriteWait');
    expect(ns.calls.filter((c) => c.kind === 'upsert')).toHaveLength(writesBefore);

    // The held request lands within the horizon; then the retry may write, and the workflow moves on.
    await held!();
    await sleep(HORIZON_MS + 50);
    const a3 = await attempt(3, a2.details, () => acts.upsertSubscriptionRecord({ subscription: first }));
    expect(a3.error).toBeUndefined();
    await acts.upsertSubscriptionRecord({ subscription: renewed });

    const stored = ns.all('customrecord_2co_subscription');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.custrecord_2co_sub_last_order).toBe('80000618');
  });

  it('costs nothing when the write is answered: one PUT, no heartbeat', async () => {
    const ns = new FakeNetSuite();
    const acts = createSubscriptionActivities({
      netsuite: ns,
      mappings: { current: () => demoConfig() },
      logger: silent,
      lateWriteHorizonMs: HORIZON_MS,
    });
    const env = new MockActivityEnvironment({ attempt: 1 });
    let heartbeats = 0;
    env.on('heartbeat', () => {
      heartbeats += 1;
    });
    await env.run(() => acts.upsertSubscriptionRecord({ subscription: first }));
    expect(ns.calls.filter((c) => c.kind === 'upsert')).toHaveLength(1);
    expect(heartbeats).toBe(0);
  });
});
