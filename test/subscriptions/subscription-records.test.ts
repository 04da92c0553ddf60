// What the subscription record in NetSuite looks like for each `subscriptions.model`, and how the
// upsert activity behaves (idempotent by externalId, parks on a mapping gap).
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { SubscriptionRecordState } from '../../mappings/sync-types.js';
import { createSubscriptionActivities } from '../../activities/subscription-activities.js';
import { parseMappingConfig } from '../../mappings/config-loader.js';
import type { MappingConfig } from '../../mappings/config-schema.js';
import { MappingError } from '../../mappings/errors.js';
import { buildSubscriptionRecord } from '../../mappings/subscription-records.js';
import { subscriptionStateFromRecord } from '../../mappings/subscription-record-read.js';
import { demoConfig } from '../mappings/fixtures.js';
import { FakeNetSuite } from '../activities/fake-netsuite.js';
import { readFileSync } from 'node:fs';

const state: SubscriptionRecordState = {
  licenseCode: 'LIC0000001',
  status: 'ACTIVE',
  plan: { productCode: 'SUB-MONTHLY', productId: '5001', name: 'Monthly' },
  quantity: 2,
  startedOn: '2026-01-15',
  periodStart: '2026-02-15',
  periodEnd: '2026-03-15',
  nextRenewal: '2026-03-15',
  lastOrderRefNo: '1002',
  customer: { netsuiteId: '301', twoCheckoutRef: '900001' },
  currency: 'USD',
  autoRenew: true,
  lifetime: false,
  renewals: 1,
};

/** The demo mapping file with a `subscriptions` section appended. */
function demoWith(subscriptionsYaml: string): MappingConfig {
  const base = readFileSync('config/mappings.yaml', 'utf8');
  return parseMappingConfig(`${base}\nsubscriptions:\n${subscriptionsYaml}`, 'test.yaml');
}

const provider = (config: MappingConfig) => ({ current: () => config });
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('subscription record (custom record, the default)', () => {
  it('has one field per piece of state, keyed by the licence externalId', () => {
    const plan = buildSubscriptionRecord(state, demoConfig());
    expect(plan).toEqual({
      kind: 'upsert',
      type: 'customrecord_2co_subscription',
      externalId: '2co-sub-LIC0000001',
      itemId: '103',
      createOnly: [],
      body: {
        name: 'LIC0000001',
        custrecord_2co_sub_license: 'LIC0000001',
        custrecord_2co_sub_status: 'ACTIVE',
        custrecord_2co_sub_item: { id: '103' },
        custrecord_2co_sub_product_code: 'SUB-MONTHLY',
        custrecord_2co_sub_quantity: 2,
        custrecord_2co_sub_started_on: '2026-01-15',
        custrecord_2co_sub_period_start: '2026-02-15',
        custrecord_2co_sub_period_end: '2026-03-15',
        custrecord_2co_sub_next_renewal: '2026-03-15',
        custrecord_2co_sub_auto_renew: true,
        custrecord_2co_sub_last_order: '1002',
        custrecord_2co_sub_customer: { id: '301' },
        custrecord_2co_sub_renewals: 1,
        custrecord_2co_sub_pending_item: null,
      },
    });
  });

  it('leaves unknown state out instead of clearing it, and honours renamed or dropped fields', () => {
    const config = demoWith(
      `  customRecord:\n    type: customrecord_acme_sub\n    name: false\n    fields: { status: custrecord_acme_state, renewals: null }\n`,
    );
    const plan = buildSubscriptionRecord({ ...state, customer: {}, lastOrderRefNo: undefined }, config);
    if (plan.kind !== 'upsert') throw new Error('expected an upsert');
    expect(plan.type).toBe('customrecord_acme_sub');
    expect(plan.body.custrecord_acme_state).toBe('ACTIVE');
    expect(plan.body).not.toHaveProperty('name');
    expect(plan.body).not.toHaveProperty('custrecord_2co_sub_renewals');
    expect(plan.body).not.toHaveProperty('custrecord_2co_sub_customer');
    expect(plan.body).not.toHaveProperty('custrecord_2co_sub_last_order');
  });

  it('an unmapped plan product parks with the fix in the message', () => {
    expect(() => buildSubscriptionRecord({ ...state, plan: { productCode: 'SUB-NEW' } }, demoConfig())).toThrow(
      MappingError,
    );
    expect(() => buildSubscriptionRecord({ ...state, plan: { productCode: 'SUB-NEW' } }, demoConfig())).toThrow(
      /SUB-NEW.*products\.rules/,
    );
  });

  it('rejects a bad subscriptions section with a fix-it message', () => {
    expect(() => demoWith(`  model: billing\n`)).toThrow(/subscriptions\.model.*customRecord, suiteBilling or none/);
    expect(() => demoWith(`  renewalGrace: soon\n`)).toThrow(/renewalGrace.*duration such as 3d/);
  });
});

describe('subscription record (SuiteBilling)', () => {
  const config = demoWith(
    `  model: suiteBilling\n  suiteBilling:\n    plans: { SUB-MONTHLY: { subscriptionPlan: 501, priceBook: 601 } }\n    billingAccount: 701\n    statusField: custrecord_2co_status\n    constants: { frequency: MONTHLY }\n`,
  );

  it('maps to the subscription record with plan, price book, dates and auto-renewal', () => {
    expect(buildSubscriptionRecord(state, config)).toEqual({
      kind: 'upsert',
      type: 'subscription',
      externalId: '2co-sub-LIC0000001',
      createOnly: ['customer', 'subscriptionPlan', 'priceBook', 'billingAccount', 'currency'],
      body: {
        customer: { id: '301' },
        subscriptionPlan: { id: '501' },
        priceBook: { id: '601' },
        billingAccount: { id: '701' },
        currency: { id: '1' },
        autoRenewal: true,
        frequency: 'MONTHLY',
        startDate: '2026-01-15',
        endDate: '2026-03-15',
        custrecord_2co_status: 'ACTIVE',
      },
    });
  });

  it('waits for the customer (an LCN can arrive before the first order)', () => {
    expect(buildSubscriptionRecord({ ...state, customer: {} }, config)).toMatchObject({ kind: 'deferred' });
  });

  it('on an existing subscription writes only what may change after creation', async () => {
    const ns = new FakeNetSuite();
    ns.seed('subscription', { externalId: '2co-sub-LIC0000001', customer: { id: '301' } });
    const acts = createSubscriptionActivities({ netsuite: ns, mappings: provider(config), logger: silent });
    await acts.upsertSubscriptionRecord({ subscription: state });
    const put = ns.calls.find((c) => c.kind === 'upsert');
    expect(put?.body).toEqual({
      autoRenewal: true,
      frequency: 'MONTHLY',
      startDate: '2026-01-15',
      endDate: '2026-03-15',
      custrecord_2co_status: 'ACTIVE',
    });
  });
});

describe('upsertSubscriptionRecord activity', () => {
  it('upserts by externalId: writing the same state twice leaves one record', async () => {
    const ns = new FakeNetSuite();
    const acts = createSubscriptionActivities({ netsuite: ns, mappings: provider(demoConfig()), logger: silent });
    const first = await acts.upsertSubscriptionRecord({ subscription: state });
    const again = await acts.upsertSubscriptionRecord({ subscription: { ...state, status: 'CANCEL_AT_PERIOD_END' } });
    expect(first).toMatchObject({
      action: 'upserted',
      itemId: '103',
      record: { type: 'customrecord_2co_subscription', externalId: '2co-sub-LIC0000001' },
    });
    expect(again.record?.id).toBe(first.record?.id);
    const stored = ns.all('customrecord_2co_subscription');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.custrecord_2co_sub_status).toBe('CANCEL_AT_PERIOD_END');
  });

  it('turns a mapping gap into a parking failure', async () => {
    const acts = createSubscriptionActivities({
      netsuite: new FakeNetSuite(),
      mappings: provider(demoConfig()),
      logger: silent,
    });
    const err = await acts
      .upsertSubscriptionRecord({ subscription: { ...state, plan: { productCode: 'SUB-NEW' } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'MappingError', nonRetryable: true, details: [{ reason: 'UNMAPPED_PRODUCT' }] });
  });

  it('in shadow mode (SYNC_MODE_SUBSCRIPTIONS=shadow) writes nothing and says what it would have written', async () => {
    const ns = new FakeNetSuite();
    const acts = createSubscriptionActivities({
      netsuite: ns,
      mappings: provider(demoConfig()),
      logger: silent,
      shadow: { subscriptions: true },
    });
    const res = await acts.upsertSubscriptionRecord({ subscription: state });
    expect(res).toEqual({
      action: 'deferred',
      note: expect.stringMatching(
        /^shadow mode .*would write customrecord_2co_subscription 2co-sub-LIC0000001 .*nothing was written/,
      ),
    });
    expect(ns.calls).toEqual([]);
  });

  it('model none writes nothing; settings come from the mapping file', async () => {
    const ns = new FakeNetSuite();
    const acts = createSubscriptionActivities({
      netsuite: ns,
      mappings: provider(demoWith(`  model: none\n  renewalGrace: 5d\n`)),
      logger: silent,
    });
    expect(await acts.upsertSubscriptionRecord({ subscription: state })).toEqual({ action: 'skipped' });
    expect(ns.calls).toEqual([]);
    expect(await acts.subscriptionSettings()).toEqual({ renewalGrace: '5d', endedLinger: '30d' });
  });
});

describe('reading the subscription record back (a new workflow run rebuilds from it)', () => {
  it('custom record: the state it was written from, as far as the record shows it', () => {
    const config = demoConfig();
    const plan = buildSubscriptionRecord({ ...state, status: 'CANCELED', autoRenew: false, nextRenewal: null }, config);
    if (plan.kind !== 'upsert') throw new Error('expected an upsert');
    const back = subscriptionStateFromRecord(state.licenseCode, plan.body, config);
    expect(back).toMatchObject({
      status: 'CANCELED',
      plan: { productCode: 'SUB-MONTHLY' },
      quantity: 2,
      periodStart: '2026-02-15',
      periodEnd: '2026-03-15',
      lastOrderRefNo: '1002',
      renewals: 1,
      autoRenew: false,
      customer: { netsuiteId: '301' },
    });
  });
  it('a record without a status is nothing to rebuild from', () => {
    expect(subscriptionStateFromRecord('L1', { name: 'L1' }, demoConfig())).toBeUndefined();
  });
});
