// Links from the status page into the NetSuite account's own pages: NETSUITE_UI_URL, the account's
// UI address ("System Domain" under Setup → Company → Company Information → Company URLs), e.g.
// https://1234567.app.netsuite.com. Unset, it is derived from NETSUITE_ACCOUNT_ID for a NetSuite
// account (docs/reference-notes.md#ns-ui-links); with a NetSuite stand-in and no setting, there are
// no links. Checked at start-up: a bad value stops `npm start` with how to fix it.
import { z } from 'zod';
import { ConfigError } from '../shared/config.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;
const EXAMPLE =
  'e.g. https://1234567.app.netsuite.com (Setup → Company → Company Information → Company URLs: System Domain)';

const UiUrl = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `is not a URL: ${JSON.stringify(raw)}; set it to the account's NetSuite address, ${EXAMPLE}`,
      });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
      ctx.addIssue({
        code: 'custom',
        message: `must start with https:// (plain http only on this machine), got ${JSON.stringify(raw)}; ${EXAMPLE}`,
      });
      return z.NEVER;
    }
    if (url.search || url.hash || url.username) {
      ctx.addIssue({
        code: 'custom',
        message: `must be the address alone, without ?query, #fragment or user name, got ${JSON.stringify(raw)}; ${EXAMPLE}`,
      });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  });

/** The NetSuite UI base for record links, or undefined when there is none to link to. */
export function netsuiteUiUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const given = env.NETSUITE_UI_URL;
  if (given !== undefined && given.trim() !== '') {
    const parsed = UiUrl.safeParse(given);
    if (!parsed.success) throw new ConfigError(`NETSUITE_UI_URL ${parsed.error.issues[0]!.message}`);
    return parsed.data;
  }
  const account = env.NETSUITE_ACCOUNT_ID?.trim();
  const restHost = env.NETSUITE_BASE_URL ? safeHost(env.NETSUITE_BASE_URL) : undefined;
  if (!account || (restHost !== undefined && !restHost.endsWith('.netsuite.com'))) return undefined;
  return `https://${account.toLowerCase().replace(/_/g, '-')}.app.netsuite.com`;
}

function safeHost(raw: string): string | undefined {
  try {
    return new URL(raw).hostname;
  } catch {
    return undefined;
  }
}

/** A record's page in the NetSuite UI: transactions by one generic address, customers by theirs. */
export function netsuiteRecordUrl(base: string, record: { type: string; id: string }): string | undefined {
  const id = encodeURIComponent(record.id);
  if (record.type === 'customer') return `${base}/app/common/entity/custjob.nl?id=${id}`;
  if (TRANSACTION_TYPES.has(record.type)) return `${base}/app/accounting/transactions/transaction.nl?id=${id}`;
  return undefined;
}

const TRANSACTION_TYPES = new Set([
  'salesOrder',
  'invoice',
  'customerPayment',
  'cashSale',
  'creditMemo',
  'customerRefund',
  'cashRefund',
  'deposit',
  'journalEntry',
]);
