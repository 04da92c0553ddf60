// `npm run record-histories`: records fresh JSON histories of every workflow type and main path
// into test/replay-histories/, by running the real workflow code on a throw-away dev server with
// fake NetSuite activities (scripts/lib/ops/history-scenarios.ts). `npm test` replays every file
// there against the current code (test/replay/replay.test.ts), so a change that would break
// running workflows fails CI. Existing histories are never re-recorded (they stand for runs that
// may still be open in production): after a patched change, add a scenario that takes the new path
// and record only it (`-- --only <scenario name>`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
} from '@temporalio/worker';
import { TASK_QUEUES } from '../workflows/messages.js';
import { repoRoot } from '../shared/temporal-binaries.js';
import { workflowsPath } from '../worker/create-workers.js';
import { startDevServer } from './lib/dev-server.js';
import { freePort } from './lib/free-port.js';
import { allScenarios, type HistoryScenario } from './lib/ops/history-scenarios.js';
import { recordingOrderActivities, startFakeWorkers } from './lib/ops/recording-activities.js';
import { recordingCompletenessActivities } from './lib/ops/completeness-history-scenarios.js';
import { recordingActionActivities } from './lib/ops/action-history-scenarios.js';
import { createSubscriptionLinkActivities } from '../activities/subscription-links.js';
import { formatReplayReport, replayHistory } from './lib/ops/replay-history.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
const outDir = resolve(values.out ?? join(repoRoot, 'test', 'replay-histories'));
const scenarios: HistoryScenario[] = allScenarios.filter((s) => !values.only || s.name.includes(values.only));

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    // Core's own warnings (e.g. "Failing workflow task … Nondeterminism") would repeat the report.
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
    shutdownSignals: [],
  });
  mkdirSync(outDir, { recursive: true });
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
    let failed = 0;
    let recorded = 0;
    for (const scenario of scenarios) {
      const { activities, calls } = recordingOrderActivities(scenario.failures, {
        ...(scenario.found ? { found: scenario.found } : {}),
        ...(scenario.adoption ? { adoption: scenario.adoption } : {}),
        ...(scenario.customer ? { customer: scenario.customer } : {}),
        ...(scenario.shadow ? { shadow: scenario.shadow } : {}),
      });
      const workers = await startFakeWorkers({
        connection: nativeConnection,
        queues: TASK_QUEUES,
        workflowBundle,
        activities,
        completenessActivities: recordingCompletenessActivities,
        actionActivities: recordingActionActivities,
        ...(scenario.linkSubscriptions ? { workflowActivities: createSubscriptionLinkActivities() } : {}),
      });
      try {
        const runs = await scenario.drive({ client });
        console.log(`${scenario.name}: ${scenario.description}`);
        for (const { file, handle } of runs) {
          await connection.withDeadline(Date.now() + 60_000, () => handle.result());
          const history = await handle.fetchHistory();
          writeFileSync(join(outDir, file), `${historyToJSON(history)}\n`);
          recorded++;
          const report = await replayHistory(history, { code: { workflowBundle }, workflowId: handle.workflowId });
          if (!report.ok) failed++;
          console.log(`  ${file}: ${history.events?.length ?? 0} events`);
          for (const line of formatReplayReport(report)) console.log(`    ${line}`);
        }
        console.log(`  NetSuite calls: ${calls.join(', ') || '(none)'}`);
      } finally {
        await workers.stop();
      }
    }
    console.log(`\nRecorded ${recorded} histories into ${outDir}.`);
    if (failed > 0)
      throw new Error(`${failed} freshly recorded histories did not replay: the workflow code is not deterministic`);
  } finally {
    await connection.close();
    await nativeConnection.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
