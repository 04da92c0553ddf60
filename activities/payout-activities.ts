// Payout activities over injected clients: 2Checkout's payouts API (read) and NetSuite (look-ups
// and one write per payout). The write is exactly once: the record is looked up by its externalId
// (both record types, in case `posting` changed between runs) before it is created, and a create
// refused because it already exists reads it back.
import { ApplicationFailure } from '@temporalio/common';
import { externalIds } from '../mappings/ids.js';
import { minorToNumber, multiply, toMinor, type Minor } from '../mappings/money.js';
import { coveredOrders, payoutFigures, type PayoutContent } from '../mappings/payout-amounts.js';
import { buildPayoutEntry, depositBody, journalEntryBody } from '../mappings/payout-entry.js';
import { payoutContentFrom } from '../mappings/payout-from-2checkout.js';
import { payoutReport, type PayoutReport } from '../mappings/payout-report.js';
import { MappingError } from '../mappings/errors.js';
import { mappingFileOf, resolveCurrency } from '../mappings/resolve.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import type { SuiteQlRow } from '../netsuite/types.js';
import { joinSql, suiteql } from '../netsuite/suiteql.js';
import { callOptions, temporalActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import type { ParkDetails } from '../mappings/sync-types.js';
import { withActivityFailures } from './failures.js';
import { isAlreadyExists, readByExternalId } from './idempotent-writes.js';
import type { PayoutActivities, PayoutReadiness } from '../workflows/payout-contract.js';

const RECORD_TYPES = ['journalEntry', 'deposit'] as const;
const CHUNK = 40;

function park(details: ParkDetails): ApplicationFailure {
  return ApplicationFailure.create({ message: details.message, type: 'MappingError', nonRetryable: true, details: [details] });
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

interface Booked {
  type: string;
  externalId: string;
  currency: string;
  amount: string;
  rate: number;
  subsidiary: string;
}

/** The subsidiary a payout is booked in: by payout currency, else `payouts.subsidiary`, else the routing default. */
function payoutSubsidiary(content: PayoutContent, config: MappingConfig): string | undefined {
  return config.payouts.subsidiaryByCurrency[content.currency] ?? config.payouts.subsidiary ?? config.routing.defaults.subsidiary;
}

/** The report of a payout posted earlier that today's mapping cannot explain (e.g. an account removed since). */
function unexplained(content: PayoutContent, why: string): PayoutReport {
  return { reference: content.reference, currency: content.currency, date: content.date, amount: content.amount, expected: '', residue: '', byCurrency: [], lines: [], fx: '', variance: '', note: why };
}

export function createPayoutActivities(deps: NetSuiteActivityDeps): PayoutActivities {
  const ns = deps.netsuite;
  const logger = deps.logger ?? temporalActivityLogger;
  const run = <T>(name: string, reference: string, fn: () => Promise<T>) => withActivityFailures(fn, logger, { activity: name, payout: reference });

  async function findPosted(reference: string): Promise<PayoutReadiness['posted']> {
    const externalId = externalIds.payout(reference);
    for (const type of RECORD_TYPES) {
      const found = await readByExternalId(ns, type, externalId, callOptions('money'));
      if (found) return { type, id: found.id, externalId };
    }
    return undefined;
  }

  /** The NetSuite payments, cash sales and refunds of the covered orders, by externalId. */
  async function bookedDocuments(content: PayoutContent, config: MappingConfig): Promise<{ booked: Map<string, Booked[]>; missing: string[] }> {
    const { sales, refunds } = coveredOrders(content);
    const refs = [...new Set([...sales, ...refunds.keys()])];
    const byCurrencyId = new Map(Object.entries(config.currencies).map(([code, c]) => [c.id, code]));
    const booked = new Map<string, Booked[]>();
    for (let i = 0; i < refs.length; i += CHUNK) {
      const chunk = refs.slice(i, i + CHUNK);
      const exact = chunk.flatMap((ref) => [externalIds.customerPayment(ref), externalIds.cashSale(ref)]);
      // Prefix matches (checked exactly below: `_` in a REFNO would widen them).
      const prefixes = chunk.flatMap((ref) => [`${externalIds.customerRefund(ref, 'x').slice(0, -1)}%`, `${externalIds.creditMemo(ref, 'x').slice(0, -1)}%`]);
      const where = joinSql([suiteql`externalid IN (${exact})`, ...prefixes.map((p) => suiteql`externalid LIKE ${p}`)], ' OR ');
      const rows: SuiteQlRow[] = await ns.suiteqlAll(suiteql`SELECT id, externalid, type, foreigntotal, exchangerate, currency, subsidiary FROM transaction WHERE ${where}`, callOptions('money'));
      for (const row of rows) {
        const eid = String(row.externalid ?? '');
        const ref = chunk.find((r) => eid === externalIds.customerPayment(r) || eid === externalIds.cashSale(r) || eid.startsWith(`${externalIds.customerRefund(r, 'x').slice(0, -1)}`) || eid.startsWith(`${externalIds.creditMemo(r, 'x').slice(0, -1)}`));
        const type = String(row.type ?? '');
        // A credit memo (CustCred) does not move money; only its customer refund or a cash refund does.
        if (!ref || type === 'CustCred') continue;
        const list = booked.get(ref) ?? [];
        list.push({ type, externalId: eid, currency: byCurrencyId.get(String(row.currency ?? '')) ?? `#${String(row.currency)}`, amount: String(row.foreigntotal ?? '0').replace(/^-/, ''), rate: Number(row.exchangerate ?? 1), subsidiary: String(row.subsidiary ?? '') });
        booked.set(ref, list);
      }
    }
    const missing: string[] = [];
    for (const ref of sales) if (!(booked.get(ref) ?? []).some((b) => b.type === 'CustPymt' || b.type === 'CashSale')) missing.push(ref);
    for (const [ref, r] of refunds) {
      const e = resolveCurrency(r.currency, config).exponent;
      const found = (booked.get(ref) ?? []).filter((b) => b.type === 'CustRfnd' || b.type === 'CashRfnd').reduce((a, b) => a + toMinor(b.amount, e), 0n);
      if (found < toMinor(r.amount, e)) missing.push(`${ref} refund`);
    }
    return { booked, missing };
  }

  /** Per order currency, what the clearing account holds for the covered documents, in payout-currency minor units. */
  function bookValues(content: PayoutContent, booked: Map<string, Booked[]>, config: MappingConfig): Record<string, Minor> {
    const P = content.currency;
    const eP = resolveCurrency(P, config).exponent;
    const sub = payoutSubsidiary(content, config);
    const file = mappingFileOf(config);
    const toP = (b: Booked, amount: string): Minor => {
      const eC = resolveCurrency(b.currency, config).exponent;
      // NetSuite cannot clear one subsidiary's account from another subsidiary's entry.
      if (sub && b.subsidiary && b.subsidiary !== sub) {
        throw new MappingError(
          'PAYOUT_UNSUPPORTED',
          `payout ${content.reference} covers ${b.externalId}, booked in subsidiary ${b.subsidiary}, but ${content.currency} payouts post in subsidiary ${sub}: one payout entry cannot clear another subsidiary's account. Fix: route this 2Checkout account's orders to one subsidiary (routing in ${file}) or payouts.subsidiaryByCurrency, or book this payout by hand and skip it`,
          'payouts.subsidiary',
        );
      }
      if (b.currency === P) return toMinor(amount, eP);
      // A transaction's exchange rate converts into its subsidiary's base currency.
      const base = config.subsidiaries[b.subsidiary || sub || '']?.baseCurrency;
      if (base !== P) {
        throw new MappingError(
          'PAYOUT_UNSUPPORTED',
          `payout ${content.reference} pays ${b.currency} documents in ${P}, which is not the base currency of their subsidiary (${base ?? `unknown: add subsidiaries."${b.subsidiary || sub}".baseCurrency`}): NetSuite holds those payments at its own ${b.currency} rate and only a base-currency payout can clear them. Fix: the mapping in ${file}, or book this payout by hand and skip it`,
          'payouts.subsidiary',
        );
      }
      return multiply(toMinor(amount, eC), eC, String(b.rate), eP);
    };
    const out: Record<string, Minor> = {};
    const add = (c: string, m: Minor) => (out[c] = (out[c] ?? 0n) + m);
    const { refunds } = coveredOrders(content);
    for (const o of content.orders) {
      const sale = (booked.get(o.refNo) ?? []).find((b) => b.type === 'CustPymt' || b.type === 'CashSale');
      if (sale) add(o.currency, toP(sale, sale.amount));
    }
    for (const [ref, r] of refunds) {
      // The refund the payout deducts, at the rate NetSuite booked it (several refunds may exist; this payout deducts its own amount).
      const doc = (booked.get(ref) ?? []).find((b) => b.type === 'CustRfnd' || b.type === 'CashRfnd');
      if (doc) add(r.currency, -toP(doc, r.amount));
    }
    return out;
  }

  return {
    async payoutSettings() {
      const p = deps.mappings.current().payouts;
      return { waitForPaymentsMs: durationMs(p.waitForPayments), recheckEveryMs: durationMs(p.recheckEvery) };
    },

    fetchPayout: ({ reference }) =>
      run('fetchPayout', reference, async () => {
        if (!deps.payouts) throw park({ reason: 'PAYOUT_UNSUPPORTED', message: 'the worker has no 2Checkout API client: set TWOCHECKOUT_VENDOR_CODE and TWOCHECKOUT_API_SECRET_KEY for the worker, restart it, then retry' });
        const detail = await deps.payouts.getPayout(reference);
        if (!detail) throw park({ reason: 'PAYOUT_UNSUPPORTED', message: `2Checkout does not know payout ${reference}: check the reference (invoice PREFIX+number), then retry or skip` });
        return payoutContentFrom(detail);
      }),

    listPayoutReferences: ({ lookbackDays }) =>
      run('listPayoutReferences', '*', async () => {
        if (!deps.payouts) throw park({ reason: 'PAYOUT_UNSUPPORTED', message: 'the worker has no 2Checkout API client: set TWOCHECKOUT_VENDOR_CODE and TWOCHECKOUT_API_SECRET_KEY for the worker' });
        const start = new Date(Date.now() - lookbackDays * 86_400_000).toISOString().slice(0, 10);
        const list = await deps.payouts.listPayouts({ StartDate: start, OrderBy: 'TransferCompletionDate' });
        return list.filter((p) => p.Status !== 'CANCELED').map((p) => p.Reference);
      }),

    payoutReadiness: ({ content }) =>
      run('payoutReadiness', content.reference, async () => {
        const posted = await findPosted(content.reference);
        if (posted) return { posted, missing: [] };
        const { missing } = await bookedDocuments(content, deps.mappings.current());
        return { missing };
      }),

    postPayout: ({ content }) =>
      run('postPayout', content.reference, async () => {
        const config = deps.mappings.current();
        const exp = (c: string) => resolveCurrency(c, config).exponent;
        const posted = await findPosted(content.reference);
        const explain = async () => {
          const fig = payoutFigures(content, exp);
          const { booked, missing } = await bookedDocuments(content, config);
          const entry = buildPayoutEntry(fig, bookValues(content, booked, config), config.payouts, mappingFileOf(config));
          return { fig, entry, missing, report: payoutReport(fig, entry, content.date, exp) };
        };
        if (posted) {
          // Already in NetSuite: never park or write again; explain it with today's mapping when possible.
          try {
            return { ...(await explain()).report, record: { ...posted, created: false } };
          } catch (e) {
            if (!(e instanceof MappingError)) throw e;
            return { ...unexplained(content, e.message), record: { ...posted, created: false } };
          }
        }
        const { fig, entry, missing, report } = await explain();
        if (missing.length > 0) {
          throw park({ reason: 'PAYOUT_PAYMENTS_MISSING', message: `payout ${content.reference} covers documents not in NetSuite: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}. Sync those orders (npm run ops / backfill), then retry` });
        }
        const type = config.payouts.posting === 'deposit' ? 'deposit' : 'journalEntry';
        const sub = payoutSubsidiary(content, config);
        const ctx = { currencyId: resolveCurrency(content.currency, config).id, ...(sub ? { subsidiary: sub } : {}) };
        const body = type === 'deposit' ? depositBody(fig, entry, content.date, ctx) : journalEntryBody(fig, entry, content.date, ctx);
        let id: string;
        let created = true;
        try {
          id = (await ns.create(type, body, callOptions('money'))).id;
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          const again = await findPosted(content.reference);
          if (!again) throw e;
          id = again.id;
          created = false;
        }
        logger.info({ payout: content.reference, type, id, created, amount: minorToNumber(fig.amount, fig.exponent), variance: report.variance }, 'payout posted');
        return { ...report, record: { type, id, externalId: entry.externalId, created } };
      }),
  };
}
