// A payout 2Checkout revised or cancelled after its entry was posted. What NetSuite holds for the
// payout (its entry plus earlier corrections, read back line by line) is compared with what the
// payout books today; when 2Checkout's figures changed, a correcting journal posts exactly the
// difference, per account and per covered document, so the original entry stays visible and the
// books end where the revised payout puts them (a cancelled payout: every line reversed). Pure.
import { documentOfMemo, type PayoutLine } from './payout-entry.js';
import { toMinor, type Minor } from './money.js';

/** One line of what NetSuite already holds for a payout (payout-currency minor units, debit > 0). */
export interface PostedLine {
  account: string;
  amount: Minor;
  /** externalId of the covered document the line relieves. */
  document?: string;
  memo?: string;
}

type Line = Pick<PayoutLine, 'account' | 'amount'> & { memo?: string; document?: { externalId: string } | string };

const docOf = (l: Line): string | undefined => (typeof l.document === 'string' ? l.document : l.document?.externalId);
const keyOf = (l: Line): string => `${l.account}|${docOf(l) ?? ''}`;

/** target − posted, per account and covered document; zero differences left out. */
export function revisionLines(target: readonly Line[], posted: readonly PostedLine[]): PostedLine[] {
  const diff = new Map<string, PostedLine>();
  const add = (l: Line, sign: 1n | -1n) => {
    const k = keyOf(l);
    const doc = docOf(l);
    const cur: PostedLine = diff.get(k) ?? {
      account: l.account,
      amount: 0n,
      ...(doc ? { document: doc } : {}),
      ...(l.memo !== undefined ? { memo: l.memo } : {}),
    };
    cur.amount += sign * l.amount;
    diff.set(k, cur);
  };
  for (const l of target) add(l, 1n);
  for (const l of posted) add(l, -1n);
  return [...diff.values()].filter((l) => l.amount !== 0n);
}

/**
 * Why the posted entry no longer matches 2Checkout, or undefined when it does. Only what 2Checkout
 * decides counts: the money (bank and 2Checkout balance) and the covered documents. A mapping
 * changed since posting (another commission account) is not a revision: nothing is re-booked.
 */
export function revisionReason(
  target: readonly Line[],
  posted: readonly PostedLine[],
  moneyAccounts: ReadonlySet<string>,
  format: (m: Minor) => string,
): string | undefined {
  const money = (ls: readonly Line[]) =>
    ls.filter((l) => moneyAccounts.has(l.account) && !docOf(l)).reduce((a, l) => a + l.amount, 0n);
  const docs = (ls: readonly Line[]) => {
    const m = new Map<string, Minor>();
    for (const l of ls) {
      const d = docOf(l);
      if (d) m.set(d, (m.get(d) ?? 0n) + l.amount);
    }
    return m;
  };
  const reasons: string[] = [];
  const now = money(target);
  const before = money(posted);
  if (now !== before) reasons.push(`2Checkout now reports ${format(now)} (was ${format(before)})`);
  const t = docs(target);
  const p = docs(posted);
  // An entry posted before lines carried their document (one clearing line per account) cannot be
  // compared document by document: only its money says whether 2Checkout changed it.
  if (p.size === 0 && posted.length > 0) return reasons.length ? reasons.join('; ') : undefined;
  const added = [...t.keys()].filter((d) => (p.get(d) ?? 0n) === 0n && t.get(d) !== 0n);
  const removed = [...p.keys()].filter((d) => (t.get(d) ?? 0n) === 0n && p.get(d) !== 0n);
  const changed = [...t.keys()].filter((d) => p.has(d) && p.get(d) !== 0n && t.get(d) !== p.get(d));
  if (added.length) reasons.push(`covers ${added.length} more document(s): ${added.slice(0, 5).join(', ')}`);
  if (removed.length) reasons.push(`no longer covers ${removed.slice(0, 5).join(', ')}`);
  if (changed.length) reasons.push(`values changed for ${changed.slice(0, 5).join(', ')}`);
  return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * What NetSuite holds as paid for a payout: its bank lines, or for a negative payout the line that
 * put the amount on the 2Checkout balance (a balance carried from an earlier payout is not paid).
 */
export function postedPaid(
  lines: readonly PostedLine[],
  bankAccount: string | undefined,
  receivableAccount: string | undefined,
): Minor {
  return lines
    .filter(
      (l) =>
        !l.document &&
        (l.account === bankAccount ||
          (l.account === receivableAccount && /was negative: 2Checkout carries/.test(l.memo ?? ''))),
    )
    .reduce((a, l) => a + l.amount, 0n);
}

/** What NetSuite holds for one posted record (journal entry or deposit), read from its body with sublists. */
export function postedLinesOf(
  type: string,
  record: Record<string, unknown>,
  exponent: number,
  documentById: (internalId: string) => { externalId: string; account: string; kind: 'sale' | 'refund' } | undefined,
): PostedLine[] {
  const items = (name: string): Array<Record<string, unknown>> => {
    const sub = record[name] as { items?: unknown } | undefined;
    return Array.isArray(sub?.items) ? (sub.items as Array<Record<string, unknown>>) : [];
  };
  const money = (v: unknown): Minor =>
    typeof v === 'number' || typeof v === 'string' ? toMinor(String(v), exponent) : 0n;
  const idOf = (v: unknown): string | undefined => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    const id = (v as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  };
  const line = (account: string | undefined, amount: Minor, memo: unknown): PostedLine[] => {
    if (!account || amount === 0n) return [];
    const m = typeof memo === 'string' ? memo : undefined;
    const doc = documentOfMemo(m);
    return [{ account, amount, ...(doc ? { document: doc } : {}), ...(m ? { memo: m } : {}) }];
  };
  if (type === 'journalEntry')
    return items('line').flatMap((l) => line(idOf(l.account), money(l.debit) - money(l.credit), l.memo));
  const out: PostedLine[] = [...line(idOf(record.account), money(record.total), record.memo)];
  for (const l of items('payment')) {
    if (l.deposit === false) continue;
    const d = documentById(idOf(l.id) ?? idOf(l.doc) ?? '');
    if (!d) continue;
    const a = money(l.paymentAmount ?? l.amount);
    const abs = a < 0n ? -a : a;
    out.push({ account: d.account, amount: d.kind === 'sale' ? -abs : abs, document: d.externalId });
  }
  for (const l of items('other')) out.push(...line(idOf(l.account), -money(l.amount), l.memo));
  for (const l of items('cashback')) out.push(...line(idOf(l.account), money(l.amount), l.memo));
  return out;
}
