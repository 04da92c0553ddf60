import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadMappingConfig,
  MappingConfigError,
  parseMappingConfig,
  watchMappingConfig,
} from '../../mappings/config-loader.js';

const demo = readFileSync('config/mappings.yaml', 'utf8');

function problemsOf(text: string): MappingConfigError {
  try {
    parseMappingConfig(text, 'broken.yaml');
  } catch (e) {
    if (e instanceof MappingConfigError) return e;
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

describe('mapping config loader', () => {
  it('loads the demo config and the annotated example', () => {
    const c = loadMappingConfig('config/mappings.yaml');
    expect(c.products.rules.find((r) => r.code === 'SOFT-PRO')?.item).toBe('101');
    expect(c.products.default).toBeUndefined();
    expect(c.currencies.JPY).toEqual({ id: '4', precision: 0 });
    expect(c.paymentMethods.field).toBe('paymentOption');
    expect(c.sourceFile).toBe('config/mappings.yaml');
    const example = loadMappingConfig('config/mappings.example.yaml');
    expect(example.version).toBe(1);
  });

  it('validates the payouts section with a fix for each problem', () => {
    const err = problemsOf(
      demo
        .replace('  posting: journal\n', '  posting: bank\n')
        .replace('  waitForPayments: 3d', '  waitForPayments: three days'),
    );
    const byPath = new Map(err.problems.map((p) => [p.path, p.message]));
    expect(byPath.get('payouts.posting')).toMatch(/journal or deposit/);
    expect(byPath.get('payouts.waitForPayments')).toMatch(/duration such as/);
    const noVariance = problemsOf(demo.replace('    variance: 245\n', ''));
    expect(noVariance.problems.map((p) => [p.path, p.message])).toEqual([
      ['payouts.accounts.variance', expect.stringMatching(/required when varianceTolerance is above 0/)],
    ]);
    const c = loadMappingConfig('config/mappings.yaml');
    expect(c.payouts).toMatchObject({ posting: 'journal', bankAccounts: { USD: '230' }, varianceTolerance: 2 });
  });

  it('names file, line, path and fix for every problem at once', () => {
    const err = problemsOf(
      demo
        .replace('- { code: SOFT-PRO, item: 101, class: 1 }', '- { code: SOFT-PRO, item: Software Pro, class: 1 }')
        .replace('- { code: SUB-ANNUAL, item: 105, class: 2 }', '- { code: SUB-ANNUAL, pattern: "^SUB-", item: 105 }')
        .replace('  JPY: { id: 4, precision: 0 }', '  jpy: { id: 4, precision: 0 }')
        .replace('tax:\n  mode: line\n  item: 113', 'tax:\n  mode: line'),
    );
    const byPath = new Map(err.problems.map((p) => [p.path, p]));
    expect([...byPath.keys()]).toEqual(
      expect.arrayContaining(['products.rules[1].item', 'products.rules[5]', 'currencies.jpy', 'tax.item']),
    );
    const item = byPath.get('products.rules[1].item')!;
    const softProLine = demo.split('\n').findIndex((l) => l.includes('code: SOFT-PRO')) + 1;
    expect(item.line).toBe(softProLine);
    expect(item.message).toMatch(/internal id/);
    for (const p of err.problems) expect(p.message).toMatch(/Fix:/);
    expect(err.message).toContain(`broken.yaml:${softProLine}:`);
    expect(err.message).toContain('products.rules[1].item');
  });

  it('refuses a currency precision NetSuite does not have, and validates the subsidiary and period policies', () => {
    const err = problemsOf(
      demo
        .replace('  KWD: { id: 5, precision: 2 }', '  KWD: { id: 5, precision: 3 }')
        .replace('  otherSubsidiary: customerPerSubsidiary', '  otherSubsidiary: merge')
        .replace('  whenClosed: park', '  whenClosed: later'),
    );
    const byPath = new Map(err.problems.map((p) => [p.path, p.message]));
    expect(byPath.get('currencies.KWD.precision')).toMatch(/0 or 2: NetSuite keeps no other number of decimals.*Fix:/);
    expect(byPath.get('customers.otherSubsidiary')).toMatch(/customerPerSubsidiary, addSubsidiary, park\. Fix:/);
    expect(byPath.get('periods.whenClosed')).toMatch(/park or nextOpenPeriod\. Fix:/);
    const c = loadMappingConfig('config/mappings.yaml');
    expect(c).toMatchObject({
      customers: { otherSubsidiary: 'customerPerSubsidiary' },
      periods: { whenClosed: 'park' },
      rounding: { item: '114' },
    });
    // Left out, the sections take the defaults that work on any account.
    const bare = parseMappingConfig(
      'version: 1\nproducts: { rules: [] }\ncurrencies: { USD: 1 }\npaymentMethods: { default: { account: 1 } }\n',
      'bare.yaml',
    );
    expect(bare).toMatchObject({
      customers: { otherSubsidiary: 'customerPerSubsidiary' },
      periods: { whenClosed: 'park' },
      rounding: {},
    });
  });

  it('points at unknown keys and suggests the known one', () => {
    const err = problemsOf(demo.replace('customFields:', 'customFeilds:'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.path).toBe('customFeilds');
    expect(err.problems[0]!.message).toMatch(/did you mean customFields\?/);
    expect(err.problems[0]!.line).toBeGreaterThan(1);
  });

  it('says what is missing and where', () => {
    const err = problemsOf('version: 1\nproducts: { rules: [] }\n');
    expect(err.problems.map((p) => p.path).sort()).toEqual(['currencies', 'paymentMethods']);
    for (const p of err.problems) expect(p.message).toMatch(/is missing\. Fix: add it/);
  });

  it('matches customers by e-mail without updating them by default, and names the choices for emailMatch', () => {
    expect(loadMappingConfig('config/mappings.yaml').customers.emailMatch).toBe('linkWithoutUpdate');
    expect(
      parseMappingConfig(demo.replace('customers:\n', 'customers:\n  emailMatch: createAndFlag\n'), 'ok.yaml').customers
        .emailMatch,
    ).toBe('createAndFlag');
    const err = problemsOf(demo.replace('customers:\n', 'customers:\n  emailMatch: merge\n'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.path).toBe('customers.emailMatch');
    expect(err.problems[0]!.message).toMatch(/linkWithoutUpdate, createAndFlag, off/);
  });

  it('reports YAML syntax errors with line and column', () => {
    const err = problemsOf('version: 1\nproducts:\n  rules: [\n    { code: A, item: 1 }\n');
    expect(err.problems[0]!.message).toMatch(/YAML syntax error/);
    expect(err.problems[0]!.line).toBeGreaterThan(1);
  });

  it('rejects invalid patterns, rules with two matchers and duplicate codes', () => {
    const err = problemsOf(
      demo.replace(
        '    - { code: SUB-ANNUAL, item: 105, class: 2 }',
        '    - { pattern: "([", item: 105 }\n    - { code: SOFT-PRO, item: 109 }',
      ),
    );
    expect(err.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['products.rules[5].pattern', 'products.rules[6].code']),
    );
    expect(err.problems.find((p) => p.path === 'products.rules[6].code')!.message).toMatch(
      /mapped twice \(also products\.rules\[1\]\)/,
    );
  });

  it('names a missing file and how to fix it', () => {
    expect(() => loadMappingConfig('/nonexistent/mappings.yaml')).toThrow(
      /mappings\.yaml.*file not found\. Fix: set MAPPINGS_FILE/s,
    );
  });

  it('hot-reloads a fixed file and keeps the last good config when an edit is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mappings-'));
    const file = join(dir, 'mappings.yaml');
    writeFileSync(file, demo);
    const logged: string[] = [];
    const provider = watchMappingConfig(file, {
      info: (_o, m) => logged.push(`info ${m}`),
      error: (_o, m) => logged.push(`error ${m}`),
    });
    expect(provider.current().products.rules.some((r) => r.code === 'NEW-GADGET-X')).toBe(false);

    writeFileSync(
      file,
      demo.replace('products:\n  rules:\n', 'products:\n  rules:\n    - { code: NEW-GADGET-X, item: 112 }\n'),
    );
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(provider.current().products.rules.some((r) => r.code === 'NEW-GADGET-X')).toBe(true);

    writeFileSync(file, demo.replace('version: 1', 'version: one'));
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    expect(provider.current().products.rules.some((r) => r.code === 'NEW-GADGET-X')).toBe(true);
    expect(logged).toEqual([
      'info mapping config reloaded',
      expect.stringMatching(/^error mapping config changed but is invalid/),
    ]);
    provider.current();
    expect(logged).toHaveLength(2); // the same bad version is reported once
  });
});
