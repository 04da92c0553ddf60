// `npm run stuck`: lists parked syncs (or ones in progress for too long) with the reason, the
// explanation and a Web UI link for each.
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { EXIT, errorMessage, type CliIo } from './cli-io.js';
import {
  findStuckSyncs,
  formatStuckSyncs,
  stuckFilters,
  stuckQuery,
  type StuckFilters,
} from '../../../operations/stuck-syncs.js';
import { workflowListUrl } from '../../../operations/web-ui.js';

export const STUCK_USAGE = `usage: npm run stuck -- [--reason CODE] [--kind order|subscription|payout]
                       [--in-progress-over 1h] [--json] [--limit N] [--exit-code]

  (no options)            parked syncs: SyncStatus = 'NeedsAttention'
  --reason CODE           only parked for this reason, e.g. UNMAPPED_PRODUCT, NETSUITE_USER_ERROR,
                          RENEWAL_MISSED (subscriptions whose renewal did not arrive)
  --kind KIND             only orders, subscriptions or payouts
  --in-progress-over D    instead: running syncs still InProgress that started more than D ago
                          (30m, 1h, 2d)
  --json                  one JSON document instead of text
  --limit N               at most N syncs (default 200)
  --exit-code             exit 3 when anything is listed (for cron / alerting)`;

export interface StuckCliDeps {
  client: Client;
  namespace: string;
  uiBase: string;
  io: CliIo;
  now?: Date;
}

export async function runStuckCli(argv: string[], deps: StuckCliDeps): Promise<number> {
  const { io } = deps;
  let filters: StuckFilters;
  let values: { json?: boolean; limit?: string; 'exit-code'?: boolean; help?: boolean };
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        reason: { type: 'string' },
        kind: { type: 'string' },
        'in-progress-over': { type: 'string' },
        json: { type: 'boolean' },
        limit: { type: 'string' },
        'exit-code': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    values = parsed.values;
    if (values.help) {
      io.out(STUCK_USAGE);
      return EXIT.ok;
    }
    const v = parsed.values;
    filters = stuckFilters({
      ...(v.kind !== undefined ? { kind: v.kind } : {}),
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      ...(v['in-progress-over'] !== undefined ? { inProgressOver: v['in-progress-over'] } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    });
    if (values.limit !== undefined && !/^\d+$/.test(values.limit))
      throw new Error(`--limit must be a whole number, not "${values.limit}"`);
  } catch (err) {
    io.err(errorMessage(err));
    io.err(STUCK_USAGE);
    return EXIT.usage;
  }

  const query = stuckQuery(filters);
  const listUrl = workflowListUrl(deps.uiBase, deps.namespace, query);
  const list = await findStuckSyncs(deps.client, filters, {
    uiBase: deps.uiBase,
    namespace: deps.namespace,
    ...(values.limit ? { limit: Number(values.limit) } : {}),
  });
  if (values.json) {
    io.out(JSON.stringify({ query, listUrl, count: list.length, syncs: list }, null, 2));
  } else {
    const what = filters.mode === 'parked' ? 'parked' : 'in progress for too long';
    io.out(list.length === 0 ? `Nothing ${what}.` : `${list.length} ${list.length === 1 ? 'sync' : 'syncs'} ${what}:`);
    io.out(`  query: ${query}`);
    io.out(`  Web UI: ${listUrl}`);
    if (list.length > 0) io.out('');
    for (const line of formatStuckSyncs(list, deps.now)) io.out(line);
    if (list.length > 0 && filters.mode === 'parked') {
      io.out('');
      io.out('Fix the cause (e.g. the mapping file), then `npm run ops -- retry <ref>`');
      io.out('(or, to give up on that step: `npm run ops -- skip <ref> --reason "…"`).');
    }
  }
  return values['exit-code'] && list.length > 0 ? EXIT.found : EXIT.ok;
}
