import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMappingsCheck } from '../../scripts/lib/mappings-check/command.js';
import { collectReferences } from '../../operations/mappings-check.js';
import { SANDBOX_CREDENTIALS, useSandbox } from '../support/sandbox.js';
import { demoConfig } from './fixtures.js';

const sandbox = useSandbox();
const dir = mkdtempSync(join(tmpdir(), 'mappings-check-'));
const demo = readFileSync('config/mappings.yaml', 'utf8');
const env = (): NodeJS.ProcessEnv => ({
  NETSUITE_ACCOUNT_ID: SANDBOX_CREDENTIALS.accountId,
  NETSUITE_CONSUMER_KEY: SANDBOX_CREDENTIALS.consumerKey,
  NETSUITE_CONSUMER_SECRET: SANDBOX_CREDENTIALS.consumerSecret,
  NETSUITE_TOKEN_ID: SANDBOX_CREDENTIALS.tokenId,
  NETSUITE_TOKEN_SECRET: SANDBOX_CREDENTIALS.tokenSecret,
  NETSUITE_BASE_URL: sandbox.url,
});

async function check(yaml: string) {
  const file = join(dir, `m-${Math.abs(hash(yaml))}.yaml`);
  writeFileSync(file, yaml);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMappingsCheck({ file, env: env(), io: { out: (t) => out.push(t), err: (t) => err.push(t) } });
  return { code, out: out.join('\n'), err: err.join('\n'), file };
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

describe('mappings:check', () => {
  it('finds every id of the demo config in the sandbox account', async () => {
    const r = await check(demo);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK: every referenced record exists and is active/);
  });

  it('fails naming a missing item and where the file uses it', async () => {
    const r = await check(
      demo.replace('- { code: SUB-ANNUAL, item: 105, class: 2 }', '- { code: SUB-ANNUAL, item: 9999, class: 2 }'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/item 9999 does not exist in NetSuite\n\s+used at: products\.rules\[5\]\.item/);
  });

  it('reports inactive records, wrong currencies, wrong deposit-account currencies and unknown custom fields', async () => {
    sandbox.insert('item', {
      id: '190',
      itemId: 'OLD-SKU',
      displayName: 'Retired',
      itemType: 'NonInvtPart',
      isInactive: true,
    });
    const r = await check(
      demo
        .replace('- { code: SOFT-BASIC, item: 100, class: 1 }', '- { code: SOFT-BASIC, item: 190, class: 1 }')
        .replace('  GBP: { id: 3, precision: 2 }', '  GBP: { id: 2, precision: 2 }')
        .replace(
          'CCVISAMC: { account: 203, accountByCurrency: { USD: 201, EUR: 202 }',
          'CCVISAMC: { account: 203, accountByCurrency: { USD: 202, EUR: 202 }',
        )
        .replace(
          'custbody_2co_fx_rate: { path: fx.rate, type: number }',
          'custbody_2co_fxrate: { path: fx.rate, type: number }',
        ),
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('item 190 is inactive in NetSuite');
    expect(r.err).toContain('currency 2 is EUR in NetSuite, not GBP');
    expect(r.err).toMatch(
      /account 202 is kept in EUR, so NetSuite refuses money of USD orders of subsidiary 1 \(base currency USD\) in it.*\n\s+used at: paymentMethods\.byCode\.CCVISAMC\.accountByCurrency\.USD/,
    );
    expect(r.err).toMatch(
      /custom field custbody_2co_fxrate does not exist in NetSuite\n\s+used at: customFields\.transaction\.custbody_2co_fxrate/,
    );
  });

  it('refuses, before anything is posted, an account that cannot take a currency routed to it', async () => {
    // Route EU shoppers to the EUR subsidiary whatever they pay: GBP, JPY, KWD and CAD would then be
    // deposited into the USD account 203, and EUR chargebacks paid out of the USD account 210.
    const r = await check(
      demo.replace('        currencies: [EUR, USD]\n', '').replace('  chargebackAccountByCurrency: { EUR: 211 }\n', ''),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /account 203 is kept in USD, so NetSuite refuses money of GBP orders of subsidiary 2 \(base currency EUR\); JPY orders of subsidiary 2 .*; KWD .*; CAD .* in it.*\n\s+used at: paymentMethods\.default\.account\n\s+fix: give those currencies an account in their own currency/,
    );
    expect(r.err).toMatch(
      /account 210 is kept in USD, so NetSuite refuses money of EUR orders of subsidiary 2 .*\n\s+used at: refunds\.chargebackAccount/,
    );
    expect(r.err).not.toMatch(/USD orders of subsidiary 2/);
  });

  it('checks currency precision against NetSuite, and says what it cannot see about customers in several subsidiaries', async () => {
    const precision = await check(demo.replace('  CAD: { id: 6, precision: 2 }', '  CAD: { id: 6, precision: 0 }'));
    expect(precision.code).toBe(1);
    expect(precision.err).toMatch(
      /currency CAD has precision 2 in NetSuite, but the sync would post 0 decimals\n\s+used at: currencies\.CAD\.precision/,
    );

    const add = await check(demo.replace('otherSubsidiary: customerPerSubsidiary', 'otherSubsidiary: addSubsidiary'));
    expect(add.code).toBe(0);
    expect(add.out).toMatch(
      /! a shopper can be routed to subsidiaries 1, 2, and customers\.otherSubsidiary: addSubsidiary needs the Multi-Subsidiary Customer feature/,
    );
    const park = await check(demo.replace('otherSubsidiary: customerPerSubsidiary', 'otherSubsidiary: park'));
    expect(park.out).toMatch(/parks \(CUSTOMER_SUBSIDIARY\)/);
    expect((await check(demo)).out).not.toMatch(/!/);
  });

  it('checks the payouts section: a missing bank account and the payout accounts are named with their path', async () => {
    const r = await check(
      demo.replace('bankAccounts: { USD: 230, EUR: 231 }', 'bankAccounts: { USD: 2300, EUR: 231 }'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/account 2300 does not exist in NetSuite\n\s+used at: payouts\.bankAccounts\.USD/);
    const refs = collectReferences(demoConfig());
    expect(refs.filter((x) => x.path.startsWith('payouts.')).map((x) => x.path)).toEqual(
      expect.arrayContaining([
        'payouts.subsidiary',
        'payouts.clearingAccounts.EUR',
        'payouts.accounts.commission',
        'payouts.accounts.variance',
      ]),
    );
  });

  it('stops at an invalid file before calling NetSuite', async () => {
    sandbox.resetStats();
    const r = await check(demo.replace('version: 1', 'version: 2'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/version: must be 1/);
    expect(sandbox.stats().totalCalls).toBe(0);
  });

  it('collects every kind of reference with its path', () => {
    const refs = collectReferences(demoConfig());
    const at = (path: string) => refs.find((r) => r.path === path);
    expect(at('products.rules[0].item')).toEqual({ table: 'item', id: '100', path: 'products.rules[0].item' });
    expect(at('routing.rules[0].subsidiary')?.table).toBe('subsidiary');
    expect(at('paymentMethods.byCode.PAYPAL.paymentOption')).toMatchObject({ table: 'paymentmethod', id: '2' });
    expect(at('refunds.chargebackAccount')).toMatchObject({ table: 'account', id: '210' });
    expect(at('refunds.disputeField')).toMatchObject({ table: 'customfield', id: 'custbody_2co_dispute' });
    expect(at('products.rules[0].class')).toMatchObject({ table: 'classification', id: '1' });
  });
});
