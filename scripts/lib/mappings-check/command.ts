// The `npm run mappings:check` command as a function (exit code in, text out) so it can be tested
// against the sandbox without spawning a process.
import { ConfigError, loadNetSuiteConfig } from '../../../shared/config.js';
import { createNetSuiteClient } from '../../../netsuite/client.js';
import { loadMappingConfig, MappingConfigError } from '../../../mappings/config-loader.js';
import { checkMappings, formatCheckReport } from '../../../operations/mappings-check.js';

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** 0: all good; 1: the file is invalid or refers to something the account lacks; 2: cannot reach/configure NetSuite. */
export async function runMappingsCheck(args: { file: string; env: NodeJS.ProcessEnv; io: CommandIo }): Promise<number> {
  const { file, env, io } = args;
  let config;
  try {
    config = loadMappingConfig(file);
  } catch (e) {
    if (e instanceof MappingConfigError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
  io.out(
    `${file}: valid (${config.products.rules.length} product rules, ${Object.keys(config.currencies).length} currencies).`,
  );
  if (!env.NETSUITE_ACCOUNT_ID && !env.NETSUITE_BASE_URL) {
    io.err(
      'Not checked against NetSuite: no account is configured and no stack is running. Start `npm start` (then this checks against its NetSuite sandbox), or set NETSUITE_ACCOUNT_ID and its credentials (see the README, Configuration) to check against your account.',
    );
    return 2;
  }
  let netsuite;
  try {
    netsuite = loadNetSuiteConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`${e.message}\nSet the NETSUITE_* variables to check the ids against an account.`);
      return 2;
    }
    throw e;
  }
  const client = createNetSuiteClient({
    baseUrl: netsuite.baseUrl,
    auth: netsuite.auth,
    timeoutMs: netsuite.timeoutMs,
  });
  try {
    const report = await checkMappings(config, client);
    (report.ok ? io.out : io.err)(formatCheckReport(report, netsuite.accountId));
    return report.ok ? 0 : 1;
  } catch (e) {
    io.err(
      `Could not reach NetSuite at ${netsuite.baseUrl} (${(e as Error).message}): is the stack running (npm start)? Otherwise set NETSUITE_BASE_URL, or NETSUITE_ACCOUNT_ID for the account's own host.`,
    );
    return 2;
  } finally {
    await client.close();
  }
}
