// A NetSuite sandbox per test file (real HTTP, the SuiteTalk REST subset) and the project's own
// client signed in to it, so tests go over HTTP exactly like the sync does.
import { createNetSuiteClient } from '../../netsuite/client.js';
import type { NetSuiteClientOptions, NetSuiteRestClient, TbaCredentials } from '../../netsuite/types.js';
import { startNetSuiteSandbox, type NetSuiteSandbox, type SandboxOptions } from '../../sandbox/netsuite/index.js';
import { useFixture } from './fixture.js';

/** The TBA credentials the test sandboxes accept. */
export const SANDBOX_CREDENTIALS: TbaCredentials = {
  accountId: '1234567_SB1',
  consumerKey: 'ck-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd',
  consumerSecret: 'cs-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd',
  tokenId: 'tk-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd',
  tokenSecret: 'ts-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd',
};

/** A sandbox of its own (a test that needs a second one, e.g. to restart it). */
export function startSandbox(opts: Partial<SandboxOptions> = {}): Promise<NetSuiteSandbox> {
  return startNetSuiteSandbox({ port: 0, credentials: SANDBOX_CREDENTIALS, ...opts });
}

/** The file's sandbox: started before its tests, closed after them. */
export function useSandbox(opts: Partial<SandboxOptions> = {}): NetSuiteSandbox {
  return useFixture(
    'the NetSuite sandbox',
    () => startSandbox(opts),
    (s) => s.close(),
  );
}

/** The project's NetSuite client on `sandbox` (TBA with SANDBOX_CREDENTIALS unless `opts` says otherwise), for the file's tests. */
export function useSandboxClient(
  sandbox: NetSuiteSandbox,
  opts: Partial<NetSuiteClientOptions> = {},
): NetSuiteRestClient {
  return useFixture(
    'the NetSuite client',
    () =>
      createNetSuiteClient({
        baseUrl: sandbox.url,
        ...(opts.auth ? {} : { credentials: SANDBOX_CREDENTIALS }),
        ...opts,
      }),
    (c) => c.close(),
  );
}
