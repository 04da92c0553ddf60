import { describe, expect, it } from 'vitest';
import { buildCustomerBody, customerIdentity, emailHash } from '../../mappings/customer-record.js';
import { MappingError } from '../../mappings/errors.js';
import { configWith, demoConfig, order } from './fixtures.js';

const billing = order().customer.billing;

describe('customer body', () => {
  it('creates an individual with first and last name when COMPANY is empty', () => {
    const body = buildCustomerBody(order(), demoConfig());
    expect(body).toMatchObject({
      isPerson: true,
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'Jane.Doe@Example.com',
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    expect(body).not.toHaveProperty('companyName');
    expect(body.currencyList).toEqual({ items: [{ currency: { id: '1' } }] });
    expect(body.custentity_2co_customer_ref).toBe('777001');
  });

  it('creates a company when COMPANY is set, unless configured otherwise', () => {
    const acme = order({
      customer: { twoCheckoutRef: '1', billing: { ...billing, company: 'Acme GmbH', countryCode: 'DE' } },
    });
    const body = buildCustomerBody(acme, demoConfig());
    expect(body).toMatchObject({ isPerson: false, companyName: 'Acme GmbH', subsidiary: { id: '2' } });
    expect(body).not.toHaveProperty('firstName');
    const individuals = configWith({ customers: { ...demoConfig().customers, kind: 'individual' } });
    expect(buildCustomerBody(acme, individuals)).toMatchObject({ isPerson: true, firstName: 'Jane' });
  });

  it('fills the address book with the billing address, and a separate shipping address when it differs', () => {
    const same = buildCustomerBody(order(), demoConfig()).addressBook as { items: unknown[] };
    expect(same.items).toEqual([
      {
        defaultBilling: true,
        defaultShipping: true,
        label: 'Billing',
        addressBookAddress: {
          addressee: 'Jane Doe',
          addr1: '1 Main St',
          city: 'Springfield',
          zip: '12345',
          country: 'US',
        },
      },
    ]);
    const withDelivery = order({
      customer: {
        twoCheckoutRef: '1',
        billing: { ...billing, company: 'Acme' },
        delivery: {
          firstName: 'Max',
          lastName: 'Muster',
          email: '',
          address1: 'Hauptstr. 5',
          city: 'Berlin',
          countryCode: 'de',
        },
      },
    });
    const book = (
      buildCustomerBody(withDelivery, demoConfig()).addressBook as { items: Array<Record<string, unknown>> }
    ).items;
    expect(book).toHaveLength(2);
    expect(book[0]).toMatchObject({
      defaultBilling: true,
      defaultShipping: false,
      addressBookAddress: { addressee: 'Acme', attention: 'Jane Doe' },
    });
    expect(book[1]).toMatchObject({
      defaultBilling: false,
      defaultShipping: true,
      addressBookAddress: { addressee: 'Max Muster', addr1: 'Hauptstr. 5', country: 'DE' },
    });
  });
});

describe('customer identity', () => {
  const withRefs = (externalRef?: string, twoCheckoutRef?: string, email = 'Jane.Doe@Example.com') =>
    order({
      customer: {
        ...(externalRef ? { externalRef } : {}),
        ...(twoCheckoutRef ? { twoCheckoutRef } : {}),
        billing: { ...billing, email },
      },
    });

  it('takes the externalId from the first configured match key the order carries', () => {
    expect(customerIdentity(withRefs('CRM-9', '777'), demoConfig()).externalId).toBe('2co-cust-ext-CRM-9');
    expect(customerIdentity(withRefs(undefined, '777'), demoConfig()).externalId).toBe('2co-cust-2co-777');
    const onlyEmail = customerIdentity(withRefs(undefined, undefined), demoConfig());
    expect(onlyEmail.externalId).toBe(`2co-cust-email-${emailHash('jane.doe@example.com')}`);
    expect(onlyEmail.externalId).not.toMatch(/jane|example/i);
    const twoCoFirst = configWith({
      customers: {
        ...demoConfig().customers,
        matchKeys: ['twoCheckoutCustomerReference', 'externalCustomerReference'],
      },
    });
    expect(customerIdentity(withRefs('CRM-9', '777'), twoCoFirst).externalId).toBe('2co-cust-2co-777');
  });

  it('lists every key as a look-up candidate, in order', () => {
    const id = customerIdentity(withRefs('CRM-9', '777'), demoConfig());
    expect(id.candidates.map((c) => c.key)).toEqual([
      'externalCustomerReference',
      'twoCheckoutCustomerReference',
      'email',
    ]);
    expect(id.email).toBe('jane.doe@example.com');
  });

  it('gives e-mail case and whitespace variants the same externalId', () => {
    const ids = ['Jane.Doe@Example.com', ' jane.doe@example.com ', 'JANE.DOE@EXAMPLE.COM'].map(
      (e) => customerIdentity(withRefs(undefined, undefined, e), demoConfig()).externalId,
    );
    expect(new Set(ids).size).toBe(1);
    expect(customerIdentity(withRefs(undefined, undefined, 'john@example.com'), demoConfig()).externalId).not.toBe(
      ids[0],
    );
  });

  it('parks an order that carries no match key at all', () => {
    const noKeys = configWith({ customers: { ...demoConfig().customers, matchKeys: ['externalCustomerReference'] } });
    expect(() => customerIdentity(withRefs(undefined, '777'), noKeys)).toThrow(MappingError);
  });
});
