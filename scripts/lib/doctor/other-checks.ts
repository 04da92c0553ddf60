// The doctor's 2Checkout and Temporal checks, read-only: the API key and merchant code open the
// account; Temporal answers, the namespace has the search attributes, the nightly Schedule exists.
import { Client, ScheduleNotFoundError, type Connection } from '@temporalio/client';
import type { TwoCheckoutApiConfig } from '../../../shared/twocheckout-api-config.js';
import { createTwoCheckoutApiClient } from '../../../twocheckout/rest/client.js';
import { TwoCheckoutApiError } from '../../../twocheckout/rest/errors.js';
import { checkSearchAttributes, searchAttributeCommands } from '../../../shared/search-attribute-check.js';
import { NIGHTLY_SCHEDULE_ID } from '../completeness/schedule.js';
import type { Findings } from './findings.js';

/** One signed search of the last day's orders: the key, the merchant code and the clock all count. */
export async function checkTwoCheckoutApi(c: TwoCheckoutApiConfig, now: Date, f: Findings): Promise<void> {
  const client = createTwoCheckoutApiClient({
    baseUrl: c.baseUrl,
    vendorCode: c.vendorCode,
    secretKey: c.secretKey,
    algorithm: c.algorithm,
    timeoutMs: 15_000,
  });
  try {
    const day = now.toISOString().slice(0, 10);
    await client.searchOrders({ StartDate: day, EndDate: day, Limit: 1 });
    // The signature binds the merchant code to the key: a code of another account is refused.
    f.ok(
      '2Checkout',
      'API key and merchant code',
      `${c.baseUrl} accepts merchant code ${c.vendorCode} with this key (${c.algorithm})`,
    );
  } catch (e) {
    if (!(e instanceof TwoCheckoutApiError)) throw e;
    if (e.kind === 'auth') {
      f.fail(
        '2Checkout',
        'API key and merchant code',
        `2Checkout refused the request (${e.status ?? ''} ${e.message})`,
        "set TWOCHECKOUT_VENDOR_CODE to the Merchant Code and TWOCHECKOUT_API_SECRET_KEY (or TWOCHECKOUT_SECRET_KEY) to the Secret Key of Control Panel > Integrations > Webhooks & API, with TWOCHECKOUT_API_HASH_ALGORITHM as the account allows; and check this machine's clock",
      );
    } else
      f.fail(
        '2Checkout',
        'API reachable',
        e.message,
        `check TWOCHECKOUT_API_BASE_URL (${c.baseUrl}) and that this machine can reach it`,
      );
  } finally {
    await client.close();
  }
}

export interface TemporalCheckInput {
  connect: () => Promise<Connection>;
  address: string;
  namespace: string;
  /** Reconciliation is on, so its nightly Schedule must exist. */
  scheduleWanted: boolean;
}

export async function checkTemporal(input: TemporalCheckInput, f: Findings): Promise<void> {
  let connection: Connection;
  try {
    connection = await input.connect();
    await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.getSystemInfo({}));
  } catch (e) {
    f.fail(
      'Temporal',
      'reachable',
      `no answer from ${input.address} (${(e as Error).message.split('\n')[0]})`,
      'start Temporal (npm start runs one), or set TEMPORAL_ADDRESS (with TEMPORAL_NAMESPACE and TEMPORAL_API_KEY for Temporal Cloud)',
    );
    f.skip('Temporal', 'search attributes, Schedules', 'not checked until Temporal answers');
    return;
  }
  try {
    f.ok('Temporal', 'reachable', input.address);
    const sa = await checkSearchAttributes(connection, input.namespace);
    if (sa.kind === 'ok') f.ok('Temporal', 'search attributes', `namespace ${input.namespace} has all of them`);
    else if (sa.kind === 'unknown')
      f.fail(
        'Temporal',
        'search attributes',
        `could not be listed in namespace ${input.namespace} (${sa.reason})`,
        'check TEMPORAL_NAMESPACE, and that the credentials may read the namespace',
      );
    else {
      const wrong = sa.wrongType.map((w) => `${w.key.name} is ${w.registeredAs}`);
      f.fail(
        'Temporal',
        'search attributes',
        `namespace ${input.namespace} lacks ${[...sa.missing.map((k) => k.name), ...wrong].join(', ')}: Temporal would refuse every event`,
        searchAttributeCommands(sa.missing, input.namespace)
          .filter((l) => !l.startsWith('#'))
          .join(' ; '),
      );
    }
    if (!input.scheduleWanted) {
      f.skip(
        'Temporal',
        `Schedule ${NIGHTLY_SCHEDULE_ID}`,
        'reconciliation is off (TWOCHECKOUT_VENDOR_CODE is not set)',
      );
      return;
    }
    const client = new Client({ connection, namespace: input.namespace });
    try {
      const d = await client.schedule.getHandle(NIGHTLY_SCHEDULE_ID).describe();
      const cron = d.spec.calendars?.length ? 'calendar' : 'set';
      if (d.state.paused)
        f.fail(
          'Temporal',
          `Schedule ${NIGHTLY_SCHEDULE_ID}`,
          'exists but is paused: no day is reconciled',
          `unpause it: temporal schedule toggle --schedule-id ${NIGHTLY_SCHEDULE_ID} --unpause --reason "doctor"`,
        );
      else f.ok('Temporal', `Schedule ${NIGHTLY_SCHEDULE_ID}`, `exists (spec ${cron})`);
    } catch (e) {
      if (!(e instanceof ScheduleNotFoundError)) throw e;
      f.fail(
        'Temporal',
        `Schedule ${NIGHTLY_SCHEDULE_ID}`,
        'does not exist: no day would be reconciled',
        'create it: npm run reconcile -- --schedule (RECONCILE_SCHEDULE_CRON, RECONCILE_DAYS)',
      );
    }
  } finally {
    await connection.close();
  }
}
