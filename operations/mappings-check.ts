// Is every NetSuite id the mapping file refers to real and usable in the configured account? One
// SuiteQL query per record table; each problem names the id, the table, and every place in the
// file that uses it, so a finance-ops engineer can fix the file (or the account) before a single
// order parks on it. `npm run mappings:check` runs it (scripts/lib/mappings-check/command.ts);
// any edge that holds a NetSuite client (the MCP server, a start-up preflight) can too.
//
// It also looks ahead at what NetSuite would refuse later (docs/mappings.md, "What mappings:check
// checks ahead"): an account that takes money in a currency it cannot (a bank account takes only
// its own currency or its subsidiary's base currency), for every currency and every subsidiary
// routing can send that currency to; a currency precision NetSuite does not have; and whether a
// shopper who can be routed to several subsidiaries can be served by customers.otherSubsidiary.
import type { MappingConfig } from '../mappings/config-schema.js';
import { netsuiteExponent } from '../mappings/money.js';
import type { SuiteQlRow } from '../netsuite/types.js';
import { ident, joinSql, suiteql, type SuiteQl } from '../netsuite/suiteql.js';

/** The one NetSuite call the check makes: every row of a query (netsuite/client.ts provides it). */
export interface SuiteQlReader {
  suiteqlAll(query: SuiteQl): Promise<SuiteQlRow[]>;
}

/** SuiteQL tables the ids live in (docs/reference-notes.md#ns-suiteql). */
export type RefTable =
  | 'item'
  | 'salestaxitem'
  | 'account'
  | 'paymentmethod'
  | 'currency'
  | 'subsidiary'
  | 'department'
  | 'classification'
  | 'location'
  | 'customfield';

export interface Reference {
  table: RefTable;
  id: string;
  /** Where in the mapping file, e.g. `products.rules[2].item`. */
  path: string;
}

export interface CheckProblem {
  table: RefTable;
  id: string;
  paths: string[];
  kind: 'missing' | 'inactive' | 'mismatch' | 'currency';
  message: string;
}

export interface CheckReport {
  file: string;
  checked: number;
  problems: CheckProblem[];
  /** What the check cannot decide from the account (a feature it cannot see): said, but not a failure. */
  warnings: string[];
  ok: boolean;
}

const LABEL: Record<RefTable, string> = {
  item: 'item',
  salestaxitem: 'tax code',
  account: 'account',
  paymentmethod: 'payment method',
  currency: 'currency',
  subsidiary: 'subsidiary',
  department: 'department',
  classification: 'class',
  location: 'location',
  customfield: 'custom field',
};

/** Every NetSuite reference in the config, with its path in the file. */
export function collectReferences(c: MappingConfig): Reference[] {
  const refs: Reference[] = [];
  const add = (table: RefTable, id: string | undefined, path: string) => {
    if (id !== undefined) refs.push({ table, id, path });
  };
  const segments = (o: { department?: string; class?: string; location?: string }, base: string) => {
    add('department', o.department, `${base}.department`);
    add('classification', o.class, `${base}.class`);
    add('location', o.location, `${base}.location`);
  };
  c.products.rules.forEach((r, i) => {
    add('item', r.item, `products.rules[${i}].item`);
    segments(r, `products.rules[${i}]`);
  });
  if (c.products.default) {
    add('item', c.products.default.item, 'products.default.item');
    segments(c.products.default, 'products.default');
  }
  const routing = [
    ...c.routing.rules.map((r, i) => [r, `routing.rules[${i}]`] as const),
    [c.routing.defaults, 'routing.defaults'] as const,
  ];
  for (const [r, base] of routing) {
    add('subsidiary', r.subsidiary, `${base}.subsidiary`);
    add('salestaxitem', r.taxCode, `${base}.taxCode`);
    segments(r, base);
  }
  for (const id of Object.keys(c.subsidiaries)) add('subsidiary', id, `subsidiaries.${id}`);
  for (const [code, cur] of Object.entries(c.currencies)) add('currency', cur.id, `currencies.${code}`);
  const payments = [
    ...(c.paymentMethods.default ? [[c.paymentMethods.default, 'paymentMethods.default'] as const] : []),
    ...Object.entries(c.paymentMethods.byCode).map(([code, t]) => [t, `paymentMethods.byCode.${code}`] as const),
  ];
  for (const [t, base] of payments) {
    add('account', t.account, `${base}.account`);
    for (const [cur, acc] of Object.entries(t.accountByCurrency ?? {}))
      add('account', acc, `${base}.accountByCurrency.${cur}`);
    add('paymentmethod', t.paymentOption, `${base}.paymentOption`);
  }
  if (c.tax.mode === 'line') add('item', c.tax.item, 'tax.item');
  if (c.discounts.mode === 'line') add('item', c.discounts.item, 'discounts.item');
  add('item', c.shipping.item, 'shipping.item');
  for (const [code, acc] of Object.entries(c.refunds.accountByPaymentMethod))
    add('account', acc, `refunds.accountByPaymentMethod.${code}`);
  add('account', c.refunds.chargebackAccount, 'refunds.chargebackAccount');
  for (const [cur, acc] of Object.entries(c.refunds.chargebackAccountByCurrency))
    add('account', acc, `refunds.chargebackAccountByCurrency.${cur}`);
  add('item', c.rounding.item, 'rounding.item');
  add('customfield', c.periods.originalDateField, 'periods.originalDateField');
  for (const id of Object.keys(c.customFields.transaction)) add('customfield', id, `customFields.transaction.${id}`);
  for (const id of Object.keys(c.customFields.customer)) add('customfield', id, `customFields.customer.${id}`);
  add('customfield', c.refunds.disputeField, 'refunds.disputeField');
  const po = c.payouts;
  add('subsidiary', po.subsidiary, 'payouts.subsidiary');
  for (const [cur, id] of Object.entries(po.subsidiaryByCurrency))
    add('subsidiary', id, `payouts.subsidiaryByCurrency.${cur}`);
  for (const [cur, acc] of Object.entries(po.clearingAccounts)) add('account', acc, `payouts.clearingAccounts.${cur}`);
  add('account', po.clearingAccountDefault, 'payouts.clearingAccountDefault');
  for (const [cur, acc] of Object.entries(po.bankAccounts)) add('account', acc, `payouts.bankAccounts.${cur}`);
  for (const [name, acc] of Object.entries(po.accounts)) add('account', acc, `payouts.accounts.${name}`);
  add('account', po.undepositedFundsAccount, 'payouts.undepositedFundsAccount');
  return refs;
}

const text = (v: SuiteQlRow[string]): string => (v === null || v === undefined ? '' : String(v));

/** Looks every reference up in the account and reports what is missing, inactive or inconsistent. */
export async function checkMappings(config: MappingConfig, ns: SuiteQlReader): Promise<CheckReport> {
  const refs = collectReferences(config);
  const byTable = new Map<RefTable, Map<string, string[]>>();
  for (const r of refs) {
    const ids = byTable.get(r.table) ?? new Map<string, string[]>();
    ids.set(r.id, [...(ids.get(r.id) ?? []), r.path]);
    byTable.set(r.table, ids);
  }
  const problems: CheckProblem[] = [];
  const rowsOf = new Map<RefTable, Map<string, SuiteQlRow>>();
  for (const [table, ids] of byTable) {
    const list = [...ids.keys()];
    const key = table === 'customfield' ? 'scriptid' : 'id';
    const columns = table === 'customfield' ? 'scriptid, appliesto' : `id, isinactive${extraColumns(table)}`;
    // Names from this file, values as literals (netsuite/suiteql.ts): REST has no bound parameters.
    const select = joinSql(columns.split(', ').map(ident), ', ');
    const rows = await ns.suiteqlAll(suiteql`SELECT ${select} FROM ${ident(table)} WHERE ${ident(key)} IN (${list})`);
    const found = new Map(rows.map((r) => [text(r[key]).toLowerCase(), r]));
    rowsOf.set(table, found);
    for (const [id, paths] of ids) {
      const row = found.get(id.toLowerCase());
      if (!row) {
        problems.push({
          table,
          id,
          paths,
          kind: 'missing',
          message: `${LABEL[table]} ${id} does not exist in NetSuite`,
        });
      } else if (text(row.isinactive).toUpperCase() === 'T') {
        problems.push({ table, id, paths, kind: 'inactive', message: `${LABEL[table]} ${id} is inactive in NetSuite` });
      }
    }
  }
  problems.push(...consistencyProblems(config, rowsOf));
  problems.push(...accountCurrencyProblems(config, rowsOf));
  const warnings = await subsidiaryWarnings(config, ns);
  return {
    file: config.sourceFile ?? '(mapping config)',
    checked: refs.length,
    problems,
    warnings,
    ok: problems.length === 0,
  };
}

/**
 * The subsidiaries an order in `currency` can be routed to, whatever its country: every rule whose
 * currency condition it meets, up to the first such rule with no country condition (which always
 * matches), then the defaults.
 */
export function subsidiariesFor(c: MappingConfig, currency: string): string[] {
  const out = new Set<string>();
  for (const rule of c.routing.rules) {
    if (rule.when.currencies !== undefined && !rule.when.currencies.includes(currency)) continue;
    const sub = rule.subsidiary ?? c.routing.defaults.subsidiary;
    if (sub !== undefined) out.add(sub);
    if (rule.when.countries === undefined) return [...out];
  }
  if (c.routing.defaults.subsidiary !== undefined) out.add(c.routing.defaults.subsidiary);
  return [...out];
}

/**
 * Every account money goes into or out of, per order currency: the payment method's deposit
 * account, its refund account, the chargeback account. Each must be kept in that currency or in
 * the base currency of every subsidiary the currency can be routed to.
 */
function accountCurrencyProblems(c: MappingConfig, rows: Map<RefTable, Map<string, SuiteQlRow>>): CheckProblem[] {
  const accounts = rows.get('account') ?? new Map<string, SuiteQlRow>();
  const subsidiaries = rows.get('subsidiary') ?? new Map<string, SuiteQlRow>();
  const currencies = rows.get('currency') ?? new Map<string, SuiteQlRow>();
  const isoOf = (id: string) =>
    text(currencies.get(id)?.symbol) ||
    Object.entries(c.currencies).find(([, v]) => v.id === id)?.[0] ||
    `currency ${id}`;
  const found = new Map<string, { account: string; path: string; keptIn: string; uses: string[] }>();
  const use = (account: string | undefined, path: string, iso: string, sub: string) => {
    if (account === undefined) return;
    const keptIn = text(accounts.get(account)?.currency);
    const base = text(subsidiaries.get(sub)?.currency);
    const currencyId = c.currencies[iso]?.id;
    if (!keptIn || !base || !currencyId || keptIn === currencyId || keptIn === base) return;
    const key = `${account} ${path}`;
    const f = found.get(key) ?? { account, path, keptIn, uses: [] };
    f.uses.push(`${iso} orders of subsidiary ${sub} (base currency ${isoOf(base)})`);
    found.set(key, f);
  };
  const targets = [
    ...(c.paymentMethods.default ? [[c.paymentMethods.default, 'paymentMethods.default'] as const] : []),
    ...Object.entries(c.paymentMethods.byCode).map(([code, t]) => [t, `paymentMethods.byCode.${code}`] as const),
  ];
  for (const iso of Object.keys(c.currencies)) {
    for (const sub of subsidiariesFor(c, iso)) {
      for (const [t, base] of targets) {
        const byCurrency = t.accountByCurrency?.[iso];
        use(
          byCurrency ?? t.account,
          byCurrency !== undefined ? `${base}.accountByCurrency.${iso}` : `${base}.account`,
          iso,
          sub,
        );
      }
      for (const [code, acc] of Object.entries(c.refunds.accountByPaymentMethod))
        use(acc, `refunds.accountByPaymentMethod.${code}`, iso, sub);
      const cb = c.refunds.chargebackAccountByCurrency[iso];
      use(
        cb ?? c.refunds.chargebackAccount,
        cb !== undefined ? `refunds.chargebackAccountByCurrency.${iso}` : 'refunds.chargebackAccount',
        iso,
        sub,
      );
    }
  }
  return [...found.values()].map((f) => ({
    table: 'account',
    id: f.account,
    paths: [f.path],
    kind: 'currency',
    message:
      `account ${f.account} is kept in ${isoOf(f.keptIn)}, so NetSuite refuses money of ${f.uses.join('; ')} in it: ` +
      "a bank account takes only its own currency or its subsidiary's base currency",
  }));
}

/**
 * Can one customer follow a shopper to every subsidiary routing can send them to? Only
 * customers.otherSubsidiary: addSubsidiary depends on an account feature the check cannot read:
 * a customer that already has a second subsidiary proves it; otherwise it is said, not failed.
 */
async function subsidiaryWarnings(c: MappingConfig, ns: SuiteQlReader): Promise<string[]> {
  const all = new Set(Object.keys(c.currencies).flatMap((iso) => subsidiariesFor(c, iso)));
  if (all.size < 2) return [];
  const list = [...all].sort().join(', ');
  switch (c.customers.otherSubsidiary) {
    case 'customerPerSubsidiary':
      return [];
    case 'park':
      return [
        `a shopper can be routed to subsidiaries ${list}; with customers.otherSubsidiary: park, a returning shopper's order in another subsidiary than their customer's parks (CUSTOMER_SUBSIDIARY)`,
      ];
    case 'addSubsidiary': {
      let proven = false;
      try {
        proven =
          (
            await ns.suiteqlAll(
              suiteql`SELECT id FROM customersubsidiaryrelationship WHERE isprimarysub = 'F' FETCH FIRST 1 ROWS ONLY`,
            )
          ).length > 0;
      } catch {
        proven = false;
      }
      return proven
        ? []
        : [
            `a shopper can be routed to subsidiaries ${list}, and customers.otherSubsidiary: addSubsidiary needs the Multi-Subsidiary Customer feature, ` +
              "which this check cannot see (no customer has a second subsidiary yet). Without it such orders park with NetSuite's refusal: " +
              'confirm it under Setup > Company > Enable Features, or use customerPerSubsidiary',
          ];
    }
  }
}

function extraColumns(table: RefTable): string {
  if (table === 'currency') return ', symbol, currencyprecision';
  if (table === 'subsidiary') return ', currency';
  if (table === 'account') return ', currency';
  return '';
}

/** Ids that exist but do not mean what the file says (wrong currency behind an ISO code, …). */
function consistencyProblems(c: MappingConfig, rows: Map<RefTable, Map<string, SuiteQlRow>>): CheckProblem[] {
  const out: CheckProblem[] = [];
  const currencies = rows.get('currency') ?? new Map<string, SuiteQlRow>();
  const symbolOf = (id: string) => text(currencies.get(id)?.symbol);
  for (const [code, cur] of Object.entries(c.currencies)) {
    const row = currencies.get(cur.id);
    if (!row) continue;
    if (text(row.symbol) && text(row.symbol).toUpperCase() !== code) {
      out.push({
        table: 'currency',
        id: cur.id,
        paths: [`currencies.${code}`],
        kind: 'mismatch',
        message: `currency ${cur.id} is ${text(row.symbol)} in NetSuite, not ${code}`,
      });
    }
    const precision = text(row.currencyprecision);
    const effective = netsuiteExponent(code, cur.precision);
    if (precision !== '' && Number(precision) !== effective) {
      out.push({
        table: 'currency',
        id: cur.id,
        paths: [cur.precision !== undefined ? `currencies.${code}.precision` : `currencies.${code}`],
        kind: 'mismatch',
        message:
          `currency ${code} has precision ${precision} in NetSuite, but the sync would post ${effective} decimals` +
          (cur.precision === undefined ? ` (none configured; set precision: ${precision === '0' ? 0 : 2})` : ''),
      });
    }
  }
  const subsidiaries = rows.get('subsidiary') ?? new Map<string, SuiteQlRow>();
  for (const [id, s] of Object.entries(c.subsidiaries)) {
    const row = subsidiaries.get(id);
    const base = row ? text(row.currency) : '';
    if (!row || base === '') continue;
    const baseIso = symbolOf(base) || Object.entries(c.currencies).find(([, v]) => v.id === base)?.[0];
    if (baseIso && baseIso !== s.baseCurrency) {
      out.push({
        table: 'subsidiary',
        id,
        paths: [`subsidiaries.${id}.baseCurrency`],
        kind: 'mismatch',
        message: `subsidiary ${id} has base currency ${baseIso} in NetSuite, not ${s.baseCurrency}`,
      });
    }
  }
  const fields = rows.get('customfield') ?? new Map<string, SuiteQlRow>();
  const kindOf = (id: string) => text(fields.get(id.toLowerCase())?.appliesto).toLowerCase();
  for (const id of [
    ...Object.keys(c.customFields.transaction),
    ...(c.refunds.disputeField ? [c.refunds.disputeField] : []),
    ...(c.periods.originalDateField ? [c.periods.originalDateField] : []),
  ]) {
    const k = kindOf(id);
    if (k && k !== 'transaction')
      out.push({
        table: 'customfield',
        id,
        paths: [`customFields.transaction.${id}`],
        kind: 'mismatch',
        message: `custom field ${id} applies to ${k} records, not transactions`,
      });
  }
  for (const id of Object.keys(c.customFields.customer)) {
    const k = kindOf(id);
    if (k && k !== 'entity' && k !== 'customer')
      out.push({
        table: 'customfield',
        id,
        paths: [`customFields.customer.${id}`],
        kind: 'mismatch',
        message: `custom field ${id} applies to ${k} records, not customers`,
      });
  }
  return out;
}

/** Human-readable report for the terminal. */
export function formatCheckReport(r: CheckReport, account: string): string {
  const lines = [`Mapping check of ${r.file} against NetSuite account ${account}: ${r.checked} references checked.`];
  for (const w of r.warnings) lines.push(`  ! ${w}`);
  if (r.ok) {
    lines.push(
      'OK: every referenced record exists and is active, and every account takes the currencies routed to it.',
    );
    return lines.join('\n');
  }
  lines.push(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:`);
  for (const p of r.problems) {
    lines.push(`  ✗ ${p.message}`);
    lines.push(`      used at: ${p.paths.join(', ')}`);
    lines.push(`      fix: ${fixFor(p)}`);
  }
  return lines.join('\n');
}

function fixFor(p: CheckProblem): string {
  switch (p.kind) {
    case 'missing':
      if (p.table === 'customfield')
        return 'use the ID (script id) of an existing custom field from Customization > Lists, Records & Fields, or create the field';
      return `put the internal id of an existing ${LABEL[p.table]} there (NetSuite lists show it in the ID column), or create the record`;
    case 'inactive':
      return `reactivate the ${LABEL[p.table]} in NetSuite, or map to an active one`;
    case 'mismatch':
      return 'correct the mapping file (or the NetSuite record) so the two agree';
    case 'currency':
      return 'give those currencies an account in their own currency (accountByCurrency / chargebackAccountByCurrency), or route them to a subsidiary whose base currency the account is in';
  }
}
