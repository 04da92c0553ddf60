// 2Checkout's LCN vocabulary: DISPATCH_REASON and licence STATUS spellings, decoded to the words
// the subscription workflow folds by. The documented spellings plus variants seen in a third-party
// connector, because the exact wire values are not confirmed (docs/reference-notes.md).

export type LcnDispatchReason =
  | 'change'
  | 'scheduledCancel'
  | 'revertCancel'
  | 'pastDue'
  | 'grace'
  | 'expiration'
  | 'pendingActivation'
  | 'cpcAccepted'
  | 'unknown';
const REASONS: Record<string, LcnDispatchReason> = {
  LICENCE_CHANGE: 'change',
  SCHEDULED_FOR_CANCELATION_ON_DEMAND: 'scheduledCancel',
  REVERT_CANCELATION_ON_DEMAND: 'revertCancel',
  LICENCE_PASTDUE: 'pastDue',
  LICENCE_PAST_DUE: 'pastDue',
  LICENCE_GP_CHANGE: 'grace',
  LICENCE_GRACE_PERIOD_CHANGE: 'grace',
  LICENCE_EXPIRATION: 'expiration',
  LICENCE_EXPIRED: 'expiration',
  LICENCE_PENDING_ACTIVATION: 'pendingActivation',
  LICENCE_CPC_ACCEPTED: 'cpcAccepted',
};

export function dispatchReasonOf(raw: string | undefined): LcnDispatchReason {
  if (!raw) return 'unknown';
  const key = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_')
    .replace(/^LICENSE_/, 'LICENCE_')
    .replace('CANCELLATION', 'CANCELATION');
  return REASONS[key] ?? 'unknown';
}

export type LicenceStatusWord = 'ACTIVE' | 'CANCELED' | 'EXPIRED' | 'PAST_DUE' | 'PENDING_ACTIVATION' | 'unknown';
export function licenceStatusOf(raw: string | undefined): LicenceStatusWord | undefined {
  if (!raw) return undefined;
  const s = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (s === 'ACTIVE' || s === 'ENABLED') return 'ACTIVE';
  if (s === 'DISABLED' || s === 'CANCELED' || s === 'CANCELLED') return 'CANCELED';
  if (s === 'EXPIRED') return 'EXPIRED';
  if (s === 'PASTDUE' || s === 'PAST_DUE') return 'PAST_DUE';
  if (s === 'PENDING_ACTIVATION' || s === 'PENDINGACTIVATION') return 'PENDING_ACTIVATION';
  return 'unknown';
}

export function graceDaysOf(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
