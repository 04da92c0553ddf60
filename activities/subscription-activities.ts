// NetSuite activities of the subscription workflow: keep one record per 2Checkout subscription
// up to date (custom record or SuiteBilling subscription, per `subscriptions.model` in the mapping
// config), and hand the workflow its timing settings. Built over the injected NetSuite client and
// mapping provider, like the order activities.
//
// The write is a PUT upsert by `externalIds.subscription(licenseCode)`: repeating it (a retried
// activity, a replayed workflow, a resync) writes the same state again and never makes a twin. A
// write that got no answer is waited out before the next one (the late-write guard).
import { externalIds } from '../mappings/ids.js';
import { buildSubscriptionRecord } from '../mappings/subscription-records.js';
import { subscriptionStateFromRecord } from '../mappings/subscription-record-read.js';
import { callOptions, temporalActivityLogger, type NetSuiteActivityDeps } from './activity-context.js';
import type { SubscriptionActivities } from '../workflows/activity-contract.js';
import { withActivityFailures } from './failures.js';
import { readByExternalId } from './idempotent-writes.js';
import { lateWriteGuard } from './late-writes.js';

export function createSubscriptionActivities(deps: NetSuiteActivityDeps): SubscriptionActivities {
  const ns = deps.netsuite;
  const logger = deps.logger ?? temporalActivityLogger;

  return {
    async subscriptionSettings() {
      const { renewalGrace, endedLinger } = deps.mappings.current().subscriptions;
      return { renewalGrace, endedLinger };
    },

    async findSubscriptionRecord({ licenseCode }) {
      return withActivityFailures(
        async () => {
          const config = deps.mappings.current();
          const sub = config.subscriptions;
          if (sub.model === 'none') return {};
          const type = sub.model === 'customRecord' ? sub.customRecord.type : 'subscription';
          const rec = await readByExternalId(ns, type, externalIds.subscription(licenseCode), callOptions('bulk'));
          const found = rec ? subscriptionStateFromRecord(licenseCode, rec, config) : undefined;
          logger.info(
            { licenseCode, recordType: type, found: found?.status ?? null },
            'looked up the subscription record',
          );
          return found ? { found } : {};
        },
        logger,
        { activity: 'findSubscriptionRecord', licenseCode },
      );
    },

    async upsertSubscriptionRecord({ subscription }) {
      const licenseCode = subscription.licenseCode;
      return withActivityFailures(
        async () => {
          const plan = buildSubscriptionRecord(subscription, deps.mappings.current());
          if (plan.kind === 'none') return { action: 'skipped' as const };
          if (plan.kind === 'deferred') return { action: 'deferred' as const, note: plan.reason };
          if (deps.shadow?.subscriptions) {
            return {
              action: 'deferred' as const,
              note: `shadow mode (SYNC_MODE_SUBSCRIPTIONS=shadow): would write ${plan.type} ${plan.externalId} (status ${subscription.status}); nothing was written`,
            };
          }
          const opts = callOptions('bulk');
          let body = plan.body;
          if (plan.createOnly.length > 0) {
            // Fields NetSuite fixes at creation (SuiteBilling plan, customer, term) are sent only
            // while the record does not exist yet; later plan changes need a change order.
            const existing = await readByExternalId(ns, plan.type, plan.externalId, opts);
            if (existing) body = Object.fromEntries(Object.entries(body).filter(([k]) => !plan.createOnly.includes(k)));
          }
          // The record changes over time (renewals, plan changes): a PUT of an older state that got
          // no answer may land after a newer one and undo it. So after an unanswered write this
          // activity neither writes again nor completes until that write can no longer land
          // (activities/late-writes.ts; found by the chaos run, docs/reliability.md). Free when answered.
          const late = lateWriteGuard(deps.lateWriteHorizonMs);
          late.beforeResend(plan.externalId);
          const { id } = await late.write(plan.externalId, () => ns.upsert(plan.type, plan.externalId, body, opts));
          logger.info(
            { licenseCode, recordType: plan.type, id, status: subscription.status },
            'subscription record upserted',
          );
          return {
            action: 'upserted' as const,
            record: { type: plan.type, id, externalId: plan.externalId },
            ...(plan.itemId ? { itemId: plan.itemId } : {}),
          };
        },
        logger,
        { activity: 'upsertSubscriptionRecord', licenseCode },
      );
    },
  };
}
