// Customer matching by e-mail, through the activities against the NetSuite sandbox over HTTP.
// 2Checkout does not prove that a shopper owns the e-mail address they type, so an e-mail match
// may book an order onto an existing customer but must never rewrite, claim or re-key it; and a
// returning shopper with a new 2Checkout reference must land on the customer we made before.
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createNetSuiteActivities } from '../../activities/index.js';
import type { OrderActivities, SyncCustomerResult } from '../../workflows/activity-contract.js';
import { staticMappingProvider } from '../../mappings/config-loader.js';
import type { MappingConfig } from '../../mappings/config-schema.js';
import type { OrderEvent } from '../../mappings/canonical.js';
import { useSandbox, useSandboxClient } from '../support/sandbox.js';
import { configWith, demoConfig, order } from '../mappings/fixtures.js';

const sandbox = useSandbox();
const client = useSandboxClient(sandbox);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const activities = (config: MappingConfig): OrderActivities =>
  createNetSuiteActivities({ netsuite: client, mappings: staticMappingProvider(config), logger: quiet });

const syncCustomer = (acts: OrderActivities, o: OrderEvent): Promise<SyncCustomerResult> =>
  new MockActivityEnvironment({ attempt: 1 }).run(acts.syncCustomer, { order: o });

/** An order from a shopper with 2Checkout reference `ref` who typed `email`, company and phone. */
function shopperOrder(
  refNo: string,
  ref: string,
  email: string,
  over: { company?: string; phone?: string } = {},
): OrderEvent {
  const base = order();
  return order({
    refNo,
    key: `${refNo}|COMPLETE|1|20260110120000`,
    customer: {
      twoCheckoutRef: ref,
      billing: {
        ...base.customer.billing,
        email,
        company: over.company ?? 'Shopper Inc',
        phone: over.phone ?? '+1 555 0666',
      },
    },
  });
}

function victim(email: string, externalId?: string): { id: string; before: Record<string, unknown> } {
  const id = sandbox.insert('customer', {
    isPerson: false,
    companyName: 'Victim Corp',
    email,
    phone: '+1 555 0100',
    subsidiary: { id: '1' },
    currency: { id: '1' },
    ...(externalId ? { externalId } : {}),
  });
  return { id, before: { ...sandbox.record('customer', id) } };
}

const identityOf = (r: Record<string, unknown> | undefined) => ({
  companyName: r?.companyName,
  firstName: r?.firstName,
  lastName: r?.lastName,
  email: r?.email,
  phone: r?.phone,
  externalId: r?.externalId,
});

describe('customer matching by e-mail (default policy: link without updating)', () => {
  it('books onto a same-e-mail customer it did not create, but never rewrites, claims or later re-mails it', async () => {
    const acts = activities(demoConfig());
    const v = victim('ap@victim.example');
    const first = await syncCustomer(acts, shopperOrder('7100001', '881001', 'AP@victim.example'));
    expect(first.customerId).toBe(v.id);
    expect(identityOf(sandbox.record('customer', v.id))).toEqual(identityOf(v.before));

    // The same shopper's next order, with their own address: it must not touch the victim.
    const later = await syncCustomer(acts, shopperOrder('7100002', '881001', 'shopper@evil.example'));
    expect(later.customerId).not.toBe(v.id);
    expect(identityOf(sandbox.record('customer', v.id))).toEqual(identityOf(v.before));
  });

  it('never re-keys or rewrites a same-e-mail customer that another system owns', async () => {
    const acts = activities(demoConfig());
    const v = victim('billing@owned-elsewhere.example', 'SHOPIFY-42');
    const c = await syncCustomer(acts, shopperOrder('7100003', '881002', 'billing@owned-elsewhere.example'));
    expect(c.customerId).toBe(v.id);
    expect(identityOf(sandbox.record('customer', v.id))).toEqual(identityOf(v.before));
  });

  it('puts a returning guest (new 2Checkout reference, same e-mail in another case) on the customer it created before', async () => {
    const acts = activities(demoConfig());
    const first = await syncCustomer(acts, shopperOrder('7100004', '881003', 'Returning.Guest@example.com'));
    expect(first.action).toBe('created');
    const again = await syncCustomer(acts, shopperOrder('7100005', '881004', 'returning.guest@EXAMPLE.com'));
    expect(again.customerId).toBe(first.customerId);
    expect(sandbox.duplicates().customersByEmail.filter((d) => d.email.includes('returning.guest'))).toEqual([]);
  });
});

describe('customer matching by e-mail with emailMatch: createAndFlag', () => {
  const flagging = () =>
    activities(configWith({ customers: { ...demoConfig().customers, emailMatch: 'createAndFlag' } }));

  it('creates a new customer flagged for review instead of booking onto a customer it did not create', async () => {
    const v = victim('ap@flag-me.example');
    const c = await syncCustomer(flagging(), shopperOrder('7100006', '881005', 'ap@flag-me.example'));
    expect(c.customerId).not.toBe(v.id);
    expect(c).toMatchObject({ action: 'created', review: { sameEmailCustomerIds: [v.id] } });
    expect(String(sandbox.record('customer', c.customerId)?.comments)).toContain(`customer ${v.id}`);
    expect(identityOf(sandbox.record('customer', v.id))).toEqual(identityOf(v.before));
  });

  it('still puts a returning guest on the customer it created before, without a new flag', async () => {
    const acts = flagging();
    const first = await syncCustomer(acts, shopperOrder('7100007', '881006', 'guest.two@example.com'));
    const again = await syncCustomer(acts, shopperOrder('7100008', '881007', 'Guest.Two@example.com'));
    expect(again.customerId).toBe(first.customerId);
    expect(again).not.toHaveProperty('review');
  });
});
