// Backfill: every 2Checkout order of a date range, day by day and page by page from the REST
// API, compared with NetSuite; what NetSuite lacks is handed to its `order/<REFNO>` workflow (the
// same path as webhooks) marked `source: 'backfill'`. A Temporal workflow, not a loop in a CLI:
// it survives restarts and resumes where it was, and its progress is a query. Backpressure: the
// next page is read while the last one is being posted, never further ahead, so a backfill never
// floods NetSuite's (or 2Checkout's) limits.
import { continueAsNew, defineQuery, setHandler, workflowInfo } from '@temporalio/workflow';
import type { WouldPost } from './completeness-contract.js';
import { completenessActivities } from './reconcile.js';

export interface BackfillInput {
  /** `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
  dryRun?: boolean;
  /**
   * Orders sold before cutover.at (docs/cutover.md): adoptOnly (the default behaviour, said out loud)
   * adopts what the previous tool booked and reports the rest (parked BEFORE_CUTOVER); postMissing
   * also posts what it did not book.
   */
  cutover?: 'adoptOnly' | 'postMissing';
  /** How long one page's orders may take to post before the backfill moves on (counted pending). Default 10m. */
  settleTimeoutMs?: number;
  activityQueue?: string;
  /** Carried over by continue-as-new. */
  progress?: BackfillProgress;
}

export interface BackfillProgress {
  from: string;
  to: string;
  dryRun: boolean;
  cutover?: 'adoptOnly' | 'postMissing';
  /** The day and page being read next. */
  day: string;
  page: number;
  daysTotal: number;
  daysDone: number;
  /** Orders 2Checkout listed. */
  seen: number;
  /** Orders of the day being read, when the API says (its Pagination.Count); for the ETA. */
  dayOrders?: number;
  /** Handed to their workflows and posted (Synced). */
  synced: number;
  /** Handed over but parked (NeedsAttention), or mismatched (parked with RECONCILIATION_MISMATCH), or unmappable. */
  parked: number;
  /** Already complete in NetSuite (or void): nothing sent. */
  alreadyThere: number;
  /** Handed over, not finished within the settle timeout. */
  pending: number;
  /** Dry run: what would be posted (first 500). */
  wouldPost: WouldPost[];
  /** Epoch ms when the backfill started (first run). */
  startedAt: number;
  updatedAt: number;
  done: boolean;
}

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');

const DAY = 86_400_000;
const addDay = (d: string, n: number) => new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);
const PAGES_BEFORE_CONTINUE = 40;
const WOULD_POST_LIMIT = 500;

export async function backfillWorkflow(input: BackfillInput): Promise<BackfillProgress> {
  const dryRun = input.dryRun ?? false;
  const settleTimeoutMs = input.settleTimeoutMs ?? 10 * 60_000;
  const { acts, settle } = completenessActivities(input.activityQueue, settleTimeoutMs);
  const p: BackfillProgress = input.progress ?? {
    from: input.from,
    to: input.to,
    dryRun,
    ...(input.cutover ? { cutover: input.cutover } : {}),
    day: input.from,
    page: 1,
    daysTotal: Math.round((Date.parse(input.to) - Date.parse(input.from)) / DAY) + 1,
    daysDone: 0,
    seen: 0,
    synced: 0,
    parked: 0,
    alreadyThere: 0,
    pending: 0,
    wouldPost: [],
    startedAt: Date.now(),
    updatedAt: Date.now(),
    done: false,
  };
  setHandler(backfillProgressQuery, () => p);

  let settling: Promise<void> | undefined;
  const settlePage = async (refNos: string[]) => {
    const s = await settle.settleOrders({ refNos, timeoutMs: settleTimeoutMs });
    p.synced += s.synced.length;
    p.parked += s.parked.length;
    p.pending += s.pending.length;
    p.updatedAt = Date.now();
  };

  let pages = 0;
  while (p.day <= p.to) {
    const r = await acts.sweepPage({
      day: p.day,
      page: p.page,
      mode: 'backfill',
      dryRun,
      ...(input.cutover === 'postMissing' ? { postMissing: true } : {}),
    });
    p.seen += r.comparisons.length;
    if (r.count !== undefined) p.dayOrders = r.count;
    p.alreadyThere += r.comparisons.filter((c) => c.verdict === 'matched' || c.verdict === 'void').length;
    p.parked += r.mismatched.length + r.unmappable.length;
    if (dryRun) p.wouldPost.push(...r.wouldPost.slice(0, Math.max(0, WOULD_POST_LIMIT - p.wouldPost.length)));
    // At most one page is being posted while the next is read.
    if (settling) await settling;
    settling = r.delivered.length > 0 ? settlePage(r.delivered) : undefined;
    if (r.hasMore) p.page++;
    else {
      p.day = addDay(p.day, 1);
      p.page = 1;
      p.daysDone++;
    }
    p.updatedAt = Date.now();
    pages++;
    if (pages >= PAGES_BEFORE_CONTINUE || workflowInfo().continueAsNewSuggested) {
      if (settling) await settling;
      await continueAsNew<typeof backfillWorkflow>({ ...input, progress: p });
    }
  }
  if (settling) await settling;
  p.done = true;
  p.updatedAt = Date.now();
  return p;
}
