// `npm run ops -- retry|skip|resync <ref> [--reason "…"] [--by "…"]` (scripts/lib/ops/ops-cli.ts), and
// the action requests: `refund`, `cancel-subscription`, `auto-renew-off`, `approve`, `reject`, `requests`.
// Human output on stdout/stderr; one JSON audit line per action in the audit log
// (OPS_AUDIT_LOG: a file, default .data/ops-audit.log, or `stderr`).
import { join } from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { createLogger } from '../shared/logger.js';
import { ensurePrivateFile } from '../shared/private-files.js';
import { repoRoot } from '../shared/temporal-binaries.js';
import type { WorkerStatus } from '../worker/metrics.js';
import { processIo } from './lib/ops/cli-io.js';
import { runOpsCli } from './lib/ops/ops-cli.js';
import { runWithOpsClient } from './lib/ops/temporal-client.js';
import { uiBaseUrl } from '../operations/web-ui.js';

runWithOpsClient(({ client, namespace }) => {
  const target = process.env.OPS_AUDIT_LOG?.trim() || join(repoRoot, '.data', 'ops-audit.log');
  // The audit log names operators, orders and their reasons: owner-only (0600), in a 0700 folder if it makes one.
  const destination =
    target === 'stderr' ? process.stderr : pino.destination({ dest: ensurePrivateFile(target), sync: true });
  const logger = createLogger({ name: 'ops', destination });
  return runOpsCli(process.argv.slice(2), {
    client,
    namespace,
    uiBase: uiBaseUrl(),
    io: processIo,
    logger,
    workerStatus,
  });
});

/** The worker's own state (mapping version, load error), when the stack recorded where to ask. */
async function workerStatus(): Promise<WorkerStatus | undefined> {
  const url = process.env.WORKER_STATUS_URL;
  if (!url) return undefined;
  try {
    const res = await request(url, { headersTimeout: 2_000, bodyTimeout: 2_000 });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return undefined;
    }
    return (await res.body.json()) as WorkerStatus;
  } catch {
    return undefined;
  }
}
