// A second source for payouts: the settlement / accounting export of the 2Checkout control panel,
// read through the configured column map (payouts.csvImport) into the same PayoutContent the API
// adapter makes, so the same payout workflow books it. Pure. Every problem of the file is found
// in one pass and reported together (line and column named), and nothing is imported when there
// is one: a half-read payout would book a wrong entry.
import { parse } from 'csv-parse/sync';
import { currencyExponent, formatMinor, toMinor, type Minor } from './money.js';
import { PAYOUT_CSV_ROW_TYPES, type PayoutCsvImport } from './payout-config.js';
import type { PayoutContent } from './payout-amounts.js';

type RowType = (typeof PAYOUT_CSV_ROW_TYPES)[number];

/** The export's words for each row type when the mapping file names none. */
export const DEFAULT_CSV_TYPE_WORDS: Record<RowType, string[]> = {
  order: ['ORDER', 'SALE'],
  refund: ['REFUND'],
  chargeback: ['CHARGEBACK'],
  chargebackFee: ['CHARGEBACK FEE', 'DISPUTE FEE'],
  reserveHeld: ['RESERVE HELD'],
  reserveReleased: ['RESERVE RELEASED'],
  disputeHeld: ['DISPUTE HELD'],
  disputeReleased: ['DISPUTE RELEASED'],
  balanceForward: ['BALANCE FORWARD'],
  transfer: ['TRANSFER'],
};

export interface PayoutCsvResult {
  payouts: PayoutContent[];
  /** Every problem, "line N, column "X": …"; empty when the file was read whole. */
  problems: string[];
}

const STATUSES = new Set(['PAID', 'PARTIALLY_PAID', 'CANCELED']);

/** Reads a payout export. `exponentOf` gives a currency's minor units (the mapping's precision). */
export function parsePayoutCsv(
  text: string,
  map: PayoutCsvImport,
  exponentOf: (currency: string) => number = (c) => currencyExponent(c),
): PayoutCsvResult {
  const problems: string[] = [];
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: map.delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    return {
      payouts: [],
      problems: [
        `the file is not CSV with the delimiter "${map.delimiter}": ${e instanceof Error ? e.message : String(e)}`,
      ],
    };
  }
  const [header, ...rows] = records;
  if (!header) return { payouts: [], problems: ['the file is empty: expected a header line and one row per document'] };
  const index = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  const cols = map.columns;
  const required = ['reference', 'payoutCurrency', 'payoutAmount', 'date', 'type', 'currency', 'amount'] as const;
  const at: Partial<Record<keyof typeof cols, number>> = {};
  for (const [key, name] of Object.entries(cols) as Array<[keyof typeof cols, string | undefined]>) {
    if (name === undefined) continue;
    const i = index.get(name.toLowerCase());
    if (i !== undefined) at[key] = i;
    else if ((required as readonly string[]).includes(key) || key === 'refNo' || key === 'commission') {
      problems.push(
        `header: no column "${name}" (payouts.csvImport.columns.${key}); the file has ${header.map((h) => `"${h}"`).join(', ')}`,
      );
    } else
      problems.push(
        `header: no column "${name}" (payouts.csvImport.columns.${key}): remove the key or name a column the file has`,
      );
  }
  if (problems.length > 0) return { payouts: [], problems };

  const words = new Map<string, RowType>();
  for (const t of PAYOUT_CSV_ROW_TYPES) {
    for (const w of map.types[t] ?? DEFAULT_CSV_TYPE_WORDS[t]) {
      const word = w.trim().toUpperCase();
      const other = words.get(word);
      if (other && other !== t) problems.push(`payouts.csvImport.types: "${w}" is listed for both ${other} and ${t}`);
      words.set(word, t);
    }
  }
  if (problems.length > 0) return { payouts: [], problems };

  const payouts = new Map<string, PayoutContent & { firstLine: number; rateLines: Map<string, number> }>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const cell = (key: keyof typeof cols): string => (at[key] === undefined ? '' : (row[at[key]!] ?? '').trim());
    const where = (key: keyof typeof cols) => `line ${line}, column "${cols[key]}"`;
    const lineProblems: string[] = [];
    const want = (key: keyof typeof cols, what: string): string => {
      const v = cell(key);
      if (!v) lineProblems.push(`${where(key)}: empty, expected ${what}`);
      return v;
    };
    const currency = (key: keyof typeof cols): string => {
      const v = want(key, 'a currency code such as USD').toUpperCase();
      if (v && !/^[A-Z]{3}$/.test(v))
        lineProblems.push(`${where(key)}: "${cell(key)}" is not a 3-letter currency code`);
      return v;
    };
    const amount = (
      key: keyof typeof cols,
      cur: string,
      opts: { optional?: boolean; signed?: boolean } = {},
    ): string | undefined => {
      const raw = opts.optional ? cell(key) : want(key, 'an amount');
      if (!raw) return undefined;
      const text = map.decimalComma ? raw.replace(/[.\s]/g, '').replace(',', '.') : raw.replace(/[,\s]/g, '');
      if (!/^-?\d+(\.\d+)?$/.test(text)) {
        lineProblems.push(
          `${where(key)}: "${raw}" is not an amount${map.decimalComma ? ' (decimalComma: true expects 1.234,56)' : ''}`,
        );
        return undefined;
      }
      if (text.startsWith('-') && !opts.signed) {
        lineProblems.push(
          `${where(key)}: "${raw}" is negative; the type column says what the row is, amounts are positive`,
        );
        return undefined;
      }
      if (!/^[A-Z]{3}$/.test(cur)) return text;
      const e = exponentOf(cur);
      const decimals = text.split('.')[1]?.length ?? 0;
      if (decimals > e) {
        lineProblems.push(`${where(key)}: ${raw} has ${decimals} decimals, ${cur} has ${e}`);
        return undefined;
      }
      return formatMinor(toMinor(text, e), e);
    };

    const reference = want('reference', 'the payout reference');
    const payoutCurrency = currency('payoutCurrency');
    const payoutAmount = amount('payoutAmount', payoutCurrency, { signed: true });
    const date = dateOf(cell('date'), map.dateFormat);
    if (!date) lineProblems.push(`${where('date')}: "${cell('date')}" is not a date in the format ${map.dateFormat}`);
    const statusText = (cell('status') || 'PAID').toUpperCase().replace(/\s+/g, '_');
    if (!STATUSES.has(statusText))
      lineProblems.push(`${where('status')}: "${cell('status')}" is not PAID, PARTIALLY_PAID or CANCELED`);
    const typeWord = want('type', `one of ${[...words.keys()].join(', ')}`).toUpperCase();
    const type = words.get(typeWord);
    if (typeWord && !type)
      lineProblems.push(
        `${where('type')}: "${cell('type')}" is none of ${[...words.keys()].join(', ')} (payouts.csvImport.types)`,
      );
    const cur = type === 'transfer' ? payoutCurrency : currency('currency');
    const amt = amount('amount', cur, { signed: type === 'balanceForward' });
    const refNo =
      type === 'order' || type === 'refund' || type === 'chargeback'
        ? want('refNo', 'the order reference')
        : cell('refNo');
    const commission = type === 'order' ? amount('commission', cur) : undefined;
    const vat = type === 'order' && at.vat !== undefined ? amount('vat', cur, { optional: true }) : undefined;
    const rateText = cell('rate');
    if (rateText && !/^\d+(\.\d+)?$/.test(rateText.replace(',', '.')))
      lineProblems.push(`${where('rate')}: "${rateText}" is not a rate`);
    if (lineProblems.length > 0 || !type || !date || payoutAmount === undefined || amt === undefined) {
      problems.push(...lineProblems);
      return;
    }

    let p = payouts.get(reference);
    if (!p) {
      p = {
        reference,
        status: statusText,
        currency: payoutCurrency,
        amount: payoutAmount,
        date,
        orders: [],
        refunds: [],
        chargebackFees: [],
        reserve: [],
        rates: {},
        source: 'csv',
        firstLine: line,
        rateLines: new Map(),
      };
      payouts.set(reference, p);
    } else {
      const clash = (what: string, a: string, b: string) =>
        a !== b &&
        problems.push(`line ${line}: payout ${reference} has ${what} ${b} here but ${a} on line ${p!.firstLine}`);
      clash('currency', p.currency, payoutCurrency);
      clash('amount', p.amount, payoutAmount);
      clash('status', p.status, statusText);
      if (type !== 'transfer') clash('transfer date', p.date, date);
    }
    if (cur !== p.currency && type !== 'transfer') {
      const rate = rateText.replace(',', '.');
      const known = p.rates[cur];
      if (rate && known && known !== rate)
        problems.push(
          `line ${line}, column "${cols.rate}": ${cur}→${p.currency} rate ${rate} differs from ${known} on line ${p.rateLines.get(cur)}`,
        );
      else if (rate && !known) {
        p.rates[cur] = rate;
        p.rateLines.set(cur, line);
      }
    }
    const money = { currency: cur, amount: amt, ...(refNo ? { refNo } : {}) };
    switch (type) {
      case 'order':
        p.orders.push({ refNo, currency: cur, gross: amt, commission: commission ?? '0', vatWithheld: vat ?? '0' });
        break;
      case 'refund':
      case 'chargeback':
        p.refunds.push(money);
        break;
      case 'chargebackFee':
        p.chargebackFees.push(money);
        break;
      case 'reserveHeld':
        p.reserve.push({ kind: 'held', currency: cur, amount: amt });
        break;
      case 'reserveReleased': {
        const heldRate = cell('heldRate');
        p.reserve.push({
          kind: 'released',
          currency: cur,
          amount: amt,
          ...(cell('heldIn') ? { heldIn: cell('heldIn') } : {}),
          ...(heldRate ? { heldRate: heldRate.replace(',', '.') } : {}),
        });
        break;
      }
      case 'disputeHeld':
      case 'disputeReleased':
        (p.disputes ??= []).push({ kind: type === 'disputeHeld' ? 'held' : 'released', ...money });
        break;
      case 'balanceForward':
        (p.balanceForward ??= []).push({ currency: cur, amount: amt });
        break;
      case 'transfer':
        (p.transfers ??= []).push({ id: cell('transfer') || date.replace(/-/g, ''), amount: amt, date });
        break;
    }
  });

  const out: PayoutContent[] = [];
  for (const p of payouts.values()) {
    const { firstLine, rateLines: _r, ...content } = p;
    const currencies = new Set(
      [
        ...content.orders,
        ...content.refunds,
        ...content.chargebackFees,
        ...content.reserve,
        ...(content.disputes ?? []),
        ...(content.balanceForward ?? []),
      ].map((d) => d.currency),
    );
    for (const c of currencies) {
      if (c !== content.currency && content.rates[c] === undefined)
        problems.push(
          `payout ${content.reference} (from line ${firstLine}): ${c} rows but no ${c}→${content.currency} rate${cols.rate ? ` in column "${cols.rate}"` : ': map payouts.csvImport.columns.rate'}`,
        );
    }
    if (content.transfers?.length) {
      content.status = 'PARTIALLY_PAID';
      const e = exponentOf(content.currency);
      const paid: Minor = content.transfers.reduce((a, t) => a + toMinor(t.amount, e), 0n);
      if (paid > toMinor(content.amount, e) && toMinor(content.amount, e) > 0n)
        problems.push(
          `payout ${content.reference}: its transfers add up to ${formatMinor(paid, e)}, more than its amount ${content.amount}`,
        );
    }
    out.push(content);
  }
  return { payouts: problems.length > 0 ? [] : out, problems };
}

function dateOf(text: string, format: PayoutCsvImport['dateFormat']): string | undefined {
  const parts = text.match(/\d+/g);
  if (!parts || parts.length < 3) return undefined;
  const order = format.match(/YYYY|MM|DD/g)!;
  const get = (k: string) => parts[order.indexOf(k)] ?? '';
  const y = get('YYYY');
  const m = get('MM').padStart(2, '0');
  const d = get('DD').padStart(2, '0');
  const iso = `${y}-${m}-${d}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const t = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(iso) ? iso : undefined;
}
