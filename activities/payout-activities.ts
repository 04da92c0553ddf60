// Payout activities over injected clients: 2Checkout's payouts API (read) and NetSuite (look-ups
// and the payout's writes). Every write is exactly once by externalId: the payout's entry (one per
// transfer of a partially paid payout) is looked up with its revisions before anything is
// created, a create refused because it already exists reads it back, and a revision is keyed by
// its number. The ledger is read, not assumed: each covered document's account and booked value
// come from its accounting line (payout-ledger-reads.ts), and a revised or cancelled payout is
// corrected by a journal of exactly the difference (mappings/payout-revision.ts).
import { ApplicationFailure } from '@temporalio/common';
import { externalIds } from '../mappings/ids.js';
import { formatMinor, minorToNumber, toMinor, type Minor } from '../mappings/money.js';
import { payoutFigures, type PayoutContent, type PayoutFigures } from '../mappings/payout-amounts.js';
import {
  buildPayoutEntry,
  depositBody,
  journalEntryBody,
  payoutRecordType,
  type PayoutEntry,
} from '../mappings/payout-entry.js';
import { payoutContentFrom, transferIdOf } from '../mappings/payout-from-2checkout.js';
import {
  coveredDocuments,
  PayoutLedgerError,
  type CoveredDocuments,
  type LedgerDocument,
  type LedgerRules,
} from '../mappings/payout-ledger.js';
import { payoutReport, type PayoutRecordRef, type PayoutReport } from '../mappings/payout-report.js';
import { reserveReleasedBook, reserveReleasesAtCurrentRate } from '../mappings/payout-reserve.js';
import {
  postedLinesOf,
  postedPaid,
  revisionLines,
  revisionReason,
  type PostedLine,
} from '../mappings/payout-revision.js';
import { MappingError } from '../mappings/errors.js';
import { mappingFileOf, resolveCurrency } from '../mappings/resolve.js';
import type { MappingConfig } from '../mappings/config-schema.js';
import { writeInOpenPeriod } from './posting-periods.js';
import type { ParkDetails } from '../mappings/sync-types.js';
import { callOptions, temporalActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import { withActivityFailures } from './failures.js';
import { isAlreadyExists } from './idempotent-writes.js';
import { readCoveredLedger, readPostedPayout, type PostedPayoutRecord } from './payout-ledger-reads.js';
import type { PayoutActivities, PayoutReadiness, PayoutRevision, PayoutSummary } from '../workflows/payout-contract.js';

function park(details: ParkDetails): ApplicationFailure {
  return ApplicationFailure.create({
    message: details.message,
    type: 'MappingError',
    nonRetryable: true,
    details: [details],
  });
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

/** The subsidiary a payout is booked in: by payout currency, else `payouts.subsidiary`, else the routing default. */
function payoutSubsidiary(content: PayoutContent, config: MappingConfig): string | undefined {
  return (
    config.payouts.subsidiaryByCurrency[content.currency] ??
    config.payouts.subsidiary ??
    config.routing.defaults.subsidiary
  );
}

/** The report of a payout whose figures today's mapping cannot explain (e.g. an account removed since it was posted). */
function unexplained(content: PayoutContent, why: string): PayoutReport {
  return {
    reference: content.reference,
    currency: content.currency,
    date: content.date,
    amount: content.amount,
    expected: '',
    residue: '',
    byCurrency: [],
    lines: [],
    fx: '',
    variance: '',
    note: why,
  };
}

const refOf = (
  r: PostedPayoutRecord,
  created: boolean,
  kind: PayoutRecordRef['kind'],
  note?: string,
): PayoutRecordRef => ({
  type: r.type,
  id: r.id,
  externalId: r.externalId,
  created,
  ...(kind ? { kind } : {}),
  ...(note ? { note } : {}),
});

export function createPayoutActivities(deps: NetSuiteActivityDeps): PayoutActivities {
  const ns = deps.netsuite;
  const logger = deps.logger ?? temporalActivityLogger;
  const run = <T>(name: string, reference: string, fn: () => Promise<T>) =>
    withActivityFailures(fn, logger, { activity: name, payout: reference });

  function ledgerRules(content: PayoutContent, config: MappingConfig, entryExternalId: string): LedgerRules {
    const p = config.payouts;
    const r = config.refunds;
    const transfers = `${externalIds.payout(content.reference)}-t-`;
    return {
      payoutCurrency: content.currency,
      ...(payoutSubsidiary(content, config) ? { payoutSubsidiary: payoutSubsidiary(content, config)! } : {}),
      baseCurrencyOf: (s) => config.subsidiaries[s]?.baseCurrency,
      exponents: (c) => resolveCurrency(c, config).exponent,
      clearingAccounts: new Set([
        ...Object.values(p.clearingAccounts),
        ...(p.clearingAccountDefault ? [p.clearingAccountDefault] : []),
      ]),
      refundAccounts: new Set([
        ...(r.chargebackAccount ? [r.chargebackAccount] : []),
        ...Object.values(r.chargebackAccountByCurrency),
        ...Object.values(r.accountByPaymentMethod),
      ]),
      ...(p.undepositedFundsAccount ? { undepositedFunds: p.undepositedFundsAccount } : {}),
      posting: p.posting,
      sameReference: (family) => family !== entryExternalId && family.startsWith(transfers),
      file: mappingFileOf(config),
    };
  }

  /** The covered documents of one entry, checked against the ledger; payments our own deposit took count as ours. */
  async function covered(
    content: PayoutContent,
    config: MappingConfig,
    entryExternalId: string,
    posted: PostedPayoutRecord[],
  ): Promise<{ docs: LedgerDocument[]; covered: CoveredDocuments }> {
    const docs = await readCoveredLedger(ns, content, config, (family) => family === entryExternalId);
    const ours = new Set(
      posted
        .filter((r) => r.type === 'deposit')
        .flatMap((r) =>
          ((r.body.payment as { items?: Array<{ id?: unknown }> } | undefined)?.items ?? []).map((l) => String(l.id)),
        ),
    );
    for (const d of docs) if (ours.has(d.id)) delete d.deposited;
    return { docs, covered: coveredDocuments(content, docs, ledgerRules(content, config, entryExternalId)) };
  }

  function postedLines(posted: PostedPayoutRecord[], docs: LedgerDocument[], exponent: number): PostedLine[] {
    const byId = new Map(docs.map((d) => [d.id, { externalId: d.externalId, account: d.account, kind: d.kind }]));
    return posted.flatMap((r) => postedLinesOf(r.type, r.body, exponent, (id) => byId.get(id)));
  }

  /** Creates the record; "already exists" (a retry after a lost answer) reads it back. */
  async function create(
    type: 'journalEntry' | 'deposit',
    externalId: string,
    body: Record<string, unknown>,
  ): Promise<{ id: string; created: boolean }> {
    try {
      const opts = callOptions('money');
      // A payout dated in a closed period follows periods.whenClosed like every other transaction.
      const write = {
        ns,
        config: deps.mappings.current(),
        what: { refNo: externalId, record: `payout ${type === 'deposit' ? 'deposit' : 'journal'}` },
        ledger: 'gl' as const,
        opts,
      };
      return { id: (await writeInOpenPeriod(write, body, (b) => ns.create(type, b, opts))).id, created: true };
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const again = await ns.get(type, `eid:${externalId}`, callOptions('money'));
      if (!again) throw e;
      return { id: String(again.id), created: false };
    }
  }

  /** A correcting journal of exactly `lines` (the revised payout minus what NetSuite holds), keyed by its number. */
  async function postRevision(
    content: PayoutContent,
    config: MappingConfig,
    entryExternalId: string,
    n: number,
    lines: PostedLine[],
    why: string,
  ): Promise<PayoutRecordRef> {
    const e = resolveCurrency(content.currency, config).exponent;
    const externalId = externalIds.payoutRevision(entryExternalId, n);
    const sub = payoutSubsidiary(content, config);
    const memoOf = (l: PostedLine) =>
      l.document && l.memo
        ? `${l.memo.replace(/, revision \d+$/, '')}, revision ${n}`
        : `revision ${n} of payout ${content.reference}: ${l.memo ?? `account ${l.account}`}`.slice(0, 999);
    const body = {
      externalId,
      tranDate: content.date,
      currency: { id: resolveCurrency(content.currency, config).id },
      ...(sub ? { subsidiary: { id: sub } } : {}),
      memo: `2Checkout payout ${content.reference} revised: ${why}`.slice(0, 999),
      line: {
        items: lines.map((l) => ({
          account: { id: l.account },
          ...(l.amount > 0n ? { debit: minorToNumber(l.amount, e) } : { credit: minorToNumber(-l.amount, e) }),
          memo: memoOf(l),
        })),
      },
    };
    const r = await create('journalEntry', externalId, body);
    logger.info({ payout: content.reference, revision: n, id: r.id, created: r.created }, 'payout revised');
    return { type: 'journalEntry', id: r.id, externalId, created: r.created, kind: 'revision', note: why };
  }

  /** The entry a payout (or one transfer of it) books today, with its report. */
  function explain(
    content: PayoutContent,
    config: MappingConfig,
    cov: CoveredDocuments,
    transfer?: { id: string; amount: string; date: string },
  ): { fig: PayoutFigures; entry: PayoutEntry; report: PayoutReport } {
    const exp = (c: string) => resolveCurrency(c, config).exponent;
    const fig = payoutFigures(content, exp);
    const entry = buildPayoutEntry(
      fig,
      {
        documents: cov.documents,
        relievedEarlier: cov.relievedEarlier,
        reserveReleasedBook: reserveReleasedBook(content, exp),
      },
      config.payouts,
      {
        file: mappingFileOf(config),
        ...(transfer ? { transfer: { id: transfer.id, amount: toMinor(transfer.amount, fig.exponent) } } : {}),
      },
    );
    const report = payoutReport(fig, entry, transfer?.date ?? content.date, exp, cov.documents);
    const atRate = reserveReleasesAtCurrentRate(content);
    const notes = [
      ...(atRate.length
        ? [
            `the ${atRate.join(', ')} reserve released is valued at this payout's rate: 2Checkout did not say at which rate it was held`,
          ]
        : []),
    ];
    return {
      fig,
      entry,
      report: {
        ...report,
        ...(cov.relievedEarlier ? { relievedEarlier: true } : {}),
        ...(notes.length ? { note: notes.join('; ') } : {}),
      },
    };
  }

  function bodyOf(
    type: 'journalEntry' | 'deposit',
    content: PayoutContent,
    config: MappingConfig,
    fig: PayoutFigures,
    entry: PayoutEntry,
    date: string,
  ): Record<string, unknown> {
    const sub = payoutSubsidiary(content, config);
    const bankAccount = config.payouts.bankAccounts[content.currency];
    const ctx = {
      currencyId: resolveCurrency(content.currency, config).id,
      ...(sub ? { subsidiary: sub } : {}),
      ...(bankAccount ? { bankAccount } : {}),
    };
    return type === 'deposit' ? depositBody(fig, entry, date, ctx) : journalEntryBody(fig, entry, date, ctx);
  }

  function missingPark(content: PayoutContent, missing: string[]): ApplicationFailure {
    return park({
      reason: 'PAYOUT_PAYMENTS_MISSING',
      message: `payout ${content.reference} covers documents not in NetSuite: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}. Sync those orders (npm run ops / backfill), then retry`,
    });
  }

  /** A PAID payout (or a CANCELED one): its entry, and a revision when 2Checkout's figures changed since. */
  async function postWhole(content: PayoutContent, config: MappingConfig): Promise<PayoutReport> {
    const e = resolveCurrency(content.currency, config).exponent;
    const entryId = externalIds.payout(content.reference);
    const posted = await readPostedPayout(ns, entryId);
    const revisions = posted.length - 1;
    const records = posted.map((r, i) =>
      refOf(r, false, i === 0 ? 'payout' : 'revision', i === 0 ? undefined : String(r.body.memo ?? '')),
    );
    const money = new Set(
      [config.payouts.bankAccounts[content.currency], config.payouts.accounts.receivable].filter(
        (x): x is string => x !== undefined,
      ),
    );
    const format = (m: Minor) => `${formatMinor(m, e)} ${content.currency}`;

    if (content.status === 'CANCELED') {
      if (posted.length === 0)
        return {
          ...unexplained(content, `2Checkout cancelled payout ${content.reference}: nothing was posted`),
          records: [],
        };
      const docs = await readCoveredLedger(ns, content, config, (f) => f === entryId).catch(() => []);
      const reversal = revisionLines([], postedLines(posted, docs, e));
      const uf = config.payouts.undepositedFundsAccount;
      if (uf && reversal.some((l) => l.account === uf)) {
        throw new PayoutLedgerError(
          `2Checkout cancelled payout ${content.reference}, whose deposit ${records[0]?.id} selected payments out of Undeposited Funds: a journal cannot put them back. Fix: delete or edit deposit ${records[0]?.id} in NetSuite by hand so the payments are undeposited again, then skip`,
        );
      }
      if (reversal.length === 0)
        return {
          ...unexplained(content, `2Checkout cancelled payout ${content.reference}; its entry is reversed`),
          records,
        };
      const rev = await postRevision(
        content,
        config,
        entryId,
        revisions + 1,
        reversal,
        '2Checkout cancelled it: every line reversed',
      );
      return {
        ...unexplained(
          content,
          `2Checkout cancelled payout ${content.reference}: its entry ${records[0]?.id} is reversed by ${rev.id}`,
        ),
        records: [...records, rev],
      };
    }

    let target: {
      fig: PayoutFigures;
      entry: PayoutEntry;
      report: PayoutReport;
      docs: LedgerDocument[];
      missing: string[];
    };
    try {
      const { docs, covered: cov } = await covered(content, config, entryId, posted);
      target = { ...explain(content, config, cov), docs, missing: cov.missing };
    } catch (err) {
      if (!(err instanceof MappingError) || posted.length === 0) throw err;
      // Posted before and today's mapping cannot explain it: leave it unless 2Checkout's amount changed.
      const docs = await readCoveredLedger(ns, content, config, (f) => f === entryId).catch(() => []);
      const held = postedPaid(
        postedLines(posted, docs, e),
        config.payouts.bankAccounts[content.currency],
        config.payouts.accounts.receivable,
      );
      if (held === toMinor(content.amount, e))
        return { ...unexplained(content, err.message), record: records[0]!, records };
      throw err;
    }
    if (target.missing.length > 0) throw missingPark(content, target.missing);
    const { fig, entry, report } = target;

    if (posted.length === 0) {
      const type = payoutRecordType(entry, config.payouts.posting);
      const r = await create(type, entry.externalId, bodyOf(type, content, config, fig, entry, content.date));
      const rec: PayoutRecordRef = { type, id: r.id, externalId: entry.externalId, created: r.created, kind: 'payout' };
      logger.info(
        { payout: content.reference, type, id: r.id, created: r.created, variance: report.variance },
        'payout posted',
      );
      return { ...report, record: rec, records: [rec] };
    }
    const before = postedLines(posted, target.docs, e);
    const why = revisionReason(entry.lines, before, money, format);
    if (!why) return { ...report, record: records[0]!, records };
    const diff = revisionLines(entry.lines, before);
    const uf = config.payouts.undepositedFundsAccount;
    if (uf && diff.some((l) => l.account === uf)) {
      throw new PayoutLedgerError(
        `payout ${content.reference} was revised (${why}) and the change touches payments its deposit ${records[0]?.id} selected out of Undeposited Funds: a journal cannot select or release them. Fix: edit deposit ${records[0]?.id} in NetSuite by hand (add or remove the payment lines), then skip; or retry after the deposit matches`,
      );
    }
    const rev = await postRevision(content, config, entryId, revisions + 1, diff, why);
    return {
      ...report,
      record: records[0]!,
      records: [...records, rev],
      note: [report.note, `revised: ${why}`].filter(Boolean).join('; '),
    };
  }

  /** PARTIALLY_PAID: one entry per transfer; the first relieves the documents, the later ones move what 2Checkout still owed. */
  async function postTransfers(content: PayoutContent, config: MappingConfig): Promise<PayoutReport> {
    const records: PayoutRecordRef[] = [];
    let last: PayoutReport | undefined;
    for (const t of content.transfers ?? []) {
      const entryId = externalIds.payoutTransfer(content.reference, t.id);
      const posted = await readPostedPayout(ns, entryId);
      const { covered: cov } = await covered(content, config, entryId, posted);
      if (cov.missing.length > 0) throw missingPark(content, cov.missing);
      const { fig, entry, report } = explain(content, config, cov, t);
      last = report;
      if (posted.length > 0) {
        records.push(...posted.map((r, i) => refOf(r, false, i === 0 ? 'transfer' : 'revision')));
        continue;
      }
      const type = payoutRecordType(entry, config.payouts.posting);
      const r = await create(type, entry.externalId, bodyOf(type, content, config, fig, entry, t.date));
      records.push({
        type,
        id: r.id,
        externalId: entry.externalId,
        created: r.created,
        kind: 'transfer',
        note: `transfer ${t.id}: ${t.amount} ${content.currency} on ${t.date}`,
      });
      logger.info(
        { payout: content.reference, transfer: t.id, type, id: r.id, created: r.created },
        'payout transfer posted',
      );
    }
    if (!last)
      throw park({
        reason: 'PAYOUT_UNSUPPORTED',
        message: `payout ${content.reference} is PARTIALLY_PAID but 2Checkout lists no transfer for it: check it in 2Checkout, then retry or skip`,
      });
    const paid = (content.transfers ?? []).reduce(
      (a, t) => a + toMinor(t.amount, resolveCurrency(content.currency, config).exponent),
      0n,
    );
    return {
      ...last,
      amount: formatMinor(paid, resolveCurrency(content.currency, config).exponent),
      record: records.at(-1)!,
      records,
    };
  }

  return {
    async payoutSettings() {
      const p = deps.mappings.current().payouts;
      return { waitForPaymentsMs: durationMs(p.waitForPayments), recheckEveryMs: durationMs(p.recheckEvery) };
    },

    fetchPayout: ({ reference }) =>
      run('fetchPayout', reference, async () => {
        if (!deps.payouts)
          throw park({
            reason: 'PAYOUT_UNSUPPORTED',
            message:
              'the worker has no 2Checkout API client: set TWOCHECKOUT_VENDOR_CODE and TWOCHECKOUT_API_SECRET_KEY for the worker, restart it, then retry (or import the payout from a CSV export: npm run payouts -- import <file>)',
          });
        const detail = await deps.payouts.getPayout(reference);
        if (!detail)
          throw park({
            reason: 'PAYOUT_UNSUPPORTED',
            message: `2Checkout does not know payout ${reference}: check the reference (invoice PREFIX+number), then retry or skip`,
          });
        const listed =
          detail.Status === 'PARTIALLY_PAID' && detail.Transfers.length === 0
            ? await deps.payouts.listPayouts({ Reference: reference })
            : [];
        const content = payoutContentFrom(detail, listed);
        // A reserve released in another currency is relieved at the rate of the payout that held it.
        for (const r of content.reserve) {
          if (r.kind !== 'released' || r.heldRate !== undefined || !r.heldIn || r.currency === content.currency)
            continue;
          const earlier = await deps.payouts.getPayout(r.heldIn);
          const rate = earlier?.ExchangeRates.find((x) => x.From === r.currency && x.To === content.currency)?.Rate;
          if (rate) r.heldRate = rate;
        }
        return content;
      }),

    listPayoutReferences: ({ lookbackDays }) =>
      run('listPayoutReferences', '*', async () => {
        if (!deps.payouts)
          throw park({
            reason: 'PAYOUT_UNSUPPORTED',
            message:
              'the worker has no 2Checkout API client: set TWOCHECKOUT_VENDOR_CODE and TWOCHECKOUT_API_SECRET_KEY for the worker',
          });
        const start = new Date(Date.now() - lookbackDays * 86_400_000).toISOString().slice(0, 10);
        const list = await deps.payouts.listPayouts({ StartDate: start, OrderBy: 'TransferCompletionDate' });
        return list.filter((p) => p.Status !== 'CANCELED').map((p) => p.Reference);
      }),

    listPayoutSummaries: ({ from, to }) =>
      run('listPayoutSummaries', `${from}..${to}`, async () => {
        if (!deps.payouts)
          throw park({
            reason: 'PAYOUT_UNSUPPORTED',
            message:
              'the worker has no 2Checkout API client: set TWOCHECKOUT_VENDOR_CODE and TWOCHECKOUT_API_SECRET_KEY for the worker',
          });
        const list = await deps.payouts.listPayouts({
          StartDate: from,
          EndDate: to,
          OrderBy: 'TransferCompletionDate',
        });
        return list.map((p): PayoutSummary => ({
          reference: p.Reference,
          status: p.Status,
          currency: p.Currency,
          amount: p.Amount,
          date: p.TransferCompletionDate.slice(0, 10),
          ...(p.Status === 'PARTIALLY_PAID' ? { transfer: transferIdOf(p) } : {}),
        }));
      }),

    revisedPayouts: ({ payouts }) =>
      run('revisedPayouts', '*', async () => {
        const config = deps.mappings.current();
        const out: PayoutRevision[] = [];
        const byRef = new Map<string, PayoutSummary[]>();
        for (const p of payouts) byRef.set(p.reference, [...(byRef.get(p.reference) ?? []), p]);
        for (const [reference, listed] of byRef) {
          const partial = listed.filter((p) => p.status === 'PARTIALLY_PAID' && p.transfer);
          if (partial.length > 0) {
            const open: string[] = [];
            for (const t of partial)
              if ((await readPostedPayout(ns, externalIds.payoutTransfer(reference, t.transfer!))).length === 0)
                open.push(t.transfer!);
            if (open.length) out.push({ reference, why: `transfer ${open.join(', ')} not booked yet` });
            continue;
          }
          const p = listed[0]!;
          const posted = await readPostedPayout(ns, externalIds.payout(reference));
          if (posted.length === 0) continue;
          const e = resolveCurrency(p.currency, config).exponent;
          const lines = posted.flatMap((r) => postedLinesOf(r.type, r.body, e, () => undefined));
          const held = postedPaid(lines, config.payouts.bankAccounts[p.currency], config.payouts.accounts.receivable);
          if (p.status === 'CANCELED') {
            if (revisionLines([], lines).length > 0) out.push({ reference, why: '2Checkout cancelled it' });
          } else if (held !== toMinor(p.amount, e)) {
            out.push({
              reference,
              why: `2Checkout now lists ${p.amount} ${p.currency}; NetSuite holds ${formatMinor(held, e)}`,
            });
          }
        }
        return out;
      }),

    payoutReadiness: ({ content }) =>
      run('payoutReadiness', content.reference, async () => {
        const config = deps.mappings.current();
        const entryId = content.transfers?.length
          ? externalIds.payoutTransfer(content.reference, content.transfers.at(-1)!.id)
          : externalIds.payout(content.reference);
        const posted = await readPostedPayout(ns, entryId);
        if (posted.length > 0 || content.status === 'CANCELED') {
          return posted[0]
            ? { posted: { type: posted[0].type, id: posted[0].id, externalId: posted[0].externalId }, missing: [] }
            : { missing: [] };
        }
        try {
          const { covered: cov } = await covered(content, config, entryId, posted);
          return { missing: cov.missing } satisfies PayoutReadiness;
        } catch (e) {
          // A document in the wrong place is not "missing": posting parks with the reason.
          if (e instanceof MappingError) return { missing: [] };
          throw e;
        }
      }),

    postPayout: ({ content }) =>
      run('postPayout', content.reference, async () => {
        const config = deps.mappings.current();
        return content.status === 'PARTIALLY_PAID' && content.transfers?.length
          ? postTransfers(content, config)
          : postWhole(content, config);
      }),
  };
}
