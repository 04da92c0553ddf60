// `npm run doctor` as a function (environment in, report and exit code out), so tests run it
// against sandboxes. Read-only. Reports every finding in one run; exit 0 only when nothing needed
// is missing, 1 otherwise.
import { Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import {
  ConfigError,
  DEFAULT_MAPPINGS_FILE,
  loadNetSuiteConfig,
  loadGatewayConfig,
  type NetSuiteConfig,
} from '../../../shared/config.js';
import { loadTwoCheckoutApiConfig, type TwoCheckoutApiConfig } from '../../../shared/twocheckout-api-config.js';
import { createNetSuiteClient } from '../../../netsuite/client.js';
import { loadMappingConfig, MappingConfigError } from '../../../mappings/config-loader.js';
import type { MappingConfig } from '../../../mappings/config-schema.js';
import { DEFAULT_LEDGER_RECORD_TYPE } from '../../../activities/completeness-ledger.js';
import { Findings, formatFindings } from './findings.js';
import { checkNetSuite } from './netsuite-checks.js';
import { checkTemporal, checkTwoCheckoutApi } from './other-checks.js';

export interface DoctorIo {
  out: (text: string) => void;
}

export interface DoctorResult {
  code: 0 | 1;
  findings: Findings;
}

function loadOr<T>(f: Findings, what: string, load: () => T, fix: string): T | undefined {
  try {
    const v = load();
    f.ok('configuration', what, 'valid');
    return v;
  } catch (e) {
    if (!(e instanceof ConfigError) && !(e instanceof MappingConfigError)) throw e;
    f.fail('configuration', what, e.message.replace(/\n\s*/g, ' '), fix);
    return undefined;
  }
}

export async function runDoctor(args: {
  env: NodeJS.ProcessEnv;
  io: DoctorIo;
  now?: () => Date;
}): Promise<DoctorResult> {
  const { env } = args;
  const now = args.now ?? (() => new Date());
  const f = new Findings();

  // Configuration first: every problem, whatever else is wrong.
  const mappingsFile = env.MAPPINGS_FILE || DEFAULT_MAPPINGS_FILE;
  const netsuite: NetSuiteConfig | undefined = loadOr(
    f,
    'NetSuite (NETSUITE_*)',
    () => loadNetSuiteConfig(env),
    'set the variables named above (README, Configuration; docs/netsuite-setup.md)',
  );
  const mapping: MappingConfig | undefined = loadOr(
    f,
    `mapping file ${mappingsFile}`,
    () => loadMappingConfig(mappingsFile),
    'correct the file as the message says (docs/mappings.md)',
  );
  const gateway = loadOr(
    f,
    'gateway (TWOCHECKOUT_SECRET_KEY, …)',
    () => loadGatewayConfig(env),
    'set TWOCHECKOUT_SECRET_KEY to the Secret Key of Control Panel > Integrations > Webhooks & API',
  );
  const apiFeatures = Boolean(env.TWOCHECKOUT_VENDOR_CODE);
  const api: TwoCheckoutApiConfig | undefined = apiFeatures
    ? loadOr(
        f,
        '2Checkout API (TWOCHECKOUT_VENDOR_CODE, …)',
        () => loadTwoCheckoutApiConfig(env),
        'set the variables named above (docs/reconciliation.md)',
      )
    : undefined;
  if (!apiFeatures)
    f.skip(
      'configuration',
      '2Checkout API',
      'TWOCHECKOUT_VENDOR_CODE is not set: backfill, reconciliation and payouts are off',
    );

  if (netsuite) {
    const client = createNetSuiteClient({
      baseUrl: netsuite.baseUrl,
      auth: netsuite.auth,
      timeoutMs: 30_000,
      maxReadRetries: 0,
    });
    try {
      await checkNetSuite(
        {
          client,
          baseUrl: netsuite.baseUrl,
          accountId: netsuite.accountId,
          auth: netsuite.auth.kind,
          ...(mapping ? { mapping } : {}),
          postingMode: gateway?.postingMode ?? 'salesOrder',
          apiFeatures,
          ledgerRecordType: env.COMPLETENESS_LEDGER_RECORD || DEFAULT_LEDGER_RECORD_TYPE,
          now: now(),
        },
        f,
      );
    } finally {
      await client.close();
    }
  } else f.skip('NetSuite', 'account', 'not checked until the NetSuite configuration is valid');

  if (api) await checkTwoCheckoutApi(api, now(), f);

  const { connectionOptions, namespace } = loadClientConnectConfig({
    overrideEnvVars: Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
  });
  const address = connectionOptions.address ?? 'localhost:7233';
  await checkTemporal(
    {
      connect: () => Connection.connect({ ...connectionOptions, connectTimeout: 5_000 }),
      address,
      namespace: namespace ?? 'default',
      scheduleWanted: apiFeatures,
    },
    f,
  );

  args.io.out(formatFindings(f));
  return { code: f.failures.length === 0 ? 0 : 1, findings: f };
}
