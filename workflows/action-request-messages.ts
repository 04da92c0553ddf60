// The one door for callers of the action-request workflows (a refund, a subscription action that a
// second person approves before it is done in 2Checkout, docs/actions.md): their task queue,
// workflow ids, the submit / decide updates, the state query and the shapes they carry. Defined
// once here and imported by the workflows, the activities, operations/, the CLI, the MCP tools and
// the tests. Pure and workflow-safe (only @temporalio/workflow's define* helpers).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RefundItem, RefundLineAsk } from '../mappings/refundable.js';
import type { SubscriptionAction } from '../mappings/subscription-actions.js';
import type { SyncStatusValue } from '../shared/search-attributes.js';
import type { JournalEntry, ParkState } from './messages.js';

/** Activities of the requests: 2Checkout's API (reads and the acts), NetSuite reads, Temporal queries. */
export const ACTION_TASK_QUEUE = 'twocheckout-actions';

/** `refund-request/<REFNO>/<n>`: the n-th refund request of an order (n from 1). */
export const refundRequestWorkflowId = (refNo: string, n: number): string => `refund-request/${refNo}/${n}`;
/** `subscription-action/<LICENSE_CODE>/<n>`. */
export const subscriptionActionWorkflowId = (licenseCode: string, n: number): string =>
  `subscription-action/${licenseCode}/${n}`;
export const REQUEST_ID_PATTERN = /^(refund-request|subscription-action)\/([^/]+)\/(\d+)$/;
export const REQUEST_KINDS = { refund: 'refund-request', subscription: 'subscription-action' } as const;
export type RequestKind = keyof typeof REQUEST_KINDS;

/** A person (or an assistant) acting on a request, as the channel established them. */
export interface RequestActor {
  /** Recorded in the journal; compared (trimmed, case-insensitive) to tell requester and approver apart. */
  name: string;
  /** cli (`npm run ops`, the OS user or OPS_USER), mcp-http (a named bearer token), mcp-stdio (MCP_USER). */
  via: string;
}

export const sameActor = (a: RequestActor, b: RequestActor): boolean =>
  a.name.trim().toLowerCase() === b.name.trim().toLowerCase();

export interface RefundRequestInput {
  refNo: string;
  /** n of `refund-request/<REFNO>/<n>`. */
  n: number;
  amount?: string;
  currency?: string;
  lines?: RefundLineAsk[];
  /** Why (internal, recorded in the journal and the audit log). */
  reason: string;
  /** What 2Checkout shows the shopper; the request id is added so the refund can be recognised. */
  comment?: string;
  requester: RequestActor;
}

export interface SubscriptionActionInput {
  licenseCode: string;
  n: number;
  action: SubscriptionAction;
  reason: string;
  requester: RequestActor;
}

export type RequestPhase =
  /** The request is checked against 2Checkout and NetSuite. */
  | 'checking'
  /** The check said no: nothing will be done (`refusal` says why). */
  | 'refused'
  | 'awaiting-approval'
  | 'rejected'
  /** Nobody decided within actions.approvalExpiry: nothing was done. */
  | 'expired'
  /** Approved; the act in 2Checkout is being done. */
  | 'executing'
  /** 2Checkout accepted it; waiting for its notification to be booked (refund) or folded (LCN). */
  | 'confirming'
  /** Done in 2Checkout and seen in the sync: the references of both systems are in the state. */
  | 'done'
  /** An operator skipped a parked step: what was done is in the journal. */
  | 'skipped';

export const OPEN_PHASES: readonly RequestPhase[] = ['checking', 'awaiting-approval', 'executing', 'confirming'];

export interface RequestDecisionRecord {
  action: 'approve' | 'reject';
  by: RequestActor;
  at: string;
  reason?: string;
}

/** What a request did in 2Checkout and what the sync booked for it. */
export interface RequestOutcome {
  twoCheckout?: {
    refNo?: string;
    licenseCode?: string;
    call: string;
    at: string;
    alreadyDone: boolean;
    detail?: string;
  };
  netsuite?: { creditMemoId: string; customerRefundId?: string; amount: string; eventRef: string };
  subscription?: { status: string; cancelAtPeriodEnd: boolean; netsuiteRecords: string[] };
}

export interface ActionRequestState {
  id: string;
  kind: RequestKind;
  /** REFNO or licence code. */
  target: string;
  /** One line: what would be done, e.g. "refund 20.00 USD of order 123 (line 456 × 1)". */
  summary: string;
  phase: RequestPhase;
  requester: RequestActor;
  requestedAt: string;
  reason: string;
  /** When the request expires unless decided (ISO). */
  expiresAt?: string;
  refusal?: string;
  decision?: RequestDecisionRecord;
  /** Refunds: the amount and lines as checked (what 2Checkout will be asked for). */
  refund?: { amount: string; currency: string; items: RefundItem[]; refundable: string; comment: string };
  subscription?: { action: SubscriptionAction };
  outcome: RequestOutcome;
  syncStatus?: SyncStatusValue;
  park?: ParkState;
  journal: JournalEntry[];
}

/** The request's state: what it asks, who asked and decided, what was done. */
export const requestStateQuery = defineQuery<ActionRequestState>('requestState');

/**
 * Sent with the start (update-with-start): answers once the request was checked, with the state
 * (phase awaiting-approval), or fails with the one-sentence refusal; the workflow then ends.
 */
export const submitRequestUpdate = defineUpdate<ActionRequestState, []>('submitRequest');

export interface RequestDecision {
  action: 'approve' | 'reject';
  by: RequestActor;
  /** Required to reject (recorded); optional note on an approval. */
  reason?: string;
}
export interface RequestDecisionResult {
  accepted: true;
  action: RequestDecision['action'];
  phase: RequestPhase;
}
/**
 * Approve or reject. The validator refuses, before anything is written to history: a decision on a
 * request that is not awaiting one (already decided, expired, refused), an approval by the requester,
 * a rejection without a reason. Callers send it with an update id per (request, decision, person),
 * so a redelivered decision is answered from the first one instead of acting twice.
 */
export const decideRequestUpdate = defineUpdate<RequestDecisionResult, [RequestDecision]>('decideRequest');

/** The update id a caller gives a decision (Temporal de-duplicates updates by id within a run). */
export const decisionUpdateId = (requestId: string, d: Pick<RequestDecision, 'action' | 'by'>): string =>
  `${requestId}:${d.action}:${d.by.name.trim().toLowerCase()}`;
